import { runChecks } from '../../lib';

/** rbac-resource-not-plural: RBAC matches a rule's resources against the request's plural resource as written (ResourceMatches). */
const role = (rules: Record<string, unknown>[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules });
const binding = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name: 'r' },
  subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'ns' }],
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' },
};
const found = (rules: Record<string, unknown>[], bound = true) =>
  runChecks(
    [role(rules), ...(bound ? [binding] : [])].map((manifest) => ({ manifest })),
    { platform: 'rhoai-3.0', rules: ['rbac-resource-not-plural'] },
  ).map((f) => [f.severity, /resources '([^']+)'.*write '([^']+)'/.exec(f.message)?.slice(1).join(' → ')]);

describe('rbac-resource-not-plural', () => {
  test('a singular, a Kind and a plural in capitals, with their subresource kept in the fix (findings sorted by message)', () => {
    expect(found([{ apiGroups: [''], resources: ['pod', 'Service', 'ConfigMaps', 'pod/log'], verbs: ['get'] }])).toEqual([
      ['error', 'ConfigMaps → configmaps'],
      ['error', 'pod → pods'],
      ['error', 'pod/log → pods/log'],
      ['error', 'Service → services'],
    ]);
    expect(found([{ apiGroups: ['*'], resources: ['clusterserviceversion'], verbs: ['get'] }])).toEqual([
      ['error', 'clusterserviceversion → clusterserviceversions'],
    ]);
  });

  test('unbound in the tree: a warning', () => {
    expect(found([{ apiGroups: ['apps'], resources: ['deployment'], verbs: ['get'] }], false)).toEqual([['warning', 'deployment → deployments']]);
  });

  test('the plural, `*`, the plural listed beside, a group that serves no such resource, an unknown resource: nothing', () => {
    expect(
      found([
        { apiGroups: [''], resources: ['pods', 'pods/log', '*', 'endpoints'], verbs: ['get'] },
        { apiGroups: ['apps'], resources: ['deployment', 'deployments'], verbs: ['get'] },
        { apiGroups: ['example.com'], resources: ['pod'], verbs: ['get'] },
        { apiGroups: ['widgets.example.com'], resources: ['widget'], verbs: ['get'] },
      ]),
    ).toEqual([]);
  });
});

describe('rbac-resource-not-plural: the plural granted elsewhere in the role', () => {
  const messages = (rules: Record<string, unknown>[]) =>
    runChecks(
      [role(rules), binding].map((manifest) => ({ manifest })),
      { platform: 'rhoai-3.0', rules: ['rbac-resource-not-plural'] },
    ).map((f) => [f.rule, f.severity, f.object, f.message]);

  test('read verbs granted on the plural, update asked on the singular and its finalizers: a warning naming update only', () => {
    const found = messages([
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['deployment'], verbs: ['get', 'list', 'update', 'watch'] },
      { apiGroups: ['apps'], resources: ['deployment/finalizers'], verbs: ['update'] },
    ]);
    expect(found).toEqual([
      [
        'rbac-resource-not-plural',
        'warning',
        'ClusterRole/r',
        expect.stringMatching(/rules\[1\]\.resources 'deployment'.*grants deployments elsewhere, so only update on deployments is not granted/),
      ],
      [
        'rbac-resource-not-plural',
        'warning',
        'ClusterRole/r',
        expect.stringMatching(
          /rules\[2\]\.resources 'deployment\/finalizers'.*only update on deployments\/finalizers is not granted.*write 'deployments\/finalizers'/,
        ),
      ],
    ]);
  });

  test('every verb of the singular granted on the plural by another rule: nothing', () => {
    expect(
      messages([
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['apps'], resources: ['deployment'], verbs: ['get', 'watch'] },
        { apiGroups: ['*'], resources: ['statefulsets'], verbs: ['*'] },
        { apiGroups: ['apps'], resources: ['statefulset'], verbs: ['patch'] },
      ]),
    ).toEqual([]);
  });
});
