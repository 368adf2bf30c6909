import { apiGroupOf } from '../k8s/api-version';
import { isMapping, Loose, mapping, text } from './access';

/**
 * The sync of the Flux Operator's FluxInstance (fluxcd.controlplane.io/v1 spec.sync): the operator makes a source of
 * sync.kind (GitRepository, OCIRepository or Bucket) and a Flux Kustomization building sync.path from it, both named
 * sync.name, else after the FluxInstance's namespace, in that namespace (controlplaneio-fluxcd/flux-operator
 * internal/controller/fluxinstance_controller.go: `syncName := obj.GetNamespace()` unless Spec.Sync.Name is set;
 * internal/builder/templates.go syncTmpl: the source's and the Kustomization's metadata.name and namespace).
 */
export interface FluxInstanceSync {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly url?: string;
  readonly path?: string;
}

/** The Flux Operator's API group. */
const OPERATOR_GROUP = 'fluxcd.controlplane.io';

/** The chart that renders one FluxInstance from its values (controlplaneio-fluxcd/charts charts/flux-instance). */
const INSTANCE_CHART = 'flux-instance';

/** The namespace `flux install` and the operator's documentation put Flux in: a FluxInstance written without one lands there. */
const FLUX_NAMESPACE = 'flux-system';

function syncOf(sync: Loose, namespace: string): FluxInstanceSync | undefined {
  const kind = text(sync.kind);
  if (!kind) return undefined;
  const url = text(sync.url);
  const path = text(sync.path);
  return { kind, name: text(sync.name) ?? namespace, namespace, ...(url ? { url } : {}), ...(path ? { path } : {}) };
}

/**
 * Whether a HelmRelease installs the flux-instance chart: spec.chart.spec.chart is its name, or spec.chartRef names a
 * source (an OCIRepository of oci://…/charts/flux-instance, as the operator's documentation writes it) of that name.
 */
function installsInstanceChart(spec: Loose): boolean {
  return text(mapping(mapping(spec.chart).spec).chart) === INSTANCE_CHART || text(mapping(spec.chartRef).name) === INSTANCE_CHART;
}

/**
 * The sync a FluxInstance, or a HelmRelease of the flux-instance chart, makes: for the chart, its inline values'
 * instance.sync, given only with a url (charts/flux-instance templates/instance.yaml: `if .Values.instance.sync.url`),
 * in the release's namespace (spec.targetNamespace, else the HelmRelease's own). `namespace` is where the object lands
 * when it writes none.
 */
export function fluxInstanceSync(m: unknown, namespace?: string): FluxInstanceSync | undefined {
  if (!isMapping(m)) return undefined;
  const own = text(mapping(m.metadata).namespace) ?? namespace;
  const spec = mapping(m.spec);
  if (m.kind === 'FluxInstance' && apiGroupOf(m.apiVersion) === OPERATOR_GROUP) return syncOf(mapping(spec.sync), own ?? FLUX_NAMESPACE);
  if (m.kind !== 'HelmRelease' || apiGroupOf(m.apiVersion) !== 'helm.toolkit.fluxcd.io' || !installsInstanceChart(spec)) return undefined;
  const sync = mapping(mapping(mapping(spec.values).instance).sync);
  const release = text(spec.targetNamespace) ?? own;
  return text(sync.url) && release ? syncOf(sync, release) : undefined;
}

/** The source and the Flux Kustomization the operator makes for a sync, as manifests (internal/builder/templates.go syncTmpl). */
export function fluxInstanceObjects(s: FluxInstanceSync): Loose[] {
  const metadata = { name: s.name, namespace: s.namespace };
  const source: Loose = {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: s.kind,
    metadata,
    spec: s.kind === 'Bucket' ? { endpoint: s.url } : { url: s.url },
  };
  const kustomization: Loose = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata,
    spec: { path: s.path, prune: true, sourceRef: { kind: s.kind, name: s.name } },
  };
  return [source, kustomization];
}
