import { GpuInstanceType } from '../../catalog/instance-type';
import { formatMiB, formatMillis } from '../../private/quantity';
import { GraphObject, INSTANCE_TYPE_LABEL, ObjectGraph, podCount, podRequests, podSpecOf, QUEUE_LABEL } from '../graph';
import { error, Rule, RuleResult, warning } from '../rule';

/** Objects whose pods the scheduler and Kueue place: workloads with a pod template. */
function workloads(graph: ObjectGraph): GraphObject[] {
  return graph.objects.filter((o) => o.manifest.kind !== 'ServingRuntime' && podSpecOf(o.manifest));
}

function requestsOf(graph: ObjectGraph, o: GraphObject) {
  return podRequests(o.manifest, graph.runtimeOf(o.manifest)?.manifest);
}

/** A queue label that names no LocalQueue. */
export const queueNotFound: Rule = {
  id: 'queue-not-found',
  title: 'a kueue.x-k8s.io/queue-name label names a LocalQueue that the tree does not define (pods stay pending), or a LocalQueue names a missing ClusterQueue',
  check({ graph }) {
    const out: RuleResult[] = [];
    for (const o of workloads(graph)) {
      const { name, queue } = graph.localQueueOf(o.manifest);
      if (!name || queue) continue;
      const ns = o.manifest.metadata?.namespace;
      const others = graph.ofKind('LocalQueue').filter((q) => q.manifest.metadata?.namespace === ns).map((q) => q.manifest.metadata.name);
      if (others.length) {
        out.push(error(o, `label ${QUEUE_LABEL} '${name}' names no LocalQueue in '${ns}' (it has ${others.join(', ')}); Kueue never admits the pods ("LocalQueue ${name} doesn't exist"): use one of those names`));
      } else {
        out.push(warning(o, `label ${QUEUE_LABEL} '${name}' names a LocalQueue the tree does not define in '${ns}'; OpenShift AI creates a 'default' LocalQueue in Kueue-managed namespaces, any other name must exist on the cluster`));
      }
    }
    const clusterQueues = graph.ofKind('ClusterQueue');
    for (const q of graph.ofKind('LocalQueue')) {
      const cq = q.manifest.spec?.clusterQueue;
      if (cq && clusterQueues.length && !graph.find('ClusterQueue', cq)) {
        out.push(error(q, `spec.clusterQueue '${cq}' is not a ClusterQueue of the tree (${clusterQueues.map((c) => c.manifest.metadata.name).join(', ')}); the field is immutable, so fix it before the first sync`));
      }
    }
    return out;
  },
};

/** Instance types a workload can land on, with how they were found. */
function placement(graph: ObjectGraph, o: GraphObject): GpuInstanceType[] {
  return graph.instanceTypesOf(o.manifest);
}

/** More GPUs per pod than a node of the instance type has. */
export const gpuCountExceedsNode: Rule = {
  id: 'gpu-count-exceeds-node',
  title: 'a pod requests more GPUs than any node of its instance type has (it can never be scheduled)',
  check({ graph }) {
    const out: RuleResult[] = [];
    for (const o of workloads(graph)) {
      const r = requestsOf(graph, o);
      if (!r.gpus) continue;
      const types = placement(graph, o);
      if (!types.length || types.some((t) => t.gpuCount >= r.gpus)) continue;
      const bigger = GpuInstanceType.all().filter((t) => t.gpu === types[0].gpu && t.gpuCount >= r.gpus).map((t) => t.name);
      out.push(error(o, `one pod requests ${r.gpus} nvidia.com/gpu but ${types.map((t) => `${t.name} has ${t.gpuCount}`).join(', ')}; `
        + `place it on ${bigger.length ? bigger.join(' or ') : 'an instance type with more GPUs'} or lower the tensor-parallel size`));
    }
    return out;
  },
};

/** CPU or memory requests above what a node can give. */
export const resourcesExceedNode: Rule = {
  id: 'resources-exceed-node',
  title: "a pod's CPU or memory requests exceed the allocatable capacity of its instance type (after OpenShift's system reservation)",
  check({ graph }) {
    const out: RuleResult[] = [];
    for (const o of workloads(graph)) {
      const types = placement(graph, o);
      if (!types.length) continue;
      const r = requestsOf(graph, o);
      const fits = (t: GpuInstanceType) => r.cpuMillis <= t.allocatable.cpuMillis && r.memoryMiB <= t.allocatable.memoryMiB;
      if (types.some(fits)) continue;
      const t = types[0];
      const a = t.allocatable;
      const over = [r.cpuMillis > a.cpuMillis ? `cpu ${formatMillis(r.cpuMillis)} > ${formatMillis(a.cpuMillis)}` : '', r.memoryMiB > a.memoryMiB ? `memory ${formatMiB(r.memoryMiB)} > ${formatMiB(a.memoryMiB)}` : '']
        .filter(Boolean).join(', ');
      out.push(error(o, `one pod requests more than a ${t.name} node can allocate (${over}; ${t.vcpu} vCPU / ${t.memoryGiB} GiB less system reservation); lower the requests or use a larger instance type. The pod stays Pending`));
    }
    return out;
  },
};

/** Kueue quota below what the queued workloads need at full scale. */
export const quotaInsufficient: Rule = {
  id: 'quota-insufficient',
  title: 'the ClusterQueue behind a LocalQueue does not cover a requested resource, or its nominal quota is below the demand of the workloads queued on it',
  check({ graph }) {
    const out: RuleResult[] = [];
    // demand per (ClusterQueue, flavor), assigning each workload the first flavor that matches its node selector and has quota for what it requests
    const demand = new Map<string, { cq: GraphObject; flavor: string; quota: Record<string, number>; gpus: number; cpu: number; mem: number; who: string[] }>();
    for (const o of workloads(graph)) {
      const { queue } = graph.localQueueOf(o.manifest);
      if (!queue) continue;
      const { clusterQueue, flavors } = graph.flavorsOf(queue);
      if (!clusterQueue) continue;
      const r = requestsOf(graph, o);
      const covered = new Set<string>((clusterQueue.manifest.spec?.resourceGroups ?? []).flatMap((g: any) => g.coveredResources ?? []));
      const uncovered = r.resources.filter((x) => !covered.has(x));
      if (uncovered.length) {
        out.push(error(o, `requests ${uncovered.join(', ')}, which ClusterQueue '${clusterQueue.manifest.metadata.name}' does not cover; Kueue cannot admit it ("resource ${uncovered[0]} unavailable in ClusterQueue"): add it to coveredResources or drop the request`));
        continue;
      }
      const selector = podSpecOf(o.manifest)?.nodeSelector ?? {};
      const need: Record<string, number> = { 'cpu': r.cpuMillis / 1000, 'memory': r.memoryMiB * 2 ** 20, 'nvidia.com/gpu': r.gpus };
      const flavor = flavors.find((f) => {
        const labels = f.object?.manifest.spec?.nodeLabels ?? {};
        const compatible = Object.entries(labels).every(([k, v]) => selector[k] === undefined || selector[k] === v);
        return compatible && Object.entries(need).every(([k, v]) => !v || (f.quota[k] ?? 0) >= v);
      });
      if (!flavor) {
        out.push(error(o, `no flavor of ClusterQueue '${clusterQueue.manifest.metadata.name}' (${flavors.map((f) => f.name).join(', ')}) matches its node selector `
          + `${selector[INSTANCE_TYPE_LABEL] ? `(${INSTANCE_TYPE_LABEL}=${selector[INSTANCE_TYPE_LABEL]}) ` : ''}with enough quota for one pod (${r.gpus} GPU, ${formatMillis(r.cpuMillis)} CPU, ${formatMiB(r.memoryMiB)}); it is never admitted`));
        continue;
      }
      const key = `${clusterQueue.manifest.metadata.name}/${flavor.name}`;
      const d = demand.get(key) ?? { cq: clusterQueue, flavor: flavor.name, quota: flavor.quota, gpus: 0, cpu: 0, mem: 0, who: [] };
      const n = podCount(o.manifest);
      d.gpus += n * r.gpus;
      d.cpu += n * r.cpuMillis;
      d.mem += n * r.memoryMiB;
      d.who.push(graph.id(o));
      demand.set(key, d);
    }
    for (const d of demand.values()) {
      const short: string[] = [];
      if (d.gpus > (d.quota['nvidia.com/gpu'] ?? 0)) short.push(`${d.gpus} GPU > ${d.quota['nvidia.com/gpu'] ?? 0}`);
      if (d.cpu > (d.quota.cpu ?? 0) * 1000) short.push(`${formatMillis(d.cpu)} CPU > ${formatMillis((d.quota.cpu ?? 0) * 1000)}`);
      if (d.mem > (d.quota.memory ?? 0) / 2 ** 20) short.push(`${formatMiB(d.mem)} memory > ${formatMiB((d.quota.memory ?? 0) / 2 ** 20)}`);
      if (short.length) {
        out.push(error(d.cq, `flavor ${d.flavor}: ${d.who.join(', ')} need more than the nominal quota at full scale (${short.join(', ')}); the last ones stay pending ("insufficient unused quota"): raise the quota (and the nodes behind it) or lower the replicas`));
      }
    }
    return out;
  },
};

/** Red Hat build of Kueue only manages namespaces that carry its label; elsewhere queue labels do nothing. */
export const namespaceNotKueueManaged: Rule = {
  id: 'namespace-not-kueue-managed',
  title: 'workloads carry a queue label in a Namespace of the tree that lacks kueue.openshift.io/managed=true (Kueue ignores them, quotas are not enforced)',
  check({ graph }) {
    const out: RuleResult[] = [];
    for (const ns of graph.ofKind('Namespace')) {
      const labels = ns.manifest.metadata?.labels ?? {};
      if (labels['kueue.openshift.io/managed'] === 'true' || labels['kueue-managed'] === 'true') continue;
      const queued = workloads(graph).filter((o) => o.manifest.metadata?.namespace === ns.manifest.metadata?.name && o.manifest.metadata?.labels?.[QUEUE_LABEL]);
      if (queued.length) {
        out.push(warning(ns, `${queued.length} workload(s) here carry ${QUEUE_LABEL} but the Namespace lacks the label kueue.openshift.io/managed: "true"; Red Hat build of Kueue ignores them, so GPU quota is not enforced: add the label`));
      }
    }
    return out;
  },
};

export const SCHEDULING_RULES = [queueNotFound, gpuCountExceedsNode, resourcesExceedNode, quotaInsufficient, namespaceNotKueueManaged];
