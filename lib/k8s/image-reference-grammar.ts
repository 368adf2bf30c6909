import { imagePinning } from '../private/names';

/**
 * The grammar of an image reference as the kubelet parses it (github.com/distribution/reference regexp.go, the
 * patterns below named as there): a name of path components with an optional domain and port, an optional tag and
 * an optional digest. A reference that does not parse is InvalidImageName: the pod never starts.
 */
const ALPHANUMERIC = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const DOMAIN_NAME_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const OPTIONAL_PORT = '(?::[0-9]+)?';
const TAG = '[\\w][\\w.-]{0,127}';
const IPV6_ADDRESS = '\\[(?:[a-fA-F0-9:]+)\\]';
const DOMAIN_NAME = `${DOMAIN_NAME_COMPONENT}(?:\\.${DOMAIN_NAME_COMPONENT})*`;
const DOMAIN_AND_PORT = `(?:${DOMAIN_NAME}|${IPV6_ADDRESS})${OPTIONAL_PORT}`;
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`;
const REMOTE_NAME = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const NAME = `(?:${DOMAIN_AND_PORT}/)?${REMOTE_NAME}`;
// the digest after '@' (DIGEST there) is judged apart, against the OCI registered algorithms (imagePinning)
const NAME_AND_TAG = new RegExp(`^(${NAME})(?::(${TAG}))?$`);
const ANCHORED_NAME = new RegExp(`^${NAME}$`);
/** reference.go NameTotalLengthMax. */
const NAME_TOTAL_LENGTH_MAX = 255;
/** Characters the grammar uses anywhere; any other one is the culprit to name. */
const REFERENCE_CHARACTER = /[A-Za-z0-9._\-/:@[\]]/;

/**
 * Why the kubelet cannot parse an image reference's name and tag (reference.go Parse, its errors in words), naming the first
 * character no reference may hold and its 1-based position; undefined when it parses.
 */
export function imageReferenceProblem(ref: string): string | undefined {
  if (ref === '') return 'the reference is empty';
  const chars = Array.from(ref);
  const bad = chars.findIndex((c) => !REFERENCE_CHARACTER.test(c));
  if (bad >= 0) {
    const c = chars[bad];
    const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    return `character '${c}' (${code}) at position ${bad + 1} is not allowed in an image reference${c.codePointAt(0)! > 127 ? ' (a look-alike of an ASCII character?)' : ''}`;
  }
  const at = ref.indexOf('@');
  const m = NAME_AND_TAG.exec(at >= 0 ? ref.slice(0, at) : ref);
  if (!m) {
    const name = ref.replace(/@.*$/, '').replace(/:[\w][\w.-]*$/, '');
    return ANCHORED_NAME.test(name.toLowerCase()) && !ANCHORED_NAME.test(name) ? 'the repository name must be lowercase' : 'invalid reference format';
  }
  if (m[1].length > NAME_TOTAL_LENGTH_MAX) return `the repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`;
  return digestProblem(ref, m[2]);
}

/**
 * Why the digest after `@` is none: reference.go Parse reads it with go-digest's Parse, which refuses an unknown
 * algorithm or a wrong length (the OCI registered algorithms: sha256 and 64 lowercase hex digits, sha512 and 128). A
 * version written after `@` (`ollama/ollama@0.10.1`) is a tag meant after `:`.
 */
function digestProblem(ref: string, tag: string | undefined): string | undefined {
  const pinning = imagePinning(ref);
  if (pinning.pinned || pinning.problem !== 'malformed-digest') return undefined;
  const digest = pinning.digest ?? '';
  const name = ref.slice(0, ref.lastIndexOf('@'));
  const asTag = !tag && /^v?\d+(?:\.\d+)*$/.test(digest) ? ` (a version tag goes after ':': '${name}:${digest}')` : '';
  return `the digest '${digest}' after @ is none (a digest is sha256: and 64 lowercase hex digits, or sha512: and 128), which no registry resolves${asTag}`;
}
