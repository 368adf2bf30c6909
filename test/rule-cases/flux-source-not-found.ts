import { ruleFindings } from '../util';

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
        /^warning Kustomization\/flux-system\/apps: spec\.sourceRef names GitRepository 'apps-repo' in namespace 'flux-system' \(no namespace given: the object's own\), which neither the tree nor its repository defines \(.*GitRepository 'flux-system\/cluster-repo'\).*not found/,
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
