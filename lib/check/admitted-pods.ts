import { isMapping, Loose, mapping, stringMap, text } from '../manifests/access';
import { POD_TEMPLATE_KINDS } from '../k8s/pod-kinds';
import { clusterRuntimesOfRelease, KSERVE_CLUSTER_RUNTIMES } from '../platform/kserve-runtimes';
import type { ObjectGraph } from './graph';
import type { GraphObject } from './graph-object';
import { knativeMode } from './kserve-mode';
import { kserveInstalls, runtimesRelease } from './kserve-installs';
import type { Platform } from './platform';
import { componentTemplatesOf, MULTI_POD_KINDS, podTemplatesOf } from './pod-templates';
import { podAnnotationsOf, podSpecOf, predictorPodOf } from './pods';
import { predictorModelOf, runtimeSelectionSpecOf, selectionModelOf, supportingRuntimes } from './runtime-selection';
import { storageLocationOf } from './serving-model';

/**
 * The pods an object makes, as admission sees them at pod creation: the template the tree writes, an InferenceService's
 * predictor merged with its runtime, and the containers KServe's pod webhook adds to it.
 */

export interface AdmittedPod {
  /** Where the pod's template is written, for messages: '' for the object's own pod template. */
  readonly where: string;
  /** The pod spec the controller's pods get, before any webhook injects containers. */
  readonly spec: Loose;
  readonly annotations: Readonly<Record<string, string>>;
  /**
   * The pod of a Knative revision, `certain` or `assumed` (the service sets no mode and the cluster's default is taken
   * to be Knative's): Knative's secure-pod-defaults applies to the containers written in it.
   */
  readonly knative?: 'certain' | 'assumed';
  /** Containers KServe's pod webhook adds at pod creation (no revision defaults reach them). */
  readonly injected?: { readonly init: readonly Loose[]; readonly containers: readonly Loose[]; readonly said: string };
  /** For an InferenceService's predictor: the runtime it is merged with, in words. */
  readonly runtime?: string;
}

/** The kinds whose pods are read here. */
export const ADMITTED_KINDS: readonly string[] = [...POD_TEMPLATE_KINDS, ...MULTI_POD_KINDS, 'InferenceService'];

/**
 * The storage-initializer init container KServe's webhook adds for a model URI it downloads (not pvc://, which it
 * mounts, nor oci://): kserve pkg/utils/storage.go CreateInitContainerWithConfig and the `default` ClusterStorageContainer
 * of config/storagecontainers set no securityContext (since KServe 0.14, kserve#3985, it no longer copies kserve-container's).
 */
const STORAGE_INITIALIZER: Loose = { name: 'storage-initializer' };
/**
 * The modelcar containers for an oci:// model (pkg/utils/storage.go CreateModelcarContainer, CreateModelcarInitContainer):
 * only runAsUser, inferenceservice-config storageInitializer.uidModelcar (1010 in config/configmap/inferenceservice.yaml).
 */
const MODELCAR_UID = 1010;

/** What KServe's webhook adds to the predictor pod for its storage URI; undefined when it adds nothing the tree does not show. */
function injectedFor(isvc: Loose, graph: ObjectGraph): AdmittedPod['injected'] {
  const uri = storageLocationOf(isvc);
  if (!uri || uri.startsWith('pvc://') || !/^[a-z][a-z0-9+.-]*:\/\//.test(uri)) return undefined;
  if (uri.startsWith('oci://')) {
    const sc = { runAsUser: MODELCAR_UID };
    return {
      init: [{ name: 'modelcar-init', securityContext: sc }],
      containers: [{ name: 'modelcar', securityContext: sc }],
      said: "the modelcar and modelcar-init containers KServe's webhook adds for the oci:// model (securityContext runAsUser only)",
    };
  }
  // a ClusterStorageContainer of the tree may give the initializer a securityContext of its own
  if (graph.ofKind('ClusterStorageContainer').length) return undefined;
  return {
    init: [STORAGE_INITIALIZER],
    containers: [],
    said: "the storage-initializer init container KServe's webhook adds to download the model (no securityContext)",
  };
}

/** The KServe release the installed runtimes are read from (the data's source, `kserve/kserve tag v0.20.0 (…)`). */
const INSTALLED_RELEASE = /tag (\S+)/.exec(KSERVE_CLUSTER_RUNTIMES.source)?.[1] ?? KSERVE_CLUSTER_RUNTIMES.source;

/** An upstream ClusterServingRuntime as a manifest (its kserve-container's and pod's securityContext), by name. */
function installedRuntime(name: string): Loose | undefined {
  const r = KSERVE_CLUSTER_RUNTIMES.runtimes.find((x) => x.name === name);
  if (!r) return undefined;
  const container = { name: 'kserve-container', ...(r.containerSecurityContext ? { securityContext: r.containerSecurityContext } : {}) };
  return {
    kind: 'ClusterServingRuntime',
    metadata: { name },
    spec: { containers: [container], ...(r.podSecurityContext ? { securityContext: r.podSecurityContext } : {}) },
  };
}

/**
 * The runtime an InferenceService's predictor is merged with: the one it names (the tree's, or on upstream KServe
 * one KServe installs), else the first that auto-selects its model among the tree's runtimes of its namespace and the
 * ClusterServingRuntimes (kserve predictor_model.go GetSupportingRuntimes). Null when it cannot be told; undefined
 * for a predictor of custom containers, which has none.
 */
function runtimeOfService(isvc: Loose, graph: ObjectGraph, platform: Platform): { manifest: Loose; said: string } | null | undefined {
  if (!predictorModelOf(isvc)) return undefined;
  const bound = graph.runtimeOf(isvc);
  const said = (m: Loose, installed: boolean) =>
    `${String(m.kind)} ${text(mapping(m.metadata).name) ?? ''}${installed ? ` (as KServe ${INSTALLED_RELEASE} installs it)` : ''}`;
  if (bound) return { manifest: bound.manifest, said: said(bound.manifest, false) };
  // a tree that installs KServe itself without config/runtimes has only its own ClusterServingRuntimes
  const installs = kserveInstalls(graph.objects, graph.installed);
  const upstream = platform === 'kserve' && !(installs.length && !installs.some((i) => i.runtimes));
  const model = selectionModelOf(isvc, platform === 'kserve');
  const ns = graph.namespaceOf(isvc);
  const namespaced = graph.ofKind('ServingRuntime').filter((r) => graph.namespaceOf(r.manifest) === ns);
  const cluster = graph.ofKind('ClusterServingRuntime');
  const release = clusterRuntimesOfRelease(runtimesRelease(installs));
  const installed = upstream ? release.filter((r) => !cluster.some((c) => text(mapping(c.manifest.metadata).name) === r.name)) : [];
  const pick = model.runtime
    ? model.runtime
    : supportingRuntimes(
        model,
        namespaced.map((r) => runtimeSelectionSpecOf(r.manifest)),
        [...cluster.map((r) => runtimeSelectionSpecOf(r.manifest)), ...installed],
      )[0];
  if (!pick) return null;
  // a named runtime the graph does not bind is either KServe's own or one of several of the tree's (ambiguous)
  const named = (r: GraphObject) => text(mapping(r.manifest.metadata).name) === pick;
  const tree = namespaced.find(named) ?? cluster.find(named);
  if (model.runtime && tree) return null;
  if (tree) return { manifest: tree.manifest, said: said(tree.manifest, false) };
  const known = installed.some((r) => r.name === pick) ? installedRuntime(pick) : undefined;
  return known ? { manifest: known, said: said(known, true) } : null;
}

/** An InferenceService's pods: its predictor (merged with its runtime, with what KServe injects) and its transformer and explainer. */
function servicePods(o: GraphObject, graph: ObjectGraph, platform: Platform): AdmittedPod[] {
  const m = o.manifest;
  const knative = knativeMode(m, platform, graph);
  const annotations = stringMap(mapping(m.metadata).annotations);
  const components = componentTemplatesOf(m).map((t) => ({ where: t.path, spec: mapping(t.template.spec), annotations, ...(knative ? { knative } : {}) }));
  const runtime = runtimeOfService(m, graph, platform);
  if (runtime === null || !isMapping(mapping(m.spec).predictor)) return components;
  const spec = predictorPodOf(m, runtime?.manifest);
  const injected = injectedFor(m, graph);
  return [
    {
      where: 'spec.predictor',
      spec,
      annotations,
      ...(knative ? { knative } : {}),
      ...(injected ? { injected } : {}),
      ...(runtime ? { runtime: runtime.said } : {}),
    },
    ...components,
  ];
}

/** The pods an object makes, each with where it is written; none for an object of another kind. */
export function admittedPods(o: GraphObject, graph: ObjectGraph, platform: Platform): AdmittedPod[] {
  const m = o.manifest;
  if (m.kind === 'InferenceService') return servicePods(o, graph, platform);
  if (MULTI_POD_KINDS.includes(String(m.kind)))
    return podTemplatesOf(m).map((t) => ({
      where: t.path,
      spec: mapping(t.template.spec),
      annotations: stringMap(mapping(mapping(t.template.metadata).annotations)),
    }));
  const spec = podSpecOf(m);
  return spec ? [{ where: '', spec, annotations: stringMap(podAnnotationsOf(m)) }] : [];
}
