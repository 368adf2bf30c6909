import { editDistance } from '../private/edit-distance';
import { ChartNode } from './dependencies';
import { GoMap, isGoMap } from './go-values';
import { coalesceValues } from './values';
import { userValues, ValuesSource } from './user-values';
import { ValueReads } from './value-reads';

/** A value a delivery gives that no template of the render read, with the chart's own path it may have meant. */
export interface IgnoredValue {
  /** The dotted path as the delivery gives it. */
  readonly path: string;
  /** The path of the chart's defaults or of what the templates asked for that it most likely meant. */
  readonly near?: string;
}

/**
 * The values the delivery gives (`given`: values files, inline values, --set) that no template of the render read
 * (`reads`, kept while it ran on the coalesced `values`) and that the chart does not know: neither the path nor a
 * free-form map above it is among the chart's defaults. Such a value changes nothing Helm renders: a key misspelt or
 * set at the wrong depth, or one for another version of the chart. A path a default holds is the chart's own, read
 * under other values; one under `global`, `tags`, a dependency's condition or a subchart that is disabled or not
 * rendered is Helm's or another chart's, and left alone.
 */
export function ignoredValues(given: GoMap, values: GoMap, tree: ChartNode, reads: ValueReads): IgnoredValue[] {
  const defaults = coalesceValues(tree, {});
  const ignored = leafPaths(given).filter((path) => !heldByHelm(tree, path) && !reads.wasRead(values, path) && unknownToChart(defaults, path));
  if (!ignored.length) return [];
  // the chart's paths, for the suggestions, only where there is something to suggest for
  const known = knownPaths(defaults, reads, values);
  return ignored.map((path) => ({ path: path.join('.'), ...nearest(path.join('.'), known) }));
}

/**
 * The ignored values less those of a values file the chart reads nothing of: a file several deliveries share (a
 * cluster's common values beside each application's own), which sets what other charts read. A value another source
 * of the delivery also sets (its inline values, --set, a file of its own) stays. `shared` names the sources the
 * delivery says every application of it is given, whatever each reads.
 */
export function ownIgnored(sources: readonly ValuesSource[], ignored: readonly IgnoredValue[], shared: readonly string[] = []): IgnoredValue[] {
  // each values file is read again here, so only for a render that ignored something
  if (!ignored.length) return [];
  const unread = new Set(ignored.map((i) => i.path));
  const foreign = new Set<string>();
  const own = new Set<string>();
  for (const s of sources) {
    let paths: string[];
    try {
      paths = leafPaths(userValues([s])).map((p) => p.join('.'));
    } catch {
      continue;
    }
    const sharedFile = 'yaml' in s && (shared.includes(s.name) || (/\.(ya?ml|json)$/i.test(s.name) && paths.length > 0 && paths.every((p) => unread.has(p))));
    for (const p of paths) (sharedFile ? foreign : own).add(p);
  }
  return ignored.filter((i) => !foreign.has(i.path) || own.has(i.path));
}

/** The paths to every value the delivery sets: a scalar, a list, an empty map (a null removes a default: not a setting). */
function leafPaths(v: GoMap, prefix: readonly string[] = []): string[][] {
  return Object.entries(v).flatMap(([k, x]) => {
    if (x === null || x === undefined) return [];
    if (isGoMap(x) && Object.keys(x).length) return leafPaths(x, [...prefix, k]);
    return [[...prefix, k]];
  });
}

/**
 * Whether Helm rather than a template reads the path, or another chart's templates do: `global` at any depth, `tags`
 * at the top, a dependency's condition, a subchart the values disable or the render leaves out.
 */
function heldByHelm(node: ChartNode, path: readonly string[], top = true): boolean {
  const [first, ...rest] = path;
  if (first === 'global' || (first === 'tags' && top)) return true;
  for (const dep of node.chart.dependencies) {
    const conditions = (dep.condition ?? '').split(',').map((c) => c.trim());
    if (conditions.includes(path.join('.'))) return true;
  }
  const sub = node.subcharts.find((s) => s.name === first);
  if (sub) return rest.length > 0 && heldByHelm(sub, rest, false);
  return node.chart.dependencies.some((d) => (d.alias ?? d.name) === first);
}

/**
 * Whether the chart's defaults know nothing of the path: its deepest part the defaults hold is a map that lists its
 * keys (a default `{}` is a free-form map such as annotations, whatever its keys; a scalar or list where the path
 * goes deeper is a value of another shape, said by no finding here).
 */
function unknownToChart(defaults: GoMap, path: readonly string[]): boolean {
  let v: unknown = defaults;
  for (const k of path) {
    if (!isGoMap(v)) return false;
    if (!Object.prototype.hasOwnProperty.call(v, k)) return Object.keys(v).length > 0;
    v = v[k];
  }
  return false;
}

/** Every path of the chart's defaults and every path the templates asked for (there or not), dotted. */
function knownPaths(defaults: GoMap, reads: ValueReads, values: GoMap): string[] {
  const out: string[] = [];
  const ofDefaults = (v: unknown, prefix: readonly string[]) => {
    if (!isGoMap(v)) return;
    for (const [k, x] of Object.entries(v)) {
      out.push([...prefix, k].join('.'));
      ofDefaults(x, [...prefix, k]);
    }
  };
  const asked = (v: unknown, prefix: readonly string[], seen: Set<object>) => {
    if (!isGoMap(v) || seen.has(v)) return;
    seen.add(v);
    for (const k of reads.asked(v)) {
      out.push([...prefix, k].join('.'));
      asked(v[k], [...prefix, k], seen);
    }
  };
  ofDefaults(defaults, []);
  asked(values, [], new Set());
  return [...new Set(out)];
}

/**
 * The known path the written one most likely meant: the same keys one level deeper or shallower (a value set at the
 * wrong depth), or the same path with one key misspelt (at most one edit in four characters, two at least).
 */
function nearest(dotted: string, known: readonly string[]): { near?: string } {
  const written = dotted.split('.');
  const near = known.filter((p) => p !== dotted && (oneKeyMoreOrLess(written, p.split('.')) || oneKeyMisspelt(written, p.split('.'))));
  if (!near.length) return {};
  return { near: near.sort((a, b) => editDistance(dotted, a) - editDistance(dotted, b) || (a < b ? -1 : 1))[0] };
}

function oneKeyMoreOrLess(a: readonly string[], b: readonly string[]): boolean {
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  if (long.length !== short.length + 1) return false;
  return long.some((_, i) => [...long.slice(0, i), ...long.slice(i + 1)].join('\0') === short.join('\0'));
}

function oneKeyMisspelt(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const differ = a.flatMap((k, i) => (k === b[i] ? [] : [i]));
  if (differ.length !== 1) return false;
  const [x, y] = [a[differ[0]], b[differ[0]]];
  return editDistance(x, y) <= Math.max(2, Math.floor(Math.max(x.length, y.length) / 4));
}
