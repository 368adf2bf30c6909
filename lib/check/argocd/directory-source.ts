import { Loose, mapping, text } from '../../manifests/access';

/** The settings of a directory source (Argo CD ApplicationSourceDirectory): `recurse` is false unless set. */
export interface DirectorySelection {
  readonly recurse: boolean;
  readonly include?: string;
  readonly exclude?: string;
}

/** The files findManifests reads (argo-cd reposerver/repository/repository.go, `manifestFile`). */
const MANIFEST_FILE = /^.*\.(yaml|yml|json|jsonnet)$/;

const literal = (c: string) => c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/** A `[...]` class of gobwas/glob (`[abc]`, `[a-z]`, `[!abc]`) from just after `[`: the regex and where it ends. */
function charClass(p: string, from: number): { re: string; end: number } | undefined {
  const negated = p[from] === '!';
  const start = negated ? from + 1 : from;
  const close = p.indexOf(']', start + 1);
  if (close < 0) return undefined;
  const body = [...p.slice(start, close)].map((c, i, all) => (c === '-' && i > 0 && i < all.length - 1 ? '-' : literal(c))).join('');
  return { re: `[${negated ? '^' : ''}${body}]`, end: close + 1 };
}

/**
 * A gobwas/glob pattern compiled without separators, as argo-cd util/glob Match calls it: `*` and `**` match any run of
 * characters `/` included, `?` one character, `[...]` a class, `{a,b}` alternatives, `\` escapes. Undefined when the
 * pattern does not compile (an unclosed `[` or `{`, a trailing `\`).
 */
export function globRegExp(pattern: string): RegExp | undefined {
  let i = 0;
  const sequence = (inBraces: boolean): string | undefined => {
    const branches: string[] = [];
    let current = '';
    while (i < pattern.length) {
      const c = pattern[i++];
      if (c === '\\') {
        if (i >= pattern.length) return undefined;
        current += literal(pattern[i++]);
      } else if (c === '*') {
        while (pattern[i] === '*') i++;
        current += '[\\s\\S]*';
      } else if (c === '?') current += '[\\s\\S]';
      else if (c === '[') {
        const cls = charClass(pattern, i);
        if (!cls) return undefined;
        current += cls.re;
        i = cls.end;
      } else if (c === '{') {
        const inner = sequence(true);
        if (inner === undefined) return undefined;
        current += inner;
      } else if (inBraces && c === ',') {
        branches.push(current);
        current = '';
      } else if (inBraces && c === '}') return `(?:${[...branches, current].join('|')})`;
      else current += literal(c);
    }
    return inBraces ? undefined : current;
  };
  const body = sequence(false);
  return body === undefined ? undefined : new RegExp(`^${body}$`);
}

/** argo-cd util/glob Match: a pattern that does not compile matches nothing (Argo CD logs a warning). */
export function globMatch(pattern: string, value: string): boolean {
  return globRegExp(pattern)?.test(value) ?? false;
}

/**
 * Whether a source's `directory` makes it a Directory source once Argo CD has normalised the spec: the controller's
 * NormalizeApplicationSpec (argo-cd util/argo/argo.go) sets a zero `directory` to nil (ApplicationSourceDirectory
 * IsZero: no recurse and no jsonnet settings) unless it holds include or exclude, so `directory: {recurse: false}` or
 * `directory: {}` leaves the type to detection from the folder's files.
 */
export function directoryExplicit(source: Loose): boolean {
  if (source.directory === undefined || source.directory === null) return false;
  const d = mapping(source.directory);
  const jsonnet = mapping(d.jsonnet);
  const jsonnetSet = ['extVars', 'tlas', 'libs'].some((k) => Array.isArray(jsonnet[k]) && jsonnet[k].length > 0);
  return d.recurse === true || jsonnetSet || !!text(d.include) || !!text(d.exclude);
}

/**
 * The directory settings of an Application source, or undefined when the source is of another type: Argo CD takes the
 * type a source names (`helm`, `kustomize`, `plugin`: ApplicationSource.ExplicitType), a `chart` is a Helm chart, and
 * a folder with a kustomization is a kustomize source (the caller sees that from the objects built there).
 */
export function directorySelection(source: Loose): DirectorySelection | undefined {
  if (['helm', 'kustomize', 'plugin', 'chart'].some((k) => source[k] !== undefined && source[k] !== null)) return undefined;
  const d = mapping(source.directory);
  return { recurse: d.recurse === true, include: text(d.include) || undefined, exclude: text(d.exclude) || undefined };
}

/**
 * Whether findManifests reads a file, by its path relative to the application path ('/'-separated): folders below are
 * walked only with `recurse`, only manifest files are read, `exclude` is applied first, then `include`.
 */
export function selects(selection: DirectorySelection, relPath: string): boolean {
  if (relPath.includes('/') && !selection.recurse) return false;
  if (!MANIFEST_FILE.test(relPath.slice(relPath.lastIndexOf('/') + 1))) return false;
  if (selection.exclude && globMatch(selection.exclude, relPath)) return false;
  return !selection.include || globMatch(selection.include, relPath);
}

/** A file path as a gobwas/glob literal (argo-cd util/glob): its special characters escaped. */
const globLiteral = (name: string) => name.replace(/[\\*?[\]{},]/g, '\\$&');

/** The exclude that leaves the files out, kept with the one the selection has: one pattern, or a `{a,b}` alternation. */
export function excludeFor(selection: DirectorySelection | undefined, files: readonly string[]): string {
  const parts = [...(selection?.exclude ? [selection.exclude] : []), ...files.map(globLiteral)];
  return parts.length === 1 ? parts[0] : `{${parts.join(',')}}`;
}

/** The settings as an Application states them, for messages. */
export function describeSelection(selection: DirectorySelection): string {
  return [
    `directory.recurse ${selection.recurse}`,
    ...(selection.include ? [`include '${selection.include}'`] : []),
    ...(selection.exclude ? [`exclude '${selection.exclude}'`] : []),
  ].join(', ');
}
