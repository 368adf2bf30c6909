import { isDnsSubdomain } from '../../private/names';
import { perText } from '../../private/run-memo';

/** What a variable's or key's name says: whether it names a credential, or the Kubernetes Secret that holds one. */

/** Words of a variable or key name that say it holds a credential. */
export const CREDENTIAL_WORDS = new Set([
  'SECRET',
  'PASSWORD',
  'PASSWD',
  'PASSPHRASE',
  'TOKEN',
  'APIKEY',
  'CREDENTIAL',
  'CREDENTIALS',
  'SECRETKEY',
  'ACCESSKEY',
  // the one-word key Milvus's chart and others give the S3 secret key (`secretaccesskey`)
  'SECRETACCESSKEY',
]);
/**
 * Two-word forms: API_KEY, ACCESS_KEY, PRIVATE_KEY, and the LiteLLM proxy's admin and encryption keys (MASTER_KEY,
 * SALT_KEY: docs.litellm.ai proxy/configs general_settings.master_key, LITELLM_SALT_KEY).
 */
const CREDENTIAL_PAIRS = new Set(['API KEY', 'ACCESS KEY', 'PRIVATE KEY', 'SECRET KEY', 'AUTH KEY', 'MASTER KEY', 'SALT KEY']);
/**
 * Words that make the name a setting about credentials or a count, not a credential: MAX_NEW_TOKENS (LLM servers'
 * token budgets), TOKEN_TTL, PASSWORD_MIN_LENGTH, SECRET_NAME, CREDENTIALS_FILE.
 */
const SETTING_WORDS = new Set([
  'TOKENS',
  'MAX',
  'MIN',
  'LIMIT',
  'COUNT',
  'SIZE',
  'LEN',
  'LENGTH',
  'TTL',
  'TIMEOUT',
  'EXPIRY',
  'EXPIRATION',
  'LIFETIME',
  'REFRESH',
  'TYPE',
  'HEADER',
  'ENABLED',
  'FILE',
  'PATH',
  'DIR',
  'ENDPOINT',
  'URL',
  'URI',
  'NAME',
  'REF',
  'MOUNT',
  // switches about a credential, not one: ALLOW_EMPTY_PASSWORD (the Bitnami images' flag), SKIP_TOKEN_CHECK
  'ALLOW',
  'EMPTY',
  'ENABLE',
  'DISABLE',
  'DISABLED',
  'REQUIRE',
  'REQUIRED',
  'SKIP',
  // docker/podman login --password-stdin: a switch, the next word is the registry
  'STDIN',
  // a token as a unit of text, timed or counted: llm-d-inference-sim's --time-to-first-token, --inter-token-latency,
  // --prefill-time-per-token (llm-d/llm-d-inference-sim README, latency options); TOKEN there holds no credential
  'TIME',
  'LATENCY',
  'FIRST',
  'PER',
  'INTER',
]);
/**
 * Words that, after the credential word, make the name one of metadata about the credential, not the credential:
 * TOKEN_LABEL, TOKEN_DESCRIPTION, API_KEY_SCOPES, PASSWORD_ROTATION_INTERVAL, SECRET_NAMESPACE. Before it they qualify the credential
 * (a LABEL_TOKEN is a token), so only their place after it counts.
 */
const METADATA_WORDS = new Set([
  ...['LABEL', 'LABELS', 'DESCRIPTION', 'DESC', 'COMMENT', 'TITLE', 'DISPLAY', 'NOTE', 'FORMAT', 'KIND', 'VERSION'],
  ...['SCOPE', 'SCOPES', 'PREFIX', 'ISSUER', 'AUDIENCE', 'ALGORITHM', 'EXPIRES', 'EXPIRE', 'ROTATION', 'INTERVAL', 'DURATION'],
  ...['LOCATION', 'FIELD', 'PARAM', 'VAR', 'ENV'],
  // where a Secret is and what identifies it: SIGNING_SECRET_NAMESPACE holds a namespace's name, TOKEN_UUID an
  // identifier (NAME and a last word ID are settings above, whatever their place)
  ...['NAMESPACE', 'NAMESPACES', 'NS', 'UUID', 'IDENTIFIER'],
]);
/**
 * Last words that make the name a setting of how the credential is stored or checked: PostgreSQL's
 * password_encryption (the hash method, scram-sha-256 or md5: PostgreSQL docs, runtime-config-connection),
 * PASSWORD_HASHING, TOKEN_MODE, PASSWORD_POLICY. Only last: SECRET_ENCRYPTION_KEY is a key.
 */
const LAST_SETTING_WORDS = new Set(['ENCRYPTION', 'HASHING', 'METHOD', 'MODE', 'POLICY']);
/**
 * Words before TOKEN that make it a unit of a tokenizer's vocabulary, not a credential: the special tokens of Hugging
 * Face tokenizers (transformers PreTrainedTokenizerBase SPECIAL_TOKENS_ATTRIBUTES: bos_token, eos_token, unk_token,
 * sep_token, pad_token, cls_token, mask_token) and the decoding settings named after them (stop_token, eot_token).
 */
const VOCABULARY_WORDS = new Set(['PAD', 'BOS', 'EOS', 'UNK', 'SEP', 'CLS', 'MASK', 'SPECIAL', 'STOP', 'EOT', 'START', 'END', 'IMAGE', 'VISION', 'AUDIO']);
/**
 * Words that may follow TOKEN in a credential's name (`HF_TOKEN_VALUE`, `TOKEN_B64`); after any other word
 * (`token_strategy`, `token_budget`) the name is a setting about tokens, as a credential's name ends in TOKEN
 * (HF_TOKEN, api_token, access_token, bearer_token).
 */
const AFTER_TOKEN = new Set([
  ...['VALUE', 'B64', 'BASE64', 'RAW', 'PLAIN', 'DATA', 'STRING', 'STR', 'LITERAL'],
  // which environment or access the token is for: GITHUB_TOKEN_RO, HF_TOKEN_PROD
  ...['RO', 'RW', 'READ', 'WRITE', 'ADMIN', 'PROD', 'DEV', 'STAGING', 'TEST', 'CI'],
]);

/** Whether the TOKEN at `at` of a name's words is a unit of text or a setting about tokens, not a credential. */
function tokenAsVocabulary(words: string[], at: number): boolean {
  if (words[at] !== 'TOKEN') return false;
  if (at > 0 && VOCABULARY_WORDS.has(words[at - 1])) return true;
  return words.slice(at + 1).some((w) => !AFTER_TOKEN.has(w) && !CREDENTIAL_WORDS.has(w) && !/^\d+$/.test(w));
}

/** Names that contain a credential word but hold an identifier: etcd's cluster token only keeps clusters apart (etcd docs, --initial-cluster-token). */
const KNOWN_IDENTIFIERS = new Set(['ETCD_INITIAL_CLUSTER_TOKEN']);

/** Whether a variable or key name says it holds a credential: HF_TOKEN, db-password, awsSecretAccessKey; not MAX_NEW_TOKENS. */
export function namesCredential(name: string): boolean {
  // once per name, kept past the run: every env name and key of the tree is asked about by several of this rule's readers
  return perText('names-credential', name, nameSaysCredential);
}

/**
 * A qualified annotation or label key, `<DNS subdomain>/<name>`: the prefix says who owns the key, only the name says
 * what it holds (Reloader's `secret.reloader.stakater.com/reload` lists Secrets to watch by name: stakater/Reloader
 * README, "secret.reloader.stakater.com/reload: foo-secret").
 */
const QUALIFIED_KEY = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+\/(.+)$/;

function nameSaysCredential(name: string): boolean {
  const qualified = QUALIFIED_KEY.exec(name);
  if (qualified) return nameSaysCredential(qualified[4]);
  if (KNOWN_IDENTIFIERS.has(name.toUpperCase())) return false;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  if (words.some((w) => SETTING_WORDS.has(w))) return false;
  // an identifier, not a secret: AWS_ACCESS_KEY_ID, CLIENT_ID (AWS: the access key ID names the key, its secret
  // access key signs; the ID alone grants nothing)
  if (words[words.length - 1] === 'ID' || LAST_SETTING_WORDS.has(words[words.length - 1] ?? '')) return false;
  // a list of keys is named in the plural: API_KEYS, ACCESS_KEYS
  const at = words.findIndex((w, i) => CREDENTIAL_WORDS.has(w) || (i > 0 && CREDENTIAL_PAIRS.has(`${words[i - 1]} ${w === 'KEYS' ? 'KEY' : w}`)));
  // a word of metadata after it names something about the credential (PLANE_TOKEN_LABEL), not the credential
  return at >= 0 && !words.slice(at + 1).some((w) => METADATA_WORDS.has(w)) && !tokenAsVocabulary(words, at);
}

/**
 * Words before a last word `secret` that say the key holds the secret itself (an OAuth client's, a signing key):
 * `CLIENT_SECRET`, `JWT_SECRET`, `COOKIE_SECRET`, `WEBHOOK_SECRET`.
 */
const HOLDS_SECRET = new Set([
  'CLIENT',
  'JWT',
  'COOKIE',
  'SESSION',
  'SIGNING',
  'WEBHOOK',
  'HMAC',
  'ENCRYPTION',
  'SHARED',
  'APP',
  'API',
  'OAUTH',
  'OIDC',
  'CSRF',
]);

/** Credential words after which a last word `Key` names the entry of a Secret holding the credential (`adminPasswordKey`, `existingSecretPasswordKey`). */
const KEY_OF = new Set(['PASSWORD', 'PASSWD', 'PASSPHRASE', 'TOKEN', 'CREDENTIAL', 'CREDENTIALS', 'APIKEY']);
/**
 * Words before `SecretKey` that say whose entry it names (`clientIdSecretKey`, `clientSecretSecretKey`,
 * `privateKeySecretKey`, `licenseKeySecretKey`); after any other word (`awsSecretKey`, `minioSecretKey`) the secret key
 * is the credential itself.
 */
const SECRET_KEY_OF = new Set([...KEY_OF, 'ID', 'SECRET', 'KEY', 'SIGNATURE', 'LICENSE', 'USER', 'USERNAME', 'CERT', 'CA']);
/**
 * Whether the word before `SecretKey` names a credential whose entry the key points at: one of SECRET_KEY_OF, a
 * credential word, or a word run together ending in KEY (`masterkeySecretKey: masterkey`: the LiteLLM chart's values
 * masterkeySecretName and masterkeySecretKey name the Secret and the entry that hold its master key).
 */
function namesWhoseEntry(word: string): boolean {
  return SECRET_KEY_OF.has(word) || CREDENTIAL_WORDS.has(word) || (word.length > 3 && word.endsWith('KEY'));
}

/**
 * A Secret's data key as charts name one: words and numbers joined by `-`, `_` or `.` (`postgres-password`,
 * `client_id`, `DATA_PLANE_CLIENT_SECRET`), within the 63 characters a short key takes; a random string is no such name.
 */
const SECRET_DATA_KEY = /^[A-Za-z]+[0-9]*(?:[-_.](?:[A-Za-z]+[0-9]*|[0-9]+))*$/;

/**
 * Whether a key names the entry of an existing Secret that holds a credential, not the credential: a last word `Key`
 * after a credential word, or `SecretKey` after a word saying whose (the Bitnami charts' auth.secretKeys
 * `adminPasswordKey: postgres-password`, "name of key in existing secret to use"; Grafana's chart smtp.passwordKey;
 * Helm charts' oauth `clientIdSecretKey: client_id`), given a short data key name. `secretKey`, `apiKey` and
 * `awsSecretKey` are credentials.
 */
export function namesSecretKey(key: string, value: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  if (words.length < 2 || words[words.length - 1] !== 'KEY') return false;
  const before = words[words.length - 2];
  const names = KEY_OF.has(before) || (before === 'SECRET' && words.length >= 3 && namesWhoseEntry(words[words.length - 3]));
  const v = value.trim().replace(/^["']|["']$/g, '');
  return names && v.length <= 63 && SECRET_DATA_KEY.test(v);
}

/**
 * Whether a key whose last word is `secret`/`secrets` is given the name of a Kubernetes Secret, not a credential:
 * Elyra's runtime configuration `cos_secret: aws-connection-minio` ("Kubernetes secret that's defined in the specified
 * user namespace", elyra-ai/elyra elyra/metadata/schemas/kfp.json property cos_secret), a `DB_SECRET: postgres-creds`.
 * The value is a DNS-1123 name of several parts, each a word, a number or a word with a number (`s3`, `v2`), or an
 * OpenShift AI data connection (`aws-connection-…`); a single word (`s3cretminio`), a part mixing letters and digits
 * otherwise (`3kf9-…`, `x2q7`), and
 * keys that hold the secret itself (`client_secret`, `JWT_SECRET`, `secret_key`, `aws_secret_access_key`) stay credentials.
 */
export function namesSecretByName(key: string, value: string): boolean {
  // or a key of one (namesSecretKey): `adminPasswordKey: postgres-password`
  if (namesSecretKey(key, value)) return true;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  const last = words[words.length - 1];
  if ((last !== 'SECRET' && last !== 'SECRETS') || HOLDS_SECRET.has(words[words.length - 2] ?? '')) return false;
  const v = value.trim().replace(/^["']|["']$/g, '');
  if (!isDnsSubdomain(v)) return false;
  if (v.startsWith('aws-connection-')) return true;
  const parts = v.split(/[-.]+/);
  return parts.length > 1 && parts.every((p) => /^([a-z]+[0-9]*|[0-9]+)$/.test(p));
}
