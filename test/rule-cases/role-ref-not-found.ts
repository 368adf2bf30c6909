import { ruleFound, severityObjectMessages } from '../util';

type Doc = Record<string, unknown>;
const findings = (docs: Doc[]) =>
  severityObjectMessages(
    ruleFound(
      'role-ref-not-found',
      docs.map((manifest) => ({ manifest })),
      { platform: 'kserve' },
    ),
  );

const RBAC = 'rbac.authorization.k8s.io/v1';
const role = (name: string, namespace = 'ops'): Doc => ({
  apiVersion: RBAC,
  kind: 'Role',
  metadata: { name, namespace },
  rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
});
const clusterRole = (name: string): Doc => ({ apiVersion: RBAC, kind: 'ClusterRole', metadata: { name }, rules: [] });
const binding = (kind: string, name: string, bindingKind = 'RoleBinding'): Doc => ({
  apiVersion: RBAC,
  kind: bindingKind,
  metadata: { name: 'b', ...(bindingKind === 'RoleBinding' ? { namespace: 'ops' } : {}) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name },
  subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'ops' }],
});
const namespace: Doc = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ops' } };

// kubernetes pkg/registry/rbac/validation/rule.go: a binding's Role is looked up in its namespace; none found, nothing granted
describe('role-ref-not-found', () => {
  test('a Role of a near name (a word left out) in a namespace the tree does not create: a warning naming it', () => {
    const [f] = findings([role('metrics-gpu-reader'), binding('Role', 'metrics-reader')]);
    expect(f.slice(0, 2)).toEqual(['warning', 'RoleBinding/ops/b']);
    expect(f[2]).toContain("roleRef names Role 'metrics-reader', which the tree does not hold in namespace 'ops'");
    expect(f[2]).toContain('grants its subjects nothing');
    expect(f[2]).toContain("Role of a near name there is 'metrics-gpu-reader'");
  });

  test('the tree creates the namespace: an error, near name or not', () => {
    const [f] = findings([namespace, role('runner'), binding('Role', 'job-runner-role')]);
    expect(f.slice(0, 2)).toEqual(['error', 'RoleBinding/ops/b']);
    expect(f[2]).toContain("the tree, which creates namespace 'ops'");
    expect(f[2]).toContain("add Role 'job-runner-role' to namespace 'ops'");
  });

  test('a ClusterRole of the very name: the kind is wrong', () => {
    const [f] = findings([clusterRole('pod-reader'), binding('Role', 'pod-reader')]);
    expect(f[0]).toBe('warning');
    expect(f[2]).toContain('set roleRef.kind: ClusterRole');
  });

  test('a ClusterRole roleRef with a near ClusterRole of the tree: a warning', () => {
    const [f] = findings([clusterRole('gpu-node-labeler'), binding('ClusterRole', 'gpu-node-labeller', 'ClusterRoleBinding')]);
    expect(f.slice(0, 2)).toEqual(['warning', 'ClusterRoleBinding/b']);
    expect(f[2]).toContain("while it holds ClusterRole 'gpu-node-labeler'");
  });

  test('near misses: the Role held, a far name outside a created namespace, default and platform ClusterRoles, a Role of another namespace', () => {
    expect(findings([role('reader'), binding('Role', 'reader')])).toEqual([]);
    expect(findings([role('metrics-reader'), binding('Role', 'prometheus-k8s')])).toEqual([]);
    expect(
      findings([clusterRole('viewer-ops'), binding('ClusterRole', 'view'), binding('ClusterRole', 'system:auth-delegator', 'ClusterRoleBinding')]),
    ).toEqual([]);
    expect(findings([clusterRole('gpu-node-labeler'), binding('ClusterRole', 'cluster-monitoring-view', 'ClusterRoleBinding')])).toEqual([]);
    expect(findings([role('metrics-gpu-reader', 'other'), binding('Role', 'metrics-reader')])).toEqual([]);
  });
});
