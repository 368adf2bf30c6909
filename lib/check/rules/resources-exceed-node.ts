import { GpuInstanceType } from '../../catalog/instance-type';
import { formatMiB, formatMillis } from '../../private/quantity';
import { podRequests, WORKLOAD_KINDS } from '../pods';
import { placedPods } from '../llm-pools';
import { Problem, Rule } from '../rule';

export const resourcesExceedNode: Rule = {
  id: 'resources-exceed-node',
  title: "a pod's CPU or memory requests exceed the allocatable capacity of its instance type (after OpenShift's system reservation)",
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise:
    'the instance type is known (node selector, node affinity, a MachineSet of the tree, an eksctl ClusterConfig node group whose labels the pod selects and whose taints it tolerates, a Kueue flavor, or the Karpenter NodePools of the tree that take the pod, each naming catalog instance types)',
  example: '`memory: 190Gi` on `g6.12xlarge` (192 GiB less the system reservation)',
  fix: 'lower the requests, or use a larger instance type',
  source: 'kube-scheduler compares requests with node allocatable (capacity less system-reserved: OpenShift autoSizingReserved)',
  check(o, { graph }) {
    const runtime = graph.runtimeOf(o.manifest)?.manifest;
    return placedPods(o.manifest).flatMap(({ manifest, label }): Problem[] => {
      const types = graph.instanceTypesOf(manifest);
      if (!types.length) return [];
      const r = podRequests(manifest, runtime);
      const fits = (t: GpuInstanceType) => r.cpuMillis <= t.allocatable.cpuMillis && r.memoryMiB <= t.allocatable.memoryMiB;
      if (types.some(fits)) return [];
      const t = types[0];
      const a = t.allocatable;
      const over = [
        r.cpuMillis > a.cpuMillis ? `cpu ${formatMillis(r.cpuMillis)} > ${formatMillis(a.cpuMillis)}` : '',
        r.memoryMiB > a.memoryMiB ? `memory ${formatMiB(r.memoryMiB)} > ${formatMiB(a.memoryMiB)}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      return [
        {
          message: `${label}one pod requests more than a ${t.name} node can allocate (${over}; ${t.vcpu} vCPU / ${t.memoryGiB} GiB less system reservation); lower the requests or use a larger instance type. The pod stays Pending`,
        },
      ];
    });
  },
};
