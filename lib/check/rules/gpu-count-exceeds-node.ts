import { GpuInstanceType } from '../../catalog/instance-type';
import { WORKLOAD_KINDS } from '../pods';
import { poolLabel, writtenPools } from '../llm-pools';
import { Rule } from '../rule';
import { judgedForGpuFit } from './gpu-memory-fit';
import { GPU_RESOURCE } from '../../k8s/keys';

export const gpuCountExceedsNode: Rule = {
  id: 'gpu-count-exceeds-node',
  title: 'a pod requests more GPUs than any node of its instance type has (it can never be scheduled)',
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise:
    'the pod requests GPUs and its node shape is known (recorded by a construct, node selector, node affinity, a MachineSet of the tree, a Kueue flavor, or the Karpenter NodePools of the tree that take the pod, of the types that hold its requests: their instance-type, or AWS instance-family with instance-size and instance-gpu-name requirements under karpenter.k8s.aws/ or, on EKS Auto Mode, eks.amazonaws.com/, a pod selecting one by karpenter.sh/nodepool); unknown, a note (severity info) says so, once per object (for a vLLM service, gpu-memory-fit says it), counted on one line of the text output (--verbose lists each)',
  example: "`nvidia.com/gpu: '4'` with `node.kubernetes.io/instance-type: g6.4xlarge` (1 GPU)",
  fix: 'place it on an instance type with enough GPUs, or lower the tensor-parallel size',
  source: 'kube-scheduler: "Insufficient nvidia.com/gpu" on every node; the pod stays Pending',
  check(o, ctx) {
    const { graph } = ctx;
    // an LLMInferenceService's pools (decode, prefill) each have their own pods and placement
    const pods =
      o.manifest.kind === 'LLMInferenceService'
        ? writtenPools(o.manifest).map((p) => ({ gpus: p.gpus, manifest: p.podManifest, label: `${poolLabel(p)}: ` }))
        : [{ gpus: graph.gpusOf(o), manifest: o.manifest, label: '' }];
    return pods.flatMap(({ gpus, manifest, label }) => {
      if (!gpus) return [];
      const types = graph.instanceTypesOf(manifest);
      if (!types.length) {
        // a vLLM service is told by gpu-memory-fit, once; other GPU workloads here
        if (judgedForGpuFit(o, ctx)) return [];
        const recorded = graph.recordedNodeShape(manifest);
        return [
          {
            // a limitation of the check, not a defect of the tree: a note, counted on one line in the text output
            severity: 'info' as const,
            limitation: true as const,
            summary: 'node shape unknown: GPU count, CPU and memory not checked against a node (select the nodes by instance type)',
            message:
              `${label}cannot decide whether one pod (${gpus} ${GPU_RESOURCE}) fits a node, nor its CPU and memory: ${recorded && 'error' in recorded ? `${recorded.error}, and ` : ''}` +
              'no node shape is known (no node.kubernetes.io/instance-type node selector or affinity, MachineSet node label, Kueue flavor, Karpenter NodePool of known instance types or node-shape annotation); select the nodes by instance type',
          },
        ];
      }
      if (types.some((t) => t.gpuCount >= gpus)) return [];
      const bigger = GpuInstanceType.all()
        .filter((t) => t.gpu === types[0].gpu && t.gpuCount >= gpus)
        .map((t) => t.name);
      return [
        {
          message:
            `${label}one pod requests ${gpus} ${GPU_RESOURCE} but ${types.map((t) => `${t.name} has ${t.gpuCount}`).join(', ')}; ` +
            `place it on ${bigger.length ? bigger.join(' or ') : 'an instance type with more GPUs'} or lower the tensor-parallel size`,
        },
      ];
    });
  },
};
