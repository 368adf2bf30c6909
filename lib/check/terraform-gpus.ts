import { gkeAcceleratorGpu } from '../catalog/gpu-labels';
import { machineTypeGpus } from '../catalog/machine-type-gpus';
import { GPU_RESOURCE, INSTANCE_TYPE_LABEL } from '../k8s/keys';
import { Loose, mapping, mappings, stringMap, text } from '../manifests/access';
import { POOL_NAME_LABELS, TerraformKarpenterPool, TerraformNodePool, TerraformNodePools } from '../manifests/terraform-node-pools';
import { GpuSourceWords, LabelledGpus, labelledGpusOf, SelectedGpu, UNCHECKED } from './gpu-labels';
import { nodePoolTakes } from './karpenter-shapes';
import { podSpecOf } from './pods';
import { podPoolPins, POOL_WORDS } from './pool-pins';
import { tolerates } from './taints';

/** One GPU a node of a Terraform pool carries, as a labelled option, with the GPUs a node has. */
type PoolOption = SelectedGpu & { readonly perNode: number };

/** EC2 families with NVIDIA GPUs (p, g: EC2 accelerated computing); others carry none a pod asking for nvidia.com/gpu can use. */
const EC2_GPU_FAMILY = /^(p|g)\d/;
/** Azure's N series are its GPU sizes (Microsoft Learn, "GPU optimized virtual machine sizes"). */
const AZURE_GPU_SERIES = /^Standard_N/i;

/** A pool as a message names it, with the file and line of its resource. */
const poolNamed = (p: TerraformNodePool): string =>
  `${POOL_WORDS[p.cloud]} ${p.name !== undefined ? `'${p.name}'` : '(its name not evaluated)'} (terraform ${p.file} line ${p.line}`;

/**
 * The GPUs one node of a pool carries, per machine type it may be: a GKE guest_accelerator (GKE's accelerator names)
 * with its count, else a GPU machine type (EC2 instance types, Azure VM sizes, GCE a2/a3/g2: machineTypeGpus). A
 * machine type without GPUs holds no pod asking for them and is left out. Undefined when any GPU of the pool is not
 * known: a type or accelerator the catalog lacks, a MIG partition (its slices per GPU are not read), a value not evaluated.
 */
function poolOptions(p: TerraformNodePool): PoolOption[] | undefined {
  if (p.gpus !== true) return undefined;
  if (p.accelerator) {
    const named = gkeAcceleratorGpu(p.accelerator.type);
    if (!('gpus' in named) || p.accelerator.partition !== undefined || !(p.accelerator.count > 0)) return undefined;
    const why = `guest_accelerator ${p.accelerator.type} × ${p.accelerator.count}`;
    return [{ selected: `${poolNamed(p)}: ${why})`, gpus: named.gpus, perNode: p.accelerator.count }];
  }
  if (!p.machineTypes?.length) return undefined;
  const out: PoolOption[] = [];
  for (const t of p.machineTypes) {
    const known = machineTypeGpus(t);
    if (!known) {
      // a GPU type the catalog lacks may carry any GPU; a CPU type takes no GPU pod
      if ((p.cloud === 'eks' && EC2_GPU_FAMILY.test(t)) || (p.cloud === 'aks' && AZURE_GPU_SERIES.test(t)) || p.cloud === 'gke') return undefined;
      continue;
    }
    const field = p.cloud === 'aks' ? 'vm_size' : p.cloud === 'gke' ? 'machine_type' : 'instance type';
    out.push({ selected: `${poolNamed(p)}: ${field} ${t}, ${known.count} × ${known.gpu.name} per node)`, gpus: [known.gpu], perNode: known.count });
  }
  return out.length ? out : undefined;
}

/** Node labels every node of a managed pool carries though the Terraform does not write them, with the value they have on the GPU pools judged. */
const EVERY_NODE: Readonly<Record<string, string>> = { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' };
/** Label prefixes the cloud or Kubernetes put on nodes themselves: a pool that does not write one may still carry it. */
const AUTOMATIC =
  /^([\w.-]*kubernetes\.io|[\w.-]*k8s\.io|cloud\.google\.com|[\w.-]*\.gke\.io|eks\.amazonaws\.com|[\w.-]*\.azure\.com|nvidia\.com|feature\.node\.kubernetes\.io)\//;

/**
 * Whether a pool may take the pod: its written labels hold the pod's node selector (a label the pool does not write
 * excludes it, unless the cloud or Kubernetes may set it on the node: then it is kept, not known) and the pod
 * tolerates its NoSchedule and NoExecute taints (a taint on the GPU resource itself is tolerated for a pod that
 * requests it: GKE and AKS enable the ExtendedResourceToleration admission plugin). A field the Terraform does not
 * give literally keeps the pool.
 */
function mayTake(p: TerraformNodePool, pod: Loose): boolean {
  const selector = stringMap(pod.nodeSelector);
  for (const [key, value] of Object.entries(selector)) {
    if (EVERY_NODE[key] !== undefined) {
      if (EVERY_NODE[key] !== value) return false;
      continue;
    }
    const written = p.labels?.[key];
    if (written !== undefined ? written !== value : p.labels !== undefined && !AUTOMATIC.test(key)) return false;
  }
  const tolerations = mappings(pod.tolerations);
  return (p.taints ?? []).every((t) => t.key === GPU_RESOURCE || tolerations.some((tol) => tolerates(tol, t)));
}

/**
 * The pools a pod pins by their name label, when every pool of that cloud has a name and each name pinned is one the
 * Terraform declares; undefined otherwise (a pool whose name is not known may be the one).
 */
function pinnedPools(pod: Loose, tf: TerraformNodePools): { pools: TerraformNodePool[]; words: GpuSourceWords } | undefined {
  const pins = podPoolPins(pod, '');
  if (!pins.length) return undefined;
  let pools: TerraformNodePool[] | undefined;
  for (const pin of pins) {
    const ours = tf.pools.filter((p) => p.cloud === pin.cloud);
    if (ours.some((p) => p.name === undefined) || !pin.names.every((n) => ours.some((p) => p.name === n))) return undefined;
    const named = ours.filter((p) => pin.names.includes(p.name!));
    pools = pools ? pools.filter((p) => named.includes(p)) : named;
  }
  const pin = pins[0];
  return {
    pools: pools ?? [],
    words: {
      several: `the node pools its ${pin.field} pins by ${pin.label} carry several GPUs`,
      narrow: 'pin only the pools with those',
      unchecked: `the pool its ${pin.field} pins by ${pin.label}, as the Terraform declares it; the node's CPU and memory are not checked`,
    },
  };
}

/**
 * Where the pod pins no pool: the GPU pools of the one cluster the Terraform declares, when it declares them all —
 * every pool of one cluster whose own settings make none on demand (GKE node auto-provisioning and Autopilot, AKS node
 * auto-provisioning: off), no other source of nodes (`elsewhere`: a Karpenter NodePool, a MachineSet, an eksctl or
 * Config Connector or ASO pool, a local development cluster; the Terraform naming Karpenter), no node affinity the
 * pools are not read against —
 * and that may take it (mayTake). Undefined when not all are known.
 */
function clusterGpuPools(pod: Loose, tf: TerraformNodePools, elsewhere: boolean): { pools: TerraformNodePool[]; words: GpuSourceWords } | undefined {
  if (elsewhere || tf.karpenterFiles.length || tf.karpenterNodePools.length || mapping(pod.affinity).nodeAffinity !== undefined) return undefined;
  const keys = new Set([...tf.pools.map((p) => p.cluster), ...tf.clusters.map((c) => c.key)]);
  const cluster = tf.clusters.find((c) => keys.size === 1 && c.key === [...keys][0]);
  // EKS makes no managed node group on demand (its Auto Mode and Karpenter nodes are NodePools')
  if (!cluster || (cluster.cloud !== 'eks' && cluster.autoCreation !== false)) return undefined;
  if (tf.pools.some((p) => p.gpus === undefined)) return undefined;
  const label = POOL_NAME_LABELS[cluster.cloud];
  return {
    pools: tf.pools.filter((p) => p.gpus === true && mayTake(p, pod)),
    words: {
      several: `the GPU pools of ${cluster.name ? `cluster '${cluster.name}'` : 'the cluster'} that the pods may land on carry several GPUs`,
      narrow: `pin a pool with one of those by its ${label} label`,
      unchecked:
        `the pods request ${GPU_RESOURCE} and pin no pool, so they land on a GPU pool of the cluster (terraform ${cluster.file} line ${cluster.line}), ` +
        `every pool of which the Terraform declares; the node's CPU and memory are not checked`,
    },
  };
}

/**
 * The GPUs a pod requesting `gpus` GPUs lands on, as the node pools a Terraform configuration declares them: the pools
 * it pins by name (cloud.google.com/gke-nodepool, eks.amazonaws.com/nodegroup, kubernetes.azure.com/agentpool), else
 * the GPU pools of the one cluster the configuration declares all pools of (clusterGpuPools); judged as labelled GPUs,
 * each pool (and machine type) an option, only when every such pool's GPU is known. Pools whose nodes have fewer GPUs
 * than the pod asks hold none of its pods and are left out, unless every one has fewer: then all are kept, and the
 * most a node has is the count gpu-count-exceeds-node judges. Undefined when the pod asks for no GPU, names its GPU by
 * a label, or the Terraform does not tell.
 */
export function terraformGpusOf(m: Loose, gpus: number, tf: TerraformNodePools, elsewhere: boolean): LabelledGpus | undefined {
  if (!(gpus > 0) || !tf.pools.length) return undefined;
  const pod = mapping(podSpecOf(m));
  // an instance-type selector the catalog lacks says more than the pool does: not judged here
  if (stringMap(pod.nodeSelector)[INSTANCE_TYPE_LABEL] !== undefined) return undefined;
  const landing = pinnedPools(pod, tf) ?? (podPoolPins(pod, '').length ? undefined : clusterGpuPools(pod, tf, elsewhere));
  if (!landing?.pools.length) return undefined;
  const options: PoolOption[] = [];
  for (const p of landing.pools) {
    const of = poolOptions(p);
    if (!of) return undefined;
    options.push(...of);
  }
  const holding = options.filter((o) => o.perNode >= gpus);
  const kept = holding.length ? holding : options;
  const counts = kept.map((o) => o.perNode);
  const one = counts.every((c) => c === counts[0]);
  const count = holding.length ? Math.min(...counts) : Math.max(...counts);
  const which = kept.find((o) => o.perNode === count)!;
  // a pool whose count the files do not resolve may not exist: the pods may land elsewhere, or nowhere
  const mayNotExist = landing.pools.find((p) => p.mayExist)?.mayExist;
  return {
    options: kept.map(({ perNode: _n, ...o }) => o),
    gpusPerNode: { count, selected: one ? which.selected : `the ${holding.length ? 'fewest' : 'most'} a node of those pools has: ${which.selected}` },
    words: landing.words,
    ...(mayNotExist ? { mayNotExist } : {}),
  };
}

/**
 * GPUs named by the requirements of the Karpenter NodePools that take the pod, where some of those NodePools are the
 * Terraform's (a kubectl_manifest or kubernetes_manifest): the messages name them, with their file and line. As given
 * where the pod's own selection (`nodeSelector`: its hardware profile's, where one places it) names the GPU.
 */
export function withTerraformNodePools(
  labelled: LabelledGpus,
  m: Loose,
  nodeSelector: Record<string, string> | undefined,
  pools: readonly TerraformKarpenterPool[],
): LabelledGpus {
  if (!pools.length || labelledGpusOf(m, nodeSelector)) return labelled;
  const pod = mapping(podSpecOf(m));
  const taking = pools.filter((p) => nodePoolTakes(p.manifest, pod));
  if (!taking.length) return labelled;
  const named = taking.map((p) => `'${text(mapping(p.manifest.metadata).name) ?? '(its name not evaluated)'}' (terraform ${p.file} line ${p.line})`);
  return { ...labelled, words: { unchecked: `a requirement of Karpenter NodePool ${named.join(', ')} that takes the pods; ${UNCHECKED}` } };
}
