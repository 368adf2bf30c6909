import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { GpuInstanceType } from '../catalog/instance-type';
import { cpuPropMillis, formatMiB, sizeMiB } from '../private/quantity';
import { VllmRuntime } from './vllm-runtime';

/** What a service or pool says of its vLLM container's CPU and memory. */
export interface ResourceProps {
  readonly cpu?: kplus.CpuResources;
  readonly memory?: kplus.MemoryResources;
}

/** CPU and memory of one pod's vLLM container, defaults resolved. */
export interface ResolvedResources {
  readonly cpuRequest: string;
  readonly cpuLimit: string;
  readonly cpuRequestMillis: number;
  readonly memoryRequestMiB: number;
  readonly memoryLimitMiB: number;
}

/** Requests and limits of one pod: those given, else per-GPU defaults capped by the node; refused when a node cannot hold them. */
export function defaultResources(self: string, gpus: number, type: GpuInstanceType, props: ResourceProps): ResolvedResources {
  const alloc = type.allocatable;
  const mebibytes = (field: string, s: Size | undefined) => (s === undefined ? undefined : sizeMiB(self, field, s));
  const memoryRequestMiB = mebibytes('memory.request', props.memory?.request) ?? Math.min(16 * 1024 * gpus, Math.floor(alloc.memoryMiB / 2 / 1024) * 1024);
  // a request above what one node can allocate never schedules: say so, rather than blame a default limit
  if (memoryRequestMiB > alloc.memoryMiB) {
    throw new Error(
      `${self}: memory.request ${formatMiB(memoryRequestMiB)} exceeds what one ${type.name} node can allocate (${formatMiB(alloc.memoryMiB)} of ${type.memoryGiB}Gi after ` +
        `OpenShift's system reservation); lower memory.request or place the service on a larger instance type`,
    );
  }
  const memoryLimitMiB =
    mebibytes('memory.limit', props.memory?.limit) ?? Math.max(memoryRequestMiB, Math.min(memoryRequestMiB * 2, Math.floor(alloc.memoryMiB / 1024) * 1024));
  const cpuRequest = props.cpu?.request?.amount ?? String(Math.min(4 * gpus, Math.floor(alloc.cpuMillis / 2000)));
  const cpuRequestMillis = cpuPropMillis(self, 'cpu.request', { amount: cpuRequest });
  if (cpuRequestMillis > alloc.cpuMillis) {
    throw new Error(
      `${self}: cpu.request ${cpuRequest} exceeds what one ${type.name} node can allocate (${alloc.cpuMillis}m of ${type.vcpu} vCPU after OpenShift's system reservation); ` +
        'lower cpu.request or place the service on a larger instance type',
    );
  }
  const cpuLimit = props.cpu?.limit?.amount ?? String(Math.max(cpuRequestMillis / 1000, Math.min(8 * gpus, Math.floor(alloc.cpuMillis / 1000))));
  if (memoryLimitMiB < memoryRequestMiB) {
    throw new Error(`${self}: memory.limit ${formatMiB(memoryLimitMiB)} is below memory.request ${formatMiB(memoryRequestMiB)}`);
  }
  if (cpuPropMillis(self, 'cpu.limit', { amount: cpuLimit }) < cpuRequestMillis) {
    throw new Error(`${self}: cpu.limit ${cpuLimit} is below cpu.request ${cpuRequest}`);
  }
  return { cpuRequest, cpuLimit, cpuRequestMillis, memoryRequestMiB, memoryLimitMiB };
}

/**
 * One pod's resources, with room beside the memory-backed /dev/shm its ranks need (it counts against the memory limit).
 * `needs` names who needs the /dev/shm in the message, e.g. 'that tensor parallelism 4 needs'.
 */
export function resourcesBesideShm(
  self: string,
  field: string,
  gpus: number,
  type: GpuInstanceType,
  props: ResourceProps,
  ranks: number,
  needs: string,
): ResolvedResources {
  const resources = defaultResources(self, gpus, type, props);
  const minShm = VllmRuntime.shmMiBFor(ranks);
  if (resources.memoryLimitMiB <= minShm) {
    throw new Error(
      `${self}: ${field}memory limit ${formatMiB(resources.memoryLimitMiB)} leaves no room beside the ${formatMiB(minShm)} /dev/shm ${needs}; raise memory.limit`,
    );
  }
  return resources;
}
