import { GpuInstanceType } from '../../catalog/instance-type';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { Loose, text } from '../../manifests/access';
import { commandLineOf, vllmServerEntrypoint } from '../command-line';
import { vllmInvocation } from '../vllm-args';
import { poolLabel, writtenPools } from '../llm-pools';
import { Problem, Rule } from '../rule';
import { judgedForGpuFit } from './gpu-memory-fit';
import { GPU_RESOURCE } from '../../k8s/keys';
import { GPU_COUNT_LABELS, GPU_MODEL_LABELS, LabelledGpus } from '../gpu-labels';

/**
 * A pod on nodes a label names the GPU of: the GPUs per node a label states (gke-accelerator-count, gpu.count,
 * instance-gpu-count) decide; without one the count is unknown, and so are the node's CPU and memory (a note, which
 * also names a label value not recognised).
 */
function countOnLabelledNodes(labelled: LabelledGpus, gpus: number, label: string): Problem[] {
  const stated = labelled.gpusPerNode;
  if (stated && gpus > stated.count) {
    const may = labelled.mayNotExist;
    return [
      {
        ...(may ? { severity: 'warning' as const } : {}),
        message: `${label}one pod requests ${gpus} ${GPU_RESOURCE} but the nodes it selects have ${stated.count} (${stated.selected}${may ? `; ${may}` : ''}); select nodes with more GPUs or lower the tensor-parallel size`,
      },
    ];
  }
  const unrecognised = labelled.options.filter((o) => o.unrecognised).map((o) => o.unrecognised!);
  if (stated && !unrecognised.length) return [];
  return [
    {
      severity: 'info',
      limitation: true,
      summary: unrecognised.length
        ? 'GPU label not recognised: GPU fit not checked on it'
        : 'GPUs per node unknown: GPU count, CPU and memory not checked against a node',
      message:
        `${label}${unrecognised.length ? `${unrecognised.join('; ')}, so the model's fit on it is not checked; ` : ''}` +
        (stated
          ? `the node's CPU and memory are not checked (the labels name the GPU, not the instance type)`
          : `whether one pod (${gpus} ${GPU_RESOURCE}) fits a node is not checked, nor its CPU and memory: the labels name the GPU but not how many a node has (select ${GPU_COUNT_LABELS} too, or the instance type)`),
    },
  ];
}

/** The fewest GPUs a GPU instance type of the catalog has (lib/catalog/data/instance-types.json): one. */
function fewestGpusPerNode(): number {
  return Math.min(...GpuInstanceType.all().map((t) => t.gpuCount));
}

/** Whether a container of the pod starts vLLM's server: by its command line, or by its image's entrypoint. */
function servesWithVllm(m: Loose): boolean {
  return containersOf(m).some(
    ({ container }) => vllmInvocation(commandLineOf(container)) !== undefined || vllmServerEntrypoint(text(container.image)) !== undefined,
  );
}

export const gpuCountExceedsNode: Rule = {
  id: 'gpu-count-exceeds-node',
  title: 'a pod requests more GPUs than any node of its instance type has (it can never be scheduled)',
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise:
    'the pod requests GPUs and its node shape is known (recorded by a construct, node selector, node affinity, a MachineSet of the tree, or, where none of the tree carries the labels its node selector names, the MachineSets of its git repository outside the checked folder that carry them, every one of an instance type the catalog knows (named in the message), an eksctl ClusterConfig node group whose labels the pod selects and whose taints it tolerates, a node pool of one machine type that a Terraform configuration of the checked folders or their git repository declares and the node selector pins by name (cloud.google.com/gke-nodepool, eks.amazonaws.com/nodegroup, kubernetes.azure.com/agentpool), a Kueue flavor, or the Karpenter NodePools of the tree that take the pod (where the tree has none, those of its git repository, for a pod with a node selector), of the types that hold its requests: their instance-type, or AWS instance-family with instance-size and instance-gpu-name requirements under karpenter.k8s.aws/ or, on EKS Auto Mode, eks.amazonaws.com/, a pod selecting one by karpenter.sh/nodepool), or the GPUs per node a label states where a label names the GPU (cloud.google.com/gke-accelerator-count, nvidia.com/gpu.count, karpenter.k8s.aws/instance-gpu-count), or those of the Terraform node pools the pod lands on as gpu-memory-fit reads them (the count of a guest_accelerator, the GPUs of an instance type or VM size: pools with fewer than the pod asks take none of its pods, and where all have fewer, the most one has decides); unknown, a note (severity info) says so, once per object, where the pod requests more GPUs than the fewest a GPU node of the catalog has (one GPU fits every GPU node: no shape could decide otherwise, so no note, unless the pod starts vLLM, whose memory fit the GPU of the node decides) (for a vLLM service, gpu-memory-fit says it), counted on one line of the text output (--verbose lists each)',
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
      const labelled = types.length ? undefined : graph.labelledGpusOf(manifest);
      if (labelled) return countOnLabelledNodes(labelled, gpus, label);
      if (!types.length) {
        // a vLLM service is told by gpu-memory-fit, once; other GPU workloads here
        if (judgedForGpuFit(o, ctx)) return [];
        // every GPU node of the catalog holds this many: no node shape could refuse the count, and the note would say
        // nothing, unless the pod serves a model with vLLM, whose memory fit the GPU of the node decides
        if (gpus <= fewestGpusPerNode() && !servesWithVllm(manifest)) return [];
        const recorded = graph.recordedNodeShape(manifest);
        return [
          {
            // a limitation of the check, not a defect of the tree: a note, counted on one line in the text output
            severity: 'info' as const,
            limitation: true as const,
            summary: 'node shape unknown: GPU count, CPU and memory not checked against a node (select the nodes by instance type)',
            message:
              `${label}cannot decide whether one pod (${gpus} ${GPU_RESOURCE}) fits a node, nor its CPU and memory: ${recorded && 'error' in recorded ? `${recorded.error}, and ` : ''}` +
              `no node shape is known (no node.kubernetes.io/instance-type node selector or affinity, MachineSet node label, Kueue flavor, Karpenter NodePool of known instance types, node-shape annotation or label naming the GPU); select the nodes by instance type, or the GPU by ${GPU_MODEL_LABELS} with its count per node`,
          },
        ];
      }
      if (types.some((t) => t.gpuCount >= gpus)) return [];
      const bigger = GpuInstanceType.all()
        .filter((t) => t.gpu === types[0].gpu && t.gpuCount >= gpus)
        .map((t) => t.name);
      const sets = graph.repositoryMachineSetsOf(manifest);
      // the shape read from MachineSets of the repository outside the checked folder: said, with their files
      const from = sets.length
        ? ` (the nodes its node selector picks are made by MachineSet ${sets.map((ms) => `'${ms.name}' (${ms.file}:${ms.line})`).join(', ')}, outside the checked folder)`
        : '';
      return [
        {
          message:
            `${label}one pod requests ${gpus} ${GPU_RESOURCE} but ${types.map((t) => `${t.name} has ${t.gpuCount}`).join(', ')}${from}; ` +
            `place it on ${bigger.length ? bigger.join(' or ') : 'an instance type with more GPUs'} or lower the tensor-parallel size`,
        },
      ];
    });
  },
};
