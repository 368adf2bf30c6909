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
    for (let i = 0; i < d.pods; i++) pods.push(d);
  }
  pods.sort((a, b) => b.gpusPerPod - a.gpusPerPod || b.memoryMiBPerPod - a.memoryMiBPerPod || b.cpuMillisPerPod - a.cpuMillisPerPod);
  const nodes: { gpus: number; cpu: number; mem: number }[] = [];
  for (const p of pods) {
    const node = nodes.find((n) => n.gpus >= p.gpusPerPod && n.cpu >= p.cpuMillisPerPod && n.mem >= p.memoryMiBPerPod);
    const target = node ?? nodes[nodes.push({ gpus: alloc.gpus, cpu: alloc.cpuMillis, mem: alloc.memoryMiB }) - 1];
    target.gpus -= p.gpusPerPod;
    target.cpu -= p.cpuMillisPerPod;
    target.mem -= p.memoryMiBPerPod;
  }
  return nodes.length;
}
