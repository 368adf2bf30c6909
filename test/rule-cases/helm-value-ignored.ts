import { treeRuleFound } from '../util';

/** An Argo CD Application delivering deploy/chat with the given `helm:` settings. */
const app = (helm: string) =>
  [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata: {name: chat, namespace: argocd}',
    'spec:',
    '  project: default',
    '  source:',
    '    repoURL: https://git.example.com/team/models.git',
    '    path: deploy/chat',
    '    helm:',
    ...helm.split('\n').map((l) => `      ${l}`),
    '  destination: {server: https://kubernetes.default.svc, namespace: chat}',
    '  syncPolicy: {syncOptions: [CreateNamespace=true]}',
  ].join('\n');

const CONFIG = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: chat\ndata:\n';

/** A chart with one ConfigMap template (its data lines given), its defaults, and more files of its own. */
const chart = (data: string, values = 'replicaCount: 1\n', more: Record<string, string> = {}) => ({
  'deploy/chat/Chart.yaml': 'apiVersion: v2\nname: chat\nversion: 1.0.0\n',
  'deploy/chat/values.yaml': values,
  'deploy/chat/templates/config.yaml': `${CONFIG}${data}`,
  ...Object.fromEntries(Object.entries(more).map(([k, v]) => [`deploy/chat/${k}`, v])),
});

const found = (files: Record<string, string>) => treeRuleFound('helm-value-ignored', 'helm-ignored-', files);
const messages = async (files: Record<string, string>) =>
  (await found(files)).map((f) => `${f.severity} ${f.message.replace(/.*Helm renders as if they were not set: /, '')}`);

describe('helm-value-ignored', () => {
  test('a misspelt key and a key one level too deep: one warning naming both, with the path the chart reads', async () => {
    const data =
      '  replicas: {{ .Values.replicaCount | quote }}\n  {{- with .Values.engine }}\n  runtime: {{ .runtimeClassName | default "runc" }}\n  {{- end }}\n';
    const f = await found({
      'apps/chat.yaml': app('valuesObject: {replicaCont: 2, engine: {engine: {runtimeClassName: nvidia}}}'),
      ...chart(data, 'replicaCount: 1\nengine: {image: vllm}\n'),
    });
    expect(f).toEqual([
      {
        severity: 'warning',
        object: expect.stringMatching(/deploy\/chat$/),
        message:
          "rendered as Application/argocd/chat delivers it, it is given values that no template of the chart reads and that the chart's values.yaml does not define, so Helm renders as if they were not set: engine.engine.runtimeClassName (did you mean engine.runtimeClassName?), replicaCont (did you mean replicaCount?); move each to the path the chart reads (`helm show values` lists them), or remove it",
      },
    ]);
  });

  test('a values file of the delivery with a key the chart does not know, beside keys it reads', async () => {
    const files = {
      'apps/chat.yaml': app('valueFiles: [values-prod.yaml]'),
      ...chart('  n: {{ .Values.replicaCount | quote }}\n', undefined, { 'values-prod.yaml': 'replicaCount: 2\nmodle: granite\n' }),
    };
    expect(await messages(files)).toEqual(['warning modle; move each to the path the chart reads (`helm show values` lists them), or remove it']);
  });

  test('near miss: values read however a template reaches them (toYaml of a parent, index, a range, a dict through include, NOTES.txt)', async () => {
    const data = [
      '  extra: {{ toYaml .Values.extra | quote }}',
      '  flavor: {{ index .Values "flavor" "name" | quote }}',
      '  {{- range $k, $v := .Values.labels }}',
      '  {{ $k }}: {{ $v | quote }}',
      '  {{- end }}',
      '  {{- include "chat.env" (dict "env" .Values.env) }}',
      '',
    ].join('\n');
    const helpers = '{{- define "chat.env" }}\n  level: {{ .env.LOG_LEVEL | quote }}\n{{- end }}\n';
    const notes = 'Open {{ .Values.notes.url }}\n';
    const values =
      'valuesObject: {extra: {a: {b: 1}}, flavor: {name: gpu}, labels: {team: a}, env: {LOG_LEVEL: debug}, notes: {url: "https://chat.example.com"}}';
    expect(
      await found({ 'apps/chat.yaml': app(values), ...chart(data, undefined, { 'templates/_helpers.tpl': helpers, 'templates/NOTES.txt': notes }) }),
    ).toEqual([]);
  });

  test("near miss: values Helm or another chart reads (global, a disabled subchart's, a dependency's condition)", async () => {
    const files = {
      'apps/chat.yaml': app('valuesObject: {global: {registry: r.example.com}, cache: {enabled: false, size: 10Gi}}'),
      ...chart('  n: "1"\n', undefined, {
        'Chart.yaml': 'apiVersion: v2\nname: chat\nversion: 1.0.0\ndependencies:\n  - {name: cache, version: 1.0.0, condition: cache.enabled}\n',
        'charts/cache/Chart.yaml': 'apiVersion: v2\nname: cache\nversion: 1.0.0\n',
        'charts/cache/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cache}\ndata: {size: {{ .Values.size | quote }}}\n',
      }),
    };
    expect(await found(files)).toEqual([]);
  });

  test('near miss: keys the chart defines (a free-form map default, a value read only when a flag is on)', async () => {
    const data = '  {{- if .Values.ingress.enabled }}\n  host: {{ .Values.ingress.host }}\n  {{- end }}\n';
    const files = {
      'apps/chat.yaml': app('valuesObject: {podAnnotations: {team: a}, ingress: {host: chat.example.com}}'),
      ...chart(data, 'podAnnotations: {}\ningress: {enabled: false, host: ""}\n'),
    };
    expect(await found(files)).toEqual([]);
  });

  test("near miss: a values file the chart reads nothing of, shared with other charts' deliveries (a cluster's common values)", async () => {
    const files = {
      'apps/chat.yaml': app('valueFiles: [../../clusters/prod/common.yaml, values-prod.yaml]'),
      'clusters/prod/common.yaml': 'cluster: {name: prod, domain: example.com}\nregion: eu-west-1\n',
      ...chart('  n: {{ .Values.replicaCount | quote }}\n', undefined, { 'values-prod.yaml': 'replicaCount: 2\n' }),
    };
    expect(await found(files)).toEqual([]);
  });

  test('near miss: a chart checked alone, with no delivery, is rendered with its own defaults only', async () => {
    expect(await found(chart('  n: {{ .Values.replicaCount | quote }}\n', 'replicaCount: 1\nunused: 3\n'))).toEqual([]);
  });
});
