import { GpuModel } from './gpu-model';
import { GpuInstanceType } from './instance-type';

/** The GPUs of one node of a cloud machine type: the model, how many, and the instance type when the catalog holds it. */
export interface MachineTypeGpus {
  readonly gpu: GpuModel;
  readonly count: number;
  readonly type?: GpuInstanceType;
}

/**
 * GPU machine types of the clouds whose node pools a Terraform configuration declares, beyond the instance-type
 * catalog (lib/catalog/data/instance-types.json, which also gives CPUs, memory and a price): the catalog GPU each
 * node carries and how many, nothing more. Each from the cloud's size pages:
 * - Azure NCv3-series (Microsoft Learn, "NCv3-series"): NVIDIA Tesla V100 16 GB; NC6s_v3 1, NC12s_v3 2, NC24s_v3 and
 *   NC24rs_v3 4 (retired 2025-09-30, still written in many configurations).
 * - Azure NCasT4_v3-series: NC8as_T4_v3, one T4 (the other sizes are in the catalog).
 * - Azure ND A100 v4-series: ND96asr_v4, eight A100 40 GB.
 * - Azure NVadsA10 v5-series: NV36adms_A10_v5, one whole A10 (NV6, NV12 and NV18ads are a sixth, a third and half
 *   of one: a vGPU partition of 4, 8 or 12 GiB the catalog does not describe, so left out).
 * - Google Cloud A3 High (compute docs, "Accelerator-optimized machine family"): a3-highgpu-1g, -2g, -4g: 1, 2 and 4
 *   H100 80GB.
 * - Amazon EC2 G4dn (aws.amazon.com/ec2/instance-types/g4): g4dn.8xlarge and g4dn.16xlarge, one T4.
 */
const MACHINE_GPUS: Readonly<Record<string, { readonly gpu: string; readonly count: number }>> = {
  standard_nc6s_v3: { gpu: 'V100-16GB', count: 1 },
  standard_nc12s_v3: { gpu: 'V100-16GB', count: 2 },
  standard_nc24s_v3: { gpu: 'V100-16GB', count: 4 },
  standard_nc24rs_v3: { gpu: 'V100-16GB', count: 4 },
  standard_nc8as_t4_v3: { gpu: 'T4', count: 1 },
  standard_nd96asr_v4: { gpu: 'A100-40GB', count: 8 },
  standard_nv36adms_a10_v5: { gpu: 'A10', count: 1 },
  'a3-highgpu-1g': { gpu: 'H100-80GB', count: 1 },
  'a3-highgpu-2g': { gpu: 'H100-80GB', count: 2 },
  'a3-highgpu-4g': { gpu: 'H100-80GB', count: 4 },
  'g4dn.8xlarge': { gpu: 'T4', count: 1 },
  'g4dn.16xlarge': { gpu: 'T4', count: 1 },
};

/** The GPUs of a node of the machine type (an EC2 instance type, an Azure VM size, a GCE machine type); undefined when not known here. */
export function machineTypeGpus(name: string): MachineTypeGpus | undefined {
  const type = GpuInstanceType.tryFind(name);
  if (type) return { gpu: type.gpu, count: type.gpuCount, type };
  const known = MACHINE_GPUS[name.trim().toLowerCase()];
  return known ? { gpu: GpuModel.find(known.gpu), count: known.count } : undefined;
}
