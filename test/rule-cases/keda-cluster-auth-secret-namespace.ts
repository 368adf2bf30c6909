import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('keda-cluster-auth-secret-namespace', docs);

const secret = (name: string, namespace: string): Doc => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, stringData: { password: 'x' } });
const auth: Doc = {
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ClusterTriggerAuthentication',
  metadata: { name: 'queue-auth' },
  spec: { secretTargetRef: [{ parameter: 'password', name: 'queue-credentials', key: 'password' }] },
};
const operator = (namespace: string, env: Doc[] = []): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'keda-operator', namespace },
  spec: {
    selector: { matchLabels: { app: 'keda-operator' } },
    template: { metadata: { labels: { app: 'keda-operator' } }, spec: { containers: [{ name: 'keda-operator', image: 'ghcr.io/kedacore/keda:2.17.0', env }] } },
  },
});

describe('keda-cluster-auth-secret-namespace', () => {
  test("the Secret made only beside the workload, KEDA's operator in the tree: an error naming KEDA's namespace", () => {
    expect(found([operator('autoscaling'), secret('queue-credentials', 'serving'), auth])).toEqual([
      expect.stringMatching(
        /^error ClusterTriggerAuthentication\/queue-auth: spec\.secretTargetRef\[0\] names Secret 'queue-credentials', which KEDA reads in its cluster object namespace 'autoscaling' \(the namespace of KEDA's operator, Deployment\/autoscaling\/keda-operator\), but the tree makes it only in 'serving'/,
      ),
    ]);
  });

  test('KEDA_CLUSTER_OBJECT_NAMESPACE overrides the namespace; without KEDA in the tree the default keda is assumed: a warning', () => {
    const shared = [
      operator('autoscaling', [{ name: 'KEDA_CLUSTER_OBJECT_NAMESPACE', value: 'shared-auth' }]),
      secret('queue-credentials', 'autoscaling'),
      auth,
    ];
    expect(found(shared)).toEqual([
      expect.stringMatching(/^error .*'shared-auth' \(KEDA_CLUSTER_OBJECT_NAMESPACE of Deployment\/autoscaling\/keda-operator\)/),
    ]);
    expect(found([secret('queue-credentials', 'serving'), auth])).toEqual([expect.stringMatching(/^warning .*'keda', KEDA's default namespace \(assumed/)]);
  });

  test("near misses: the Secret in KEDA's namespace, an ExternalSecret making it there, a name the tree makes nowhere", () => {
    expect(found([operator('autoscaling'), secret('queue-credentials', 'autoscaling'), auth])).toEqual([]);
    const external: Doc = {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'queue', namespace: 'keda' },
      spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' }, target: { name: 'queue-credentials' } },
    };
    expect(found([secret('queue-credentials', 'serving'), external, auth])).toEqual([]);
    expect(found([auth])).toEqual([]);
  });
});
