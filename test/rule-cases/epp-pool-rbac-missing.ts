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
const pods = { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] };

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
    expect(found(picker(), pool(), ...rbac([pools('inference.networking.k8s.io'), pools('inference.networking.x-k8s.io'), pods]))).toEqual([]);
    expect(found(picker(), pool(), ...rbac([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]))).toEqual([]);
    expect(found(picker(), pool(), ...rbac([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]))).toEqual([]);
    expect(found(picker(), pool(), ...rbac([], false))).toEqual([]);
  });
});

describe('epp-pool-rbac-missing: a v1 picker whose roles grant the removed inferencemodels', () => {
  const models = { apiGroups: ['inference.networking.x-k8s.io'], resources: ['inferencemodels'], verbs: ['get', 'list', 'watch'] };
  const objectives = { ...models, resources: ['inferenceobjectives'] };
  const v1Pools = pools('inference.networking.k8s.io');
  const podsToo = pods;

  test('inferencemodels without inferenceobjectives on a v1.0.0 picker: a warning naming the grant to add', () => {
    const [f, ...rest] = found(picker(), pool(), ...rbac([v1Pools, podsToo, models]));
    expect(rest).toEqual([]);
    expect(f.severity).toBe('warning');
    expect(f.object).toBe('Deployment/chat/picker');
    expect(f.message).toMatch(/gateway-api-inference-extension v1\.0\.0, which watches InferenceObjectives/);
    expect(f.message).toMatch(/resources \["inferenceobjectives"\]/);
  });

  test('near misses: objectives granted, a v0.5 picker, a moving tag, roles that name no inferencemodels', () => {
    expect(found(picker(), pool(), ...rbac([v1Pools, podsToo, models, objectives]))).toEqual([]);
    expect(
      found(picker(`${GIE}:v0.5.1`), pool('inference.networking.x-k8s.io/v1alpha2'), ...rbac([pools('inference.networking.x-k8s.io'), podsToo, models])),
    ).toEqual([]);
    expect(found(picker(`${GIE}:main`), pool(), ...rbac([v1Pools, podsToo, models]))).toEqual([]);
    expect(found(picker(), pool(), ...rbac([v1Pools, podsToo]))).toEqual([]);
  });
});

// the extension's own manifests grant the picker get/watch/list on inferencepools and pods
// (config/manifests/inferencepool-resources.yaml); a ServiceAccount is granted nothing by default
describe('epp-pool-rbac-missing: a picker whose account is granted nothing on its pool or pods', () => {
  const account = { manifest: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'picker', namespace: 'chat' } } };
  const defaultPicker = () => {
    const p = picker();
    delete (p.manifest.spec.template.spec as { serviceAccountName?: string }).serviceAccountName;
    return p;
  };

  test('no serviceAccountName and no RBAC in the tree: a warning naming the default account and the grant to add', () => {
    expect(found(defaultPicker(), pool()).map((f) => [f.severity, f.object, f.message])).toEqual([
      [
        'warning',
        'Deployment/chat/picker',
        'container epp reads InferencePool qwen (inference.networking.k8s.io) and its pods as ServiceAccount default, which no RoleBinding or ClusterRoleBinding ' +
          'of the tree names (nor its groups system:serviceaccounts, system:authenticated): Kubernetes grants a ServiceAccount nothing by default, so the ' +
          "picker's informers are forbidden to list its pool and the pool's pods, its datastore never syncs and it is never ready, and requests routed to the " +
          'pool fail; a binding made outside the tree may grant it (assumed not); bind ServiceAccount default of namespace chat to a Role (or ClusterRole) with ' +
          'apiGroups ["inference.networking.k8s.io"], resources ["inferencepools"] and apiGroups [""], resources ["pods"], verbs ["get", "list", "watch"]',
      ],
    ]);
  });

  test('an account of the tree whose roles grant other resources only: a warning naming the roles', () => {
    const [f, ...rest] = found(picker(), pool(), account, ...rbac([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]));
    expect(rest).toEqual([]);
    expect(f.severity).toBe('warning');
    expect(f.message).toContain('as ServiceAccount picker, whose roles (ClusterRole picker) grant nothing on inferencepools:');
  });

  test('roles that grant the pool but not pods: an error naming the pods grant', () => {
    const [f, ...rest] = found(picker(), pool(), ...rbac([pools('inference.networking.k8s.io')]));
    expect(rest).toEqual([]);
    expect(f.severity).toBe('error');
    expect(f.message).toBe(
      'container epp runs as ServiceAccount picker, whose roles (ClusterRole picker) grant its pool qwen but no get, list and watch on pods (core group ""): ' +
        "the picker's pod informer is forbidden, it never learns the pool's endpoints and has none to pick, so requests routed to the pool fail; " +
        'add apiGroups [""], resources ["pods"], verbs ["get", "list", "watch"] to a role bound to it',
    );
  });

  test('near misses: the pool not in the tree, an account made outside the tree, a binding to a role not in the tree, a wildcard role', () => {
    expect(found(defaultPicker())).toEqual([]);
    expect(found(picker(), pool())).toEqual([]);
    expect(found(picker(), pool(), account, ...rbac([], false))).toEqual([]);
    expect(found(picker(), pool(), account, ...rbac([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]))).toEqual([]);
  });
});
