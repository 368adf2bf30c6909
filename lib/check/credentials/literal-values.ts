import { namesCredential, namesSecretByName } from './names';
import { flagValue, placeholderKind } from './placeholders';
import { isSopsCiphertext } from '../../manifests/sops';

/** Values that are credentials written out: by their form (a known token, a URL or connection string with a password) or their name. */

/** AWS access keys, Hugging Face tokens, PEM private keys, OpenAI-style keys. */
export const CREDENTIAL_VALUE = /(AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|hf_[A-Za-z0-9]{30,}|-----BEGIN [A-Z ]*PRIVATE KEY-----|sk-[A-Za-z0-9]{20,})/;
const CREDENTIAL_JSON = /"(secret_access_key|access_key_id|password|token)"\s*:\s*"([^"]+)"/g;

/**
 * The password of a URL with user information, `scheme://user:password@host` (database and broker connection strings).
 * User and password stop at quotes, commas, braces and whitespace, which no userinfo written in a manifest holds, so a
 * `host:port` followed by other JSON fields (`tcp://$(POD_IP):5556","topic":"kv@…`) is no password.
 */
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"'`,{}]*:([^\s/@"'`,{}]+)@/gi;

/**
 * Whether the value holds a URL whose password is a literal (not empty, a placeholder, a `${VAR}`/`$(VAR)` reference or
 * a format directive a program fills, `%s`): any of its URLs, since a script may format one and write another out.
 */
export function hasUrlPassword(value: string): boolean {
  if (!value.includes('://')) return false;
  for (const m of value.matchAll(URL_PASSWORD)) if (!placeholderKind(m[1]) && !/\$[({]/.test(m[1])) return true;
  return false;
}

/**
 * The password of a key/value connection string: libpq's `password=…` (PostgreSQL libpq connect.c, conninfo
 * keywords separated by spaces), ADO.NET's and ODBC's `Password=…;`/`Pwd=…;`, and a JDBC URL's `?password=…`/`&password=…`.
 */
const CONNECTION_PASSWORD = /(?:^|[\s;?&])(?:password|pwd)\s*=\s*('[^']*'|[^\s;&'"]+)/i;

/** Whether the value is a connection string with a literal password (not empty, a placeholder or a `$VAR`/`${VAR}` reference). */
export function hasConnectionPassword(value: string): boolean {
  return literalSecret(CONNECTION_PASSWORD.exec(value)?.[1]);
}

/** Whether a JSON document (a storage-config entry) holds a credential field whose value is not a placeholder (AKIAEXAMPLE, EXAMPLESECRET included). */
export function jsonCredential(text: string): boolean {
  return [...text.matchAll(CREDENTIAL_JSON)].some((m) => !placeholderKind(m[2]) && !/^(AKIA|ASIA)?EXAMPLE|EXAMPLE$/i.test(m[2]));
}

/**
 * Whether a word is a secret written out: not empty, not an option, not a reference to expand ($VAR, ${VAR}, $(…),
 * backticks), not a placeholder, and not SOPS ciphertext (encrypted in the file, decrypted before the apply).
 */
export function literalSecret(word: string | undefined): boolean {
  if (word === undefined || isSopsCiphertext(word)) return false;
  const v = word.trim().replace(/^["']|["']$/g, '');
  return v !== '' && !v.startsWith('-') && !/[$`]/.test(v) && !placeholderKind(v);
}

/**
 * A value that is a file's path, which names where a credential is kept, not the credential (`KEY_FILE=/tmp/keys`):
 * relative (`./`, `../`, `~/`) or under a root directory of the Filesystem Hierarchy Standard or a container's usual
 * mounts. A random key may begin with '/' (base64), but not with one of these folders.
 */
const PATH_VALUE = /^(?:\.{1,2}|~)\/|^\/(?:tmp|etc|var|run|home|opt|mnt|data|secrets?|config|usr|root|workspace|app|srv|certs?)(?:\/|$)/;

/** A number or a duration (`400ms`, `1.5s`, `1h30m`, Go's time.ParseDuration units): a setting's value, never a credential. */
export const NUMBER_OR_DURATION = /^-?\d+(\.\d+)?(ns|us|\u00b5s|ms|s|m|h)?$|^(\d+(\.\d+)?(ns|us|\u00b5s|ms|s|m|h))+$/;

/**
 * Lower-case words joined by hyphens (`bos-repurpose`, `round-robin`): the value of a setting chosen from a list. A
 * token is issued by a machine, random or prefixed (`hf_…`, a JWT), never such words; a password may be, so only a name
 * whose credential is a token is judged by it.
 */
const WORDS_VALUE = /^[a-z]+(?:-[a-z]+)+$/;
const TOKEN_ONLY_NAME = (name: string) => /token/i.test(name) && !/pass|secret|key|credential/i.test(name);

/** A credential-named variable given a literal secret (not a number or a boolean, not a path, not the name of a Secret). */
export function credentialAssignment(name: string, value: string): boolean {
  const bare = value.replace(/^["']|["']$/g, '');
  return (
    namesCredential(name) &&
    literalSecret(value) &&
    !flagValue(value) &&
    !NUMBER_OR_DURATION.test(bare) &&
    !PATH_VALUE.test(bare) &&
    !(TOKEN_ONLY_NAME(name) && WORDS_VALUE.test(bare)) &&
    !namesSecretByName(name, value)
  );
}

/**
 * Token forms of services whose keys GitHub's push protection recognises ("Supported secret scanning patterns",
 * docs.github.com): push protection for users, on for every account since 2024 (GitHub community discussion #110557),
 * blocks a push to a public repository that holds one. Each form is the provider's published prefix and length.
 */
const PROVIDER_TOKENS: readonly { readonly name: string; readonly form: RegExp }[] = [
  { name: 'a Hugging Face token', form: /\bhf_[A-Za-z0-9]{34,}/ },
  { name: 'an Anthropic API key', form: /\bsk-ant-[A-Za-z0-9_-]{40,}/ },
  { name: 'an OpenAI API key', form: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{40,}/ },
  { name: 'an AWS access key', form: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: 'a GitHub token', form: /\bgh[pousr]_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{60,}/ },
  { name: 'a GitLab token', form: /\bglpat-[A-Za-z0-9_-]{20,}/ },
  { name: 'a Slack token', form: /\bxox[abpr]-[0-9]{6,}-[0-9A-Za-z-]{10,}/ },
];

/** The service whose token the value holds, by the forms above; undefined for any other value and for a placeholder. */
export function providerToken(value: string): string | undefined {
  for (const { name, form } of PROVIDER_TOKENS) {
    const token = form.exec(value)?.[0];
    // AWS's documented example key (AKIAIOSFODNN7EXAMPLE) and other stand-ins are no account's key
    if (token !== undefined && !placeholderKind(token) && !/EXAMPLE/i.test(token)) return name;
  }
  return undefined;
}
