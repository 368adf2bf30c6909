import * as fs from 'fs';
import * as path from 'path';
import type { RenderOutcome, RenderRequest } from '../helm/chart-render';
import type { IgnoredValue } from '../helm/ignored-values';
import type { SubchartValueAtTop } from '../helm/subchart-values';
import type { ValuesSource } from '../helm/user-values';
import { HELM_HOOK_ANNOTATION } from '../k8s/keys';
import { compareText } from '../private/collate';
import { isMapping, Loose, mapping, mappings, text } from './access';
import { fillPlaceholders } from './appset-templates';
import { argoChartRequest, ChartRequest, DEFAULT_CHART_REQUEST } from './chart-values';
import { fluxChartRequest, gitChartOf, isHelmRelease } from './flux-chart-values';
import type { HelmRendering, LoadedManifest, ManifestReadError } from './loaded';
import { DEFAULT_VALUES_RENDER, undeliveredRenders } from './undelivered-charts';
import { withoutUnread } from './unread-values';
import { inReleaseNamespace } from './release-namespace';
import { KUSTOMIZATION_FILES } from './kustomization';
import { droppedChartExtras } from './chart-extras';

/** One delivery of a chart folder of the input: who delivers it and with what arguments (or why they are unknown). */
export interface ChartDelivery {
  readonly chart: string;
  readonly delivery: string;
  /** For an Application an ApplicationSet generates: the set and the generator's parameter set that made it. */
  readonly generated?: string;
  /** The arguments; or why they are unknown; or why Argo CD certainly fails to render the chart (`fails`). */
  readonly request: ChartRequest | string | { readonly fails: string };
  /** Of a render no delivery gives: how it was made ("rendered with …"), and how the note of a failure words it. */
  readonly capped?: string;
  readonly who?: string;
  /** The documentation file whose command this delivery is (a README's `helm install`), where it is one. */
  readonly documentedIn?: string;
  /** The values sources (by name) every application of the delivery's maker is given alike: what the chart leaves of them unread is no mistake of it. */
  readonly sharedValues?: readonly string[];
}

const slash = (p: string) => p.split(path.sep).join('/').replace(/^\.\//, '').replace(/\/+$/, '');

/** The chart folder of the input an Argo CD source path names (the folder itself, or one ending with the path). */
function chartNamed(charts: readonly string[], sourcePath: string): string | undefined {
  const p = path.posix.normalize(slash(sourcePath)).replace(/\/+$/, '');
  if (!p || p === '.' || p.startsWith('..')) return undefined;
  const found = charts.filter((c) => slash(c) === p || slash(c).endsWith(`/${p}`));
  return found.length === 1 ? found[0] : undefined;
}

/** The key of the Application (or other delivery) that renders a chart, as the check names it. */
export function deliveryKey(app: Loose): string {
  const meta = mapping(app.metadata);
  return `${String(app.kind)}/${text(meta.namespace) ?? ''}/${text(meta.name) ?? ''}`;
}

/**
 * The chart folder an Argo CD source (repoURL, path) names in the checked folder's git work tree outside the input, if
 * any (the repository's clone holds the chart the Application syncs: reposerver appPath = repository root + path).
 */
export type OutsideChart = (repoURL: string, sourcePath: string) => string | undefined;

/** An Argo CD Application of the input, or one an ApplicationSet of the input generates (and from what). */
interface DeliveringApp {
  readonly app: Loose;
  readonly generated?: string;
}

/** A parameter set as the message names it: `{env: dev, namespace: team-dev}`. */
function elementText(element: Loose): string {
  const pairs = Object.entries(element).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return `{${pairs.join(', ')}}`;
}

/**
 * The Applications an ApplicationSet's top-level list generators make (argo-cd applicationset/generators/list.go:
 * each element a parameter set; utils.go RenderTemplateParams fills the template with it). A generator with its own
 * template, or a set with a templatePatch, may change the sources in ways not followed here: none. The other
 * generators (git, clusters, matrix, merge) need the repository and the clusters the checks resolve later.
 */
function listGenerated(set: Loose): DeliveringApp[] {
  const spec = mapping(set.spec);
  if (!isMapping(spec.template) || text(spec.templatePatch)) return [];
  const go = spec.goTemplate === true;
  const setMeta = mapping(set.metadata);
  return mappings(spec.generators).flatMap((g) => {
    const list = mapping(g.list);
    if (!isMapping(g.list) || Object.keys(mapping(list.template)).length) return [];
    return mappings(list.elements).flatMap((element) => {
      const filled = fillPlaceholders(spec.template, element, go);
      if (!isMapping(filled)) return [];
      const metadata = { ...mapping(filled.metadata), namespace: text(mapping(filled.metadata).namespace) ?? text(setMeta.namespace) };
      const app: Loose = { apiVersion: set.apiVersion, kind: 'Application', metadata, spec: filled.spec };
      return [{ app, generated: `${deliveryKey(set)}'s list generator element ${elementText(element)}` }];
    });
  });
}

/** The Applications of the input and those its ApplicationSets' list generators make. */
function deliveringApps(manifests: readonly LoadedManifest[]): DeliveringApp[] {
  return manifests.flatMap((m) => {
    if (!isMapping(m.manifest) || !String(m.manifest.apiVersion ?? '').startsWith('argoproj.io/')) return [];
    if (m.manifest.kind === 'Application') return [{ app: m.manifest }];
    return m.manifest.kind === 'ApplicationSet' ? listGenerated(m.manifest) : [];
  });
}

/**
 * Whether a chart folder also holds a kustomization file: Argo CD's type detection (util/app/discovery/discovery.go
 * Discover, which reposerver/repository/repository.go GetAppSourceType calls when the source sets no type: the
 * folder's files walked in name order, Chart.yaml setting helm and a kustomization file kustomize after it) makes it a
 * kustomize source, so a source that sets no `helm:` does not install the chart.
 */
function kustomizedFolder(chart: string): boolean {
  return KUSTOMIZATION_FILES.some((f) => fs.existsSync(path.join(chart, f)));
}

/** The charts of the input that its Argo CD Applications deliver: each source whose path names a chart folder and that names no remote chart. */
function argoDeliveries(manifests: readonly LoadedManifest[], charts: readonly string[], elsewhere: OutsideChart = () => undefined): ChartDelivery[] {
  return deliveringApps(manifests).flatMap(({ app, generated }) => {
    const spec = mapping(app.spec);
    return [mapping(spec.source), ...mappings(spec.sources)].flatMap((s) => {
      const named = !text(s.chart) && text(s.path) ? chartNamed(charts, text(s.path)!) : undefined;
      const chart = named ?? (!text(s.chart) && text(s.path) && text(s.repoURL) ? elsewhere(text(s.repoURL)!, text(s.path)!) : undefined);
      if (!chart || s.directory || s.kustomize || s.plugin || (!s.helm && kustomizedFolder(chart))) return [];
      return [cappedWhereUnread({ chart, delivery: deliveryKey(app), ...(generated ? { generated } : {}), request: argoChartRequest(app, s, chart) })];
    });
  });
}

/** A delivery whose values files this check cannot all read: rendered without them, its findings warnings at most (withoutUnread). */
function cappedWhereUnread(d: ChartDelivery): ChartDelivery {
  const req = d.request;
  if (typeof req === 'string' || 'fails' in req || !req.unread?.length) return d;
  const capped = withoutUnread(req.unread);
  return { ...d, capped, who: `as ${d.delivery} delivers it, ${capped}` };
}

/**
 * The charts of the input that its Flux HelmReleases deliver from a GitRepository (spec.chart.spec sourceRef
 * GitRepository, or a chartRef to such a HelmChart): the chart path names a chart folder of the input, or one of the
 * checked folder's git work tree whose remote is the GitRepository's url.
 */
function fluxDeliveries(manifests: readonly LoadedManifest[], charts: readonly string[], elsewhere: OutsideChart = () => undefined): ChartDelivery[] {
  return manifests.flatMap((m) => {
    if (!isHelmRelease(m.manifest)) return [];
    const hr = m.manifest;
    const git = gitChartOf(hr, manifests);
    if (!git) return [];
    const chart = chartNamed(charts, git.chartPath) ?? (git.url ? elsewhere(git.url, git.chartPath) : undefined);
    return chart ? [{ chart, delivery: deliveryKey(hr), request: fluxChartRequest(hr, chart, git, manifests) }] : [];
  });
}

/** The deliveries of local charts the objects make: Argo CD Applications' sources and Flux HelmReleases. */
function deliveriesOf(manifests: readonly LoadedManifest[], charts: readonly string[], elsewhere?: OutsideChart): ChartDelivery[] {
  return [...argoDeliveries(manifests, charts, elsewhere), ...fluxDeliveries(manifests, charts, elsewhere)];
}

/**
 * A module of lib/helm, loaded when a chart is first rendered: by a path built at run time, so that the library's
 * bundle (scripts/bundle-library.js) leaves the engine out and the CLI's other paths never load it.
 */
function helmModule<T>(name: 'chart-render' | 'user-values' | 'ignored-values'): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose: only a chart render needs the engine
  return require(path.join(__dirname, '..', 'helm', name)) as T;
}

export function renderer(): (req: RenderRequest) => RenderOutcome {
  return helmModule<typeof import('../helm/chart-render')>('chart-render').renderChart;
}

export function userValues(sources: readonly ValuesSource[]): Record<string, unknown> {
  return helmModule<typeof import('../helm/user-values')>('user-values').userValues(sources);
}

/** Helm's failure on a chart: an error for a delivery; with the chart's defaults alone, a value a delivery supplies (required, fail) may be what is missing. */
function helmFailure(d: ChartDelivery, who: string, out: { reason: string; unparsed?: boolean }): ManifestReadError {
  // a template that does not parse fails every release of the chart, whatever its values (helm engine.go parses all
  // templates of the enabled charts before it executes one)
  if (out.unparsed)
    return { file: d.chart, kind: 'helm-render-fails', severity: 'error', message: `helm template fails on this chart whatever its values: ${out.reason}` };
  if (d.capped && !d.delivery.startsWith('check/'))
    return {
      file: d.chart,
      kind: 'helm-render-fails',
      severity: 'warning',
      message: `helm template fails on this chart ${who}: ${out.reason}; what it was not given may supply what it lacks`,
    };
  return d.delivery.startsWith('check/')
    ? {
        file: d.chart,
        kind: 'helm-render-fails',
        severity: 'warning',
        message: `helm template fails on this chart ${d.capped ?? DEFAULT_VALUES_RENDER}: ${out.reason}; a delivery's values may supply what it lacks`,
      }
    : { file: d.chart, kind: 'helm-render-fails', severity: 'error', message: `helm template fails on this chart ${who}: ${out.reason}` };
}

/**
 * The Kubernetes versions a sync's cluster may run, as the check supports them: the oldest to the newest release of
 * the platforms' table (lib/platform/served-apis.ts KUBERNETES_RELEASES, Kubernetes 1.32 for OpenShift 4.19 to 1.34).
 */
export const SUPPORTED_KUBE_VERSIONS: readonly string[] = ['v1.32.0', 'v1.33.0', 'v1.34.0'];

/**
 * A chart that reads the cluster's Kubernetes version (an Argo CD sync sends the destination's) rendered at each
 * supported version: the same objects at all of them are the render; different ones leave it unrendered, saying so.
 */
function overSupportedVersions(unknown: RenderOutcome, render: (kubeVersion: string) => RenderOutcome): RenderOutcome {
  const outs = SUPPORTED_KUBE_VERSIONS.map(render);
  const ok = outs.flatMap((o) => (o.ok ? [JSON.stringify(o.objects)] : []));
  if (ok.length === outs.length && new Set(ok).size === 1) return outs[0];
  if (unknown.ok) return unknown;
  const range = `${SUPPORTED_KUBE_VERSIONS[0]}–${SUPPORTED_KUBE_VERSIONS[SUPPORTED_KUBE_VERSIONS.length - 1]}`;
  return { ...unknown, reason: `${unknown.reason}, and its output differs across the Kubernetes versions the check supports (${range})` };
}

/**
 * Whether a rendered object is a Helm test hook (`helm.sh/hook: test`, or the older test-success/test-failure), which
 * only `helm test` creates: Argo CD maps no sync phase to these (argo-cd docs user-guide/helm.md "Helm Hooks": test
 * hooks are not supported; gitops-engine pkg/sync/hook/helm), so a sync never applies them.
 */
export function helmTestHook(manifest: unknown): boolean {
  return hooksOf(manifest).some((h) => ['test', 'test-success', 'test-failure'].includes(h));
}

function hooksOf(manifest: unknown): string[] {
  const hook = text(mapping(mapping(mapping(manifest).metadata).annotations)[HELM_HOOK_ANNOTATION]) ?? '';
  return hook
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
}

/** Whether a rendered object is a Helm hook of any kind (`helm.sh/hook`), which `helm template --no-hooks` leaves out. */
export function helmHook(manifest: unknown): boolean {
  return hooksOf(manifest).length > 0;
}

/** The warning for a delivery whose chart is not rendered, and why; a documented command's carries its document (inputFindings groups them). */
function notRendered(d: ChartDelivery, who: string, why: string): ManifestReadError {
  return {
    file: d.chart,
    severity: 'warning',
    message: `is a Helm chart not rendered ${who}: ${why}`,
    ...(d.documentedIn ? { documentedIn: d.documentedIn } : {}),
  };
}

/** What rendering one delivery gave: its objects, or a finding naming the chart and why it is not rendered. */
function renderDelivery(d: ChartDelivery): { objects: LoadedManifest[]; problems: ManifestReadError[] } {
  const req = d.request;
  const who =
    d.who ??
    (d.delivery.startsWith('check/')
      ? 'checked as `helm template` renders it'
      : `as ${d.delivery}${d.generated ? ` (generated by ${d.generated})` : ''} delivers it`);
  if (typeof req === 'string') return { objects: [], problems: [notRendered(d, who, req)] };
  if ('fails' in req)
    return {
      objects: [],
      problems: [{ file: d.chart, severity: 'error', kind: 'helm-render-fails', message: `helm template fails on this chart ${who}: ${req.fails}` }],
    };
  let values: Record<string, unknown>;
  try {
    values = userValues(req.values);
  } catch (e) {
    return { objects: [], problems: [notRendered(d, who, (e as Error).message)] };
  }
  const render = (kubeVersion: string | undefined) =>
    renderer()({
      chartDir: d.chart,
      releaseName: req.releaseName,
      namespace: req.namespace,
      values,
      capabilities: { clusterUnknown: req.clusterUnknown, kubeVersion, apiVersions: req.apiVersions },
      includeCrds: req.includeCrds,
    });
  const first = render(req.kubeVersion);
  const out = !first.ok && !first.helmFails && first.reason.includes('.Capabilities.KubeVersion') ? overSupportedVersions(first, render) : first;
  if (!out.ok)
    return {
      objects: [],
      problems: [out.helmFails ? helmFailure(d, who, out) : notRendered(d, who, out.reason)],
    };
  const ignored = d.delivery.startsWith('check/')
    ? undefined
    : ignoredValuesProblem(d, who, helmModule<typeof import('../helm/ignored-values')>('ignored-values').ownIgnored(req.values, out.ignored, d.sharedValues));
  const rendering: HelmRendering = { folder: d.chart, delivery: d.delivery, ...(d.capped ? { capped: d.capped } : {}) };
  const rendered = d.delivery.startsWith('check/') ? out.objects : out.objects.filter((o) => !helmTestHook(o.manifest));
  const synced = inReleaseNamespace(rendered, req.releaseNamespace);
  const capped = d.delivery.startsWith('check/') || d.capped !== undefined;
  return {
    problems: [...(ignored ? [ignored] : []), ...out.atTop.map((a) => subchartValueProblem(d, who, a))],
    objects: synced.map((o) => ({
      file: o.file,
      index: o.index,
      line: 1,
      manifest: o.manifest,
      helmRendering: capped && valuesFree(d.chart, o.file) ? { ...rendering, valuesFree: true } : rendering,
    })),
  };
}

/** How many ignored values one finding names; the rest are counted. */
const IGNORED_LISTED = 8;

/** The values a delivery gives that the chart neither reads nor defines (helm-value-ignored), as one finding; none when all are read. */
function ignoredValuesProblem(d: ChartDelivery, who: string, ignored: readonly IgnoredValue[]): ManifestReadError | undefined {
  if (!ignored.length) return undefined;
  const listed = [...ignored]
    .sort((a, b) => compareText(a.path, b.path))
    .slice(0, IGNORED_LISTED)
    .map((u) => `${u.path}${u.near ? ` (did you mean ${u.near}?)` : ''}`);
  const more = ignored.length > IGNORED_LISTED ? `, and ${ignored.length - IGNORED_LISTED} more` : '';
  return {
    file: d.chart,
    kind: 'helm-value-ignored',
    severity: 'warning',
    message: `rendered ${who}, it is given values that no template of the chart reads and that the chart's values.yaml does not define, so Helm renders as if they were not set: ${listed.join(', ')}${more}; move each to the path the chart reads (\`helm show values\` lists them), or remove it`,
  };
}

/**
 * A top-level value of the parent chart meant for a subchart (helm-values-not-passed): an error where it sets an
 * `enabled` switch against the subchart's default (objects made or left out against it), else a warning.
 */
function subchartValueProblem(d: ChartDelivery, who: string, a: SubchartValueAtTop): ManifestReadError {
  const where = a.given ? `the values ${d.delivery} gives set` : "the chart's values.yaml sets";
  const effect = a.toggles
    ? `so ${a.subchart} renders with its own default instead of \`${a.toggles}\`, making or leaving out the objects that switch governs`
    : `so ${a.subchart} renders with its own default for it`;
  return {
    file: d.chart,
    kind: 'helm-values-not-passed',
    severity: a.toggles ? 'error' : 'warning',
    message: `rendered ${who}, ${where} \`${a.key}\` at the top, which no template of the chart reads, while its subchart ${a.subchart} has \`${a.key}\` at the top of its values.yaml: Helm hands a subchart only the values under its name (and global), ${effect}; move it under \`${a.subchart}:\``,
  };
}

/** Whether a rendered object's template is a file of the chart itself (templates/, no subchart) with no template action. */
function valuesFree(chart: string, file: string): boolean {
  const rel = path.relative(chart, file);
  if (!rel.startsWith(`templates${path.sep}`) || rel.split(path.sep).includes('charts')) return false;
  try {
    return !fs.readFileSync(file, 'utf8').includes('{{');
  } catch {
    return false;
  }
}

/** The charts to render: those the input's Applications deliver, and a checked folder that is a chart itself (helm template <folder>). */
export function chartDeliveries(
  manifests: readonly LoadedManifest[],
  charts: readonly string[],
  checked: readonly string[],
  elsewhere?: OutsideChart,
): ChartDelivery[] {
  const delivered = deliveriesOf(manifests, charts, elsewhere);
  // a checked chart that an Application of the input delivers with known values renders as it delivers it, not also
  // with its defaults alone
  const known = new Set(delivered.filter((d) => typeof d.request !== 'string').map((d) => path.resolve(d.chart)));
  const own = checked
    .filter((c) => charts.some((x) => path.resolve(x) === path.resolve(c)) && !known.has(path.resolve(c)))
    .map((c) => ({ chart: charts.find((x) => path.resolve(x) === path.resolve(c))!, delivery: `check/${c}`, request: DEFAULT_CHART_REQUEST }));
  return [...own, ...delivered];
}

/** Whether a file is one helm renders of a chart (templates/, crds/, subcharts' charts/), as the reader names them. */
const renderedFile = (file: string, chart: string) => {
  const rel = path.relative(chart, file).split(path.sep);
  return rel.length > 1 && ['templates', 'crds', 'charts'].includes(rel[0]);
};

/**
 * Renders the charts the input delivers and puts their objects in place of the chart's files read as written (the
 * static templates, crds/ and subcharts' files); what the rendered Applications deliver in turn is rendered too
 * (app-of-apps charts), to a depth of 10. Returns the notes and findings to add.
 */
export function renderDeliveredCharts(
  manifests: LoadedManifest[],
  charts: readonly string[],
  checked: readonly string[],
  elsewhere?: OutsideChart,
  more: readonly ChartDelivery[] = [],
): ManifestReadError[] {
  const problems: ManifestReadError[] = [];
  const done = new Set<string>();
  // a checked chart folder that a script or guide installs with known arguments renders as that command renders it,
  // not also with its defaults alone (`helm template <folder>`): the command's values replace the placeholders there
  const scripted = new Set(more.filter((d) => typeof d.request !== 'string').map((d) => path.resolve(d.chart)));
  const own = chartDeliveries(manifests, charts, checked, elsewhere).filter((d) => !(d.delivery.startsWith('check/') && scripted.has(path.resolve(d.chart))));
  followDeliveries([...own, ...more], manifests, charts, elsewhere, problems, done);
  // the charts no delivery names: rendered as `helm template <chart>` renders them (and with their ci/ values)
  // a script's command whose arguments are not known renders nothing: its chart renders with its defaults too
  const unknown = new Set(more.filter((d) => typeof d.request === 'string').map((d) => `${d.chart}\0${d.delivery}`));
  const delivered = new Set([...done].filter((k) => !unknown.has(k)).map((k) => k.slice(0, k.indexOf('\0'))));
  const renders = undeliveredRenders(charts, delivered).map((d) => {
    const found: ManifestReadError[] = [];
    return { chart: path.resolve(d.chart), objects: renderedInPlace(d, manifests, found), problems: found };
  });
  // an app-of-apps chart no delivery names renders Applications too: what they deliver renders as they deliver it,
  // in place of those charts' renders with their defaults alone
  const followed = deliveriesOf(
    renders.flatMap((r) => r.objects),
    charts,
    elsewhere,
  ).filter((d) => !done.has(`${d.chart}\0${d.delivery}`));
  const taken = new Set(followed.map((d) => path.resolve(d.chart)));
  for (const r of renders.filter((x) => !taken.has(x.chart))) {
    manifests.push(...r.objects);
    problems.push(...r.problems);
  }
  followDeliveries(followed, manifests, charts, elsewhere, problems, done);
  return problems;
}

/** Renders the deliveries, then what the Applications they render deliver in turn (app-of-apps charts), to a depth of 10. */
function followDeliveries(
  first: readonly ChartDelivery[],
  manifests: LoadedManifest[],
  charts: readonly string[],
  elsewhere: OutsideChart | undefined,
  problems: ManifestReadError[],
  done: Set<string>,
): void {
  let pending = [...first];
  for (let depth = 0; pending.length && depth < 10; depth++) {
    const added: LoadedManifest[] = [];
    for (const d of pending) {
      done.add(`${d.chart}\0${d.delivery}`);
      added.push(...renderedInPlace(d, manifests, problems));
    }
    manifests.push(...added);
    pending = deliveriesOf(added, charts, elsewhere).filter((d) => !done.has(`${d.chart}\0${d.delivery}`));
  }
}

/** Renders one delivery: its objects, to add, in place of the chart's files read as written (removed); its finding added to `problems`. */
function renderedInPlace(d: ChartDelivery, manifests: LoadedManifest[], problems: ManifestReadError[]): LoadedManifest[] {
  const r = renderDelivery(d);
  problems.push(...r.problems);
  if (!r.objects.length && r.problems.length) return [];
  for (let i = manifests.length - 1; i >= 0; i--)
    if (!manifests[i].helmRendering && !manifests[i].kustomizations?.length && renderedFile(manifests[i].file, d.chart)) manifests.splice(i, 1);
  const extras = droppedChartExtras(d.chart, d.delivery, manifests);
  if (extras) problems.push(extras);
  return r.objects;
}
