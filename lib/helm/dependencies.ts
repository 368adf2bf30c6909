import * as fs from 'fs';
import * as path from 'path';
import { LoadedChart, loadChart } from './chart-load';
import { GoMap, isGoMap, NotRendered } from './go-values';
import { deepCopy } from './go-cast';
import { coalesceTables, coalesceValues, pathValue, ValuesTree } from './values';

/** A chart of the render with the name it renders under (a dependency's alias) and its enabled subcharts. */
export interface ChartNode extends ValuesTree {
  readonly chart: LoadedChart;
  readonly subcharts: ChartNode[];
}

/**
 * A dependency whose repository is a `file://` folder of the chart's own tree, absent from charts/: `helm dependency
 * build` (which Argo CD runs for a chart whose charts/ lacks a dependency) copies that folder's chart in
 * (helm pkg/downloader/manager.go downloadAll: a file:// repository is packaged from the local path), so it is read
 * from there. The folder must hold the chart of that name.
 */
function localDependency(chart: LoadedChart, name: string, repository: string | undefined): LoadedChart | undefined {
  if (!repository?.startsWith('file://')) return undefined;
  const dir = path.resolve(chart.dir, repository.slice('file://'.length));
  if (!fs.existsSync(path.join(dir, 'Chart.yaml'))) return undefined;
  const sub = loadChart(dir);
  return sub.name === name ? sub : undefined;
}

/**
 * The chart's subcharts as its dependencies name them (helm pkg/chartutil/dependencies.go getAliasDependency: an
 * alias renames a copy); a subchart no dependency lists is kept; a dependency with no chart in charts/ is missing
 * (helm dependency build would fetch it: the chart is left unrendered).
 */
export function chartTree(chart: LoadedChart, name = chart.name): ChartNode {
  const subs: ChartNode[] = [];
  const listed = new Set<string>();
  for (const d of chart.dependencies) {
    const sub = chart.subcharts.find((s) => s.name === d.name) ?? localDependency(chart, d.name, d.repository);
    if (!sub)
      throw new NotRendered(
        `its dependency ${d.name}${d.repository ? ` (${d.repository})` : ''} is not in its charts/ folder (helm dependency build fetches it)`,
      );
    listed.add(sub.name);
    subs.push(chartTree(sub, d.alias ?? d.name));
  }
  for (const s of chart.subcharts) if (!listed.has(s.name)) subs.push(chartTree(s));
  return { chart, name, values: chart.values, subcharts: subs };
}

/**
 * The tree with the subcharts its conditions and tags disable removed (dependencies.go processDependencyEnabled):
 * tags first (disabled when a tag is false and none true), then the condition, its first path holding a bool.
 */
function pruned(node: ChartNode, values: GoMap, prefix: string): ChartNode {
  const tags = isGoMap(values.tags) ? values.tags : {};
  const keep = node.subcharts.filter((sub) => {
    const dep = node.chart.dependencies.find((d) => (d.alias ?? d.name) === sub.name);
    if (!dep) return true;
    let enabled = true;
    const tv = dep.tags.map((t) => tags[t]).filter((v): v is boolean => typeof v === 'boolean');
    if (tv.length && !tv.includes(true)) enabled = false;
    for (const c of (dep.condition ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)) {
      const v = pathValue(values, prefix + c);
      if (typeof v === 'boolean') {
        enabled = v;
        break;
      }
    }
    return enabled;
  });
  return { ...node, subcharts: keep.map((s) => pruned(s, values, `${prefix}${s.name}.`)) };
}

/** The table at a dotted path of a values map (chartutil Values.Table): a map, or undefined. */
function tableAt(values: GoMap, dotted: string): GoMap | undefined {
  const v = dotted === '.' ? values : pathValue(values, dotted.replace(/^\./, ''));
  return isGoMap(v) ? v : undefined;
}

/** A value placed at a dotted path (chartutil pathToMap; `.` is the top). */
function atPath(dotted: string, v: GoMap): GoMap {
  return dotted
    .split('.')
    .filter(Boolean)
    .reduceRight((inner: GoMap, k) => ({ [k]: inner }), v);
}

/**
 * The tree with its dependencies' import-values applied, subcharts first (helm pkg/chartutil/dependencies.go
 * processImportValues): a string entry imports the child's `exports.<name>` table at the top of the parent's values, a
 * `{child, parent}` entry the child's table at the parent's path; the parent's own values win over what is imported
 * (its comment: "Imported values from a child to a parent chart have a lower priority than the parents values"). A
 * table the child lacks is skipped, as Helm only logs it.
 */
function withImports(node: ChartNode): ChartNode {
  const subcharts = node.subcharts.map(withImports);
  const deps = node.chart.dependencies.filter((d) => d.importValues.length && subcharts.some((s) => s.name === (d.alias ?? d.name)));
  if (!deps.length) return { ...node, subcharts };
  const cvals = coalesceValues({ ...node, subcharts }, {});
  let imported: GoMap = {};
  for (const d of deps)
    for (const iv of d.importValues) {
      const [child, parent] =
        typeof iv === 'string'
          ? [`exports.${iv}`, '.']
          : isGoMap(iv)
            ? [typeof iv.child === 'string' ? iv.child : '', typeof iv.parent === 'string' ? iv.parent : '']
            : ['', ''];
      const table = child ? tableAt(cvals, `${d.alias ?? d.name}.${child}`) : undefined;
      if (table && parent) imported = coalesceTables(imported, atPath(parent, deepCopy(table)));
    }
  return { ...node, subcharts, values: coalesceTables(cvals, imported) };
}

/** The enabled tree and its values, coalesced (helm ProcessDependenciesWithMerge, then ToRenderValues' CoalesceValues). */
export function resolveValues(tree: ChartNode, given: GoMap): { tree: ChartNode; values: GoMap } {
  const enabled = withImports(pruned(tree, coalesceValues(tree, given), ''));
  return { tree: enabled, values: coalesceValues(enabled, given) };
}
