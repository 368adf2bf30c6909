import { WORKLOAD_PRIORITY_LABEL } from '../k8s/keys';
import { mapping, stringMap, text } from '../manifests/access';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { podSpecOf } from './pods';

/** A workload's priority as Kueue reads it: the class that gives it and its value (undefined where the tree does not define it). */
export interface WorkloadPriority {
  readonly className?: string;
  readonly value?: number;
}

/**
 * The priority Kueue gives a workload (kueue pkg/controller/jobframework/reconciler.go ExtractPriority): the
 * WorkloadPriorityClass its kueue.x-k8s.io/priority-class label names, else the PriorityClass of its pods'
 * priorityClassName, else 0 (pkg/util/priority/priority.go).
 */
export function workloadPriority(graph: ObjectGraph, o: GraphObject): WorkloadPriority {
  const labelled = stringMap(mapping(o.manifest.metadata).labels)[WORKLOAD_PRIORITY_LABEL];
  if (labelled) return { className: labelled, value: valueOf(graph.find('WorkloadPriorityClass', labelled)) };
  const podClass = text(mapping(podSpecOf(o.manifest)).priorityClassName);
  if (podClass) return { className: podClass, value: valueOf(graph.find('PriorityClass', podClass)) };
  return { value: 0 };
}

function valueOf(c: GraphObject | undefined): number | undefined {
  const v = c?.manifest.value;
  return typeof v === 'number' ? v : undefined;
}

/**
 * The preemption a ClusterQueue turns on, as `field policy` phrases; none where every policy is Never, Kueue's default
 * for all three (apis/kueue/v1beta1 clusterqueue_types.go ClusterQueuePreemption; pkg/scheduler/preemption
 * preemption.go picks candidates by withinClusterQueue, reclaimWithinCohort and borrowWithinCohort).
 */
export function preemptionPolicies(cq: GraphObject): string[] {
  const p = mapping(mapping(cq.manifest.spec).preemption);
  const borrow = text(mapping(p.borrowWithinCohort).policy);
  return [
    ['withinClusterQueue', text(p.withinClusterQueue)],
    ['reclaimWithinCohort', text(p.reclaimWithinCohort)],
    ['borrowWithinCohort', borrow],
  ]
    .filter(([, v]) => v && v !== 'Never')
    .map(([k, v]) => `${k} ${v}`);
}

/**
 * Where a shortfall of several workloads is a queue by design: some of the ClusterQueues preempt and the workloads
 * differ in priority, so Kueue admits the higher-priority ones and keeps or evicts the others. The phrase saying so,
 * or undefined.
 */
export function preemptionIntent(graph: ObjectGraph, queues: readonly GraphObject[], workloads: readonly GraphObject[]): string | undefined {
  const preempting = queues.map((q) => [q, preemptionPolicies(q)] as const).filter(([, ps]) => ps.length > 0);
  if (!preempting.length || workloads.length < 2) return undefined;
  const priorities = workloads.map((w) => [w, workloadPriority(graph, w)] as const);
  const distinct = new Set(priorities.map(([, p]) => (p.value !== undefined ? `=${p.value}` : `class:${p.className ?? ''}`)));
  if (distinct.size < 2) return undefined;
  const queueWords = preempting.map(([q, ps]) => `${text(mapping(q.manifest.metadata).name) ?? ''} (${ps.join(', ')})`).join(', ');
  const workloadWords = priorities
    .map(([w, p]) => `${graph.id(w)}: ${p.className ?? 'no priority class'}${p.value !== undefined && p.className ? ` ${p.value}` : ''}`)
    .join(', ');
  return `ClusterQueue ${queueWords} preempt${preempting.length > 1 ? '' : 's'} and the workloads differ in priority (${workloadWords}): Kueue admits the higher-priority ones first and keeps or evicts the others, as this setup intends`;
}
