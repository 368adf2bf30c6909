import { isMapping, Loose, mapping, mappings, strings, text } from '../manifests/access';
import { argoValues } from './chart-releases';
import { repositoryObjectsOf } from './found-elsewhere';
import { gpuOperatorSettings } from './gpu-operator-settings';
import { ObjectGraph } from './graph';

/** The OLM package of the GPU Operator (lib/platform/operator-apis.ts). */
const GPU_OPERATOR_PACKAGE = 'gpu-operator-certified';
/** The gpu-operator chart, by name or as the last part of a repository path (nvidia/gpu-operator). */
const GPU_OPERATOR_CHART = /(?:^|\/)gpu-operator$/;
/**
 * The container toolkit's variables that make nvidia the default runtime of containerd (the toolkit image's
 * CONTAINERD_SET_AS_DEFAULT, and NVIDIA_RUNTIME_SET_AS_DEFAULT, which the operator itself writes where CDI is on:
 * NVIDIA/gpu-operator controllers/object_controls.go NvidiaRuntimeSetAsDefaultEnvName, transformToolkitCtrForCDI).
 */
const SET_AS_DEFAULT = ['CONTAINERD_SET_AS_DEFAULT', 'NVIDIA_RUNTIME_SET_AS_DEFAULT'];

/** What the GPU Operator the tree or its repository installs does for a GPU pod without runtimeClassName. */
export type OperatorRuntime =
  /** The pod gets its GPU: nvidia is the default runtime, or CDI injects the devices, or OpenShift's CRI-O hook does. */
  | { readonly kind: 'default' }
  /** Its toolkit is off: the host's runtime configuration decides, which the tree may show otherwise. */
  | { readonly kind: 'host' }
  /** The operator installed leaves runc the default runtime: why, and where it says so. */
  | { readonly kind: 'runtime-class'; readonly why: string };

/** A GPU Operator configuration: a ClusterPolicy's spec or a release's values, where it is written, the chart version, and whether values come from elsewhere too. */
interface Configured {
  readonly settings: Loose;
  readonly root: 'spec' | 'values';
  readonly where: string;
  readonly valuesElsewhere: boolean;
  readonly version?: string;
}

/** The release that made CDI the default and the device plugin ask containerd for CDI devices (values.yaml cdi.enabled: true, no cdi.default). */
const CDI_INJECTS_SINCE = [25, 10];

/** Whether a chart version (v25.10.1, 25.10.0) is at least CDI_INJECTS_SINCE; undefined where it does not read as one. */
function injectsByDefault(version: string | undefined): boolean | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) return undefined;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > CDI_INJECTS_SINCE[0] || (major === CDI_INJECTS_SINCE[0] && minor >= CDI_INJECTS_SINCE[1]);
}

/**
 * What one configuration makes of the default runtime (NVIDIA/gpu-operator api/nvidia/v1 clusterpolicy_types.go
 * CDIConfigSpec.IsEnabled, controllers/object_controls.go TransformToolkit, transformToolkitCtrForCDI and
 * transformDevicePluginCtrForCDI, deployments/gpu-operator/values.yaml): the toolkit turned off leaves the runtime to
 * the host; else the toolkit makes nvidia the default runtime (the toolkit's CONTAINERD_SET_AS_DEFAULT, true by
 * default) unless its env sets that variable (or NVIDIA_RUNTIME_SET_AS_DEFAULT) to false. Then a pod still gets its
 * GPU where CDI is on in the releases since v25.10 (cdi.enabled true by default, no cdi.default): the device plugin
 * asks containerd for CDI devices (cdi-cri), which it injects into any container; before, CDI went through
 * annotations only the nvidia runtime reads (cdi.default beside cdi.enabled). Values read from elsewhere may say
 * anything: taken as the default.
 */
function runtimeOf(c: Configured): OperatorRuntime {
  if (c.valuesElsewhere) return { kind: 'default' };
  const toolkit = mapping(c.settings.toolkit);
  if (toolkit.enabled === false || toolkit.enabled === 'false') return { kind: 'host' };
  const off = mappings(toolkit.env).find((e) => SET_AS_DEFAULT.includes(text(e.name) ?? '') && String(e.value ?? '').toLowerCase() === 'false');
  if (!off) return { kind: 'default' };
  const cdi = mapping(c.settings.cdi);
  const enabled = cdi.enabled === true || cdi.enabled === 'true' ? true : cdi.enabled === false || cdi.enabled === 'false' ? false : undefined;
  const current = cdi.default === undefined ? injectsByDefault(c.version) : false;
  if (enabled !== false && current === true) return { kind: 'default' };
  if (enabled === true && current === undefined && cdi.default === undefined) return { kind: 'default' };
  const set = `${c.where} sets ${c.root}.toolkit.env ${text(off.name)}=false`;
  const cdiSays =
    enabled === false
      ? ' and turns CDI off'
      : enabled === true
        ? ` with CDI through annotations only the nvidia runtime reads (${c.root}.cdi.default)`
        : current === false
          ? ` on a release before v25.10 (CDI off by default)`
          : ' (unless the operator is v25.10 or later, whose CDI, on by default, injects the devices)';
  return {
    kind: 'runtime-class',
    why: `${set}${cdiSays}, so the GPU Operator's toolkit leaves runc the nodes' default runtime and only its RuntimeClass nvidia runs the NVIDIA runtime`,
  };
}

/** The chart's values and whether some come from elsewhere, of a Flux HelmRelease or an Argo CD Application of the gpu-operator chart. */
function releaseOf(m: Loose): { values: Loose; valuesElsewhere: boolean; version?: string } | undefined {
  const spec = mapping(m.spec);
  const chart = mapping(mapping(spec.chart).spec);
  if (m.kind === 'HelmRelease' && GPU_OPERATOR_CHART.test(text(chart.chart) ?? ''))
    return { values: mapping(spec.values), valuesElsewhere: mappings(spec.valuesFrom).length > 0, version: text(chart.version) };
  if (m.kind !== 'Application') return undefined;
  const source = [mapping(spec.source), ...mappings(spec.sources)].find((s) => GPU_OPERATOR_CHART.test(text(s.chart) ?? ''));
  const helm = mapping(source?.helm);
  return source && { values: argoValues(helm), valuesElsewhere: strings(helm.valueFiles).length > 0, version: text(source.targetRevision) };
}

/** The GPU Operator configurations of the repository around the checked folder, outside it: ClusterPolicies and chart releases. */
function repositoryConfigured(graph: ObjectGraph): { configured: Configured[]; subscribed: boolean } {
  const configured: Configured[] = [];
  let subscribed = false;
  for (const o of repositoryObjectsOf(graph)) {
    const where = `${o.kind} '${o.name}' (${o.file}, line ${o.line})`;
    if (o.kind === 'ClusterPolicy' && String(o.manifest.apiVersion ?? '').startsWith('nvidia.com/'))
      configured.push({ settings: mapping(o.manifest.spec), root: 'spec', where, valuesElsewhere: false });
    else if (o.kind === 'Subscription' && text(mapping(o.manifest.spec).name) === GPU_OPERATOR_PACKAGE) subscribed = true;
    else {
      const release = releaseOf(o.manifest);
      if (release) configured.push({ settings: release.values, root: 'values', where, valuesElsewhere: release.valuesElsewhere, version: release.version });
    }
  }
  return { configured, subscribed };
}

/**
 * The GPU Operator the tree installs (a ClusterPolicy, a release of its chart, its OLM Subscription), else the one the
 * repository around the checked folder installs outside it, and what it does for a GPU pod without runtimeClassName;
 * undefined where neither installs it. Several configurations: the default runtime where any gives it.
 */
export function gpuOperatorRuntime(graph: ObjectGraph): OperatorRuntime | undefined {
  return graph.once('gpu-operator-runtime', () => {
    const subscribedInTree = graph
      .ofKind('Subscription')
      .some((s) => String(s.manifest.apiVersion ?? '').startsWith('operators.coreos.com/') && text(mapping(s.manifest.spec).name) === GPU_OPERATOR_PACKAGE);
    // OLM installs the certified operator on OpenShift, where its toolkit is a CRI-O hook applied to every container
    if (subscribedInTree) return { kind: 'default' as const };
    const inTree: Configured[] = gpuOperatorSettings(graph).map((s) => ({
      settings: isMapping(s.settings) ? s.settings : {},
      root: s.root,
      where: graph.id(s.object),
      valuesElsewhere: s.valuesElsewhere,
      version: releaseOf(s.object.manifest)?.version,
    }));
    const repository = inTree.length ? { configured: [], subscribed: false } : repositoryConfigured(graph);
    if (repository.subscribed) return { kind: 'default' as const };
    const runtimes = [...inTree, ...repository.configured].map(runtimeOf);
    if (!runtimes.length) return undefined;
    return runtimes.find((r) => r.kind === 'default') ?? runtimes.find((r) => r.kind === 'runtime-class') ?? runtimes[0];
  });
}
