import { ruleFound } from '../util';

const GIE = 'registry.k8s.io/gateway-api-inference-extension/epp';

const picker = (image = `${GIE}:v1.0.0`) => ({
  manifest: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'picker', namespace: 'chat' },
    spec: {
      selector: { matchLabels: { app: 'picker' } },
      template: {
        metadata: { labels: { app: 'picker' } },
        spec: { serviceAccountName: 'picker', containers: [{ name: 'epp', image, args: ['--pool-name', 'qwen', '--pool-namespace', 'chat'] }] },
      },
    },
  },
});

const pool = (apiVersion = 'inference.networking.k8s.io/v1') => ({
  manifest: { apiVersion, kind: 'InferencePool', metadata: { name: 'qwen', namespace: 'chat' }, spec: {} },
});

/** A ClusterRole with the rules, bound to the picker's account (or the role a binding names, not in the tree). */
const rbac = (rules: object[], roleInTree = true) => [
  ...(roleInTree ? [{ manifest: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'picker' }, rules } }] : []),
  {
    manifest: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'picker' },
      subjects: [{ kind: 'ServiceAccount', name: 'picker', namespace: 'chat' }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'picker' },
    },
  },
];

const pools = (group: string, verbs = ['get', 'list', 'watch']) => ({ apiGroups: [group], resources: ['inferencepools'], verbs });

const found = (...manifests: { manifest: object }[]) => ruleFound('epp-pool-rbac-missing', manifests);

describe('epp-pool-rbac-missing: the picker account cannot list its pool', () => {
  test('pools granted only in the alpha group for a v1 pool: an error naming the group to add', () => {
    const [f, ...rest] = found(picker(), pool(), ...rbac([pools('inference.networking.x-k8s.io')]));
    expect(rest).toEqual([]);
    expect(f.severity).toBe('error');
    expect(f.object).toBe('Deployment/chat/picker');
    expect(f.message).toMatch(/ServiceAccount picker, whose roles \(ClusterRole picker\) grant inferencepools only in inference\.networking\.x-k8s\.io/);
    expect(f.message).toMatch(/add apiGroups \["inference\.networking\.k8s\.io"\], resources \["inferencepools"\]/);
  });

  test('the v1 group without watch is not enough', () => {
    expect(found(picker(), pool(), ...rbac([pools('inference.networking.k8s.io', ['get', 'list'])])).length).toBe(1);
  });

  test('an alpha pool with only v1 grants', () => {
    expect(found(picker(), pool('inference.networking.x-k8s.io/v1alpha2'), ...rbac([pools('inference.networking.k8s.io')])).length).toBe(1);
  });

  test('near misses: the pool group granted, a wildcard, no pool grant at all, a role not in the tree', () => {
    expect(found(picker(), pool(), ...rbac([pools('inference.networking.k8s.io'), pools('inference.networking.x-k8s.io')]))).toEqual([]);
    expect(found(picker(), pool(), ...rbac([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]))).toEqual([]);
    expect(found(picker(), pool(), ...rbac([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]))).toEqual([]);
    expect(found(picker(), pool(), ...rbac([], false))).toEqual([]);
  });
});

describe('epp-pool-rbac-missing: a v1 picker whose roles grant the removed inferencemodels', () => {
  const models = { apiGroups: ['inference.networking.x-k8s.io'], resources: ['inferencemodels'], verbs: ['get', 'list', 'watch'] };
  const objectives = { ...models, resources: ['inferenceobjectives'] };
  const v1Pools = pools('inference.networking.k8s.io');

  test('inferencemodels without inferenceobjectives on a v1.0.0 picker: a warning naming the grant to add', () => {
    const [f, ...rest] = found(picker(), pool(), ...rbac([v1Pools, models]));
    expect(rest).toEqual([]);
    expect(f.severity).toBe('warning');
    expect(f.object).toBe('Deployment/chat/picker');
    expect(f.message).toMatch(/gateway-api-inference-extension v1\.0\.0, which watches InferenceObjectives/);
    expect(f.message).toMatch(/resources \["inferenceobjectives"\]/);
  });

  test('near misses: objectives granted, a v0.5 picker, a moving tag, roles that name no inferencemodels', () => {
    expect(found(picker(), pool(), ...rbac([v1Pools, models, objectives]))).toEqual([]);
    expect(found(picker(`${GIE}:v0.5.1`), pool('inference.networking.x-k8s.io/v1alpha2'), ...rbac([pools('inference.networking.x-k8s.io'), models]))).toEqual(
      [],
    );
    expect(found(picker(`${GIE}:main`), pool(), ...rbac([v1Pools, models]))).toEqual([]);
    expect(found(picker(), pool(), ...rbac([v1Pools]))).toEqual([]);
  });
});
