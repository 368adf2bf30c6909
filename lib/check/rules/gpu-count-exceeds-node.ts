import { GpuInstanceType } from '../../catalog/instance-type';
import { GPU_RESOURCE, WORKLOAD_KINDS } from '../graph';
import { Rule } from '../rule';

export const gpuCountExceedsNode: Rule = {
  id: 'gpu-count-exceeds-node',
  title: 'a pod requests more GPUs than any node of its instance type has (it can never be scheduled)',
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise: 'the pod requests GPUs and its instance type is known (node selector, node affinity, a MachineSet of the tree, or a Kueue flavor)',
  example: 'nvidia.com/gpu: 4 with node.kubernetes.io/instance-type: g6.4xlarge (1 GPU)',
  fix: 'place it on an instance type with enough GPUs, or lower the tensor-parallel size',
  source: 'kube-scheduler: "Insufficient nvidia.com/gpu" on every node; the pod stays Pending',
  check(o, { graph }) {
    const gpus = graph.gpusOf(o);
    if (!gpus) return [];
    const types = graph.instanceTypesOf(o.manifest);
    if (!types.length || types.some((t) => t.gpuCount >= gpus)) return [];
    const bigger = GpuInstanceType.all()
      .filter((t) => t.gpu === types[0].gpu && t.gpuCount >= gpus)
      .map((t) => t.name);
    return [
      {
        message:
          `one pod requests ${gpus} ${GPU_RESOURCE} but ${types.map((t) => `${t.name} has ${t.gpuCount}`).join(', ')}; ` +
          `place it on ${bigger.length ? bigger.join(' or ') : 'an instance type with more GPUs'} or lower the tensor-parallel size`,
      },
    ];
  },
};
