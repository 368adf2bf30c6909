import { isMapping, Loose, mapping, mappings, strings, text } from '../manifests/access';
import { fillPlaceholders, replacePlaceholders } from '../manifests/appset-templates';
import { clustersGeneratorParams } from './argocd/clusters';
import { directoryParams, filterApps, generatorValues, gitDirectoryGenerator } from './argocd/git-directories';
import { fileParams, filesOfGenerator, flattenParams, gitFileItems, objectsOfGitFile, printed } from './argocd/git-files';
import { selectorMatches } from './argocd/label-selector';

/** A file of a repository the input shows: its path from the repository's root and its text. */
export interface RepositoryFile {
  readonly path: string;
  readonly content: () => string | undefined;
}

/** What the generators read from the checked tree. */
export interface GeneratorInputs {
  /** The folders of a repository (paths from its root) when the input shows its root, else undefined. */
  readonly folders: (repoURL: string) => readonly string[] | undefined;
  /** The files of a repository when the input shows its root, else undefined. */
  readonly files: (repoURL: string) => readonly RepositoryFile[] | undefined;
  /** The cluster Secrets the tree declares where the ApplicationSet controller lists them. */
  readonly clusterSecrets: readonly Loose[];
}

/** Parameter sets, or undefined when the tree does not tell them (or Argo CD would fail the generator). */
type Params = Loose[] | undefined;

const GENERATOR_KINDS = ['list', 'clusters', 'git', 'scmProvider', 'clusterDecisionResource', 'pullRequest', 'plugin', 'matrix', 'merge'];

/** The one kind of generator an item of `generators` is; undefined when it names none or several. */
export function generatorKind(generator: Loose): string | undefined {
  const kinds = GENERATOR_KINDS.filter((k) => generator[k] !== undefined && generator[k] !== null);
  return kinds.length === 1 ? kinds[0] : undefined;
}

/** Whether a template holds any value: a generator's own template is merged over the ApplicationSet's. */
export function hasContent(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(hasContent);
  if (isMapping(node)) return Object.values(node).some(hasContent);
  return node !== undefined && node !== null && node !== '';
}

/**
 * The parameter sets of one generator: argo-cd applicationset/generators/generator_spec_processor.go Transform. With
 * the parameters of a matrix's first child, the generator's fields are first filled from them (InterpolateGenerator),
 * so a second child can read `{{path}}`; a `selector` then keeps the sets whose flattened parameters it matches.
 * `depth` counts the matrix and merge generators above: a child of a nested one can be no matrix or merge.
 */
export function generatorParams(generator: Loose, inputs: GeneratorInputs, go: boolean, depth = 0, parent?: Loose): Params {
  const kind = generatorKind(generator);
  if (!kind) return undefined;
  const filled = parent && Object.keys(parent).length ? interpolateGenerator(generator, parent, go) : generator;
  if (!filled) return undefined;
  const params = paramsOfKind(kind, mapping((filled as Loose)[kind]), inputs, go, depth);
  const selector: unknown = (filled as Loose).selector;
  if (!params || selector === undefined) return params;
  const kept: Loose[] = [];
  for (const p of params) {
    const matches = selectorMatches(selector, flattenParams(p));
    if (matches === undefined) return undefined;
    if (matches) kept.push(p);
  }
  return kept;
}

function paramsOfKind(kind: string, spec: Loose, inputs: GeneratorInputs, go: boolean, depth: number): Params {
  switch (kind) {
    case 'list':
      return listParams(spec, go);
    case 'git':
      return gitParams(spec, inputs, go);
    case 'clusters':
      return clustersGeneratorParams(spec, inputs.clusterSecrets, go, (p) => appendTemplatedValues(p, generatorValues(spec), go));
    case 'matrix':
      return depth < 2 ? matrixParams(spec, inputs, go, depth + 1) : undefined;
    case 'merge':
      return depth < 2 ? mergeParams(spec, inputs, go, depth + 1) : undefined;
    default:
      // SCM providers, pull requests, plugins and cluster decisions depend on services outside the tree
      return undefined;
  }
}

/**
 * A generator with its string fields filled from a matrix's first parameters: argo-cd applicationset/utils/utils.go
 * RenderGeneratorParams. fasttemplate leaves a placeholder it cannot fill as written; with goTemplate one that does not
 * fill makes the generator unknown here, except in `values`, which keep it for their own filling later.
 */
function interpolateGenerator(node: unknown, params: Loose, go: boolean, inValues = false): unknown {
  if (typeof node === 'string') {
    const { text: out, unresolved } = replacePlaceholders(node, params, go);
    return unresolved && go ? (inValues ? node : undefined) : out;
  }
  if (Array.isArray(node)) {
    const items = node.map((x) => interpolateGenerator(x, params, go, inValues));
    return items.some((x) => x === undefined) ? undefined : items;
  }
  if (!isMapping(node)) return node;
  const out: Loose = {};
  for (const [k, v] of Object.entries(node)) {
    const s = interpolateGenerator(v, params, go, inValues || k === 'values');
    if (s === undefined) return undefined;
    out[k] = s;
  }
  return out;
}

/**
 * A list generator's sets: argo-cd applicationset/generators/list.go. With goTemplate the elements as written; with
 * fasttemplate each value must be a string (a `values` object gives `values.<key>`), else Argo CD fails the generator.
 * `elementsYaml` is left to Argo CD.
 */
function listParams(list: Loose, go: boolean): Params {
  if (text(list.elementsYaml)) return undefined;
  const elements = mappings(list.elements);
  if (go) return elements;
  const out: Loose[] = [];
  for (const element of elements) {
    const params: Loose = {};
    for (const [key, value] of Object.entries(element)) {
      const entries: [string, unknown][] = key === 'values' && isMapping(value) ? Object.entries(value).map(([k, v]) => [`values.${k}`, v]) : [[key, value]];
      for (const [k, v] of entries) {
        if (typeof v !== 'string') return undefined;
        params[k] = v;
      }
    }
    out.push(params);
  }
  return out;
}

/**
 * A git generator's sets for a repository the input shows: argo-cd applicationset/generators/git.go GenerateParams,
 * directories first (generateParamsForGitDirectories), else files (generateParamsForGitFiles, each object of each
 * listed file). A file that is neither an object nor a list of them fails the generator, as in Argo CD.
 */
function gitParams(git: Loose, inputs: GeneratorInputs, go: boolean): Params {
  const repoURL = text(git.repoURL);
  if (!repoURL || repoURL.includes('{{')) return undefined;
  const values = generatorValues(git);
  const prefix = text(git.pathParamPrefix);
  const directories = gitDirectoryGenerator(git);
  if (directories) {
    const folders = inputs.folders(repoURL);
    return folders && filterApps(directories.directories, folders).map((dir) => appendTemplatedValues(directoryParams(dir, go, prefix), values, go));
  }
  const items = gitFileItems(git);
  const files = items.length ? inputs.files(repoURL) : undefined;
  if (!files) return undefined;
  const byPath = new Map(files.map((f) => [f.path, f]));
  const out: Loose[] = [];
  for (const filePath of filesOfGenerator(items, [...byPath.keys()])) {
    const content = byPath.get(filePath)!.content();
    const objects = content === undefined ? undefined : objectsOfGitFile(content);
    if (!objects) return undefined;
    out.push(...objects.map((o) => appendTemplatedValues(fileParams(filePath, o, go, prefix), values, go)));
  }
  return out;
}

/**
 * A set with the generator's `values` added, each filled from the set (argo-cd applicationset/generators
 * value_interpolation.go appendTemplatedValues): flat `values.<key>` with fasttemplate, a `values` object with
 * goTemplate. A value whose placeholders do not fill is left out, so a template that uses it is not expanded.
 */
export function appendTemplatedValues(params: Loose, values: Readonly<Record<string, string>>, go: boolean): Loose {
  const filled: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    const v = fillPlaceholders(value, params, go);
    if (typeof v === 'string') filled[key] = v;
  }
  if (go) return Object.keys(filled).length ? { ...params, values: filled } : params;
  return { ...params, ...Object.fromEntries(Object.entries(filled).map(([k, v]) => [`values.${k}`, v])) };
}

/**
 * A matrix generator's sets: argo-cd applicationset/generators/matrix.go GenerateParams. Exactly two children; the
 * second is generated once per set of the first, with that set filled into its fields; each pair is combined.
 */
function matrixParams(matrix: Loose, inputs: GeneratorInputs, go: boolean, depth: number): Params {
  const children = mappings(matrix.generators);
  if (children.length !== 2) return undefined;
  const first = generatorParams(children[0], inputs, go, depth);
  if (!first) return undefined;
  const out: Loose[] = [];
  for (const a of first) {
    const second = generatorParams(children[1], inputs, go, depth, a);
    if (!second) return undefined;
    for (const b of second) {
      const combined = go ? deepMerge(deepMerge({}, b), a) : combineStringMaps(a, b);
      if (!combined) return undefined;
      out.push(combined);
    }
  }
  return out;
}

/**
 * Two fasttemplate sets as one: argo-cd applicationset/utils/map.go CombineStringMaps. Each value printed as a string;
 * a key both hold with different values fails the matrix (undefined).
 */
export function combineStringMaps(a: Loose, b: Loose): Loose | undefined {
  const out: Loose = Object.fromEntries(Object.entries(a).map(([k, v]) => [k, printed(v)]));
  for (const [k, value] of Object.entries(b)) {
    const v = printed(value);
    if (k in out && out[k] !== v) return undefined;
    out[k] = v;
  }
  return out;
}

/** Whether mergo counts a value as empty: an empty value never overrides (mergo.WithOverride). */
const isEmpty = (v: unknown) =>
  v === undefined || v === null || v === '' || v === 0 || v === false || (Array.isArray(v) && !v.length) || (isMapping(v) && !Object.keys(v).length);

/** `src` merged into a copy of `dst`, src's non-empty values winning and nested objects merged key by key (mergo.Merge WithOverride). */
export function deepMerge(dst: Loose, src: Loose): Loose {
  const out: Loose = { ...dst };
  for (const [k, v] of Object.entries(src)) {
    if (isMapping(v) && isMapping(out[k])) out[k] = deepMerge(out[k], v);
    else if (!isEmpty(v) || !(k in out)) out[k] = v;
  }
  return out;
}

/**
 * A merge generator's sets: argo-cd applicationset/generators/merge.go GenerateParams. The first child's sets, each
 * overridden by the set of every later child with the same values of `mergeKeys` (read as top-level keys). Fewer than
 * two children, no merge keys, or two sets of one child with the same key values fail the generator.
 */
function mergeParams(merge: Loose, inputs: GeneratorInputs, go: boolean, depth: number): Params {
  const children = mappings(merge.generators);
  const keys = [...new Set(strings(merge.mergeKeys))].sort();
  if (children.length < 2 || !keys.length) return undefined;
  const byKey = (sets: Loose[]): Map<string, Loose> | undefined => {
    const out = new Map<string, Loose>();
    for (const set of sets) {
      const key = JSON.stringify(keys.map((k) => [k, set[k] ?? null]));
      if (out.has(key)) return undefined;
      out.set(key, set);
    }
    return out;
  };
  const all = children.map((c) => generatorParams(c, inputs, go, depth));
  const maps = all.map((sets) => sets && byKey(sets));
  if (maps.some((m) => !m)) return undefined;
  const base = maps[0]!;
  for (const other of maps.slice(1)) {
    for (const [key, set] of base) {
      const override = other!.get(key);
      if (override) base.set(key, go ? deepMerge(set, override) : { ...set, ...override });
    }
  }
  return [...base.values()];
}
