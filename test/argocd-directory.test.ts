import * as path from 'path';
import { runChecks } from '../lib';
import { globMatch, selects, DirectorySelection } from '../lib/check/argocd/directory-source';
import { deliveredBy } from '../lib/check/argocd/application';
import { GraphObject, ObjectGraph } from '../lib/check/graph';
import { readManifests } from '../lib/manifests/read-manifests';
import { writeTree } from './setup/kustomize-build';

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
    const { manifests, folders, charts, leftOut } = readManifests([dir]);
    return runChecks(manifests, { platform: 'rhoai-3.0', folders, charts, leftOut })
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

  test('an exclude that removes every file is reported', () => {
    const out = findings({
      'apps/web.yaml': APP("path: deploy\ndirectory: {exclude: '{service,route}.yaml'}"),
      'deploy/service.yaml': SERVICE('web'),
      'deploy/route.yaml': SERVICE('route'),
    });
    expect(out.map((f) => f[2])).toEqual([expect.stringContaining("exclude '{service,route}.yaml'")]);
  });

  test("the rule's fires/ tree reports the empty selection of path . beside the missing path; its near-miss/ none", () => {
    const run = (which: string) => {
      const { manifests, folders, charts, leftOut } = readManifests([path.join(__dirname, 'rules', 'argocd-path-missing', which)]);
      return runChecks(manifests, { platform: 'rhoai-3.0', folders, charts, leftOut })
        .filter((f) => f.rule === 'argocd-path-missing')
        .map((f) => f.object);
    };
    expect(run('fires').sort()).toEqual(['Application/openshift-gitops/model-catalog', 'Application/openshift-gitops/serving']);
    expect(run('near-miss')).toEqual([]);
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
