import { treeRuleFound } from '../util';

// Argo CD reads each helm.valueFiles entry relative to the source path (a leading / from the repository's root); a
// git files generator's {{path}} is the folder of the file it found, written from the repository's root.
const RULE = 'argocd-value-file-not-file';
const set = (valueFile: string) => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: tenants, namespace: argocd}
spec:
  generators:
    - git:
        repoURL: https://git.example.org/<your-org>/platform.git
        revision: HEAD
        files: [{path: tenants/*/values.yaml}]
  template:
    metadata: {name: "{{path.basename}}"}
    spec:
      project: default
      destination: {server: https://kubernetes.default.svc, namespace: "{{path.basename}}"}
      source:
        repoURL: https://git.example.org/<your-org>/platform.git
        targetRevision: HEAD
        path: charts/tenant
        helm:
          valueFiles: ["${valueFile}"]
`;
const tree = (valueFile: string, more: Record<string, string> = {}) => ({
  'apps/tenants.yaml': set(valueFile),
  'charts/tenant/Chart.yaml': 'apiVersion: v2\nname: tenant\nversion: 0.1.0\n',
  'charts/tenant/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.team }}\ndata: {}\n',
  'tenants/blue/values.yaml': 'team: blue\n',
  ...more,
});
const found = async (files: Record<string, string>) =>
  (await treeRuleFound(RULE, 'value-file-', files)).map((f) => [f.severity, f.object, f.message.replace(/\/\S*?\/(charts|tenants)\//g, 'ROOT/$1/')]);

test("a git files generator's {{path}} as a value file: the folder, from the root, not a file of the chart", async () => {
  expect(await found(tree('{{path}}'))).toEqual([
    [
      'error',
      'Application/argocd/blue',
      "spec.source.helm.valueFiles[0] 'tenants/blue', read from source path 'charts/tenant', does not exist there (ROOT/charts/tenant/tenants/blue); it names the folder ROOT/tenants/blue, a path from a folder above the chart, " +
        "as ApplicationSet/argocd/tenants fills its template from its generators' parameters (a git files generator's {{path}} is the folder of the file it found, from the repository's root: write {{path}}/<file> from the root, with a leading /): " +
        'the repo server fails to render the chart and the Application never syncs; name a values file',
    ],
  ]);
});

test('near misses: the file from the root with a leading /, a file of the chart folder', async () => {
  expect(await found(tree('/{{path}}/values.yaml'))).toEqual([]);
  expect(await found(tree('values-{{path.basename}}.yaml', { 'charts/tenant/values-blue.yaml': 'team: blue\n' }))).toEqual([]);
});
