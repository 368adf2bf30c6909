import * as path from 'path';
import { isMapping, Loose, mapping, mappings, text } from '../../manifests/access';
import { parseFirstDocument } from '../../manifests/yaml-documents';
import { sanitizeName } from './git-directories';

/** One `files` item of an ApplicationSet git generator. */
export interface GitFileItem {
  readonly path: string;
  readonly exclude: boolean;
}

/** The `files` items of a git generator; none when it lists directories (git.go GenerateParams prefers directories). */
export function gitFileItems(git: Loose): GitFileItem[] {
  if (mappings(git.directories).length) return [];
  return mappings(git.files).flatMap((f) => (text(f.path) ? [{ path: text(f.path)!, exclude: f.exclude === true }] : []));
}

/**
 * Whether `git ls-files -- <pattern>` lists a file (its path from the repository root): the repo server's default
 * listing for the git files generator (util/git/client.go LsFiles without the opt-in doublestar globbing). A pattern
 * without wildcards names the file or a folder above it; otherwise git's wildmatch runs without WM_PATHNAME, so `*`
 * and `?` cross `/` (`apps/*.yaml` lists apps/a/b.yaml too: Argo CD's docs call this globbing greedy).
 */
export function lsFilesMatch(pattern: string, file: string): boolean {
  const p = pattern.replace(/^\.\//, '');
  if (file === p || file.startsWith(p.endsWith('/') ? p : `${p}/`)) return true;
  if (!/[*?[\\]/.test(p)) return false;
  const re = wildmatchRegExp(p);
  return re !== undefined && re.test(file);
}

/** git's wildmatch pattern (flags 0) as a regular expression: `*` any run, `?` any character, `[...]` classes, `\` escapes. */
function wildmatchRegExp(pattern: string): RegExp | undefined {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '\\' && i + 1 < pattern.length) out += escape(pattern[++i]);
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return undefined;
      let body = pattern.slice(i + 1, end);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      out += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, (x) => `\\${x}`)}]`;
      i = end;
    } else out += escape(c);
  }
  return new RegExp(`^${out}$`, 's');
}

const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * The files a git files generator reads, sorted: those an include item lists and no exclude item does
 * (git.go generateParamsForGitFiles).
 */
export function filesOfGenerator(items: readonly GitFileItem[], allFiles: readonly string[]): string[] {
  const listed = (exclude: boolean) => allFiles.filter((f) => items.some((i) => i.exclude === exclude && lsFilesMatch(i.path, f)));
  const excluded = new Set(listed(true));
  return listed(false)
    .filter((f) => !excluded.has(f))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The objects of a generator's file: one object, or a list of them (git.go generateParamsFromGitFile reads the file
 * with sigs.k8s.io/yaml as a map, else as a list of maps). Undefined when it is neither: Argo CD fails the generator.
 */
export function objectsOfGitFile(content: string): Loose[] | undefined {
  const parsed = parseFirstDocument(content);
  if (!('value' in parsed)) return undefined;
  const value = parsed.value ?? {};
  if (isMapping(value)) return [value];
  if (Array.isArray(value) && value.every((v) => isMapping(v) || v === null)) return value.map((v: unknown) => mapping(v));
  return undefined;
}

/**
 * A leaf as Go's fmt `%v` prints what sigs.k8s.io/yaml decodes: null is `<nil>`, every number a float64 printed
 * shortest with an exponent from 1e+06 up and below 1e-04 (strconv 'g' with precision 6 for that choice).
 */
export function printed(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  // an object or list only reaches here through a set no template can read from (a flatList of clusters)
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  if (typeof v !== 'number') return JSON.stringify(v) ?? '';
  if (v === 0 || !Number.isFinite(v)) return String(v);
  const exp = Math.floor(Math.log10(Math.abs(v)));
  if (exp >= -4 && exp < 6) return String(v);
  const [mantissa, e] = v.toExponential().split('e');
  const n = Number(e);
  return `${mantissa}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}

/**
 * An object flattened as github.com/jeremywohl/flatten does in DotStyle: nested keys joined with `.`, list items by
 * their index (`a.0`), every leaf printed as Go prints it; an empty object or list leaves no key.
 */
export function flattenParams(node: unknown, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  const entries: [string, unknown][] = Array.isArray(node) ? node.map((v, i) => [String(i), v]) : Object.entries(mapping(node));
  for (const [k, v] of entries) {
    const key = prefix ? `${prefix}.${k}` : k;
    // an empty object or list gives no key at all
    if (isMapping(v) || Array.isArray(v)) Object.assign(out, flattenParams(v, key));
    else out[key] = printed(v);
  }
  return out;
}

/**
 * The parameters of one object of a generator's file (git.go generateParamsFromGitFile): with fasttemplate the object
 * flattened plus flat `path`, `path.basename`, `path.filename`, `path.basenameNormalized`, `path.filenameNormalized`
 * and `path[n]`; with goTemplate the object as it is plus a `path` object (`segments` for the `[n]`). `path` is the
 * file's folder. A prefix puts them under `<prefix>.path`.
 */
export function fileParams(filePath: string, object: Loose, go: boolean, prefix?: string): Loose {
  const dir = path.posix.dirname(filePath);
  const filename = path.posix.basename(filePath);
  const basename = path.posix.basename(dir);
  if (go) {
    const p = {
      path: dir,
      basename,
      filename,
      basenameNormalized: sanitizeName(basename),
      filenameNormalized: sanitizeName(filename),
      segments: dir.split('/'),
    };
    return { ...object, ...(prefix ? { [prefix]: { path: p } } : { path: p }) };
  }
  const name = prefix ? `${prefix}.path` : 'path';
  const out: Loose = { ...flattenParams(object), [name]: dir, [`${name}.basename`]: basename, [`${name}.filename`]: filename };
  out[`${name}.basenameNormalized`] = sanitizeName(basename);
  out[`${name}.filenameNormalized`] = sanitizeName(filename);
  dir.split('/').forEach((s, i) => {
    if (s !== '') out[`${name}[${i}]`] = s;
  });
  return out;
}
