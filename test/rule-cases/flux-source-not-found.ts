import { execFileSync } from 'child_process';
import * as path from 'path';
import { cliInProcess, ruleFindings, writeTree } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('flux-source-not-found', docs);

const source = (kind: string, name: string, namespace = 'flux-system'): Doc => ({
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind,
  metadata: { name, namespace },
  spec: { interval: '10m', url: 'https://git.example.org/platform/cluster.git' },
});
const kustomization = (name: string, sourceRef: Doc, namespace = 'flux-system'): Doc => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name, namespace },
  spec: { interval: '10m', path: `./${name}`, prune: true, sourceRef },
});
const release = (name: string, chartSource: Doc): Doc => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name, namespace: 'serving' },
  spec: { interval: '10m', chart: { spec: { chart: 'engine', sourceRef: chartSource } } },
});

describe('flux-source-not-found', () => {
  test('a GitRepository the tree does not define, beside the one it does: a warning naming what it has', () => {
    expect(found([source('GitRepository', 'cluster-repo'), kustomization('apps', { kind: 'GitRepository', name: 'apps-repo' })])).toEqual([
      expect.stringMatching(
        /^warning Kustomization\/flux-system\/apps: spec\.sourceRef names GitRepository 'apps-repo' in namespace 'flux-system' \(no namespace given: the object's own\), which the checked tree does not define \(the checked tree defines GitRepository 'flux-system\/cluster-repo'; it lies in no git work tree, so no other folder of its repository was read\): unless it is made outside the checked tree, .*not found/,
      ),
    ]);
  });

  test("a HelmRelease's chart source in another namespace than the one written; other objects reading the bootstrap source are named", () => {
    const docs = [
      source('HelmRepository', 'charts', 'flux-system'),
      release('engine', { kind: 'HelmRepository', name: 'charts' }),
      kustomization('infra', { kind: 'GitRepository', name: 'flux-system' }),
      kustomization('apps', { kind: 'GitRepository', name: 'home-repo' }),
    ];
    expect(found(docs)).toEqual([
      expect.stringMatching(/^warning HelmRelease\/serving\/engine: spec\.chart\.spec\.sourceRef names HelmRepository 'charts' in namespace 'serving'/),
      expect.stringMatching(
        /^warning Kustomization\/flux-system\/apps: .*GitRepository 'home-repo'.*their other Flux objects read GitRepository 'flux-system\/flux-system' \(1\)/,
      ),
    ]);
  });

  test('near misses: the source defined, the namespace written, the bootstrap source, a tree that declares no sources and reads no other', () => {
    expect(found([source('GitRepository', 'cluster-repo'), kustomization('apps', { kind: 'GitRepository', name: 'cluster-repo' })])).toEqual([]);
    expect(found([source('HelmRepository', 'charts'), release('engine', { kind: 'HelmRepository', name: 'charts', namespace: 'flux-system' })])).toEqual([]);
    expect(found([source('HelmRepository', 'charts'), kustomization('infra', { kind: 'GitRepository', name: 'flux-system' })])).toEqual([]);
    expect(found([kustomization('apps', { kind: 'GitRepository', name: 'apps-repo' })])).toEqual([]);
  });
});

describe('flux-source-not-found: the message says what was read', () => {
  const files = {
    'clusters/prod/source.yaml':
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: cluster-repo, namespace: flux-system}\nspec: {interval: 10m, url: https://git.example.org/platform/cluster.git}\n',
    'clusters/prod/apps.yaml':
      'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps, namespace: flux-system}\nspec: {interval: 10m, path: ./apps, prune: true, sourceRef: {kind: GitRepository, name: apps-repo}}\n',
  };
  const messages = async (dir: string) => {
    const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; message: string }[] }).findings
      .filter((f) => f.rule === 'flux-source-not-found')
      .map((f) => f.message);
  };

  test('a subfolder given alone, in no git work tree: no repository was read, and the message says so', async () => {
    const dir = writeTree('flux-scope-', files);
    expect(await messages(path.join(dir, 'clusters/prod'))).toEqual([
      expect.stringMatching(
        /which the checked tree does not define \(the checked tree defines GitRepository 'flux-system\/cluster-repo'; it lies in no git work tree, so no other folder of its repository was read\)/,
      ),
    ]);
  });

  test('a subfolder of a git work tree: the repository was read, and the message names it', async () => {
    const dir = writeTree('flux-scope-', files);
    execFileSync('git', ['init', '-q', dir]);
    expect(await messages(path.join(dir, 'clusters/prod'))).toEqual([
      expect.stringMatching(
        /which neither the tree nor its repository defines \(the tree and its repository define GitRepository 'flux-system\/cluster-repo'\): unless it is made outside the repository/,
      ),
    ]);
    // the work tree's root: the repository is the tree
    expect(await messages(dir)).toEqual([
      expect.stringMatching(/which the repository does not define \(the repository defines GitRepository 'flux-system\/cluster-repo'\)/),
    ]);
  });
});

describe('flux-source-not-found: a release into the namespace whose chart check does not render', () => {
  const oci = (name: string, namespace: string): Doc => ({
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name, namespace },
    spec: { interval: '10m', chartRef: { kind: 'OCIRepository', name: 'platform-sources', namespace: 'flux-system' } },
  });
  const docs = [
    source('GitRepository', 'cluster-repo'),
    source('OCIRepository', 'platform-sources'),
    kustomization('apps', { kind: 'GitRepository', name: 'apps-repo' }),
  ];

  test('another HelmRelease installing a chart into the source namespace: the warning names it', () => {
    expect(found([...docs, oci('sources', 'flux-system')])).toEqual([
      expect.stringMatching(
        /^warning Kustomization\/flux-system\/apps: spec\.sourceRef names GitRepository 'apps-repo' .*; but HelmRelease\/flux-system\/sources \(the chart of OCIRepository flux-system\/platform-sources, release 'sources'\) installs into namespace 'flux-system' what check does not render, which may make it$/,
      ),
    ]);
  });

  test('near miss: a HelmRelease whose own chart source is missing is not named as what may make it', () => {
    const lone = [source('HelmRepository', 'charts'), release('engine', { kind: 'HelmRepository', name: 'missing' })];
    expect(found(lone)).toEqual([
      expect.stringMatching(/^warning HelmRelease\/serving\/engine: spec\.chart\.spec\.sourceRef names HelmRepository 'missing' .*define this one$/),
    ]);
  });
});

describe("flux-source-not-found: the source the Flux Operator makes for a FluxInstance's sync", () => {
  const instance = (sync: Doc, namespace = 'flux-system'): Doc => ({
    apiVersion: 'fluxcd.controlplane.io/v1',
    kind: 'FluxInstance',
    metadata: { name: 'flux', namespace },
    spec: { distribution: { version: '2.x', registry: 'ghcr.io/fluxcd' }, sync },
  });
  const sync = { kind: 'GitRepository', url: 'https://git.example.org/lab/fleet.git', ref: 'refs/heads/main', path: 'clusters/lab' };
  const chartRelease = (values: Doc): Doc => ({
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'flux-instance', namespace: 'flux-system' },
    spec: { interval: '1h', chartRef: { kind: 'OCIRepository', name: 'flux-instance' }, values },
  });
  const chartSource = { ...source('OCIRepository', 'flux-instance'), spec: { interval: '1h', url: 'oci://ghcr.io/example/charts/flux-instance' } };
  const apps = kustomization('apps', { kind: 'GitRepository', name: 'fleet-repo' });
  const helmRepo = source('HelmRepository', 'charts');

  test("sync.name: the GitRepository of that name in the FluxInstance's namespace; another name is still missing", () => {
    expect(found([helmRepo, instance({ ...sync, name: 'fleet-repo' }), apps])).toEqual([]);
    expect(found([helmRepo, instance({ ...sync, name: 'fleet' }), apps])).toEqual([
      expect.stringMatching(/^warning Kustomization\/flux-system\/apps: spec\.sourceRef names GitRepository 'fleet-repo' in namespace 'flux-system'/),
    ]);
  });

  test("no sync.name: the source is named after the FluxInstance's namespace (fluxinstance_controller.go syncName)", () => {
    const inTeam = kustomization('apps', { kind: 'GitRepository', name: 'flux-team' }, 'flux-team');
    expect(found([helmRepo, instance(sync, 'flux-team'), inTeam])).toEqual([]);
    expect(found([helmRepo, instance(sync, 'flux-team'), kustomization('apps', { kind: 'GitRepository', name: 'flux' }, 'flux-team')])).toEqual([
      expect.stringMatching(/^warning Kustomization\/flux-team\/apps: spec\.sourceRef names GitRepository 'flux' in namespace 'flux-team'/),
    ]);
  });

  test("the flux-instance chart's instance.sync: made only where it gives a url", () => {
    expect(found([chartSource, chartRelease({ instance: { sync: { ...sync, name: 'fleet-repo' } } }), apps])).toEqual([]);
    expect(found([chartSource, chartRelease({ instance: { sync: { kind: 'GitRepository', name: 'fleet-repo' } } }), apps])).toEqual([
      expect.stringMatching(/^warning Kustomization\/flux-system\/apps: spec\.sourceRef names GitRepository 'fleet-repo'/),
    ]);
  });
});

describe('flux-source-not-found: the bootstrap source read as the kind the repository does not define it as', () => {
  const docs = (...more: Doc[]) => [source('GitRepository', 'flux-system'), ...more];

  test('an OCIRepository flux-system while bootstrap defines GitRepository flux-system: an error', () => {
    expect(found(docs(kustomization('addons', { kind: 'OCIRepository', name: 'flux-system' })))).toEqual([
      "error Kustomization/flux-system/addons: spec.sourceRef names OCIRepository 'flux-system' in namespace 'flux-system', while the Flux bootstrap source is defined only as GitRepository 'flux-system' (GitRepository/flux-system/flux-system), and no OCIRepository of that name: the controller finds no source (\"Source 'OCIRepository/flux-system/flux-system' not found\") and applies nothing (Ready False); set the kind to GitRepository, or define the OCIRepository",
    ]);
  });

  test('near misses: the OCIRepository defined too; no bootstrap source in the repository; the GitRepository read', () => {
    expect(found(docs(source('OCIRepository', 'flux-system'), kustomization('addons', { kind: 'OCIRepository', name: 'flux-system' })))).toEqual([]);
    expect(found([source('GitRepository', 'cluster-repo'), kustomization('addons', { kind: 'OCIRepository', name: 'flux-system' })])).toEqual([]);
    expect(found(docs(kustomization('addons', { kind: 'GitRepository', name: 'flux-system' })))).toEqual([]);
  });
});
