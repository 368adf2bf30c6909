import { runChecks } from '../../lib';
import { configTextError } from '../../lib/check/config-file-text';
import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('config-file-invalid', docs);

const configMap = (data: Record<string, string>, name = 'settings'): Doc => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'obs' },
  data,
});

/** A Deployment whose container runs the image and mounts ConfigMap `settings` with the volume and mount given. */
const reader = (image: string, volume: Doc = {}, mount: Doc = {}): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'reader', namespace: 'obs' },
  spec: {
    selector: { matchLabels: { app: 'reader' } },
    template: {
      metadata: { labels: { app: 'reader' } },
      spec: {
        containers: [{ name: 'main', image, volumeMounts: [{ name: 'cfg', mountPath: '/etc/app', ...mount }] }],
        volumes: [{ name: 'cfg', configMap: { name: 'settings', ...volume } }],
      },
    },
  },
});

// the second rule indented under the first: go-yaml's "did not find expected key"
const NESTED_RULE = [
  'rules:',
  "- seriesQuery: 'a_total'",
  "  metricsQuery: 'sum(<<.Series>>)'",
  "  - seriesQuery: 'b_total'",
  "    metricsQuery: 'sum(b)'",
  '',
].join('\n');
const ALERTS = (description: string) =>
  [
    'groups:',
    '- name: serving',
    '  rules:',
    '  - alert: QueueLong',
    '    expr: vllm:num_requests_waiting > 10',
    '    annotations:',
    `      description: ${description}`,
    '',
  ].join('\n');

describe('configTextError', () => {
  test('the line within the key, its text, and the format by the extension', () => {
    expect(configTextError('config.yaml', NESTED_RULE)).toMatchObject({ format: 'YAML', line: 4, text: "- seriesQuery: 'b_total'", templated: false });
    expect(configTextError('dashboard.json', '{\n  "panels": [],\n}\n')).toMatchObject({ format: 'JSON', line: 3, templated: false });
    expect(configTextError('settings.yml', 'a:\n  b: 1\n c: 2\n')).toMatchObject({ line: 3 });
  });

  test('a blank or comment line the parser points at moves to the next line holding content', () => {
    const text = ['rules:', "- seriesQuery: 'a'", '  # the next rule', "  - seriesQuery: 'b'", ''].join('\n');
    expect(configTextError('config.yaml', text)).toMatchObject({ line: 4, text: "- seriesQuery: 'b'" });
  });

  test('not judged: other names, empty text, later documents, go-yaml leniency, Python JSON, a .json key that is not JSON', () => {
    expect(configTextError('config', NESTED_RULE)).toBeUndefined();
    expect(configTextError('config.yaml', '  \n')).toBeUndefined();
    // go-yaml reads the first document of a file and stops
    expect(configTextError('config.yaml', 'a: 1\n---\nb: [\n')).toBeUndefined();
    // a flow sequence continued at its key's indentation: go-yaml reads it
    expect(configTextError('config.yaml', 'args: ["--a",\n"--b"]\n')).toBeUndefined();
    expect(configTextError('model.json', '{"score": NaN, "limit": Infinity}')).toBeUndefined();
    expect(configTextError('weird.json', 'a: [1, 2\n')).toBeUndefined();
  });

  test("a failure that is a template's own is told apart", () => {
    expect(configTextError('rules.yml', ALERTS('{{ $value }} requests are waiting'))).toMatchObject({ templated: true });
    expect(configTextError('rules.yml', ALERTS('"{{ $value }} requests are waiting"'))).toBeUndefined();
    const helm = ['{{- if .Values.enabled }}', 'rules:', '- name: a', '{{- end }}', ''].join('\n');
    expect(configTextError('values.yaml', helm)).toMatchObject({ templated: true });
  });
});

describe('config-file-invalid', () => {
  test('a mounted prometheus-adapter config that does not parse: an error with the line, the mount and the exit at start', () => {
    expect(found([configMap({ 'config.yaml': NESTED_RULE }), reader('registry.k8s.io/prometheus-adapter/prometheus-adapter:v0.12.0')])).toEqual([
      expect.stringMatching(
        /^error ConfigMap\/obs\/settings: data key 'config\.yaml' is not valid YAML: .*, at line 4 of the key \(`- seriesQuery: 'b_total'`\); container 'main' of Deployment\/obs\/reader reads it as \/etc\/app\/config\.yaml: prometheus-adapter exits at start/,
      ),
    ]);
  });

  test('mounted only by a Deployment delivered with replicas: 0 that nothing scales: a latent warning naming it; an Argo Rollout that runs its template keeps the error', () => {
    const idle = reader('registry.k8s.io/prometheus-adapter/prometheus-adapter:v0.12.0');
    idle.spec.replicas = 0;
    expect(found([configMap({ 'config.yaml': NESTED_RULE }), idle])).toEqual([
      expect.stringMatching(
        /^warning ConfigMap\/obs\/settings: data key 'config\.yaml' .* \(latent: Deployment\/obs\/reader, whose pods fail, is delivered with replicas: 0 and no HorizontalPodAutoscaler or KEDA ScaledObject or HTTPScaledObject of the tree scales it, so no pod runs until it is scaled up\)$/,
      ),
    ]);
    const rollout = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'reader', namespace: 'obs' },
      spec: { workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'reader' }, strategy: { canary: {} } },
    };
    expect(found([configMap({ 'config.yaml': NESTED_RULE }), idle, rollout])).toEqual([expect.stringMatching(/^error ConfigMap\/obs\/settings: /)]);
  });

  test('no container of the tree mounts it: a warning', () => {
    expect(found([configMap({ 'config.yaml': NESTED_RULE })])).toEqual([expect.stringMatching(/^warning .*no container of the tree mounts the key/)]);
    // items that list another key leave this one out of the volume
    const other = reader('quay.io/prometheus/prometheus:v2.53.0', { items: [{ key: 'other.yaml', path: 'other.yaml' }] });
    expect(found([configMap({ 'config.yaml': NESTED_RULE, 'other.yaml': 'a: 1\n' }), other])).toEqual([expect.stringMatching(/^warning /)]);
    // a pod of another namespace mounts a ConfigMap of its own namespace
    const elsewhere = { ...reader('quay.io/prometheus/prometheus:v2.53.0'), metadata: { name: 'reader', namespace: 'apps' } };
    expect(found([configMap({ 'config.yaml': NESTED_RULE }), elsewhere])).toEqual([expect.stringMatching(/^warning /)]);
  });

  test('items and subPath are followed to the file the container sees', () => {
    const items = reader('quay.io/prometheus/prometheus:v2.53.0', { items: [{ key: 'config.yaml', path: 'prometheus.yml' }] });
    expect(found([configMap({ 'config.yaml': NESTED_RULE }), items])).toEqual([
      expect.stringMatching(/reads it as \/etc\/app\/prometheus\.yml: Prometheus exits at start/),
    ]);
    const sub = reader('quay.io/prometheus/alertmanager:v0.27.0', {}, { mountPath: '/etc/alertmanager/alertmanager.yml', subPath: 'config.yaml' });
    expect(found([configMap({ 'config.yaml': NESTED_RULE }), sub])).toEqual([
      expect.stringMatching(/reads it as \/etc\/alertmanager\/alertmanager\.yml: Alertmanager exits at start/),
    ]);
  });

  test('a JSON dashboard with a trailing comma mounted by another program: an error naming what such readers do', () => {
    expect(found([configMap({ 'serving.json': '{\n  "title": "Serving",\n  "panels": [],\n}\n' }), reader('docker.io/grafana/grafana:11.2.0')])).toEqual([
      expect.stringMatching(/^error .*data key 'serving\.json' is not valid JSON: .*at line 4 of the key .*the program that reads that file cannot load it/),
    ]);
  });

  test('an unquoted {{ }} fails Prometheus, which parses its rule file as written, but not a reader that may render it first', () => {
    const rules = configMap({ 'serving.rules.yml': ALERTS('{{ $value }} requests are waiting') });
    expect(found([rules, reader('quay.io/prometheus/prometheus:v2.53.0')])).toEqual([expect.stringMatching(/^error .*Prometheus exits at start/)]);
    expect(found([rules, reader('registry.example.com/tools/renderer:1.0')])).toEqual([]);
    expect(found([rules])).toEqual([]);
  });

  test("a ConfigMap of a file the tree renders first (a chart's template) is not judged where the key holds the renderer's text", () => {
    const helm = configMap({ 'values.yaml': ['{{- if .Values.enabled }}', 'rules:', '  - a', ' - b', '{{- end }}', ''].join('\n') });
    const findings = (template?: string) =>
      runChecks([{ manifest: helm, ...(template ? { template } : {}) }, { manifest: reader('quay.io/prometheus/prometheus:v2.53.0') }], {
        platform: 'kserve',
      }).filter((f) => f.rule === 'config-file-invalid');
    expect(findings()).toHaveLength(1);
    expect(findings('a Helm chart template')).toEqual([]);
  });

  test('near misses: keys that parse, and adapter templates inside strings', () => {
    const adapter = ['rules:', "- seriesQuery: 'a_total'", "  metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)'", ''].join('\n');
    expect(
      found([configMap({ 'config.yaml': adapter, 'dash.json': '{"panels": []}', notes: 'a: [' }), reader('quay.io/prometheus/prometheus:v2.53.0')]),
    ).toEqual([]);
  });
});
