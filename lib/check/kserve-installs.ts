import { isMapping, Loose, mapping, mappings, text } from '../manifests/access';
import { parseOne } from '../manifests/yaml-documents';
import type { ListedRemoteBase } from '../manifests/remote-bases';

/** An install of upstream KServe the tree makes itself, and what it creates. */
export interface KserveInstall {
  /** What installs it, as a sentence part: `Application/argocd/kserve installs KServe's chart kserve 0.13.0 (oci://ghcr.io/kserve/charts)`. */
  readonly says: string;
  /** `0.13`, where the version is written. */
  readonly release?: string;
  /** Whether it runs KServe's controllers (not only its CRDs or runtimes). */
  readonly controller: boolean;
  /** Whether it creates KServe's ClusterServingRuntimes. */
  readonly runtimes: boolean;
}

/** What a chart of KServe's creates: its controllers, its ClusterServingRuntimes ('values': only where values enable them). */
interface ChartShips {
  readonly controller: boolean;
  readonly runtimes: boolean | 'values';
}

const CRDS_ONLY: ChartShips = { controller: false, runtimes: false };

/**
 * KServe's Helm charts by name (kserve/kserve charts/*, Chart.yaml names): `kserve` (the charts/kserve-resources folder,
 * published as `kserve` up to 0.16) holds templates/clusterservingruntimes.yaml, unconditional; from 0.17 the
 * controller is `kserve-resources` and the runtimes moved to `kserve-runtime-configs`, which renders them only with
 * kserve.servingruntime.enabled (values.yaml: false); the *-crd charts hold CRDs alone.
 */
const KSERVE_CHARTS: Readonly<Record<string, ChartShips>> = {
  kserve: { controller: true, runtimes: true },
  'kserve-resources': { controller: true, runtimes: false },
  'kserve-runtime-configs': { controller: false, runtimes: 'values' },
  'kserve-llmisvc-resources': { controller: true, runtimes: false },
  'kserve-localmodel-resources': { controller: true, runtimes: false },
  'kserve-crd': CRDS_ONLY,
  'kserve-crd-minimal': CRDS_ONLY,
  'kserve-llmisvc-crd': CRDS_ONLY,
  'kserve-llmisvc-crd-minimal': CRDS_ONLY,
  'kserve-localmodel-crd': CRDS_ONLY,
  'kserve-localmodel-crd-minimal': CRDS_ONLY,
};

/** KServe's chart repositories: the OCI registry (`oci://ghcr.io/kserve/charts`, Argo CD writes it without the scheme) and the project's Helm pages. */
const KSERVE_CHART_REPO = /^(?:oci:\/\/)?ghcr\.io\/kserve\/charts\/?$|^https?:\/\/kserve\.github\.io\//i;
/** An OCI source that names the chart itself: `oci://ghcr.io/kserve/charts/kserve`. */
const KSERVE_CHART_ARTIFACT = /^(?:oci:\/\/)?ghcr\.io\/kserve\/charts\/([a-z0-9-]+)\/?$/i;
/** The kserve/kserve git repository, as an Argo CD git source names it. */
const KSERVE_GIT = /^(?:https?:\/\/|git@)?(?:www\.)?github\.com[/:]kserve\/kserve(?:\.git)?\/?$/i;

/** `0.13` of `v0.13.0`, `0.13.1`, `0.13`; undefined for a branch or a range. */
function minorOf(version: string | undefined): string | undefined {
  const m = /^v?0\.(\d+)(?:\.\d+)?(?:-[\w.]+)?$/.exec(version ?? '');
  return m ? `0.${Number(m[1])}` : undefined;
}

/** Whether chart values enable kserve-runtime-configs' ClusterServingRuntimes (kserve.servingruntime.enabled). */
function runtimesEnabled(values: Loose, parameters: readonly Loose[] = []): boolean {
  if (mapping(mapping(values.kserve).servingruntime).enabled === true) return true;
  return parameters.some((p) => text(p.name) === 'kserve.servingruntime.enabled' && String(p.value) === 'true');
}

/** One install of a KServe chart, where the chart is one of KServe's. */
function chartInstall(chart: string, version: string | undefined, from: string, enabled: () => boolean): KserveInstall | undefined {
  const ships = KSERVE_CHARTS[chart];
  if (!ships) return undefined;
  const release = minorOf(version);
  return {
    says: `${from} installs KServe's chart ${chart}${version ? ` ${version}` : ''}`,
    ...(release ? { release } : {}),
    controller: ships.controller,
    runtimes: ships.runtimes === 'values' ? enabled() : ships.runtimes,
  };
}

/** The inline values of an Argo CD Helm source: valuesObject, else the values string (argo-cd ApplicationSourceHelm). */
function argoValues(helm: Loose): Loose {
  if (isMapping(helm.valuesObject)) return helm.valuesObject;
  const written = typeof helm.values === 'string' ? parseOne(helm.values) : undefined;
  return written && 'value' in written ? mapping(written.value) : {};
}

/**
 * A git source on kserve/kserve: a chart folder (charts/kserve-resources was published as `kserve` up to 0.16), or
 * config/default (what the release's kserve.yaml is built from, hack/generate-install.sh) or config/runtimes.
 */
function gitInstall(path: string, version: string | undefined, from: string): KserveInstall | undefined {
  const folder = path.replace(/^\.?\/+/, '').replace(/\/+$/, '');
  const chart = /^charts\/([\w-]+)$/.exec(folder)?.[1];
  const release = minorOf(version);
  if (chart) {
    const named = chart === 'kserve-resources' && (release === undefined || Number(release.slice(2)) < 17) ? 'kserve' : chart;
    return chartInstall(named, version, from, () => false);
  }
  const config = { 'config/default': { controller: true, runtimes: false }, 'config/runtimes': { controller: false, runtimes: true } }[folder];
  return config ? { says: `${from} installs KServe's ${folder}${version ? ` at ${version}` : ''}`, ...(release ? { release } : {}), ...config } : undefined;
}

/** The KServe installs of one Argo CD source (an Application's, or an ApplicationSet template's). */
function sourceInstall(s: Loose, from: string): KserveInstall | undefined {
  const repo = text(s.repoURL) ?? '';
  const version = text(s.targetRevision);
  const helm = mapping(s.helm);
  const enabled = () => runtimesEnabled(argoValues(helm), mappings(helm.parameters));
  const chart = text(s.chart);
  if (chart && KSERVE_CHART_REPO.test(repo)) return chartInstall(chart, version, `${from} (${repo})`, enabled);
  const artifact = KSERVE_CHART_ARTIFACT.exec(repo)?.[1];
  if (artifact) return chartInstall(artifact, version, `${from} (${repo})`, enabled);
  const path = text(s.path);
  return path !== undefined && KSERVE_GIT.test(repo) ? gitInstall(path, version, `${from} (${repo})`) : undefined;
}

/** The Argo CD sources of an Application, or of an ApplicationSet's template. */
function argoSources(m: Loose): Loose[] {
  const spec = m.kind === 'ApplicationSet' ? mapping(mapping(mapping(m.spec).template).spec) : mapping(m.spec);
  return [mapping(spec.source), ...mappings(spec.sources)];
}

/** A Flux HelmRelease of a KServe chart: from a HelmRepository of KServe's (spec.chart.spec), or an OCIRepository of the chart (spec.chartRef). */
function fluxInstall(m: Loose, id: string, objects: readonly Loose[]): KserveInstall | undefined {
  const spec = mapping(m.spec);
  const find = (kind: string, name: string | undefined) => objects.find((o) => o.kind === kind && text(mapping(o.metadata).name) === name);
  const enabled = () => runtimesEnabled(mapping(spec.values));
  const chartSpec = mapping(mapping(spec.chart).spec);
  const chart = text(chartSpec.chart);
  if (chart) {
    const repo = text(mapping(find('HelmRepository', text(mapping(chartSpec.sourceRef).name))?.spec).url) ?? '';
    return KSERVE_CHART_REPO.test(repo) ? chartInstall(chart, text(chartSpec.version), `${id} (${repo})`, enabled) : undefined;
  }
  const ref = mapping(spec.chartRef);
  const oci = text(ref.kind) === 'OCIRepository' ? find('OCIRepository', text(ref.name)) : undefined;
  const url = text(mapping(oci?.spec).url) ?? '';
  const artifact = KSERVE_CHART_ARTIFACT.exec(url)?.[1];
  return artifact ? chartInstall(artifact, text(mapping(mapping(oci?.spec).ref).tag), `${id} (${url})`, enabled) : undefined;
}

/** `Kind/namespace/name` of an object, for what is said. */
function idOf(m: Loose): string {
  const meta = mapping(m.metadata);
  return `${text(m.kind) ?? '?'}/${[text(meta.namespace), text(meta.name)].filter(Boolean).join('/')}`;
}

/**
 * The installs of upstream KServe the tree makes: Argo CD Applications and ApplicationSet templates of KServe's charts
 * (by name and repository) or of kserve/kserve's chart and config folders, Flux HelmReleases of its charts, and the
 * release manifests (kserve.yaml, kserve-cluster-resources.yaml) or charts its kustomizations and scripts apply.
 */
export function kserveInstalls(objects: readonly { readonly manifest: unknown }[], installed: readonly ListedRemoteBase[] = []): KserveInstall[] {
  const manifests = objects.map((o) => mapping(o.manifest));
  const out: KserveInstall[] = [];
  for (const m of manifests) {
    const group = String(m.apiVersion ?? '').split('/')[0];
    if ((m.kind === 'Application' || m.kind === 'ApplicationSet') && group === 'argoproj.io')
      out.push(...argoSources(m).flatMap((s) => sourceInstall(s, idOf(m)) ?? []));
    const flux = m.kind === 'HelmRelease' && group === 'helm.toolkit.fluxcd.io' ? fluxInstall(m, idOf(m), manifests) : undefined;
    if (flux) out.push(flux);
  }
  for (const i of installed) {
    const ships = i.base.kserve;
    if (i.base.project === 'kserve' && ships)
      out.push({ says: `${i.file} installs '${i.entry}' (${i.base.described})`, ...(i.base.release ? { release: i.base.release } : {}), ...ships });
  }
  return out;
}

/**
 * The KServe release whose ClusterServingRuntimes the tree's installs create: the newest of those that create them,
 * where each states its release; undefined where one does not (or none creates them), and the runtimes of the release
 * the data was derived from are assumed.
 */
export function runtimesRelease(installs: readonly KserveInstall[]): string | undefined {
  const creating = installs.filter((i) => i.runtimes);
  if (!creating.length || creating.some((i) => i.release === undefined)) return undefined;
  const minor = (r: string) => Number(r.split('.')[1]);
  return creating.map((i) => i.release as string).reduce((a, b) => (minor(b) > minor(a) ? b : a));
}
