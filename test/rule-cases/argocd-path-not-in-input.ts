import { cliInProcess, writeTree } from '../util';

// a checked folder in a git work tree that is a fork or copy of the Applications' repository (no remote names it, yet it
// holds the repository's other paths): a path missing from the copy is likely missing from the repository (argo-cd
// reposerver GenerateManifests resolves the path in a checkout of repoURL: "app path does not exist")
const SET = (paths: string[], repoURL = 'https://example.com/upstream/platform.git') =>
  'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: operators, namespace: openshift-gitops}\nspec:\n' +
  `  generators:\n  - list:\n      elements:\n${paths.map((p) => `      - {name: ${p.split('/')[1]}, path: ${p}}`).join('\n')}\n` +
  "  template:\n    metadata: {name: '{{name}}'}\n    spec:\n      project: default\n" +
  `      source: {repoURL: ${repoURL}, targetRevision: main, path: '{{path}}'}\n` +
  '      destination: {server: https://kubernetes.default.svc, namespace: openshift-gitops}\n';
const FOLDER = (name: string) => ({
  [`operators/${name}/kustomization.yaml`]: 'resources: [ns.yaml]\n',
  [`operators/${name}/ns.yaml`]: `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}}\n`,
});

const found = async (files: Record<string, string>) => {
  const repo = writeTree('copy-paths-', {
    '.git/HEAD': 'ref: refs/heads/main\n',
    '.git/config': '[remote "origin"]\n\turl = https://example.com/fork/platform.git\n',
    ...files,
  });
  const report = JSON.parse((await cliInProcess(['check', `${repo}/bootstrap`, '--platform', 'rhoai-3.0', '--json'])).out);
  return report.findings
    .filter((f: { rule: string }) => f.rule === 'argocd-path-not-in-input' || f.rule === 'argocd-path-missing')
    .map((f: { rule: string; severity: string; object: string; message: string }) => [f.rule, f.severity, f.object, f.message]);
};

describe('argocd-path-not-in-input: a work tree that is a fork or copy of the repository', () => {
  const paths = ['operators/gpu', 'operators/nfd', 'operators/vector-db'];

  test('a list element whose folder the copy lacks, beside its siblings: a warning naming the copy and the siblings', async () => {
    expect(await found({ 'bootstrap/operators.yaml': SET(paths), ...FOLDER('gpu'), ...FOLDER('nfd') })).toEqual([
      [
        'argocd-path-not-in-input',
        'warning',
        'Application/openshift-gitops/vector-db',
        expect.stringMatching(
          /^source path 'operators\/vector-db' is not in the checked input \(the git work tree around the checked folder \(remote https:\/\/example\.com\/fork\/platform\.git\) is no clone of https:\/\/example\.com\/upstream\/platform\.git but holds its other paths \('operators\/gpu', 'operators\/nfd'\): a fork or copy of it; the folder is missing from that copy, so it is likely missing from the repository as well\): if the repository has no such folder, Argo CD reports "app path does not exist"/,
        ),
      ],
    ]);
  });

  test.each([
    ['every folder there', { ...FOLDER('gpu'), ...FOLDER('nfd'), ...FOLDER('vector-db') }],
    ['one sibling only (no sign the tree mirrors the repository)', { ...FOLDER('gpu') }],
  ])('near miss: %s', async (_, folders) => {
    expect(await found({ 'bootstrap/operators.yaml': SET(paths), ...folders })).toEqual([]);
  });

  test('near miss: a clone of the repository itself (its remote is the repoURL) is no copy', async () => {
    const found2 = await found({ 'bootstrap/operators.yaml': SET(paths, 'https://example.com/fork/platform.git'), ...FOLDER('gpu'), ...FOLDER('nfd') });
    expect(found2.filter((f: string[]) => f[0] === 'argocd-path-not-in-input')).toEqual([]);
  });
});
