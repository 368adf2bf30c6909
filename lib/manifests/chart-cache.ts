import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { SemVersion } from '../helm/semver';
import { isMapping, Loose, mapping, mappings, text } from './access';
import { ChartDelivery, deliveryKey } from './chart-deliveries';
import { argoChartRequest } from './chart-values';
import { fluxChartRequest, fluxSourceObject, gitChartOf, isHelmRelease } from './flux-chart-values';
import type { LoadedManifest } from './loaded';

/**
 * Helm's repository cache, where `helm repo add`, `helm pull` and `helm install` of a repository chart keep the chart
 * archives they download (helm pkg/cli/environment.go: HELM_REPOSITORY_CACHE, else helmpath.CachePath("repository");
 * pkg/helmpath/lazypath.go: HELM_CACHE_HOME, else $XDG_CACHE_HOME/helm, else the platform's cache home + /helm;
 * lazypath_unix.go ~/.cache, lazypath_darwin.go ~/Library/Caches, lazypath_windows.go %TEMP%).
 */
export function helmRepositoryCache(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.HELM_REPOSITORY_CACHE) return env.HELM_REPOSITORY_CACHE;
  if (env.HELM_CACHE_HOME) return path.join(env.HELM_CACHE_HOME, 'repository');
  const home = env.HOME ?? os.homedir();
  const base =
    env.XDG_CACHE_HOME ||
    (platform === 'darwin' ? path.join(home, 'Library', 'Caches') : platform === 'win32' ? (env.TEMP ?? os.tmpdir()) : path.join(home, '.cache'));
  return path.join(base, 'helm', 'repository');
}

/** A chart of a cache folder: its name and version, and the archive or folder that holds it. */
export interface CachedChart {
  readonly name: string;
  readonly version: string;
  readonly path: string;
}

/** `<name>-<version>.tgz`, as `helm pull` and helm's downloader name an archive (the version a SemVer 2 string). */
const ARCHIVE = /^(.+)-(v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)\.tgz$/;

/** The version and name an unpacked chart's Chart.yaml declares (its top-level `name:` and `version:` lines). */
function unpacked(dir: string): CachedChart | undefined {
  let meta: string;
  try {
    meta = fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8');
  } catch {
    return undefined;
  }
  const field = (k: string) => new RegExp(`^${k}:\\s*['"]?([^'"\\s#]+)`, 'm').exec(meta)?.[1];
  const name = field('name');
  const version = field('version');
  return name && version ? { name, version, path: dir } : undefined;
}

/** The charts of cache folders: archives named `<name>-<version>.tgz` and folders holding a Chart.yaml; a folder that cannot be read holds none. */
export function cachedCharts(folders: readonly string[]): CachedChart[] {
  return folders.flatMap((folder) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      return [];
    }
    return entries.flatMap((e): CachedChart[] => {
      const m = e.isFile() ? ARCHIVE.exec(e.name) : null;
      if (m) return [{ name: m[1], version: m[2], path: path.join(folder, e.name) }];
      const chart = e.isDirectory() ? unpacked(path.join(folder, e.name)) : undefined;
      return chart ? [chart] : [];
    });
  });
}

/** lib/helm/semver, loaded when a cache holds charts: by a path built at run time, as chart-deliveries loads the engine. */
function semverModule(): typeof import('../helm/semver') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose: only a cached chart needs it
  return require(path.join(__dirname, '..', 'helm', 'semver')) as typeof import('../helm/semver');
}

/**
 * The cached chart a release asks for: the name, and the version itself or, for a range (Flux chart.spec.version and
 * OCIRepository ref.semver, Argo CD targetRevision: helm's repo index resolution), the newest cached version that
 * satisfies it; `*` when none is said (the newest).
 */
export function cachedChart(charts: readonly CachedChart[], name: string, version: string | undefined): CachedChart | undefined {
  const named = charts.filter((c) => c.name === name);
  if (!named.length) return undefined;
  const wanted = (version ?? '*').trim();
  const exact = named.find((c) => c.version === wanted || c.version === wanted.replace(/^v/, ''));
  if (exact) return exact;
  const { parseVersion, satisfies, compareVersions } = semverModule();
  const fits = named.flatMap((c): [CachedChart, SemVersion][] => {
    const v = parseVersion(c.version);
    return v && satisfies(v, wanted) ? [[c, v]] : [];
  });
  return fits.sort((a, b) => compareVersions(b[1], a[1]))[0]?.[0];
}

/** The chart name and version a HelmRelease installs from a repository (chart.spec, a HelmChart or an OCIRepository of chartRef); undefined for a git chart. */
function fluxChartAsked(hr: Loose, manifests: readonly LoadedManifest[]): { name: string; version?: string } | undefined {
  const spec = mapping(hr.spec);
  const ns = text(mapping(hr.metadata).namespace) ?? 'default';
  const ref = mapping(spec.chartRef);
  if (text(ref.kind) === 'OCIRepository') {
    const repo = mapping(fluxSourceObject(manifests, 'OCIRepository', text(ref.name) ?? '', text(ref.namespace) ?? ns)?.spec);
    const name = text(repo.url)?.replace(/\/+$/, '').split('/').pop();
    return name ? { name, version: text(mapping(repo.ref).tag) ?? text(mapping(repo.ref).semver) } : undefined;
  }
  const chart =
    text(ref.kind) === 'HelmChart'
      ? mapping(fluxSourceObject(manifests, 'HelmChart', text(ref.name) ?? '', text(ref.namespace) ?? ns)?.spec)
      : mapping(mapping(spec.chart).spec);
  return text(chart.chart) ? { name: text(chart.chart)!, version: text(chart.version) } : undefined;
}

/** The deliveries of Flux HelmReleases whose repository chart is in the cache, with helm-controller's arguments. */
function fluxCached(manifests: readonly LoadedManifest[], charts: readonly CachedChart[]): ChartDelivery[] {
  return manifests.flatMap((m) => {
    if (!isHelmRelease(m.manifest) || gitChartOf(m.manifest, manifests)) return [];
    const asked = fluxChartAsked(m.manifest, manifests);
    const found = asked && cachedChart(charts, asked.name, asked.version);
    if (!found) return [];
    const request = fluxChartRequest(m.manifest, found.path, { repository: undefined, url: undefined, chartPath: found.name }, manifests);
    return [{ chart: found.path, delivery: deliveryKey(m.manifest), request }];
  });
}

/** The deliveries of Argo CD Applications' chart sources that the cache holds, with the repo server's arguments. */
function argoCached(manifests: readonly LoadedManifest[], charts: readonly CachedChart[]): ChartDelivery[] {
  return manifests.flatMap((m) => {
    const app = m.manifest;
    if (!isMapping(app) || app.kind !== 'Application' || !String(app.apiVersion ?? '').startsWith('argoproj.io/')) return [];
    const spec = mapping(app.spec);
    return [mapping(spec.source), ...mappings(spec.sources)].flatMap((s) => {
      const found = text(s.chart) ? cachedChart(charts, text(s.chart)!, text(s.targetRevision)) : undefined;
      return found ? [{ chart: found.path, delivery: deliveryKey(app), request: argoChartRequest(app, s, found.path) }] : [];
    });
  });
}

/**
 * The releases of remote charts (Flux HelmReleases of a Helm or OCI repository, Argo CD chart sources) whose chart a
 * cache folder holds, by name and version: rendered as a chart of the input is (chart-deliveries.ts).
 */
export function cachedChartDeliveries(manifests: readonly LoadedManifest[], folders: readonly string[]): ChartDelivery[] {
  const charts = cachedCharts(folders);
  return charts.length ? [...fluxCached(manifests, charts), ...argoCached(manifests, charts)] : [];
}

/**
 * The objects rendered from cached charts placed at the release that installs them (its file and line): the chart's
 * files are outside the input, and the release is what the tree holds and what a fix changes.
 */
export function placedAtReleases(manifests: LoadedManifest[], cached: readonly ChartDelivery[]): void {
  const releases = new Map(
    manifests.flatMap((m) =>
      isMapping(m.manifest) && ['HelmRelease', 'Application'].includes(String(m.manifest.kind)) ? [[deliveryKey(m.manifest), m] as const] : [],
    ),
  );
  const charts = new Set(cached.map((d) => `${d.chart}\0${d.delivery}`));
  manifests.forEach((m, i) => {
    const r = m.helmRendering;
    const release = r && charts.has(`${r.folder}\0${r.delivery}`) ? releases.get(r.delivery) : undefined;
    if (release) manifests[i] = { ...m, file: release.file, line: release.line ?? 1 };
  });
}
