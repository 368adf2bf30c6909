import { runChecks } from '../../lib';

/** cluster-binding-subject-namespace-missing: ValidateRoleBindingSubject requires a ServiceAccount subject's namespace on a ClusterRoleBinding only. */
const roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'token-reviewer' };
const binding = (kind: string, subjects: Record<string, unknown>[]) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name: 'token-reviewer', ...(kind === 'RoleBinding' ? { namespace: 'llm' } : {}) },
  roleRef,
  subjects,
});
const found = (manifests: Record<string, unknown>[]) =>
  runChecks(
    manifests.map((manifest) => ({ manifest })),
    { platform: 'rhoai-3.0', rules: ['cluster-binding-subject-namespace-missing'] },
  ).map((f) => [f.rule, f.severity, f.object, f.message]);

describe('cluster-binding-subject-namespace-missing', () => {
  test('a ServiceAccount subject of a ClusterRoleBinding without namespace, or with an empty one: an error per subject', () => {
    expect(
      found([
        binding('ClusterRoleBinding', [
          { kind: 'ServiceAccount', name: 'router-scheduler' },
          { kind: 'ServiceAccount', name: 'picker', namespace: 'llm' },
          { kind: 'ServiceAccount', name: 'gateway', namespace: '' },
        ]),
      ]),
    ).toEqual([
      [
        'cluster-binding-subject-namespace-missing',
        'error',
        'ClusterRoleBinding/token-reviewer',
        expect.stringMatching(
          /^subjects\[0\] is ServiceAccount 'router-scheduler' with no namespace: the API server refuses the ClusterRoleBinding \("subjects\[0\]\.namespace: Required value"\).*ClusterRole 'token-reviewer'/,
        ),
      ],
      [
        'cluster-binding-subject-namespace-missing',
        'error',
        'ClusterRoleBinding/token-reviewer',
        expect.stringMatching(/^subjects\[2\] is ServiceAccount 'gateway' with no namespace/),
      ],
    ]);
  });

  test("a RoleBinding subject without namespace (the binding's own), User and Group subjects, a namespaced account: nothing", () => {
    expect(
      found([
        binding('RoleBinding', [{ kind: 'ServiceAccount', name: 'router-scheduler' }]),
        binding('ClusterRoleBinding', [
          { kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' },
          { kind: 'Group', name: 'system:authenticated', apiGroup: 'rbac.authorization.k8s.io' },
          { kind: 'ServiceAccount', name: 'router-scheduler', namespace: 'llm' },
        ]),
      ]),
    ).toEqual([]);
  });
});
