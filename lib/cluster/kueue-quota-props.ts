import * as kplus from 'cdk8s-plus-33';
import { Size } from 'cdk8s';
import { GpuInstanceType } from '../catalog/instance-type';
import { IGpuPlacement } from '../placement/gpu-placement';

/** Some of a GPU pool's nodes, held by one quota as its nominal quota. */
export interface PlacementShare {
  /** The pool (`GpuMachineSetScale`, `ExistingGpuNodes`, `PlannedPlacement`). */
  readonly placement: IGpuPlacement;
  /** Nodes of the pool this quota holds. */
  readonly nodes: number;
}

/**
 * Properties of a `KueueQuota`.
 */
export interface KueueQuotaProps {
  /**
   * Where the GPUs are whose capacity the quota hands out (`GpuMachineSetScale`, `ExistingGpuNodes`): one
   * ResourceFlavor per instance type, labelled with the placement's node selector.
   * @default - `machineSets`
   */
  readonly placements?: IGpuPlacement[];
  /**
   * Parts of GPU pools the quota holds, when several teams' quotas share one pool: each quota holds some of the pool's
   * nodes as nominal quota, and ClusterQueues of one cohort lend each other what they leave unused. Synth fails when
   * the quotas of an app hand out more nodes of a pool than it has.
   * @default - none
   */
  readonly shares?: PlacementShare[];
  /**
   * The GPU MachineSets whose capacity the quota hands out (the same as `placements`).
   * @deprecated use `placements`
   * @default - none
   */
  readonly machineSets?: IGpuPlacement[];
  /**
   * Name of the ClusterQueue.
   * @default 'gpu-cluster-queue'
   */
  readonly clusterQueueName?: string;
  /**
   * Name of the LocalQueue that workloads name in their `kueue.x-k8s.io/queue-name` label. OpenShift AI's
   * hardware profiles with `scheduling.type: Queue` point at `default`. In a namespace labelled
   * `kueue.openshift.io/managed`, the OpenShift AI operator creates `default` → ClusterQueue `default` when it is
   * missing, and a LocalQueue's ClusterQueue cannot change: pointing at a ClusterQueue of your own, give it another name.
   * @default 'default'
   */
  readonly localQueueName?: string;
  /**
   * Namespace of the LocalQueue, and the only namespace the ClusterQueue admits workloads from.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * CPU quota for CPU-only jobs (model upload and registration) in a flavor without GPUs, so they are
   * admitted without ever taking GPU quota.
   * @default Cpu.units(8)
   */
  readonly batchCpu?: kplus.Cpu;
  /**
   * Memory quota for CPU-only jobs.
   * @default Size.gibibytes(32)
   */
  readonly batchMemory?: Size;
  /**
   * Argo CD sync wave of the ResourceFlavors and ClusterQueue; the LocalQueue follows one wave later.
   * @default 4
   */
  readonly syncWave?: number;
  /**
   * Prefix of the ResourceFlavor names. ResourceFlavors are cluster-scoped: give each team's quota its own prefix
   * when several quotas in one cluster describe different nodes under one name.
   * @default - none: `cpu-batch`, `nvidia-<gpu>-<n>gpu`
   */
  readonly flavorPrefix?: string;
  /**
   * Kueue cohort of the ClusterQueue: ClusterQueues of one cohort lend each other unused nominal quota.
   * @default - no cohort
   */
  readonly cohort?: string;
  /**
   * GPUs each GPU flavor may borrow from the cohort beyond its nominal quota (Kueue `borrowingLimit`); needs `cohort`.
   * @default - no limit (when in a cohort)
   */
  readonly gpuBorrowingLimit?: number;
  /**
   * When the ClusterQueue's pending workloads may evict others (Kueue `spec.preemption`).
   * @default - reclaimWithinCohort 'Any', withinClusterQueue 'LowerPriority', borrowWithinCohort 'Never'
   */
  readonly preemption?: QueuePreemption;
}

/**
 * Kueue's preemption policy of a ClusterQueue (https://kueue.sigs.k8s.io/docs/concepts/preemption/).
 *
 * Inference pods never finish: a quota that lends idle GPUs to its cohort gets them back only by preempting the
 * borrower. With Kueue's own default, `reclaimWithinCohort: Never`, a team whose GPUs another team borrowed waits
 * until that team scales down, which for a long-running service is never. The default here is `Any`: a workload
 * that fits its queue's nominal quota evicts borrowers in the cohort, whatever their priority. The price is paid by
 * the borrower: its replicas on borrowed GPUs are evicted (and requeued) when the lender needs them, so serve from
 * borrowed quota only what can stop, or set `gpuBorrowingLimit: 0` for services that must not.
 */
export interface QueuePreemption {
  /**
   * Whether a pending workload that fits the queue's nominal quota may evict workloads of the cohort that borrow it.
   * @default 'Any'
   */
  readonly reclaimWithinCohort?: 'Never' | 'LowerPriority' | 'Any';
  /**
   * Whether a workload that needs to borrow may evict lower-priority workloads of other queues of the cohort.
   * @default 'Never'
   */
  readonly borrowWithinCohort?: 'Never' | 'LowerPriority';
  /**
   * With `borrowWithinCohort: 'LowerPriority'`: only workloads at or below this priority are evicted.
   * @default - no threshold
   */
  readonly borrowWithinCohortMaxPriorityThreshold?: number;
  /**
   * Whether a pending workload may evict workloads of its own queue.
   * @default 'LowerPriority'
   */
  readonly withinClusterQueue?: 'Never' | 'LowerPriority' | 'LowerOrNewerEqualPriority';
}

/** Nominal quota of one flavor. */
export interface FlavorQuota {
  /** ResourceFlavor name. */
  readonly flavor: string;
  /** Instance type the flavor pins, if any. */
  readonly instanceType?: GpuInstanceType;
  /** GPUs. */
  readonly gpus: number;
  /** CPU in millicores. */
  readonly cpuMillis: number;
  /** Memory in MiB. */
  readonly memoryMiB: number;
}
