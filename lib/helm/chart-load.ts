import * as fs from 'fs';
import * as path from 'path';
import { loadArchiveFiles } from './chart-archive';
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

/** A chart from its files (helm pkg/chart/loader/load.go LoadFiles): `dir` the folder or archive it was read from. */
function chartFromFiles(dir: string, all: Map<string, Buffer>, ignored: (rel: string) => boolean, subcharts: LoadedChart[]): LoadedChart {
  const meta = readYaml(all.get('Chart.yaml')?.toString('utf8') ?? '');
  if (!isGoMap(meta) || typeof meta.name !== 'string') throw new NotRendered(`${path.join(dir, 'Chart.yaml')} names no chart`);
  const values = all.has('values.yaml') ? (readYaml(all.get('values.yaml')!.toString('utf8')) ?? {}) : {};
  if (!isGoMap(values)) throw new NotRendered(`${path.join(dir, 'values.yaml')} is no mapping`);
  const pick = (prefix: string) => new Map([...all].filter(([rel]) => rel.startsWith(prefix) && !ignored(rel)).map(([rel, b]) => [rel, b.toString('utf8')]));
  const files = new Map(
    [...all].filter(
      ([rel]) =>
        !ignored(rel) &&
        !rel.startsWith('templates/') &&
        rel !== 'Chart.yaml' &&
        rel !== 'values.yaml' &&
        (!rel.startsWith('charts/') || rel.endsWith('.prov')),
    ),
  );
  return {
    dir,
    metadata: meta,
    name: meta.name,
    values,
    templates: pick('templates/'),
    crds: new Map([...pick('crds/')].filter(([rel]) => /\.(ya?ml|json)$/.test(rel))),
    files,
    dependencies: dependenciesOf(meta, all),
    subcharts,
  };
}

/** Reads a chart folder, its folder subcharts and its packaged ones (charts/*.tgz). */
export function loadChart(dir: string): LoadedChart {
  const all = readFilesUnder(dir);
  return chartFromFiles(dir, all, ignoredBy(all), subchartsOf(dir));
}

/**
 * A packaged chart (helm pkg/chart/loader/archive.go LoadArchive): its files as LoadArchiveFiles reads them (no
 * .helmignore: `helm package` applied it), its subcharts those of its charts/ folder (load.go LoadFiles: per first
 * path segment, names starting with `_` or `.` skipped, a `.tgz` unpacked in turn, a folder read as a chart).
 */
export function loadArchive(file: string, archive: Buffer): LoadedChart {
  const all = loadArchiveFiles(archive);
  return chartFromFiles(file, all, () => false, subchartsIn(file, all));
}

/** The subcharts of charts/ among a chart's files, by their first path segment (load.go LoadFiles). */
function subchartsIn(at: string, all: Map<string, Buffer>): LoadedChart[] {
  const groups = new Map<string, Map<string, Buffer>>();
  for (const [rel, b] of all) {
    if (!rel.startsWith('charts/') || rel.endsWith('.prov')) continue;
    const name = rel.slice('charts/'.length);
    const cname = name.split('/')[0];
    if (!groups.has(cname)) groups.set(cname, new Map());
    groups.get(cname)!.set(name, b);
  }
  return [...groups].flatMap(([cname, files]) => {
    const sub = path.join(at, 'charts', cname);
    if (/^[_.]/.test(cname)) return [];
    if (path.posix.extname(cname) === '.tgz') return [loadArchive(sub, files.get(cname) ?? Buffer.alloc(0))];
    const inner = new Map([...files].filter(([n]) => n.includes('/')).map(([n, b]) => [n.slice(n.indexOf('/') + 1), b]));
    return [chartFromFiles(sub, inner, () => false, subchartsIn(sub, inner))];
  });
}

/** The bound of this check on a packaged subchart, before it is unpacked: a chart archive is a few hundred KiB. */
const MAX_ARCHIVE_BYTES = 16 * 1024 * 1024;

function subchartsOf(dir: string): LoadedChart[] {
  const home = path.join(dir, 'charts');
  if (!fs.existsSync(home)) return [];
  const out: LoadedChart[] = [];
  for (const e of fs.readdirSync(home, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(home, e.name);
    if (e.isDirectory() && fs.existsSync(path.join(full, 'Chart.yaml'))) out.push(loadChart(full));
    else if (e.isFile() && path.extname(e.name) === '.tgz' && !/^[_.]/.test(e.name)) {
      if (fs.statSync(full).size > MAX_ARCHIVE_BYTES)
        throw new NotRendered(`its subchart archive charts/${e.name} is larger than ${MAX_ARCHIVE_BYTES} bytes (a bound of this check)`);
      out.push(loadArchive(full, fs.readFileSync(full)));
    }
  }
  return out;
}
