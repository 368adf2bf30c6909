import { GpuModel } from '../catalog/gpu-model';
import { GpuInstanceType } from '../catalog/instance-type';
import { isMapping, Loose, mapping, stringMap } from '../manifests/access';
import { NODE_SHAPE_ANNOTATION } from '../k8s/keys';

/** The recorded shape, as JSON. */
export interface NodeShapeRecord {
  readonly gpuModel: string;
  readonly gpusPerNode: number;
  readonly vcpu: number;
  readonly memoryGiB: number;
  /** What pods can request on one node (capacity less OpenShift's system reservation), for a reader. */
  readonly allocatable: { readonly cpu: string; readonly memory: string };
  /** The cloud's instance type, when the nodes are of a catalog type. */
  readonly instanceType?: string;
  /** How the placement names itself (`MachineSet x`, `nodes gpu=l4 (2 × L4 each)`). */
  readonly placement: string;
  /** A GPU that is not in the catalog. */
  readonly gpu?: { readonly cudaVisibleGiB: number; readonly computeCapability: string; readonly fp8Compute: boolean };
}

/** The annotation's value for nodes of `type`, placed as `placement` says. */
export function nodeShapeAnnotation(type: GpuInstanceType, placement: string): string {
  const a = type.allocatable;
  const catalogGpu = GpuModel.tryFind(type.gpu.name) === type.gpu;
  const record: NodeShapeRecord = {
    gpuModel: type.gpu.name,
    gpusPerNode: type.gpuCount,
    vcpu: type.vcpu,
    memoryGiB: type.memoryGiB,
    allocatable: { cpu: `${a.cpuMillis}m`, memory: `${a.memoryMiB}Mi` },
    ...(type.cloud !== 'custom' ? { instanceType: type.name } : {}),
    placement,
    ...(catalogGpu ? {} : { gpu: { cudaVisibleGiB: type.gpu.cudaVisibleGiB, computeCapability: type.gpu.computeCapability, fp8Compute: type.gpu.fp8Compute } }),
  };
  return JSON.stringify(record);
}

/**
 * The node shape an annotation records, as an instance type the rules can plan on: the catalog's type when it names
 * one of the same GPUs, else a custom type of the recorded GPU, GPUs, vCPUs and memory.
 * @returns the type, or why the annotation cannot be read
 */
export function nodeShapeOf(value: unknown): { type: GpuInstanceType; placement: string } | { error: string } {
  let r: Loose;
  try {
    r = JSON.parse(String(value)) as Loose;
  } catch {
    return { error: `annotation ${NODE_SHAPE_ANNOTATION} is not JSON` };
  }
  if (!isMapping(r)) return { error: `annotation ${NODE_SHAPE_ANNOTATION} is not a JSON object` };
  const placement = typeof r.placement === 'string' ? r.placement : 'the recorded nodes';
  const catalog = typeof r.instanceType === 'string' ? GpuInstanceType.tryFind(r.instanceType) : undefined;
  if (catalog && catalog.gpuCount === r.gpusPerNode && catalog.gpu.name === r.gpuModel) return { type: catalog, placement };
  const custom = isMapping(r.gpu) ? r.gpu : undefined;
  const gpu =
    custom && typeof custom.cudaVisibleGiB === 'number' && custom.cudaVisibleGiB > 0
      ? GpuModel.custom({
          name: typeof r.gpuModel === 'string' ? r.gpuModel : undefined,
          cudaVisibleGiB: custom.cudaVisibleGiB,
          computeCapability: typeof custom.computeCapability === 'string' ? custom.computeCapability : undefined,
          fp8Compute: custom.fp8Compute === true,
        })
      : typeof r.gpuModel === 'string'
        ? GpuModel.tryFind(r.gpuModel)
        : undefined;
  if (!gpu)
    return {
      error: `annotation ${NODE_SHAPE_ANNOTATION} names GPU model ${JSON.stringify(r.gpuModel)}, which is not in the catalog and has no gpu.cudaVisibleGiB`,
    };
  try {
    const type = GpuInstanceType.custom({
      name: typeof r.instanceType === 'string' ? r.instanceType : `custom-${gpu.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${String(r.gpusPerNode)}gpu`,
      gpu,
      gpuCount: r.gpusPerNode as number,
      vcpu: r.vcpu as number,
      memoryGiB: r.memoryGiB as number,
      usdPerHour: 0,
    });
    return { type, placement };
  } catch (e) {
    return { error: `annotation ${NODE_SHAPE_ANNOTATION}: ${(e as Error).message.replace(/^GpuInstanceType\.custom\([^)]*\): /, '')}` };
  }
}

/** The node shape recorded on a workload (annotation `cdk8s-vllm.io/node-shape`), or why it cannot be read; undefined when none is. */
export function recordedNodeShapeOf(m: Loose): ReturnType<typeof nodeShapeOf> | undefined {
  const value = stringMap(mapping(m.metadata).annotations)[NODE_SHAPE_ANNOTATION];
  return value === undefined ? undefined : nodeShapeOf(value);
}
