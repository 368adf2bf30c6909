import { isLabelValue } from '../private/names';
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

/** Where an instance type is offered. */
export type Cloud = 'aws' | 'azure' | 'gcp' | 'custom';

/** Shape of a GPU instance type. */
export interface GpuInstanceTypeSpec {
  /**
   * The cloud's name, e.g. `g6.12xlarge`, `Standard_NC24ads_A100_v4`, `a2-highgpu-1g`; it is the node label
   * `node.kubernetes.io/instance-type`, so it must be a valid label value.
   */
  readonly name: string;
  /**
   * The cloud that offers it.
   * @default 'custom'
   */
  readonly cloud?: Cloud;
  /** GPUs per node. */
  readonly gpuCount: number;
  /** The GPU model. */
  readonly gpu: GpuModel;
  /** vCPUs per node. */
  readonly vcpu: number;
  /** Memory per node, in GiB. */
  readonly memoryGiB: number;
  /** On-demand price in USD per hour (list price, Linux; AWS us-east-1, Azure East US, Google Cloud us-central1), for cost reports. */
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
  // T4 and V100 generations (compute capability 7.5 and 7.0): no bfloat16, no FP8
  public static readonly G4DN_XLARGE = GpuInstanceType.aws('g4dn.xlarge', 1, GpuModel.NVIDIA_T4, 4, 16, 0.526);
  public static readonly G4DN_2XLARGE = GpuInstanceType.aws('g4dn.2xlarge', 1, GpuModel.NVIDIA_T4, 8, 32, 0.752);
  public static readonly G4DN_4XLARGE = GpuInstanceType.aws('g4dn.4xlarge', 1, GpuModel.NVIDIA_T4, 16, 64, 1.204);
  public static readonly G4DN_12XLARGE = GpuInstanceType.aws('g4dn.12xlarge', 4, GpuModel.NVIDIA_T4, 48, 192, 3.912);
  public static readonly G4DN_METAL = GpuInstanceType.aws('g4dn.metal', 8, GpuModel.NVIDIA_T4, 96, 384, 7.824);
  public static readonly P3_2XLARGE = GpuInstanceType.aws('p3.2xlarge', 1, GpuModel.NVIDIA_V100_16GB, 8, 61, 3.06);
  public static readonly P3_8XLARGE = GpuInstanceType.aws('p3.8xlarge', 4, GpuModel.NVIDIA_V100_16GB, 32, 244, 12.24);
  public static readonly P3_16XLARGE = GpuInstanceType.aws('p3.16xlarge', 8, GpuModel.NVIDIA_V100_16GB, 64, 488, 24.48);

  // Azure (East US list prices): NC A100 v4, NC H100 v5, ND H100 v5, NV A10 v5 (whole-GPU sizes), NC T4 v3
  public static readonly AZURE_NC24ADS_A100_V4 = GpuInstanceType.azure('Standard_NC24ads_A100_v4', 1, GpuModel.NVIDIA_A100_80GB, 24, 220, 3.673);
  public static readonly AZURE_NC48ADS_A100_V4 = GpuInstanceType.azure('Standard_NC48ads_A100_v4', 2, GpuModel.NVIDIA_A100_80GB, 48, 440, 7.346);
  public static readonly AZURE_NC96ADS_A100_V4 = GpuInstanceType.azure('Standard_NC96ads_A100_v4', 4, GpuModel.NVIDIA_A100_80GB, 96, 880, 14.692);
  public static readonly AZURE_NC40ADS_H100_V5 = GpuInstanceType.azure('Standard_NC40ads_H100_v5', 1, GpuModel.NVIDIA_H100_NVL, 40, 320, 6.98);
  public static readonly AZURE_NC80ADIS_H100_V5 = GpuInstanceType.azure('Standard_NC80adis_H100_v5', 2, GpuModel.NVIDIA_H100_NVL, 80, 640, 13.96);
  public static readonly AZURE_ND96ISR_H100_V5 = GpuInstanceType.azure('Standard_ND96isr_H100_v5', 8, GpuModel.NVIDIA_H100_80GB, 96, 1900, 98.32);
  public static readonly AZURE_NV36ADS_A10_V5 = GpuInstanceType.azure('Standard_NV36ads_A10_v5', 1, GpuModel.NVIDIA_A10, 36, 440, 3.2);
  public static readonly AZURE_NV72ADS_A10_V5 = GpuInstanceType.azure('Standard_NV72ads_A10_v5', 2, GpuModel.NVIDIA_A10, 72, 880, 6.52);
  public static readonly AZURE_NC4AS_T4_V3 = GpuInstanceType.azure('Standard_NC4as_T4_v3', 1, GpuModel.NVIDIA_T4, 4, 28, 0.526);
  public static readonly AZURE_NC16AS_T4_V3 = GpuInstanceType.azure('Standard_NC16as_T4_v3', 1, GpuModel.NVIDIA_T4, 16, 110, 1.204);
  public static readonly AZURE_NC64AS_T4_V3 = GpuInstanceType.azure('Standard_NC64as_T4_v3', 4, GpuModel.NVIDIA_T4, 64, 440, 4.352);

  // Google Cloud (us-central1 list prices, GPUs included): A2 (A100 40 GB and 80 GB), A3 (H100), G2 (L4)
  public static readonly GCP_A2_HIGHGPU_1G = GpuInstanceType.gcp('a2-highgpu-1g', 1, GpuModel.NVIDIA_A100_40GB, 12, 85, 3.67);
  public static readonly GCP_A2_HIGHGPU_2G = GpuInstanceType.gcp('a2-highgpu-2g', 2, GpuModel.NVIDIA_A100_40GB, 24, 170, 7.35);
  public static readonly GCP_A2_HIGHGPU_4G = GpuInstanceType.gcp('a2-highgpu-4g', 4, GpuModel.NVIDIA_A100_40GB, 48, 340, 14.69);
  public static readonly GCP_A2_HIGHGPU_8G = GpuInstanceType.gcp('a2-highgpu-8g', 8, GpuModel.NVIDIA_A100_40GB, 96, 680, 29.39);
  public static readonly GCP_A2_ULTRAGPU_1G = GpuInstanceType.gcp('a2-ultragpu-1g', 1, GpuModel.NVIDIA_A100_80GB, 12, 170, 5.07);
  public static readonly GCP_A2_ULTRAGPU_2G = GpuInstanceType.gcp('a2-ultragpu-2g', 2, GpuModel.NVIDIA_A100_80GB, 24, 340, 10.14);
  public static readonly GCP_A2_ULTRAGPU_4G = GpuInstanceType.gcp('a2-ultragpu-4g', 4, GpuModel.NVIDIA_A100_80GB, 48, 680, 20.28);
  public static readonly GCP_A2_ULTRAGPU_8G = GpuInstanceType.gcp('a2-ultragpu-8g', 8, GpuModel.NVIDIA_A100_80GB, 96, 1360, 40.55);
  public static readonly GCP_A3_HIGHGPU_8G = GpuInstanceType.gcp('a3-highgpu-8g', 8, GpuModel.NVIDIA_H100_80GB, 208, 1872, 88.25);
  public static readonly GCP_G2_STANDARD_4 = GpuInstanceType.gcp('g2-standard-4', 1, GpuModel.NVIDIA_L4, 4, 16, 0.71);
  public static readonly GCP_G2_STANDARD_8 = GpuInstanceType.gcp('g2-standard-8', 1, GpuModel.NVIDIA_L4, 8, 32, 0.85);
  public static readonly GCP_G2_STANDARD_16 = GpuInstanceType.gcp('g2-standard-16', 1, GpuModel.NVIDIA_L4, 16, 64, 1.15);
  public static readonly GCP_G2_STANDARD_24 = GpuInstanceType.gcp('g2-standard-24', 2, GpuModel.NVIDIA_L4, 24, 96, 2.0);
  public static readonly GCP_G2_STANDARD_48 = GpuInstanceType.gcp('g2-standard-48', 4, GpuModel.NVIDIA_L4, 48, 192, 4.0);
  public static readonly GCP_G2_STANDARD_96 = GpuInstanceType.gcp('g2-standard-96', 8, GpuModel.NVIDIA_L4, 96, 384, 8.0);

  /** Every well-known instance type, in catalog order. */
  public static all(): GpuInstanceType[] {
    return Object.values(GpuInstanceType).filter((v): v is GpuInstanceType => v instanceof GpuInstanceType);
  }

  /** The catalog's instance types of one cloud. */
  public static of(cloud: Cloud): GpuInstanceType[] {
    return GpuInstanceType.all().filter((t) => t.cloud === cloud);
  }

  /** Looks an instance type up by name (`g6.12xlarge`, `Standard_NC24ads_A100_v4`), case-insensitively. @returns undefined when unknown */
  public static tryFind(name: string): GpuInstanceType | undefined {
    const wanted = name.trim().toLowerCase();
    return GpuInstanceType.all().find((t) => t.name.toLowerCase() === wanted);
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
        `unknown GPU instance type '${name}': known ${same.length ? `${family} types are ${same.join(', ')}` : 'AWS families are g4dn, g5, g6, g6e, p3, p4d, p5, Azure NC/ND/NV sizes and Google Cloud a2, a3, g2'}; ` +
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
    return new GpuInstanceType({ name, cloud: 'aws', gpuCount, gpu, vcpu, memoryGiB, usdPerHour });
  }

  private static azure(name: string, gpuCount: number, gpu: GpuModel, vcpu: number, memoryGiB: number, usdPerHour: number) {
    return new GpuInstanceType({ name, cloud: 'azure', gpuCount, gpu, vcpu, memoryGiB, usdPerHour });
  }

  private static gcp(name: string, gpuCount: number, gpu: GpuModel, vcpu: number, memoryGiB: number, usdPerHour: number) {
    return new GpuInstanceType({ name, cloud: 'gcp', gpuCount, gpu, vcpu, memoryGiB, usdPerHour });
  }

  public readonly name: string;
  public readonly cloud: Cloud;
  public readonly gpuCount: number;
  public readonly gpu: GpuModel;
  public readonly vcpu: number;
  public readonly memoryGiB: number;
  public readonly usdPerHour: number;

  private constructor(spec: GpuInstanceTypeSpec) {
    const where = `GpuInstanceType.custom(${JSON.stringify(spec.name)})`;
    // the name is the value of the node label node.kubernetes.io/instance-type
    if (typeof spec.name !== 'string' || spec.name === '' || !isLabelValue(spec.name)) {
      throw new Error(
        `${where}: name must be the node label value of the type (node.kubernetes.io/instance-type): at most 63 letters, digits, '-', '_' and '.'`,
      );
    }
    for (const [k, v] of Object.entries({ gpuCount: spec.gpuCount, vcpu: spec.vcpu, memoryGiB: spec.memoryGiB })) {
      if (!Number.isInteger(v) || v <= 0) throw new Error(`${where}: ${k} must be a positive whole number, got ${v}`);
    }
    if (!(Number.isFinite(spec.usdPerHour) && spec.usdPerHour >= 0))
      throw new Error(`${where}: usdPerHour must be a price of 0 or more, got ${spec.usdPerHour}`);
    this.name = spec.name;
    this.cloud = spec.cloud ?? 'custom';
    this.gpuCount = spec.gpuCount;
    this.gpu = spec.gpu;
    this.vcpu = spec.vcpu;
    this.memoryGiB = spec.memoryGiB;
    this.usdPerHour = spec.usdPerHour;
  }

  /** A name usable in Kubernetes object names: `g6-12xlarge`. */
  public get dnsName(): string {
    return this.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
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
