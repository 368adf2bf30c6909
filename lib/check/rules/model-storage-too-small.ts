import { mapping, mappings, shown, text } from '../../manifests/access';
import { memoryMiB } from '../../private/quantity';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';
import { WORKLOAD_KINDS } from '../pods';
import { workloadStorageFit } from '../workload-gpu-fit';

/**
 * What RHCOS, container images (the vLLM CUDA image alone is about 15 GB) and logs take of a node's root volume,
 * from `df` on OpenShift 4.20 GPU workers running the OpenShift AI vLLM runtime.
 */
const ROOT_VOLUME_RESERVED_GIB = 60;
/** The AWS MachineSet's root volume when blockDevices names no size (OpenShift installer default). */
const DEFAULT_ROOT_VOLUME_GIB = 120;

export const modelStorageTooSmall: Rule = {
  id: 'model-storage-too-small',
  title: "the model's weights do not fit where they are downloaded: the pod's ephemeral-storage limit, or the GPU node's root volume",
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise:
    'the model is known (recorded profile or --model) and is downloaded by the storage-initializer; or a Deployment, StatefulSet or Job runs vLLM on a Hugging Face id whose name spells its size (the least its weights take: the parameters at the bits its quantization suffix or --quantization states, else BF16) and downloads it into a volume the tree sizes (emptyDir sizeLimit, PersistentVolumeClaim request)',
  example:
    '`ephemeral-storage: 20Gi` for a 44 GiB model; `Qwen/Qwen2.5-72B-Instruct` (at least 145 GB in BF16) downloaded into an emptyDir of `sizeLimit: 100Gi`',
  fix: 'raise the ephemeral-storage limit (or the volume the weights are downloaded into) above the model size; give the MachineSet a larger root volume',
  source:
    'kubelet evicts a pod over its ephemeral-storage limit or an emptyDir over its sizeLimit (pkg/kubelet/eviction); the storage-initializer writes the weights to an emptyDir on the node; vLLM downloads to --download-dir or the huggingface_hub cache',
  check(o, ctx) {
    if (o.manifest.kind !== 'InferenceService') return workloadStorageFit(o, ctx);
    let profile;
    try {
      profile = ctx.modelOf(o);
    } catch {
      return []; // reported by gpu-memory-fit
    }
    if (!profile) return [];
    const out: Problem[] = [];
    const modelGiB = profile.weightBytes / 2 ** 30;
    const limit = mapping(mapping(ctx.graph.servingContainer(o)?.resources).limits)['ephemeral-storage'];
    if (limit !== undefined && (memoryMiB(limit) ?? 0) / 1024 < modelGiB) {
      out.push({
        message: `ephemeral-storage limit ${shown(limit)} is below the ${modelGiB.toFixed(1)} GiB of weights the storage-initializer downloads into the pod; the pod is evicted during download: raise the limit above the model size`,
      });
    }
    for (const t of ctx.graph.instanceTypesOf(o.manifest)) {
      const volume = machineSetVolumeGiB(ctx.graph, t.name);
      if (volume !== undefined && volume - ROOT_VOLUME_RESERVED_GIB < modelGiB) {
        out.push({
          severity: 'warning',
          message: `the ${t.name} MachineSet's root volume is ${volume} GiB; after the OS and images about ${volume - ROOT_VOLUME_RESERVED_GIB} GiB stay for the ${modelGiB.toFixed(1)} GiB of weights: raise volumeSize to at least ${Math.ceil(modelGiB + ROOT_VOLUME_RESERVED_GIB)}`,
        });
      }
    }
    return out;
  },
};

function machineSetVolumeGiB(graph: ObjectGraph, instanceType: string): number | undefined {
  const sizes = graph
    .ofKind('MachineSet')
    .map((o) => mapping(mapping(mapping(mapping(mapping(o.manifest.spec).template).spec).providerSpec).value))
    .filter((v) => text(v.instanceType) === instanceType)
    .map((v) => Number(mapping(mappings(v.blockDevices)[0]?.ebs).volumeSize ?? DEFAULT_ROOT_VOLUME_GIB))
    .filter((n) => Number.isFinite(n) && n > 0);
  return sizes.length ? Math.min(...sizes) : undefined;
}
