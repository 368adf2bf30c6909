import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('flux-dependency-not-found', docs);

const kustomization = (name: string, namespace: string, dependsOn?: Doc[]): Doc => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name, namespace },
  spec: {
    interval: '30m',
    path: `./${name}`,
    prune: true,
    sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' },
    ...(dependsOn ? { dependsOn } : {}),
  },
});
const release = (name: string, namespace: string, dependsOn?: Doc[]): Doc => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name, namespace },
  spec: {
    interval: '30m',
    chart: { spec: { chart: name, sourceRef: { kind: 'HelmRepository', name: 'charts', namespace: 'flux-system' } } },
    ...(dependsOn ? { dependsOn } : {}),
  },
});

describe('flux-dependency-not-found', () => {
  test('a dependsOn entry without namespace naming a Kustomization defined only in another namespace: an error with the namespace to write', () => {
    expect(found([kustomization('storage-operator', 'storage'), kustomization('inference', 'flux-system', [{ name: 'storage-operator' }])])).toEqual([
      expect.stringMatching(
        /^error Kustomization\/flux-system\/inference: spec\.dependsOn\[0\] names Kustomization 'storage-operator', with no namespace, so in the object's own, 'flux-system', but the tree and its repository define Kustomization 'storage-operator' only in 'storage' .*never reconciles this object; write namespace: storage$/,
      ),
    ]);
  });

  test('a HelmRelease waits for HelmReleases; a namespace written wrongly is judged too', () => {
    expect(found([release('database', 'data'), release('gateway', 'serving', [{ name: 'database', namespace: 'db' }])])).toEqual([
      expect.stringMatching(/^error HelmRelease\/serving\/gateway: spec\.dependsOn\[0\] names HelmRelease 'database' in namespace 'db', but .* only in 'data'/),
    ]);
  });

  test('near misses: the namespace written, a namesake in the own namespace, a name the files do not define, another kind of the same name', () => {
    expect(
      found([kustomization('storage-operator', 'storage'), kustomization('inference', 'flux-system', [{ name: 'storage-operator', namespace: 'storage' }])]),
    ).toEqual([]);
    expect(
      found([
        kustomization('storage-operator', 'storage'),
        kustomization('storage-operator', 'flux-system'),
        kustomization('inference', 'flux-system', [{ name: 'storage-operator' }]),
      ]),
    ).toEqual([]);
    expect(found([kustomization('inference', 'flux-system', [{ name: 'cert-manager' }])])).toEqual([]);
    expect(found([release('storage-operator', 'storage'), kustomization('inference', 'flux-system', [{ name: 'storage-operator' }])])).toEqual([]);
  });
});
