import { isMapping, Loose, mapping, mappings, text } from './access';
import { APP_TEMPLATE_MAJORS, AppTemplateMajor } from './app-template-names';
import { renderAppTemplate } from './app-template-render';
import type { SourceLookup } from './app-template-sources';
import { deliveryKey, userValues } from './chart-deliveries';
import { argoChartRequest, ChartRequest } from './chart-values';
import { fluxChartRequest, fluxSourceObject, isHelmRelease } from './flux-chart-values';
import type { LoadedManifest, ManifestReadError } from './loaded';
import { inReleaseNamespace } from './release-namespace';

/** The chart's name, and the registries it is published to (bjw-s-labs/helm-charts: ghcr.io/bjw-s-labs/helm, ghcr.io/bjw-s/helm, bjw-s-labs.github.io/helm-charts, bjw-s.github.io/helm-charts). */
const CHART = 'app-template';
const PUBLISHER = /bjw-s/;

/** A release of app-template found in the input: who installs it, the chart version it asks for, and its arguments (or why they are unknown). */
interface FoundRelease {
  readonly m: LoadedManifest;
  readonly delivery: string;
  readonly who: string;
  readonly version: string | undefined;
  readonly request: ChartRequest | string | { readonly fails: string };
  /** The source that pins the version, where the input lacks it and the repository holds it: `OCIRepository app-template in flux/repos.yaml`. */
  readonly from?: string;
}

/** The Flux source a HelmRelease names: the input's, else the repository's outside it (`elsewhere`), saying which file. */
function sourceOf(
  manifests: readonly LoadedManifest[],
  elsewhere: SourceLookup | undefined,
  kind: string,
  name: string,
  ns: string,
): { repo?: Loose; from?: string } {
  const repo = fluxSourceObject(manifests, kind, name, ns);
  if (repo) return { repo };
  const outside = elsewhere?.(kind, name, ns);
  return outside ? { repo: outside.manifest, from: `${kind} ${name} in ${outside.file}` } : {};
}

/**
 * The major a chart version or range pins (`4.1.1`, `v3.7.3`, `4.x`, `^4.0.0`, `~3.5`, `>=4.0.0 <5.0.0`), or
 * undefined when it allows more than one or none is said (Flux and Argo CD resolve such ranges against the registry).
 */
export function pinnedMajor(version: string | undefined): number | undefined {
  const v = version?.trim();
  if (!v) return undefined;
  const one = /^[\^~=]?v?(\d+)(?:\.(?:\d+|x|\*)){0,2}(?:-[\w.]+)?$/.exec(v);
  if (one) return Number(one[1]) === 0 && v.startsWith('^') ? undefined : Number(one[1]);
  const range = /^>=\s*v?(\d+)(?:\.\d+){0,2}\s*,?\s*<\s*v?(\d+)(?:\.0){0,2}$/.exec(v);
  return range && Number(range[2]) === Number(range[1]) + 1 ? Number(range[1]) : undefined;
}

/**
 * Whether a Helm repository URL and chart name are the publisher's app-template: a Helm repository of the publisher
 * (https://bjw-s-labs.github.io/helm-charts) naming chart app-template, or an OCI reference ending in /app-template
 * (oci://ghcr.io/bjw-s-labs/helm/app-template), or the OCI registry path above it with that chart name.
 */
export function isAppTemplateChart(repo: string | undefined, chart: string | undefined): boolean {
  if (!repo || !PUBLISHER.test(repo)) return false;
  const last = repo.replace(/\/+$/, '').split('/').pop();
  return last === CHART || chart === CHART;
}

/** An exact version (the helm.sh/chart label says it), else undefined. */
export const exactVersion = (v: string | undefined) => (v && /^v?\d+\.\d+\.\d+(?:-[\w.]+)?$/.test(v.trim()) ? v.trim().replace(/^v/, '') : undefined);

/**
 * The chart version a HelmRelease installs, when its chart is app-template: spec.chartRef to an OCIRepository whose
 * url ends with /app-template (its ref.tag or ref.semver), or spec.chart.spec naming app-template (its version) from
 * a source of the chart's publisher (or one not in the input). Undefined when the chart is another.
 */
function fluxAppTemplate(hr: Loose, manifests: readonly LoadedManifest[], elsewhere?: SourceLookup): { version?: string; from?: string } | undefined {
  const spec = mapping(hr.spec);
  const ns = text(mapping(hr.metadata).namespace) ?? 'default';
  const ref = mapping(spec.chartRef);
  if (text(ref.kind) === 'OCIRepository') {
    const { repo, from } = sourceOf(manifests, elsewhere, 'OCIRepository', text(ref.name) ?? '', text(ref.namespace) ?? ns);
    const url = text(mapping(repo?.spec).url) ?? '';
    if (!PUBLISHER.test(url) || url.replace(/\/+$/, '').split('/').pop() !== CHART) return undefined;
    const tag = mapping(mapping(repo?.spec).ref);
    return { version: text(tag.tag) ?? text(tag.semver), from };
  }
  const chart = mapping(mapping(spec.chart).spec);
  if (text(chart.chart) !== CHART) return undefined;
  const source = mapping(chart.sourceRef);
  const { repo, from } = sourceOf(manifests, elsewhere, text(source.kind) ?? '', text(source.name) ?? '', text(source.namespace) ?? ns);
  if (repo && !PUBLISHER.test(text(mapping(repo.spec).url) ?? '')) return undefined;
  return { version: text(chart.version), from };
}

/** The app-template releases of Flux HelmReleases, with helm-controller's arguments (fluxChartRequest: valuesFrom, values). */
function fluxReleases(manifests: readonly LoadedManifest[], elsewhere?: SourceLookup): FoundRelease[] {
  return manifests.flatMap((m) => {
    if (!isHelmRelease(m.manifest)) return [];
    const found = fluxAppTemplate(m.manifest, manifests, elsewhere);
    if (!found) return [];
    const request = fluxChartRequest(m.manifest, CHART, { repository: undefined, url: undefined, chartPath: CHART }, manifests);
    const delivery = deliveryKey(m.manifest);
    const who = delivery.replace(/^HelmRelease\//, 'HelmRelease ');
    return [{ m, delivery, who, version: found.version, request, ...(found.from ? { from: found.from } : {}) }];
  });
}

/** The app-template sources of Argo CD Applications (repoURL of the publisher, chart app-template), with the repo server's arguments; values files of a remote chart are not read. */
function argoReleases(manifests: readonly LoadedManifest[]): FoundRelease[] {
  return manifests.flatMap((m) => {
    const app = m.manifest;
    if (!isMapping(app) || app.kind !== 'Application' || !String(app.apiVersion ?? '').startsWith('argoproj.io/')) return [];
    const spec = mapping(app.spec);
    return [mapping(spec.source), ...mappings(spec.sources)].flatMap((s): FoundRelease[] => {
      if (text(s.chart) !== CHART || !PUBLISHER.test(text(s.repoURL) ?? '')) return [];
      const files = mapping(s.helm).valueFiles;
      const request =
        Array.isArray(files) && files.length
          ? `its values files (${files.map(String).join(', ')}) are read from the chart or another source, which check does not fetch`
          : argoChartRequest(app, s, '.');
      const delivery = deliveryKey(app);
      return [{ m, delivery, who: delivery.replace(/^Application\//, 'Application '), version: text(s.targetRevision), request }];
    });
  });
}

/** What rendering the input's app-template releases gave: the objects, the notes, and the deliveries said (no other note needed). */
export interface AppTemplateRenders {
  readonly objects: LoadedManifest[];
  readonly notes: ManifestReadError[];
  readonly said: ReadonlySet<string>;
}

/** The note on a release the port does not render, and why. */
function notRendered(r: FoundRelease, version: string, why: string): ManifestReadError {
  return {
    file: r.m.file,
    ...(r.m.line ? { line: r.m.line } : {}),
    severity: 'info',
    kind: 'input-not-followed',
    message: `${r.delivery} installs app-template ${version}, whose objects check renders from the release's values, but not this release: ${why}; so the objects it makes are not checked`,
  };
}

/** One release rendered: its objects marked as rendered from the release, or a note saying why not. */
function renderOne(r: FoundRelease, major: AppTemplateMajor): { objects: LoadedManifest[]; note?: ManifestReadError } {
  const version = r.version ?? `${major}.x`;
  const req = r.request;
  if (typeof req === 'string') return { objects: [], note: notRendered(r, version, req) };
  if ('fails' in req) return { objects: [], note: notRendered(r, version, req.fails) };
  let values: Loose;
  try {
    values = userValues(req.values);
  } catch (e) {
    return { objects: [], note: notRendered(r, version, (e as Error).message) };
  }
  const out = renderAppTemplate({ release: req.releaseName, namespace: req.namespace, values, version: exactVersion(r.version), major });
  if ('unmodelled' in out) return { objects: [], note: notRendered(r, version, out.unmodelled) };
  const model = `app-template ${version} values of ${r.who}${r.from ? ` (its chart version read from ${r.from})` : ''}`;
  return {
    objects: inReleaseNamespace(
      out.objects.map((manifest) => ({ manifest })),
      req.releaseNamespace,
    ).map(({ manifest }, index) => ({
      file: r.m.file,
      index,
      line: r.m.line ?? 1,
      manifest,
      helmRendering: { folder: `${CHART}@${version}`, delivery: r.delivery, model },
      // Flux's post-build substitution ran on the HelmRelease's values before helm-controller rendered them
      // (kustomize_varsub.go SubstituteVariables on the built YAML): its objects have the release's variables
      ...(r.m.fluxSubstitution ? { fluxSubstitution: r.m.fluxSubstitution } : {}),
    })),
  };
}

/** The input's app-template releases whose version pins a major the port models (APP_TEMPLATE_MAJORS), with that major. */
function modelledReleases(manifests: readonly LoadedManifest[], elsewhere?: SourceLookup): [FoundRelease, AppTemplateMajor][] {
  return [...fluxReleases(manifests, elsewhere), ...argoReleases(manifests)].flatMap((r): [FoundRelease, AppTemplateMajor][] => {
    const major = pinnedMajor(r.version);
    return APP_TEMPLATE_MAJORS.includes(major as AppTemplateMajor) ? [[r, major as AppTemplateMajor]] : [];
  });
}

/** The deliveries (deliveryKey) of the app-template releases the port renders: no note on a chart not in the input is said of them. */
export function modelledDeliveries(manifests: readonly LoadedManifest[], elsewhere?: SourceLookup): Set<string> {
  return new Set(modelledReleases(manifests, elsewhere).map(([r]) => r.delivery));
}

/**
 * The input's releases of the bjw-s app-template chart rendered from their values (app-template-render.ts), where the
 * chart version they install pins a major the port models; a release of another major, or with no version said, is
 * left to the note on charts not in the input, and one already rendered (`rendered`: a chart of the local cache) is
 * not rendered again. A HelmRelease whose source the input lacks takes it from the repository around the checked
 * folders (`elsewhere`: repositorySourceLookup), and its findings say which file pinned the version.
 */
export function renderAppTemplateReleases(
  manifests: readonly LoadedManifest[],
  rendered: ReadonlySet<string> = new Set(),
  elsewhere?: SourceLookup,
): AppTemplateRenders {
  const objects: LoadedManifest[] = [];
  const notes: ManifestReadError[] = [];
  const said = new Set<string>();
  for (const [r, major] of modelledReleases(manifests, elsewhere)) {
    if (rendered.has(r.delivery)) continue;
    const one = renderOne(r, major);
    objects.push(...one.objects);
    if (one.note) notes.push(one.note);
    said.add(r.delivery);
  }
  return { objects, notes, said };
}
