import * as path from 'path';
import { renderChart } from '../../lib/helm/chart-render';
import { treeRuleFound, writeTree } from '../util';

/** An umbrella chart `assistant` with the dependency `chat-ui` vendored in charts/, its own template given. */
const umbrella = (values: string, template = '', dependency = 'name: chat-ui\n    version: 1.2.0\n    repository: https://charts.example.org') => ({
  'assistant/Chart.yaml': `apiVersion: v2\nname: assistant\nversion: 0.1.0\ndependencies:\n  - ${dependency}\n`,
  'assistant/values.yaml': values,
  ...(template ? { 'assistant/templates/route.yaml': template } : {}),
  'assistant/charts/chat-ui/Chart.yaml': 'apiVersion: v2\nname: chat-ui\nversion: 1.2.0\n',
  'assistant/charts/chat-ui/values.yaml':
    'replicaCount: 1\nbackend:\n  enabled: true\n  image: registry.example.org/llm-backend:0.9\nexports:\n  ui: {port: 8080}\n',
  'assistant/charts/chat-ui/templates/deploy.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: chat-ui}\nspec:\n  replicas: {{ .Values.replicaCount }}\n  selector: {matchLabels: {app: chat-ui}}\n  template:\n    metadata: {labels: {app: chat-ui}}\n    spec:\n      containers: [{name: ui, image: registry.example.org/chat-ui:1.2.0}]\n' +
    '{{- if .Values.backend.enabled }}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: backend}\nspec:\n  selector: {matchLabels: {app: backend}}\n  template:\n    metadata: {labels: {app: backend}}\n    spec:\n      containers: [{name: b, image: "{{ .Values.backend.image }}"}]\n{{- end }}\n',
});

const found = (files: Record<string, string>, args: string[] = []) =>
  treeRuleFound('helm-values-not-passed', 'values-not-passed-', files, args).then((f) => f.map((x) => [x.severity, x.message]));

const ROUTE =
  'apiVersion: v1\nkind: Service\nmetadata: {name: assistant}\nspec:\n  selector: {app: chat-ui}\n  ports: [{port: {{ .Values.port | default 80 }}, targetPort: 8080}]\n';

describe('helm-values-not-passed', () => {
  test("an `enabled` switch at the umbrella's top, against the subchart's default: an error naming the key, the subchart and the fix", async () => {
    expect(await found(umbrella('backend:\n  enabled: false\n', ROUTE))).toEqual([
      [
        'error',
        "rendered checked as `helm template` renders it, the chart's values.yaml sets `backend` at the top, which no template of the chart reads, while its subchart chat-ui has `backend` at the top of its values.yaml: Helm hands a subchart only the values under its name (and global), so chat-ui renders with its own default instead of `backend.enabled: false`, making or leaving out the objects that switch governs; move it under `chat-ui:`",
      ],
    ]);
  });

  test('another key, or a switch equal to the default: a warning', async () => {
    expect(await found(umbrella('replicaCount: 3\nbackend: {enabled: true}\n', ROUTE))).toEqual([
      [
        'warning',
        expect.stringContaining('sets `replicaCount` at the top, which no template of the chart reads, while its subchart chat-ui has `replicaCount`'),
      ],
      ['warning', expect.stringContaining('sets `backend` at the top, which no template of the chart reads, while its subchart chat-ui has `backend`')],
    ]);
  });

  test('a value the delivery gives at the top: named with the delivery', async () => {
    const app =
      'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: assistant, namespace: argocd}\nspec:\n  project: default\n  source:\n    repoURL: https://git.example.com/team/llm.git\n    path: charts/assistant\n    helm:\n      valuesObject: {replicaCount: 2}\n  destination: {server: https://kubernetes.default.svc, namespace: assistant}\n';
    const files = Object.fromEntries(Object.entries(umbrella('chat-ui: {}\n', ROUTE)).map(([k, v]) => [`charts/${k}`, v]));
    const f = await found({ ...files, 'apps/assistant.yaml': app });
    expect(f).toEqual([
      [
        'warning',
        'rendered as Application/argocd/assistant delivers it, the values Application/argocd/assistant gives set `replicaCount` at the top, which no template of the chart reads, while its subchart chat-ui has `replicaCount` at the top of its values.yaml: Helm hands a subchart only the values under its name (and global), so chat-ui renders with its own default for it; move it under `chat-ui:`',
      ],
    ]);
  });

  test('near miss: the key under the dependency or its alias, read by the parent, global, a condition key', async () => {
    expect(await found(umbrella('chat-ui:\n  backend: {enabled: false}\nglobal: {replicaCount: 2}\n', ROUTE))).toEqual([]);
    expect(await found(umbrella('port: 8080\n', ROUTE.replace('.Values.port', '.Values.replicaCount')))).toEqual([]);
    expect(await found(umbrella('replicaCount: 2\n', ROUTE.replace('.Values.port', '.Values.replicaCount')))).toEqual([]);
    const aliased = 'name: chat-ui\n    alias: ui\n    version: 1.2.0\n    repository: https://charts.example.org';
    expect(await found(umbrella('ui:\n  backend: {enabled: false}\n', ROUTE, aliased))).toEqual([]);
    const conditioned = 'name: chat-ui\n    version: 1.2.0\n    condition: backend.enabled\n    repository: https://charts.example.org';
    expect(await found(umbrella('backend:\n  enabled: true\n', ROUTE, conditioned))).toEqual([]);
  });

  test('import-values: the exports table, and a child/parent table, imported into the parent; its own values win', () => {
    const imported = (entry: string) => `name: chat-ui\n    version: 1.2.0\n    repository: https://charts.example.org\n    import-values: ${entry}`;
    const template = ROUTE.replace('{{ .Values.port | default 80 }}', '{{ .Values.port }}');
    const port = (values: string, entry: string) => {
      const r = renderChart({
        chartDir: path.join(writeTree('values-not-passed-import-', umbrella(values, template, imported(entry))), 'assistant'),
        releaseName: 'r',
        namespace: 'n',
        values: {},
        capabilities: { clusterUnknown: false },
        includeCrds: false,
      });
      if (!r.ok) return r.reason;
      return r.objects.flatMap((o) => ((o.manifest as { kind?: string }).kind === 'Service' ? [JSON.stringify((o.manifest as any).spec.ports[0].port)] : []));
    };
    expect(port('chat-ui: {}\n', '[ui]')).toEqual(['8080']);
    expect(port('chat-ui: {}\n', '[{child: exports.ui, parent: .}]')).toEqual(['8080']);
    expect(port('port: 9090\n', '[ui]')).toEqual(['9090']);
  });
});
