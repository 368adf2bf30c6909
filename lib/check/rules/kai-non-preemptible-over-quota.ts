import { apiGroupOf } from '../../k8s/api-version';
import { finite, isMapping, mapping, stringMap, text } from '../../manifests/access';
import { podRequests, podSpecOf, WORKLOAD_KINDS } from '../pods';
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

export const kaiNonPreemptibleOverQuota: Rule = {
  id: 'kai-non-preemptible-over-quota',
  title: 'a GPU workload of a KAI queue whose GPU quota is 0, with a PriorityClass of value 100 or more: KAI never schedules it (NonPreemptibleOverQuota)',
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise:
    'a workload KAI schedules (schedulerName kai-scheduler) that requests GPUs, whose pod template names a PriorityClass of the tree with value 100 or more and states no kai.scheduler/preemptibility, in a Queue of the tree (its kai.scheduler/queue label) whose gpu quota is 0 (written 0, or no gpu entry): ' +
    "KAI treats it as non-preemptible, and a non-preemptible job may only use its queue's deserved quota, never over-quota capacity, so it is refused with NonPreemptibleOverQuota on every scheduling cycle and its pods stay Pending",
  example: 'a Job labelled `kai.scheduler/queue: spare-cycles` with `priorityClassName: batch-high` (`value: 1000`) where that Queue has gpu `quota: 0`',
  fix: 'give the workload a PriorityClass below 100 (preemptible, it may then use idle GPUs over quota), state it preemptible with the kai.scheduler/preemptibility label, or give the queue a GPU quota',
  source:
    'kai-scheduler/KAI-Scheduler pkg/scheduler/api/podgroup_info IsPreemptibleJob (priority < PriorityBuildNumber, 100) and pkg/scheduler/plugins/proportion/capacity_policy resultsWithNonPreemptibleOverQuota (deserved quota against allocated non-preemptible plus requested; reason NonPreemptibleOverQuota); KAI docs, priority and preemptibility',
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
    const gpus = podRequests(m).gpus;
    if (value === undefined || value < NON_PREEMPTIBLE_FROM || !gpus) return [];
    const queueName = queueOf(o, templates[0].labels)?.name;
    const queue = queueName ? graph.find('Queue', queueName) : undefined;
    if (!queue || apiGroupOf(queue.manifest.apiVersion) !== KAI_QUEUE_GROUP) return [];
    const resources = mapping(queue.manifest.spec).resources;
    if (!isMapping(resources)) return [];
    const quota = resources.gpu === undefined ? 0 : (finite(mapping(resources.gpu).quota) ?? 0);
    if (quota !== 0) return [];
    return [
      {
        message:
          `its pods request ${gpus} GPU(s) with priorityClassName '${className}' (value ${value}, at least ${NON_PREEMPTIBLE_FROM}: KAI treats the job as non-preemptible) in Queue '${queueName}', whose gpu quota is 0; ` +
          `a non-preemptible job may use only its queue's deserved quota, so KAI refuses it on every cycle (NonPreemptibleOverQuota) and the pods stay Pending: use a PriorityClass below ${NON_PREEMPTIBLE_FROM}, state it preemptible with the ${PREEMPTIBILITY_KEY} label, or give the queue a GPU quota`,
      },
    ];
  },
};
