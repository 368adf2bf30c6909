import { isMapping, Loose, mapping, text } from '../../manifests/access';
import { isSecretKey } from '../../private/names';
import { isSopsCiphertext } from '../../manifests/sops';
import { Problem, Rule } from '../rule';
import { bracedTemplate, holdsTemplate } from '../template-syntax';
import { SERVICE_ACCOUNT_NAME_ANNOTATION } from '../../k8s/keys';

/** The two docker config types and the key each must hold as a JSON object (core/v1 DockerConfigKey, DockerConfigJsonKey). */
const DOCKER_KEYS: Readonly<Record<string, string>> = {
  'kubernetes.io/dockercfg': '.dockercfg',
  'kubernetes.io/dockerconfigjson': '.dockerconfigjson',
};

/**
 * A Secret's keys as the API server sees them: `data` with `stringData` written over it (k8s.io/kubernetes
 * pkg/apis/core/v1 conversion: every stringData entry becomes a data entry), each with its value as text, or undefined
 * where the value is no text the check can read (not base64, a number, SOPS ciphertext: the key is there, its
 * content known only once decrypted).
 */
function secretEntries(m: Loose): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(mapping(m.data))) {
    if (isSopsCiphertext(v)) {
      out.set(k, undefined);
      continue;
    }
    const compact = typeof v === 'string' ? v.replace(/\s+/g, '') : undefined;
    const base64 = compact !== undefined && /^[A-Za-z0-9+/]*={0,2}$/.test(compact) && compact.length % 4 === 0;
    out.set(k, v === null ? '' : base64 ? Buffer.from(compact, 'base64').toString('utf8') : (bracedTemplate(v) ?? (typeof v === 'string' ? v : undefined)));
  }
  for (const [k, v] of Object.entries(mapping(m.stringData)))
    out.set(k, v === null ? '' : isSopsCiphertext(v) ? undefined : (bracedTemplate(v) ?? (typeof v === 'string' ? v : undefined)));
  return out;
}

/**
 * Why a docker config value is refused, or undefined when it is a JSON object (or JSON null, which Go decodes into a
 * nil map): the API server unmarshals it into map[string]interface{}. A value another tool fills is not judged.
 */
function dockerConfigProblem(value: string | undefined): string | undefined {
  if (value === undefined || holdsTemplate(value)) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed === null || isMapping(parsed)) return undefined;
    return `is JSON ${Array.isArray(parsed) ? 'array' : typeof parsed}, not an object`;
  } catch {
    return value.trim() === '' ? 'is empty, not a JSON object' : 'is not JSON';
  }
}

/** The keys a typed Secret lacks or holds in a form the API server refuses (ValidateSecret's switch on the type). */
function typeProblems(m: Loose, type: string, entries: Map<string, string | undefined>): string[] {
  const refused = 'the API server refuses the Secret (ValidateSecret)';
  const opaque = 'or make the Secret type Opaque if it holds other settings';
  const missing = (key: string) => `type ${type} needs the key '${key}' in data or stringData, and it has none: ${refused}; add it, ${opaque}`;
  const dockerKey = DOCKER_KEYS[type];
  if (dockerKey !== undefined) {
    if (!entries.has(dockerKey)) return [missing(dockerKey)];
    const problem = dockerConfigProblem(entries.get(dockerKey));
    return problem
      ? [
          `'${dockerKey}' ${problem}: ${refused}, which reads it as registry credentials; write it as {"auths": {"<registry>": {"auth": "<base64 user:password>"}}}`,
        ]
      : [];
  }
  switch (type) {
    case 'kubernetes.io/service-account-token': {
      const account = mapping(mapping(m.metadata).annotations)[SERVICE_ACCOUNT_NAME_ANNOTATION];
      return typeof account === 'string' && account !== ''
        ? []
        : [`type ${type} needs the annotation ${SERVICE_ACCOUNT_NAME_ANNOTATION} naming its ServiceAccount: ${refused}; add it`];
    }
    case 'kubernetes.io/basic-auth':
      // either may be empty, but one of them must be there
      return entries.has('username') || entries.has('password')
        ? []
        : [`type ${type} needs the key 'username' or 'password' in data or stringData, and it has neither: ${refused}; add them, ${opaque}`];
    case 'kubernetes.io/ssh-auth':
      return entries.has('ssh-privatekey') && entries.get('ssh-privatekey') !== ''
        ? []
        : [entries.has('ssh-privatekey') ? `type ${type} needs a non-empty 'ssh-privatekey': ${refused}; put the key in it` : missing('ssh-privatekey')];
    case 'kubernetes.io/tls':
      return ['tls.crt', 'tls.key'].filter((k) => !entries.has(k)).map(missing);
    default:
      return [];
  }
}

export const secretInvalid: Rule = {
  id: 'secret-invalid',
  title:
    'a Secret the API server refuses: a typed Secret without the keys its type requires (registry credentials, TLS, basic-auth, SSH, token), or a key that is no valid file name',
  severity: 'error',
  appliesTo: ['Secret'],
  premise:
    'any Secret, its data and stringData keys together: kubernetes.io/dockerconfigjson needs `.dockerconfigjson` and kubernetes.io/dockercfg `.dockercfg`, each a JSON object; kubernetes.io/tls needs `tls.crt` and `tls.key`; kubernetes.io/basic-auth `username` or `password`; kubernetes.io/ssh-auth a non-empty `ssh-privatekey`; kubernetes.io/service-account-token the annotation `kubernetes.io/service-account.name`; every key at most 253 letters, digits, `-`, `_` and `.`, not `.` or `..` and not starting with `..`. ' +
    'A value another tool fills in (`${VAR}`, `{{ X }}`, a PLACEHOLDER word) or SOPS ciphertext (`ENC[AES256_GCM,…]`, decrypted before the apply) is not judged as JSON, but a key that is not there is still missing; Opaque and other types need no particular key',
  example: '`type: kubernetes.io/dockerconfigjson` with only `OCI_HOST` in stringData',
  fix: 'add the keys the type requires (for registry credentials `.dockerconfigjson` with the JSON `{"auths": {...}}`), or use type Opaque for a Secret that holds other settings',
  source:
    "kubernetes pkg/apis/core/validation/validation.go ValidateSecret (the switch on secret.Type: field.Required data[.dockerconfigjson], data[tls.crt], …; json.Unmarshal of the docker config) and apimachinery pkg/util/validation IsConfigMapKey; cases from validation_test.go TestValidateSecret, TestValidateDockerConfigSecret, TestValidateBasicAuthSecret, TestValidateSSHAuthSecret, TestValidateTLSSecret; getsops/sops aes/cipher.go (the ciphertext form, decrypted before the apply by Flux's kustomize-controller, KSOPS or sops -d)",
  scope: 'object',
  check(o) {
    const m = o.manifest;
    const entries = secretEntries(m);
    const out: Problem[] = [...entries.keys()]
      .filter((k) => !isSecretKey(k) && !holdsTemplate(k))
      .map((k) => ({
        message: `key '${k}' is not a valid Secret key (at most 253 letters, digits, '-', '_' and '.', not '.' or '..' and not starting with '..'): the API server refuses the Secret; rename the key`,
      }));
    const type = text(m.type);
    if (type === undefined || holdsTemplate(type)) return out;
    return [...out, ...typeProblems(m, type, entries).map((message) => ({ message }))];
  },
};
