import { isMapping, Loose, mapping, mappings, text } from './access';
import { deliveryKey } from './chart-deliveries';
import { fluxReleaseName, fluxSourceObject, isHelmRelease } from './flux-chart-values';
import type { LoadedManifest, ManifestReadError } from './loaded';

/** A source reference as a message names it: `OCIRepository llm/app-template (oci://…, tag 3.5.1)`, its URL where the input holds it. */
function sourceSaid(manifests: readonly { readonly manifest: unknown }[], ref: Loose, ns: string | undefined, brief: boolean): string {
  const kind = text(ref.kind) ?? 'source';
  const name = text(ref.name) ?? '';
  const at = text(ref.namespace) ?? ns;
  // a release that gives no namespace is in the one it is applied to (a Flux targetNamespace, kubectl's -n): so is its source
  const said = at === undefined ? `${kind} ${name}` : `${kind} ${at}/${name}`;
  if (brief) return said;
  const spec = mapping(fluxSourceObject(manifests, kind, name, at)?.spec);
  const tag = text(mapping(spec.ref).tag) ?? text(mapping(spec.ref).semver);
  const url = text(spec.url) ? ` (${text(spec.url)}${tag ? `, tag ${tag}` : ''})` : ' (not in the input)';
  return `${said}${url}`;
}

/**
 * The chart a HelmRelease installs, as a message names it (`brief`: without the source's URL) (helm-controller api v2: spec.chart.spec's chart, version
 * and sourceRef, or spec.chartRef naming an OCIRepository or HelmChart).
 */
export function fluxChartSaid(hr: Loose, manifests: readonly { readonly manifest: unknown }[], brief = false): string {
  const spec = mapping(hr.spec);
  const ns = text(mapping(hr.metadata).namespace);
  const ref = mapping(spec.chartRef);
  if (text(ref.kind)) return `the chart of ${sourceSaid(manifests, ref, ns, brief)}`;
  const chart = mapping(mapping(spec.chart).spec);
  const version = text(chart.version);
  return `chart ${text(chart.chart) ?? '(none)'}${version ? ` ${version}` : ''} from ${sourceSaid(manifests, mapping(chart.sourceRef), ns, brief)}`;
}

/** An Argo CD source's chart as a message names it: `chart litellm 1.2.3 from https://…`. */
export function argoChartSaid(s: Loose): string {
  return `chart ${text(s.chart)}${text(s.targetRevision) ? ` ${text(s.targetRevision)}` : ''} from ${text(s.repoURL) ?? '(no repoURL)'}`;
}

/** The note on one release whose chart is not in the input: who installs what, where, and that nothing of it is checked. */
function notRenderedNote(m: LoadedManifest, who: string, chart: string, release: string, ns: string | undefined): ManifestReadError {
  return {
    file: m.file,
    ...(m.line ? { line: m.line } : {}),
    severity: 'info',
    kind: 'input-not-followed',
    message:
      `${who} installs ${chart} as release '${release}'${ns ? ` into namespace '${ns}'` : ''}, a Helm chart not rendered: the chart is not in the input ` +
      `and check fetches no remote chart, so the objects the release makes are not checked (helm template the chart with the release's values and check the output to judge them)`,
  };
}

/**
 * The Helm releases of the input whose chart is not in it, each said once as a note (input-not-followed) naming the
 * release and the chart's source, so that a check of a tree made of them never ends as "no findings" without saying
 * what it did not read: a Flux HelmRelease that no chart of the input renders for (`rendered`: the delivery keys of
 * the objects rendered), and each chart source of an Argo CD Application (a chart from a Helm or OCI repository,
 * spec.source(s)[].chart, which the repo server pulls).
 */
export function unfetchedCharts(manifests: readonly LoadedManifest[], rendered: ReadonlySet<string>): ManifestReadError[] {
  return manifests.flatMap((m): ManifestReadError[] => {
    const o = m.manifest;
    if (isHelmRelease(o)) {
      const key = deliveryKey(o);
      if (rendered.has(key)) return [];
      const ns = text(mapping(o.spec).targetNamespace) ?? text(mapping(o.metadata).namespace);
      return [notRenderedNote(m, key.replace('//', '/'), fluxChartSaid(o, manifests), fluxReleaseName(o), ns)];
    }
    if (!isMapping(o) || o.kind !== 'Application' || !String(o.apiVersion ?? '').startsWith('argoproj.io/')) return [];
    const spec = mapping(o.spec);
    const ns = text(mapping(spec.destination).namespace);
    return [mapping(spec.source), ...mappings(spec.sources)]
      .filter((s) => text(s.chart))
      .map((s) => notRenderedNote(m, deliveryKey(o), argoChartSaid(s), text(mapping(s.helm).releaseName) ?? text(mapping(o.metadata).name) ?? '', ns));
  });
}
