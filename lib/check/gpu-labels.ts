import { GpuModel } from '../catalog/gpu-model';
import {
  GFD_COUNT_LABEL,
  GFD_FAMILY_LABEL,
  GFD_MEMORY_LABEL,
  GFD_PRODUCT_LABEL,
  gfdProductGpu,
  GKE_ACCELERATOR_COUNT_LABEL,
  GKE_ACCELERATOR_LABEL,
  gkeAcceleratorGpu,
  instanceFamilyGpu,
  karpenterGpuNameGpu,
  LabelledGpu,
} from '../catalog/gpu-labels';
import { AWS_INSTANCE_LABEL_PREFIXES } from '../catalog/aws-instance-labels';
import { Loose, mapping, mappings, stringMap, text } from '../manifests/access';
import { admittedValues, nodeSelectionOf } from './node-selection';
import { podSpecOf } from './pods';

/** One GPU a pod's selector admits: the `key=value` that names it and the GPUs it may be (none: not recognised). */
export interface SelectedGpu {
  readonly selected: string;
  readonly gpus: readonly GpuModel[];
  /** Why the value names no catalog GPU. */
  readonly unrecognised?: string;
}

/**
 * How the messages name GPUs that come from elsewhere than the pod's node labels (the node pools a Terraform
 * configuration declares): what holds the several GPUs, how to keep to those that fit, and what is not checked.
 */
export interface GpuSourceWords {
  /** `the node selection admits several GPUs` unless set. */
  readonly several?: string;
  /** `select only those` unless set. */
  readonly narrow?: string;
  /** What the verdicts leave unchecked, and why the GPUs are those. */
  readonly unchecked: string;
}

/** The GPUs a pod's node labels name, when no instance type is known. */
export interface LabelledGpus {
  /** Every GPU the selector admits (each value of an `In`). */
  readonly options: readonly SelectedGpu[];
  /** GPUs per node, when a label states it. */
  readonly gpusPerNode?: { readonly count: number; readonly selected: string };
  /** Set where the GPUs are not (only) the pod's labels' (terraform-gpus.ts): the words messages use instead. */
  readonly words?: GpuSourceWords;
  /**
   * Why a node of those GPUs may not exist (a Terraform pool whose count the files do not resolve): no verdict on
   * them is then more than a warning, and each says so.
   */
  readonly mayNotExist?: string;
}

/** What the node's label does not tell, said with every verdict on a labelled GPU. */
export const UNCHECKED = "the node's CPU and memory are not checked: the label names the GPU, not the instance type";

/** The labels that name a GPU, for messages that say how to make a fit checkable. */
export const GPU_MODEL_LABELS = `${GKE_ACCELERATOR_LABEL}, ${GFD_PRODUCT_LABEL} or karpenter.k8s.aws/instance-gpu-name`;

/** The labels that state GPUs per node. */
export const GPU_COUNT_LABELS = `${GKE_ACCELERATOR_COUNT_LABEL}, ${GFD_COUNT_LABEL} or karpenter.k8s.aws/instance-gpu-count`;

/** The values a pod's node selection admits for a label, when it names them; undefined when it leaves the label open. */
export type AdmittedLabelValues = (key: string) => readonly string[] | undefined;

function admittedLabelValues(m: Loose, nodeSelector: Record<string, string> | undefined, elsewhere?: AdmittedLabelValues): AdmittedLabelValues {
  const selection = nodeSelectionOf(mapping(podSpecOf(m)), nodeSelector);
  return (key) => admittedValues(selection, key).values ?? elsewhere?.(key);
}

/** The one whole number a label admits, e.g. a count or MiB; undefined when none or several. */
function oneNumber(values: AdmittedLabelValues, key: string): number | undefined {
  const v = values(key);
  const n = v?.length === 1 ? Number(v[0]) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

function option(key: string, value: string, gpu: LabelledGpu): SelectedGpu {
  return 'gpus' in gpu ? { selected: `${key}=${value}`, gpus: gpu.gpus } : { selected: `${key}=${value}`, gpus: [], unrecognised: gpu.unrecognised };
}

/**
 * The GPUs a pod selects by the labels that name them (GPU Feature Discovery's product, GKE's accelerator,
 * Karpenter's GPU name or instance family), with the GPUs per node a label states; undefined when none is selected.
 * `nodeSelector` is the one a webhook puts in place of the pod's (an OpenShift AI hardware profile's); `elsewhere`
 * gives the values of a label the pod leaves open (the requirements of the Karpenter NodePools that take it).
 */
export function labelledGpusOf(m: Loose, nodeSelector?: Record<string, string>, elsewhere?: AdmittedLabelValues): LabelledGpus | undefined {
  const values = admittedLabelValues(m, nodeSelector, elsewhere);
  const options = modelOptions(values);
  if (!options) return undefined;
  const count = [GKE_ACCELERATOR_COUNT_LABEL, GFD_COUNT_LABEL, ...AWS_INSTANCE_LABEL_PREFIXES.map((p) => `${p}instance-gpu-count`)].find(
    (k) => oneNumber(values, k) !== undefined,
  );
  return { options, ...(count ? { gpusPerNode: { count: oneNumber(values, count)!, selected: `${count}=${oneNumber(values, count)}` } } : {}) };
}

/** The options of the first label family the pod selects by, most specific first. */
function modelOptions(values: AdmittedLabelValues): SelectedGpu[] | undefined {
  const memory = oneNumber(values, GFD_MEMORY_LABEL);
  const product = values(GFD_PRODUCT_LABEL);
  if (product?.length) return product.map((v) => option(GFD_PRODUCT_LABEL, v, gfdProductGpu(v, memory)));
  const gke = values(GKE_ACCELERATOR_LABEL);
  if (gke?.length) return gke.map((v) => option(GKE_ACCELERATOR_LABEL, v, gkeAcceleratorGpu(v)));
  for (const prefix of AWS_INSTANCE_LABEL_PREFIXES) {
    const name = values(`${prefix}instance-gpu-name`);
    const perGpuMiB = oneNumber(values, `${prefix}instance-gpu-memory`);
    if (name?.length) return name.map((v) => option(`${prefix}instance-gpu-name`, v, karpenterGpuNameGpu(`${prefix}instance-gpu-name`, v, perGpuMiB)));
    const family = values(`${prefix}instance-family`);
    if (family?.length) return family.map((v) => option(`${prefix}instance-family`, v, instanceFamilyGpu(`${prefix}instance-family`, v)));
  }
  if (memory !== undefined) return [option(GFD_MEMORY_LABEL, String(memory), gfdProductGpu(`GPU-of-${memory}-MiB`, memory))];
  const family = values(GFD_FAMILY_LABEL);
  if (family?.length)
    return family.map((v) => option(GFD_FAMILY_LABEL, v, { unrecognised: `${GFD_FAMILY_LABEL}=${v} names an architecture, not a GPU's memory` }));
  return undefined;
}

/**
 * The node selector an OpenShift AI hardware profile gives an InferenceService that names it: with scheduling type
 * Node, the profile's replaces the predictor's (opendatahub-operator internal/webhook/hardwareprofile, 3.0:
 * spec.scheduling.node.nodeSelector); a 2.x dashboard profile lists spec.nodeSelectors as key and value.
 * @returns undefined when no profile in the tree sets one
 */
export function profileNodeSelector(profile: Loose | undefined): Record<string, string> | undefined {
  const spec = mapping(profile?.spec);
  const scheduling = mapping(spec.scheduling);
  if (text(scheduling.type) === 'Node') return stringMap(mapping(scheduling.node).nodeSelector);
  const listed = mappings(spec.nodeSelectors).filter((e) => typeof e.key === 'string' && typeof e.value === 'string');
  return listed.length ? Object.fromEntries(listed.map((e) => [String(e.key), String(e.value)])) : undefined;
}
