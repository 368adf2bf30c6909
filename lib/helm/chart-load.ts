import * as fs from 'fs';
import * as path from 'path';
import { readYaml } from './go-yaml';
import { GoMap, isGoMap, NotRendered } from './go-values';

/** A dependency of a chart as Chart.yaml lists it (helm pkg/chart/dependency.go). */
export interface ChartDependency {
  readonly name: string;
  readonly alias?: string;
  readonly condition?: string;
  readonly tags: readonly string[];
  readonly importValues: readonly unknown[];
  readonly repository?: string;
}

/** A chart folder as Helm's loader reads it (helm pkg/chart/loader/directory.go): metadata, values, templates, files, subcharts. */
export interface LoadedChart {
  readonly dir: string;
  /** Chart.yaml as read, its keys as written. */
  readonly metadata: GoMap;
  readonly name: string;
  readonly values: GoMap;
  /** templates/… files, by path relative to the chart ('templates/x.yaml'). */
  readonly templates: ReadonlyMap<string, string>;
  /** crds/… files, by path relative to the chart. */
  readonly crds: ReadonlyMap<string, string>;
  /** The chart's other files (.Files), by path relative to it. */
  readonly files: ReadonlyMap<string, Buffer>;
  readonly dependencies: readonly ChartDependency[];
  /** The charts in charts/, by their name (folder charts only). */
  readonly subcharts: readonly LoadedChart[];
}

/** Bounds of what one chart may hold: a chart is a few hundred files; more is no chart this check renders. */
const MAX_FILES = 5000;
const MAX_BYTES = 64 * 1024 * 1024;

function readFilesUnder(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let bytes = 0;
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, e.name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      if (e.isDirectory()) {
        if (rel !== 'charts' && !rel.startsWith('.git')) walk(full);
        continue;
      }
      if (!e.isFile()) continue;
      const b = fs.readFileSync(full);
      bytes += b.length;
      if (out.size >= MAX_FILES || bytes > MAX_BYTES)
        throw new NotRendered(`the chart ${root} holds more than ${MAX_FILES} files or ${MAX_BYTES} bytes (a bound of this check)`);
      out.set(rel, b);
    }
  };
  walk(root);
  return out;
}

/** The patterns of a .helmignore (helm pkg/ignore): a simplified reading of its globs, enough for the common ones. */
function ignoredBy(files: Map<string, Buffer>): (rel: string) => boolean {
  const text = files.get('.helmignore')?.toString('utf8') ?? '';
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const res = rules.map((r) => {
    const neg = r.startsWith('!');
    const body = (neg ? r.slice(1) : r).replace(/\/$/, '');
    const glob = body
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]');
    return { neg, re: new RegExp(body.includes('/') ? `^${glob}(/|$)` : `(^|/)${glob}(/|$)`) };
  });
  return (rel) => res.reduce((ignored, r) => (r.re.test(rel) ? !r.neg : ignored), false);
}

function dependenciesOf(meta: GoMap, files: Map<string, Buffer>): ChartDependency[] {
  const req = files.get('requirements.yaml');
  const listed = meta.dependencies ?? (req ? (readYaml(req.toString('utf8')) as GoMap | null)?.dependencies : undefined);
  return (Array.isArray(listed) ? listed : []).filter(isGoMap).map((d) => ({
    name: typeof d.name === 'string' ? d.name : '',
    alias: typeof d.alias === 'string' && d.alias ? d.alias : undefined,
    condition: typeof d.condition === 'string' ? d.condition : undefined,
    tags: Array.isArray(d.tags) ? d.tags.map(String) : [],
    importValues: Array.isArray(d['import-values']) ? d['import-values'] : [],
    repository: typeof d.repository === 'string' ? d.repository : undefined,
  }));
}

/** Reads a chart folder and its folder subcharts; a packaged subchart (.tgz) leaves it unrendered. */
export function loadChart(dir: string): LoadedChart {
  const all = readFilesUnder(dir);
  const ignored = ignoredBy(all);
  const meta = readYaml(all.get('Chart.yaml')?.toString('utf8') ?? '');
  if (!isGoMap(meta) || typeof meta.name !== 'string') throw new NotRendered(`${path.join(dir, 'Chart.yaml')} names no chart`);
  const values = all.has('values.yaml') ? (readYaml(all.get('values.yaml')!.toString('utf8')) ?? {}) : {};
  if (!isGoMap(values)) throw new NotRendered(`${path.join(dir, 'values.yaml')} is no mapping`);
  const pick = (prefix: string) => new Map([...all].filter(([rel]) => rel.startsWith(prefix) && !ignored(rel)).map(([rel, b]) => [rel, b.toString('utf8')]));
  const files = new Map([...all].filter(([rel]) => !ignored(rel) && !rel.startsWith('templates/') && rel !== 'Chart.yaml' && rel !== 'values.yaml'));
  return {
    dir,
    metadata: meta,
    name: meta.name,
    values,
    templates: pick('templates/'),
    crds: new Map([...pick('crds/')].filter(([rel]) => /\.(ya?ml|json)$/.test(rel))),
    files,
    dependencies: dependenciesOf(meta, all),
    subcharts: subchartsOf(dir),
  };
}

function subchartsOf(dir: string): LoadedChart[] {
  const home = path.join(dir, 'charts');
  if (!fs.existsSync(home)) return [];
  const out: LoadedChart[] = [];
  for (const e of fs.readdirSync(home, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(home, e.name);
    if (e.isDirectory() && fs.existsSync(path.join(full, 'Chart.yaml'))) out.push(loadChart(full));
    else if (/\.tgz$|\.tar\.gz$/.test(e.name))
      throw new NotRendered(`its subchart archive charts/${e.name} is packaged (.tgz), which this check does not unpack`);
  }
  return out;
}
