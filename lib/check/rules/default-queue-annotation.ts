import { mapping, stringMap, text } from '../../manifests/access';
import { operatorKueueOf } from '../operator-kueue';
import { Rule } from '../rule';

/**
 * The annotation some clients write on the LocalQueue they mean as their namespace's default. Kueue reads no such
 * annotation: the CodeFlare SDK and CodeFlare operator look for it, to fill the queue-name label of the RayClusters
 * they make (project-codeflare/codeflare-sdk, codeflare-operator#598).
 */
const DEFAULT_QUEUE_ANNOTATION = 'kueue.x-k8s.io/default-queue';

/** Kueue's default LocalQueue (pkg/controller/constants DefaultLocalQueueName), for workloads without a queue-name label. */
const KUEUE_DEFAULT_LOCAL_QUEUE = 'default';

export const defaultQueueAnnotation: Rule = {
  id: 'default-queue-annotation',
  title:
    'a LocalQueue annotated kueue.x-k8s.io/default-queue: "true" is not the default Kueue gives unlabelled workloads: Kueue reads no such annotation, it takes the LocalQueue named \'default\'',
  severity: 'warning',
  appliesTo: ['LocalQueue'],
  premise:
    "the LocalQueue's annotation kueue.x-k8s.io/default-queue is \"true\" and its name is neither 'default' (Kueue's LocalQueue defaulting) nor the tree's DataScienceCluster kueue.defaultLocalQueueName (the LocalQueue OpenShift AI creates and its dashboard uses); " +
    'only the CodeFlare SDK and operator read the annotation (for the RayClusters they create), so workloads without a queue-name label are not sent to this queue',
  example: 'LocalQueue `name: local-queue-default` annotated `kueue.x-k8s.io/default-queue: "true"`',
  fix: "name the LocalQueue 'default' (or the DataScienceCluster's defaultLocalQueueName), or label every workload with kueue.x-k8s.io/queue-name",
  source:
    'kubernetes-sigs/kueue pkg/controller/constants (DefaultLocalQueueName = "default") and pkg/controller/jobframework ApplyDefaultLocalQueue (feature gate LocalQueueDefaulting: a job without the queue-name label gets `default` when that LocalQueue exists; no annotation is read); kueue.sigs.k8s.io docs "LocalQueue defaulting"; project-codeflare/codeflare-operator#598 (the RayCluster webhook reads the annotation)',
  check(o, { graph }) {
    const annotations = stringMap(mapping(o.manifest.metadata).annotations);
    if ((annotations[DEFAULT_QUEUE_ANNOTATION] ?? '').toLowerCase() !== 'true') return [];
    const name = text(mapping(o.manifest.metadata).name);
    const operator = operatorKueueOf(graph);
    const [operatorDefault] = operator.names.LocalQueue;
    if (!name || name === KUEUE_DEFAULT_LOCAL_QUEUE || name === operatorDefault) return [];
    const dsc =
      operatorDefault !== KUEUE_DEFAULT_LOCAL_QUEUE
        ? ` (the DataScienceCluster's${operator.file ? ` in ${operator.file}` : ''} defaultLocalQueueName '${operatorDefault}' is the one OpenShift AI creates)`
        : '';
    return [
      {
        message:
          `is annotated ${DEFAULT_QUEUE_ANNOTATION}: "true", which Kueue does not read: its LocalQueue defaulting gives a workload without the kueue.x-k8s.io/queue-name label ` +
          `the LocalQueue named '${KUEUE_DEFAULT_LOCAL_QUEUE}' of its namespace${dsc}, and only the CodeFlare SDK and operator read the annotation (for the RayClusters they create): ` +
          `name this LocalQueue '${operatorDefault}', or label the workloads kueue.x-k8s.io/queue-name: ${name}`,
      },
    ];
  },
};
