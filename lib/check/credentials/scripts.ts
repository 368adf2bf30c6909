import { mapping } from '../../manifests/access';
import { appliedManifests } from '../../manifests/script-creations';
import { namesCredential, namesSecretByName } from './names';
import { placeholderKind } from './placeholders';
import { credentialAssignment, literalSecret, NUMBER_OR_DURATION } from './literal-values';
import { leakingKeys } from './object-fields';
import { perText } from '../../private/run-memo';

/** Credentials written in what a container runs: its command-line options and the scripts it or a ConfigMap holds. */

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

/** Where a script argument holds a credential literally (the MinIO client's keys, a credential variable assigned), described; undefined when it holds none. */
export function scriptCredential(text: string): string | undefined {
  // once per text, kept past the run: the rule asks of every argument of every container
  return perText('script-credential', text, credentialIn);
}

function credentialIn(text: string): string | undefined {
  // a backslash before a newline joins the lines, as the shell reads them (POSIX 2.2.1): `mc alias set a \` goes on
  const script = text.includes('\\') ? text.replace(/\\\r?\n/g, '') : text;
  // each pattern is run only on a text that holds what it needs (`mc`, `=`, a quote, `value:`): the rule asks of every
  // argument of every container, and most hold none
  const has = (part: string) => script.includes(part);
  for (const re of has('mc') ? MC_CREDENTIALS : []) {
    for (const m of script.matchAll(re)) if (literalSecret(m[1])) return `the secret key of '${m[0].split(/\s+/).slice(0, 3).join(' ')}'`;
  }
  for (const m of has('=') ? script.matchAll(SHELL_ASSIGNMENT) : []) {
    if (credentialAssignment(m[1], m[2])) return `${m[1]}=…`;
  }
  for (const m of has('"') ? script.matchAll(SCRIPT_JSON_CREDENTIAL) : []) {
    if (namesCredential(m[1]) && literalSecret(m[2]) && !namesSecretByName(m[1], m[2])) return `"${m[1]}" in a JSON body`;
  }
  for (const m of has('value:') ? script.matchAll(EMBEDDED_NAME_VALUE) : []) {
    if (credentialAssignment(m[1], m[2])) return `${m[1]} in a manifest it writes`;
  }
  // a Secret it applies from a heredoc, the variables the script set to literals expanded as the shell does
  for (const { manifest } of appliedManifests(script)) {
    const leaking = manifest.kind === 'Secret' ? leakingKeys(manifest) : [];
    if (leaking.length) return `${leaking.join(', ')} of the Secret '${String(mapping(manifest.metadata).name ?? '')}' it applies`;
  }
  for (const m of has('--') ? script.matchAll(SCRIPT_FLAG) : []) {
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
export function optionCredential(words: string[], i: number): { shown: string; placeholder?: string } | undefined {
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
