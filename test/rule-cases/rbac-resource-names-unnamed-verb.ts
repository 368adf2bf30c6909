import { ruleFound, severityObjectMessages } from '../util';

type Doc = Record<string, unknown>;
const findings = (docs: Doc[]) =>
  severityObjectMessages(
    ruleFound(
      'rbac-resource-names-unnamed-verb',
      docs.map((manifest) => ({ manifest })),
      { platform: 'kserve' },
    ),
  );

const role = (rules: Doc[], extra: Doc = {}): Doc => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'Role',
  metadata: { name: 'r', namespace: 'ops' },
  rules,
  ...extra,
});

// Kubernetes "Using RBAC Authorization", Referring to resources; pkg/apis/rbac/v1/evaluation_helpers.go ResourceNameMatches
describe('rbac-resource-names-unnamed-verb', () => {
  test('create and deletecollection by name: a warning naming the verbs, the resources and the names', () => {
    const [f] = findings([role([{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['state'], verbs: ['get', 'create', 'deletecollection'] }])]);
    expect(f.slice(0, 2)).toEqual(['warning', 'Role/ops/r']);
    expect(f[2]).toContain("rules[0] grants create and deletecollection on configmaps only for resourceNames 'state'");
    expect(f[2]).toContain('carries no object name');
    expect(f[2]).toContain('without resourceNames');
  });

  test('near misses: create without names, list and watch by name, a subresource create by name, an aggregated ClusterRole', () => {
    expect(findings([role([{ apiGroups: [''], resources: ['configmaps'], verbs: ['create'] }])])).toEqual([]);
    expect(findings([role([{ apiGroups: [''], resources: ['secrets'], resourceNames: ['creds'], verbs: ['get', 'list', 'watch'] }])])).toEqual([]);
    expect(findings([role([{ apiGroups: [''], resources: ['pods/exec'], resourceNames: ['shell'], verbs: ['create'] }])])).toEqual([]);
    const aggregated = {
      ...role([{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['x'], verbs: ['create'] }]),
      kind: 'ClusterRole',
      metadata: { name: 'agg' },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { agg: 'true' } }] },
    };
    expect(findings([aggregated])).toEqual([]);
  });

  test('a group no API server of the tree serves: its rule is read by a SubjectAccessReview that names the object, not judged', () => {
    const gateway = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'traces-writer' },
      rules: [{ apiGroups: ['tracing.example.org'], resources: ['team-a'], resourceNames: ['traces'], verbs: ['create'] }],
    };
    expect(findings([gateway])).toEqual([]);
  });

  test("a CRD of the tree serves the group's resource: judged as Kubernetes' own", () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.shop.example.org' },
      spec: { group: 'shop.example.org', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets' }, versions: [] },
    };
    const byName = role([{ apiGroups: ['shop.example.org'], resources: ['widgets'], resourceNames: ['main'], verbs: ['create'] }]);
    const [f] = findings([crd, byName]);
    expect(f.slice(0, 2)).toEqual(['warning', 'Role/ops/r']);
    expect(f[2]).toContain("grants create on widgets only for resourceNames 'main'");
    expect(findings([byName])).toEqual([]);
  });
});
