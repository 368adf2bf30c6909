import { mapping, stringMap, text } from '../../manifests/access';
import { namespaceLabel, ObjectGraph, WORKLOAD_KINDS } from '../graph';
import { Rule } from '../rule';
import { EXTERNAL_CLUSTER_QUEUE_ANNOTATION, EXTERNAL_LOCAL_QUEUE_ANNOTATION, QUEUE_LABEL } from '../../k8s/keys';
import { KUEUE_MANAGED_LABELS } from './namespace-not-kueue-managed';

/** The LocalQueue the OpenShift AI operator creates in every Kueue-managed namespace if missing. */
const OPERATOR_QUEUE = 'default';

/** Whether the tree's Namespace of that name is labelled Kueue-managed. */
function kueueManaged(graph: ObjectGraph, ns: string | undefined): boolean {
  const namespace = ns === undefined ? undefined : graph.find('Namespace', ns);
  const labels = stringMap(mapping(namespace?.manifest.metadata).labels);
  return KUEUE_MANAGED_LABELS.some((l) => labels[l] === 'true');
}

/**
 * Kinds other than the pod-template ones that Kueue queues by the label on their own metadata: its job integrations
 * (kubernetes-sigs/kueue pkg/controller/jobs: jobset, rayjob, raycluster, leaderworkerset, kubeflow's mpijob,
 * pytorchjob, tfjob, xgboostjob, paddlejob, jaxjob, trainjob, appwrapper).
 */
const QUEUED_JOB_KINDS = [
  'JobSet',
  'RayJob',
  'RayCluster',
  'LeaderWorkerSet',
  'MPIJob',
  'PyTorchJob',
  'TFJob',
  'XGBoostJob',
  'PaddleJob',
  'JAXJob',
  'TrainJob',
  'AppWrapper',
];

export const queueNotFound: Rule = {
  id: 'queue-not-found',
  title: 'a kueue.x-k8s.io/queue-name label names a LocalQueue that the tree does not define (pods stay pending), or a LocalQueue names a missing ClusterQueue',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...QUEUED_JOB_KINDS, 'LocalQueue'],
  premise: `the tree defines LocalQueues in the namespace, or one of that name only in other namespaces (else only a warning: OpenShift AI creates default; on OpenShift AI, 'default' in a Kueue-managed Namespace of the tree always exists) or ClusterQueues; a workload annotated ${EXTERNAL_LOCAL_QUEUE_ANNOTATION} with the queue's name (an ExistingLocalQueue) declares it existing on the cluster`,
  example: '`kueue.x-k8s.io/queue-name: default` where the namespace has only LocalQueue `{name: gpu, namespace: ai}`',
  fix: 'name a LocalQueue of the namespace; point a LocalQueue at a ClusterQueue that exists',
  source: 'Kueue: "LocalQueue <name> doesn\'t exist"; LocalQueue.spec.clusterQueue is immutable',
  check(o, { graph, platform }) {
    if (o.manifest.kind === 'LocalQueue') {
      const cq = text(mapping(o.manifest.spec).clusterQueue);
      const clusterQueues = graph.ofKind('ClusterQueue');
      if (!cq || !clusterQueues.length || graph.find('ClusterQueue', cq)) return [];
      if (stringMap(mapping(o.manifest.metadata).annotations)[EXTERNAL_CLUSTER_QUEUE_ANNOTATION] === 'true') return [];
      return [
        {
          message: `spec.clusterQueue '${cq}' is not a ClusterQueue of the tree (${clusterQueues.map((c) => text(c.manifest.metadata?.name)).join(', ')}); the field is immutable, so fix it before the first sync`,
        },
      ];
    }
    const { name, queue } = graph.localQueueOf(o.manifest);
    if (!name || queue) return [];
    // the app declares the LocalQueue as one the cluster has already (ExistingLocalQueue), as it declares external Secrets
    const declared = (stringMap(mapping(o.manifest.metadata).annotations)[EXTERNAL_LOCAL_QUEUE_ANNOTATION] ?? '').split(',').map((n) => n.trim());
    if (declared.includes(name)) return [];
    const ns = graph.namespaceOf(o.manifest);
    const others = graph
      .ofKind('LocalQueue')
      .filter((q) => ns !== undefined && graph.namespaceOf(q.manifest) === ns)
      .map((q) => text(q.manifest.metadata?.name));
    // OpenShift AI's operator creates LocalQueue default in every Kueue-managed namespace, whatever others it holds
    if (name === OPERATOR_QUEUE && platform !== 'kserve' && kueueManaged(graph, ns)) return [];
    if (others.length) {
      return [
        {
          message: `label ${QUEUE_LABEL} '${name}' names no LocalQueue in ${namespaceLabel(ns)} (it has ${others.join(', ')}); Kueue never admits the pods ("LocalQueue ${name} doesn't exist"): use one of those names`,
        },
      ];
    }
    // the tree defines a LocalQueue of that very name, in another namespace: LocalQueues are namespaced and Kueue looks
    // only in the workload's own (pkg/controller/jobframework: QueueNameForObject, then the LocalQueue key namespace/name).
    // Not for 'default', which OpenShift AI creates in each Kueue-managed namespace.
    const elsewhere =
      ns === undefined || name === 'default'
        ? []
        : graph
            .ofKind('LocalQueue')
            .filter((q) => text(q.manifest.metadata?.name) === name && graph.namespaceOf(q.manifest) !== undefined)
            .map((q) => graph.namespaceOf(q.manifest)!);
    if (elsewhere.length) {
      return [
        {
          message: `label ${QUEUE_LABEL} '${name}' names a LocalQueue the tree defines in ${[...new Set(elsewhere)].map((n) => `'${n}'`).join(', ')}, not in ${namespaceLabel(ns)}; a workload only reaches the LocalQueues of its own namespace, so Kueue never admits it ("LocalQueue ${name} doesn't exist"): define the LocalQueue in ${namespaceLabel(ns)} or move the workload`,
        },
      ];
    }
    return [
      {
        severity: 'warning',
        message: `label ${QUEUE_LABEL} '${name}' names a LocalQueue the tree does not define in ${namespaceLabel(ns)}; OpenShift AI creates a 'default' LocalQueue in Kueue-managed namespaces, any other name must exist on the cluster`,
      },
    ];
  },
};
