import { ruleFindings } from '../util';

/**
 * Cases after kubernetes-sigs/prometheus-adapter pkg/naming metric_namer.go: name.matches is a series filter (a series
 * whose name it does not match is dropped), name.as renames a kept series (default $1 with one group, else $0).
 */
type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('adapter-rule-name-mismatch', docs);
const configMap = (rules: string): Doc => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'adapter-config', namespace: 'metrics' },
  data: { 'config.yaml': rules },
});
const rule = (seriesQuery: string, name: string) =>
  `  - seriesQuery: '${seriesQuery}'\n    resources: {overrides: {namespace: {resource: namespace}, pod: {resource: pod}}}\n    name: ${name}\n    metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)'\n`;
const hpa = (type: 'Pods' | 'External', metric: string): Doc => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'worker', namespace: 'jobs' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'worker' },
    maxReplicas: 5,
    metrics: [
      type === 'Pods'
        ? { type, pods: { metric: { name: metric }, target: { type: 'AverageValue', averageValue: '5' } } }
        : { type, external: { metric: { name: metric }, target: { type: 'Value', value: '5' } } },
    ],
  },
});
const release = (values: Doc): Doc => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'prometheus-adapter', namespace: 'metrics' },
  spec: { chart: { spec: { chart: 'prometheus-adapter', sourceRef: { kind: 'HelmRepository', name: 'prometheus-community' } } }, values },
});

describe('adapter-rule-name-mismatch', () => {
  test('name.matches and name.as swapped on a __name__=~ series: an error naming the rule, the series and the swap', () => {
    expect(found([configMap(`rules:\n${rule('{__name__=~"^JOB_QUEUE_LENGTH$",pod!=""}', '{matches: queue_length, as: JOB_QUEUE_LENGTH}')}`)])).toEqual([
      "error ConfigMap/metrics/adapter-config: data.config.yaml rules[0]: name.matches 'queue_length' matches no series the seriesQuery selects ('JOB_QUEUE_LENGTH'); prometheus-adapter keeps only the series whose name matches it, so the rule serves no metric and 'JOB_QUEUE_LENGTH' (name.as) is never served; name.matches and name.as look swapped: write matches: '^JOB_QUEUE_LENGTH$' and as: 'queue_length'",
    ]);
  });

  test('a bare series name and an alternation that the pattern misses: an error asking for a pattern of the series name', () => {
    expect(found([configMap(`rules:\n${rule('jobs_waiting_total{pod!=""}', '{matches: "^(.*)_seconds_total$", as: "${1}_per_second"}')}`)])).toEqual([
      "error ConfigMap/metrics/adapter-config: data.config.yaml rules[0]: name.matches '^(.*)_seconds_total$' matches no series the seriesQuery selects ('jobs_waiting_total'); prometheus-adapter keeps only the series whose name matches it, so the rule serves no metric and '${1}_per_second' (name.as) is never served; write name.matches as a pattern of the series name ('jobs_waiting_total') and the name to serve in name.as",
    ]);
    expect(found([configMap(`externalRules:\n${rule('{__name__=~"jobs_a|jobs_b"}', '{matches: "^queue_(.*)$"}')}`)])).toEqual([
      expect.stringMatching(
        /^error ConfigMap\/metrics\/adapter-config: data\.config\.yaml externalRules\[0\]: name\.matches '\^queue_\(\.\*\)\$' matches no series the seriesQuery selects \('jobs_a', 'jobs_b'\)/,
      ),
    ]);
  });

  test("a prometheus-adapter HelmRelease's rules.custom is judged the same way", () => {
    const custom = [{ seriesQuery: '{__name__="tokens_in_flight"}', name: { matches: 'inflight', as: 'tokens_in_flight' }, metricsQuery: 'x' }];
    expect(found([release({ rules: { default: false, custom } })])).toEqual([
      expect.stringMatching(/^error HelmRelease\/metrics\/prometheus-adapter: spec\.values rules\.custom\[0\]: name\.matches 'inflight' matches no series/),
    ]);
  });

  test('near misses: a pattern that matches the series, no name.matches (.*), a regex selecting names the check cannot list', () => {
    expect(found([configMap(`rules:\n${rule('{__name__=~"^JOB_QUEUE_LENGTH$"}', '{matches: "^JOB_QUEUE_LENGTH$", as: queue_length}')}`)])).toEqual([]);
    expect(found([configMap(`rules:\n${rule('{__name__=~"^JOB_QUEUE_LENGTH$"}', '{as: queue_length}')}`)])).toEqual([]);
    expect(found([configMap(`rules:\n${rule('{__name__=~"^jobs_.*_total$"}', '{matches: "^queue_(.*)_total$"}')}`)])).toEqual([]);
    // name.matches is unanchored: it may match inside the series name (Go regexp MatchString)
    expect(found([configMap(`rules:\n${rule('jobs_waiting_total{pod!=""}', '{matches: "waiting", as: jobs_waiting}')}`)])).toEqual([]);
  });

  test('an HPA metric no rule of the tree serves: an error; served, renamed by a group, or an API the tree has no rules of: none', () => {
    const rules = configMap(`rules:\n${rule('jobs_waiting_total{pod!=""}', '{matches: "^(.*)_total$", as: "${1}_now"}')}`);
    expect(found([rules, hpa('Pods', 'jobs_waiting_total')])).toEqual([
      "error HorizontalPodAutoscaler/jobs/worker: spec.metrics[0]: Pods metric 'jobs_waiting_total' is served by no prometheus-adapter rule of the tree for custom.metrics.k8s.io (the adapter config rules): the HPA cannot read it (FailedGetPodsMetric) and never scales on it; name a metric a rule serves (its name.as, else the series name name.matches keeps), or add a rule that serves 'jobs_waiting_total'",
    ]);
    expect(found([rules, hpa('Pods', 'jobs_waiting_now')])).toEqual([]);
    // External metrics: KEDA or another adapter may serve that API
    expect(found([rules, hpa('External', 'jobs_waiting_total')])).toEqual([]);
    // no adapter config in the tree
    expect(found([hpa('Pods', 'jobs_waiting_total')])).toEqual([]);
  });

  test("near miss: a chart release that keeps the chart's default rules serves names of its own: the HPA is not judged", () => {
    const custom = [{ seriesQuery: 'jobs_waiting_total{pod!=""}', name: { matches: '^(.*)_total$', as: '${1}_now' }, metricsQuery: 'x' }];
    expect(found([release({ rules: { custom } }), hpa('Pods', 'container_cpu_usage')])).toEqual([]);
    expect(found([release({ rules: { default: false, custom } }), hpa('Pods', 'container_cpu_usage')])).toEqual([
      expect.stringMatching(/Pods metric 'container_cpu_usage' is served by no/),
    ]);
  });

  test('one finding per cause: the HPA reading the name of a rule that keeps no series is left to the rule', () => {
    const broken = configMap(`rules:\n${rule('{__name__=~"^JOB_QUEUE_LENGTH$"}', '{matches: queue_length, as: JOB_QUEUE_LENGTH}')}`);
    expect(found([broken, hpa('Pods', 'queue_length')])).toEqual([expect.stringMatching(/^error ConfigMap\/metrics\/adapter-config: /)]);
  });
});
