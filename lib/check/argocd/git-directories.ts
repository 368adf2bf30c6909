import * as path from 'path';
import { Loose, mapping, mappings, text } from '../../manifests/access';
import { pathMatch } from './glob';

/** One `directories` item of an ApplicationSet git generator. */
export interface GitDirectoryItem {
  readonly path: string;
  readonly exclude: boolean;
}

/** An ApplicationSet git generator that lists directories. */
export interface GitDirectoryGenerator {
  readonly repoURL: string;
  readonly directories: readonly GitDirectoryItem[];
  /** `pathParamPrefix`: the path parameters are put under `<prefix>.path` instead of `path`. */
  readonly prefix?: string;
  /** `values`: extra parameters under `values`, their own placeholders filled from the path parameters. */
  readonly values: Readonly<Record<string, string>>;
}

/**
 * The git directory generators among an ApplicationSet's top-level generators (not those nested in a matrix or merge).
 */
export function gitDirectoryGenerators(spec: Loose): GitDirectoryGenerator[] {
  return mappings(spec.generators).flatMap((g) => {
    const generator = gitDirectoryGenerator(mapping(g.git));
    return generator ? [generator] : [];
  });
}

/**
 * A `git` generator read as one that lists directories; undefined when it lists none. `exclude` must be the boolean
 * true to exclude: any other field (`ignore: true`) leaves the item an include, as Argo CD drops unknown fields when it
 * decodes GitDirectoryGeneratorItem.
 */
export function gitDirectoryGenerator(git: Loose): GitDirectoryGenerator | undefined {
  const repoURL = text(git.repoURL);
  const directories = mappings(git.directories).flatMap((d) => (text(d.path) ? [{ path: text(d.path)!, exclude: d.exclude === true }] : []));
  if (!repoURL || !directories.length) return undefined;
  return { repoURL, directories, values: generatorValues(git), ...(text(git.pathParamPrefix) ? { prefix: text(git.pathParamPrefix) } : {}) };
}

/** A generator's `values` (a map of strings in Argo CD's types; other values are dropped). */
export function generatorValues(generator: Loose): Record<string, string> {
  return Object.fromEntries(Object.entries(mapping(generator.values)).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * The `git` generators of an ApplicationSet, those nested in its matrix and merge generators included (Argo CD nests
 * them one level deep: a matrix or merge child may itself be a matrix or merge of plain generators).
 */
export function allGitGenerators(spec: Loose): Loose[] {
  const walk = (generators: unknown, depth: number): Loose[] =>
    mappings(generators).flatMap((g) => [
      ...(g.git !== undefined ? [mapping(g.git)] : []),
      ...(depth < 2 ? [...walk(mapping(g.matrix).generators, depth + 1), ...walk(mapping(g.merge).generators, depth + 1)] : []),
    ]);
  return walk(spec.generators, 0);
}

/**
 * The directories the generator makes an Application for, in the order given: argo-cd
 * applicationset/generators/git.go filterApps. Each item's path is matched against the whole directory path with Go's
 * path.Match, where `*` does not cross `/` (so `a/*` matches `a/b` but not `a/b/c`); a directory matched by any
 * exclude item is left out even when an include item matches it, whatever the items' order.
 */
export function filterApps(directories: readonly GitDirectoryItem[], allPaths: readonly string[]): string[] {
  return allPaths.filter((appPath) => {
    const matching = directories.filter((d) => pathMatch(d.path, appPath));
    return matching.some((d) => !d.exclude) && !matching.some((d) => d.exclude);
  });
}

/**
 * A name made a valid DNS subdomain: argo-cd applicationset/utils SanitizeName (lower case, characters other than
 * `a-z0-9-.` become `-`, at most 253 characters, leading and trailing `-`/`.` trimmed).
 */
export function sanitizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^-a-z0-9.]/g, '-')
    .slice(0, 253)
    .replace(/^[-.]+|[-.]+$/g, '');
}

/**
 * The template parameters of one directory: argo-cd applicationset/generators/git.go generateParamsFromApps. With
 * fasttemplate, flat keys `path`, `path.basename`, `path.basenameNormalized` and `path[n]` for each non-empty segment;
 * with goTemplate, a `path` object holding `path`, `basename`, `basenameNormalized` and `segments`. A prefix puts
 * them under `<prefix>.path`.
 */
export function directoryParams(dir: string, go: boolean, prefix?: string): Loose {
  const basename = path.posix.basename(dir);
  const segments = dir.split('/');
  if (go) {
    const params = { path: dir, basename, basenameNormalized: sanitizeName(basename), segments };
    return prefix ? { [prefix]: { path: params } } : { path: params };
  }
  const name = prefix ? `${prefix}.path` : 'path';
  const out: Loose = { [name]: dir, [`${name}.basename`]: basename, [`${name}.basenameNormalized`]: sanitizeName(basename) };
  segments.forEach((s, i) => {
    if (s !== '') out[`${name}[${i}]`] = s;
  });
  return out;
}
