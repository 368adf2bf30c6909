import * as path from 'path';
import { runChecks } from '../../lib';
import { globMatch, selects, DirectorySelection } from '../../lib/check/argocd/directory-source';
import { deliveredBy } from '../../lib/check/argocd/application';
import { GraphObject } from '../../lib/check/graph-object';
import { ObjectGraph } from '../../lib/check/graph';
import { readManifests } from '../../lib/manifests/read-manifests';
import { writeTree } from '../setup/kustomize-build';
import { standalone } from '../setup/scratch';

// Cases after argo-cd reposerver/repository/repository_test.go (TestFindResources, TestFindManifests_Exclude/Include,
// a recurse folder holding deployment.yaml and subdir/deploymentSub.yaml) and util/glob/glob_test.go.
describe('a directory source selects files as Argo CD findManifests does', () => {
  const FILES = ['deployment.yaml', 'subdir/deploymentSub.yaml'];
  const picked = (s: Partial<DirectorySelection>) => FILES.filter((f) => selects({ recurse: true, ...s }, f));

  test.each([
    ['include one match', { include: 'subdir/deploymentSub.yaml' }, ['subdir/deploymentSub.yaml']],
    ['include everything: * crosses /', { include: '*.yaml' }, FILES],
    ['include the subfolder only', { include: '**/*.yaml' }, ['subdir/deploymentSub.yaml']],
    ['include no match', { include: 'nothing.yaml' }, []],
    ['exclude one match', { exclude: 'subdir/deploymentSub.yaml' }, ['deployment.yaml']],
    ['exclude everything', { exclude: '*.yaml' }, []],
    ['include alternatives', { include: '{deployment.yaml,nothing.yaml}' }, ['deployment.yaml']],
    ['exclude wins over include', { include: '*.yaml', exclude: 'subdir/*' }, ['deployment.yaml']],
    ['a pattern that does not compile includes nothing', { include: '{deployment.yaml' }, []],
    ['a pattern that does not compile excludes nothing', { exclude: '[deployment' }, FILES],
  ])('%s', (_, s, expected) => {
    expect(picked(s)).toEqual(expected);
  });

  test('without recurse only the folder’s own files are read; only .yaml/.yml/.json/.jsonnet files', () => {
    expect(FILES.filter((f) => selects({ recurse: false }, f))).toEqual(['deployment.yaml']);
    expect(['a.yml', 'b.json', 'c.jsonnet', 'README.md', 'values.yaml.tpl'].filter((f) => selects({ recurse: false }, f))).toEqual([
      'a.yml',
      'b.json',
      'c.jsonnet',
    ]);
  });

  test.each([
    ['*', 'a/b/c', true],
    ['a?c', 'abc', true],
    ['a?c', 'a/bc', false],
    ['[a-c]x', 'bx', true],
    ['[!a-c]x', 'bx', false],
    ['{a,b{c,d}}.yaml', 'bd.yaml', true],
    ['{a,b{c,d}}.yaml', 'b.yaml', false],
    ['\\*.yaml', '*.yaml', true],
    ['\\*.yaml', 'x.yaml', false],
    ['x.yaml', 'x.yamll', false],
  ])('glob %s on %s: %s', (pattern, value, expected) => {
    expect(globMatch(pattern, value)).toBe(expected);
  });
});

describe('argocd-path-missing on directory sources', () => {
  const SERVICE = (name: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ai}\nspec:\n  ports: [{port: 80}]\n`;
  const APP = (source: string) =>
    `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: web, namespace: openshift-gitops}\nspec:\n  project: default\n  destination: {server: https://kubernetes.default.svc, namespace: ai}\n  source:\n    repoURL: https://example.com/org/repo.git\n${source.replace(/^/gm, '    ')}\n`;
  const findings = (files: Record<string, string>) => {
    const dir = writeTree(files, 'argocd-dir-');
    const { manifests, folders, charts, leftOut, unread } = readManifests([dir]);
    return runChecks(manifests, { platform: 'rhoai-3.0', folders, charts, leftOut, unread })
      .filter((f) => f.rule === 'argocd-path-missing')
      .map((f) => [f.severity, f.object, f.message]);
  };

  test('path . with an include that matches no file of the repository: an error naming the settings and the fix', () => {
    const out = findings({
      'apps/web.yaml': APP("path: .\ndirectory: {include: 'manifests/*.yml'}"),
      'manifests/service.yaml': SERVICE('web'),
    });
    expect(out).toEqual([
      ['error', 'Application/openshift-gitops/web', expect.stringContaining("directory source '.' (directory.recurse false, include 'manifests/*.yml')")],
    ]);
    expect(out[0][2]).toContain('selects none of the 2 manifest file(s) below it (apps/web.yaml, manifests/service.yaml)');
    expect(out[0][2]).toContain('change directory.include/exclude');
  });

  test('a folder holding manifests only in subfolders, without recurse: advises recurse', () => {
    const out = findings({ 'apps/web.yaml': APP('path: deploy'), 'deploy/base/service.yaml': SERVICE('web') });
    expect(out).toEqual([['error', 'Application/openshift-gitops/web', expect.stringContaining('set directory.recurse: true')]]);
    expect(out[0][2]).toContain("directory source 'deploy' (directory.recurse false)");
  });

  test('a folder holding only YAML that is no object (a Helm values file): Argo CD skips it, the error names it and a Helm source', () => {
    const out = findings({
      'apps/web.yaml': APP('path: deploy'),
      'deploy/values.yaml': 'replicas: 2\nimage: {tag: v1}\n',
      'deploy/notes.yml': '- one\n- two\n',
    });
    expect(out).toEqual([['error', 'Application/openshift-gitops/web', expect.stringContaining("directory source 'deploy' holds no object Argo CD reads")]]);
    expect(out[0][2]).toContain('skips notes.yml, values.yaml');
    expect(out[0][2]).toContain('a Helm source was likely meant');
  });

  test.each<[string, string | undefined, Record<string, string>]>([
    // Argo CD refuses such a file ("Failed to unmarshal") rather than skipping it: another failure, not an empty sync
    ['a file holding apiVersion:, kind: and metadata: text', 'settings:\n  apiVersion: v1\n  kind: List\n  metadata: {}\n', {}],
    ['a skipped file beside a manifest', 'replicas: 2\n', { 'deploy/service.yaml': SERVICE('web') }],
    ['a .json file that is no object (argocd-json-not-manifest)', undefined, { 'deploy/values.json': '{"replicas": 2}' }],
  ])('no skipped-only error: %s', (_, values, more) => {
    const files: Record<string, string> = { 'apps/web.yaml': APP('path: deploy'), ...more };
    if (values) files['deploy/values.yaml'] = values;
    expect(findings(files).filter((f) => String(f[2]).includes('holds no object Argo CD reads'))).toEqual([]);
  });

  test('an empty selection counts the manifest files only, not the YAML Argo CD skips', () => {
    const out = findings({
      'apps/web.yaml': APP("path: deploy\ndirectory: {include: 'nothing.yaml'}"),
      'deploy/service.yaml': SERVICE('web'),
      'deploy/values.yaml': 'replicas: 2\n',
    });
    expect(out.map((f) => f[2])).toEqual([expect.stringContaining('selects none of the 1 manifest file(s) below it (service.yaml)')]);
  });

  test('an exclude that removes every file is reported', () => {
    const out = findings({
      'apps/web.yaml': APP("path: deploy\ndirectory: {exclude: '{service,route}.yaml'}"),
      'deploy/service.yaml': SERVICE('web'),
      'deploy/route.yaml': SERVICE('route'),
    });
    expect(out.map((f) => f[2])).toEqual([expect.stringContaining("exclude '{service,route}.yaml'")]);
  });

  test("the rules' fires/ trees: the empty selections of path . (argocd-path-missing), the missing paths (argocd-path-not-in-input); their near-miss/ none", () => {
    const run = (rule: string, which: string) => {
      const { manifests, folders, charts, leftOut, unread } = readManifests([path.join(standalone(path.join(__dirname, '..', 'rules', rule)), which)]);
      return runChecks(manifests, { platform: 'rhoai-3.0', folders, charts, leftOut, unread })
        .filter((f) => f.rule === rule)
        .map((f) => f.object);
    };
    expect(run('argocd-path-missing', 'fires').sort()).toEqual([
      // a folder the exported repository (README at its top, serving/granite there at main) does not have
      'Application/openshift-gitops/llama',
      'Application/openshift-gitops/model-catalog',
      'Application/openshift-gitops/namespace',
    ]);
    expect(run('argocd-path-not-in-input', 'fires').sort()).toEqual([
      // one finding for the paths one reading of the repository leaves out: serving's is named there
      'Application/openshift-gitops/dashboards',
      // its repoURL a <your-username> placeholder: this tree's repository, whose gitops/ has no models/
      'Application/openshift-gitops/fork-models',
      // made by the ApplicationSet's matrix of region folders x apps only
      'Application/openshift-gitops/quota-west',
    ]);
    const { manifests, folders, charts, leftOut } = readManifests([
      path.join(standalone(path.join(__dirname, '..', 'rules', 'argocd-path-not-in-input')), 'fires'),
    ]);
    const dashboards = runChecks(manifests, { platform: 'rhoai-3.0', folders, charts, leftOut }).find(
      (f) => f.rule === 'argocd-path-not-in-input' && f.object === 'Application/openshift-gitops/dashboards',
    );
    expect(dashboards?.message).toMatch(
      /^source paths 'monitoring\/dashboards', 'gitops\/serve' \(Application\/openshift-gitops\/serving\) are not in the checked input/,
    );
    expect(run('argocd-path-missing', 'near-miss')).toEqual([]);
    expect(run('argocd-path-not-in-input', 'near-miss')).toEqual([]);
  });

  test.each([
    ['recurse true reaching a subfolder', 'path: deploy\ndirectory: {recurse: true}', { 'deploy/base/service.yaml': SERVICE('web') }],
    ['an include matching', "path: .\ndirectory: {recurse: true, include: 'manifests/*.yaml'}", { 'manifests/service.yaml': SERVICE('web') }],
    ['include alternatives matching one file', "path: deploy\ndirectory: {include: '{x,service}.yaml'}", { 'deploy/service.yaml': SERVICE('web') }],
    ['a Helm source', 'path: deploy\nhelm: {valueFiles: [values.yaml]}', { 'deploy/base/service.yaml': SERVICE('web') }],
    [
      'a folder with a Chart.yaml (a Helm source)',
      'path: deploy',
      { 'deploy/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n', 'deploy/templates/service.yaml': SERVICE('web') },
    ],
    ['a kustomize source', 'path: deploy', { 'deploy/kustomization.yaml': 'resources: [base/service.yaml]\n', 'deploy/base/service.yaml': SERVICE('web') }],
  ])('no finding for %s', (_, source, files) => {
    expect(findings({ 'apps/web.yaml': APP(source), ...files })).toEqual([]);
  });
});

describe('what check attributes to an Application follows the directory selection', () => {
  const app = (name: string, source: string) =>
    `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: ${name}, namespace: openshift-gitops}\nspec:\n  project: default\n  destination: {server: https://kubernetes.default.svc, namespace: ai}\n  source: {repoURL: https://example.com/r.git, ${source}}\n`;
  const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: ai}\ndata: {a: b}\n`;

  test('each Application delivers the files its directory settings select, and nothing below without recurse', () => {
    const dir = writeTree(
      {
        'apps/a.yaml': app('a', "path: deploy, directory: {include: 'a-*.yaml'}"),
        'apps/b.yaml': app('b', "path: deploy, directory: {exclude: 'a-*'}"),
        'apps/c.yaml': app('c', 'path: deploy, directory: {recurse: true}'),
        'deploy/a-cm.yaml': cm('one'),
        'deploy/b-cm.yaml': cm('two'),
        'deploy/extra/c-cm.yaml': cm('three'),
      },
      'argocd-dir-',
    );
    const { manifests, folders } = readManifests([dir]);
    // as runChecks builds its graph: every document read is a mapping here
    const graph = new ObjectGraph(manifests as readonly GraphObject[], { folders });
    const delivered = (name: string) => deliveredBy(graph.find('Application', name, 'openshift-gitops')!, graph).map((o) => o.manifest.metadata.name);
    expect([delivered('a'), delivered('b'), delivered('c')]).toEqual([['one'], ['two'], ['one', 'two', 'three']]);
  });
});

// Cases after argo-cd reposerver/repository/repository_test.go TestFindManifests (json-list: two objects one after
// another; invalid-json: `[`; valid-json; jsonnet-and-json) and its issues #10648 (cypress.json in the synced folder)
// and #11001 (an ApplicationSet's config.json beside the manifests).
describe('.json and .jsonnet files of folders, as kubectl and Argo CD read them', () => {
  const APP = (source: string) =>
    `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: web, namespace: openshift-gitops}\nspec:\n  project: default\n  destination: {server: https://kubernetes.default.svc, namespace: ai}\n  source:\n    repoURL: https://example.com/org/repo.git\n${source.replace(/^/gm, '    ')}\n`;
  const CM = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ai' }, data: { a: 'b' } });
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  const read = (files: Record<string, string>) => readManifests([writeTree(files, 'argocd-json-')]);
  /** The findings of the two directory rules and the reader's, as [rule, severity, object or file name, message]. */
  const findings = (files: Record<string, string>) => {
    const r = read(files);
    const reader = r.errors.map((e) => [
      e.kind ?? (e.severity === 'error' ? 'unreadable-input' : 'input-not-followed'),
      e.severity,
      path.basename(e.file),
      e.message,
    ]);
    const rules = runChecks(r.manifests, { platform: 'rhoai-3.0', ...r })
      .filter((f) => f.rule === 'argocd-path-missing' || f.rule === 'argocd-json-not-manifest')
      .map((f) => [f.rule, f.severity, f.object, f.message]);
    return [...reader, ...rules];
  };
  const names = (r: ReturnType<typeof read>) => r.manifests.map((m) => (m.manifest as { metadata: { name: string } }).metadata.name);

  test('a folder of .json manifests is read: one object, a List, and objects one after another, each with its line', () => {
    const r = read({
      'deploy/a.json': json(CM('one')),
      'deploy/b.json': json({ apiVersion: 'v1', kind: 'List', items: [CM('two'), CM('three')] }),
      'deploy/c.json': `${JSON.stringify(CM('four'))}\n\n${JSON.stringify(CM('five'))}\n`,
    });
    expect(r.errors).toEqual([]);
    expect(names(r)).toEqual(['one', 'two', 'three', 'four', 'five']);
    expect(r.manifests.filter((m) => m.file.endsWith('c.json')).map((m) => m.line)).toEqual([1, 3]);
    // Argo CD refuses the stream, kubectl reads it: the file is read, and told apart for the Argo CD rule
    expect(r.unread.map((u) => [path.basename(u.file), u.kind, u.holds])).toEqual([['c.json', 'not-manifest', '2 JSON values one after another']]);
  });

  test('an Application whose folder holds only .json manifests delivers them: no argocd-path-missing', () => {
    const r = read({ 'apps/web.yaml': APP('path: deploy'), 'deploy/cm.json': json(CM('one')) });
    const graph = new ObjectGraph(r.manifests as readonly GraphObject[], { folders: r.folders, unread: r.unread });
    expect(deliveredBy(graph.find('Application', 'web', 'openshift-gitops')!, graph).map((o) => o.manifest.metadata.name)).toEqual(['one']);
    expect(findings({ 'apps/web.yaml': APP('path: deploy'), 'deploy/cm.json': json(CM('one')) })).toEqual([]);
  });

  test('JSON that is no manifest is passed over quietly in a folder (tool configuration), and said when named', () => {
    const files = {
      'deploy/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one}\n`,
      'deploy/package.json': json({ name: 'web', version: '1.0.0' }),
      'deploy/tsconfig.json': '{\n  // comments, as tsc allows\n  "compilerOptions": {}\n}\n',
      'deploy/empty.json': '',
      'deploy/null.json': 'null\n',
    };
    const r = read(files);
    expect(r.errors).toEqual([]);
    expect(r.unread.map((u) => [path.basename(u.file), u.holds])).toEqual([
      ['empty.json', 'no JSON value (an empty file)'],
      ['package.json', 'a JSON object without a kind'],
      ['tsconfig.json', expect.stringMatching(/^text that is not JSON \(/)],
    ]);
    const dir = writeTree({ 'package.json': files['deploy/package.json'] }, 'argocd-json-');
    expect(readManifests([path.join(dir, 'package.json')]).errors.map((e) => [e.severity, e.message])).toEqual([
      ['warning', 'document 1 is not a Kubernetes object (a mapping with apiVersion and kind): skipped'],
    ]);
  });

  test('JSON meant as manifests that kubectl and Argo CD do not read is said: an array of objects, text that does not parse, no apiVersion', () => {
    const out = findings({
      'deploy/array.json': json([CM('one'), CM('two')]),
      'deploy/broken.json': '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"},}\n',
      'deploy/no-api.json': json({ kind: 'ConfigMap', metadata: { name: 'x' } }),
    });
    expect(out.map((f) => f.slice(0, 3))).toEqual([
      ['input-not-followed', 'warning', 'array.json'],
      ['unreadable-input', 'error', 'broken.json'],
      // nothing else delivers this input: it is applied as read, and the apply fails
      ['unreadable-input', 'error', 'no-api.json'],
    ]);
    expect(out[0][3]).toContain('a .json manifest is one object, several go in the items of a List');
    expect(out[1][3]).toMatch(/^is not valid JSON: /);
    expect(out[2][3]).toBe(
      'document 1 (a ConfigMap) has no apiVersion: the input has no kustomization, chart or Argo CD Application, so its files are applied as they are (kubectl apply -f), and kubectl and the API server refuse it ("apiVersion not set"); write the key apiVersion',
    );
  });

  test('a .jsonnet file is said as not followed, and its folder is not judged empty', () => {
    const jsonnet = "local cm = import 'cm.libsonnet';\n[cm('one')]\n";
    const out = findings({ 'apps/web.yaml': APP('path: deploy'), 'deploy/main.jsonnet': jsonnet, 'deploy/cm.libsonnet': '{}\n' });
    expect(out).toEqual([['input-not-followed', 'warning', 'main.jsonnet', expect.stringContaining('is Jsonnet: check does not evaluate it')]]);
    expect(out[0][3]).toContain('argocd app manifests <app> | cdk8s-vllm check -');
  });

  // beside a manifest the settings leave out, so that only the .jsonnet file keeps the selection from being empty
  test.each([
    ['an include selecting only the .jsonnet file', "path: deploy\ndirectory: {include: '*.jsonnet'}", 'deploy/main.jsonnet'],
    ['recurse reaching a .jsonnet file in a subfolder', "path: deploy\ndirectory: {recurse: true, include: 'gen/*'}", 'deploy/gen/main.jsonnet'],
  ])('no argocd-path-missing for %s', (_, source, jsonnet) => {
    const out = findings({ 'apps/web.yaml': APP(source), [jsonnet]: '[]\n', 'deploy/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one}\n` });
    expect(out).toEqual([['input-not-followed', 'warning', 'main.jsonnet', expect.stringContaining('is Jsonnet')]]);
  });

  test('a selection that leaves out every file, a .jsonnet one among them, names it among the manifest files', () => {
    const out = findings({ 'apps/web.yaml': APP("path: deploy\ndirectory: {include: '*.yaml'}"), 'deploy/main.jsonnet': '[]\n' });
    expect(out.filter((f) => f[0] === 'argocd-path-missing').map((f) => f[3])).toEqual([
      expect.stringContaining('selects none of the 1 manifest file(s) below it (main.jsonnet)'),
    ]);
  });

  test.each([
    ['a config file (#11001)', 'config.json', json({ environments: ['dev', 'prod'] }), 'a JSON object without a kind', "Object 'Kind' is missing"],
    ['an array', 'list.json', json([1, 2]), 'a JSON array', 'Failed to unmarshal'],
    [
      'two objects one after another (json-list)',
      'two.json',
      `${JSON.stringify(CM('a'))}\n${JSON.stringify(CM('b'))}\n`,
      '2 JSON values one after another',
      'Only single objects are allowed in JSON files',
    ],
    ['an empty file', 'empty.json', '', 'no JSON value (an empty file)', 'Failed to unmarshal'],
    ['text that is not JSON (invalid-json)', 'invalid.json', '[\n', 'text that is not JSON', 'Failed to unmarshal'],
    [
      "the project's own settings file, a dot file",
      '.cdk8s-vllm.json',
      json({ platform: 'rhoai-3.0' }),
      'a JSON object without a kind',
      "Object 'Kind' is missing",
    ],
  ])('argocd-json-not-manifest: a directory source reading %s', (_, file, content, holds, says) => {
    const out = findings({
      'apps/web.yaml': APP('path: deploy'),
      'deploy/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one}\n`,
      [`deploy/${file}`]: content,
    });
    const mine = out.filter((f) => f[0] === 'argocd-json-not-manifest');
    expect(mine).toEqual([
      [
        'argocd-json-not-manifest',
        'error',
        'Application/openshift-gitops/web',
        expect.stringContaining(`reads a .json file that is not a Kubernetes object: ${file} (${holds}`),
      ],
    ]);
    expect(mine[0][3]).toContain(`"${says}"`);
    expect(mine[0][3]).toContain(`leave it out with directory.exclude: '${file}'`);
    // the Application delivers its manifests all the same: no argocd-path-missing beside it
    expect(out.filter((f) => f[0] === 'argocd-path-missing')).toEqual([]);
  });

  test('several refused files: one finding listing them, with an exclude kept with the one the source has', () => {
    const out = findings({
      'apps/web.yaml': APP("path: deploy\ndirectory: {exclude: 'notes/*'}"),
      'deploy/cm.json': json(CM('one')),
      'deploy/package.json': json({ name: 'web' }),
      'deploy/renovate.json': json({ extends: ['config:base'] }),
    });
    expect(out).toEqual([
      [
        'argocd-json-not-manifest',
        'error',
        'Application/openshift-gitops/web',
        expect.stringContaining('reads 2 .json files that are not a Kubernetes object: package.json (a JSON object without a kind'),
      ],
    ]);
    expect(out[0][3]).toContain("leave them out with directory.exclude: '{notes/*,package.json,renovate.json}'");
  });

  const CONFIG = { 'deploy/config.json': json({ a: 1 }) };
  test.each([
    ['excluded', "path: deploy\ndirectory: {exclude: 'config.json'}", CONFIG],
    ['outside the include', "path: deploy\ndirectory: {include: '*.yaml'}", CONFIG],
    ['in a subfolder without recurse', 'path: deploy', { 'deploy/tools/config.json': json({ a: 1 }) }],
    ['marked +argocd:skip-file-rendering', 'path: deploy', { 'deploy/config.json': json({ $comment: '+argocd:skip-file-rendering', a: 1 }) }],
    ['in a kustomize source', 'path: deploy', { ...CONFIG, 'deploy/kustomization.yaml': 'resources: [cm.yaml]\n' }],
    ['in a Helm source', 'path: deploy\nhelm: {valueFiles: [values.yaml]}', CONFIG],
  ])('argocd-json-not-manifest is silent on a .json file that is no manifest %s', (_, source, config) => {
    const out = findings({ 'apps/web.yaml': APP(source), 'deploy/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one}\n`, ...config });
    expect(out.filter((f) => f[0] === 'argocd-json-not-manifest')).toEqual([]);
  });

  test("the rule's fires/ tree reports config.json and reads the InferenceService of inference-service.json; its near-miss/ none", () => {
    const run = (which: string) => {
      const r = readManifests([path.join(standalone(path.join(__dirname, '..', 'rules', 'argocd-json-not-manifest')), which)]);
      return {
        read: r.manifests.map((m) => `${(m.manifest as { kind: string }).kind} ${path.basename(m.file)}`),
        found: runChecks(r.manifests, { platform: 'rhoai-3.0', ...r })
          .filter((f) => f.rule === 'argocd-json-not-manifest')
          .map((f) => f.object),
      };
    };
    const read = ['Application serving.yaml', 'InferenceService inference-service.json', 'ServingRuntime serving-runtime.yaml'];
    expect(run('fires')).toEqual({ read, found: ['Application/openshift-gitops/serving'] });
    expect(run('near-miss')).toEqual({ read, found: [] });
  });
});

// What a source that sets `directory` on a kustomize folder applies: the selected files as written (argo-cd
// reposerver/repository/repository.go findManifests, exclude matched against the path below the source's folder).
describe('argocd-directory-on-tool-folder judges what Argo CD applies, not the presence of a kustomization', () => {
  const APP = (dir: string, directory: string) =>
    `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: app, namespace: openshift-gitops}\nspec:\n  project: default\n  destination: {server: https://kubernetes.default.svc, namespace: ai}\n  source:\n    repoURL: https://example.com/org/repo.git\n    path: ${dir}\n    directory: ${directory}\n`;
  const CM = (name: string, extra = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}data:\n  a: b\n`;
  const KUST = (body: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;
  const EXCLUDED = '{recurse: true, exclude: kustomization.yaml}';
  const messages = (files: Record<string, string>) => {
    const r = readManifests([writeTree(files, 'argocd-tool-')]);
    return runChecks(r.manifests, { platform: 'rhoai-3.0', ...r })
      .filter((f) => f.rule === 'argocd-directory-on-tool-folder')
      .map((f) => `${f.severity}: ${f.message}`);
  };

  test('kustomization.yaml not excluded: applied as an object of kind Kustomization, the sync fails', () => {
    const found = messages({
      'apps/app.yaml': APP('deploy', '{recurse: true}'),
      'deploy/kustomization.yaml': KUST('resources: [cm.yaml]\n'),
      'deploy/cm.yaml': CM('a'),
    });
    expect(found).toEqual([
      expect.stringMatching(/^error: .*applies kustomization\.yaml as an object of kind Kustomization .*directory\.exclude: 'kustomization\.yaml'/),
    ]);
  });

  test("an empty directory (recurse: false, no include, exclude or jsonnet): Argo CD's controller drops it and builds the kustomization", () => {
    for (const empty of ['{recurse: false}', '{}'])
      expect(
        messages({ 'apps/app.yaml': APP('deploy', empty), 'deploy/kustomization.yaml': KUST('resources: [cm.yaml]\n'), 'deploy/cm.yaml': CM('a') }),
      ).toEqual([]);
  });

  test('excluded, and the kustomization only lists the folder’s files: nothing is lost, no finding', () => {
    expect(
      messages({
        'apps/app.yaml': APP('deploy', EXCLUDED),
        'deploy/kustomization.yaml': KUST('resources: [cm.yaml, sub/cm.yaml]\n'),
        'deploy/cm.yaml': CM('a'),
        'deploy/sub/cm.yaml': CM('b'),
      }),
    ).toEqual([]);
  });

  test('excluded, and the folder holds a file the kustomization does not list: the author chose directory mode, no finding', () => {
    const files = { 'deploy/kustomization.yaml': KUST('resources: [cm.yaml]\n'), 'deploy/cm.yaml': CM('a'), 'deploy/b.yaml': CM('b') };
    expect(messages({ 'apps/app.yaml': APP('deploy', EXCLUDED), ...files })).toEqual([]);
    // near miss: with the kustomization read (no exclude), the sync fails on it
    expect(messages({ 'apps/app.yaml': APP('deploy', '{recurse: true}'), ...files })).toEqual([
      expect.stringMatching(/^error: .*applies kustomization\.yaml as an object of kind Kustomization/),
    ]);
  });

  test.each<[string, string, RegExp, Record<string, string>]>([
    ['a namespace', 'namespace: other\nresources: [cm.yaml]\n', /applied without the kustomization's changes: ConfigMap other\/a \(metadata\.namespace\)/, {}],
    ['a name prefix', 'namePrefix: p-\nresources: [cm.yaml]\n', /not applied: ConfigMap p-a\)/, {}],
    ['common labels', 'labels: [{pairs: {team: ml}}]\nresources: [cm.yaml]\n', /ConfigMap a \(metadata\.labels\)/, {}],
    ['a generator', 'resources: [cm.yaml]\nconfigMapGenerator: [{name: gen, literals: [k=v]}]\n', /not applied: ConfigMap gen-[a-z0-9]{10}\)/, {}],
  ])('excluded, but the kustomization adds %s: an error naming what is lost', (_, body, says, more) => {
    const found = messages({ 'apps/app.yaml': APP('deploy', EXCLUDED), 'deploy/kustomization.yaml': KUST(body), 'deploy/cm.yaml': CM('a'), ...more });
    expect(found).toEqual([expect.stringMatching(says)]);
    expect(found[0]).toMatch(/^error: .*remove directory from the source$/);
  });

  test('recurse over folders with kustomizations: exclude kustomization.yaml leaves only the top one out, the nested ones fail the sync', () => {
    const found = messages({
      'apps/app.yaml': APP('servers', EXCLUDED),
      'servers/a/kustomization.yaml': KUST('resources: [cm.yaml]\n'),
      'servers/a/cm.yaml': CM('a'),
      'servers/b/kustomization.yaml': KUST('resources: [cm.yaml]\n'),
      'servers/b/cm.yaml': CM('b'),
    });
    expect(found).toEqual([
      expect.stringMatching(
        /^error: .*applies a\/kustomization\.yaml; b\/kustomization\.yaml as an object of kind Kustomization .*leave the files out with directory\.exclude: '\{kustomization\.yaml,a\/kustomization\.yaml,b\/kustomization\.yaml\}'/,
      ),
    ]);
    // the folder is no kustomization itself: removing directory would not build them
    expect(found[0]).not.toMatch(/remove directory/);
  });

  test('a kustomization included by another is compared with its own build, not the including one’s', () => {
    const files = {
      'apps/app.yaml': APP('deploy/part', EXCLUDED),
      'deploy/kustomization.yaml': KUST('namespace: outer\nresources: [part]\n'),
      'deploy/part/kustomization.yaml': KUST('resources: [cm.yaml]\n'),
      'deploy/part/cm.yaml': CM('a'),
    };
    expect(messages(files)).toEqual([]);
  });
});

// argo-cd controller/state.go DeduplicateTargetObjects: a repeated target keeps the last one read (filepath.Walk order)
// and sets RepeatedResourceWarning; files in kustomize folders are read as written by a recursive directory source.
describe('duplicate-object on the objects an Application directory source reads', () => {
  const APP = `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: servers, namespace: openshift-gitops}\nspec:\n  project: default\n  destination: {server: https://kubernetes.default.svc, namespace: ai}\n  source:\n    repoURL: https://example.com/org/repo.git\n    path: servers\n    directory: {recurse: true, exclude: '*kustomization.yaml'}\n`;
  const CM = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  level: ${value}\n`;
  const found = (copy: string) => {
    const r = readManifests([
      writeTree(
        {
          'apps/app.yaml': APP,
          'servers/slack/kustomization.yaml': 'resources: [settings.yaml]\n',
          'servers/slack/settings.yaml': CM('info'),
          'servers/slack/image/settings.yaml': copy,
        },
        'argocd-repeated-',
      ),
    ]);
    return runChecks(r.manifests, { platform: 'rhoai-3.0', ...r })
      .filter((f) => f.rule === 'duplicate-object')
      .map((f) => `${f.severity} ${f.object}: ${f.message}`);
  };

  test('two different copies in subfolders: Argo CD syncs the last one read, a warning naming both files and the one it keeps', () => {
    expect(found(CM('debug'))).toEqual([
      "warning Application/openshift-gitops/servers: directory source 'servers' reads ConfigMap ai/settings 2 times (slack/image/settings.yaml, slack/settings.yaml); " +
        'Argo CD keeps the last one read, slack/settings.yaml, and reports "Resource … appeared 2 times among application resources" (RepeatedResourceWarning), and syncs; ' +
        'the copies differ, so only the kept one reaches the cluster (no key a pod of the tree reads is lost): make sure it is the one meant: delete the copies, or leave them out with directory.exclude',
    ]);
  });

  test('a key a pod reads held only by the copy Argo CD drops: an error naming the key', () => {
    const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: ai}\nspec:\n  containers:\n    - name: web\n      image: quay.io/example/web:1.0\n      env:\n        - {name: T, valueFrom: {configMapKeyRef: {name: settings, key: trace}}}\n`;
    expect(found(`${CM('debug')}  trace: "on"\n---\n${pod}`)).toEqual([
      expect.stringMatching(
        /^error .*so the keys only the other copies hold never reach the cluster, and pods read them: trace \(read by Pod\/ai\/web container 'web' env T\)/,
      ),
    ]);
  });

  test('two identical copies: a warning, nothing is lost', () => {
    expect(found(CM('info'))).toEqual([expect.stringMatching(/^warning .*the copies are the same, so nothing is lost/)]);
  });

  test('a copy in another namespace is another object: no finding', () => {
    expect(found(CM('debug').replace('name: settings', 'name: settings\n  namespace: other'))).toEqual([]);
  });
});

describe('argocd-directory-file-invalid: files a directory source reads that Argo CD cannot render or apply', () => {
  const APP = (dir: string, directory: string) =>
    `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: app, namespace: openshift-gitops}\nspec:\n  project: default\n  destination: {server: https://kubernetes.default.svc, namespace: ai}\n  source:\n    repoURL: https://example.com/org/repo.git\n    path: ${dir}\n    directory: ${directory}\n`;
  const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: b\n`;
  const SCC = 'kind: SecurityContextConstraints\nmetadata:\n  name: chat\nallowPrivilegedContainer: false\n';
  const MASKED = 'kind: Secret\napiVersion: v1\nmetadata:\n  name: search-key\ndata:\n  key: *****\n';
  const POD = `apiVersion: v1\nkind: Pod\nmetadata: {name: ui}\nspec:\n  containers:\n    - name: ui\n      image: quay.io/example/ui:1.0\n      env:\n        - {name: KEY, valueFrom: {secretKeyRef: {name: search-key, key: key}}}\n`;
  const run = (files: Record<string, string>) => {
    const r = readManifests([writeTree(files, 'argocd-file-')]);
    const findings = runChecks(r.manifests, { platform: 'rhoai-3.0', ...r });
    const inputs = r.errors.filter((e) => e.severity !== 'info').map((e) => `${e.severity}: ${path.basename(e.file)}: ${e.message}`);
    return { findings, inputs };
  };
  const of = (findings: ReturnType<typeof runChecks>, rule: string) => findings.filter((f) => f.rule === rule).map((f) => `${f.severity}: ${f.message}`);

  test('a document without apiVersion in a folder a directory source reads: an error on the Application; the file keeps its warning', () => {
    const { findings, inputs } = run({ 'apps/app.yaml': APP('deploy', '{recurse: false}'), 'deploy/cm.yaml': CM('a'), 'deploy/scc.yaml': SCC });
    expect(of(findings, 'argocd-directory-file-invalid')).toEqual([
      "error: directory source 'deploy' (directory.recurse false) reads a file that cannot be applied: scc.yaml: document 1 (a SecurityContextConstraints) has no apiVersion; " +
        'Argo CD applies a document with a kind but no apiVersion, which kubectl and the API server refuse ("apiVersion not set"): the sync fails: write the key apiVersion, or leave the file out with directory.exclude',
    ]);
    expect(inputs).toEqual([expect.stringMatching(/^warning: scc\.yaml: document 1 \(a SecurityContextConstraints\) has no apiVersion: skipped/)]);
  });

  test('the same file in a folder no Application reads, beside one it does: a warning only', () => {
    const { findings, inputs } = run({ 'apps/app.yaml': APP('deploy', '{recurse: false}'), 'deploy/cm.yaml': CM('a'), 'extras/scc.yaml': SCC });
    expect(of(findings, 'argocd-directory-file-invalid')).toEqual([]);
    expect(inputs).toEqual([expect.stringMatching(/^warning: scc\.yaml: .*has no apiVersion: skipped/)]);
  });

  test('an input with no kustomization, chart or Application is applied as read: the document without apiVersion is an error', () => {
    const { inputs } = run({ 'yaml/cm.yaml': CM('a'), 'yaml/scc.yaml': SCC });
    expect(inputs).toEqual([
      'error: scc.yaml: document 1 (a SecurityContextConstraints) has no apiVersion: the input has no kustomization, chart or Argo CD Application, so its files are applied as they are (kubectl apply -f), and kubectl and the API server refuse it ("apiVersion not set"); write the key apiVersion',
    ]);
  });

  // a benchmark harness's scenario file beside the manifests: its own `kind`, no apiVersion, no metadata
  const SCENARIO = '# read by the harness, not applied\nname: single-gpu\nkind: train\nqueue: default\nnodes: 1\n';

  test("a program's data beside the manifests of a plain folder is not taken to be applied: a warning that it reads as data", () => {
    const { inputs } = run({ 'manifests/cm.yaml': CM('a'), 'scenarios/one.yaml': SCENARIO });
    expect(inputs).toEqual([
      'warning: one.yaml: document 1 (a train) has no apiVersion: skipped; with no metadata and a kind not written as a Kubernetes kind (those start with a capital letter), it reads as a program\'s data, not a manifest: kubectl and the API server would refuse it ("apiVersion not set") if a delivery applied it; keep it out of the folders kubectl or Argo CD apply',
    ]);
    const r = readManifests([writeTree({ 'manifests/cm.yaml': CM('a'), 'scenarios/one.yaml': SCENARIO }, 'argocd-file-')]);
    expect(r.errors.map((e) => e.kind)).toEqual(['input-not-followed']);
  });

  test('the same data where a delivery applies it is still refused: a directory source reading it, a kustomization listing it', () => {
    const { findings } = run({ 'apps/app.yaml': APP('deploy', '{recurse: false}'), 'deploy/cm.yaml': CM('a'), 'deploy/one.yaml': SCENARIO });
    expect(of(findings, 'argocd-directory-file-invalid')).toEqual([
      expect.stringMatching(/^error: .*reads a file that cannot be applied: one\.yaml: document 1 \(a train\) has no apiVersion/),
    ]);
    const listed = run({ 'kustomization.yaml': 'resources: [cm.yaml, one.yaml]\n', 'cm.yaml': CM('a'), 'one.yaml': SCENARIO });
    expect(listed.inputs).toEqual([expect.stringMatching(/^error: one\.yaml: document 1 \(a train\) has no apiVersion: kustomize builds it into /)]);
  });

  test('near miss: a capitalised kind or a metadata block is a manifest missing its apiVersion, still an error in a plain folder', () => {
    for (const doc of ['kind: Train\nname: a\n', 'kind: train\nmetadata:\n  name: a\n'])
      expect(run({ 'yaml/cm.yaml': CM('a'), 'yaml/x.yaml': doc }).inputs).toEqual([
        expect.stringMatching(/^error: x\.yaml: .*the input has no kustomization, chart or Argo CD Application/),
      ]);
  });

  test('recurse over a kustomize folder reads a file its kustomization leaves out; it does not parse: an error, and its Secret is not called missing', () => {
    const { findings, inputs } = run({
      'apps/app.yaml': APP('deploy', '{recurse: true, exclude: kustomization.yaml}'),
      'deploy/kustomization.yaml': 'resources: [pod.yaml]\n',
      'deploy/pod.yaml': POD,
      'deploy/secret.yaml': MASKED,
    });
    expect(of(findings, 'argocd-directory-file-invalid')).toEqual([
      expect.stringMatching(
        /^error: directory source 'deploy' \(directory.recurse true, exclude 'kustomization.yaml'\) reads a file that cannot be applied: secret\.yaml: document 1 is not valid YAML: Unresolved alias .*\(a value that begins with \* is read as an alias: quote it\).*"Failed to unmarshal"/,
      ),
    ]);
    expect(of(findings, 'secret-not-in-tree')).toEqual([]);
    expect(inputs).toEqual([]);
  });

  test('excluded, the file is not read: no finding; in a folder read whole its parse error is the input error alone', () => {
    const excluded = run({
      'apps/app.yaml': APP('deploy', '{recurse: true, exclude: "{kustomization.yaml,secret.yaml}"}'),
      'deploy/kustomization.yaml': 'resources: [pod.yaml]\n',
      'deploy/pod.yaml': POD,
      'deploy/secret.yaml': MASKED,
    });
    expect(of(excluded.findings, 'argocd-directory-file-invalid')).toEqual([]);
    const whole = run({ 'apps/app.yaml': APP('deploy', '{recurse: false}'), 'deploy/pod.yaml': POD, 'deploy/secret.yaml': MASKED });
    expect(of(whole.findings, 'argocd-directory-file-invalid')).toEqual([]);
    expect(whole.inputs).toEqual([expect.stringMatching(/^error: secret\.yaml: document 1 is not valid YAML: Unresolved alias/)]);
  });
});

// reposerver findManifests reads every selected file as written, those of kustomize folders below the path included:
// an app-of-apps directory source that recurses delivers a child Application kept beside a kustomization
describe('a recursing directory source delivers the files of kustomize folders below it', () => {
  const APPLICATION = (name: string, wave: string, source: string) =>
    `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: openshift-gitops\n  annotations: {argocd.argoproj.io/sync-wave: "${wave}"}\n` +
    `spec:\n  project: default\n  destination: {server: https://kubernetes.default.svc, namespace: ai}\n  source:\n    repoURL: https://github.com/example-org/llm-gitops.git\n${source.replace(/^/gm, '    ')}\n`;
  const waveFindings = (recurse: boolean) => {
    const dir = writeTree(
      {
        'bootstrap/root.yaml': APPLICATION('root', '0', `path: gitops/applications\ndirectory: {recurse: ${recurse}, include: '*.yaml'}`),
        'gitops/applications/serving/kustomization.yaml': 'resources: [serving.yaml]\n',
        'gitops/applications/serving/serving.yaml': APPLICATION('serving', '1', 'path: gitops/serving'),
        'gitops/serving/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: ai}\nspec:\n  ports: [{port: 80}]\n',
      },
      'argocd-directory-kustomized-',
    );
    const { manifests, folders } = readManifests([dir]);
    return runChecks(manifests, { platform: 'rhoai-3.0', folders })
      .filter((f) => f.rule === 'argocd-wave-ignored' && /no Application of the checked input delivers it/.test(f.message))
      .map((f) => f.object);
  };

  test('recurse: the child is delivered by the root, whose own wave is the one applied by hand', () => {
    expect(waveFindings(true)).toEqual(['Application/openshift-gitops/root']);
  });

  test('near miss: without recurse the root reads no file of the subfolder, and the child is delivered by nothing', () => {
    expect(waveFindings(false)).toEqual(['Application/openshift-gitops/root', 'Application/openshift-gitops/serving']);
  });
});
