import { apiGroupOf } from '../../k8s/api-version';
import { finite, isMapping, Loose, mapping, stringMap, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { PodRequests, podRequests, podSpecOf, WORKLOAD_KINDS } from '../pods';
import { Rule } from '../rule';
import { KAI_QUEUE_GROUP, kaiTemplates, queueOf } from './kai-queue-not-found';

/**
 * The priority from which KAI treats a job as non-preemptible when nothing states its preemptibility
 * (kai-scheduler/KAI-Scheduler pkg/scheduler/constants PriorityBuildNumber; podgroup_info IsPreemptibleJob: priority <
 * 100 is preemptible).
 */
const NON_PREEMPTIBLE_FROM = 100;

/** The label or annotation that states a workload's preemptibility, over its priority (KAI's preemptibility design). */
const PREEMPTIBILITY_KEY = 'kai.scheduler/preemptibility';

/**
 * The resources KAI holds a non-preemptible job to its queue's deserved quota for, with one pod's request in the unit
 * of a Queue's quota (KAI docs, scheduling queues: GPU units, CPU millicores, memory megabytes of 10^6 bytes; the pod
 * resize validator's memoryLimitBytesPerUnit).
 */
const QUOTA_RESOURCES: readonly { name: 'gpu' | 'cpu' | 'memory'; asked: (r: PodRequests) => number; shown: (n: number) => string }[] = [
  { name: 'gpu', asked: (r) => r.gpus, shown: (n) => `${n} GPU(s)` },
  { name: 'cpu', asked: (r) => r.cpuMillis, shown: (n) => `${n}m CPU` },
  { name: 'memory', asked: (r) => (r.memoryMiB * 2 ** 20) / 1e6, shown: (n) => `${Math.round(n)} MB of memory` },
];

/** KAI's unlimited quantity (pkg/common/constants UnlimitedResourceQuantity): a quota of -1 holds back nothing. */
const UNLIMITED = -1;

/**
 * A queue's deserved quota for a resource: a left-out gpu entry is quota 0; a left-out cpu or memory entry is
 * kai-queue-resource-unset's to report (its limit is 0 too), so undefined here, as is an unlimited one.
 */
function quotaOf(queue: Loose, resource: string): number | undefined {
  const resources = mapping(mapping(queue.spec).resources);
  if (resources[resource] === undefined) return resource === 'gpu' ? 0 : undefined;
  const quota = finite(mapping(resources[resource]).quota) ?? 0;
  return quota === UNLIMITED ? undefined : quota;
}

/** The KAI Queue of that name and the queues above it that the tree holds (KAI checks the quota up the parent chain). */
function queueChain(graph: ObjectGraph, name: string): GraphObject[] {
  const out: GraphObject[] = [];
  for (let q = name as string | undefined; q && !out.some((x) => text(mapping(x.manifest.metadata).name) === q);) {
    const queue = graph.find('Queue', q);
    if (!queue || apiGroupOf(queue.manifest.apiVersion) !== KAI_QUEUE_GROUP || !isMapping(mapping(queue.manifest.spec).resources)) break;
    out.push(queue);
    q = text(mapping(queue.manifest.spec).parentQueue);
  }
  return out;
}

/** The first queue of the chain and resource whose deserved quota one pod's request exceeds (isAllocatedNonPreemptibleOverQuota). */
function overQuota(
  chain: readonly GraphObject[],
  requests: PodRequests,
): { queue: string; resource: (typeof QUOTA_RESOURCES)[number]; quota: number; asked: number } | undefined {
  for (const q of chain)
    for (const resource of QUOTA_RESOURCES) {
      const asked = resource.asked(requests);
      const quota = quotaOf(q.manifest, resource.name);
      if (asked > 0 && quota !== undefined && asked > quota) return { queue: text(mapping(q.manifest.metadata).name) ?? '', resource, quota, asked };
    }
  return undefined;
}

export const kaiNonPreemptibleOverQuota: Rule = {
  id: 'kai-non-preemptible-over-quota',
  title:
    "a workload of a KAI queue with a PriorityClass of value 100 or more whose one pod asks for more GPUs, CPU or memory than the queue's deserved quota (a GPU quota of 0): KAI never schedules it (NonPreemptibleOverQuota)",
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise:
    "a workload KAI schedules (schedulerName kai-scheduler) whose pod template names a PriorityClass of the tree with value 100 or more and states no kai.scheduler/preemptibility, in a Queue of the tree (its kai.scheduler/queue label), one of whose pods requests more of a resource than that queue, or a queue above it in the tree (parentQueue), deserves: gpu quota (0 when the gpu entry is left out), cpu quota in millicores, memory quota in megabytes (10^6 bytes); a quota of -1 is unlimited, and a left-out cpu or memory entry is kai-queue-resource-unset's. " +
    "KAI treats the job as non-preemptible, and a non-preemptible job may only use its queue's deserved quota of each resource, never over-quota capacity, so even its first pod is refused with NonPreemptibleOverQuota on every scheduling cycle and its pods stay Pending",
  example: 'a Job labelled `kai.scheduler/queue: spare-cycles` with `priorityClassName: batch-high` (`value: 1000`) where that Queue has gpu `quota: 0`',
  fix: "give the workload a PriorityClass below 100 (preemptible, it may then use idle resources over quota), state it preemptible with the kai.scheduler/preemptibility label, or give the queue a quota of that resource at least one pod's request (or -1)",
  source:
    'kai-scheduler/KAI-Scheduler pkg/scheduler/api/podgroup_info IsPreemptibleJob (priority < PriorityBuildNumber, 100) and pkg/scheduler/plugins/proportion/capacity_policy quota_check.go resultsWithNonPreemptibleOverQuota and isAllocatedNonPreemptibleOverQuota (for gpu, cpu and memory, up the parent queues: deserved quota, skipped at UnlimitedResourceQuantity -1, against allocated non-preemptible plus requested; reason NonPreemptibleOverQuota); KAI docs, priority and preemptibility, and scheduling queues (quota units)',
  check(o, { graph }) {
    const m = o.manifest;
    const templates = kaiTemplates(m);
    if (!templates.length || templates.length > 1) return [];
    const pod = mapping(podSpecOf(m));
    const stated = [stringMap(mapping(m.metadata).labels), stringMap(mapping(m.metadata).annotations), templates[0].labels];
    if (stated.some((s) => s[PREEMPTIBILITY_KEY] !== undefined)) return [];
    const className = text(pod.priorityClassName);
    const pc = className ? graph.find('PriorityClass', className) : undefined;
    const value = finite(pc?.manifest.value);
    if (value === undefined || value < NON_PREEMPTIBLE_FROM) return [];
    const queueName = queueOf(o, templates[0].labels)?.name;
    const over = queueName ? overQuota(queueChain(graph, queueName), podRequests(m)) : undefined;
    if (!over) return [];
    const { resource, quota, asked } = over;
    const where = over.queue === queueName ? `in Queue '${queueName}'` : `in Queue '${queueName}', below Queue '${over.queue}'`;
    return [
      {
        message:
          `its pods request ${resource.shown(asked)} with priorityClassName '${className}' (value ${value}, at least ${NON_PREEMPTIBLE_FROM}: KAI treats the job as non-preemptible) ${where}, whose ${resource.name} quota is ${quota}, less than one pod asks; ` +
          `a non-preemptible job may use only its queue's deserved quota, so KAI refuses it on every cycle (NonPreemptibleOverQuota) and the pods stay Pending: use a PriorityClass below ${NON_PREEMPTIBLE_FROM}, state it preemptible with the ${PREEMPTIBILITY_KEY} label, or give the queue a ${resource.name} quota of at least ${resource.name === 'memory' ? Math.ceil(asked) : asked} (or -1)`,
      },
    ];
  },
};
