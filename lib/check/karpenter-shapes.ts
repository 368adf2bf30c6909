import { GpuInstanceType } from '../catalog/instance-type';
import { Loose, mapping, mappings, stringMap, strings, text } from '../manifests/access';
import type { GraphObject } from './graph-object';
import { podRequests, podSpecOf } from './pods';
import { tolerates } from './taints';
import { INSTANCE_TYPE_LABEL } from '../k8s/keys';

/** The node labels of a NodePool's requirements that name its instance types (karpenter.sh and the AWS provider's well-known labels). */
const INSTANCE_TYPE = INSTANCE_TYPE_LABEL;
/**
 * The AWS provider's labels of an instance's family, size and GPU, under their two prefixes: Karpenter's AWS provider
 * (karpenter.k8s.aws, pkg/apis/v1 labels.go) and EKS Auto Mode's, whose NodePools use eks.amazonaws.com for the same
 * labels and values (AWS EKS user guide, "Create a Node Pool for EKS Auto Mode": supported labels).
 */
const AWS_PREFIXES = ['karpenter.k8s.aws/', 'eks.amazonaws.com/'];
const awsLabel = (key: string, name: string) => AWS_PREFIXES.some((p) => key === `${p}${name}`);
const isFamily = (key: string) => awsLabel(key, 'instance-family');
const isSize = (key: string) => awsLabel(key, 'instance-size');
const isGpuName = (key: string) => awsLabel(key, 'instance-gpu-name');
/** The label Karpenter puts on every node it launches: the name of its NodePool (karpenter.sh v1 NodePoolLabelKey). */
const NODE_POOL_LABEL = 'karpenter.sh/nodepool';
/** Well-known labels a pod may select on without the NodePool setting them (karpenter.sh v1 WellKnownLabels, those a selector commonly names). */
const WELL_KNOWN = new Set([
  INSTANCE_TYPE,
  'kubernetes.io/arch',
  'kubernetes.io/os',
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'karpenter.sh/capacity-type',
]);

/** A requirement of a NodePool (karpenter.sh/v1 and v1beta1 NodeSelectorRequirementWithMinValues). */
interface Requirement {
  readonly key: string;
  readonly operator: string;
  readonly values: readonly string[];
}

function requirementsOf(pool: Loose): Requirement[] {
  const spec = mapping(mapping(mapping(pool.spec).template).spec);
  return mappings(spec.requirements).map((r) => ({ key: text(r.key) ?? '', operator: text(r.operator) ?? '', values: strings(r.values) }));
}

/**
 * The catalog types a NodePool may launch: those its instance-type or instance-family `In` requirement names, less
 * its `NotIn` and other GPU-name choices; undefined when it names no such set, or a type the catalog does not hold
 * (its shape is then unknown).
 */
export function nodePoolTypes(pool: Loose): GpuInstanceType[] | undefined {
  const reqs = requirementsOf(pool);
  const named = reqs.find((r) => r.key === INSTANCE_TYPE && r.operator === 'In');
  const family = reqs.find((r) => isFamily(r.key) && r.operator === 'In');
  let types: GpuInstanceType[];
  if (named) {
    const found = named.values.map((v) => GpuInstanceType.tryFind(v));
    if (!found.length || found.some((t) => !t)) return undefined;
    types = found as GpuInstanceType[];
  } else if (family) {
    // the catalog holds every size of the GPU families it lists; a family it does not list is unknown
    types = GpuInstanceType.all().filter((t) => family.values.some((f) => t.name.startsWith(`${f}.`)));
    if (family.values.some((f) => !types.some((t) => t.name.startsWith(`${f}.`)))) return undefined;
  } else return undefined;
  for (const r of reqs) {
    const value = (t: GpuInstanceType) =>
      r.key === INSTANCE_TYPE
        ? t.name
        : isFamily(r.key)
          ? t.name.split('.')[0]
          : isSize(r.key)
            ? t.name.split('.')[1]
            : isGpuName(r.key)
              ? t.gpu.name.toLowerCase().split('-')[0]
              : undefined;
    if (!types.length || value(types[0]) === undefined) continue;
    if (r.operator === 'In') types = types.filter((t) => r.values.map((v) => v.toLowerCase()).includes(value(t)!.toLowerCase()));
    if (r.operator === 'NotIn') types = types.filter((t) => !r.values.map((v) => v.toLowerCase()).includes(value(t)!.toLowerCase()));
  }
  return types;
}

/**
 * Whether Karpenter would launch a node of the NodePool for the pod: the pod tolerates its taints, and each label of
 * its node selector is one the NodePool's template sets or a requirement allows (Karpenter's scheduling of pending
 * pods against NodePool requirements: pkg/controllers/provisioning/scheduling).
 */
export function nodePoolTakes(pool: Loose, pod: Loose): boolean {
  const spec = mapping(mapping(mapping(pool.spec).template).spec);
  const labels = stringMap(mapping(mapping(mapping(pool.spec).template).metadata).labels);
  const tolerations = mappings(pod.tolerations);
  const taints = mappings(spec.taints).filter((t) => text(t.effect) !== 'PreferNoSchedule');
  if (!taints.every((t) => tolerations.some((x) => tolerates(x, { key: text(t.key) ?? '', value: text(t.value), effect: text(t.effect) ?? '' })))) return false;
  const reqs = requirementsOf(pool);
  const name = text(mapping(pool.metadata).name);
  return Object.entries(stringMap(pod.nodeSelector)).every(([k, v]) => {
    if (k === NODE_POOL_LABEL) return v === name;
    if (labels[k] !== undefined) return labels[k] === v;
    const r = reqs.find((q) => q.key === k);
    if (!r) return WELL_KNOWN.has(k);
    return r.operator === 'Exists' || (r.operator === 'In' && r.values.includes(v)) || (r.operator === 'NotIn' && !r.values.includes(v));
  });
}

/**
 * The node shapes Karpenter may give a workload's pod from the NodePools of the tree: of each NodePool that takes
 * the pod, the types that hold its GPU, CPU and memory requests (Karpenter launches one of those), or all its types
 * when none does. Empty when no NodePool takes the pod, or one that does has a shape the catalog does not know.
 */
export function karpenterTypesOf(m: Loose, nodePools: readonly GraphObject[]): GpuInstanceType[] {
  const pod = mapping(podSpecOf(m));
  // a required node affinity narrows the NodePools in ways not read here: no shape rather than a guess
  if (mapping(mapping(pod.affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution !== undefined) return [];
  const taking = nodePools.filter((p) => p.manifest.apiVersion?.toString().startsWith('karpenter.sh/') && nodePoolTakes(p.manifest, pod));
  if (!taking.length) return [];
  const r = podRequests(m);
  const out: GpuInstanceType[] = [];
  for (const p of taking) {
    const types = nodePoolTypes(p.manifest);
    if (!types?.length) return [];
    const fitting = types.filter((t) => r.gpus <= t.gpuCount && r.cpuMillis <= t.allocatable.cpuMillis && r.memoryMiB <= t.allocatable.memoryMiB);
    out.push(...(fitting.length ? fitting : types));
  }
  return [...new Set(out)];
}
