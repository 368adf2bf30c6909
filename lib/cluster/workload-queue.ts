import { WorkloadDemand } from '../placement/gpu-demand';
import { EXTERNAL_LOCAL_QUEUE_ANNOTATION, QUEUE_LABEL } from '../k8s/keys';

/**
 * A Kueue LocalQueue workloads name in their `kueue.x-k8s.io/queue-name` label: a `KueueQuota` of the app (whose
 * quota the workloads are counted against) or an `ExistingLocalQueue` that the cluster already has.
 */
export interface IWorkloadQueue {
  /** The LocalQueue's name. */
  readonly localQueueName: string;
  /** The LocalQueue's namespace: only workloads of that namespace can use it. */
  readonly namespace: string;
  /**
   * Whether the LocalQueue exists on the cluster rather than among the app's objects: its workloads say so in an
   * annotation, so that the checks (at synth and `cdk8s-vllm check` on the rendered YAML) expect it missing.
   * @default false
   */
  readonly external?: boolean;
  /** Records a workload admitted through it (a quota of the app checks its capacity at synth). */
  admit(demand: WorkloadDemand): void;
}

/**
 * The labels and annotations of a workload queued on `queue`: the queue label, and for a LocalQueue outside the app
 * the annotation that declares it existing. None without a queue.
 */
export function queueMetadata(queue: IWorkloadQueue | undefined): { labels: Record<string, string>; annotations: Record<string, string> } {
  if (!queue) return { labels: {}, annotations: {} };
  return {
    labels: { [QUEUE_LABEL]: queue.localQueueName },
    annotations: queue.external ? { [EXTERNAL_LOCAL_QUEUE_ANNOTATION]: queue.localQueueName } : {},
  };
}
