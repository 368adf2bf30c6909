import { Construct } from 'constructs';

import { GpuModel } from '../catalog/gpu-model';
import { GpuInstanceType } from '../catalog/instance-type';
import { requireDnsSubdomain } from '../private/names';
import { constructPath } from '../private/scope';
import { nodesNeeded, WorkloadDemand } from './gpu-demand';
import { GPU_TAINT, IGpuPlacement, NodeTaint, requireLabels, requireTaints } from './gpu-placement';
import { VllmConstruct } from '../check/app-construct';
import { GFD_PRODUCT_LABEL, INSTANCE_TYPE_LABEL, MACHINE_ONLY_LABELS } from '../k8s/keys';
import { labelledGpusOf } from '../check/gpu-labels';

/** The shape of nodes that are not in the instance catalog. */
export interface GpuNodeShape {
  /** The GPU model, e.g. `GpuModel.NVIDIA_H100_80GB`. */
  readonly gpu: GpuModel;
  /** GPUs per node. */
  readonly gpusPerNode: number;
  /** vCPUs per node. */
  readonly vcpu: number;
  /** Memory per node, in GiB. */
  readonly memoryGiB: number;
  /**
   * Cost of one node an hour in USD, for PLAN.md.
   * @default - no price: PLAN.md reports the cost as unknown
   */
  readonly usdPerHour?: number;
}

/** Properties of `ExistingGpuNodes`. */
export interface ExistingGpuNodesProps {
  /**
   * The nodes' shape: a catalog instance type (AWS, Azure, Google Cloud), or GPUs, vCPUs and memory of any other node.
   */
  readonly shape: GpuInstanceType | GpuNodeShape;
  /**
   * Labels that select these nodes. A label that names their GPU (nvidia.com/gpu.product,
   * cloud.google.com/gke-accelerator, karpenter.k8s.aws/instance-gpu-name) must name one with at least the memory of
   * the shape's GPU, which the services are planned on.
   * @default - `node.kubernetes.io/instance-type: <instance type>` for a catalog type; required for a custom shape
   */
  readonly nodeSelector?: { readonly [key: string]: string };
  /**
   * Taints of the nodes; pods placed here get matching tolerations (operator Equal with the taint's value, unless the
   * taint sets `tolerateAnyValue`).
   * @default - the GPU taint `nvidia.com/gpu:NoSchedule` with any value (GPU operators and clouds differ: `true` on
   * OpenShift GPU MachineSets, `present` on GKE), tolerated by key
   */
  readonly taints?: NodeTaint[];
  /**
   * Nodes there are, for Kueue quotas sized from placements.
   * @default 1
   */
  readonly nodeCount?: number;
  /**
   * Name of the existing MachineSet (owned by the cluster admin) that runs these nodes; messages and PLAN.md name it.
   * Pods still select the nodes by `nodeSelector`: a MachineSet's `machine.openshift.io/*` labels are on its Machines,
   * not on its Nodes, so select them by a label of the MachineSet's `spec.template.spec.metadata.labels` (or the
   * instance type).
   * @default - none
   */
  readonly machineSet?: string;
}

/**
 * GPU nodes that already exist: a MachineSet the cluster admin owns, bare-metal or GPU-operator nodes, nodes of any
 * cloud. Renders nothing; services placed here select the nodes, tolerate their taints, and are planned on their GPU.
 */
export class ExistingGpuNodes extends VllmConstruct implements IGpuPlacement {
  public readonly instanceType: GpuInstanceType;
  public readonly nodeSelector: { readonly [key: string]: string };
  public readonly taints: readonly NodeTaint[];
  public readonly nodeCount: number;
  public readonly description: string;
  private readonly demands: WorkloadDemand[] = [];

  constructor(scope: Construct, id: string, props: ExistingGpuNodesProps) {
    super(scope, id);
    const where = constructPath('ExistingGpuNodes', this);
    if (props.shape === undefined || props.shape === null || typeof props.shape !== 'object') {
      throw new Error(`${where}: shape is required: a catalog instance type (e.g. GpuInstanceType.G6E_12XLARGE) or { gpu, gpusPerNode, vcpu, memoryGiB }`);
    }
    this.instanceType = props.shape instanceof GpuInstanceType ? props.shape : customShape(where, props.shape, this.node.id);
    const catalog = props.shape instanceof GpuInstanceType;
    if (!props.nodeSelector && !catalog) {
      throw new Error(
        `${where}: nodeSelector is required for a custom shape: give the labels of the nodes (e.g. { '${GFD_PRODUCT_LABEL}': 'NVIDIA-H100-80GB-HBM3' })`,
      );
    }
    this.nodeSelector = { ...(props.nodeSelector ?? { [INSTANCE_TYPE_LABEL]: this.instanceType.name }) };
    requireLabels(where, 'nodeSelector', this.nodeSelector);
    requireSelectedGpu(where, this.nodeSelector, this.instanceType);
    // nodes someone else tainted: without their taints declared, the value is not known, so tolerate the key
    this.taints = [...(props.taints ?? [{ ...GPU_TAINT, tolerateAnyValue: true }])];
    requireTaints(where, this.taints);
    this.nodeCount = props.nodeCount ?? 1;
    if (!Number.isInteger(this.nodeCount) || this.nodeCount < 1) throw new Error(`${where}: nodeCount must be a positive whole number, got ${props.nodeCount}`);
    const selected = `${Object.entries(this.nodeSelector)
      .map(([k, v]) => `${k}=${v}`)
      .join(',')} (${this.instanceType.gpuCount} × ${this.instanceType.gpu.name} each)`;
    if (props.machineSet !== undefined) requireDnsSubdomain(where, 'machineSet', props.machineSet);
    const machineLabel = Object.keys(this.nodeSelector).find((k) => MACHINE_ONLY_LABELS.has(k));
    if (machineLabel) {
      throw new Error(
        `${where}: nodeSelector uses ${machineLabel}, a label of the MachineSet's Machines, not of its Nodes, so no pod would schedule: ` +
          "select the nodes by a label of the MachineSet's spec.template.spec.metadata.labels, or by instance type",
      );
    }
    this.description = props.machineSet !== undefined ? `existing MachineSet ${props.machineSet}: nodes ${selected}` : `nodes ${selected}`;
  }

  /** Workloads placed here so far. */
  public get workloads(): readonly WorkloadDemand[] {
    return [...this.demands];
  }

  public place(demand: WorkloadDemand): void {
    nodesNeeded(this.instanceType, [demand]);
    this.demands.push(demand);
    const needed = nodesNeeded(this.instanceType, this.demands);
    if (needed > this.nodeCount) {
      throw new Error(
        `${demand.workload}: the workloads placed on ${this.description} need ${needed} nodes but there are ${this.nodeCount}; raise nodeCount if the cluster has them, or place some elsewhere`,
      );
    }
  }
}

/**
 * A selector that names the nodes' GPU by its label (GPU Feature Discovery's product, GKE's accelerator, Karpenter's
 * GPU name) must name a GPU with at least the shape's memory: the services are planned on the shape, and pods land
 * where the selector says.
 */
function requireSelectedGpu(where: string, nodeSelector: Readonly<Record<string, string>>, shape: GpuInstanceType): void {
  const labelled = labelledGpusOf({ kind: 'Pod', spec: { nodeSelector } });
  const smaller = (labelled?.options ?? []).flatMap((o) => o.gpus.filter((g) => g.cudaVisibleGiB < shape.gpu.cudaVisibleGiB).map((g) => ({ o, g })));
  if (!smaller.length) return;
  const { o, g } = smaller[0];
  throw new Error(
    `${where}: nodeSelector ${o.selected} selects nodes of ${g.name} (${g.cudaVisibleGiB} GiB visible to CUDA), but shape.gpu is ${shape.gpu.name} (${shape.gpu.cudaVisibleGiB} GiB): ` +
      'services would be planned on memory their GPUs do not have; give the shape of the GPU the selector names, or select the nodes of that GPU',
  );
}

function customShape(where: string, s: GpuNodeShape, id: string): GpuInstanceType {
  if (!(s.gpu instanceof GpuModel)) {
    throw new Error(
      `${where}: shape.gpu must be a GpuModel (e.g. GpuModel.NVIDIA_L4, GpuModel.find('L4') or GpuModel.custom({…})), got ${JSON.stringify(s.gpu) ?? String(s.gpu)}`,
    );
  }
  try {
    return GpuInstanceType.custom({
      name: `custom-${s.gpu.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${s.gpusPerNode}gpu-${id.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`
        .slice(0, 63)
        .replace(/-+$/, ''),
      gpuCount: s.gpusPerNode,
      gpu: s.gpu,
      vcpu: s.vcpu,
      memoryGiB: s.memoryGiB,
      usdPerHour: s.usdPerHour,
    });
  } catch (e) {
    throw new Error(`${where}: shape: ${(e as Error).message.replace(/^GpuInstanceType\.custom\([^)]*\): /, '')}`);
  }
}
