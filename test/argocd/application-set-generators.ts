import { combineStringMaps, deepMerge, GeneratorInputs, generatorParams } from '../../lib/check/appset-generators';
import * as path from 'path';
import { treeGeneratedApplications } from '../../lib/check/appset-git';
import { GraphObject } from '../../lib/check/graph-object';
import { ObjectGraph } from '../../lib/check/graph';
import { Loose } from '../../lib/manifests/access';
import { readManifests } from '../../lib/manifests/read-manifests';
import { writeTree } from '../setup/kustomize-build';
import { standalone } from '../setup/scratch';
import { cliInProcess, ROOT } from '../util';

const REPO = 'https://github.com/example-org/llm-gitops.git';

/** Generator inputs over a repository of the given files (their folders derived) and cluster Secrets. */
function inputs(files: Record<string, string>, clusterSecrets: Loose[] = []): GeneratorInputs {
  const folders = new Set<string>();
  for (const f of Object.keys(files)) {
    const parts = f.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  return {
    folders: (repoURL) => (repoURL === REPO ? [...folders].sort() : undefined),
    files: (repoURL) => (repoURL === REPO ? Object.entries(files).map(([path, content]) => ({ path, content: () => content })) : undefined),
    clusterSecrets,
  };
}

describe('git files generator: the sets of git_test.go TestGitGenerateParamsFromFiles over the files of the repository', () => {
  const PRODUCTION =
    '{"cluster": {"owner": "john.doe@example.com", "name": "production", "address": "https://kubernetes.default.svc"}, "key1": "val1", "key2": {"key2_1": "val2_1", "key2_2": {"key2_2_1": "val2_2_1"}}, "key3": 123}';
  const STAGING = '{"cluster": {"owner": "foo.bar@example.com", "name": "staging", "address": "https://kubernetes.default.svc"}}';

  test('happy flow: `**/config.json`, the objects flattened with dotted keys and the path parameters added', () => {
    const got = generatorParams(
      { git: { repoURL: REPO, files: [{ path: '**/config.json' }] } },
      inputs({ 'cluster-config/production/config.json': PRODUCTION, 'cluster-config/staging/config.json': STAGING }),
      false,
    );
    expect(got).toEqual([
      {
        'cluster.owner': 'john.doe@example.com',
        'cluster.name': 'production',
        'cluster.address': 'https://kubernetes.default.svc',
        key1: 'val1',
        'key2.key2_1': 'val2_1',
        'key2.key2_2.key2_2_1': 'val2_2_1',
        key3: '123',
        path: 'cluster-config/production',
        'path.basename': 'production',
        'path[0]': 'cluster-config',
        'path[1]': 'production',
        'path.basenameNormalized': 'production',
        'path.filename': 'config.json',
        'path.filenameNormalized': 'config.json',
      },
      {
        'cluster.owner': 'foo.bar@example.com',
        'cluster.name': 'staging',
        'cluster.address': 'https://kubernetes.default.svc',
        path: 'cluster-config/staging',
        'path.basename': 'staging',
        'path[0]': 'cluster-config',
        'path[1]': 'staging',
        'path.basenameNormalized': 'staging',
        'path.filename': 'config.json',
        'path.filenameNormalized': 'config.json',
      },
    ]);
  });

  test('test invalid JSON file returns error: the generator makes nothing here', () => {
    expect(
      generatorParams(
        { git: { repoURL: REPO, files: [{ path: '**/config.json' }] } },
        inputs({ 'cluster-config/production/config.json': 'invalid json file' }),
        false,
      ),
    ).toBeUndefined();
  });

  test('another repository, or directories and files together (directories win, as in git.go)', () => {
    const tree = inputs({ 'apps/dev/config.json': '{"env": "dev"}' });
    expect(generatorParams({ git: { repoURL: 'https://github.com/other/repo.git', files: [{ path: '**/config.json' }] } }, tree, false)).toBeUndefined();
    expect(generatorParams({ git: { repoURL: REPO, directories: [{ path: 'apps/*' }], files: [{ path: '**/config.json' }] } }, tree, false)).toEqual([
      { path: 'apps/dev', 'path.basename': 'dev', 'path.basenameNormalized': 'dev', 'path[0]': 'apps', 'path[1]': 'dev' },
    ]);
  });
});

describe('clusters generator values (cluster_test.go TestGenerateParams "no label selector")', () => {
  test('each value is filled from its own cluster; one naming a label the local cluster lacks is left out of its set', () => {
    const secret = {
      metadata: { labels: { 'argocd.argoproj.io/secret-type': 'cluster', environment: 'staging' } },
      stringData: { name: 'staging-01', server: 'https://staging-01.example.com' },
    };
    const values = { aaa: '{{ server }}', bat: '{{ metadata.labels.environment }}', foo: 'bar' };
    expect(
      generatorParams({ clusters: { values } }, inputs({}, [secret]), false)?.map((p) => [p.name, p['values.aaa'], p['values.bat'], p['values.foo']]),
    ).toEqual([
      ['staging-01', 'https://staging-01.example.com', 'staging', 'bar'],
      ['in-cluster', 'https://kubernetes.default.svc', undefined, 'bar'],
    ]);
  });
});

const list = (...elements: Loose[]): Loose => ({ list: { elements } });

describe('matrix generator (argo-cd applicationset/generators/matrix.go, cases of matrix_test.go TestMatrixGenerate)', () => {
  const tree = inputs({ 'app1/a.yaml': 'x', 'app2/a.yaml': 'x', 'p1/app4/a.yaml': 'x' });

  test('happy flow - generate params: git directories x a list whose element reads {{path.basenameNormalized}}', () => {
    const git = { git: { repoURL: REPO, directories: [{ path: '*' }] } };
    expect(
      generatorParams({ matrix: { generators: [git, list({ cluster: 'Cluster', url: 'Url', templated: 'test-{{path.basenameNormalized}}' })] } }, tree, false),
    ).toEqual([
      { path: 'app1', 'path.basename': 'app1', 'path.basenameNormalized': 'app1', 'path[0]': 'app1', cluster: 'Cluster', url: 'Url', templated: 'test-app1' },
      { path: 'app2', 'path.basename': 'app2', 'path.basenameNormalized': 'app2', 'path[0]': 'app2', cluster: 'Cluster', url: 'Url', templated: 'test-app2' },
      { path: 'p1', 'path.basename': 'p1', 'path.basenameNormalized': 'p1', 'path[0]': 'p1', cluster: 'Cluster', url: 'Url', templated: 'test-p1' },
    ]);
  });

  test('happy flow - generate params from two lists; fewer or more than two children, or a child of two kinds, fail', () => {
    expect(generatorParams({ matrix: { generators: [list({ a: '1' }, { a: '2' }), list({ b: '1' }, { b: '2' })] } }, tree, false)).toEqual([
      { a: '1', b: '1' },
      { a: '1', b: '2' },
      { a: '2', b: '1' },
      { a: '2', b: '2' },
    ]);
    expect(generatorParams({ matrix: { generators: [list({ a: '1' })] } }, tree, false)).toBeUndefined();
    expect(generatorParams({ matrix: { generators: [list({ a: '1' }), list({ b: '1' }), list({ c: '1' })] } }, tree, false)).toBeUndefined();
    expect(generatorParams({ matrix: { generators: [{ ...list({ a: '1' }), clusters: {} }, list({ b: '1' })] } }, tree, false)).toBeUndefined();
  });

  test('the second child reads the first one\'s parameters in its own fields: a git files path of "{{path}}/config.json"', () => {
    const files = inputs({ 'envs/dev/config.json': '{"replicas": "1"}', 'envs/prod/config.json': '{"replicas": "3"}' });
    const second = { git: { repoURL: REPO, files: [{ path: '{{env}}/config.json' }] } };
    expect(generatorParams({ matrix: { generators: [list({ env: 'envs/prod' }), second] } }, files, false)).toEqual([
      expect.objectContaining({ env: 'envs/prod', replicas: '3', path: 'envs/prod', 'path.filename': 'config.json' }),
    ]);
  });

  test('fasttemplate: a key both children set to different values fails the matrix (CombineStringMaps); the same value is kept', () => {
    expect(combineStringMaps({ a: '1', b: '2' }, { b: '3' })).toBeUndefined();
    expect(combineStringMaps({ a: '1', b: '2' }, { b: '2', c: 3 })).toEqual({ a: '1', b: '2', c: '3' });
    expect(generatorParams({ matrix: { generators: [list({ a: '1' }), list({ a: '2' })] } }, tree, false)).toBeUndefined();
  });

  test('goTemplate: the first child wins a conflicting key and nested objects merge (mergo WithOverride)', () => {
    expect(
      generatorParams({ matrix: { generators: [list({ a: '1', v: { x: 'first' } }), list({ a: '2', v: { y: 'second' }, b: 'b' })] } }, tree, true),
    ).toEqual([{ a: '1', v: { x: 'first', y: 'second' }, b: 'b' }]);
    expect(deepMerge({ a: 'kept' }, { a: '' })).toEqual({ a: 'kept' });
  });

  test('a matrix may nest one matrix or merge; a child of that nested one may not be a matrix again', () => {
    const nested = { matrix: { generators: [list({ a: '1' }), list({ b: '1' }, { b: '2' })] } };
    expect(generatorParams({ matrix: { generators: [nested, list({ c: '1' })] } }, tree, false)).toEqual([
      { a: '1', b: '1', c: '1' },
      { a: '1', b: '2', c: '1' },
    ]);
    expect(
      generatorParams({ matrix: { generators: [{ matrix: { generators: [nested, list({ c: '1' })] } }, list({ d: '1' })] } }, tree, false),
    ).toBeUndefined();
  });

  test('a child the tree cannot tell (a pull request generator) leaves the matrix unexpanded; a child selector filters its sets', () => {
    expect(
      generatorParams({ matrix: { generators: [list({ a: '1' }), { pullRequest: { github: { owner: 'o', repo: 'r' } } }] } }, tree, false),
    ).toBeUndefined();
    const selected = { ...list({ env: 'dev' }, { env: 'prod' }), selector: { matchLabels: { env: 'prod' } } };
    expect(generatorParams({ matrix: { generators: [selected, list({ b: '1' })] } }, tree, false)).toEqual([{ env: 'prod', b: '1' }]);
  });
});

describe('merge generator (argo-cd applicationset/generators/merge.go, cases of merge_test.go TestMergeGenerate)', () => {
  const tree = inputs({});
  const sort = (sets: Loose[] | undefined) => sets?.map((s) => JSON.stringify(s)).sort();

  test('happy flow - generate paramSets: the first child overridden by later ones with the same merge key values', () => {
    const got = generatorParams(
      {
        merge: {
          mergeKeys: ['b'],
          generators: [list({ a: '1_1', b: 'same', c: '1_3' }), list({ a: '2_1', b: 'same' }), list({ a: '3_1', b: 'different', c: '3_3' })],
        },
      },
      tree,
      false,
    );
    expect(got).toEqual([{ a: '2_1', b: 'same', c: '1_3' }]);
  });

  test('merge keys absent / present in the first set only - do not merge; no generators or one, or no merge keys, fail', () => {
    expect(generatorParams({ merge: { mergeKeys: ['b'], generators: [list({ a: 'a' }), list({ a: 'a' })] } }, tree, false)).toEqual([{ a: 'a' }]);
    expect(generatorParams({ merge: { mergeKeys: ['b'], generators: [list({ a: 'a' }), list({ b: 'b' })] } }, tree, false)).toEqual([{ a: 'a' }]);
    expect(generatorParams({ merge: { mergeKeys: ['b'], generators: [list({ a: '1' })] } }, tree, false)).toBeUndefined();
    expect(generatorParams({ merge: { mergeKeys: [], generators: [list({ a: '1' }), list({ a: '1' })] } }, tree, false)).toBeUndefined();
  });

  test('sets of one child that share the merge key values fail the merge (ErrNonUniqueParamSets)', () => {
    expect(
      generatorParams({ merge: { mergeKeys: ['a'], generators: [list({ a: '1', b: '1' }, { a: '1', b: '2' }), list({ a: '1' })] } }, tree, false),
    ).toBeUndefined();
  });

  test('merge nested matrix with some lists', () => {
    const matrix = { matrix: { generators: [list({ a: '1' }, { a: '2' }), list({ b: '1' }, { b: '2' })] } };
    const got = generatorParams({ merge: { mergeKeys: ['a', 'b'], generators: [matrix, list({ a: '1', b: '1', c: 'added' })] } }, tree, false);
    expect(sort(got)).toEqual(
      sort([
        { a: '1', b: '1', c: 'added' },
        { a: '1', b: '2' },
        { a: '2', b: '1' },
        { a: '2', b: '2' },
      ]),
    );
  });

  test('merge nested merge with some lists', () => {
    const inner = {
      merge: { mergeKeys: ['a'], generators: [list({ a: '1', b: '1' }, { a: '2', b: '2' }), list({ a: '1', b: '3', c: 'added' }, { a: '3', b: '2' })] },
    };
    const got = generatorParams({ merge: { mergeKeys: ['a', 'b'], generators: [inner, list({ a: '1', b: '3', d: 'added' })] } }, tree, false);
    expect(sort(got)).toEqual(
      sort([
        { a: '1', b: '3', c: 'added', d: 'added' },
        { a: '2', b: '2' },
      ]),
    );
  });
});

/** [name, source path, destination server] of each Application a tree's ApplicationSets make beyond list generators. */
function generated(dir: string): string[][] {
  const { manifests, folders, checkouts } = readManifests([dir]);
  const graph = new ObjectGraph(manifests as readonly GraphObject[], { folders, checkouts });
  return treeGeneratedApplications(graph)
    .map((a) => [a.manifest.metadata.name, a.manifest.spec.source.path, a.manifest.spec.destination.server])
    .sort((a, b) => a[0].localeCompare(b[0]));
}

/** An ApplicationSet of the given generators (YAML, two spaces in) and template name and source path. */
const SET = (generators: string, name: string, sourcePath: string, server = 'https://kubernetes.default.svc', extra = '') =>
  `apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: apps, namespace: argocd}\nspec:\n${extra}  generators:\n${generators.replace(/^/gm, '  ')}\n  template:\n    metadata: {name: '${name}'}\n    spec:\n      project: default\n      source: {repoURL: ${REPO}, targetRevision: main, path: '${sourcePath}'}\n      destination: {server: '${server}', namespace: ai}\n`;
const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: ai}\ndata: {a: b}\n';
const CLUSTER = (name: string, server: string, env: string) =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: argocd\n  labels: {argocd.argoproj.io/secret-type: cluster, env: ${env}}\nstringData: {name: ${name}, server: '${server}'}\n`;

describe('the Applications of matrix, merge, git files and clusters generators in a checked tree', () => {
  const TREE = { 'apps/serving/cm.yaml': CONFIGMAP, 'apps/monitoring/cm.yaml': CONFIGMAP };

  test('a matrix of the declared clusters x the git directories: one Application per pair; no in-cluster entry under a selector', () => {
    const generators = `- matrix:\n    generators:\n    - clusters: {selector: {matchLabels: {env: prod}}}\n    - git: {repoURL: ${REPO}, revision: main, directories: [{path: apps/*}]}`;
    const dir = writeTree({
      ...TREE,
      'argocd/east.yaml': CLUSTER('east', 'https://east.example.com', 'prod'),
      'argocd/lab.yaml': CLUSTER('lab', 'https://lab.example.com', 'test'),
      'argocd/set.yaml': SET(generators, '{{name}}-{{path.basename}}', '{{path}}', '{{server}}'),
    });
    expect(generated(dir)).toEqual([
      ['east-monitoring', 'apps/monitoring', 'https://east.example.com'],
      ['east-serving', 'apps/serving', 'https://east.example.com'],
    ]);
  });

  test('a clusters generator without a selector adds the local cluster, which the tree need not declare', () => {
    const dir = writeTree({
      ...TREE,
      'argocd/east.yaml': CLUSTER('east', 'https://east.example.com', 'prod'),
      'argocd/set.yaml': SET('- clusters: {}', 'serving-{{name}}', 'apps/serving', '{{server}}'),
    });
    expect(generated(dir)).toEqual([
      ['serving-east', 'apps/serving', 'https://east.example.com'],
      ['serving-in-cluster', 'apps/serving', 'https://kubernetes.default.svc'],
    ]);
  });

  test('git files: each config.json of the repository, its keys and its folder filling the template (goTemplate nested)', () => {
    const dir = writeTree({
      ...TREE,
      'envs/dev/config.json': '{"app": {"name": "serving"}}',
      'envs/prod/config.json': '{"app": {"name": "monitoring"}}',
      'argocd/set.yaml': SET(
        `- git: {repoURL: ${REPO}, revision: main, files: [{path: "envs/*/config.json"}]}`,
        '{{.app.name}}-{{.path.basename}}',
        'apps/{{.app.name}}',
        undefined,
        '  goTemplate: true\n',
      ),
    });
    expect(generated(dir)).toEqual([
      ['monitoring-prod', 'apps/monitoring', 'https://kubernetes.default.svc'],
      ['serving-dev', 'apps/serving', 'https://kubernetes.default.svc'],
    ]);
  });

  test('a merge over git directories and a list of overrides by path; a pull request child, or a generator template of its own, makes none', () => {
    const merge = `- merge:\n    mergeKeys: [path]\n    generators:\n    - git: {repoURL: ${REPO}, revision: main, directories: [{path: apps/*}]}\n    - list: {elements: [{path: apps/serving, ns: llm}]}`;
    const dir = writeTree({ ...TREE, 'argocd/set.yaml': SET(merge, '{{path.basename}}', '{{path}}') });
    expect(generated(dir)).toEqual([
      ['monitoring', 'apps/monitoring', 'https://kubernetes.default.svc'],
      ['serving', 'apps/serving', 'https://kubernetes.default.svc'],
    ]);
    const pullRequests = merge.replace(/- list: .*$/, '- pullRequest: {github: {owner: example-org, repo: llm-gitops}}');
    expect(generated(writeTree({ ...TREE, 'argocd/set.yaml': SET(pullRequests, '{{path.basename}}', '{{path}}') }))).toEqual([]);
    const ownTemplate = `${merge}\n    template: {spec: {source: {path: elsewhere}}}`;
    expect(generated(writeTree({ ...TREE, 'argocd/set.yaml': SET(ownTemplate, '{{path.basename}}', '{{path}}') }))).toEqual([]);
  });

  test("the path rules judge the matrix's Applications: quota-west of the fires/ tree, none of the near-miss/ tree", async () => {
    const found = async (which: string) => {
      const { out } = await cliInProcess([
        'check',
        // the fixture as a standalone tree, not with this repository around it
        path.join(standalone(path.join(ROOT, 'test', 'rules', 'argocd-path-not-in-input')), which),
        '--format',
        'json',
        '--platform',
        'rhoai-3.0',
      ]);
      const json = JSON.parse(out) as { findings: { rule: string; object: string; message: string }[] };
      return json.findings.filter((f) => /^argocd-path-(missing|not-in-input)$/.test(f.rule) && /quota/.test(f.object)).map((f) => f.object);
    };
    expect(await found('fires')).toEqual(['Application/openshift-gitops/quota-west']);
    expect(await found('near-miss')).toEqual([]);
  });
});
