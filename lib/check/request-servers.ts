import { holdsLabels, isMapping, Loose, mapping, stringMap } from '../manifests/access';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { podLabelsOf, SERVICE_BACKEND_KINDS, serviceBackends } from './pods';
import { podTemplatesOf } from './pod-templates';
import { servedNamesOf, workloadServedNames } from './served-names';
import { treeNamespaces } from './service-connections';
import { serviceOfHost } from './service-hosts';

/** A model server a request's host reaches, with the names it answers to (none known: not judged). */
export interface RequestServer {
  readonly object: GraphObject;
  readonly names?: readonly string[];
  /** How the host reaches it: `Service ml/vllm selects it`, `the predictor of InferenceService ml/llama`. */
  readonly via: string;
}

/**
 * The names a KServe InferenceService answers to on its OpenAI route where its runtime runs vLLM's server: the
 * runtime's --served-model-name as KServe renders it ({{.Name}} is the service's name), else the model argument.
 */
function serviceNames(graph: ObjectGraph, isvc: GraphObject): readonly string[] | undefined {
  const line = graph.vllmCommand(isvc);
  return line?.args.invoked ? servedNamesOf(line.args) : undefined;
}

/**
 * The workloads whose pods a Service's selector picks: those of its own namespace (one its manifest leaves unset is
 * the namespace it is applied into, not any: a workload pinned to a namespace is not behind it, nor one left unset
 * behind a pinned Service) whose pod labels hold every pair; hook Pods serve none (serviceBackends). An empty selector
 * selects none: the Service has its own endpoints.
 */
export function selectedWorkloads(service: GraphObject, graph: ObjectGraph): GraphObject[] {
  const selector = stringMap(mapping(service.manifest.spec).selector);
  if (!Object.keys(selector).length) return [];
  const ns = graph.namespaceOf(service.manifest);
  return serviceBackends(graph).filter((w) => graph.namespaceOf(w.manifest) === ns && holdsLabels(stringMap(podLabelsOf(w.manifest)), selector));
}

/** The kinds whose pods a Service or an InferencePool selects in practice: SERVICE_BACKEND_KINDS and LeaderWorkerSet's groups of pods. */
const SELECTED_KINDS: readonly string[] = [...SERVICE_BACKEND_KINDS, 'LeaderWorkerSet'];

/** The labels of each pod template of a workload: its own pod's, or each of its several (a LeaderWorkerSet's leader and workers). */
function podLabelSets(m: Loose): Record<string, string>[] {
  const several = podTemplatesOf(m);
  if (several.length) return several.map((t) => stringMap(mapping(mapping(t.template).metadata).labels));
  return [stringMap(podLabelsOf(m))];
}

/**
 * The workloads a label selector selects pods of, in a namespace; a namespace not known here (an object applied with
 * `-n`) matches any, and `unplaced` says one was matched so.
 */
export function workloadsSelected(
  graph: ObjectGraph,
  namespace: string | undefined,
  selector: Record<string, string>,
): { workloads: GraphObject[]; unplaced: boolean } {
  if (!Object.keys(selector).length) return { workloads: [], unplaced: false };
  const workloads = serviceBackends(graph, SELECTED_KINDS).filter((w) => {
    const ns = graph.namespaceOf(w.manifest);
    return (namespace === undefined || ns === undefined || ns === namespace) && podLabelSets(w.manifest).some((labels) => holdsLabels(labels, selector));
  });
  const unplaced = workloads.length > 0 && (namespace === undefined || workloads.some((w) => graph.namespaceOf(w.manifest) === undefined));
  return { workloads, unplaced };
}

/**
 * The labels an InferencePool selects pods by: v1alpha2's spec.selector is a plain label map, v1's a LabelSelector
 * whose matchLabels holds them (gateway-api-inference-extension apix/v1alpha2 and api/v1 inferencepool_types.go).
 */
export function poolSelector(pool: GraphObject): Record<string, string> {
  const selector = mapping(mapping(pool.manifest.spec).selector);
  return isMapping(selector.matchLabels) ? stringMap(selector.matchLabels) : stringMap(selector);
}

/**
 * The model servers of the tree a request's host reaches from a namespace (none given: a script's, any namespace): the
 * workloads a Service of that name selects, or the InferenceService whose host it is (`<isvc>`, `<isvc>-predictor`,
 * KServe's Services of it). A Service that selects nothing of the tree is returned with no names: what answers is
 * not known.
 */
export function serversAtHost(graph: ObjectGraph, host: string, namespace: string | undefined): RequestServer[] {
  const target = serviceOfHost(host, namespace, treeNamespaces(graph));
  if (!target) return [];
  const inNamespace = (o: GraphObject) => target.namespace === undefined || graph.namespaceOf(o.manifest) === target.namespace;
  const services = graph.findAll('Service', target.name).filter(inNamespace);
  const behind = services.flatMap((s): RequestServer[] => {
    const workloads = selectedWorkloads(s, graph);
    const via = `${graph.id(s)} selects it`;
    if (!workloads.length) return [{ object: s, via: `${graph.id(s)}, which selects no workload of the tree` }];
    return workloads.map((w) => ({ object: w, via, ...(workloadServedNames(w.manifest) ? { names: workloadServedNames(w.manifest) } : {}) }));
  });
  // KServe names the Services of a service's predictor <isvc>-predictor (raw deployment; -predictor-default before 0.9)
  const isvcName = target.name.replace(/-predictor(?:-default)?$/, '');
  const isvcs = graph
    .findAll('InferenceService', isvcName)
    .filter(inNamespace)
    .map((o): RequestServer => {
      const names = serviceNames(graph, o);
      return { object: o, via: 'a Service KServe makes for it', ...(names ? { names } : {}) };
    });
  return [...behind, ...isvcs];
}
