import { resourceOfKind } from '../../lib/check/resource-groups';
import { ruleFound, severityMessages } from '../util';

/** Matching after kubernetes pkg/apis/rbac/v1/evaluation_helpers_test.go: an apiGroups entry matches only a group equal to it, or `*`. */
const role = (rules: unknown[], kind = 'Role') => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name: 'reader', ...(kind === 'Role' ? { namespace: 'ml' } : {}) },
  rules,
});
const binding = (kind = 'Role', namespace = 'ml') => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name: 'reader', namespace },
  subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: 'ml' }],
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name: 'reader' },
});
const rule = (apiGroups: string[], resources: string[]) => ({ apiGroups, resources, verbs: ['get'] });

function found(objects: unknown[]): [string, string][] {
  return severityMessages(
    ruleFound(
      'rbac-api-group-version',
      objects.map((manifest) => ({ manifest: manifest as Record<string, unknown> })),
      { platform: 'rhoai-3.0', alone: true },
    ),
  );
}

describe('rbac-api-group-version', () => {
  test('a bound Role naming "v1" for core resources: an error naming the rule, the resources, the binding and the group to write', () => {
    expect(found([role([rule(['v1'], ['configmaps', 'pods/log'])]), binding()])).toEqual([
      [
        'error',
        'rules[0].apiGroups "v1" is a version, not an API group: RBAC compares apiGroups with the request\'s group only (the core group is ""), so the rule grants nothing on configmaps (group ""), pods/log (group ""); RoleBinding \'reader\' gives this role, so its subjects are refused (forbidden) on them; write apiGroups: [""]',
      ],
    ]);
  });

  test('"apps/v1" suggests the group before the slash; a ClusterRole bound by a RoleBinding of any namespace is bound', () => {
    const [[severity, message]] = found([role([rule(['apps/v1'], ['deployments'])], 'ClusterRole'), binding('ClusterRole', 'other')]);
    expect(severity).toBe('error');
    expect(message).toContain('write apiGroups: ["apps"]');
  });

  test('not bound in the tree, or resources the check does not know: a warning', () => {
    expect(found([role([rule(['v1'], ['configmaps'])])]).map(([s]) => s)).toEqual(['warning']);
    // a binding in another namespace does not give a Role
    expect(found([role([rule(['v1'], ['configmaps'])]), binding('Role', 'other')]).map(([s]) => s)).toEqual(['warning']);
    const [[severity, message]] = found([role([rule(['v1beta1'], ['widgets'])]), binding()]);
    expect(severity).toBe('warning');
    expect(message).toContain('not ones the check knows');
  });

  test('a version beside the group that serves the resources, `*`, or real groups only: silent', () => {
    expect(found([role([rule(['', 'v1'], ['configmaps'])]), binding()])).toEqual([]);
    expect(found([role([rule(['*', 'v1'], ['configmaps'])]), binding()])).toEqual([]);
    expect(found([role([rule(['', 'apps'], ['pods', 'deployments'])]), binding()])).toEqual([]);
    expect(found([role([rule(['serving.kserve.io'], ['inferenceservices'])]), binding()])).toEqual([]);
  });

  test('a version beside a group that does not serve a listed resource: the resource is still lost', () => {
    const [[severity, message]] = found([role([rule(['apps', 'v1'], ['deployments', 'configmaps'])]), binding()]);
    expect(severity).toBe('error');
    expect(message).toContain('grants nothing on configmaps (group "")');
    expect(message).not.toContain('deployments');
  });

  test("kinds' resource names follow Kubernetes' guess", () => {
    expect(['Ingress', 'NetworkPolicy', 'Endpoints', 'ConfigMap', 'PersistentVolumeClaim'].map(resourceOfKind)).toEqual([
      'ingresses',
      'networkpolicies',
      'endpoints',
      'configmaps',
      'persistentvolumeclaims',
    ]);
  });
});
