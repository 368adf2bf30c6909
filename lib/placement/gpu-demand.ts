import { GpuInstanceType } from '../catalog/instance-type';

/**
 * What one workload asks of the cluster: how many pods, on which instance type, each requesting what.
 * InferenceServices report it to the MachineSets that host them and to the Kueue quota that admits them,
 * so node counts and quotas follow the services instead of being typed in twice.
 */
export interface WorkloadDemand {
  /** `Kind/namespace/name` of the workload, for messages. */
  readonly workload: string;
  /** Instance type its pods are placed on; undefined for CPU-only workloads. */
  readonly instanceType?: GpuInstanceType;
  /** Pods at full scale (for an InferenceService: maxReplicas). */
  readonly pods: number;
  /** GPUs each pod requests. */
  readonly gpusPerPod: number;
  /** CPU each pod requests, in millicores. */
  readonly cpuMillisPerPod: number;
  /** Memory each pod requests, in MiB. */
  readonly memoryMiBPerPod: number;
  /** What the per-pod figures include beyond the workload's own containers, for messages (e.g. an injected sidecar). */
  readonly includes?: string;
}

/**
 * Nodes of one instance type needed to run the given pods: first-fit decreasing on GPUs, CPU and memory
 * (a pod never spans nodes, so four 1-GPU pods fit one 4-GPU node but a 4-GPU pod never fits two 2-GPU nodes).
 * @throws when a single pod does not fit an empty node
 */
export function nodesNeeded(instanceType: GpuInstanceType, demands: readonly WorkloadDemand[]): number {
  const alloc = instanceType.allocatable;
  const pods: WorkloadDemand[] = [];
  for (const d of demands) {
    if (d.gpusPerPod > alloc.gpus || d.cpuMillisPerPod > alloc.cpuMillis || d.memoryMiBPerPod > alloc.memoryMiB) {
      throw new Error(
        `${d.workload}: one pod requests ${d.gpusPerPod} GPU, ${d.cpuMillisPerPod}m CPU and ${Math.round(d.memoryMiBPerPod)}Mi memory${d.includes ? ` (${d.includes})` : ''}, ` +
          `more than one ${instanceType.name} node can give (${alloc.gpus} GPU, ${alloc.cpuMillis}m CPU, ${alloc.memoryMiB}Mi allocatable); ` +
          'choose a larger instance type or lower the requests',
      );
    }
    if (d.pods > 0) pods.push(d);
  }
  pods.sort((a, b) => b.gpusPerPod - a.gpusPerPod || b.memoryMiBPerPod - a.memoryMiBPerPod || b.cpuMillisPerPod - a.cpuMillisPerPod);
  // nodes kept as runs of identical free capacity: first-fit places a workload's identical pods in bulk, so a
  // million replicas cost as much as one (placing them one by one was quadratic and never ended)
  const runs: { count: number; gpus: number; cpu: number; mem: number }[] = [];
  const fits = (n: { gpus: number; cpu: number; mem: number }, p: WorkloadDemand) =>
    Math.min(
      p.gpusPerPod > 0 ? Math.floor(n.gpus / p.gpusPerPod) : Infinity,
      p.cpuMillisPerPod > 0 ? Math.floor(n.cpu / p.cpuMillisPerPod) : Infinity,
      p.memoryMiBPerPod > 0 ? Math.floor(n.mem / p.memoryMiBPerPod) : Infinity,
    );
  for (const p of pods) {
    let left = p.pods;
    for (let i = 0; i < runs.length && left > 0; i++) {
      const run = runs[i];
      const each = fits(run, p);
      if (each <= 0) continue;
      if (each === Infinity) {
        left = 0;
        break;
      }
      // first-fit fills the run's first node, then the next: `full` nodes take `each` pods, one more takes the rest
      const full = Math.min(run.count, Math.floor(left / each));
      const rest = full < run.count ? left - full * each : 0;
      const split: typeof runs = [];
      if (full > 0) split.push(taken(run, full, each, p));
      if (rest > 0) split.push(taken(run, 1, rest, p));
      const untouched = run.count - full - (rest > 0 ? 1 : 0);
      if (untouched > 0) split.push({ ...run, count: untouched });
      runs.splice(i, 1, ...split);
      i += split.length - 1;
      left -= full * each + rest;
    }
    if (left > 0) {
      const empty = { count: 1, gpus: alloc.gpus, cpu: alloc.cpuMillis, mem: alloc.memoryMiB };
      const each = fits(empty, p);
      const full = Math.floor(left / each);
      const rest = left - full * each;
      if (full > 0) runs.push(taken(empty, full, each, p));
      if (rest > 0) runs.push(taken(empty, 1, rest, p));
    }
  }
  return runs.reduce((n, r) => n + r.count, 0);
}

/** `count` nodes of a run after each took `pods` pods of a workload. */
function taken(run: { gpus: number; cpu: number; mem: number }, count: number, pods: number, p: WorkloadDemand) {
  return { count, gpus: run.gpus - pods * p.gpusPerPod, cpu: run.cpu - pods * p.cpuMillisPerPod, mem: run.mem - pods * p.memoryMiBPerPod };
}
