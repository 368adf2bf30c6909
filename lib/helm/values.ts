import { deepCopy } from './go-cast';
import { GoMap, isGoMap, isNil } from './go-values';

/** helm pkg/cli/values/options.go mergeMaps: user values files and --set merged in order, a later one winning, maps key by key. */
export function mergeMaps(a: GoMap, b: GoMap): GoMap {
  const out: GoMap = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const av = out[k];
    out[k] = isGoMap(v) && isGoMap(av) ? mergeMaps(av, v) : v;
  }
  return out;
}

/** coalesceTablesFullKey: src (a chart's defaults) fills dst (what is given); a null given deletes the key. */
export function coalesceTables(dst: GoMap, src: GoMap): GoMap {
  for (const [k, sv] of Object.entries(src)) {
    const has = Object.prototype.hasOwnProperty.call(dst, k);
    const dv = dst[k];
    if (has && isNil(dv)) delete dst[k];
    else if (!has) dst[k] = deepCopy(sv);
    else if (isGoMap(sv) && isGoMap(dv)) coalesceTables(dv, sv);
  }
  return dst;
}

/** coalesceGlobals: the parent's `global` copied into a subchart's values' `global`, the parent's keys winning. */
export function coalesceGlobals(dest: GoMap, src: GoMap): void {
  const sg = isGoMap(src.global) ? src.global : {};
  const dg = isGoMap(dest.global) ? dest.global : {};
  for (const [k, v] of Object.entries(sg)) {
    const d = dg[k];
    if (isGoMap(v) && isGoMap(d)) {
      const merged = deepCopy(v);
      coalesceTables(merged, d);
      dg[k] = merged;
    } else dg[k] = deepCopy(v);
  }
  dest.global = dg;
}

/** A chart as coalescing sees it: its defaults and its subcharts by the name they are known by. */
export interface ValuesTree {
  readonly name: string;
  readonly values: GoMap;
  readonly subcharts: readonly ValuesTree[];
}

/**
 * A chart's defaults with its subcharts': each subchart's values.yaml under its name, the parent's values.yaml for it
 * winning key by key (a null there deletes the subchart's default).
 */
function defaultsOf(chart: ValuesTree): GoMap {
  const d = deepCopy(chart.values);
  for (const sub of chart.subcharts) {
    const own = d[sub.name];
    if (own !== undefined && own !== null && !isGoMap(own)) continue;
    d[sub.name] = coalesceTables(isGoMap(own) ? own : {}, defaultsOf(sub));
  }
  return d;
}

function globalsDown(chart: ValuesTree, values: GoMap): void {
  for (const sub of chart.subcharts) {
    const own = values[sub.name];
    if (!isGoMap(own)) continue;
    coalesceGlobals(own, values);
    globalsDown(sub, own);
  }
}

/**
 * helm pkg/chartutil/coalesce.go CoalesceValues: the given values with each chart's values.yaml filling what they
 * leave out, subcharts' under their name, globals copied down. A null given deletes the key at every level below
 * it too (helm template --set sub.key=null removes the subchart's default as well).
 */
export function coalesceValues(chart: ValuesTree, given: GoMap): GoMap {
  const values = coalesceTables(deepCopy(given), defaultsOf(chart));
  globalsDown(chart, values);
  return values;
}

/** The value at a dotted path of a values tree (chartutil Values.PathValue), undefined when absent. */
export function pathValue(values: GoMap, dotted: string): unknown {
  let v: unknown = values;
  for (const k of dotted.split('.')) {
    if (!isGoMap(v) || !Object.prototype.hasOwnProperty.call(v, k)) return undefined;
    v = v[k];
  }
  return v;
}
