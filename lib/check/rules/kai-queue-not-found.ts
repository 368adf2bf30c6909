import { apiGroupOf } from '../../k8s/api-version';
import { Loose, mapping, stringMap, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { podLabelsOf, podSpecOf, WORKLOAD_KINDS } from '../pods';
import { MULTI_POD_KINDS, podTemplatesOf } from '../pod-templates';
import { Problem, Rule } from '../rule';
import { namesOf } from '../reference-targets';
import { listedQueues, missingQueue, SchedulerQueues } from '../scheduler-queues';
import { meantAmong } from '../near-names';
import { repositoryObjectsOf } from '../found-elsewhere';
import { treeCrdVerdict } from '../tree-crd-values';

/** KAI Scheduler's scheduler name and Queue API group (kai-scheduler/KAI-Scheduler pkg/common/constants: DefaultSchedulerName; pkg/apis/scheduling/v2). */
const KAI_SCHEDULER = 'kai-scheduler';
export const KAI_QUEUE_GROUP = 'scheduling.run.ai';

/** The labels KAI's pod-grouper reads a workload's queue from: kai.scheduler/queue (DefaultQueueLabel), runai/queue before it. */
const QUEUE_LABELS = ['kai.scheduler/queue', 'runai/queue'];

/**
 * The queues an install makes: default-parent-queue and default-queue (the queue the pod-grouper gives a workload with
 * no label, plugins/constants DefaultQueueName), and `default` in releases before them (docs/quickstart at those releases).
 */
const INSTALLED_QUEUES = ['default-queue', 'default-parent-queue', 'default'];
const KAI_QUEUES: SchedulerQueues = {
  queueApi: `${KAI_QUEUE_GROUP}/v2`,
  installed: INSTALLED_QUEUES.slice(0, 2),
  alsoInstalled: INSTALLED_QUEUES.slice(2),
  fallback: 'default-queue',
};

/** The pod templates of a workload that KAI schedules, with where each is written and its labels. */
export function kaiTemplates(m: Loose): { where: string; labels: Record<string, string> }[] {
  if (MULTI_POD_KINDS.includes(String(m.kind)))
    return podTemplatesOf(m)
      .filter((t) => text(mapping(t.template.spec).schedulerName) === KAI_SCHEDULER)
      .map((t) => ({ where: t.path, labels: stringMap(mapping(t.template.metadata).labels) }));
  if (text(mapping(podSpecOf(m)).schedulerName) !== KAI_SCHEDULER) return [];
  // a pod of a PodGroup written by hand: its queue is the PodGroup's (the pod-grouper skips it)
  const annotations = stringMap(mapping(m.metadata).annotations);
  if (m.kind === 'Pod' && (annotations['pod-group-name'] || annotations['kai.scheduler/skip-podgrouper'] === 'true')) return [];
  return [{ where: m.kind === 'Pod' ? 'the pod' : 'the pod template', labels: stringMap(podLabelsOf(m)) }];
}

/** The queue KAI puts a template's pods in: the top owner's label first, then the pod's (default_grouper.go CalcPodGroupQueue). */
export function queueOf(o: GraphObject, labels: Record<string, string>): { name: string; label: string } | undefined {
  const own = stringMap(mapping(o.manifest.metadata).labels);
  for (const from of [own, labels])
    for (const label of QUEUE_LABELS) {
      const name = from[label];
      if (name) return { name, label };
    }
  return undefined;
}

/** A PodGroup written by hand names its queue in spec.queue (pkg/apis/scheduling/v2alpha2 PodGroupSpec.Queue). */
function podGroupQueue(o: GraphObject): { name: string; label: string } | undefined {
  const name = text(mapping(o.manifest.spec).queue);
  return name ? { name, label: 'spec.queue' } : undefined;
}

/**
 * A KAI Queue (cluster-scoped) of that name that a manifest of the repository defines outside the checked folder, as
 * `file:line`: the repository's own queues, applied from a sibling folder.
 */
function repositoryQueue(graph: ObjectGraph, name: string): string | undefined {
  const found = repositoryObjectsOf(graph).find((r) => r.kind === 'Queue' && r.name === name && apiGroupOf(r.manifest.apiVersion) === KAI_QUEUE_GROUP);
  return found && `${found.file}:${found.line}`;
}

/** The note for a queue the tree lacks and the repository defines outside it: the pods wait for that file, not for a Queue that is nowhere. */
function queueElsewhere(queue: { name: string; label: string }, file: string): Problem {
  return {
    severity: 'info',
    message: `${queue.label}: Queue '${queue.name}' is not in the tree but defined elsewhere in the repository (${file}, outside the checked folder): until that file is applied the scheduler leaves the pods Pending; apply it before this folder, or include it`,
    summary: 'KAI Queues defined elsewhere in the repository, outside the checked folder',
  };
}

function workloadProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  const defined = namesOf(graph, 'Queue', KAI_QUEUE_GROUP);
  const templates =
    o.manifest.kind === 'PodGroup'
      ? apiGroupOf(o.manifest.apiVersion) === KAI_QUEUE_GROUP && podGroupQueue(o)
        ? [{ where: 'spec.queue', labels: {} }]
        : []
      : kaiTemplates(o.manifest);
  return templates.flatMap((t): Problem[] => {
    const queue = o.manifest.kind === 'PodGroup' ? podGroupQueue(o) : queueOf(o, t.labels);
    if (!queue) {
      // a TrainingRuntime's pods are its TrainJobs': the TrainJob, their top owner, carries the label
      if (o.manifest.kind === 'TrainingRuntime') return [];
      const own = defined.filter((q) => !INSTALLED_QUEUES.includes(q));
      if (!own.length) return [];
      return [
        {
          severity: 'warning',
          message: `${t.where} runs on ${KAI_SCHEDULER} with no kai.scheduler/queue label, so KAI's pod-grouper puts its pods in default-queue, not one of the tree's queues (${listedQueues(own)}): label it kai.scheduler/queue: <queue>`,
        },
      ];
    }
    const pending = `KAI's pod-grouper makes its PodGroup in queue '${queue.name}', and the scheduler leaves the pods Pending while that Queue does not exist`;
    const missing = missingQueue(KAI_QUEUES, queue, defined, pending);
    if (!missing.length) return refusedQueueOf(queue, graph);
    const file = repositoryQueue(graph, queue.name);
    return file ? [queueElsewhere(queue, file)] : missing;
  });
}

/**
 * Why the API server refuses a Queue of the tree by the Queue CRD the tree applies (tree-crd-value-invalid's finding):
 * the first refused field, its value and what the schema allows; undefined where it is accepted or no CRD is in the tree.
 */
function refusedQueue(graph: ObjectGraph, name: string): string | undefined {
  const queue = graph.ofKind('Queue').find((q) => apiGroupOf(q.manifest.apiVersion) === KAI_QUEUE_GROUP && text(mapping(q.manifest.metadata).name) === name);
  const verdict = queue && treeCrdVerdict(queue, graph);
  const refused = verdict?.problems.find((p) => p.rule === undefined);
  return refused && `${refused.field} is ${JSON.stringify(refused.value)} where the ${verdict?.source} schema allows ${refused.allowed}`;
}

/** A workload's queue that the tree defines but the API server refuses: it is never created, so the pods wait for it. */
function refusedQueueOf(queue: { name: string; label: string }, graph: ObjectGraph): Problem[] {
  const why = refusedQueue(graph, queue.name);
  if (!why) return [];
  return [
    {
      message: `${queue.label}: Queue '${queue.name}' is in the tree, but the API server refuses it (${why}), so it is never created and the scheduler leaves the pods Pending; fix Queue '${queue.name}' (tree-crd-value-invalid names the field)`,
    },
  ];
}

/** A parent Queue of the tree that the API server refuses: it is never created, so its children have no place in the hierarchy. */
function refusedParent(parent: string, self: string | undefined, graph: ObjectGraph): Problem[] {
  const why = refusedQueue(graph, parent);
  if (!why) return [];
  return [
    {
      message: `spec.parentQueue '${parent}' is a Queue of the tree that the API server refuses (${why}), so it is never created: KAI cannot place the queue in its hierarchy, and the workloads of queue '${self ?? '?'}' stay Pending; fix Queue '${parent}' (tree-crd-value-invalid names the field)`,
    },
  ];
}

/** A Queue's parentQueue: one the tree does not define, while it defines other queues, leaves the queue out of the hierarchy. */
function queueProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  if (apiGroupOf(o.manifest.apiVersion) !== KAI_QUEUE_GROUP) return [];
  const parent = text(mapping(o.manifest.spec).parentQueue);
  const self = text(mapping(o.manifest.metadata).name);
  const others = namesOf(graph, 'Queue', KAI_QUEUE_GROUP).filter((q) => q !== self);
  if (parent && others.includes(parent)) return refusedParent(parent, self, graph);
  if (!parent || INSTALLED_QUEUES.includes(parent)) return [];
  const file = repositoryQueue(graph, parent);
  if (file) return [queueElsewhere({ name: parent, label: 'spec.parentQueue' }, file)];
  const consequence = `KAI cannot place the queue in its hierarchy, and the workloads of queue '${self ?? '?'}' stay Pending`;
  if (others.length)
    return [
      {
        message: `spec.parentQueue '${parent}' is not a Queue of the tree (it defines ${listedQueues(others)})${meantAmong(parent, [...others, ...INSTALLED_QUEUES])}: ${consequence}; name one of those or add Queue '${parent}'`,
      },
    ];
  return [
    {
      severity: 'warning',
      message: `spec.parentQueue '${parent}' is not in the tree, which defines no other Queue; unless the cluster has it, ${consequence}: add Queue '${parent}'`,
    },
  ];
}

export const kaiQueueNotFound: Rule = {
  id: 'kai-queue-not-found',
  title: "a workload for the KAI Scheduler names a Queue that does not exist, or a Queue's parentQueue does not: its pods stay Pending",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS, 'PodGroup', 'Queue'],
  premise:
    "the workload's pods set schedulerName: kai-scheduler and its label kai.scheduler/queue (or the older runai/queue; the owner's label first, then the pod template's), or a scheduling.run.ai PodGroup's spec.queue, names a Queue the tree does not define while it defines others, or one the API server refuses by the Queue CustomResourceDefinition the tree applies (an error; a tree with no Queue at all: a warning, the cluster may have it); the queues an install makes (default-parent-queue, default-queue; default in older releases) always count; a scheduling.run.ai Queue whose spec.parentQueue is not a Queue of the tree while it defines others, or is a Queue of the tree that the API server refuses by the Queue CustomResourceDefinition the tree applies (a value of the wrong type, tree-crd-value-invalid's: the parent is never created); a KAI pod with no queue label in a tree that defines its own queues is a warning (it lands in default-queue); a pod of a hand-written PodGroup (annotation pod-group-name) takes the PodGroup's queue; a Queue (cluster-scoped) the tree lacks but a manifest of its repository defines outside the checked folder (a sibling folder of queues) is a note naming that file: the pods wait only until it is applied",
  example: 'a Deployment with `schedulerName: kai-scheduler` and `kai.scheduler/queue: research` where the tree defines Queues `team-a` and `departments` only',
  fix: 'name a Queue that exists in the queue label (a leaf queue), or add the Queue (scheduling.run.ai/v2) with a parentQueue that exists',
  source:
    'kai-scheduler/KAI-Scheduler pkg/podgrouper/podgrouper/plugins/defaultgrouper default_grouper.go (CalcPodGroupQueue: top owner label, then pod label, then default-queue) and its tests; pkg/common/constants (DefaultQueueLabel, DefaultSchedulerName); pkg/apis/scheduling/v2 queue_types.go (parentQueue); docs/quickstart (the queues an install makes)',
  check(o, { graph }) {
    return o.manifest.kind === 'Queue' ? queueProblems(o, graph) : workloadProblems(o, graph);
  },
};
