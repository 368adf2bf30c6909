/**
 * A file of a GitHub repository named by its raw URL: `https://raw.githubusercontent.com/<owner>/<repo>/<ref>/<path>`
 * (the ref one segment, or `refs/heads/<branch>` / `refs/tags/<tag>`) or `https://github.com/<owner>/<repo>/raw/<ref>/<path>`,
 * which GitHub redirects to the former (GitHub docs "Viewing a file": the Raw button). A branch whose name holds a `/`
 * is read as its first segment: the rest is taken for the path.
 */
export function rawRepositoryFile(url: string): { readonly repository: string; readonly path: string } | undefined {
  const m =
    /^https?:\/\/raw\.githubusercontent\.com\/([\w.-]+)\/([\w.-]+)\/(.+)$/i.exec(url) ?? /^https?:\/\/github\.com\/([\w.-]+)\/([\w.-]+)\/raw\/(.+)$/i.exec(url);
  if (!m) return undefined;
  const rest = m[3].split(/[?#]/)[0].split('/');
  const path = rest.slice(/^refs$/.test(rest[0]) && /^(heads|tags)$/.test(rest[1] ?? '') ? 3 : 1).join('/');
  return path ? { repository: `${m[1]}/${m[2]}`.toLowerCase(), path } : undefined;
}

/** The `<owner>/<repo>` of a GitHub remote URL (https, ssh, scp-like `git@github.com:owner/repo.git`), lower-cased; undefined for another host. */
export function githubRepositoryOf(remote: string): string | undefined {
  const m = /github\.com[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/i.exec(remote.trim());
  return m ? `${m[1]}/${m[2]}`.toLowerCase() : undefined;
}
