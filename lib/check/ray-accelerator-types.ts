import { GpuModel } from '../catalog/gpu-model';
import { finite, Loose, mapping, mappings, stringMap, text } from '../manifests/access';
import { karpenterTypesOf } from './karpenter-shapes';
import { parseOne } from '../manifests/yaml-documents';
import type { ObjectGraph } from './graph';
import type { ClusterSpec } from './ray-clusters';
import { serveLlms } from './ray-serve-llm';
import { GPU_RESOURCE } from '../k8s/keys';

/** The label Karpenter puts on each node it launches: its NodePool's name (karpenter.sh v1 NodePoolLabelKey). */
const NODE_POOL_LABEL = 'karpenter.sh/nodepool';

/**
 * The accelerator type a Ray node advertises for an NVIDIA GPU (resource `accelerator_type:<type>`): the first word of
 * the device name after the vendor's (ray python/ray/_private/accelerators/nvidia_gpu.py NVIDIA_GPU_NAME_PATTERN
 * `\w+\s+([A-Z0-9]+)`: "NVIDIA L40S" → L40S, "NVIDIA A100-SXM4-40GB" → A100, "Tesla T4" → T4). The catalog's product
 * is that name as GPU Feature Discovery writes it, spaces as hyphens.
 */
export function rayAcceleratorType(gpu: GpuModel): string | undefined {
  return /^\w+-([A-Z0-9]+)/.exec(gpu.product)?.[1];
}

/**
 * The model word of an accelerator type a replica asks for (LLMConfig.accelerator_type, ray_actor_options
 * accelerator_type): Ray's list names some by memory too (ray python/ray/util/accelerators/accelerators.py A100-40G),
 * compared here by the model word only, and LLMConfig reads A10 as A10G (validate_accelerator_type), an A10 card
 * counted as the same.
 */
function modelWord(type: string): string {
  const word = type.split('-')[0].toUpperCase();
  return word === 'A10' ? 'A10G' : word;
}

/** What in a RayService asks Ray for an accelerator type: Serve LLM configs with GPUs, and deployments' ray_actor_options.accelerator_type. */
function acceleratorAsks(m: Loose): { what: string; type: string }[] {
  const llm = serveLlms(m)
    .filter((l) => l.accelerator && l.gpusPerReplica !== 0)
    .map((l) => ({ what: `${l.what} accelerator_type ${l.accelerator}`, type: l.accelerator! }));
  const config = mapping(m.spec).serveConfigV2;
  const parsed = typeof config === 'string' ? parseOne(config) : undefined;
  const plain =
    parsed && !('error' in parsed)
      ? mappings(mapping(parsed.value).applications).flatMap((app) =>
          mappings(app.deployments).flatMap((d) => {
            const type = text(mapping(d.ray_actor_options).accelerator_type);
            return type
              ? [{ what: `application '${text(app.name) ?? 'default'}' deployment '${text(d.name) ?? ''}' ray_actor_options.accelerator_type ${type}`, type }]
              : [];
          }),
        )
      : [];
  return [...llm, ...plain];
}

/** A NodePool of that name the repository holds outside the checked folder: its manifest and the file it is in. */
export type RepositoryNodePool = (name: string) => { manifest: Loose; file: string } | undefined;

/**
 * The GPU model words the nodes of a group's pods can carry, when the tree pins them (instance type, Karpenter
 * NodePool, a GPU label), or a NodePool of the repository outside the tree that the pod selects by name; undefined when
 * not known.
 */
function groupGpuWords(graph: ObjectGraph, pod: Loose, elsewhere: RepositoryNodePool): { words: Set<string>; via?: string } | undefined {
  let types = graph.instanceTypesOf(pod);
  let via: string | undefined;
  const poolName = stringMap(mapping(pod.spec).nodeSelector)[NODE_POOL_LABEL];
  if (!types.length && poolName && !graph.find('NodePool', poolName)) {
    const pool = elsewhere(poolName);
    types = pool ? karpenterTypesOf(pod, [pool]) : [];
    via = pool && `NodePool '${poolName}' of ${pool.file}, outside the checked folder`;
  }
  const options = types.length ? undefined : graph.labelledGpusOf(pod)?.options;
  // a label value that names no catalog GPU may be any GPU
  if (options?.some((o) => o.unrecognised || !o.gpus.length)) return undefined;
  const gpus: readonly GpuModel[] = types.length ? types.map((t) => t.gpu) : (options ?? []).flatMap((o) => o.gpus);
  if (!gpus.length) return undefined;
  const words = gpus.map(rayAcceleratorType);
  return words.some((w) => !w) ? undefined : { words: new Set(words.map((w) => modelWord(w!))), ...(via ? { via } : {}) };
}

/** Whether a group's Ray container asks for GPUs (its nvidia.com/gpu, or rayStartParams num-gpus above 0). */
function holdsGpus(group: Loose): boolean {
  const container = mappings(mapping(mapping(group.template).spec).containers)[0];
  const resources = mapping(container?.resources);
  const asked = finite(mapping(resources.limits)[GPU_RESOURCE]) ?? finite(mapping(resources.requests)[GPU_RESOURCE]);
  return (finite(mapping(group.rayStartParams)['num-gpus']) ?? asked ?? 0) > 0;
}

/**
 * An accelerator type a RayService's Serve replicas ask for that no GPU group of its cluster can carry: each group's
 * pods land on nodes the tree pins (an instance type, the Karpenter NodePools of the tree that take them, a label naming
 * the GPU) whose GPU is another model. Ray places a bundle asking for `accelerator_type:<type>` only on a node that
 * advertises it, so the replica stays pending. Undefined when a GPU group's nodes are not pinned.
 */
export function acceleratorMismatch(graph: ObjectGraph, m: Loose, cluster: ClusterSpec, elsewhere: RepositoryNodePool): string | undefined {
  const asks = acceleratorAsks(m);
  if (!asks.length) return undefined;
  const gpuGroups = [mapping(cluster.spec.headGroupSpec), ...mappings(cluster.spec.workerGroupSpecs)].filter(holdsGpus);
  if (!gpuGroups.length) return undefined;
  const carried = new Set<string>();
  const vias = new Set<string>();
  for (const group of gpuGroups) {
    const found = groupGpuWords(graph, { kind: 'Pod', metadata: m.metadata, spec: mapping(mapping(group.template).spec) }, elsewhere);
    if (!found) return undefined;
    for (const w of found.words) carried.add(w);
    if (found.via) vias.add(found.via);
  }
  const unplaced = asks.filter((a) => !carried.has(modelWord(a.type)));
  if (!unplaced.length) return undefined;
  return (
    `${unplaced.map((a) => a.what).join('; ')}: Ray places such a replica only on a node that advertises accelerator_type:${unplaced[0].type}, ` +
    `but the GPU groups of ${cluster.at} run on nodes whose GPUs Ray names ${[...carried].sort().join(', ')} (from their node selection${vias.size ? `: ${[...vias].join('; ')}` : ''}); the replica stays pending and the application never reaches RUNNING: ` +
    `set accelerator_type to the GPU of those nodes, or drop it, or place a worker group on ${unplaced[0].type} nodes`
  );
}
