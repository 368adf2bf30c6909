import { text } from '../../manifests/access';
import { holdsTemplate } from '../template-syntax';
import { Problem, Rule } from '../rule';

/**
 * Why a name is not a path segment (apimachinery pkg/api/validation/path IsValidPathSegmentName: NameMayNotBe '.' and
 * '..', NameMayNotContain '/' and '%'), or undefined.
 */
function pathSegmentReason(name: string): string | undefined {
  if (name === '.' || name === '..') return `may not be '${name}'`;
  const bad = ['/', '%'].filter((c) => name.includes(c));
  return bad.length ? bad.map((c) => `may not contain '${c}'`).join(', ') : undefined;
}

/**
 * Why OpenShift refuses a user name (openshift/apiserver-library-go pkg/apivalidation ValidateUserName: a path segment,
 * a ':' only after a 'b64:' prefix, not '~'), or undefined.
 */
export function userNameReason(name: string): string | undefined {
  const path = pathSegmentReason(name);
  if (path) return path;
  if (name.includes(':') && !name.startsWith('b64:')) return `user names that contain ':' must begin with 'b64:'`;
  return name === '~' ? `may not be '~'` : undefined;
}

/** Why OpenShift refuses a group name (ValidateGroupName: a path segment, no ':' at all, not '~'), or undefined. */
function groupNameReason(name: string): string | undefined {
  const path = pathSegmentReason(name);
  if (path) return path;
  if (name.includes(':')) return `group names may not contain ':'`;
  return name === '~' ? `may not be '~'` : undefined;
}

/** The refused entries of a Group's users: an empty one, or a user name ValidateUserName refuses. */
function groupUserProblems(users: unknown): Problem[] {
  if (!Array.isArray(users)) return [];
  return users.flatMap((u, i): Problem[] => {
    if (u === null || u === undefined || u === '') {
      return [{ message: `users[${i}] is empty: the API server refuses the Group (users[${i}]: Invalid value: "": may not be empty); remove the entry` }];
    }
    if (typeof u !== 'string' || holdsTemplate(u)) return [];
    const reason = userNameReason(u);
    if (!reason) return [];
    // the OAuth server stores an identity provider's user whose name holds ':' or '/' as b64:<the name base64-encoded>
    const hint = u.includes(':')
      ? "; list the user as OpenShift stores it (an identity provider's user whose name holds ':' is stored as b64:<the name base64-encoded>)"
      : '';
    return [
      {
        message: `users[${i}] '${u}' is not a valid OpenShift user name (${reason}): the API server refuses the Group (users[${i}]: Invalid value), so none of its members is granted anything${hint}`,
      },
    ];
  });
}

export const openshiftUserNameInvalid: Rule = {
  id: 'openshift-user-name-invalid',
  title: 'an OpenShift Group lists a user name, or a Group or User is named, as the API server refuses',
  severity: 'error',
  appliesTo: ['Group', 'User'],
  premise:
    "OpenShift validates a Group (user.openshift.io) on create and update: every entry of users must be a non-empty user name, and a user name is a path segment (not '.' or '..', no '/' or '%'), not '~', and holds ':' only after a 'b64:' prefix (the form OpenShift gives names like kube:admin); the Group's own name is a path segment without ':' and not '~', and a User's name follows the user-name rule. A refused object fails the apply (Argo CD reports the sync failed); names holding a template are judged once rendered",
  example: 'Group `rhods-admins` with `users: [kube:admin]`',
  fix: "list the user by the name OpenShift stores (b64:<encoded> for a name holding ':'), or drop the entry; rename a Group without ':', '/' or '%'",
  source:
    'openshift/oauth-apiserver pkg/user/apis/user/validation/validation.go (ValidateGroup: "may not be empty", ValidateUserName on each user; ValidateUser); openshift/oauth-server pull 72 (user names holding a colon or a slash stored base64-encoded after b64:); openshift/apiserver-library-go pkg/apivalidation/uservalidation.go (ValidateUserName: `usernames that contain ":" must begin with "b64:"`, not "~"; ValidateGroupName: `may not contain ":"`); kubernetes apimachinery pkg/api/validation/path (NameMayNotBe ".", ".."; NameMayNotContain "/", "%")',
  scope: 'object',
  check(o) {
    const m = o.manifest;
    if (!(text(m.apiVersion) ?? '').startsWith('user.openshift.io/')) return [];
    const name = text((m.metadata as Record<string, unknown> | undefined)?.name);
    const reason = name && !holdsTemplate(name) ? (m.kind === 'Group' ? groupNameReason(name) : userNameReason(name)) : undefined;
    const own: Problem[] = reason
      ? [{ message: `metadata.name '${name}' is not a valid OpenShift ${String(m.kind)} name (${reason}): the API server refuses the object; rename it` }]
      : [];
    return m.kind === 'Group' ? [...own, ...groupUserProblems(m.users)] : own;
  },
};
