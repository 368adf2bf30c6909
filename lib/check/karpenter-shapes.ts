import { GpuInstanceType } from '../catalog/instance-type';
import { Loose, mapping, mappings, stringMap, strings, text } from '../manifests/access';
import type { GraphObject } from './graph-object';
import { podRequests, podSpecOf } from './pods';
import { tolerates } from './taints';
import { INSTANCE_TYPE_LABEL } from '../k8s/keys';
import { AWS_INSTANCE_LABELS, awsInstanceLabel, awsInstanceLabelKeys } from '../catalog/aws-instance-labels';

/** The node labels of a NodePool's requirements that name its instance types (karpenter.sh and the AWS provider's well-known labels). */
const INSTANCE_TYPE = INSTANCE_TYPE_LABEL;
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
  // the AWS provider's instance labels are well known too (its v1 labels.go registers them), as are EKS Auto Mode's
  ...Object.keys(AWS_INSTANCE_LABELS).flatMap(awsInstanceLabelKeys),
]);

/** A requirement of a NodePool (karpenter.sh/v1 and v1beta1 NodeSelectorRequirementWithMinValues). */
export interface Requirement {
  readonly key: string;
  readonly operator: string;
  readonly values: readonly string[];
}

function requirementsOf(pool: Loose): Requirement[] {
  const spec = mapping(mapping(mapping(pool.spec).template).spec);
  return mappings(spec.requirements).map((r) => ({ key: text(r.key) ?? '', operator: text(r.operator) ?? '', values: strings(r.values) }));
}

/**
 * The catalog types a NodePool may launch: those its instance-type or instance-family `In` requirement names, narrowed
 * by each requirement on an AWS instance label (under karpenter.k8s.aws/ or EKS Auto Mode's eks.amazonaws.com/:
 * category, generation, size, CPU, memory, GPU name, maker and count) and the instance type; undefined when it names
 * no such set, or a type or family the catalog does not hold (its shape is then unknown).
 */
export function nodePoolTypes(pool: Loose): GpuInstanceType[] | undefined {
  const reqs = requirementsOf(pool);
  const named = reqs.find((r) => r.key === INSTANCE_TYPE && r.operator === 'In');
  const family = reqs.find((r) => awsInstanceLabel(r.key) === 'instance-family' && r.operator === 'In');
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
  return narrowed(types, reqs);
}

/** The value a requirement's key has on a catalog type: its name, or an AWS instance label's; undefined when not known here. */
function labelValue(key: string, t: GpuInstanceType): string | undefined {
  if (key === INSTANCE_TYPE) return t.name;
  const name = awsInstanceLabel(key);
  return name ? AWS_INSTANCE_LABELS[name].of(t) : undefined;
}

/**
 * The types every requirement admits (In, NotIn, Exists, DoesNotExist; Gt and Lt on a whole number, as Karpenter's
 * scheduling.Requirement reads them); a requirement on a label whose value is not known here narrows nothing.
 */
export function narrowed(types: readonly GpuInstanceType[], reqs: readonly Requirement[]): GpuInstanceType[] {
  return types.filter((t) =>
    reqs.every((r) => {
      const value = labelValue(r.key, t);
      if (value === undefined) return true;
      const values = r.values.map((v) => v.toLowerCase());
      switch (r.operator) {
        case 'In':
          return values.includes(value.toLowerCase());
        case 'NotIn':
          return !values.includes(value.toLowerCase());
        case 'DoesNotExist':
          return false;
        case 'Gt':
          return Number(value) > Number(r.values[0]);
        case 'Lt':
          return Number(value) < Number(r.values[0]);
        default:
          return true;
      }
    }),
  );
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
    if (r.operator === 'Gt' || r.operator === 'Lt') return r.operator === 'Gt' ? Number(v) > Number(r.values[0]) : Number(v) < Number(r.values[0]);
    return r.operator === 'Exists' || (r.operator === 'In' && r.values.includes(v)) || (r.operator === 'NotIn' && !r.values.includes(v));
  });
}

/**
 * The node shapes Karpenter may give a workload's pod from the NodePools of the tree: of each NodePool that takes
 * the pod, the types that carry the labels its node selector names (an instance type, an AWS instance label under
 * either prefix) and hold its GPU, CPU and memory requests (Karpenter launches one of those), or all those types when
 * none holds them. Empty when no NodePool takes the pod, or one that does has a shape the catalog does not know.
 */
export function karpenterTypesOf(m: Loose, nodePools: readonly Pick<GraphObject, 'manifest'>[]): GpuInstanceType[] {
  const pod = mapping(podSpecOf(m));
  // a required node affinity narrows the NodePools in ways not read here: no shape rather than a guess
  if (mapping(mapping(pod.affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution !== undefined) return [];
  const taking = nodePools.filter((p) => p.manifest.apiVersion?.toString().startsWith('karpenter.sh/') && nodePoolTakes(p.manifest, pod));
  if (!taking.length) return [];
  const r = podRequests(m);
  const selected = Object.entries(stringMap(pod.nodeSelector)).map(([key, v]) => ({ key, operator: 'In', values: [v] }));
  const out: GpuInstanceType[] = [];
  for (const p of taking) {
    const pooled = nodePoolTypes(p.manifest);
    const types = pooled && narrowed(pooled, selected);
    if (!types?.length) return [];
    const fitting = types.filter((t) => r.gpus <= t.gpuCount && r.cpuMillis <= t.allocatable.cpuMillis && r.memoryMiB <= t.allocatable.memoryMiB);
    out.push(...(fitting.length ? fitting : types));
  }
  return [...new Set(out)];
}

/**
 * The values the Karpenter NodePools that take a workload's pod admit for a label: the union of their `In`
 * requirements on it (or their template's label) when every one has one, else undefined (a NodePool that leaves it open may launch any value).
 * A label the pod's own selection leaves open is then read from the NodePools, e.g. an EKS Auto Mode NodePool's
 * eks.amazonaws.com/instance-gpu-name.
 */
export function nodePoolAdmitted(m: Loose, nodePools: readonly Pick<GraphObject, 'manifest'>[]): (key: string) => readonly string[] | undefined {
  const pod = mapping(podSpecOf(m));
  const taking = nodePools.filter((p) => p.manifest.apiVersion?.toString().startsWith('karpenter.sh/') && nodePoolTakes(p.manifest, pod));
  // a label of the NodePool's template is on every node it launches, as a one-value In
  const reqs = taking.map((p) => [
    ...Object.entries(stringMap(mapping(mapping(mapping(p.manifest.spec).template).metadata).labels)).map(([key, v]) => ({ key, operator: 'In', values: [v] })),
    ...requirementsOf(p.manifest),
  ]);
  return (key) => {
    const each = reqs.map((rs) => rs.find((r) => r.key === key && r.operator === 'In'));
    return taking.length && each.every((r) => r) ? [...new Set(each.flatMap((r) => r!.values))] : undefined;
  };
}
