import * as path from 'path';
import { isMapping, Loose, mapping, mappings, strings, text } from '../manifests/access';
import { helmfileReleases } from '../manifests/helmfile-releases';
import { parseOne } from '../manifests/yaml-documents';
import { destinationNamespace } from './argocd/destination-namespace';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';

/** A Helm chart the tree installs from a registry: a Flux HelmRelease or an Argo CD Application's chart source. */
export interface ChartRelease {
  readonly object: GraphObject;
  readonly chart: string;
  readonly release: string;
  readonly namespace?: string;
  /** The inline values (empty when none are written). */
  readonly values: Loose;
  /** Values come from files or objects the check does not read (valueFiles, valuesFrom): `values` is not all. */
  readonly valuesElsewhere: boolean;
  /** The chart version asked for as written (a Flux chart's spec.version, an Argo CD source's targetRevision), if any. */
  readonly version?: string;
}

/**
 * The chart a HelmRelease's spec.chartRef names (helm-controller api v2: an OCIRepository or a HelmChart, in the
 * release's namespace unless it names one): the OCI artifact's last path segment (`oci://ghcr.io/org/charts/app-template`
 * is app-template), a HelmChart's spec.chart, else the referenced object's name.
 */
function chartRefName(o: GraphObject, graph: ObjectGraph): string | undefined {
  const ref = mapping(mapping(o.manifest.spec).chartRef);
  const name = text(ref.name);
  if (!name) return undefined;
  const source = graph.find(text(ref.kind) ?? '', name, text(ref.namespace) ?? graph.namespaceOf(o.manifest));
  const spec = mapping(source?.manifest.spec);
  if (ref.kind === 'HelmChart') return text(spec.chart) ?? name;
  return text(spec.url)?.replace(/\/+$/, '').split('/').pop() ?? name;
}

/**
 * A Flux HelmRelease's chart (spec.chart.spec.chart, or the one spec.chartRef names), its release name (spec.releaseName, else [targetNamespace-]name:
 * fluxcd/helm-controller api/v2 HelmReleaseSpec.ReleaseName) and namespace (spec.targetNamespace, else its own).
 */
function fluxRelease(o: GraphObject, graph: ObjectGraph): ChartRelease[] {
  const spec = mapping(o.manifest.spec);
  const chart = text(mapping(mapping(spec.chart).spec).chart) ?? chartRefName(o, graph);
  const name = text(mapping(o.manifest.metadata).name);
  if (!chart || !name) return [];
  const target = text(spec.targetNamespace);
  const release = text(spec.releaseName) ?? (target ? `${target}-${name}` : name);
  return [
    {
      object: o,
      chart,
      release,
      namespace: target ?? graph.namespaceOf(o.manifest),
      values: mapping(spec.values),
      valuesElsewhere: mappings(spec.valuesFrom).length > 0,
      ...(text(mapping(mapping(spec.chart).spec).version) ? { version: text(mapping(mapping(spec.chart).spec).version) } : {}),
    },
  ];
}

/** The values an Argo CD Helm source writes inline: valuesObject, else the values string (argo-cd ApplicationSourceHelm). */
export function argoValues(helm: Loose): Loose {
  if (isMapping(helm.valuesObject)) return helm.valuesObject;
  const written = typeof helm.values === 'string' ? parseOne(helm.values) : undefined;
  return written && 'value' in written ? mapping(written.value) : {};
}

/** One step of a `--set` key: a map key, or a list index written `[n]`. */
function setKeySteps(name: string): (string | number)[] {
  return name
    .split(/(?<!\\)\./)
    .flatMap((part) => {
      const [key, ...indexes] = part.split('[');
      return [key.replace(/\\\./g, '.'), ...indexes.map((i) => Number(i.replace(']', '')))];
    })
    .filter((step) => step !== '');
}

/**
 * The inline values with an Argo CD Helm source's parameters laid over them, as the repo server passes them to
 * `helm template --set` (argo-cd reposerver/repository: helm.parameters, each name a --set key such as
 * `image.tag` or `modelSpec[0].tag`, its value a string). The values are copied, never changed in place.
 */
export function argoValuesWithParameters(helm: Loose): Loose {
  const values: Loose = structuredClone(argoValues(helm));
  for (const p of mappings(helm.parameters)) {
    const name = text(p.name);
    const steps = name ? setKeySteps(name) : [];
    if (!steps.length || p.value === undefined) continue;
    let at: Record<string | number, unknown> = values;
    steps.forEach((step, i) => {
      if (i === steps.length - 1) at[step] = p.value;
      else {
        const next = at[step];
        at = (at[step] = typeof next === 'object' && next !== null ? next : typeof steps[i + 1] === 'number' ? [] : {}) as Record<string | number, unknown>;
      }
    });
  }
  return values;
}

/** The chart sources of an Argo CD Application; the release name is helm.releaseName, else the Application's name (argo-cd reposerver). */
function argoReleases(o: GraphObject): ChartRelease[] {
  const spec = mapping(o.manifest.spec);
  const name = text(mapping(o.manifest.metadata).name);
  return [mapping(spec.source), ...mappings(spec.sources)].flatMap((s) => {
    const chart = text(s.chart);
    if (!chart || !name) return [];
    const helm = mapping(s.helm);
    const values = argoValuesWithParameters(helm);
    return [
      {
        object: o,
        chart,
        release: text(helm.releaseName) ?? name,
        namespace: destinationNamespace(o.manifest),
        values,
        valuesElsewhere: strings(helm.valueFiles).length > 0,
        ...(text(s.targetRevision) ? { version: text(s.targetRevision) } : {}),
      },
    ];
  });
}

/** Every chart release of the tree. */
export function chartReleases(graph: ObjectGraph): ChartRelease[] {
  return graph.once('chart-releases', () => [
    ...graph.ofKind('HelmRelease').flatMap((o) => fluxRelease(o, graph)),
    ...graph.ofKind('Application').flatMap((o) => argoReleases(o)),
  ]);
}

/** Helm's trunc and trimSuffix "-" on a name. */
const trimmed = (name: string, length: number) => name.slice(0, length).replace(/-+$/, '');

/**
 * The fullname of a chart that follows Helm's scaffold: fullnameOverride, else the release name when it contains the
 * chart's name (or nameOverride), else <release>-<name>; cut at `length`.
 */
export function chartFullname(r: ChartRelease, values: Loose, length: number): string {
  const override = text(values.fullnameOverride);
  if (override) return trimmed(override, length);
  const name = text(values.nameOverride) ?? r.chart;
  return trimmed(r.release.includes(name) ? r.release : `${r.release}-${name}`, length);
}

/** A release of a chart the tree installs, from a manifest (Flux, Argo CD) or a helmfile (no object of its own). */
export interface TreeRelease extends Omit<ChartRelease, 'object'> {
  readonly object?: GraphObject;
  /** The release as a message names it: the object's id, or `release <name> of <helmfile>:<line>`. */
  readonly origin: string;
}

/** The releases of the helmfiles of the input's folders (helmfile.yaml), each folder's once. */
function helmfileTreeReleases(graph: ObjectGraph): TreeRelease[] {
  const seen = new Set<string>();
  const folders = (graph.folders ?? []).filter((f) => !seen.has(path.resolve(f)) && seen.add(path.resolve(f)));
  return folders.flatMap((f) =>
    helmfileReleases(f).map((r) => ({
      chart: r.chart,
      release: r.name,
      namespace: r.namespace,
      values: r.values,
      valuesElsewhere: r.valuesElsewhere,
      origin: `release ${r.name} of ${path.join(f, path.basename(r.file))}:${r.line}`,
    })),
  );
}

/** Every chart release of the tree: its HelmReleases and Applications' chart sources, and its helmfiles' releases. */
export function treeReleases(graph: ObjectGraph): TreeRelease[] {
  return graph.once('chart-releases:tree', () => [...chartReleases(graph).map((r) => ({ ...r, origin: graph.id(r.object) })), ...helmfileTreeReleases(graph)]);
}
