import { ruleFindings } from '../util';

const RULE = 'monitoring-query-not-authorized';
const NS = 'serving';
const scaler = (port: string, auth?: string, extra: Record<string, string> = {}) => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'chat', namespace: NS },
  spec: {
    scaleTargetRef: { name: 'chat' },
    triggers: [
      {
        type: 'prometheus',
        metadata: { serverAddress: `https://thanos-querier.openshift-monitoring.svc:${port}`, query: 'sum(up)', threshold: '1', ...extra },
        ...(auth ? { authenticationRef: { name: auth } } : {}),
      },
    ],
  },
});
const boundToken = (account: string) => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'TriggerAuthentication',
  metadata: { name: 'reader', namespace: NS },
  spec: { boundServiceAccountToken: [{ parameter: 'bearerToken', serviceAccountName: account }] },
});
const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', role: string, roleKind = 'ClusterRole') => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name: 'reader', ...(kind === 'RoleBinding' ? { namespace: NS } : {}) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: role },
  subjects: [{ kind: 'ServiceAccount', name: 'metrics', namespace: NS }],
});

describe("monitoring-query-not-authorized: KEDA queries OpenShift's monitoring without the access it needs", () => {
  test('no authenticationRef: a warning that no token is sent (401)', () => {
    expect(ruleFindings(RULE, [scaler('9091')])).toEqual([
      expect.stringMatching(
        /^warning ScaledObject\/serving\/chat: spec\.triggers\[0\] queries https:\/\/thanos-querier\.openshift-monitoring\.svc:9091.*no authenticationRef.*401 Unauthorized/,
      ),
    ]);
  });

  test('an account the tree does not bind to cluster-monitoring-view (9091), or to a role reading the namespace (9092): a warning (403)', () => {
    expect(ruleFindings(RULE, [scaler('9091', 'reader'), boundToken('metrics')])).toEqual([
      expect.stringMatching(
        /ServiceAccount 'metrics' \(TriggerAuthentication 'reader'\).*ClusterRoleBinding to the cluster-monitoring-view ClusterRole.*403 Forbidden/,
      ),
    ]);
    const configReader = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'config-reader' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
    };
    // a RoleBinding to view gives the tenancy port, not the cluster-wide one
    expect(ruleFindings(RULE, [scaler('9091', 'reader'), boundToken('metrics'), binding('RoleBinding', 'view')])).toHaveLength(1);
    expect(
      ruleFindings(RULE, [scaler('9092', 'reader', { namespace: NS }), boundToken('metrics'), configReader, binding('ClusterRoleBinding', 'config-reader')]),
    ).toEqual([expect.stringMatching(/a RoleBinding in namespace 'serving' to a role that may get pods there/)]);
  });

  test('near misses: the bindings that give access, a role the tree does not show, a TriggerAuthentication not in the tree, other hosts and ports', () => {
    expect(ruleFindings(RULE, [scaler('9091', 'reader'), boundToken('metrics'), binding('ClusterRoleBinding', 'cluster-monitoring-view')])).toEqual([]);
    expect(ruleFindings(RULE, [scaler('9092', 'reader', { namespace: NS }), boundToken('metrics'), binding('RoleBinding', 'view')])).toEqual([]);
    const podReader = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'pod-reader', namespace: NS },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    };
    expect(
      ruleFindings(RULE, [scaler('9092', 'reader', { namespace: NS }), boundToken('metrics'), podReader, binding('RoleBinding', 'pod-reader', 'Role')]),
    ).toEqual([]);
    expect(ruleFindings(RULE, [scaler('9091', 'reader'), boundToken('metrics'), binding('ClusterRoleBinding', 'metrics-reader-elsewhere')])).toEqual([]);
    expect(ruleFindings(RULE, [scaler('9091', 'reader')])).toEqual([]);
    const own = scaler('9090');
    own.spec.triggers[0].metadata.serverAddress = 'http://prometheus.monitoring.svc:9090';
    expect(ruleFindings(RULE, [own])).toEqual([]);
    expect(ruleFindings(RULE, [scaler('9093')])).toEqual([]);
  });
});
