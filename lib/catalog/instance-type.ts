import { GpuModel } from './gpu-model';

/** Capacity of one node. CPU in millicores, memory in MiB. */
export interface NodeResources {
  /** CPU in millicores. */
  readonly cpuMillis: number;
  /** Memory in MiB. */
  readonly memoryMiB: number;
  /** Number of `nvidia.com/gpu` devices. */
  readonly gpus: number;
}

/** Shape of a GPU instance type. */
export interface GpuInstanceTypeSpec {
  /** The cloud's name, e.g. `g6.12xlarge`; it is the node label `node.kubernetes.io/instance-type`. */
  readonly name: string;
  /** GPUs per node. */
  readonly gpuCount: number;
  /** The GPU model. */
  readonly gpu: GpuModel;
  /** vCPUs per node. */
  readonly vcpu: number;
  /** Memory per node, in GiB. */
  readonly memoryGiB: number;
  /** On-demand price in USD per hour (AWS us-east-1, Linux), for cost reports. */
  readonly usdPerHour: number;
}

/**
 * A cloud instance type with GPUs. Well-known AWS types are static members and can be found by name;
 * others can be described with `GpuInstanceType.custom()`.
 *
 * GPUs talk over PCIe only on g5/g6/g6e (no NVLink); tensor parallelism above 1 needs a multi-GPU shape
 * (12xlarge, 24xlarge, 48xlarge), since g5/g6/g6e.16xlarge have a single GPU despite their vCPUs.
 */
export class GpuInstanceType {
  /** Hours in the average month, for monthly cost figures (365.25 × 24 / 12). */
  public static readonly HOURS_PER_MONTH = 730.5;

  public static readonly G6_XLARGE = GpuInstanceType.aws('g6.xlarge', 1, GpuModel.NVIDIA_L4, 4, 16, 0.8048);
  public static readonly G6_2XLARGE = GpuInstanceType.aws('g6.2xlarge', 1, GpuModel.NVIDIA_L4, 8, 32, 0.9776);
  public static readonly G6_4XLARGE = GpuInstanceType.aws('g6.4xlarge', 1, GpuModel.NVIDIA_L4, 16, 64, 1.3232);
  public static readonly G6_8XLARGE = GpuInstanceType.aws('g6.8xlarge', 1, GpuModel.NVIDIA_L4, 32, 128, 2.0144);
  public static readonly G6_12XLARGE = GpuInstanceType.aws('g6.12xlarge', 4, GpuModel.NVIDIA_L4, 48, 192, 4.6016);
  public static readonly G6_16XLARGE = GpuInstanceType.aws('g6.16xlarge', 1, GpuModel.NVIDIA_L4, 64, 256, 3.3968);
  public static readonly G6_24XLARGE = GpuInstanceType.aws('g6.24xlarge', 4, GpuModel.NVIDIA_L4, 96, 384, 6.6752);
  public static readonly G6_48XLARGE = GpuInstanceType.aws('g6.48xlarge', 8, GpuModel.NVIDIA_L4, 192, 768, 13.3504);
  public static readonly G5_XLARGE = GpuInstanceType.aws('g5.xlarge', 1, GpuModel.NVIDIA_A10G, 4, 16, 1.006);
  public static readonly G5_2XLARGE = GpuInstanceType.aws('g5.2xlarge', 1, GpuModel.NVIDIA_A10G, 8, 32, 1.212);
  public static readonly G5_4XLARGE = GpuInstanceType.aws('g5.4xlarge', 1, GpuModel.NVIDIA_A10G, 16, 64, 1.624);
  public static readonly G5_8XLARGE = GpuInstanceType.aws('g5.8xlarge', 1, GpuModel.NVIDIA_A10G, 32, 128, 2.448);
  public static readonly G5_12XLARGE = GpuInstanceType.aws('g5.12xlarge', 4, GpuModel.NVIDIA_A10G, 48, 192, 5.672);
  public static readonly G5_16XLARGE = GpuInstanceType.aws('g5.16xlarge', 1, GpuModel.NVIDIA_A10G, 64, 256, 4.096);
  public static readonly G5_24XLARGE = GpuInstanceType.aws('g5.24xlarge', 4, GpuModel.NVIDIA_A10G, 96, 384, 8.144);
  public static readonly G5_48XLARGE = GpuInstanceType.aws('g5.48xlarge', 8, GpuModel.NVIDIA_A10G, 192, 768, 16.288);
  public static readonly G6E_XLARGE = GpuInstanceType.aws('g6e.xlarge', 1, GpuModel.NVIDIA_L40S, 4, 32, 1.861);
  public static readonly G6E_2XLARGE = GpuInstanceType.aws('g6e.2xlarge', 1, GpuModel.NVIDIA_L40S, 8, 64, 2.24208);
  public static readonly G6E_4XLARGE = GpuInstanceType.aws('g6e.4xlarge', 1, GpuModel.NVIDIA_L40S, 16, 128, 3.00424);
  public static readonly G6E_8XLARGE = GpuInstanceType.aws('g6e.8xlarge', 1, GpuModel.NVIDIA_L40S, 32, 256, 4.52856);
  public static readonly G6E_12XLARGE = GpuInstanceType.aws('g6e.12xlarge', 4, GpuModel.NVIDIA_L40S, 48, 384, 10.49264);
  public static readonly G6E_16XLARGE = GpuInstanceType.aws('g6e.16xlarge', 1, GpuModel.NVIDIA_L40S, 64, 512, 7.57719);
  public static readonly G6E_24XLARGE = GpuInstanceType.aws('g6e.24xlarge', 4, GpuModel.NVIDIA_L40S, 96, 768, 15.06559);
  public static readonly G6E_48XLARGE = GpuInstanceType.aws('g6e.48xlarge', 8, GpuModel.NVIDIA_L40S, 192, 1536, 30.13118);
  public static readonly P4D_24XLARGE = GpuInstanceType.aws('p4d.24xlarge', 8, GpuModel.NVIDIA_A100_40GB, 96, 1152, 21.96);
  public static readonly P5_48XLARGE = GpuInstanceType.aws('p5.48xlarge', 8, GpuModel.NVIDIA_H100_80GB, 192, 2048, 55.04);

  /** Every well-known instance type, in catalog order. */
  public static all(): GpuInstanceType[] {
    return Object.values(GpuInstanceType).filter((v): v is GpuInstanceType => v instanceof GpuInstanceType);
  }

  /** Looks an instance type up by name (`g6.12xlarge`). @returns undefined when unknown */
  public static tryFind(name: string): GpuInstanceType | undefined {
    return GpuInstanceType.all().find((t) => t.name === name.trim().toLowerCase());
  }

  /** Like `tryFind`, but throws an error that lists the known types of the same family. */
  public static find(name: string): GpuInstanceType {
    const t = GpuInstanceType.tryFind(name);
    if (!t) {
      const family = name.split('.')[0];
      const same = GpuInstanceType.all()
        .filter((x) => x.name.startsWith(`${family}.`))
        .map((x) => x.name);
      throw new Error(
        `unknown GPU instance type '${name}': known ${same.length ? `${family} types are ${same.join(', ')}` : 'families are g5, g6, g6e, p4d, p5'}; ` +
          'describe any other type with GpuInstanceType.custom()',
      );
    }
    return t;
  }

  /** An instance type that is not in the catalog. */
  public static custom(spec: GpuInstanceTypeSpec): GpuInstanceType {
    return new GpuInstanceType(spec);
  }

  private static aws(name: string, gpuCount: number, gpu: GpuModel, vcpu: number, memoryGiB: number, usdPerHour: number) {
    return new GpuInstanceType({ name, gpuCount, gpu, vcpu, memoryGiB, usdPerHour });
  }

  public readonly name: string;
  public readonly gpuCount: number;
  public readonly gpu: GpuModel;
  public readonly vcpu: number;
  public readonly memoryGiB: number;
  public readonly usdPerHour: number;

  private constructor(spec: GpuInstanceTypeSpec) {
    if (!/^[a-z0-9-]+\.[a-z0-9-]+$/.test(spec.name)) {
      throw new Error(`instance type name '${spec.name}' is not of the form <family>.<size>, e.g. g6.12xlarge`);
    }
    for (const [k, v] of Object.entries({ gpuCount: spec.gpuCount, vcpu: spec.vcpu, memoryGiB: spec.memoryGiB })) {
      if (!Number.isInteger(v) || v <= 0) throw new Error(`instance type ${spec.name}: ${k} must be a positive integer, got ${v}`);
    }
    this.name = spec.name;
    this.gpuCount = spec.gpuCount;
    this.gpu = spec.gpu;
    this.vcpu = spec.vcpu;
    this.memoryGiB = spec.memoryGiB;
    this.usdPerHour = spec.usdPerHour;
  }

  /** A name usable in Kubernetes object names: `g6-12xlarge`. */
  public get dnsName(): string {
    return this.name.replace(/\./g, '-');
  }

  /** Node capacity as the kubelet reports it. */
  public get capacity(): NodeResources {
    return { cpuMillis: this.vcpu * 1000, memoryMiB: this.memoryGiB * 1024, gpus: this.gpuCount };
  }

  /**
   * What pods can request on one node: capacity less OpenShift's automatically sized system reservation
   * (the machine-config-operator's `dynamic-system-reserved-calc.sh`: memory 25 % of the first 4 GiB, 20 % of the
   * next 4, 10 % of the next 8, 6 % of the next 112, 2 % above; CPU 6 % of the first core, 1 % of the second,
   * 0.5 % of the next two, 0.25 % above) and the kubelet's 100 MiB hard eviction threshold.
   */
  public get allocatable(): NodeResources {
    return {
      cpuMillis: Math.floor(this.vcpu * 1000 - reservedCpuMillis(this.vcpu)),
      memoryMiB: Math.floor(this.memoryGiB * 1024 - reservedMemoryMiB(this.memoryGiB) - 100),
      gpus: this.gpuCount,
    };
  }

  /** On-demand cost of one node for an average month, in USD. */
  public get usdPerMonth(): number {
    return this.usdPerHour * GpuInstanceType.HOURS_PER_MONTH;
  }
}

function tiered(total: number, tiers: ReadonlyArray<readonly [number, number]>, rest: number): number {
  let left = total;
  let reserved = 0;
  for (const [size, fraction] of tiers) {
    const part = Math.min(left, size);
    reserved += part * fraction;
    left -= part;
  }
  return reserved + Math.max(0, left) * rest;
}

function reservedMemoryMiB(memoryGiB: number): number {
  return (
    tiered(
      memoryGiB,
      [
        [4, 0.25],
        [4, 0.2],
        [8, 0.1],
        [112, 0.06],
      ],
      0.02,
    ) * 1024
  );
}

function reservedCpuMillis(vcpu: number): number {
  return (
    tiered(
      vcpu,
      [
        [1, 0.06],
        [1, 0.01],
        [2, 0.005],
      ],
      0.0025,
    ) * 1000
  );
}
