import { isDnsSubdomain } from '../../private/names';
import { apiGroupOf } from '../../k8s/api-version';
import { bracedTemplate } from '../template-syntax';
import { parseOne } from '../../manifests/yaml-documents';
import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { generatedFrom } from '../application-sets';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { ANY_KIND, Problem, Rule } from '../rule';
import { appliedManifests } from '../../manifests/script-creations';
import { perRun } from '../../private/run-memo';

/** Words of a variable or key name that say it holds a credential. */
const CREDENTIAL_WORDS = new Set([
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
/** Names that contain a credential word but hold an identifier: etcd's cluster token only keeps clusters apart (etcd docs, --initial-cluster-token). */
const KNOWN_IDENTIFIERS = new Set(['ETCD_INITIAL_CLUSTER_TOKEN']);

/** A credential flag with its value: `--token=…`, `--api-key "…"` is not caught (no value in the same argument). */
const CREDENTIAL_FLAG = /--(api-key|hf-token|token|password)=("[^"]*"|'[^']*'|\S+)/;

/** A credential flag whose value is the next argument (`args: [--password, s3cret]`): kubelet passes them as two words. */
const SPLIT_CREDENTIAL_FLAG = /^--(api-key|hf-token|token|password)$/;

/**
 * The MinIO client's positional credentials in a script: `mc alias set ALIAS URL ACCESSKEY SECRETKEY` (and its older
 * form `mc config host add`), `mc admin user add ALIAS ACCESSKEY SECRETKEY` (minio/mc cmd/alias-set.go and
 * cmd/admin-user-add.go usage); the captured word is the secret key.
 */
const MC_CREDENTIALS = [/\bmc\s+(?:alias\s+set|config\s+host\s+add)\s+\S+\s+\S+\s+\S+\s+([^\s;&|]+)/g, /\bmc\s+admin\s+user\s+add\s+\S+\s+\S+\s+([^\s;&|]+)/g];

/**
 * A shell assignment in a script, `PASSWORD=…` or `export AWS_SECRET_ACCESS_KEY=…`, at the start of a command: an
 * upper-case name (shell variables; a Python keyword argument such as `aws_secret_access_key=os.environ[…]` is code,
 * not an assignment) and a word or quoted string as its value.
 */
const SHELL_ASSIGNMENT = /(?:^|[\n;&|]|\bexport)[ \t]*([A-Z_][A-Z0-9_]*)=("[^"\n]*"|'[^'\n]*'|[^\s;&|]+)/g;

/**
 * A name/value pair of a manifest the script writes out (a heredoc piped to `oc apply -f -` or `kubectl apply`): an
 * env entry or a PipelineRun/Workflow parameter, `- name: DB_PASSWORD` and on the next line `value: …`.
 */
const EMBEDDED_NAME_VALUE = /(?:^|\n)[ \t]*-?[ \t]*name:[ \t]*["']?([A-Za-z_][\w.-]*)["']?[ \t]*\n[ \t]*value:[ \t]*("[^"\n]*"|'[^'\n]*'|[^\s#]+)/g;

/**
 * A credential field of a JSON body a script sends or writes (`curl -d '{"password":"…"}'`, a heredoc config), quotes
 * possibly escaped for the shell: the field's name and its literal value.
 */
const SCRIPT_JSON_CREDENTIAL = /\\?"([A-Za-z_]*(?:password|passwd|secret|token|api_?key)[A-Za-z_]*)\\?"\s*:\s*\\?"([^"\\]*)\\?"/gi;

/**
 * A long option of a command a script runs and its value, `--cos_password minio123` or `--db-password=…`: the option's
 * name is judged like a variable's (namesCredential), the value must be a literal word.
 */
const SCRIPT_FLAG = /(?:^|[\s;&|(])--([A-Za-z][\w-]*)(?:[ \t]+|=)("[^"\n]*"|'[^'\n]*'|[^\s;&|\\]+)/g;

/** An argument that is one long option with its value, `--cookie-secret=…`. */
const NAMED_OPTION = /^--([A-Za-z][\w-]*)=(\S+)$/;

/**
 * A reference the shell or the kubelet expands ($VAR, ${VAR}, $(VAR)), a template a tool renders ({{ X }}), or
 * LiteLLM's `os.environ/NAME`, which its proxy reads from the environment (litellm proxy/proxy_server.py: a config
 * value starting with `os.environ/` is looked up with get_secret): no value at all.
 */
const REFERENCE = /^\$(\{[^}]+\}|\([^)]+\)|[A-Za-z_]\w*)$|^\{\{[^{}]*\}\}$|^os\.environ\/[A-Za-z_]\w*$/;
/**
 * Values meant to be replaced before use: changeme / replace-me / replace-with-… anywhere, placeholder, todo, tbd,
 * <token>, your-token, xxx (and a bare vendor token prefix, see barePrefix).
 */
const TO_REPLACE = /change[-_ ]?me|replace[-_ ]?(me|with)|^(placeholder|todo|tbd|redacted)([-_. ].*)?$|^<[^>]*>$|^your[-_]|^x{3,}$/i;
/**
 * Vendor token prefixes: Slack (xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, xapp-), GitHub (ghp_, gho_, ghu_, ghs_, ghr_,
 * github_pat_), GitLab (glpat-), OpenAI and Anthropic (sk-, sk-proj-, sk-ant-), Hugging Face (hf_), AWS access keys
 * (AKIA, ASIA). A real token follows its prefix with many characters of its alphabet.
 */
const TOKEN_PREFIXES = [
  'xoxb-',
  'xoxp-',
  'xoxa-',
  'xoxr-',
  'xoxs-',
  'xapp-',
  'ghp_',
  'gho_',
  'ghu_',
  'ghs_',
  'ghr_',
  'github_pat_',
  'glpat-',
  'sk-',
  'sk-proj-',
  'sk-ant-',
  'hf_',
  'AKIA',
  'ASIA',
];
/** What may follow a bare prefix in a template: nothing, an ellipsis, a run of x or *, or `<…>`. */
const AFTER_BARE_PREFIX = /^(\.{2,}|…|[xX]+|\*+|<[^>]*>)?$/;

/** Whether a value is only a vendor token prefix (`xoxb-`, `ghp_…`, `hf_xxx`): the template of a token, not one. */
function barePrefix(v: string): boolean {
  return TOKEN_PREFIXES.some((p) => v.startsWith(p) && AFTER_BARE_PREFIX.test(v.slice(p.length)));
}

/**
 * Deliberate stand-ins for a backend that checks nothing: fake, dummy, example, sample, unused… (alone or as the first
 * word), and `EMPTY`, the key vLLM's documentation gives OpenAI clients of a server started without one
 * (docs/serving/openai_compatible_server.md: `api_key="EMPTY"`); the no-auth fillers an OpenAI client is given for a
 * server that checks no key (`not-needed`, `no-key`, `none`, llama.cpp's `sk-no-key-required`): vLLM checks a key
 * only when started with --api-key or VLLM_API_KEY (vllm entrypoints/openai/api_server.py).
 */
const STAND_IN =
  /^(sk-)?(fake|dummy|example|sample|unused|not[-_ ]?used|not[-_ ]?needed|not[-_ ]?required|no[-_ ]?key|no[-_ ]?auth|none|null|nil|n\/a|noop|empty)([-_. ].*)?$/i;

/** Whole words that say a value is to be replaced, wherever they stand (`sk-YOUR-OPENAI-API-KEY`, `your-api-key-here`). */
const REPLACE_WORDS = new Set(['your', 'replace', 'change', 'changeme', 'placeholder', 'todo', 'tbd', 'redacted']);
/** The verbs a fill-in sentence starts with (`Insert your token here`, `Paste the API key here`). */
const INSTRUCTION_VERBS = new Set(['insert', 'enter', 'put', 'paste', 'add', 'fill', 'type', 'set', 'place', 'copy']);
/** Whole words that say a value is a stand-in (`demo-key`, `example-token`). */
const STAND_IN_WORDS = new Set(['example', 'sample', 'demo', 'dummy', 'fake', 'mock', 'unused']);
/**
 * The words a placeholder spells out around its placeholder word: what the value is (api, key, token…), whose
 * (vendors), and filler (here, the, for). Any other word, however plain (`super-secret-example-token`,
 * `change-this-in-production`), makes the value a phrase someone chose as the secret, which is then used as it is.
 */
const FILLER_WORDS = new Set([
  ...['api', 'apikey', 'key', 'token', 'secret', 'password', 'passwd', 'access', 'auth', 'client', 'id', 'value', 'string'],
  ...['here', 'goes', 'the', 'a', 'an', 'for', 'with', 'of', 'own'],
  ...['openai', 'anthropic', 'azure', 'aws', 'gcp', 'google', 'hf', 'huggingface', 'github', 'gitlab', 'slack', 'weather'],
]);

/**
 * A value made only of placeholder words and filler words, after a vendor prefix (`sk-YOUR-OPENAI-API-KEY`,
 * `demo-key`, `example-token`, `your-api-key-here`, `xxxxxxxx`): which kind; undefined when any other word is there
 * (`demo123!Abc`, whose `demo` is no whole word; `super-secret-example-token`), since a real secret may begin or end
 * with such a word.
 */
function placeholderWords(v: string): 'to-replace' | 'stand-in' | undefined {
  const prefix = [...TOKEN_PREFIXES].sort((a, b) => b.length - a.length).find((p) => v.startsWith(p)) ?? '';
  const words = v
    .slice(prefix.length)
    .split(/[-_. ]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  // an instruction sentence (`Insert your token here`, `enter the password here`): a fill-in verb first, then words of
  // what goes there and `your`/`here`; the verb anywhere else (`token-insert-42`) or without them is no instruction
  const instruction = INSTRUCTION_VERBS.has(words[0]) && words.some((w) => w === 'your' || w === 'here');
  const toReplace = (w: string) => REPLACE_WORDS.has(w) || /^x{3,}$/.test(w) || (instruction && (INSTRUCTION_VERBS.has(w) || w === 'in'));
  // `test` names a stand-in beside the word of what it stands for (`test_token`, `test-api-key`); alone it is a password
  const standIn = (w: string) => STAND_IN_WORDS.has(w) || (w === 'test' && words.some((x) => FILLER_WORDS.has(x)));
  if (!words.length || !words.every((w) => toReplace(w) || standIn(w) || FILLER_WORDS.has(w))) return undefined;
  if (words.some(toReplace)) return 'to-replace';
  return words.some(standIn) ? 'stand-in' : undefined;
}

/** Upper-case words beside the credential word in a value that only names what belongs there: `COOKIE_SECRET`, `DB_PASSWORD`. */
const NAMING_WORDS = new Set(['KEY', 'COOKIE', 'SESSION', 'SIGNING', 'ENCRYPTION', 'BEARER', 'DB', 'DATABASE', 'ADMIN', 'ROOT', 'USER', 'MY', 'S3', 'MINIO']);

/**
 * A value in capitals that names the thing meant to go there (`--cookie-secret=SECRET`, `password: PASSWORD`,
 * `API_KEY`, `HF_TOKEN`), as documentation writes a slot: credential words with filler and naming words only, one of
 * them a credential word. A capital word with anything else in it (`SECRET123`, `PASSWORDX`, `ORCHID`) is no slot.
 */
function namesItsSlot(v: string): boolean {
  if (!/^[A-Z][A-Z0-9]*([_-][A-Z0-9]+)*$/.test(v)) return false;
  const words = v.split(/[_-]/);
  const credential = (w: string) => CREDENTIAL_WORDS.has(w) || w === 'KEY';
  return words.some(credential) && words.every((w) => credential(w) || NAMING_WORDS.has(w) || FILLER_WORDS.has(w.toLowerCase()));
}

/** Values of a switch, not a secret: `ALLOW_EMPTY_PASSWORD: "yes"`, `TOKEN_AUTH: "off"`, `0`/`1`. */
const FLAG_VALUE = /^(yes|no|true|false|on|off|enabled|disabled|0|1)$/i;

/** Whether a value is a switch rather than a secret (what a credential-named variable set to it means). */
export function flagValue(value: string): boolean {
  return FLAG_VALUE.test(value.trim().replace(/^["']|["']$/g, ''));
}

/**
 * What a value is when it is no credential: empty, a reference the shell or kubelet expands, a placeholder meant to
 * be replaced, or a stand-in for a backend that checks nothing; undefined for anything else.
 */
export function placeholderKind(value: string): 'empty' | 'reference' | 'to-replace' | 'stand-in' | undefined {
  const v = value.trim().replace(/^["']|["']$/g, '');
  if (v === '') return 'empty';
  // a list of keys, comma- or semicolon-separated (`API_KEYS: sk-demo,sk-team-a`, Open WebUI's `OPENAI_API_KEYS:
  // not-used;not-used`, one per backend), is a placeholder only if each of its items is one
  if (/^[^,;\s]+([,;][^,;\s]+)+$/.test(v)) return listPlaceholder(v.split(/[,;]/));
  if (REFERENCE.test(v)) return 'reference';
  if (TO_REPLACE.test(v) || barePrefix(v) || namesItsSlot(v)) return 'to-replace';
  return STAND_IN.test(v) ? 'stand-in' : placeholderWords(v);
}

/** What a list of values is as a placeholder: what its items are when every one is one (the strongest kind), else nothing. */
function listPlaceholder(items: readonly string[]): ReturnType<typeof placeholderKind> {
  const kinds = items.map(placeholderKind);
  if (kinds.some((k) => k === undefined)) return undefined;
  return (['to-replace', 'stand-in', 'reference', 'empty'] as const).find((k) => kinds.includes(k));
}

/**
 * A Secret's data value decoded; one that is no base64 at all (`$HUGGING_FACE_HUB_TOKEN`, left for a script to fill) is
 * judged as written, since decoding it would only turn the placeholder into noise.
 */
function fromBase64(raw: string): string {
  const compact = raw.replace(/\s+/g, '');
  return /^[A-Za-z0-9+/]*={0,2}$/.test(compact) && compact.length % 4 === 0 ? Buffer.from(compact, 'base64').toString('utf8') : raw;
}

/**
 * What a Secret's value is as a placeholder: a bare `$VAR` is one left for a script to fill (nothing expands it in a
 * Secret, and unrendered-placeholder tells only `${VAR}`), so it is to be replaced like `changeme`.
 */
function secretPlaceholder(value: string): ReturnType<typeof placeholderKind> {
  return /^\$[A-Za-z_]\w*$/.test(value.trim()) ? 'to-replace' : placeholderKind(value);
}

/** Whether a variable or key name says it holds a credential: HF_TOKEN, db-password, awsSecretAccessKey; not MAX_NEW_TOKENS. */
export function namesCredential(name: string): boolean {
  // once per run and name: every env name and key of the tree is asked about by several of this rule's readers
  return perRun('names-credential', [name], () => nameSaysCredential(name));
}

function nameSaysCredential(name: string): boolean {
  if (KNOWN_IDENTIFIERS.has(name.toUpperCase())) return false;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  if (words.some((w) => SETTING_WORDS.has(w))) return false;
  // an identifier, not a secret: AWS_ACCESS_KEY_ID, CLIENT_ID (AWS: the access key ID names the key, its secret
  // access key signs; the ID alone grants nothing)
  if (words[words.length - 1] === 'ID') return false;
  // a list of keys is named in the plural: API_KEYS, ACCESS_KEYS
  return words.some((w, i) => CREDENTIAL_WORDS.has(w) || (i > 0 && CREDENTIAL_PAIRS.has(`${words[i - 1]} ${w === 'KEYS' ? 'KEY' : w}`)));
}

/** AWS access keys, Hugging Face tokens, PEM private keys, OpenAI-style keys. */
const CREDENTIAL_VALUE = /(AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|hf_[A-Za-z0-9]{30,}|-----BEGIN [A-Z ]*PRIVATE KEY-----|sk-[A-Za-z0-9]{20,})/;
const CREDENTIAL_JSON = /"(secret_access_key|access_key_id|password|token)"\s*:\s*"([^"]+)"/g;

/**
 * The password of a URL with user information, `scheme://user:password@host` (database and broker connection strings).
 * User and password stop at quotes, commas, braces and whitespace, which no userinfo written in a manifest holds, so a
 * `host:port` followed by other JSON fields (`tcp://$(POD_IP):5556","topic":"kv@…`) is no password.
 */
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"'`,{}]*:([^\s/@"'`,{}]+)@/i;

/** Whether the value holds a URL whose password is a literal (not empty, a placeholder or a `${VAR}`/`$(VAR)` reference). */
function hasUrlPassword(value: string): boolean {
  const password = URL_PASSWORD.exec(value)?.[1];
  return password !== undefined && !placeholderKind(password) && !/\$[({]/.test(password);
}

/**
 * The password of a key/value connection string: libpq's `password=…` (PostgreSQL libpq connect.c, conninfo
 * keywords separated by spaces), ADO.NET's and ODBC's `Password=…;`/`Pwd=…;`, and a JDBC URL's `?password=…`/`&password=…`.
 */
const CONNECTION_PASSWORD = /(?:^|[\s;?&])(?:password|pwd)\s*=\s*('[^']*'|[^\s;&'"]+)/i;

/** Whether the value is a connection string with a literal password (not empty, a placeholder or a `$VAR`/`${VAR}` reference). */
function hasConnectionPassword(value: string): boolean {
  return literalSecret(CONNECTION_PASSWORD.exec(value)?.[1]);
}

/** Whether a JSON document (a storage-config entry) holds a credential field whose value is not a placeholder (AKIAEXAMPLE, EXAMPLESECRET included). */
function jsonCredential(text: string): boolean {
  return [...text.matchAll(CREDENTIAL_JSON)].some((m) => !placeholderKind(m[2]) && !/^(AKIA|ASIA)?EXAMPLE|EXAMPLE$/i.test(m[2]));
}

/**
 * Whether a word is a secret written out: not empty, not an option, not a reference to expand ($VAR, ${VAR}, $(…),
 * backticks) and not a placeholder.
 */
function literalSecret(word: string | undefined): boolean {
  if (word === undefined) return false;
  const v = word.trim().replace(/^["']|["']$/g, '');
  return v !== '' && !v.startsWith('-') && !/[$`]/.test(v) && !placeholderKind(v);
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

/** A credential-named variable given a literal secret (not a number or a boolean, not the name of a Secret). */
/**
 * A value that is a file's path, which names where a credential is kept, not the credential (`KEY_FILE=/tmp/keys`):
 * relative (`./`, `../`, `~/`) or under a root directory of the Filesystem Hierarchy Standard or a container's usual
 * mounts. A random key may begin with '/' (base64), but not with one of these folders.
 */
const PATH_VALUE = /^(?:\.{1,2}|~)\/|^\/(?:tmp|etc|var|run|home|opt|mnt|data|secrets?|config|usr|root|workspace|app|srv|certs?)(?:\/|$)/;

/** A number or a duration (`400ms`, `1.5s`, `1h30m`, Go's time.ParseDuration units): a setting's value, never a credential. */
const NUMBER_OR_DURATION = /^-?\d+(\.\d+)?(ns|us|µs|ms|s|m|h)?$|^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

function credentialAssignment(name: string, value: string): boolean {
  const bare = value.replace(/^["']|["']$/g, '');
  return (
    namesCredential(name) &&
    literalSecret(value) &&
    !flagValue(value) &&
    !NUMBER_OR_DURATION.test(bare) &&
    !PATH_VALUE.test(bare) &&
    !namesSecretByName(name, value)
  );
}

/** Where a script argument holds a credential literally (the MinIO client's keys, a credential variable assigned), described; undefined when it holds none. */
function scriptCredential(text: string): string | undefined {
  // a backslash before a newline joins the lines, as the shell reads them (POSIX 2.2.1): `mc alias set a \` goes on
  const script = text.replace(/\\\r?\n/g, '');
  for (const re of MC_CREDENTIALS) {
    for (const m of script.matchAll(re)) if (literalSecret(m[1])) return `the secret key of '${m[0].split(/\s+/).slice(0, 3).join(' ')}'`;
  }
  for (const m of script.matchAll(SHELL_ASSIGNMENT)) {
    if (credentialAssignment(m[1], m[2])) return `${m[1]}=…`;
  }
  for (const m of script.matchAll(SCRIPT_JSON_CREDENTIAL)) {
    if (namesCredential(m[1]) && literalSecret(m[2]) && !namesSecretByName(m[1], m[2])) return `"${m[1]}" in a JSON body`;
  }
  for (const m of script.matchAll(EMBEDDED_NAME_VALUE)) {
    if (credentialAssignment(m[1], m[2])) return `${m[1]} in a manifest it writes`;
  }
  // a Secret it applies from a heredoc, the variables the script set to literals expanded as the shell does
  for (const { manifest } of appliedManifests(script)) {
    const leaking = manifest.kind === 'Secret' ? leakingKeys(manifest) : [];
    if (leaking.length) return `${leaking.join(', ')} of the Secret '${String(mapping(manifest.metadata).name ?? '')}' it applies`;
  }
  for (const m of script.matchAll(SCRIPT_FLAG)) {
    if (credentialAssignment(m[1], m[2])) return `--${m[1]} …`;
  }
  return undefined;
}

/**
 * A long option of a command line and its value: one argument `--cookie-secret=…`, or `--cookie-secret` and the next
 * argument (the kubelet passes each list item as one word, so the program reads the next one as the value).
 */
function optionAt(words: string[], i: number): { option: string; value: string; joined: boolean } | undefined {
  const named = NAMED_OPTION.exec(words[i]);
  if (named) return { option: named[1], value: named[2], joined: true };
  const bare = /^--([A-Za-z][\w-]*)$/.exec(words[i]);
  const next = words[i + 1];
  return bare && next !== undefined && !next.startsWith('-') ? { option: bare[1], value: next, joined: false } : undefined;
}

/** What a command-line option holds, judged by its name (namesCredential) and its value: a credential, a placeholder used as one, or nothing. */
function optionCredential(words: string[], i: number): { shown: string; placeholder?: string } | undefined {
  const known = CREDENTIAL_FLAG.exec(words[i]);
  if (known && !placeholderKind(known[2]) && !NUMBER_OR_DURATION.test(known[2])) return { shown: `--${known[1]}=` };
  const split = SPLIT_CREDENTIAL_FLAG.exec(words[i]);
  if (split && literalSecret(words[i + 1]) && !NUMBER_OR_DURATION.test(words[i + 1])) return { shown: `--${split[1]} ` };
  const o = optionAt(words, i);
  if (!o || !namesCredential(o.option)) return undefined;
  const shown = `--${o.option}${o.joined ? '=' : ' '}`;
  if (credentialAssignment(o.option, o.value)) return { shown };
  // the program runs with the slot's name as its credential (oauth-proxy signs cookies with 'SECRET'): anyone who
  // reads the manifest can reproduce it; a stand-in (`--api-key EMPTY`, fake, dummy) for a backend that checks nothing
  // stays a stand-in, and a reference is expanded
  return placeholderKind(o.value) === 'to-replace' && !/[$`{}]/.test(o.value) ? { shown, placeholder: o.value } : undefined;
}

/** The credentials a container's command line holds: a credential option's value, a known credential form, a script's literal keys. */
function commandLineProblems(name: string, container: Loose): Problem[] {
  const out: Problem[] = [];
  const words = [...strings(container.command), ...strings(container.args)];
  for (const [i, a] of words.entries()) {
    const option = optionCredential(words, i);
    const scripted = option ? undefined : scriptCredential(a);
    if (option?.placeholder !== undefined) {
      out.push({
        message: `container '${name}' passes '${option.placeholder}' as ${option.shown.replace(/[= ]$/, '')}: a placeholder, but the program runs with it as the credential, which anyone reading the manifest can reproduce; set the real one from a Secret through an environment variable`,
      });
    } else if (option || CREDENTIAL_VALUE.test(a) || hasUrlPassword(a)) {
      out.push({
        message: `container '${name}' passes a credential on the command line (${option?.shown ?? ''}…); read it from an environment variable set from a Secret`,
      });
    } else if (scripted) {
      out.push({
        message: `container '${name}' runs a script that holds a credential literally (${scripted}); set it as an environment variable from a Secret (valueFrom.secretKeyRef) and use \${VAR} in the script`,
      });
    }
  }
  return out;
}

/**
 * HTTP headers that carry a credential: RFC 9110 11.6.2 Authorization and 11.7.2 Proxy-Authorization, and the API-key
 * headers of OpenAI-compatible gateways and Azure OpenAI (`X-API-Key`, `api-key`).
 */
const CREDENTIAL_HEADER = /^(proxy-)?authorization$|^(x-)?api[-_]?key$/i;
/** An authentication scheme before the credential (RFC 9110 11.4): `Bearer`, `Basic`, `Token`, `ApiKey`. */
const AUTH_SCHEME = /^(bearer|basic|token|apikey|digest)(\s+|$)/i;

/** The probes and lifecycle hooks of a container that send HTTP requests, by field, with their headers. */
function httpHeadersOf(container: Loose): { field: string; headers: Loose[] }[] {
  const probes = ['livenessProbe', 'readinessProbe', 'startupProbe'].map((f) => ({ field: f, get: mapping(mapping(container[f]).httpGet) }));
  const hooks = ['postStart', 'preStop'].map((f) => ({ field: `lifecycle.${f}`, get: mapping(mapping(mapping(container.lifecycle)[f]).httpGet) }));
  return [...probes, ...hooks].map(({ field, get }) => ({ field, headers: mappings(get.httpHeaders) }));
}

/**
 * A credential header of a probe or hook given a literal value: the kubelet sends the header as written (it expands
 * no variables there; k8s.io/kubernetes pkg/probe/http/request.go NewRequestForHTTPGetAction), so the value is the key.
 */
function probeHeaderProblems(name: string, container: Loose): Problem[] {
  const sent = httpHeadersOf(container).flatMap(({ field, headers }) =>
    headers
      .filter((h) => {
        const credential = (text(h.value) ?? '').trim().replace(AUTH_SCHEME, '');
        return CREDENTIAL_HEADER.test(text(h.name) ?? '') && literalSecret(credential) && !/[{}]/.test(credential);
      })
      .map((h) => `${field}.httpGet.httpHeaders ${String(h.name)}`),
  );
  if (!sent.length) return [];
  return [
    {
      message: `container '${name}' sends a literal credential in ${sent.join(', ')}; anyone who reads the manifest holds the key: probe an endpoint that needs no key (vLLM's /health), or use an exec or tcpSocket probe`,
    },
  ];
}

/** A ConfigMap value that is a script: its key names one (`.sh`, `.bash`, `.py`) or it starts with a shebang. */
function isScript(key: string, value: string): boolean {
  return /\.(sh|bash|py)$/.test(key) || value.startsWith('#!');
}

/** A ConfigMap key that names a configuration file read as `key = value` lines. */
const LINE_CONFIG_KEY = /\.(conf|ini|properties|env)$|^\.env$/;

/** One `key = value`, `key: value` or `export KEY=value` line of an .ini, .properties, .conf or .env file; comments start with # or ;. */
const CONFIG_LINE = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][\w.-]*)[ \t]*[=:][ \t]*(.*?)[ \t]*$/gm;

/**
 * The credential-named settings of a configuration file embedded in a ConfigMap value, given a literal secret: a
 * `.yaml`/`.yml`/`.json` key or any value that parses as a YAML or JSON mapping is judged like a custom resource's
 * fields (Milvus's `minio.secretAccessKey`), an `.ini`/`.properties`/`.conf`/`.env` key line by line; `${VAR}`
 * templates the program or an init step expands and placeholders are not credentials.
 */
function configFileCredentials(key: string, value: string): string[] {
  if (LINE_CONFIG_KEY.test(key)) {
    return [...value.matchAll(CONFIG_LINE)]
      .filter(([, name, v]) => credentialAssignment(name, v) && !/[{}]/.test(v) && !namesMechanism(name))
      .map(([, name]) => name);
  }
  const named = /\.(ya?ml|json)$/.test(key);
  // a key with another extension (notes.txt, README.md) is text, whatever it parses as
  if (!named && (/\.\w+$/.test(key) || (!value.includes('\n') && !value.trimStart().startsWith('{')))) return [];
  const parsed = parseOne(value);
  const doc = 'value' in parsed ? parsed.value : undefined;
  // a whole manifest kept as a template is another object, judged where it is applied; an unnamed value is a
  // configuration file when it parses as a mapping of several settings, not one `word: phrase` line
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || ('apiVersion' in doc && 'kind' in doc)) return [];
  if (!named && Object.keys(doc).length < 2) return [];
  return credentialFields(doc, '', []).map((f) => f.replace(/^\./, ''));
}

/**
 * The credentials written in a ConfigMap's scripts (run by a Job, `oc exec` or a mounted entrypoint), by the detectors
 * a container's script gets, and in the configuration files it holds.
 */
function configMapProblems(m: Loose): Problem[] {
  const out: Problem[] = [];
  for (const [key, raw] of Object.entries(mapping(m.data))) {
    const value = text(raw);
    if (value === undefined) continue;
    if (!isScript(key, value)) {
      const settings = configFileCredentials(key, value);
      if (settings.length)
        out.push({
          message: `key '${key}' is a configuration file that holds ${settings.length > 1 ? 'credentials' : 'a credential'} in plain text (${settings.join(', ')}), readable by anyone who can read ConfigMaps in the namespace; keep the file in a Secret and mount it from there, or have the program read the value from an environment variable set from a Secret`,
        });
      continue;
    }
    const found = CREDENTIAL_VALUE.test(value) ? 'a credential of a known form' : hasUrlPassword(value) ? 'a URL with a password' : scriptCredential(value);
    if (found)
      out.push({
        message: `key '${key}' is a script that holds a credential literally (${found}); keep it in a Secret, set it as an environment variable of the pod that runs the script (valueFrom.secretKeyRef) and use \${VAR} in the script`,
      });
  }
  return out;
}

/** API groups whose credential-named fields hold references or ciphertext, not credentials: External Secrets, the Secrets Store CSI driver, Sealed Secrets. */
const SECRET_REFERENCE_GROUPS = /^(external-secrets\.io|generators\.external-secrets\.io|secrets-store\.csi\.x-k8s\.io|bitnami\.com)\//;

/** Whether the object is a custom resource: an API group with a dot that Kubernetes itself does not serve (*.k8s.io). */
function isCustomResource(apiVersion: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return group.includes('.') && !group.endsWith('.k8s.io') && !SECRET_REFERENCE_GROUPS.test(apiVersion);
}

/**
 * Keys that name a Secret or a key of one, not a credential, in operators' APIs: `…Ref`, `valueFrom`, and a last word
 * `secret`/`secrets` (NIMService `authSecret: ngc-api-secret`, DataSciencePipelinesApplication
 * `s3CredentialsSecret: {secretName, accessKey: AWS_ACCESS_KEY_ID, …}`): neither they nor what is under them is judged.
 */
function namesSecretObject(key: string): boolean {
  return /(Ref|Refs|_ref)$|^valueFrom$|(^|[a-z0-9_-])(secret|Secret|SECRET)s?$/.test(key);
}

/**
 * A key field beside the name of a Secret in the same mapping names an entry of that Secret, as secretKeyRef's `{name,
 * key}` does: bitwarden/sm-kubernetes BitwardenSecret `spec.authToken: {secretName, secretKey}` ("the key of the
 * Kubernetes secret where the authorization token is stored", api/v1/bitwardensecret_types.go AuthToken). A
 * `secretKey` beside a plain `name` (`{name: minio, secretKey: …}`) is still judged: there `name` names no Secret.
 */
function keyOfNamedSecret(mapping: Loose, key: string): boolean {
  return (key === 'secretKey' || key === 'key') && typeof mapping[key] === 'string' && typeof mapping.secretName === 'string';
}

/**
 * Keys ending in the plural `credentials`: a string there says where or how credentials travel, not what they are
 * (3scale's Product `authentication.userkey.credentials: headers | query | authorization`); a value of a credential's
 * own form (an AWS key, a token) is still one.
 */
function namesMechanism(key: string): boolean {
  return /(^|[a-z0-9_-])(credentials|Credentials|CREDENTIALS)$/.test(key);
}

/**
 * An Argo CD Helm source's `values`: a YAML string the repo server writes to a values file and hands to `helm
 * template` (argo-cd reposerver/repository/repository.go helmTemplate, ApplicationSourceHelm.Values), so its
 * credential-named keys are judged as those of `valuesObject`; one that does not parse (a template) is not judged.
 */
function helmValues(key: string, value: unknown, at: string): unknown {
  if (key !== 'values' || typeof value !== 'string' || !at.endsWith('.helm')) return undefined;
  const parsed = parseOne(value);
  return 'value' in parsed ? parsed.value : undefined;
}

/** A `{name, value}` entry (an env variable, an Argo CD Helm parameter) whose name says credential and whose value is a literal secret. */
function namedValueCredential(v: Loose): string | undefined {
  const name = text(v.name);
  const value = v.value;
  if (name === undefined || namesSecretObject(name) || typeof value !== 'string') return undefined;
  return credentialAssignment(name, value) && !/[{}]/.test(value) ? name : undefined;
}

/**
 * The string fields of a custom resource whose key names a credential and whose value is a literal secret
 * (`spec.source.properties.secretKey: minio123` of a KameletBinding), a `{name, value}` entry naming one, and the same
 * inside an Argo CD Helm source's values string. An object embedded whole (a manifest with apiVersion and kind, as
 * test and policy tools hold) is another object, not judged here.
 */
function credentialFields(v: unknown, at: string, out: string[], depth = 0): string[] {
  if (depth > 12) return out;
  if (Array.isArray(v)) v.forEach((x, i) => credentialFields(x, `${at}[${i}]`, out, depth + 1));
  else if (v && typeof v === 'object' && !(depth > 0 && 'apiVersion' in v && 'kind' in v)) {
    const named = namedValueCredential(v);
    if (named !== undefined) out.push(`${at} (${named})`);
    for (const [k, x] of Object.entries(v as Loose)) {
      if (namesSecretObject(k) || keyOfNamedSecret(v, k)) continue;
      const value = typeof x === 'string' ? x : undefined;
      // a key inside a values string reads `spec.source.helm.values: auth.rootPassword`
      const path = at.endsWith(':') ? `${at} ${k}` : `${at}.${k}`;
      const values = helmValues(k, x, at);
      if (values !== undefined) credentialFields(values, `${path}:`, out, depth + 1);
      else if (value !== undefined && (CREDENTIAL_VALUE.test(value) || (credentialAssignment(k, value) && !namesMechanism(k))) && !/[{}]/.test(value))
        out.push(path);
      else credentialFields(x, path, out, depth + 1);
    }
  }
  return out;
}

/**
 * Credential-named fields of operators' APIs that name a key of a Secret, not a credential, by kind: ModelMesh's
 * Predictor `spec.storage.s3.secretKey` is the entry of the storage-config Secret to use
 * (kserve/modelmesh-serving apis/serving/v1alpha1/predictor_types.go S3StorageSource.SecretKey).
 */
const KEY_NAME_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'serving.kserve.io/Predictor': ['spec.storage.s3.secretKey'],
};

function customResourceProblems(m: Loose): Problem[] {
  if (!isCustomResource(text(m.apiVersion) ?? '') || WORKLOAD_KINDS.includes(String(m.kind)) || m.kind === 'ServingRuntime') return [];
  const keyNames = KEY_NAME_FIELDS[`${apiGroupOf(m.apiVersion)}/${String(m.kind)}`] ?? [];
  const fields = Object.entries(m)
    .filter(([k]) => !['apiVersion', 'kind', 'metadata', 'status'].includes(k))
    .flatMap(([k, v]) => credentialFields(v, k, []))
    .filter((f) => !keyNames.includes(f));
  if (!fields.length) return [];
  const held = `${fields.join(', ')} ${fields.length > 1 ? 'hold credentials' : 'holds a credential'} in plain text in the ${String(m.kind)}`;
  const helm = fields.some((f) => f.includes('.helm.'));
  return [
    {
      message: helm
        ? `${held}: Argo CD passes Helm values and parameters to the chart as written, readable by anyone who reads the ${String(m.kind)} or its repository; create a Secret outside Git and give the chart its name (most charts take an existingSecret value)`
        : `${held}; keep it in a Secret and refer to it as the ${String(m.kind)} allows (a Secret reference, or a property placeholder the operator resolves)`,
    },
  ];
}

/** A Secret's keys, each with its value as text (stringData over base64-decoded data; an unquoted {{ X }}, which YAML reads as a mapping, as the template). */
function secretValues(m: Loose): { keys: string[]; decoded: (k: string) => string } {
  const data = mapping(m.data);
  const stringData = mapping(m.stringData);
  const decoded = (k: string) =>
    text(stringData[k]) ?? bracedTemplate(stringData[k]) ?? (typeof data[k] === 'string' ? fromBase64(data[k]) : (bracedTemplate(data[k]) ?? ''));
  return { keys: Object.keys({ ...data, ...stringData }), decoded };
}

/** The keys of a Secret that hold a credential in plain text. */
function leakingKeys(m: Loose): string[] {
  const { keys, decoded } = secretValues(m);
  return keys.filter(
    (k) =>
      (namesCredential(k) && !placeholderKind(decoded(k)) && !flagValue(decoded(k)) && !namesSecretByName(k, decoded(k))) ||
      jsonCredential(decoded(k)) ||
      CREDENTIAL_VALUE.test(decoded(k)) ||
      hasUrlPassword(decoded(k)) ||
      hasConnectionPassword(decoded(k)),
  );
}

/** A Secret's data: credentials in plain text (base64 is an encoding), and placeholders applied as they are. */
function secretDataProblems(m: Loose): Problem[] {
  const out: Problem[] = [];
  const { keys, decoded } = secretValues(m);
  const leaking = leakingKeys(m);
  const placeholders = keys.filter((k) => !leaking.includes(k) && namesCredential(k) && /^(to-replace|stand-in)$/.test(secretPlaceholder(decoded(k)) ?? ''));
  if (placeholders.length) {
    const toReplace = placeholders.some((k) => secretPlaceholder(decoded(k)) === 'to-replace');
    out.push({
      // a value meant to be replaced, applied as it is, replaces the real one on every sync; a stand-in is deliberate
      severity: toReplace ? 'warning' : 'info',
      message:
        `holds placeholder values in ${placeholders.map((k) => `${k} ('${decoded(k)}')`).join(', ')}, not credentials` +
        (toReplace
          ? ': applied as they are, they replace the real values on every sync; create the Secret outside Git (External Secrets, Sealed Secrets) or fill it in the pipeline'
          : ': stand-ins for a backend that checks nothing; nothing to do unless it starts checking'),
    });
  }
  if (leaking.length) {
    out.push({
      message: `holds credentials in ${leaking.join(', ')} in plain text (base64 is an encoding, not encryption); keep the Secret out of Git and create it with External Secrets, Sealed Secrets or the dashboard`,
    });
  }
  return out;
}

export const plaintextSecret: Rule = {
  id: 'plaintext-secret',
  title:
    'credentials appear as literals: an env value, an argument, a script or configuration file in a ConfigMap, a field of a custom resource, or a Secret committed with data',
  severity: 'error',
  // custom resources of any kind: their credential-named fields
  appliesTo: [ANY_KIND],
  // a credential committed is read from the repository whether or not a build applies its file
  judgesUnapplied: true,
  premise:
    "a value that looks like a credential by its name or its form (a URL with a password, scheme://user:password@host, or a connection string's `password=…` (libpq, `Password=…;` of ADO.NET/ODBC, a JDBC URL's `&password=…`), whatever its key), including a credential header of a probe's or lifecycle hook's httpGet (Authorization, Proxy-Authorization, X-API-Key, api-key) whose value after its scheme (`Bearer …`) is a literal, which the kubelet sends as written, and in a script a container runs (the MinIO client's keys, `PASSWORD=…`, `--password <value>`, a `name: …PASSWORD` / `value: …` pair of a manifest it writes, a credential-named option `--cos_password <value>`), the same in a ConfigMap value that is a script (a `.sh`, `.bash` or `.py` key, or a shebang), a credential-named setting of a configuration file in a ConfigMap value (a `.yaml`/`.yml`/`.json` key or a value that parses as a YAML or JSON mapping, judged like a custom resource's fields; an `.ini`/`.properties`/`.conf`/`.env` key read as `key = value` lines; `${VAR}` templates skipped), and a string field of a custom resource whose key names a credential (`secretKey`, `password`; not under a `…Ref` or `valueFrom`, not a `secretKey` beside a `secretName`, which names a key of that Secret, not in External Secrets, Secrets Store CSI or Sealed Secrets objects), a `{name, value}` entry of one whose name does (an Argo CD Helm parameter `auth.rootPassword`), and the keys of an Argo CD Helm source's `values` string, read as YAML like `valuesObject` (Applications and ApplicationSet templates); placeholders are reported as placeholders, a warning in a Secret and as a credential option on a command line (`--cookie-secret=SECRET`: the program runs with it) for those meant to be replaced, a note for stand-ins and in env: changeme, fake, dummy, unused…, EMPTY (the key vLLM's docs give clients), <…>, xxx, placeholder, example, a bare vendor token prefix such as `xoxb-` or `hf_…`, a bare `$VAR` in a Secret, a value in capitals that names its slot (`SECRET`, `PASSWORD`, `TOKEN`, `COOKIE_SECRET`, `API_KEY`: credential words with naming words only; `SECRET123` is a secret), and a value made only of placeholder words (your, replace, change, placeholder, todo, tbd, redacted, xxx; example, sample, demo, dummy, fake, mock; in a fill-in sentence that starts with insert, enter, put, paste, add, fill, type, set, place or copy and holds your or here, `Insert your token here`, those verbs too) and filler words (api, key, token, secret, password, here, vendor names…) after a vendor prefix, such as `sk-YOUR-OPENAI-API-KEY` or `demo-key` (any other word, `super-secret-example-token`, or a part with digits or mixed case, `demo123!Abc`, makes it a secret); not credentials: switches (yes/no, true/false, on/off, enabled/disabled, 0/1, and numbers in env), names of settings about credentials (ALLOW_EMPTY_PASSWORD, *_ENABLED, *_FILE, *_SECRET_NAME, *_SECRET_REF), a key whose last word is secret given a Secret's name (`cos_secret: aws-connection-…` in an Elyra runtime configuration, `DB_SECRET: postgres-creds`; not `client_secret`, `JWT_SECRET`, `secret_key`, nor a one-word or random-looking value), `$VAR` and `${VAR}` references and `{{ X }}` templates (quoted, or unquoted, which YAML reads as a mapping)",
  example: "`name: HF_TOKEN, value: hf_` and the token, in a container's env",
  fix: 'keep the value in a Secret created outside Git and use valueFrom.secretKeyRef',
  source: 'anyone with read access to the Git repository reads the credential (base64 is an encoding, not encryption)',
  check(o) {
    const out: Problem[] = [];
    for (const { name, container } of containersOf(o.manifest)) {
      for (const e of mappings(container.env)) {
        const value = text(e.value);
        const envName = text(e.name) ?? '';
        if (!value) continue;
        const kind = placeholderKind(value);
        if (
          CREDENTIAL_VALUE.test(value) ||
          hasUrlPassword(value) ||
          hasConnectionPassword(value) ||
          (namesCredential(envName) && !flagValue(value) && !/^\d+$/.test(value) && !kind && !namesSecretByName(envName, value))
        ) {
          const what = hasConnectionPassword(value) && !namesCredential(envName) ? 'a connection string with a literal password' : 'a literal value';
          out.push({ message: `container '${name}' sets env ${envName} to ${what}; move it into a Secret and use valueFrom.secretKeyRef` });
        } else if ((kind === 'to-replace' || kind === 'stand-in') && namesCredential(envName)) {
          out.push({
            severity: 'info',
            summary: 'credential variables set to a placeholder value, not a credential',
            message: `container '${name}' sets env ${envName} to the placeholder '${value}', not a credential; if the server checks it, set the real one from a Secret (valueFrom.secretKeyRef)`,
          });
        }
      }
      out.push(...commandLineProblems(name, container), ...probeHeaderProblems(name, container));
    }
    if (o.manifest.kind === 'Secret') out.push(...secretDataProblems(o.manifest));
    if (o.manifest.kind === 'ConfigMap') out.push(...configMapProblems(o.manifest));
    // an Application an ApplicationSet generates holds what its template holds: said once, on the ApplicationSet
    if (!generatedFrom(o)) out.push(...customResourceProblems(o.manifest));
    return out;
  },
};
