import { GpuInstanceType } from '../catalog/instance-type';
import { WorkloadDemand } from './gpu-demand';
import { GPU_RESOURCE } from '../k8s/keys';
import { isLabelKey, isLabelValue } from '../private/names';

/** A taint on GPU nodes; pods placed there get a matching toleration. */
export interface NodeTaint {
  readonly key: string;
  /**
   * The taint's value: tolerations match it exactly (operator Equal), unless `tolerateAnyValue` is set.
   * @default - no value (tolerations use operator Exists)
   */
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  /**
   * Tolerate the key with any value (operator Exists), e.g. when the nodes' taint values differ.
   * @default false
   */
  readonly tolerateAnyValue?: boolean;
}

/**
 * The toleration of a taint: operator Equal with the taint's value, so the pods tolerate what the nodes carry and no
 * more; Exists when the taint has no value or the user asks for any value (Kubernetes: a toleration with operator
 * Exists must have no value).
 */
export function tolerationOf(t: NodeTaint): { key: string; operator: string; value?: string; effect: string } {
  return t.value !== undefined && !t.tolerateAnyValue
    ? { key: t.key, operator: 'Equal', value: t.value, effect: t.effect }
    : { key: t.key, operator: 'Exists', effect: t.effect };
}

/** Taint effects the API server accepts (k8s.io/api core/v1 TaintEffect; validation.validateTaintEffect). */
const TAINT_EFFECTS: readonly string[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/**
 * Refuses labels the API server would refuse on a Node (or in a selector, which then matches nothing): keys as
 * IsQualifiedName, values as IsValidLabelValue (apimachinery validation). `field` names them in the message.
 */
export function requireLabels(where: string, field: string, labels: { readonly [key: string]: unknown }): void {
  for (const [k, v] of Object.entries(labels)) {
    if (!isLabelKey(k)) {
      throw new Error(
        `${where}: ${field} key '${k}' is not a label key: use <prefix>/<name> with a DNS prefix and a name of letters, digits, '-', '_' and '.'`,
      );
    }
    if (typeof v !== 'string' || !isLabelValue(v)) {
      throw new Error(`${where}: ${field} value ${JSON.stringify(v)} of '${k}' is not a label value: at most 63 letters, digits, '-', '_' and '.'`);
    }
  }
}

/** Refuses taints a Node cannot carry (core/v1 validateNodeTaints: key a qualified name, value a label value, a known effect). */
export function requireTaints(where: string, taints: readonly NodeTaint[]): void {
  taints.forEach((t, i) => {
    if (typeof t?.key !== 'string' || !isLabelKey(t.key)) {
      throw new Error(`${where}: taints[${i}].key ${JSON.stringify(t?.key)} is not a taint key: use <prefix>/<name>, e.g. nvidia.com/gpu`);
    }
    if (t.value !== undefined && (typeof t.value !== 'string' || !isLabelValue(t.value))) {
      throw new Error(`${where}: taints[${i}].value ${JSON.stringify(t.value)} is not a taint value: at most 63 letters, digits, '-', '_' and '.'`);
    }
    if (!TAINT_EFFECTS.includes(t.effect)) {
      throw new Error(`${where}: taints[${i}].effect ${JSON.stringify(t.effect)} is not a taint effect: use ${TAINT_EFFECTS.join(', ')}`);
    }
  });
}

/** The taint the NVIDIA GPU operator and OpenShift GPU MachineSets conventionally put on GPU nodes. */
export const GPU_TAINT: NodeTaint = { key: GPU_RESOURCE, value: 'true', effect: 'NoSchedule' };

/**
 * Where GPU pods run: nodes of one shape, selected by labels and tolerating their taints. A `GpuMachineSetScale`
 * creates such nodes; `ExistingGpuNodes` describes nodes that are already there (an admin's MachineSet, bare metal,
 * another cloud). Services take their node selector, tolerations and GPU model from it, and report their demand.
 */
export interface IGpuPlacement {
  /** The nodes' shape: GPU model and count, vCPUs, memory, price. */
  readonly instanceType: GpuInstanceType;
  /** Node labels a pod selects to land there. */
  readonly nodeSelector: { readonly [key: string]: string };
  /** Taints of the nodes. */
  readonly taints: readonly NodeTaint[];
  /** Nodes there are (or will be) to hand out, for quotas. */
  readonly nodeCount: number;
  /** How messages name it: `MachineSet x`, `nodes gpu-type=l40s`. */
  readonly description: string;
  /** Records a workload placed here; throws when one of its pods cannot fit a node. */
  place(demand: WorkloadDemand): void;
}
