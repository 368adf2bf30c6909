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

// odh-model-controller GetMaaSRoleName: kmeta.ChildName(<service>, "-model-post-access"), made for an
// LLMInferenceService annotated alpha.maas.opendatahub.io/tiers on OpenShift AI 3.0–3.3; 3.4 removes it
describe('role-ref-not-found: the MaaS Role of an LLMInferenceService', () => {
  const on = (platform: 'kserve' | 'rhoai-3.0' | 'rhoai-3.3' | 'rhoai-3.4', docs: Doc[]) =>
    severityObjectMessages(
      ruleFound(
        'role-ref-not-found',
        docs.map((manifest) => ({ manifest })),
        { platform },
      ),
    );
  const llmService = (name: string, tiers = true): Doc => ({
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'LLMInferenceService',
    metadata: { name, namespace: 'ops', ...(tiers ? { annotations: { 'alpha.maas.opendatahub.io/tiers': '["premium"]' } } : {}) },
    spec: { model: { uri: 'hf://acme/tiny-chat' } },
  });
  const grant = binding('Role', 'chat-model-post-access');
  const missing = [
    'error',
    'RoleBinding/ops/b',
    "roleRef names Role 'chat-model-post-access', and the tree, which creates namespace 'ops' (Namespace ops), holds no Role of that name there: the RBAC authorizer looks the Role up in the binding's namespace, finds none, and the binding grants its subjects nothing (their requests are refused as forbidden); add Role 'chat-model-post-access' to namespace 'ops' in the tree, or name a Role it holds there",
  ];

  test('on OpenShift AI 3.0 and 3.3 the controller makes it for a service with the tiers annotation: not reported', () => {
    expect(on('rhoai-3.0', [namespace, llmService('chat'), grant])).toEqual([]);
    expect(on('rhoai-3.3', [namespace, llmService('chat'), grant])).toEqual([]);
  });

  test('the same binding stays an error where nothing makes the Role: 3.4, upstream KServe, no annotation, no such service', () => {
    expect(on('rhoai-3.4', [namespace, llmService('chat'), grant])).toEqual([missing]);
    expect(on('kserve', [namespace, llmService('chat'), grant])).toEqual([missing]);
    expect(on('rhoai-3.3', [namespace, llmService('chat', false), grant])).toEqual([missing]);
    expect(on('rhoai-3.3', [namespace, llmService('chatbot'), grant])).toEqual([missing]);
    expect(on('rhoai-3.3', [namespace, grant])).toEqual([missing]);
  });
});
