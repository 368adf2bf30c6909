import { PLACEHOLDER_WORDS } from '../template-syntax';
import { CREDENTIAL_WORDS } from './names';
import { perText } from '../../private/run-memo';

/** Values that hold no credential though written where one goes: placeholders, references, stand-ins and switches. */

/**
 * A reference the shell or the kubelet expands ($VAR, ${VAR}, $(VAR)), a template a tool renders ({{ X }}), a GitHub
 * Actions expression the runner substitutes before the step runs (`${{ secrets.API_KEY }}`: docs.github.com, "Evaluate
 * expressions in workflows and actions"; the value lives in the repository's encrypted secrets), or LiteLLM's
 * `os.environ/NAME`, which its proxy reads from the environment (litellm proxy/proxy_server.py: a config value starting
 * with `os.environ/` is looked up with get_secret): no value at all.
 */
const REFERENCE = /^\$(\{[^}]+\}|\([^)]+\)|[A-Za-z_]\w*)$|^\$?\{\{[^{}]*\}\}$|^os\.environ\/[A-Za-z_]\w*$/;
/**
 * A format directive a program fills before the text is used (`printf 'https://x-access-token:%s@github.com'
 * "$GITHUB_TOKEN"`): a printf conversion specification, `%[n$][flags][width][.precision]conversion` (POSIX.1-2017 XSH
 * fprintf and XCU printf, whose `%b` the utility adds), Python's printf-style `%(name)s` (Python docs, "printf-style
 * String Formatting": the mapping key in parentheses, conversion types diouxXeEfFgGcrsa), Go's verbs with an explicit
 * argument index `%[1]s` (fmt package docs: %v %+v %#v %T %t %q %U %p %w among them), and a str.format replacement
 * field `{}`, `{0}`, `{token}`, `{token!r}`, `{token:>8}` (Python docs, "Format String Syntax"): a slot, no value.
 */
const FORMAT_DIRECTIVE =
  /^%(?:\d+\$|\[\d+\]|\([A-Za-z_]\w*\))?[-+ #0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXfFeEgGaAcsbrqvTtOUpw]$|^\{(?:[A-Za-z_]\w*|\d+)?(?:\.[A-Za-z_]\w*|\[\w+\])*(?:![rsa])?(?::[^{}]*)?\}$/;
/**
 * Values meant to be replaced before use: changeme / replace-me / replace-with-… anywhere, placeholder, todo, fixme, tbd,
 * <token>, your-token, xxx (and a bare vendor token prefix, see barePrefix).
 */
const TO_REPLACE = /change[-_ ]?me|replace[-_ ]?(me|with)|^(placeholder|todo|fixme|tbd|redacted)([-_. ].*)?$|^<[^>]*>$|^your[-_]|^x{3,}$/i;
/**
 * A slot in square brackets, its words capitalised (`[API_Key]`, `[YOUR TOKEN]`, `[Access-Key]`): a guide's text for
 * what goes there, as `<token>` is; a list or a bracketed key of lower-case or mixed characters is not read so.
 */
const BRACKETED_SLOT = /^\[[A-Z][A-Za-z0-9]*(?:[ _-][A-Z][A-Za-z0-9]*)*\]$/;
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
const AFTER_BARE_PREFIX = /^(\.{2,}|\u2026|[xX]+|\*+|<[^>]*>)?$/;

/** Whether a value is only a vendor token prefix (`xoxb-`, `ghp_…`, `hf_xxx`): the template of a token, not one. */
function barePrefix(v: string): boolean {
  return TOKEN_PREFIXES.some((p) => v.startsWith(p) && AFTER_BARE_PREFIX.test(v.slice(p.length)));
}

/**
 * Deliberate stand-ins for a backend that checks nothing: fake, dummy, example, sample, unused… (alone or as the first
 * word), and `EMPTY`, the key vLLM's documentation gives OpenAI clients of a server started without one
 * (docs/serving/openai_compatible_server.md: `api_key="EMPTY"`); the no-auth fillers an OpenAI client is given for a
 * server that checks no key (`not-needed`, `no-key`, `none`, llama.cpp's `sk-no-key-required`): vLLM checks a key
 * only when started with --api-key or VLLM_API_KEY (vllm entrypoints/openai/api_server.py). Alone: `ollama`, the key
 * Ollama's OpenAI-compatibility guide gives a client ("required but ignored", ollama docs/openai.md), and `local`, which
 * no vLLM, LiteLLM or Ollama document gives but configs of local backends write for the key LiteLLM's openai/ provider
 * requires (LiteLLM docs, providers/openai_compatible: the client "requires an API key for all requests"): a word
 * naming where the backend runs, which no key generator yields.
 */
const STAND_IN =
  /^(sk-)?(fake|dummy|example|sample|unused|not[-_ ]?used|not[-_ ]?needed|not[-_ ]?required|no[-_ ]?key|no[-_ ]?auth|none|null|nil|n\/a|noop|empty)([-_. ].*)?$|^(ollama|local)$/i;

/** Whole words that say a value is to be replaced, wherever they stand (`sk-YOUR-OPENAI-API-KEY`, `your-api-key-here`): the one list. */
const REPLACE_WORDS: ReadonlySet<string> = new Set(PLACEHOLDER_WORDS);
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

/** TOKEN_PREFIXES, the longest first: `sk-proj-` is taken before `sk-`. */
const LONGEST_PREFIX_FIRST = [...TOKEN_PREFIXES].sort((a, b) => b.length - a.length);

/**
 * A value made only of placeholder words and filler words, after a vendor prefix (`sk-YOUR-OPENAI-API-KEY`,
 * `demo-key`, `example-token`, `your-api-key-here`, `xxxxxxxx`): which kind; undefined when any other word is there
 * (`demo123!Abc`, whose `demo` is no whole word; `super-secret-example-token`), since a real secret may begin or end
 * with such a word.
 */
function placeholderWords(v: string): 'to-replace' | 'stand-in' | undefined {
  const prefix = LONGEST_PREFIX_FIRST.find((p) => v.startsWith(p)) ?? '';
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

/**
 * Values that name how passwords are hashed, an enumerated mode, not a secret: PostgreSQL's password_encryption
 * (`scram-sha-256`, `md5`; PostgreSQL docs, runtime-config-connection, password_encryption (enum)), and the hash
 * algorithms other servers' settings choose between (sha-256, sha-512, bcrypt, argon2id, pbkdf2).
 */
const HASH_METHOD = /^(md5|scram-sha-256|sha-?(1|256|512)|bcrypt|argon2(id|i|d)?|pbkdf2([-_]sha-?(1|256|512))?)$/i;

/** Whether a value is a switch or a mode rather than a secret (what a credential-named variable set to it means). */
export function flagValue(value: string): boolean {
  const bare = value.trim().replace(/^["']|["']$/g, '');
  return FLAG_VALUE.test(bare) || HASH_METHOD.test(bare);
}

/**
 * What a value is when it is no credential: empty, a reference the shell or kubelet expands, a placeholder meant to
 * be replaced, or a stand-in for a backend that checks nothing; undefined for anything else.
 */
export function placeholderKind(value: string): 'empty' | 'reference' | 'to-replace' | 'stand-in' | undefined {
  // once per value, kept past the run: the credential readers ask about every literal value of the tree, some twice
  return perText('placeholder-kind', value, kindOf);
}

function kindOf(value: string): ReturnType<typeof placeholderKind> {
  const v = value.trim().replace(/^["']|["']$/g, '');
  if (v === '') return 'empty';
  // a list of keys, comma- or semicolon-separated (`API_KEYS: sk-demo,sk-team-a`, Open WebUI's `OPENAI_API_KEYS:
  // not-used;not-used`, one per backend), is a placeholder only if each of its items is one
  if (/^[^,;\s]+([,;][^,;\s]+)+$/.test(v)) return listPlaceholder(v.split(/[,;]/));
  if (REFERENCE.test(v) || FORMAT_DIRECTIVE.test(v)) return 'reference';
  if (TO_REPLACE.test(v) || BRACKETED_SLOT.test(v) || barePrefix(v) || namesItsSlot(v)) return 'to-replace';
  return STAND_IN.test(v) ? 'stand-in' : placeholderWords(v);
}

/** What a list of values is as a placeholder: what its items are when every one is one (the strongest kind), else nothing. */
function listPlaceholder(items: readonly string[]): ReturnType<typeof placeholderKind> {
  const kinds = items.map(placeholderKind);
  if (kinds.some((k) => k === undefined)) return undefined;
  return (['to-replace', 'stand-in', 'reference', 'empty'] as const).find((k) => kinds.includes(k));
}
