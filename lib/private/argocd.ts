/**
 * Checks of the values an Argo CD Application or sync-wave annotation carries, shared by the delivery constructs and
 * the app's configuration file. Each returns a problem sentence (without the field name), or undefined when valid.
 */

/** A value as messages show it: cut to 80 characters, control characters escaped. */
export function shownValue(v: unknown): string {
  const s = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v));
  const cut = s.length > 80 ? `${s.slice(0, 77)}...` : s;
  return JSON.stringify(cut).slice(1, -1);
}

/**
 * Why `ref` is not a revision Argo CD can check out, or undefined: a commit sha (40 or 64 hex digits), `HEAD`, or a
 * branch or tag name that `git check-ref-format --allow-onelevel` accepts. Ported from git's refs.c
 * (check_refname_component, check_or_sanitize_refname) and the rules of Documentation/git-check-ref-format.txt.
 */
export function gitRefProblem(ref: unknown): string | undefined {
  if (typeof ref !== 'string') return `is not a string`;
  if (ref === '') return 'is empty';
  if (ref === 'HEAD' || /^[0-9a-f]{40}$|^[0-9a-f]{64}$/i.test(ref)) return undefined;
  // the refs/heads/, refs/tags/ forms are accepted as they are: the rules below apply to every component
  if (ref === '@') return "is '@', which git reserves";
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f]/.test(ref)) return 'holds a space or a control character (a newline, a tab), which no git ref may hold';
  const bad = /[~^:?*[\\]/.exec(ref);
  if (bad) return `holds '${bad[0]}', which no git ref may hold (git check-ref-format refuses ~ ^ : ? * [ and \\)`;
  if (ref.includes('..')) return "holds '..', which no git ref may hold";
  if (ref.includes('@{')) return "holds '@{', which no git ref may hold";
  if (ref.startsWith('/') || ref.endsWith('/') || ref.includes('//')) return "starts or ends with '/' or holds '//'";
  if (ref.endsWith('.')) return "ends with '.'";
  for (const c of ref.split('/')) {
    if (c.startsWith('.')) return `has a component '${shownValue(c)}' that starts with '.'`;
    if (c.endsWith('.lock')) return `has a component '${shownValue(c)}' that ends with '.lock'`;
  }
  return undefined;
}

/**
 * Why `url` is not a Git repository URL to commit to a repository, or undefined: https://, http://, ssh:// or the
 * scp-like `user@host:path`, without credentials. An https URL may carry no user-info at all (a token passed as the
 * user name is as secret as a password); an ssh URL may name its user (git@) but no password. Argo CD reads
 * credentials from its repository Secrets, never from the Application.
 */
export function repoUrlProblem(url: unknown): string | undefined {
  if (typeof url !== 'string') return 'is not a string';
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f]/.test(url)) return 'holds a space or a control character';
  if (/^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:(?!\/\/)\S+$/.test(url)) return undefined; // git@github.com:org/repo.git
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'is not a Git URL (https://…, ssh://… or git@host:path)';
  }
  if (!['https:', 'http:', 'ssh:'].includes(u.protocol)) return 'is not a Git URL (https://…, ssh://… or git@host:path)';
  if (!u.hostname) return 'names no host';
  if (u.password || (u.username && u.protocol !== 'ssh:')) {
    return "embeds credentials (user-info before '@'); they would be committed with the Application: remove them and give Argo CD a repository Secret";
  }
  return undefined;
}

/**
 * Why `p` is not a path inside a repository, or undefined: relative, '/'-separated, without '..', '.' components
 * aside, backslashes or control characters (Argo CD resolves an Application's path inside the checked-out repository).
 */
export function repoPathProblem(p: unknown): string | undefined {
  if (typeof p !== 'string') return 'is not a string';
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(p)) return 'holds a control character';
  if (p.startsWith('/')) return "is absolute, but Argo CD reads source.path relative to the repository root: drop the leading '/', e.g. dist";
  if (p.includes('\\')) return "holds '\\'; separate folders with '/'";
  if (p.split('/').includes('..')) return "holds '..', which leads outside the repository";
  return undefined;
}

/** Why `wave` is not an Argo CD sync wave, or undefined: Argo CD parses the annotation as an integer (strconv.Atoi). */
export function syncWaveProblem(wave: unknown): string | undefined {
  if (typeof wave !== 'number' || !Number.isSafeInteger(wave)) return `must be a whole number, got ${shownValue(wave)}`;
  return undefined;
}

/** Throws `<where>: <field> '<value>' <problem>` when `problem` is set. */
export function requireValid(where: string, field: string, value: unknown, problem: string | undefined): void {
  if (problem) throw new Error(`${where}: ${field} '${shownValue(value)}' ${problem}`);
}

/**
 * Checks the Git source of a delivery construct or configuration: repository URL, revision and path. `prefix` goes
 * before each field name in messages (`gitops.` for the configuration file).
 */
export function requireGitSource(
  where: string,
  source: { readonly repoURL: unknown; readonly targetRevision?: unknown; readonly pathPrefix?: unknown },
  prefix = '',
): void {
  // a refused URL is shown without its user-info: the message must not spread the credential it refuses
  const url = typeof source.repoURL === 'string' ? source.repoURL.replace(/\/\/[^/@]*@/, '//***@') : source.repoURL;
  requireValid(where, `${prefix}repoURL`, url, repoUrlProblem(source.repoURL));
  if (source.targetRevision !== undefined) {
    const problem = gitRefProblem(source.targetRevision);
    requireValid(where, `${prefix}targetRevision`, source.targetRevision, problem && `${problem}; give a branch, a tag, a commit sha or HEAD`);
  }
  if (source.pathPrefix !== undefined) requireValid(where, `${prefix}pathPrefix`, source.pathPrefix, repoPathProblem(source.pathPrefix));
}

/**
 * The folder a delivery's Application paths start with: `pathPrefix` (else `fallback`) checked as a path inside the
 * repository — a leading '/' is refused, since Argo CD resolves source.path from the repository root — and written
 * without trailing '/'.
 */
export function repoPathPrefix(where: string, pathPrefix: unknown, fallback: string): string {
  const p = pathPrefix ?? fallback;
  requireValid(where, 'pathPrefix', p, repoPathProblem(p));
  return (p as string).replace(/\/+$/, '');
}

/** Returns `wave` (or `fallback` when undefined) after checking it is a whole number. */
export function syncWaveOf(where: string, wave: unknown, fallback: number): number {
  if (wave === undefined) return fallback;
  requireValid(where, 'syncWave', wave, syncWaveProblem(wave) && 'is not a whole number; Argo CD reads sync waves as integers');
  return wave as number;
}
