import { ruleFindings } from '../util';
import { vllmEngineMetric, vllmMetric } from '../../lib/check/vllm-metrics';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('vllm-metric-unknown', docs);

const trigger = (query: string): Doc => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'chat', namespace: 'ai' },
  spec: {
    scaleTargetRef: { name: 'chat' },
    minReplicaCount: 1,
    triggers: [{ type: 'prometheus', metadata: { serverAddress: 'http://prom:9090', threshold: '4', query } }],
  },
});
const alerts = (rules: Doc[]): Doc => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PrometheusRule',
  metadata: { name: 'vllm', namespace: 'ai' },
  spec: { groups: [{ name: 'vllm', rules }] },
});

describe('vllmMetric', () => {
  test("vLLM's names with their series suffixes, the underscore misspelling, retired and unknown names", () => {
    expect(vllmMetric('vllm:num_requests_waiting')).toEqual({ kind: 'known', name: 'vllm:num_requests_waiting', engine: true });
    expect(vllmMetric('vllm:time_to_first_token_seconds_bucket')).toMatchObject({ kind: 'known', engine: true });
    expect(vllmMetric('vllm:request_success_total')).toMatchObject({ kind: 'known', engine: true });
    expect(vllmMetric('vllm:num_incoming_requests_total')).toMatchObject({ kind: 'known', engine: false });
    expect(vllmMetric('vllm_num_requests_running')).toEqual({
      kind: 'underscore',
      name: 'vllm_num_requests_running',
      exported: 'vllm:num_requests_running',
      engine: true,
    });
    expect(vllmMetric('vllm:gpu_cache_usage_perc')).toMatchObject({ kind: 'retired', replacement: 'kv_cache_usage_perc', hidden: '0.11', removed: '0.12' });
    expect(vllmMetric('vllm:num_request_waiting')).toEqual({ kind: 'unknown', name: 'vllm:num_request_waiting', closest: 'vllm:num_requests_waiting' });
    expect(vllmMetric('vllm:totally_made_up_gauge')).toEqual({ kind: 'unknown', name: 'vllm:totally_made_up_gauge', closest: undefined });
    // not vLLM's: another exporter's names, an underscore name vLLM never had, Ray's sanitized copy
    expect(vllmMetric('envoy_cluster_upstream_rq_active')).toBeUndefined();
    expect(vllmMetric('vllm_queue_depth')).toBeUndefined();
    expect(vllmMetric('ray_vllm_num_requests_running')).toBeUndefined();
  });

  test("the engine metric a name means: the router's are not the engine's", () => {
    expect(vllmEngineMetric('vllm_num_requests_waiting')).toBe('vllm:num_requests_waiting');
    expect(vllmEngineMetric('vllm:kv_cache_usage_perc')).toBe('vllm:kv_cache_usage_perc');
    expect(vllmEngineMetric('vllm:healthy_pods_total')).toBeUndefined();
    expect(vllmEngineMetric('http_requests_total')).toBeUndefined();
  });
});

describe('vllm-metric-unknown', () => {
  test('an underscore name in a KEDA trigger is an error naming the exported name', () => {
    expect(found([trigger('sum(vllm_num_requests_running{namespace="ai"})')])).toEqual([
      expect.stringMatching(
        /^error ScaledObject\/ai\/chat: spec\.triggers\[0\]\.metadata\.query selects vllm_num_requests_running: vLLM exports vllm:num_requests_running .*always empty.*; write vllm:num_requests_running$/,
      ),
    ]);
    expect(found([trigger('sum(vllm:num_requests_running{namespace="ai"})')])).toEqual([]);
  });

  // prometheus promql/parser: `or` returns the series of either side, so one live alternative keeps the query non-empty
  test('a misspelt name beside a live alternative of an `or` is not reported; with every alternative dead, or only a constant beside it, it is', () => {
    const error = (name: string, exported: string, field = 'spec.triggers[0].metadata.query') =>
      `error ScaledObject/ai/chat: ${field} selects ${name}: vLLM exports ${exported} (a colon, not an underscore), so no series is named ${name} and the query is always empty: a KEDA trigger reads 0 or fails, an alert never fires, an adapter serves no value; write ${exported}`;
    expect(found([trigger('sum(vllm:num_requests_running) or sum(vllm_num_requests_running)')])).toEqual([]);
    expect(found([trigger('(sum(vllm_num_requests_waiting{ns="ai"}) or sum(vllm:num_requests_waiting{ns="ai"})) / 4')])).toEqual([]);
    expect(found([trigger('sum(vllm_num_requests_running) or vector(0)')])).toEqual([error('vllm_num_requests_running', 'vllm:num_requests_running')]);
    expect(found([trigger('sum(vllm_num_requests_running) or sum(vllm_num_requests_waiting)')])).toEqual([
      error('vllm_num_requests_running', 'vllm:num_requests_running'),
      error('vllm_num_requests_waiting', 'vllm:num_requests_waiting'),
    ]);
    // both sides of an arithmetic operator must have series: a live alternative of one side does not save the other
    expect(found([trigger('(sum(vllm:num_requests_running) or sum(vllm_num_requests_running)) / sum(vllm_num_requests_waiting)')])).toEqual([
      error('vllm_num_requests_waiting', 'vllm:num_requests_waiting'),
    ]);
    // `unless` keeps its left side: a dead name on the right empties nothing, one on the left does
    expect(found([trigger('sum(vllm:num_requests_running) unless sum(vllm_num_requests_waiting)')])).toEqual([]);
  });

  test('an alert guarded by absent(): the absent() of a dead name always fires, so it is reported; beside a live alternative it is not', () => {
    const rule = (expr: string) => alerts([{ alert: 'VllmDown', expr }]);
    expect(found([rule('absent(vllm_num_requests_running)')])).toEqual([
      expect.stringMatching(/^error PrometheusRule\/ai\/vllm: spec\.groups\[0\]\.rules\[0\]\.expr selects vllm_num_requests_running: /),
    ]);
    expect(found([rule('absent(vllm:num_requests_running) and absent(vllm_num_requests_running)')])).toEqual([]);
  });

  // kserve pkg/controller/llmisvc monitoring.go expectedVLLMEngineMonitor: metricRelabelings store __name__ as kserve_$1
  describe('monitors that rename vLLM metrics', () => {
    const podMonitor = (name: string, relabel: boolean): Doc => ({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name, namespace: 'ai' },
      spec: {
        selector: { matchLabels: { app: 'chat' } },
        podMetricsEndpoints: [
          {
            port: 'http',
            ...(relabel
              ? {
                  metricRelabelings: [
                    { sourceLabels: ['__name__'], regex: 'vllm:(.*)', replacement: 'kserve_vllm:$1', targetLabel: '__name__', action: 'replace' },
                  ],
                }
              : {}),
          },
        ],
      },
    });
    const rule = (expr: string) => alerts([{ alert: 'Queueing', expr }]);

    test('every scrape renames: a query of the vLLM name is an error naming the monitor and the stored name', () => {
      expect(found([podMonitor('engine', true), rule('sum(vllm:num_requests_waiting) > 10')])).toEqual([
        "error PrometheusRule/ai/vllm: spec.groups[0].rules[0].expr selects vllm:num_requests_waiting: PodMonitor/ai/engine renames vLLM's metrics for the targets it scrapes (its metricRelabelings store vllm:num_requests_waiting as kserve_vllm:num_requests_waiting), so the query is empty for those targets: an alert never fires, a KEDA trigger reads 0 or fails, a panel stays blank; every scrape of vLLM the tree shows renames it: write kserve_vllm:num_requests_waiting",
      ]);
    });

    test("another monitor keeps vLLM's names: a warning", () => {
      const [f, ...rest] = found([podMonitor('engine', true), podMonitor('plain', false), rule('sum(vllm:num_requests_waiting) > 10')]);
      expect(rest).toEqual([]);
      expect(f).toMatch(
        /^warning PrometheusRule\/ai\/vllm: .*another scrape of the tree may keep vLLM's name for other targets: for those PodMonitor\/ai\/engine scrapes, write kserve_vllm:num_requests_waiting/,
      );
    });

    test("near misses: the stored name, both names read, KServe's rename of every name, no relabelling", () => {
      expect(found([podMonitor('engine', true), rule('sum(kserve_vllm:num_requests_waiting) > 10')])).toEqual([]);
      expect(found([podMonitor('engine', true), rule('sum(vllm:num_requests_waiting) or sum(kserve_vllm:num_requests_waiting)')])).toEqual([]);
      expect(found([podMonitor('engine', false), rule('sum(vllm:num_requests_waiting) > 10')])).toEqual([]);
      // KServe's own rule: no regex (all of __name__), kserve_$1
      const kserveStyle = podMonitor('kserve-llm-isvc-vllm-engine', false);
      kserveStyle.spec.podMetricsEndpoints[0].metricRelabelings = [
        { sourceLabels: ['__name__'], action: 'replace', replacement: 'kserve_$1', targetLabel: '__name__' },
      ];
      expect(found([kserveStyle, rule('sum(kserve_vllm:num_requests_waiting) > 10')])).toEqual([]);
      expect(found([kserveStyle, rule('sum(vllm:num_requests_waiting) > 10')])).toEqual([
        expect.stringContaining('its metricRelabelings store vllm:num_requests_waiting as kserve_vllm:num_requests_waiting'),
      ]);
    });
  });

  test('PrometheusRule expr and prometheus-adapter rules are read too', () => {
    expect(found([alerts([{ alert: 'Queue', expr: 'sum(vllm_num_requests_waiting) > 10' }])])).toEqual([
      expect.stringMatching(/^error PrometheusRule\/ai\/vllm: spec\.groups\[0\]\.rules\[0\]\.expr selects vllm_num_requests_waiting/),
    ]);
    const adapter = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'adapter-config', namespace: 'monitoring' },
      data: {
        'config.yaml':
          'rules:\n- seriesQuery: \'vllm_num_requests_waiting{namespace!=""}\'\n  metricsQuery: sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)\n',
      },
    };
    expect(found([adapter])).toEqual([
      expect.stringMatching(/^error ConfigMap\/monitoring\/adapter-config: data\.config\.yaml rules\[0\]\.seriesQuery selects vllm_num_requests_waiting/),
    ]);
  });

  test('a name the tree records, or a scrape that relabels __name__, is not an error', () => {
    const record = alerts([{ record: 'vllm_num_requests_running', expr: 'sum(vllm:num_requests_running)' }]);
    expect(found([record, trigger('sum(vllm_num_requests_running)')])).toEqual([]);
    const monitor = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'vllm', namespace: 'ai' },
      spec: {
        selector: { matchLabels: { app: 'chat' } },
        endpoints: [{ port: 'http', metricRelabelings: [{ sourceLabels: ['__name__'], regex: 'vllm:(.*)', targetLabel: '__name__', replacement: 'vllm_$1' }] }],
      },
    };
    expect(found([monitor, trigger('sum(vllm_num_requests_running)')])).toEqual([
      expect.stringMatching(/^warning ScaledObject\/ai\/chat: .*unless the __name__ relabeling of ServiceMonitor\/ai\/vllm makes that name/),
    ]);
  });

  test('a retired name where every vLLM server of the tree pins a release before the one that hides it: an info naming the pin', () => {
    const server = (name: string, image: string): Doc => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'ai' },
      spec: {
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'vllm', image, args: ['--model', 'facebook/opt-125m'] }] } },
      },
    });
    const query = trigger('avg(vllm:gpu_cache_usage_perc)');
    expect(found([query, server('chat', 'vllm/vllm-openai:v0.5.5')])).toEqual([
      expect.stringMatching(
        /^info .*vllm:gpu_cache_usage_perc, which the vLLM the tree pins exports: 0\.5\.5 \(vllm\/vllm-openai:v0\.5\.5\); vLLM hides it from 0\.11/,
      ),
    ]);
    // near misses: a release that hides it, a second server whose release its tag does not tell, on the same tree
    expect(found([query, server('chat', 'vllm/vllm-openai:v0.11.0')]).map((f) => f.split(' ')[0])).toEqual(['warning']);
    expect(found([query, server('chat', 'vllm/vllm-openai:v0.5.5'), server('code', 'vllm/vllm-openai:latest')]).map((f) => f.split(' ')[0])).toEqual([
      'warning',
    ]);
  });

  test('a retired name where the tree states no vLLM release is an info (earlier releases export it); unknown vllm: names are warnings', () => {
    expect(found([trigger('avg(vllm:gpu_cache_usage_perc)')])).toEqual([
      expect.stringMatching(
        /^info .*vllm:gpu_cache_usage_perc, which vLLM exports before 0\.11: vLLM hides it from 0\.11 and removed it in 0\.12 .*the tree states no vLLM release; .*vllm:kv_cache_usage_perc is the name to read$/,
      ),
    ]);
    // read beside its replacement, the old name serves releases before 0.10: no warning
    expect(found([trigger('max(vllm:kv_cache_usage_perc or vllm:gpu_cache_usage_perc)')])).toEqual([]);
    expect(found([trigger('sum(vllm:num_request_waiting)')])).toEqual([
      expect.stringMatching(/^warning .*a name no vLLM release exports \(did you mean vllm:num_requests_waiting\?\)/),
    ]);
    expect(found([trigger('sum(rate(vllm:num_incoming_requests_total[1m])) + sum(vllm:spec_decode_num_drafts_total)')])).toEqual([]);
  });

  describe('Prometheus rule files held in a ConfigMap', () => {
    const server = (name: string, image: string, command?: string[]): Doc => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'ai' },
      spec: {
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'server', image, ...(command ? { command } : {}) }] } },
      },
    });
    const vllm = server('chat', 'vllm/vllm-openai:v0.10.1', ['vllm', 'serve', 'Qwen/Qwen2.5-0.5B-Instruct']);
    const ruleFile = (rules: string): Doc => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'prometheus-rules', namespace: 'monitoring' },
      data: { 'serving_rules.yml': `groups:\n- name: serving\n  rules:\n${rules}` },
    });
    const alert = (expr: string) => `  - alert: Serving\n    expr: ${expr}\n    for: 2m\n`;

    test("an underscore misspelling of a vLLM name in a rule file's expr is an error, as in a PrometheusRule", () => {
      expect(found([ruleFile(alert('sum(vllm_num_requests_waiting) > 10'))])).toEqual([
        expect.stringMatching(
          /^error ConfigMap\/monitoring\/prometheus-rules: data\.serving_rules\.yml groups\[0\]\.rules\[0\]\.expr selects vllm_num_requests_waiting: vLLM exports vllm:num_requests_waiting/,
        ),
      ]);
    });

    test('a vllm_ name no vLLM release exports, where the tree runs vLLM servers: an error naming them', () => {
      expect(found([vllm, ruleFile(alert('vllm_queue_length > 20') + alert('rate(vllm_cache_hit_total[5m]) < 0.3'))])).toEqual([
        expect.stringMatching(
          /^error .*groups\[0\]\.rules\[0\]\.expr selects vllm_queue_length: vLLM names every metric it exports vllm:<name> \(a colon\), and no vLLM release exports vllm_queue_length: the vLLM servers of the tree \(Deployment\/ai\/chat\)/,
        ),
        expect.stringMatching(/^error .*selects vllm_cache_hit_total/),
      ]);
      // PrometheusRule objects are read alike
      expect(found([vllm, alerts([{ alert: 'Queue', expr: 'vllm_queue_length > 20' }])])).toEqual([
        expect.stringMatching(/^error PrometheusRule.*vllm_queue_length/),
      ]);
    });

    test('near misses: no vLLM server in the tree, a custom server of an image naming vLLM, a recorded name, the exported name', () => {
      const rules = ruleFile(alert('vllm_queue_length > 20'));
      expect(found([rules])).toEqual([]);
      // a server built in the tree that exports vllm_ names of its own, beside a vLLM server
      expect(found([vllm, server('custom', 'registry.example.com/team/llama-vllm:1.2'), rules])).toEqual([]);
      const recorded = ruleFile(`  - record: vllm_queue_length\n    expr: sum(vllm:num_requests_waiting)\n${alert('vllm_queue_length > 20')}`);
      expect(found([vllm, recorded])).toEqual([]);
      expect(found([vllm, ruleFile(alert('vllm:num_requests_waiting > 20'))])).toEqual([]);
    });
  });
});

describe('vllm-metric-unknown on Grafana dashboards', () => {
  const board = (panels: Doc[], labels: Doc = { grafana_dashboard: '1' }, key = 'serving.json'): Doc => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'board', namespace: 'ai', labels },
    data: { [key]: JSON.stringify({ title: 'Serving', panels }) },
  });
  const panel = (...exprs: string[]): Doc => ({ type: 'timeseries', targets: exprs.map((expr) => ({ expr })) });
  const server = (image: string): Doc => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'chat', namespace: 'ai' },
    spec: {
      selector: { matchLabels: { app: 'chat' } },
      template: { metadata: { labels: { app: 'chat' } }, spec: { containers: [{ name: 'vllm', image, args: ['--model', 'Qwen/Qwen3-8B'] }] } },
    },
  });

  test('a panel reading a gauge the pinned vLLM removed is a warning naming the pin and the replacement', () => {
    expect(found([board([panel('vllm:gpu_cache_usage_perc{model_name="$model"}')]), server('vllm/vllm-openai:v0.13.0')])).toEqual([
      expect.stringMatching(
        /^warning ConfigMap\/ai\/board: data\.serving\.json panels\[0\]\.targets\[0\]\.expr selects vllm:gpu_cache_usage_perc, which vLLM deprecated: .*removed it in 0\.12.*the vLLM the tree pins is such a release: 0\.13\.0 .*read vllm:kv_cache_usage_perc instead$/,
      ),
    ]);
  });

  test("a histogram's series in nested row panels are one finding, on the family; an unlabeled *.json dashboard is read too", () => {
    const row = {
      type: 'row',
      panels: [
        panel('histogram_quantile(0.9, sum by (le) (rate(vllm:time_per_output_token_seconds_bucket[5m])))', 'rate(vllm:time_per_output_token_seconds_sum[5m])'),
      ],
    };
    expect(found([board([row], {}), server('vllm/vllm-openai:v0.13.0')])).toEqual([
      expect.stringMatching(
        /^warning ConfigMap\/ai\/board: data\.serving\.json panels\[0\]\.panels\[0\]\.targets\[0\]\.expr, .*selects vllm:time_per_output_token_seconds, which vLLM deprecated/,
      ),
    ]);
  });

  test('an underscore name on a dashboard is a warning, not an error', () => {
    expect(found([board([panel('vllm_num_requests_waiting')]), server('vllm/vllm-openai:v0.13.0')])).toEqual([
      expect.stringMatching(/^warning ConfigMap\/ai\/board: .*selects vllm_num_requests_waiting: vLLM exports vllm:num_requests_waiting/),
    ]);
  });

  test('near misses: current names, a connector metric, an unlabeled non-JSON key, a release that still exports the gauge (info only)', () => {
    expect(found([board([panel('vllm:kv_cache_usage_perc', 'rate(vllm:kv_offload_bytes_total[5m])')]), server('vllm/vllm-openai:v0.13.0')])).toEqual([]);
    expect(found([board([panel('vllm:gpu_cache_usage_perc')], {}, 'serving.txt'), server('vllm/vllm-openai:v0.13.0')])).toEqual([]);
    expect(found([board([panel('vllm:gpu_cache_usage_perc')]), server('vllm/vllm-openai:v0.10.1')])).toEqual([
      expect.stringMatching(/^info ConfigMap\/ai\/board: .*vllm:gpu_cache_usage_perc, which the vLLM the tree pins exports/),
    ]);
  });
});

describe('vllm-metric-unknown reads the vLLM release a chart release states in its values', () => {
  const board: Doc = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'board', namespace: 'watch', labels: { grafana_dashboard: '1' } },
    data: { 'serving.json': JSON.stringify({ panels: [{ targets: [{ expr: 'avg(vllm:gpu_cache_usage_perc)' }] }] }) },
  };
  const application = (helm: Doc): Doc => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'engine', namespace: 'argocd' },
    spec: {
      project: 'default',
      source: { repoURL: 'https://charts.example.org/serving', chart: 'serving-stack', targetRevision: '1.0.0', helm },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'serving' },
    },
  });
  const engines = (repository: string, tag: string) => `engines:\n  - name: small\n    repository: ${repository}\n    tag: ${tag}\n`;

  test("a CPU release image pinned in an Application's values that still exports the gauge: an info naming it, no advice to read the newer name", () => {
    const findings = found([board, application({ values: engines('public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo', 'v0.7.3') })]);
    expect(findings).toEqual([
      expect.stringMatching(
        /^info ConfigMap\/watch\/board: .*vllm:gpu_cache_usage_perc, which the vLLM the tree pins exports: 0\.7\.3 \(public\.ecr\.aws\/q9t5s3a7\/vllm-cpu-release-repo:v0\.7\.3\).*once the servers move to such a release, which exports vllm:kv_cache_usage_perc instead$/,
      ),
    ]);
  });

  test('valuesObject and parameters are read; a release that hides the gauge, or latest, is a warning naming the image', () => {
    expect(found([board, application({ valuesObject: { image: { repository: 'vllm/vllm-openai', tag: 'v0.12.0' } } })])).toEqual([
      expect.stringMatching(/^warning ConfigMap\/watch\/board: .*the vLLM the tree pins is such a release: 0\.12\.0 \(vllm\/vllm-openai:v0\.12\.0\)/),
    ]);
    const parameters = [
      { name: 'engines[0].repository', value: 'vllm/vllm-openai' },
      { name: 'engines[0].tag', value: 'latest' },
    ];
    expect(found([board, application({ values: engines('vllm/vllm-openai', 'v0.6.4'), parameters })])).toEqual([
      expect.stringMatching(/^warning .*the vLLM the tree pins is such a release: \d+\.\d+\.\d+ or newer \(vllm\/vllm-openai:latest\)/),
    ]);
  });

  test("a Flux HelmRelease's values pin the release too; a vLLM image whose tag tells no release leaves an info", () => {
    const release = (tag: string): Doc => ({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'engine', namespace: 'serving' },
      spec: {
        chart: { spec: { chart: 'serving-stack', sourceRef: { kind: 'HelmRepository', name: 'charts' } } },
        values: { engine: { image: { repository: 'vllm/vllm-openai', tag } } },
      },
    });
    expect(found([board, release('v0.8.5')])).toEqual([expect.stringMatching(/^info .*which the vLLM the tree pins exports: 0\.8\.5/)]);
    expect(found([board, release('nightly-2024')])).toEqual([expect.stringMatching(/^info .*no release tag of vllm\/vllm-openai:nightly-2024 tells which/)]);
  });
});
