import { mapping, text } from '../../manifests/access';
import { AMD_GPU_RESOURCE, GPU_RESOURCE } from '../../k8s/keys';
import { resourceGroupsOf } from '../kueue-tree';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { podRequests, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';

/** The accelerator resources judged: whole GPUs, which a pod requests with CPU beside them. */
const GPU_RESOURCES = [GPU_RESOURCE, AMD_GPU_RESOURCE];

/** The fewest CPUs a GPU of the resource comes with among the tree's workloads queued to the ClusterQueue, and which one. */
function leastCpuPerGpu(graph: ObjectGraph, cq: GraphObject, gpu: string): { ratio: number; by: string; cpu: number; gpus: number } | undefined {
  let least: { ratio: number; by: string; cpu: number; gpus: number } | undefined;
  for (const o of WORKLOAD_KINDS.flatMap((k) => graph.ofKind(k))) {
    const { queue } = graph.localQueueOf(o.manifest);
    if (!queue || graph.flavorsOf(queue).clusterQueue !== cq) continue;
    const { amounts } = podRequests(o.manifest, graph.runtimeOf(o.manifest)?.manifest);
    const gpus = amounts[gpu] ?? 0;
    if (gpus <= 0) continue;
    const cpu = amounts.cpu ?? 0;
    const ratio = cpu / gpus;
    if (!least || ratio < least.ratio) least = { ratio, by: `${String(o.manifest.kind)}/${text(mapping(o.manifest.metadata).name) ?? '?'}`, cpu, gpus };
  }
  return least;
}

const round = (v: number) => Math.round(v * 1000) / 1000;

function unreachableProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  if (!String(o.manifest.apiVersion ?? '').startsWith('kueue.x-k8s.io/')) return [];
  return GPU_RESOURCES.flatMap((gpu) => {
    const least = leastCpuPerGpu(graph, o, gpu);
    // a workload without a CPU request shows no ratio: the GPU quota may be reached
    if (!least || least.ratio <= 0) return [];
    return resourceGroupsOf(graph, o).flatMap((g) =>
      g.flavors.flatMap((f): Problem[] => {
        const gpus = f.resources.get(gpu)?.nominal ?? 0;
        const cpu = f.resources.get('cpu');
        if (gpus <= 0 || !cpu) return [];
        const reach = Math.floor(cpu.nominal / least.ratio + 1e-9);
        if (reach >= gpus) return [];
        return [
          {
            message:
              `flavor '${f.name}': ${gpu} nominalQuota ${gpus} with cpu nominalQuota ${round(cpu.nominal)}, and the tree's workloads on this queue request at least ${round(least.ratio)} CPU per GPU (${least.by}: ${round(least.cpu)} CPU for ${least.gpus} GPU): ` +
              `Kueue admits a workload only where every resource it requests fits the flavor's quota, so the CPU quota admits at most ${reach} of the ${gpus} GPUs and the other ${gpus - reach} are never used by them (unless the queue borrows CPU in its cohort); raise the flavor's cpu quota to ${Math.ceil(gpus * least.ratio)} or lower its ${gpu} quota`,
          },
        ];
      }),
    );
  });
}

export const kueueGpuQuotaUnreachable: Rule = {
  id: 'kueue-gpu-quota-unreachable',
  title: "a ClusterQueue flavor's GPU quota that its CPU quota cannot reach, for the CPU per GPU the tree's workloads on that queue request",
  severity: 'warning',
  appliesTo: ['ClusterQueue'],
  premise:
    "a Kueue ClusterQueue flavor gives a whole-GPU resource (nvidia.com/gpu, amd.com/gpu) and cpu a nominalQuota, and the tree's workloads queued to that ClusterQueue (through their LocalQueue) that request the GPU all request CPU beside it: the fewest CPU per GPU among them, times the GPU quota, exceeds the CPU quota. A warning: workloads outside the tree may request less CPU per GPU, and the queue may borrow CPU in its cohort",
  example: 'a flavor with `nominalQuota: 72` of nvidia.com/gpu and `nominalQuota: 64` of cpu, for a Job whose pod requests 4 CPU per GPU',
  fix: "raise the flavor's cpu quota to the GPU quota times the CPU each GPU comes with, or lower the GPU quota to what the CPU quota reaches",
  source:
    'kubernetes-sigs/kueue pkg/scheduler/flavorassigner/flavorassigner.go (a pod set gets a flavor per resource group only where each requested resource fits: fitsResourceQuota) and the ClusterQueue docs (concepts/cluster_queue: a workload is admitted only when all its resource requests fit)',
  check(o, { graph }) {
    return unreachableProblems(o, graph);
  },
};
