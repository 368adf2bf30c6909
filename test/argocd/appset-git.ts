import { treeGeneratedApplications } from '../../lib/check/appset-git';
import { directoryParams, filterApps, sanitizeName } from '../../lib/check/argocd/git-directories';
import { GraphObject } from '../../lib/check/graph-object';
import { ObjectGraph } from '../../lib/check/graph';
import { readManifests } from '../../lib/manifests/read-manifests';
import { writeTree } from '../setup/kustomize-build';

const REPO = 'https://github.com/example-org/llm-gitops.git';
const CONFIGMAP = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: ai}\ndata: {a: b}\n`;

/** An ApplicationSet with one git directory generator; `directories` and `template` are YAML, indented by the caller's lines. */
const SET = (directories: string, template: string, extra = '', repoURL = REPO) =>
  `apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: apps, namespace: openshift-gitops}\nspec:\n${extra}  generators:\n  - git:\n      repoURL: ${repoURL}\n      revision: main\n      directories:\n${directories.replace(/^/gm, '      ')}\n  template:\n${template.replace(/^/gm, '    ')}\n`;
const TEMPLATE = (name: string, sourcePath: string) =>
  `metadata: {name: '${name}'}\nspec:\n  project: default\n  destination: {server: https://kubernetes.default.svc, namespace: ai}\n  source: {repoURL: ${REPO}, targetRevision: main, path: '${sourcePath}'}`;

/** [name, source path] of each Application the ApplicationSets of a tree's graph generate from git directories. */
function generated(dir: string): string[][] {
  const { manifests, folders, checkouts } = readManifests([dir]);
  const graph = new ObjectGraph(manifests as readonly GraphObject[], { folders, checkouts });
  return treeGeneratedApplications(graph).map((a) => [a.manifest.metadata.name, a.manifest.spec.source.path]);
}

describe('filterApps (cases of argo-cd applicationset/generators/git_test.go TestGitGenerateParamsFromDirectories)', () => {
  test("`*` matches one folder level: 'happy flow' leaves p1/app4 out", () => {
    expect(filterApps([{ path: '*', exclude: false }], ['app1', 'app2', 'app_3', 'p1/app4'])).toEqual(['app1', 'app2', 'app_3']);
  });

  test('It filters application according to the paths', () => {
    const dirs = [
      { path: 'p1/*', exclude: false },
      { path: 'p1/*/*', exclude: false },
    ];
    expect(filterApps(dirs, ['app1', 'p1/app2', 'p1/p2/app3', 'p1/p2/p3/app4'])).toEqual(['p1/app2', 'p1/p2/app3']);
  });

  test('an exclude wins whatever the order of the items (with Exclude / same exclude behavior with different order)', () => {
    const paths = ['app1', 'app2', 'p1/app2', 'p1/app3', 'p2/app3'];
    const exclude = { path: 'p1/*', exclude: true };
    const includes = [
      { path: '*', exclude: false },
      { path: '*/*', exclude: false },
    ];
    expect(filterApps([exclude, ...includes], paths)).toEqual(['app1', 'app2', 'p2/app3']);
    expect(filterApps([...includes, exclude], paths)).toEqual(['app1', 'app2', 'p2/app3']);
  });

  test('an exclude glob of one level leaves the folders below it: `a/*` does not exclude a/b/c', () => {
    const dirs = [
      { path: 'ex/*/overlays/default', exclude: false },
      { path: 'ex/argocd/*', exclude: true },
    ];
    expect(filterApps(dirs, ['ex/argocd/overlays', 'ex/argocd/overlays/default', 'ex/vllm/overlays/default'])).toEqual([
      'ex/argocd/overlays/default',
      'ex/vllm/overlays/default',
    ]);
  });

  test('a malformed glob matches nothing (path.Match ErrBadPattern)', () => {
    expect(filterApps([{ path: 'apps/[', exclude: false }], ['apps/['])).toEqual([]);
  });

  test('only excludes: nothing is generated', () => {
    expect(filterApps([{ path: '*', exclude: true }], ['app1'])).toEqual([]);
  });
});

describe('directoryParams (git_test.go expected parameters)', () => {
  test('fasttemplate: flat path, basename, basenameNormalized and one path[n] per segment', () => {
    expect(directoryParams('p1/p2/app_3', false)).toEqual({
      path: 'p1/p2/app_3',
      'path.basename': 'app_3',
      'path.basenameNormalized': 'app-3',
      'path[0]': 'p1',
      'path[1]': 'p2',
      'path[2]': 'app_3',
    });
  });

  test('fasttemplate with pathParamPrefix: the keys start with <prefix>.path', () => {
    expect(directoryParams('app1', false, 'myRepo')).toEqual({
      'myRepo.path': 'app1',
      'myRepo.path.basename': 'app1',
      'myRepo.path.basenameNormalized': 'app1',
      'myRepo.path[0]': 'app1',
    });
  });

  test('goTemplate: a path object with segments, under the prefix when one is given', () => {
    expect(directoryParams('p1/app2', true)).toEqual({ path: { path: 'p1/app2', basename: 'app2', basenameNormalized: 'app2', segments: ['p1', 'app2'] } });
    expect(directoryParams('app_3', true, 'myRepo')).toEqual({
      myRepo: { path: { path: 'app_3', basename: 'app_3', basenameNormalized: 'app-3', segments: ['app_3'] } },
    });
  });

  test('sanitizeName: lower case, other characters to -, ends trimmed of - and .', () => {
    expect(sanitizeName('My_App.')).toBe('my-app');
    expect(sanitizeName('-Web Server-')).toBe('web-server');
    expect(sanitizeName('a'.repeat(260))).toHaveLength(253);
  });
});

describe('treeGeneratedApplications: the Applications of a git directory generator over the folders of the checked repository', () => {
  const TREE = {
    'ex/argocd/base/kustomization.yaml': 'resources: [set.yaml]\n',
    'ex/argocd/overlays/default/cm.yaml': CONFIGMAP('argocd'),
    'ex/vllm/overlays/default/cm.yaml': CONFIGMAP('vllm'),
    'ex/namespaces/overlays/default/cm.yaml': CONFIGMAP('namespaces'),
    'ex/.hidden/overlays/default/cm.yaml': CONFIGMAP('hidden'),
  };

  test('an exclude `ex/argocd/*` leaves ex/argocd/overlays/default: that folder makes an Application too; path[n] fills the name', () => {
    const dir = writeTree({
      ...TREE,
      'ex/argocd/base/set.yaml': SET('- path: ex/*/overlays/default\n- path: ex/argocd/*\n  exclude: true', TEMPLATE('{{path[1]}}-{{path[2]}}', '{{path}}')),
    });
    expect(generated(dir)).toEqual([
      ['argocd-overlays', 'ex/argocd/overlays/default'],
      ['namespaces-overlays', 'ex/namespaces/overlays/default'],
      ['vllm-overlays', 'ex/vllm/overlays/default'],
    ]);
  });

  test('an exclude naming the folder itself leaves it out; folders starting with . are never listed', () => {
    const dir = writeTree({
      ...TREE,
      'ex/argocd/base/set.yaml': SET(
        '- path: ex/*/overlays/default\n- path: ex/argocd/overlays/default\n  exclude: true',
        TEMPLATE('{{path.basenameNormalized}}-{{path[1]}}', '{{path}}'),
      ),
    });
    expect(generated(dir)).toEqual([
      ['default-namespaces', 'ex/namespaces/overlays/default'],
      ['default-vllm', 'ex/vllm/overlays/default'],
    ]);
  });

  test('goTemplate: {{.path.path}} and {{.path.basename}}; a template calling a function runs as Go runs it, one that does not run is not expanded', () => {
    const goSet = SET('- path: ex/vllm/overlays/*', TEMPLATE('vllm-{{.path.basename}}', '{{.path.path}}'), '  goTemplate: true\n');
    const dir = writeTree({ ...TREE, 'ex/argocd/base/set.yaml': goSet });
    expect(generated(dir)).toEqual([['vllm-default', 'ex/vllm/overlays/default']]);
    const withFunction = SET(
      '- path: ex/vllm/overlays/*',
      TEMPLATE('{{index .path.segments 1}}-{{ .path.basename | upper }}', '{{.path.path}}'),
      '  goTemplate: true\n',
    );
    expect(generated(writeTree({ ...TREE, 'ex/argocd/base/set.yaml': withFunction }))).toEqual([['vllm-DEFAULT', 'ex/vllm/overlays/default']]);
    // a function Argo CD's map lacks, or a key the parameters lack (`<no value>`): no Application is made of it
    for (const name of ['{{ nosuchfunc .path.basename }}', '{{ .path.nosuchkey }}-x'])
      expect(
        generated(
          writeTree({ ...TREE, 'ex/argocd/base/set.yaml': SET('- path: ex/vllm/overlays/*', TEMPLATE(name, '{{.path.path}}'), '  goTemplate: true\n') }),
        ),
      ).toEqual([]);
  });

  test('a clone of the repository gives the root even when no path names a folder below it; another repository has none', () => {
    const clone = (repoURL: string) =>
      writeTree({
        ...TREE,
        '.git/config': '[core]\n\tbare = false\n[remote "origin"]\n\turl = git@github.com:example-org/llm-gitops.git\n',
        '.git/HEAD': 'ref: refs/heads/main\n',
        'ex/argocd/base/set.yaml': SET('- path: "*/vllm/overlays/*"', TEMPLATE('{{path.basename}}', '{{path}}'), '', repoURL),
      });
    expect(generated(clone(REPO))).toEqual([['default', 'ex/vllm/overlays/default']]);
    expect(generated(clone('https://github.com/other-org/platform.git'))).toEqual([]);
  });

  test('values are filled from the path parameters and reach the template as values.<key>', () => {
    const set = SET('- path: ex/vllm/overlays/*', TEMPLATE('{{values.app}}', '{{path}}')).replace(
      '      directories:',
      '      values: {app: "llm-{{path[1]}}"}\n      directories:',
    );
    expect(generated(writeTree({ ...TREE, 'ex/argocd/base/set.yaml': set }))).toEqual([['llm-vllm', 'ex/vllm/overlays/default']]);
  });
});
