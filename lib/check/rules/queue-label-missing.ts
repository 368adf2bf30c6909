import { Loose, mapping, stringMap, text } from '../../manifests/access';
import { accountGrants, ruleGrants } from '../account-grants';
import { integrationOff } from '../kueue-frameworks';
import { podSpecOf } from '../pods';

import { KueueChoice, kueueName } from '../kueue-version';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';
import { kueueManagedWhere } from './namespace-not-kueue-managed';
import { HARDWARE_PROFILE_ANNOTATION, HARDWARE_PROFILE_NAMESPACE_ANNOTATION, QUEUE_LABEL } from '../../k8s/keys';
import { QUEUE_LABEL_ADMITTED_KINDS, QueueLabelAdmission, queueLabelAdmission } from '../operator-kueue';
import { KUEUE_INTEGRATED_KINDS, unqueued, unqueuedIntent } from '../unqueued-workloads';
import { queueClaim } from '../queue-claims';
import { GraphObject } from '../graph-object';
import { resourceOfKind } from '../resource-groups';

/** The denial, with what to write: the label, or the annotation moved to it. */
function denied(m: Loose, ns: string, admission: QueueLabelAdmission, kueue: KueueChoice, where: string): Problem {
  // the admission checks read the label only; Kueue itself read the annotation form up to 0.14 (jobframework QueueNameForObject)
  const annotated = stringMap(mapping(m.metadata).annotations)[QUEUE_LABEL];
  const reader = kueue.apis.readsQueueAnnotation
    ? `which ${admission.by} does not read (${kueueName(kueue)} would, on the pods, but the ${m.kind} is denied first)`
    : `which neither ${admission.by} nor ${kueueName(kueue)} reads (Kueue 0.15 dropped it)`;
  return {
    ...(admission.recent ? { severity: 'warning' as const } : {}),
    message:
      `no ${QUEUE_LABEL} label, but namespace '${ns}' is Kueue-managed${where ? ` (labelled so by ${where}, a manifest of the same repository outside the checked folder)` : ''}: ${admission.by} denies it ("${admission.denial}"); ` +
      (annotated
        ? `it is set as an annotation ('${annotated}'), ${reader}: move it to metadata.labels`
        : `label it ${QUEUE_LABEL}: default (or your LocalQueue)`) +
      (admission.recent ? '; earlier 2.x operators admit it, unqueued' : ''),
  };
}

/**
 * The hardware profile the object names (opendatahub.io/hardware-profile-name, looked up in the annotated namespace or
 * the object's, else anywhere in the tree): whether the tree holds it and whether it schedules through a Kueue queue.
 */
function profileOf(m: Loose, graph: ObjectGraph): { name: string; inTree: boolean; queue: boolean } | undefined {
  const a = stringMap(mapping(m.metadata).annotations);
  const name = a[HARDWARE_PROFILE_ANNOTATION];
  if (!name) return undefined;
  const ns = a[HARDWARE_PROFILE_NAMESPACE_ANNOTATION] ?? graph.namespaceOf(m);
  const found = graph.find('HardwareProfile', name, ns) ?? graph.ofKind('HardwareProfile').find((p) => mapping(p.manifest.metadata).name === name);
  if (!found) return { name, inTree: false, queue: false };
  return { name, inTree: true, queue: mapping(mapping(found.manifest.spec).scheduling).type === 'Queue' };
}

/**
 * The resources whose create makes a workload Kueue queues (its job integrations): a workload whose ServiceAccount may
 * create one is the queue's client, making the queued jobs at runtime, not a workload meant to wait in the queue.
 */
const QUEUED_RESOURCES: readonly (readonly [string, string])[] = [
  ['batch', 'jobs'],
  ['jobset.x-k8s.io', 'jobsets'],
  ['ray.io', 'rayjobs'],
  ['ray.io', 'rayclusters'],
  ['kubeflow.org', 'pytorchjobs'],
  ['kubeflow.org', 'mpijobs'],
  ['trainer.kubeflow.org', 'trainjobs'],
];

/** Whether a Role or ClusterRole of the tree bound to the workload's ServiceAccount lets it create a kind Kueue queues (QUEUED_RESOURCES). */
function submitsJobs(o: GraphObject, graph: ObjectGraph): boolean {
  const account = text(mapping(podSpecOf(o.manifest)).serviceAccountName) ?? 'default';
  const { roles } = accountGrants(graph, account, graph.namespaceOf(o.manifest));
  return roles.some((r) => r.rules.some((rule) => QUEUED_RESOURCES.some(([group, resource]) => ruleGrants(rule, group, resource, ['create']))));
}

/** The finding on a Kueue-integrated workload that runs outside the LocalQueues of its namespace, none of which anything names. */
function runsUnqueued(o: GraphObject, graph: ObjectGraph, kueue: KueueChoice): Problem[] {
  const found = unqueued(graph, o);
  // a workload that submits the queue's jobs (its account may create them) is the queue's client: queuing it would gate it
  if (!found) return bypassesSetUp(o, graph, kueue);
  if (o.manifest.kind !== 'Job' && submitsJobs(o, graph)) return [];
  // only what the queue's quota is for: a scarce resource its ClusterQueue covers (a CPU-only web UI is not)
  const claim = queueClaim(graph, o, found.queues);
  if (!claim) return [];
  const queues = found.queues.map((q) => `'${q}'`).join(', ');
  // the integration to enable, where the tree's Kueue configuration, or the release's shipped one, leaves it off
  const off = integrationOff(graph, o.manifest, kueue);
  const optIn = off ? `, and enable Kueue's ${off.integration} integration in integrations.frameworks: ${off.by} leaves it off` : '';
  return [
    {
      severity: 'warning',
      message:
        `no ${QUEUE_LABEL} label, while the tree makes LocalQueue ${queues} in namespace '${graph.namespaceOf(o.manifest) ?? ''}' and no workload there names ${found.queues.length > 1 ? 'any of them' : 'it'}, and ${claim}: ` +
        `Kueue manages only workloads that name a LocalQueue (manageJobsWithoutQueueName is false unless its configuration sets it), so this ${String(o.manifest.kind)} is never suspended nor admitted: it runs at once, outside the queue's quota, and the queue stays unused; ` +
        `label it ${QUEUE_LABEL}: ${found.queues[0]}${optIn}`,
    },
  ];
}

/**
 * The finding on an accelerator workload of a namespace with no LocalQueue of the tree, where the tree sets Kueue up
 * for it (unqueuedIntent): a ClusterQueue selecting its namespace that holds the accelerator's quota, or RBAC letting
 * Kueue's controller manage its kind.
 */
function bypassesSetUp(o: GraphObject, graph: ObjectGraph, kueue: KueueChoice): Problem[] {
  const found = unqueuedIntent(graph, o);
  if (!found || (o.manifest.kind !== 'Job' && submitsJobs(o, graph))) return [];
  const { intent } = found;
  const kind = String(o.manifest.kind);
  const ns = graph.namespaceOf(o.manifest);
  const where = ns ? `namespace '${ns}'` : 'its namespace';
  const off = integrationOff(graph, o.manifest, kueue);
  const optIn = off ? `, and enable Kueue's ${off.integration} integration in integrations.frameworks: ${off.by} leaves it off` : '';
  const unmanaged = `Kueue manages only workloads that name a LocalQueue (manageJobsWithoutQueueName is false unless its configuration sets it), so this ${kind} is never suspended nor admitted`;
  if (intent.by === 'cluster-queue') {
    const cq = intent.clusterQueues[0].replace(/^ClusterQueue\//, '');
    return [
      {
        severity: 'warning',
        message:
          `no ${QUEUE_LABEL} label and no LocalQueue of the tree in ${where}, while ${intent.clusterQueues.join(', ')} selects ${where} (namespaceSelector) and holds the quota of ${intent.resource}, which its pods request: ` +
          `${unmanaged}: it takes ${intent.resource} at once, outside that quota, which still counts them free for the workloads it admits; ` +
          `make a LocalQueue in ${where} with clusterQueue: ${cq} and label the ${kind} ${QUEUE_LABEL}: <that LocalQueue>${optIn}`,
      },
    ];
  }
  return [
    {
      severity: 'warning',
      message:
        `no ${QUEUE_LABEL} label, while ${intent.role}, bound to Kueue's controller (kueue-system/kueue-controller-manager), grants it ${resourceOfKind(kind)}, to manage them: ` +
        `${unmanaged}: its pods take ${intent.resource} at once, outside any ClusterQueue's quota; label it ${QUEUE_LABEL}: <a LocalQueue of ${where}>${optIn}`,
    },
  ];
}

export const queueLabelMissing: Rule = {
  id: 'queue-label-missing',
  title:
    'an InferenceService, LLMInferenceService, RayCluster, RayJob, PyTorchJob or Notebook without a kueue.x-k8s.io/queue-name label in a Kueue-managed Namespace of the tree (OpenShift AI up to 3.3 denies it); a Kueue-integrated workload without it beside LocalQueues nothing names, or requesting accelerators a ClusterQueue selecting its namespace holds quota of (Kueue leaves it unqueued)',
  severity: 'error',
  appliesTo: [...new Set([...QUEUE_LABEL_ADMITTED_KINDS, ...KUEUE_INTEGRATED_KINDS])],
  premise:
    'the Namespace is in the tree with kueue.openshift.io/managed: "true" (or the legacy kueue-managed), or, where the tree has no Namespace of that name, a manifest of the same git repository outside the checked folder makes it so labelled (named in the message), no hardware profile of the tree with scheduling.type: Queue injects the label (one the tree does not define is named in the message, the error stays), and the platform checks the kind: ' +
    'OpenShift AI 3.0–3.3 (its operator webhook: PyTorchJob, Notebook, RayJob, RayCluster, InferenceService, LLMInferenceService), ' +
    '2.x (the ValidatingAdmissionPolicy: RayCluster, RayJob, PyTorchJob; Notebook and InferenceService only from opendatahub-operator 2.32: a warning); ' +
    'not OpenShift AI 3.4 (webhook disabled) nor kserve. ' +
    "On any platform, a Kueue-integrated workload (batch Job, JobSet, MPIJob, PyTorchJob and the other Kubeflow jobs, TrainJob, RayJob, RayCluster, LeaderWorkerSet, and Deployment or StatefulSet under the pod integration) without the label or its pods' label, no hook, in a namespace where the tree makes LocalQueues that no object of the namespace names, none of them the default LocalQueue (`default`, or OpenShift AI's default name: LocalQueue defaulting would label it), and no object of the tree setting manageJobsWithoutQueueName true, and no Role or ClusterRole of the tree bound to its ServiceAccount letting it create batch Jobs, JobSets, RayJobs, RayClusters, PyTorchJobs, MPIJobs or TrainJobs (the queue's client, which makes the queued jobs at runtime: queuing it would gate it), and what the queue's quota is for: the workload requests an accelerator (a GPU or any device-plugin resource) that a LocalQueue's ClusterQueue covers (or may cover, where the ClusterQueue is not in the tree), or a resource it covers whose nominal quota the tree's workloads of the namespace together exceed (a CPU-only web UI or download Job beside a training queue is not judged): a warning, since Kueue leaves it unmanaged and it runs outside the quota (for Deployment, StatefulSet and LeaderWorkerSet the advice adds enabling the integration where the tree's Kueue configuration, or, where it gives none, Kueue up to 0.15's shipped one, leaves it off); " +
    "and, with the same exceptions, such a workload (RayService too: Kueue manages it through its RayCluster before 0.17, as a job of its own since) whose pods request an accelerator (a catalogued device plugin's resource: nvidia.com/gpu, amd.com/gpu, google.com/tpu, …) in a namespace where the tree makes no LocalQueue, while a ClusterQueue of the tree selects that namespace for sure (namespaceSelector `{}`; the labels of its Namespace in the tree; with none, a selector asking only kubernetes.io/metadata.name: <namespace>) and covers that resource, or a Role or ClusterRole of the tree bound to Kueue's controller (kueue-controller-manager in kueue-system) names the workload's resource (rayservices, …) in its group: a warning, since the workload takes the accelerators outside the quota Kueue is set up to keep (the ClusterQueue counts them free)",
  example: "a RayCluster with no labels in a Namespace labelled `kueue.openshift.io/managed: 'true'`",
  fix: 'label the object kueue.x-k8s.io/queue-name: <LocalQueue> (OpenShift AI creates default)',
  source:
    'opendatahub-operator internal/webhook/kueue/validating.go performLabelValidation: "Kueue label validation failed: missing required label"; ' +
    'opendatahub-io/kueue config/rhoai/ocp-4.17-addons/validating_admission_policy.yaml; opendatahub-operator #3263 (webhook disabled in 3.4); ' +
    "kubernetes-sigs/kueue pkg/controller/jobframework reconciler.go (a job without a queue name is ignored unless manageJobsWithoutQueueName), config/components/manager/controller_manager_config.yaml (integrations.frameworks; pod, deployment, statefulset and leaderworkerset opt-in), concepts/cluster_queue (a ClusterQueue's quota governs only its coveredResources) and the site docs' integration list (tasks/run: Jobs, JobSets, Kubeflow MPIJob v2beta1, TrainJob, RayJob, RayCluster, LeaderWorkerSet, plain Pods, Deployments, StatefulSets); tasks/run/rayservices.md: the RayService's label is copied onto its RayCluster before 0.17, pkg/controller/jobs/rayservice manages it as ray.io/rayservice since); a ClusterQueue admits only workloads of a LocalQueue pointing at it (concepts/cluster_queue: namespaceSelector; concepts/local_queue)",
  check(o, { graph, kueue, platform }) {
    const admission = queueLabelAdmission(platform, o.manifest.apiVersion, o.manifest.kind);
    const ns = graph.namespaceOf(o.manifest);
    // the Namespace may be made in another folder of the repository (manifests/base/namespace.yaml) that its steps apply
    const where = admission ? kueueManagedWhere(graph, ns) : undefined;
    if (!admission || ns === undefined || where === undefined) return runsUnqueued(o, graph, kueue);
    if (stringMap(mapping(o.manifest.metadata).labels)[QUEUE_LABEL]) return [];
    const profile = profileOf(o.manifest, graph);
    // a HardwareProfile with scheduling.type Queue injects the label (the operator's hardwareprofile webhook) before the check
    if (profile?.queue) return [];
    const problem = denied(o.manifest, ns, admission, kueue, where);
    if (!profile || profile.inTree) return [problem];
    // a profile the tree does not hold: the cluster's may queue, but none the platform creates is known to, so still an error
    return [
      {
        ...problem,
        message: `${problem.message}; unless hardware profile '${profile.name}', which the tree does not define, has scheduling.type: Queue`,
      },
    ];
  },
};
