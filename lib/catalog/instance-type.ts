import { isLabelValue } from '../private/names';
import typeData from './data/instance-types.json';
import { GpuModel } from './gpu-model';
import { CatalogSource } from './source';

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
  /**
   * Price in USD per hour of one node, for cost reports and the cheapest-shape search.
   * @default - no price: costs are reported as unknown and the type is not ranked by price
   */
  readonly usdPerHour?: number;
  /**
   * What the price is (`on-demand list, us-east-1`, `1-year committed`).
   * @default 'given by the user'
   */
  readonly priceLabel?: string;
}

/** A node's price and where it comes from. */
export interface InstancePrice extends CatalogSource {
  /** USD per hour of one node. */
  readonly usdPerHour: number;
  /** The region the price is for, when it is a cloud's list price. */
  readonly region?: string;
  /** What kind of price it is, for reports: `on-demand list, us-east-1`, `prices.json: 1-year committed`. */
  readonly label: string;
  /** Other figures a source gave for the same price, kept for reference. */
  readonly alternatives?: readonly (CatalogSource & { readonly usdPerHour: number })[];
  /** Why this figure was chosen over the alternatives. */
  readonly choice?: string;
}

interface InstanceCatalogEntry {
  readonly name: string;
  readonly cloud: string;
  readonly gpuCount: number;
  readonly gpu: string;
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly specSource: CatalogSource;
  readonly price: (CatalogSource & { readonly usdPerHour: number; readonly region: string }) | null;
  readonly priceNote?: string;
}

const CATALOG: readonly InstanceCatalogEntry[] = typeData.instanceTypes;
const INSTANCES = new Map<string, GpuInstanceType>();

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

  // Loaded from data/instance-types.json, where every figure names its source and the date it was read.
  public static readonly G6_XLARGE = GpuInstanceType.fromCatalog('g6.xlarge');
  public static readonly G6_2XLARGE = GpuInstanceType.fromCatalog('g6.2xlarge');
  public static readonly G6_4XLARGE = GpuInstanceType.fromCatalog('g6.4xlarge');
  public static readonly G6_8XLARGE = GpuInstanceType.fromCatalog('g6.8xlarge');
  public static readonly G6_12XLARGE = GpuInstanceType.fromCatalog('g6.12xlarge');
  public static readonly G6_16XLARGE = GpuInstanceType.fromCatalog('g6.16xlarge');
  public static readonly G6_24XLARGE = GpuInstanceType.fromCatalog('g6.24xlarge');
  public static readonly G6_48XLARGE = GpuInstanceType.fromCatalog('g6.48xlarge');
  public static readonly G5_XLARGE = GpuInstanceType.fromCatalog('g5.xlarge');
  public static readonly G5_2XLARGE = GpuInstanceType.fromCatalog('g5.2xlarge');
  public static readonly G5_4XLARGE = GpuInstanceType.fromCatalog('g5.4xlarge');
  public static readonly G5_8XLARGE = GpuInstanceType.fromCatalog('g5.8xlarge');
  public static readonly G5_12XLARGE = GpuInstanceType.fromCatalog('g5.12xlarge');
  public static readonly G5_16XLARGE = GpuInstanceType.fromCatalog('g5.16xlarge');
  public static readonly G5_24XLARGE = GpuInstanceType.fromCatalog('g5.24xlarge');
  public static readonly G5_48XLARGE = GpuInstanceType.fromCatalog('g5.48xlarge');
  public static readonly G6E_XLARGE = GpuInstanceType.fromCatalog('g6e.xlarge');
  public static readonly G6E_2XLARGE = GpuInstanceType.fromCatalog('g6e.2xlarge');
  public static readonly G6E_4XLARGE = GpuInstanceType.fromCatalog('g6e.4xlarge');
  public static readonly G6E_8XLARGE = GpuInstanceType.fromCatalog('g6e.8xlarge');
  public static readonly G6E_12XLARGE = GpuInstanceType.fromCatalog('g6e.12xlarge');
  public static readonly G6E_16XLARGE = GpuInstanceType.fromCatalog('g6e.16xlarge');
  public static readonly G6E_24XLARGE = GpuInstanceType.fromCatalog('g6e.24xlarge');
  public static readonly G6E_48XLARGE = GpuInstanceType.fromCatalog('g6e.48xlarge');
  public static readonly P4D_24XLARGE = GpuInstanceType.fromCatalog('p4d.24xlarge');
  public static readonly P4DE_24XLARGE = GpuInstanceType.fromCatalog('p4de.24xlarge');
  public static readonly P5_4XLARGE = GpuInstanceType.fromCatalog('p5.4xlarge');
  public static readonly P5_48XLARGE = GpuInstanceType.fromCatalog('p5.48xlarge');
  public static readonly P5E_48XLARGE = GpuInstanceType.fromCatalog('p5e.48xlarge');
  public static readonly P5EN_48XLARGE = GpuInstanceType.fromCatalog('p5en.48xlarge');
  public static readonly G4DN_XLARGE = GpuInstanceType.fromCatalog('g4dn.xlarge');
  public static readonly G4DN_2XLARGE = GpuInstanceType.fromCatalog('g4dn.2xlarge');
  public static readonly G4DN_4XLARGE = GpuInstanceType.fromCatalog('g4dn.4xlarge');
  public static readonly G4DN_12XLARGE = GpuInstanceType.fromCatalog('g4dn.12xlarge');
  public static readonly G4DN_METAL = GpuInstanceType.fromCatalog('g4dn.metal');
  public static readonly P3_2XLARGE = GpuInstanceType.fromCatalog('p3.2xlarge');
  public static readonly P3_8XLARGE = GpuInstanceType.fromCatalog('p3.8xlarge');
  public static readonly P3_16XLARGE = GpuInstanceType.fromCatalog('p3.16xlarge');
  public static readonly AZURE_NC24ADS_A100_V4 = GpuInstanceType.fromCatalog('Standard_NC24ads_A100_v4');
  public static readonly AZURE_NC48ADS_A100_V4 = GpuInstanceType.fromCatalog('Standard_NC48ads_A100_v4');
  public static readonly AZURE_NC96ADS_A100_V4 = GpuInstanceType.fromCatalog('Standard_NC96ads_A100_v4');
  public static readonly AZURE_ND96AMSR_A100_V4 = GpuInstanceType.fromCatalog('Standard_ND96amsr_A100_v4');
  public static readonly AZURE_NC40ADS_H100_V5 = GpuInstanceType.fromCatalog('Standard_NC40ads_H100_v5');
  public static readonly AZURE_NC80ADIS_H100_V5 = GpuInstanceType.fromCatalog('Standard_NC80adis_H100_v5');
  public static readonly AZURE_ND96ISR_H100_V5 = GpuInstanceType.fromCatalog('Standard_ND96isr_H100_v5');
  public static readonly AZURE_ND96ISR_H200_V5 = GpuInstanceType.fromCatalog('Standard_ND96isr_H200_v5');
  public static readonly AZURE_NV36ADS_A10_V5 = GpuInstanceType.fromCatalog('Standard_NV36ads_A10_v5');
  public static readonly AZURE_NV72ADS_A10_V5 = GpuInstanceType.fromCatalog('Standard_NV72ads_A10_v5');
  public static readonly AZURE_NC4AS_T4_V3 = GpuInstanceType.fromCatalog('Standard_NC4as_T4_v3');
  public static readonly AZURE_NC16AS_T4_V3 = GpuInstanceType.fromCatalog('Standard_NC16as_T4_v3');
  public static readonly AZURE_NC64AS_T4_V3 = GpuInstanceType.fromCatalog('Standard_NC64as_T4_v3');
  public static readonly GCP_A2_HIGHGPU_1G = GpuInstanceType.fromCatalog('a2-highgpu-1g');
  public static readonly GCP_A2_HIGHGPU_2G = GpuInstanceType.fromCatalog('a2-highgpu-2g');
  public static readonly GCP_A2_HIGHGPU_4G = GpuInstanceType.fromCatalog('a2-highgpu-4g');
  public static readonly GCP_A2_HIGHGPU_8G = GpuInstanceType.fromCatalog('a2-highgpu-8g');
  public static readonly GCP_A2_ULTRAGPU_1G = GpuInstanceType.fromCatalog('a2-ultragpu-1g');
  public static readonly GCP_A2_ULTRAGPU_2G = GpuInstanceType.fromCatalog('a2-ultragpu-2g');
  public static readonly GCP_A2_ULTRAGPU_4G = GpuInstanceType.fromCatalog('a2-ultragpu-4g');
  public static readonly GCP_A2_ULTRAGPU_8G = GpuInstanceType.fromCatalog('a2-ultragpu-8g');
  public static readonly GCP_A3_HIGHGPU_8G = GpuInstanceType.fromCatalog('a3-highgpu-8g');
  public static readonly GCP_A3_MEGAGPU_8G = GpuInstanceType.fromCatalog('a3-megagpu-8g');
  public static readonly GCP_A3_ULTRAGPU_8G = GpuInstanceType.fromCatalog('a3-ultragpu-8g');
  public static readonly GCP_G2_STANDARD_4 = GpuInstanceType.fromCatalog('g2-standard-4');
  public static readonly GCP_G2_STANDARD_8 = GpuInstanceType.fromCatalog('g2-standard-8');
  public static readonly GCP_G2_STANDARD_12 = GpuInstanceType.fromCatalog('g2-standard-12');
  public static readonly GCP_G2_STANDARD_16 = GpuInstanceType.fromCatalog('g2-standard-16');
  public static readonly GCP_G2_STANDARD_24 = GpuInstanceType.fromCatalog('g2-standard-24');
  public static readonly GCP_G2_STANDARD_32 = GpuInstanceType.fromCatalog('g2-standard-32');
  public static readonly GCP_G2_STANDARD_48 = GpuInstanceType.fromCatalog('g2-standard-48');
  public static readonly GCP_G2_STANDARD_96 = GpuInstanceType.fromCatalog('g2-standard-96');

  /** Every well-known instance type, in catalog order. */
  public static all(): GpuInstanceType[] {
    return CATALOG.map((e) => GpuInstanceType.fromCatalog(e.name));
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

  /** The catalog's instance type of that exact name, one instance per name. */
  private static fromCatalog(name: string): GpuInstanceType {
    let type = INSTANCES.get(name);
    if (!type) {
      const e = CATALOG.find((x) => x.name === name);
      if (!e) throw new Error(`the instance-type catalog (data/instance-types.json) has no type named ${name}`);
      const price: InstancePrice | undefined = e.price ? { ...e.price, label: `on-demand list, ${e.price.region}` } : undefined;
      type = new GpuInstanceType(
        { name: e.name, cloud: e.cloud as Cloud, gpuCount: e.gpuCount, gpu: GpuModel.find(e.gpu), vcpu: e.vcpu, memoryGiB: e.memoryGiB },
        price,
        e.specSource,
        e.priceNote,
      );
      INSTANCES.set(name, type);
    }
    return type;
  }

  public readonly name: string;
  public readonly cloud: Cloud;
  public readonly gpuCount: number;
  public readonly gpu: GpuModel;
  public readonly vcpu: number;
  public readonly memoryGiB: number;
  /** The node's price and its source, when one is known. */
  public readonly price?: InstancePrice;
  /** Where the shape (GPUs, vCPUs, memory) comes from. */
  public readonly specSource: CatalogSource;
  /** Why the catalog has no price for the type, when it has none. */
  public readonly priceNote?: string;

  private constructor(spec: GpuInstanceTypeSpec, price?: InstancePrice, specSource?: CatalogSource, priceNote?: string) {
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
    if (spec.usdPerHour !== undefined && !(typeof spec.usdPerHour === 'number' && Number.isFinite(spec.usdPerHour) && spec.usdPerHour >= 0))
      throw new Error(`${where}: usdPerHour must be a price of 0 or more, got ${String(spec.usdPerHour)}`);
    this.name = spec.name;
    this.cloud = spec.cloud ?? 'custom';
    this.gpuCount = spec.gpuCount;
    this.gpu = spec.gpu;
    this.vcpu = spec.vcpu;
    this.memoryGiB = spec.memoryGiB;
    this.specSource = specSource ?? { document: 'given by the user (GpuInstanceType.custom)', read: 'at synth' };
    this.priceNote = priceNote;
    this.price =
      price ??
      (spec.usdPerHour !== undefined
        ? { usdPerHour: spec.usdPerHour, label: spec.priceLabel ?? 'given by the user', document: 'GpuInstanceType.custom', read: 'at synth' }
        : undefined);
  }

  /** USD per hour of one node, when a price is known. */
  public get usdPerHour(): number | undefined {
    return this.price?.usdPerHour;
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

  /** Cost of one node for an average month, in USD, when a price is known. */
  public get usdPerMonth(): number | undefined {
    return this.price ? this.price.usdPerHour * GpuInstanceType.HOURS_PER_MONTH : undefined;
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
