import { ruleFound } from '../util';

const group = (name: string, users: unknown[]) => ({ manifest: { apiVersion: 'user.openshift.io/v1', kind: 'Group', metadata: { name }, users } });
const user = (name: string) => ({ manifest: { apiVersion: 'user.openshift.io/v1', kind: 'User', metadata: { name } } });
const findings = (objects: { manifest: Record<string, unknown> }[]) => ruleFound('openshift-user-name-invalid', objects, { alone: true });

describe('openshift-user-name-invalid', () => {
  test.each([
    ['kube:admin', /users\[0\] 'kube:admin' is not a valid OpenShift user name \(user names that contain ':' must begin with 'b64:'\)/],
    ['.', /users\[0\] '.' is not a valid OpenShift user name \(may not be '.'\)/],
    ['..', /may not be '..'/],
    ['team/alice', /may not contain '\/'/],
    ['100%', /may not contain '%'/],
    ['~', /may not be '~'/],
    ['', /users\[0\] is empty/],
  ])('a Group listing %j is refused by the API server: an error', (name, message) => {
    const [f, ...rest] = findings([group('admins', [name])]);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('error');
    expect(f.object).toBe('Group/admins');
    expect(f.message).toMatch(message);
    expect(f.message).toContain('the API server refuses the Group');
  });

  test("a Group named with ':' and a User named with ':' are refused", () => {
    expect(findings([group('team:ml', [])]).map((f) => f.message)).toEqual([
      expect.stringMatching(/metadata.name 'team:ml' is not a valid OpenShift Group name \(group names may not contain ':'\)/),
    ]);
    expect(findings([user('kube:admin')]).map((f) => f.message)).toEqual([
      expect.stringMatching(/metadata.name 'kube:admin' is not a valid OpenShift User name/),
    ]);
  });

  test.each([['b64:a3ViZTphZG1pbg'], ['alice'], ['alice@example.com'], ['Alice Smith'], ['${ADMIN_USER}']])('a Group listing %j is admitted', (name) => {
    expect(findings([group('admins', [name]), user('b64:a3ViZTphZG1pbg')])).toEqual([]);
  });

  test('a Group of another API group is not judged', () => {
    expect(findings([{ manifest: { apiVersion: 'example.com/v1', kind: 'Group', metadata: { name: 'a' }, users: ['kube:admin'] } }])).toEqual([]);
  });
});
