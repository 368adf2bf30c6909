import { eppFlagKind } from '../catalog/epp-releases';
import { GoFlag, goFlags, lastGoFlag } from '../private/go-flags';
import { holdsLabels, Loose, mapping, stringMap, strings, text } from '../manifests/access';
import { chartReleases } from './chart-releases';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { containersOf, podLabelsOf, SERVICE_BACKEND_KINDS } from './pods';

/**
 * The endpoint picker (EPP) of the Gateway API Inference Extension, as the tree runs it: the images that are one
 * (gateway-api-inference-extension's epp, llm-d's inference scheduler, which embeds it, and its OpenShift AI build),
 * the Services in front of them, and the model servers an InferencePool selects.
 */

/**
 * The images of an endpoint picker: registry.k8s.io/gateway-api-inference-extension/epp, ghcr.io/llm-d/llm-d-inference-scheduler
 * (published as llm-d-router-endpoint-picker since the repository became llm-d/llm-d-router), odh-llm-d-inference-scheduler-rhel9.
 */
export const PICKER_IMAGE = /gateway-api-inference-extension\/epp[:@]|inference-scheduler(-rhel\d+)?[:@]|llm-d-router-endpoint-picker[:@]/;

/** The charts whose install makes an endpoint picker (the extension's inferencepool chart, llm-d's charts). */
const PICKER_CHART = /inferencepool|llm-d|epp|inference-scheduler/i;

/** Whether a workload runs an endpoint picker: a container of a picker image. */
function runsPicker(w: GraphObject): boolean {
  return containersOf(w.manifest).some((c) => PICKER_IMAGE.test(text(c.container.image) ?? ''));
}

/** The workloads of the tree that run an endpoint picker, in any namespace. */
export function pickerWorkloads(graph: ObjectGraph): GraphObject[] {
  return graph.once('endpoint-pickers:workloads', () => SERVICE_BACKEND_KINDS.flatMap((k) => graph.ofKind(k)).filter(runsPicker));
}

/** Whether the object sits in the namespace, one without a namespace of its own going wherever it is applied (so anywhere). */
function mayBeIn(graph: ObjectGraph, o: GraphObject, ns: string | undefined): boolean {
  const own = graph.namespaceOf(o.manifest);
  return own === undefined || ns === undefined || own === ns;
}

/** The flags an endpoint picker is told its pool by: --pool-name (v1 releases), -poolName (earlier), with one or two dashes. */
const POOL_FLAGS = ['pool-name', 'poolName'];

/** The pool flag a picker's words give (cmd/epp runner flags, the last given), or undefined where they give none. */
export function poolFlag(words: readonly string[]): GoFlag | undefined {
  return lastGoFlag(goFlags(words, { kind: eppFlagKind }), ...POOL_FLAGS);
}

/** The pool a picker workload serves as its arguments say, or undefined where they do not. */
function servedPool(w: GraphObject): string | undefined {
  for (const c of containersOf(w.manifest)) {
    const pool = poolFlag([...strings(c.container.command), ...strings(c.container.args)]);
    if (pool) return pool.value;
  }
  return undefined;
}

/**
 * The Services of the namespace in front of an endpoint picker of the tree that may serve the pool (their selector
 * picks a picker workload's pods, whose arguments name this pool or none), each with it.
 */
export function pickerServices(graph: ObjectGraph, ns: string | undefined, pool: string): { service: string; workload: GraphObject }[] {
  const pickers = pickerWorkloads(graph).filter((w) => mayBeIn(graph, w, ns) && (servedPool(w) ?? pool) === pool);
  return graph
    .ofKind('Service')
    .filter((s) => s.manifest.apiVersion === 'v1' && mayBeIn(graph, s, ns))
    .flatMap((s) => {
      const selector = stringMap(mapping(s.manifest.spec).selector);
      const workload = Object.keys(selector).length ? pickers.find((w) => holdsLabels(stringMap(podLabelsOf(w.manifest)), selector)) : undefined;
      const service = text(mapping(s.manifest.metadata).name);
      return workload && service ? [{ service, workload }] : [];
    });
}

/** The labels an InferencePool selects its model servers by: v1 selector.matchLabels, v1alpha2 selector itself (a map of labels). */
export function poolSelector(pool: Loose): Record<string, string> {
  const selector = mapping(mapping(pool.spec).selector);
  return selector.matchLabels !== undefined ? stringMap(selector.matchLabels) : stringMap(selector);
}

/** The workloads of the tree whose pods the InferencePool selects: its model servers. */
export function poolModelServers(graph: ObjectGraph, pool: GraphObject): GraphObject[] {
  const selector = poolSelector(pool.manifest);
  if (!Object.keys(selector).length) return [];
  const ns = graph.namespaceOf(pool.manifest);
  return SERVICE_BACKEND_KINDS.flatMap((k) => graph.ofKind(k)).filter(
    (w) => mayBeIn(graph, w, ns) && holdsLabels(stringMap(podLabelsOf(w.manifest)), selector),
  );
}

/**
 * Whether anything of the tree may run an endpoint picker: a workload of a picker image, an LLMInferenceService
 * (KServe makes its scheduler), a Helm chart folder of the input, or the install of a chart that makes one (an Argo CD or Flux release, a script's
 * `helm install|upgrade`).
 */
export function treeMayRunPicker(graph: ObjectGraph): boolean {
  // a Helm chart folder of the input is not rendered: it may hold the picker
  if (pickerWorkloads(graph).length || graph.ofKind('LLMInferenceService').length || graph.charts.length) return true;
  if (chartReleases(graph).some((r) => PICKER_CHART.test(r.chart))) return true;
  return graph.helmCommands.some((h) => h.verb !== 'template' && h.positionals.some((p) => PICKER_CHART.test(p)));
}
