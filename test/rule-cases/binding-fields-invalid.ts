import { runChecks } from '../../lib';

/** binding-fields-invalid: the cases of kubernetes' rbac validation_test.go (TestValidateRoleBinding, TestValidateClusterRoleBinding), after v1 defaulting. */
const RULE = 'binding-fields-invalid';
const ref = (kind = 'ClusterRole', apiGroup: unknown = 'rbac.authorization.k8s.io', name: unknown = 'valid') => ({ apiGroup, kind, name });
const binding = (kind: string, roleRef: Record<string, unknown>, subjects: Record<string, unknown>[] = []) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name: 'master', ...(kind === 'RoleBinding' ? { namespace: 'default' } : {}) },
  roleRef,
  subjects,
});
const found = (...manifests: Record<string, unknown>[]) =>
  runChecks(
    manifests.map((manifest) => ({ manifest })),
    { platform: 'kserve', rules: [RULE, 'cluster-binding-subject-namespace-missing'] },
  ).map((f) => [f.rule, f.severity, f.message]);
/** What the API server answers for each refusal, in order. */
const said = (...manifests: Record<string, unknown>[]) =>
  found(...manifests).map(([, , m]) => /^the API server refuses the \w+ \((.*)\), so none of its subjects/.exec(m)?.[1]);

describe(RULE, () => {
  test("upstream's valid bindings (after defaulting an empty apiGroup): nothing", () => {
    const subjects = [
      { name: 'validsaname', namespace: 'foo', kind: 'ServiceAccount' },
      { name: 'valid@username', kind: 'User' },
      { name: 'valid@groupname', kind: 'Group', apiGroup: '' },
      { name: 'system:serviceaccount:foo:validsaname', kind: 'User', apiGroup: 'rbac.authorization.k8s.io' },
      { name: 'validsaname', namespace: 'foo', kind: 'ServiceAccount', apiGroup: '' },
    ];
    expect(
      found(binding('ClusterRoleBinding', ref(), subjects), binding('RoleBinding', ref('Role'), subjects), binding('RoleBinding', ref('ClusterRole', ''))),
    ).toEqual([]);
  });

  test("roleRef: bad group, bad kind, a ClusterRoleBinding's reference to a Role, an empty name", () => {
    expect(said(binding('ClusterRoleBinding', ref('ClusterRole', 'rbac.GroupName')))).toEqual([
      'roleRef.apiGroup: Unsupported value: "rbac.GroupName": supported values: "rbac.authorization.k8s.io"',
    ]);
    expect(said(binding('RoleBinding', ref('Type')))).toEqual(['roleRef.kind: Unsupported value: "Type": supported values: "Role", "ClusterRole"']);
    expect(found(binding('ClusterRoleBinding', ref('Role')))).toEqual([
      [
        RULE,
        'error',
        'the API server refuses the ClusterRoleBinding (roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"), so none of its subjects gets the role; ' +
          "a ClusterRoleBinding binds a ClusterRole only: make it a RoleBinding in the Role's namespace, or bind a ClusterRole",
      ],
    ]);
    expect(said(binding('RoleBinding', ref('Role', 'rbac.authorization.k8s.io', '')))).toEqual(['roleRef.name: Required value']);
    expect(found(binding('RoleBinding', ref('ClusterRole', 'rbac.authorization.k8s.io/v1')))[0][2]).toMatch(
      /set roleRef\.apiGroup: rbac\.authorization\.k8s\.io \(a group and version: the group alone is written\)$/,
    );
  });

  test('subjects: bad kind (case counts), bad account name, empty name, wrong apiGroups', () => {
    const subjects = [
      { name: 'subject', kind: 'Serviceaccount' },
      { name: 'subject:bad', kind: 'ServiceAccount' },
      { name: '', kind: 'ServiceAccount' },
      { name: 'model-loader', kind: 'ServiceAccount', apiGroup: 'rbac.authorization.k8s.io' },
      { name: 'alice', kind: 'User', apiGroup: 'user.openshift.io' },
      { name: 'admins', kind: 'Group', apiGroup: 'v1' },
    ];
    expect(said(binding('RoleBinding', ref('Role'), subjects))).toEqual([
      'subjects[0].kind: Unsupported value: "Serviceaccount": supported values: "ServiceAccount", "User", "Group"',
      `subjects[1].name: Invalid value: "subject:bad": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`,
      'subjects[2].name: Required value',
      'subjects[3].apiGroup: Unsupported value: "rbac.authorization.k8s.io": supported values: ""',
      'subjects[4].apiGroup: Unsupported value: "user.openshift.io": supported values: "rbac.authorization.k8s.io"',
      'subjects[5].apiGroup: Unsupported value: "v1": supported values: "rbac.authorization.k8s.io"',
    ]);
    expect(found(binding('RoleBinding', ref('Role'), subjects))[0][2]).toMatch(/set subjects\[0\]\.kind to one of them \(did you mean ServiceAccount\?\)$/);
  });

  test("an account's username written as a ServiceAccount's name: the fix names both forms", () => {
    expect(found(binding('RoleBinding', ref('Role'), [{ kind: 'ServiceAccount', name: 'system:serviceaccount:llm:model-loader' }]))[0][2]).toMatch(
      /that is the account's username, not its name: write subjects\[0\]\.name: model-loader and subjects\[0\]\.namespace: llm, or make the subject kind User$/,
    );
  });

  test("not double-reported: the missing namespace of a ClusterRoleBinding's account is the other rule's; placeholders and absent fields are not judged", () => {
    expect(found(binding('ClusterRoleBinding', ref(), [{ kind: 'ServiceAccount', name: 'good' }])).map(([rule]) => rule)).toEqual([
      'cluster-binding-subject-namespace-missing',
    ]);
    expect(
      found(
        binding('RoleBinding', { kind: 'Role', name: 'reader' }, [
          { kind: '${SUBJECT_KIND}', name: 'x' },
          { kind: 'ServiceAccount', name: '{{ .Values.account }}' },
          { kind: 'User' },
        ]),
      ),
    ).toEqual([]);
  });
});
