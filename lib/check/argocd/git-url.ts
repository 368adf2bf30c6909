/**
 * Argo CD's Git URL normalisation (`util/git/git.go` NormalizeGitURL, IsSSHURL, SameURL), which AppProject
 * sourceRepos are compared through.
 */

/** `git.go` sshURLRegex. */
const SSH_URL = /^(ssh:\/\/)?([^/:]*?)@[^@]+$/;

/** `git.go` IsSSHURL. */
export function isSshUrl(url: string): boolean {
  return SSH_URL.test(url);
}

/**
 * Whether Go's net/url.Parse accepts the URL (what NormalizeGitURL relies on): no control characters, well-formed
 * `%` escapes, a numeric port after `scheme://host:`, and no colon in the first segment of a scheme-less URL.
 */
function goUrlParses(url: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(url)) return false;
  if (/%(?![0-9a-fA-F]{2})/.test(url)) return false;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url);
  if (!scheme) {
    if (url.startsWith(':')) return false; // "missing protocol scheme"
    const first = url.split('/')[0];
    return !first.includes(':'); // "first path segment in URL cannot contain colon"
  }
  const rest = url.slice(scheme[0].length);
  if (!rest.startsWith('//')) return true;
  const authority = rest.slice(2).split(/[/?#]/)[0];
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  if (host.startsWith('[')) return /^\[[^\]]*\](:\d*)?$/.test(host);
  const colon = host.indexOf(':');
  return colon < 0 || /^\d*$/.test(host.slice(colon + 1)); // "invalid port"
}

/**
 * `git.go` NormalizeGitURL: lower case, trimmed, `git@host:path` as `host/path` with user, `.git` dropped; `''` when
 * Go cannot parse the URL. (url.URL.String() re-escapes some characters; URLs that differ only there are rare.)
 */
export function normalizeGitUrl(repo: string): string {
  let r = repo.trim().toLowerCase();
  if (isSshUrl(r) && !r.startsWith('ssh://')) r = `ssh://${r.replace(':', '/')}`;
  if (r.endsWith('.git')) r = r.slice(0, -'.git'.length);
  if (!goUrlParses(r)) return '';
  return r.startsWith('ssh://') ? r.slice('ssh://'.length) : r;
}

/** `git.go` SameURL: the two normalise to the same non-empty URL (an unparsable one compares as written). */
export function sameGitUrl(left: string, right: string): boolean {
  const l = normalizeGitUrl(left) || left;
  const r = normalizeGitUrl(right) || right;
  return l !== '' && r !== '' && l === r;
}
