import { Loose, mapping, mappings, strings, text } from '../manifests/access';
import type { GraphObject } from './graph-object';
import type { ObjectGraph } from './graph';
import { mayBeAccelerator } from './gpu-supply';
import { showAmount } from './kueue-admission';
import { kueuePodSets } from './kueue-pod-sets';
import { podCount, podRequests, WORKLOAD_KINDS } from './pods';
import { HELM_HOOK_ANNOTATION, HOOK_ANNOTATION } from '../k8s/keys';

/**
 * Whether a workload that names no LocalQueue is one a LocalQueue of its namespace is for: Kueue's quota governs the
 * resources its ClusterQueue covers, and is worth joining only where they are scarce. A CPU-only web UI beside a
 * training queue is not the queue's business; a pod asking for GPUs the queue covers is.
 */

/** A resource Kueue's quota counts but that is no capacity a workload competes for: the pod count. */
const NOT_SCARCE = new Set(['pods']);

/** What a workload requests in all, by resource: Kueue's pod sets for the kinds it admits as several, else one pod times its replicas. */
function totalRequests(graph: ObjectGraph, m: Loose): Record<string, number> {
  const out: Record<string, number> = {};
  const add = (amounts: Readonly<Record<string, number>>, times: number) => {
    for (const [r, v] of Object.entries(amounts)) out[r] = (out[r] ?? 0) + v * times;
  };
  const sets = kueuePodSets(m);
  if (sets) for (const s of sets.sets) add(podRequests(s.pod).amounts, s.count * sets.units);
  else add(podRequests(m, graph.runtimeOf(m)?.manifest).amounts, podCount(m));
  return out;
}

/** The ClusterQueue of a LocalQueue of the namespace, with the resources it covers and its nominal quota of each (summed over flavors). */
function clusterQueueOf(graph: ObjectGraph, queue: string, ns: string | undefined): { name?: string; covered?: Map<string, number> } {
  const local = graph.find('LocalQueue', queue, ns);
  const name = text(mapping(local?.manifest.spec).clusterQueue);
  const { clusterQueue, flavors } = graph.flavorsOf(local);
  if (!clusterQueue) return { name };
  const covered = new Map<string, number>();
  for (const g of mappings(mapping(clusterQueue.manifest.spec).resourceGroups)) for (const r of strings(g.coveredResources)) covered.set(r, 0);
  for (const f of flavors) for (const [r, v] of Object.entries(f.quota)) if (covered.has(r)) covered.set(r, (covered.get(r) ?? 0) + v);
  return { name, covered };
}

/** Whether an object is an Argo CD or Helm hook: it runs once and leaves. */
const isHook = (m: Loose) => [HOOK_ANNOTATION, HELM_HOOK_ANNOTATION].some((a) => mapping(mapping(m.metadata).annotations)[a] !== undefined);

/** What the tree's workloads of a namespace request in all of one resource (hooks left out: they run once and leave). */
function namespaceDemand(graph: ObjectGraph, ns: string | undefined, resource: string): number {
  return WORKLOAD_KINDS.flatMap((k) => graph.ofKind(k))
    .filter((o) => graph.namespaceOf(o.manifest) === ns && !isHook(o.manifest))
    .reduce((sum, o) => sum + (totalRequests(graph, o.manifest)[resource] ?? 0), 0);
}

/**
 * Why the workload belongs in one of the LocalQueues (a phrase for the message), or undefined where it does not: it
 * requests an accelerator (a GPU or any device-plugin resource) that a queue's ClusterQueue covers, or that the
 * ClusterQueue, not in the tree, may cover; or a resource the ClusterQueue covers whose nominal quota the tree's
 * workloads of the namespace together exceed.
 */
export function queueClaim(graph: ObjectGraph, o: GraphObject, queues: readonly string[]): string | undefined {
  const ns = graph.namespaceOf(o.manifest);
  const requested = Object.entries(totalRequests(graph, o.manifest)).filter(([r, v]) => v > 0 && !NOT_SCARCE.has(r));
  for (const queue of queues) {
    const cq = clusterQueueOf(graph, queue, ns);
    for (const [resource, amount] of requested) {
      if (!cq.covered) {
        if (mayBeAccelerator(resource))
          return `it requests ${resource}, which ClusterQueue '${cq.name ?? '?'}' of LocalQueue '${queue}' (not in the tree) may govern`;
        continue;
      }
      if (!cq.covered.has(resource)) continue;
      if (mayBeAccelerator(resource)) return `it requests ${resource}, which ClusterQueue '${cq.name ?? '?'}' of LocalQueue '${queue}' covers`;
      const nominal = cq.covered.get(resource) ?? 0;
      const demand = Math.max(namespaceDemand(graph, ns, resource), amount);
      if (demand > nominal)
        return `it requests ${resource}, which ClusterQueue '${cq.name ?? '?'}' of LocalQueue '${queue}' covers with a nominal quota of ${showAmount(resource, nominal)} that the tree's workloads of the namespace exceed (${showAmount(resource, demand)} in all)`;
    }
  }
  return undefined;
}
