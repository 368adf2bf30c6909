import { treeRuleFound } from '../util';

// After argo-cd reposerver/repository/repository_test.go TestFindManifests: "partially valid YAML file throws an error"
// (an object, then a document without a kind), "irrelevant YAML gets skipped" (a mapping that is no object, in a file
// without the words of one), and the skip-file-rendering marker; the trees are written here to show the same patterns.
const RULE = 'argocd-yaml-not-manifest';
const APP = (source: string) =>
  'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: serving, namespace: openshift-gitops}\nspec:\n  project: default\n' +
  '  destination: {server: https://kubernetes.default.svc, namespace: ai}\n  source:\n    repoURL: https://git.example.org/team/llm.git\n' +
  `    targetRevision: main\n${source.replace(/^/gm, '    ')}\n`;
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: vllm-config, namespace: ai}\ndata: {MAX_MODEL_LEN: "8192"}\n';
/** Helm values whose extraObjects hold a manifest: no object, but the words apiVersion:, kind: and metadata:. */
const VALUES = 'replicaCount: 1\nextraObjects:\n  - apiVersion: v1\n    kind: Secret\n    metadata: {name: hf-token}\n';
const tree = (source: string, more: Record<string, string> = {}) => ({ 'apps/serving.yaml': APP(source), 'serving/config.yaml': CM, ...more });
const found = async (files: Record<string, string>) => (await treeRuleFound(RULE, 'yaml-not-manifest-', files)).map((f) => [f.severity, f.object, f.message]);

test('a Helm values file holding manifests in its values, in a folder synced as a directory: an error naming the file, why, and the fix', async () => {
  expect(await found(tree('path: serving', { 'serving/values.yaml': VALUES }))).toEqual([
    [
      'error',
      'Application/openshift-gitops/serving',
      "directory source 'serving' (directory.recurse false) reads a YAML file that Argo CD cannot decode as manifests: values.yaml: document 1 (line 1) is no object " +
        'with a kind, and the file holds the words apiVersion:, kind: and metadata:; its repo server fails to generate the manifests (Failed to unmarshal "values.yaml") ' +
        "and the Application never syncs (ComparisonError): leave it out with directory.exclude: 'values.yaml', move it out of the synced folder, or write " +
        '# +argocd:skip-file-rendering in it (on a release that honours the marker); a Helm values file is read by a Helm source (helm.valueFiles), not a directory one',
    ],
  ]);
});

test('an object, then a document without a kind (partially valid YAML): refused whatever words the file holds', async () => {
  const out = await found(tree('path: serving', { 'serving/settings.yaml': `${CM}---\nsettings:\n  debug: true\n` }));
  expect(out.map((f) => f[2])).toEqual([
    expect.stringContaining('settings.yaml: document 2 (line 6) is no object with a kind, after the object of document 1;'),
  ]);
  // a list without a kind after an object is refused too (an unstructured object needs a kind)
  const list = await found(tree('path: serving', { 'serving/list.yaml': `${CM}---\napiVersion: v1\nitems: []\n` }));
  expect(list.map((f) => f[2])).toEqual([expect.stringContaining('list.yaml: document 2 (line 6) is no object with a kind, after the object of document 1;')]);
});

test('recurse reaches a subfolder: the files are named from the source path, in the order Argo CD reads them, with one exclude for all', async () => {
  const out = await found(
    tree("path: serving\ndirectory: {recurse: true, exclude: 'notes/*'}", { 'serving/values.yaml': VALUES, 'serving/granite/values-prod.yaml': VALUES }),
  );
  expect(out.map((f) => f[2])).toEqual([
    expect.stringContaining(
      'reads 2 YAML files that Argo CD cannot decode as manifests: granite/values-prod.yaml: document 1 (line 1) is no object with a kind, and the file holds',
    ),
  ]);
  expect(out[0][2]).toContain('(Failed to unmarshal "values-prod.yaml")');
  expect(out[0][2]).toContain("leave them out with directory.exclude: '{notes/*,granite/values-prod.yaml,values.yaml}'");
});

test.each([
  [
    'a values file without the words of a manifest (Argo CD ignores it)',
    'path: serving',
    { 'serving/values.yaml': 'some: [irrelevant, yaml]\nreplicaCount: 1\n' },
  ],
  ['the file left out by directory.exclude', "path: serving\ndirectory: {exclude: 'values.yaml'}", { 'serving/values.yaml': VALUES }],
  ['the file outside directory.include', "path: serving\ndirectory: {include: 'config.yaml'}", { 'serving/values.yaml': VALUES }],
  ['the file in a subfolder without recurse', 'path: serving', { 'serving/chart-values/values.yaml': VALUES }],
  ['the file marked +argocd:skip-file-rendering', 'path: serving', { 'serving/values.yaml': `# +argocd:skip-file-rendering\n${VALUES}` }],
  [
    'the folder a kustomization (a kustomize source)',
    'path: serving',
    { 'serving/values.yaml': VALUES, 'serving/kustomization.yaml': 'resources: [config.yaml]\n' },
  ],
  [
    'the folder a Helm chart (a Helm source)',
    'path: serving',
    { 'serving/values.yaml': VALUES, 'serving/Chart.yaml': 'apiVersion: v2\nname: serving\nversion: 0.1.0\n', 'serving/templates/cm.yaml': CM },
  ],
  [
    'a document with a kind and no apiVersion after an object (argocd-directory-file-invalid)',
    'path: serving',
    { 'serving/two.yaml': `${CM}---\nkind: ConfigMap\nmetadata: {name: b}\n` },
  ],
])('silent on %s', async (_, source, more) => {
  expect(await found(tree(source, more))).toEqual([]);
});
