import { Loose, mapping, mappings } from '../../manifests/access';
import { meantAmong } from '../near-names';
import { Problem, Rule } from '../rule';
import { ANGLE_PLACEHOLDER, holdsTemplate } from '../template-syntax';

/** The group of roles and of User and Group subjects (kubernetes pkg/apis/rbac/register.go GroupName). */
const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** The subject kinds validateRoleBindingSubject accepts (rbac.ServiceAccountKind, UserKind, GroupKind). */
const SUBJECT_KINDS = ['ServiceAccount', 'User', 'Group'];

/** A DNS-1123 subdomain, as ValidateServiceAccountName (apimachinery NameIsDNSSubdomain) requires of an account's name. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The username the API server gives a ServiceAccount's token (serviceaccount.MakeUsername). */
const ACCOUNT_USERNAME = /^system:serviceaccount:([^:]+):([^:]+)$/;

/**
 * A string the check judges as written: absent fields and other types are the schema's (field-required-missing,
 * field-value-invalid), values holding a renderer's syntax are judged once rendered.
 */
const written = (v: unknown): v is string => typeof v === 'string' && !holdsTemplate(v) && !ANGLE_PLACEHOLDER.test(v);

/** A refusal as the API server words it, and the fix. */
type Refusal = readonly [said: string, fix: string];

/** What the API server answers, as field.NotSupported words it. */
const notSupported = (path: string, value: string, allowed: readonly string[]) =>
  `${path}: Unsupported value: "${value}": supported values: ${allowed.map((a) => `"${a}"`).join(', ')}`;

/** The roleRef's apiGroup and kind (SetDefaults_RoleBinding fills an empty apiGroup; ValidateRoleBinding, ValidateClusterRoleBinding). */
function roleRefProblems(kind: string, ref: Loose): Refusal[] {
  const out: Refusal[] = [];
  const group = ref.apiGroup;
  if (written(group) && group !== '' && group !== RBAC_GROUP) {
    const version = group.startsWith(`${RBAC_GROUP}/`) ? ' (a group and version: the group alone is written)' : '';
    out.push([notSupported('roleRef.apiGroup', group, [RBAC_GROUP]), `set roleRef.apiGroup: ${RBAC_GROUP}${version}`]);
  }
  const allowed = kind === 'ClusterRoleBinding' ? ['ClusterRole'] : ['Role', 'ClusterRole'];
  const refKind = ref.kind;
  if (written(refKind) && !allowed.includes(refKind)) {
    const fix =
      refKind === 'Role'
        ? "a ClusterRoleBinding binds a ClusterRole only: make it a RoleBinding in the Role's namespace, or bind a ClusterRole"
        : `set roleRef.kind to ${allowed.join(' or ')}${meantAmong(refKind, allowed)}`;
    out.push([notSupported('roleRef.kind', refKind, allowed), fix]);
  }
  const name = ref.name;
  if (name === '') out.push(['roleRef.name: Required value', 'name the role']);
  else if (written(name) && (/[/%]/.test(name) || name === '.' || name === '..'))
    out.push([`roleRef.name: Invalid value: "${name}": may not be '.' or '..' nor contain '/' or '%'`, 'name the role alone, as its metadata.name does']);
  return out;
}

/** A ServiceAccount subject's name and apiGroup (its namespace is cluster-binding-subject-namespace-missing's). */
function accountProblems(s: Loose, at: string): Refusal[] {
  const out: Refusal[] = [];
  const [name, group] = [s.name, s.apiGroup];
  if (written(name) && name !== '' && !DNS_SUBDOMAIN.test(name)) {
    const user = ACCOUNT_USERNAME.exec(name);
    const fix = user
      ? `that is the account's username, not its name: write ${at}.name: ${user[2]} and ${at}.namespace: ${user[1]}, or make the subject kind User`
      : `name the ServiceAccount as its metadata.name does (a DNS subdomain: lower-case letters, digits, '-' and '.')`;
    out.push([`${at}.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`, fix]);
  }
  if (written(group) && group !== '') out.push([notSupported(`${at}.apiGroup`, group, ['']), `a ServiceAccount is of the core group: remove ${at}.apiGroup`]);
  return out;
}

/** One subject's problems, in the order validateRoleBindingSubject finds them. */
function subjectProblems(s: Loose, i: number): Refusal[] {
  const at = `subjects[${i}]`;
  const out: Refusal[] = s.name === '' ? [[`${at}.name: Required value`, `name the ${typeof s.kind === 'string' ? s.kind : 'subject'}`]] : [];
  const { kind, apiGroup } = s;
  if (!written(kind)) return out;
  if (kind === 'ServiceAccount') return [...out, ...accountProblems(s, at)];
  if (kind === 'User' || kind === 'Group') {
    // SetDefaults_Subject gives an empty apiGroup the RBAC group
    if (written(apiGroup) && apiGroup !== '' && apiGroup !== RBAC_GROUP)
      out.push([notSupported(`${at}.apiGroup`, apiGroup, [RBAC_GROUP]), `set ${at}.apiGroup: ${RBAC_GROUP}, or leave it out`]);
    return out;
  }
  return [...out, [notSupported(`${at}.kind`, kind, SUBJECT_KINDS), `set ${at}.kind to one of them${meantAmong(kind, SUBJECT_KINDS)}`]];
}

export const bindingFieldsInvalid: Rule = {
  id: 'binding-fields-invalid',
  title:
    "a RoleBinding or ClusterRoleBinding whose roleRef or subjects the API server's validation refuses: a wrong apiGroup, a kind outside the allowed ones (a ClusterRoleBinding to a Role), an empty name, an account name that is no DNS name",
  severity: 'error',
  appliesTo: ['RoleBinding', 'ClusterRoleBinding'],
  premise:
    'as ValidateRoleBinding and ValidateClusterRoleBinding judge the object after defaulting: roleRef.apiGroup other than rbac.authorization.k8s.io (empty is defaulted to it), roleRef.kind other than Role or ClusterRole (a ClusterRoleBinding: ClusterRole only), an empty roleRef.name or one holding / or %; ' +
    "a subject with an empty name or a kind outside ServiceAccount, User and Group (written case counts), a ServiceAccount subject with a non-empty apiGroup or a name that is no DNS subdomain (`system:serviceaccount:<ns>:<name>` is a User's name), a User or Group subject whose apiGroup is set to another group than rbac.authorization.k8s.io; " +
    "absent fields and values of another type are the schema's (field-required-missing, field-value-invalid), a ClusterRoleBinding's ServiceAccount subject without namespace is cluster-binding-subject-namespace-missing's, and values holding a renderer's syntax are judged once rendered",
  example:
    'a RoleBinding whose subject `kind: ServiceAccount` `name: model-loader` carries `apiGroup: rbac.authorization.k8s.io`, and a ClusterRoleBinding whose roleRef is `kind: Role`',
  fix: 'write roleRef with apiGroup rbac.authorization.k8s.io and kind Role or ClusterRole (a ClusterRoleBinding: ClusterRole); leave apiGroup out of ServiceAccount subjects, and give User and Group subjects rbac.authorization.k8s.io or none',
  source:
    'kubernetes pkg/apis/rbac/validation/validation.go ValidateRoleBinding, ValidateClusterRoleBinding and validateRoleBindingSubject (cases of validation_test.go TestValidateRoleBinding, TestValidateClusterRoleBinding: bad group, bad kind, reference role, bad subject kind, bad subject name); pkg/apis/rbac/v1/defaults.go SetDefaults_Subject, SetDefaults_RoleBinding (an empty apiGroup is defaulted)',
  scope: 'object',
  check(o) {
    const kind = String(o.manifest.kind);
    const found = [...roleRefProblems(kind, mapping(o.manifest.roleRef)), ...mappings(o.manifest.subjects).flatMap((s, i) => subjectProblems(s, i))];
    return found.map(([said, fix]): Problem => ({
      message: `the API server refuses the ${kind} (${said}), so none of its subjects gets the role; ${fix}`,
    }));
  },
};
