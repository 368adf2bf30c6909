import { WorkloadDemand } from '../placement/gpu-demand';

/**
 * A Kueue LocalQueue workloads name in their `kueue.x-k8s.io/queue-name` label: a `KueueQuota` of the app (whose
 * quota the workloads are counted against) or an `ExistingLocalQueue` that the cluster already has.
 */
export interface IWorkloadQueue {
  /** The LocalQueue's name. */
  readonly localQueueName: string;
  /** The LocalQueue's namespace: only workloads of that namespace can use it. */
  readonly namespace: string;
  /** Records a workload admitted through it (a quota of the app checks its capacity at synth). */
  admit(demand: WorkloadDemand): void;
}
