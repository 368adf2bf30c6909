import { apiGroupOf } from '../../k8s/api-version';
import { mapping, stringMap, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { podAnnotationsOf, podSpecOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { namesOf } from '../reference-targets';
import { missingQueue, NamedQueue, SchedulerQueues } from '../scheduler-queues';
import { isVolcanoJob } from '../volcano-jobs';

/** Volcano's Queue and PodGroup API group (volcano-sh/volcano staging/src/volcano.sh/apis/pkg/apis/scheduling/v1beta1). */
const VOLCANO_SCHEDULING_GROUP = 'scheduling.volcano.sh';

/** Volcano's scheduler name unless --scheduler-name says otherwise (cmd/scheduler/app/options/options.go defaultSchedulerName). */
const VOLCANO_SCHEDULER = 'volcano';

/** The pod annotation the PodGroup controller reads a pod's queue from (scheduling/v1beta1 labels.go QueueNameAnnotationKey). */
const QUEUE_ANNOTATION = 'scheduling.volcano.sh/queue-name';

/** The pod annotation naming a PodGroup written by hand: the controller makes none for the pod (KubeGroupNameAnnotationKey). */
const GROUP_ANNOTATION = 'scheduling.k8s.io/group-name';

/** The queues the scheduler creates at start, root and default (pkg/scheduler/cache/cache.go newDefaultAndRootQueue). */
const VOLCANO_QUEUES: SchedulerQueues = { queueApi: `${VOLCANO_SCHEDULING_GROUP}/v1beta1`, installed: ['default', 'root'], fallback: 'default' };

/** The queue an object names, and what Volcano does when it does not exist. */
function queueOf(o: GraphObject): { queue: NamedQueue; consequence: string } | undefined {
  const m = o.manifest;
  const spec = mapping(m.spec);
  if (isVolcanoJob(m)) {
    // an empty queue becomes `default` (pkg/webhooks/admission/jobs/mutate patchDefaultQueue)
    const name = text(spec.queue);
    const consequence = `Volcano's job admission webhook refuses the Job ("unable to find job queue")`;
    return name ? { queue: { name, label: 'spec.queue' }, consequence } : undefined;
  }
  if (m.kind === 'PodGroup') {
    if (apiGroupOf(m.apiVersion) !== VOLCANO_SCHEDULING_GROUP) return undefined;
    const name = text(spec.queue);
    const consequence = `Volcano refuses the PodGroup ("unable to find queue"), so its pods are never scheduled`;
    return name ? { queue: { name, label: 'spec.queue' }, consequence } : undefined;
  }
  if (text(mapping(podSpecOf(m)).schedulerName) !== VOLCANO_SCHEDULER) return undefined;
  const annotations = stringMap(podAnnotationsOf(m));
  const name = annotations[QUEUE_ANNOTATION];
  // a pod of a PodGroup written by hand takes that PodGroup's queue (pkg/controllers/podgroup processNextReq)
  if (!name || annotations[GROUP_ANNOTATION]) return undefined;
  const consequence = `Volcano's PodGroup controller gives the pod's PodGroup that queue, and admission refuses it (before Volcano 1.12 the pod itself), so the pod is never scheduled`;
  return { queue: { name, label: `annotation ${QUEUE_ANNOTATION}` }, consequence };
}

function problems(o: GraphObject, graph: ObjectGraph): Problem[] {
  const named = queueOf(o);
  if (!named) return [];
  return missingQueue(VOLCANO_QUEUES, named.queue, namesOf(graph, 'Queue', VOLCANO_SCHEDULING_GROUP), named.consequence);
}

export const volcanoQueueNotFound: Rule = {
  id: 'volcano-queue-not-found',
  title: 'a Volcano Job, PodGroup or pod names a Volcano Queue that does not exist: Volcano refuses it',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, 'PodGroup'],
  premise: `a Volcano Job's spec.queue (batch.volcano.sh), a Volcano PodGroup's spec.queue (${VOLCANO_SCHEDULING_GROUP}), or the pod annotation ${QUEUE_ANNOTATION} of pods with schedulerName: ${VOLCANO_SCHEDULER} (not in a PodGroup written by hand, annotation ${GROUP_ANNOTATION}) names a Queue the tree does not define while it defines other Volcano Queues (an error; a tree with no Volcano Queue: a warning, the cluster may have it); default and root, which the scheduler creates, always exist`,
  example: 'a Volcano Job with `queue: team-ml` in its spec where the tree defines Volcano Queues `research` and `prod` only',
  fix: 'name a Queue that exists (default, or one of the tree), or add the Queue (scheduling.volcano.sh/v1beta1)',
  source:
    'volcano-sh/volcano pkg/webhooks/admission/jobs/validate/admit_job.go ("unable to find job queue"), jobs/mutate patchDefaultQueue; podgroups/validate checkQueueState; pods/validate (before 1.12); pkg/controllers/podgroup (QueueNameAnnotationKey on the pod); pkg/scheduler/cache/cache.go (root and default created)',
  check(o, { graph }) {
    return problems(o, graph);
  },
};
