import gpuData from './data/gpus.json';
import calibrationData from './data/calibration.json';
import { FieldSource } from './source';

/** GB per GiB (2^30 / 10^9): marketed memory is in GB. */
const BYTES_PER_GIB_IN_GB = 2 ** 30 / 1e9;

/**
 * Properties of a GPU model that decide whether and how a model can be served on it.
 */
export interface GpuModelSpec {
  /** Short name used on the command line and in reports, e.g. `L4`. */
  readonly name: string;
  /** Value of the NVIDIA GPU feature discovery label `nvidia.com/gpu.product`, e.g. `NVIDIA-L4`. */
  readonly product: string;
  /**
   * Memory as CUDA reports it (`torch.cuda.mem_get_info()[1]`), in GiB. vLLM multiplies this, not the nameplate,
   * by `--gpu-memory-utilization`; it is smaller than the nameplate and than nvidia-smi's total.
   */
  readonly cudaVisibleGiB: number;
  /** Nameplate memory in GB, as marketed (for reports only). */
  readonly nameplateGB: number;
  /** CUDA compute capability, e.g. `8.9`. */
  readonly computeCapability: string;
  /** Whether the GPU has FP8 tensor cores (W8A8 FP8 kernels); without them vLLM runs FP8 checkpoints weight-only. */
  readonly fp8Compute: boolean;
  /** Whether vLLM's default `serve` batch limits for large GPUs apply (≥ 70 GiB and not an A100): 8192 tokens / 1024 sequences. */
  readonly largeBatchDefaults: boolean;
}

/** How far the planner's figures for a GPU rest on real vLLM start-ups. */
export type GpuCalibration =
  /** vLLM start-ups on this GPU are replayed by the planner's calibration (its accuracy is published). */
  | 'calibrated'
  /** Its CUDA-visible memory was seen in real logs, but no vLLM start-up on it is in the calibration data. */
  | 'memory-observed'
  /** Neither: its CUDA-visible memory is an estimate. */
  | 'uncalibrated';

interface GpuCatalogEntry extends GpuModelSpec {
  readonly cudaVisibleObserved: boolean;
  readonly sources: readonly FieldSource[];
}

const CATALOG: readonly GpuCatalogEntry[] = gpuData.gpus;
/** Catalog GPUs with vLLM start-ups in the calibration data (derived by scripts/planner-accuracy.js). */
const REPLAYED: Readonly<Record<string, number>> = calibrationData.startUpsPerGpu;
const INSTANCES = new Map<string, GpuModel>();

/**
 * The most memory one GPU can have here: the largest accelerators have 288 GB (NVIDIA B300, AMD MI355X data sheets);
 * past 1 TiB the number is a unit slip (MiB or bytes), and a plan on it would be a verdict on a nonsensical number.
 */
export const MAX_GPU_MEMORY_GIB = 1024;

/**
 * A GPU model. Well-known models are static members, loaded from the catalog's data (`data/gpus.json`, where every
 * figure names its source and when it was read); any other GPU can be described with `GpuModel.custom()`.
 */
export class GpuModel {
  public static readonly NVIDIA_L4 = GpuModel.fromCatalog('L4');
  public static readonly NVIDIA_A10G = GpuModel.fromCatalog('A10G');
  public static readonly NVIDIA_A10 = GpuModel.fromCatalog('A10');
  public static readonly NVIDIA_L40S = GpuModel.fromCatalog('L40S');
  public static readonly NVIDIA_A100_40GB = GpuModel.fromCatalog('A100-40GB');
  /** A100 80 GB SXM4 (AWS p4de, Google Cloud a2-ultragpu, Azure ND A100 v4). */
  public static readonly NVIDIA_A100_80GB = GpuModel.fromCatalog('A100-80GB');
  /** A100 80 GB PCIe (Azure NC A100 v4): the same memory and compute capability as the SXM4 part. */
  public static readonly NVIDIA_A100_80GB_PCIE = GpuModel.fromCatalog('A100-80GB-PCIe');
  public static readonly NVIDIA_H100_80GB = GpuModel.fromCatalog('H100-80GB');
  public static readonly NVIDIA_H200 = GpuModel.fromCatalog('H200');
  /** H100 NVL (94 GB HBM3, the GPU of Azure NC H100 v5). */
  public static readonly NVIDIA_H100_NVL = GpuModel.fromCatalog('H100-NVL');
  /** T4 (Turing, 16 GB): no bfloat16, no FP8, no Marlin kernels. */
  public static readonly NVIDIA_T4 = GpuModel.fromCatalog('T4');
  /** V100 16 GB (Volta): no bfloat16, no FP8, no AWQ kernels. */
  public static readonly NVIDIA_V100_16GB = GpuModel.fromCatalog('V100-16GB');

  /** The catalog's GPU of that exact name (the data file and the static members agree; a test says so). */
  private static fromCatalog(name: string): GpuModel {
    let gpu = INSTANCES.get(name);
    if (!gpu) {
      const entry = CATALOG.find((e) => e.name === name);
      if (!entry) throw new Error(`the GPU catalog (data/gpus.json) has no GPU named ${name}`);
      gpu = new GpuModel(entry, entry.sources, REPLAYED[name] ? 'calibrated' : entry.cudaVisibleObserved ? 'memory-observed' : 'uncalibrated');
      INSTANCES.set(name, gpu);
    }
    return gpu;
  }

  /** Every well-known GPU model. */
  public static all(): GpuModel[] {
    return CATALOG.map((e) => GpuModel.fromCatalog(e.name));
  }

  /**
   * Looks a GPU up by name (`L4`, `a100-80gb`, `H100`), by `nvidia.com/gpu.product` value, case-insensitively.
   * @returns undefined when the GPU is not in the catalog
   */
  public static tryFind(name: string): GpuModel | undefined {
    const all = GpuModel.all();
    // an exact name or product first: `A100-80GB-PCIe` and `A100-80GB` differ only in what normalize() drops
    const exact = all.find((g) => [g.name, g.product].some((n) => n.toLowerCase() === name.trim().toLowerCase()));
    const key = normalize(name);
    return exact ?? all.find((g) => [g.name, g.product, ...(ALIASES[g.name] ?? [])].some((n) => normalize(n) === key));
  }

  /** Like `tryFind`, but throws an error listing the known GPUs. */
  public static find(name: string): GpuModel {
    const gpu = GpuModel.tryFind(name);
    if (!gpu) {
      throw new Error(
        `unknown GPU '${name}': known GPUs are ${GpuModel.all()
          .map((g) => g.name)
          .join(', ')}; ` + 'for any other GPU give its CUDA-visible memory instead (--gpu-memory-gib)',
      );
    }
    return gpu;
  }

  /** A GPU that is not in the catalog, described by its CUDA-visible memory. */
  public static custom(spec: Partial<GpuModelSpec> & { readonly cudaVisibleGiB: number }): GpuModel {
    if (!(spec.cudaVisibleGiB > 0) || !(spec.cudaVisibleGiB <= MAX_GPU_MEMORY_GIB)) {
      throw new Error(
        `GpuModel.custom: cudaVisibleGiB must be a number of GiB above 0 and at most ${MAX_GPU_MEMORY_GIB} (the largest GPUs have 288 GB), got ${spec.cudaVisibleGiB}`,
      );
    }
    return new GpuModel(
      {
        name: spec.name ?? `custom-${spec.cudaVisibleGiB}GiB`,
        product: spec.product ?? 'custom',
        cudaVisibleGiB: spec.cudaVisibleGiB,
        nameplateGB: spec.nameplateGB ?? Math.round(spec.cudaVisibleGiB * BYTES_PER_GIB_IN_GB),
        computeCapability: spec.computeCapability ?? 'unknown',
        fp8Compute: spec.fp8Compute ?? false,
        largeBatchDefaults: spec.largeBatchDefaults ?? spec.cudaVisibleGiB >= 70,
      },
      [{ fields: ['cudaVisibleGiB'], document: 'given by the user (GpuModel.custom)', read: 'at synth' }],
      'uncalibrated',
    );
  }

  public readonly name: string;
  public readonly product: string;
  public readonly cudaVisibleGiB: number;
  public readonly nameplateGB: number;
  public readonly computeCapability: string;
  public readonly fp8Compute: boolean;
  public readonly largeBatchDefaults: boolean;
  /** Where each figure comes from. */
  public readonly sources: readonly FieldSource[];
  /** Whether the planner's figures for this GPU rest on real vLLM start-ups on it. */
  public readonly calibration: GpuCalibration;

  private constructor(spec: GpuModelSpec, sources: readonly FieldSource[], calibration: GpuCalibration) {
    this.sources = sources;
    this.calibration = calibration;
    this.name = spec.name;
    this.product = spec.product;
    this.cudaVisibleGiB = spec.cudaVisibleGiB;
    this.nameplateGB = spec.nameplateGB;
    this.computeCapability = spec.computeCapability;
    this.fp8Compute = spec.fp8Compute;
    this.largeBatchDefaults = spec.largeBatchDefaults;
  }

  /** CUDA-visible memory in bytes. */
  public get cudaVisibleBytes(): number {
    return this.cudaVisibleGiB * GIB;
  }
}

const GIB = 1024 ** 3;

/** Other names users type for a catalog GPU (an A100 without size is ambiguous and has none). */
const ALIASES: Record<string, string[]> = {
  'H100-80GB': ['H100'],
  H200: ['H200-141GB'],
  A10G: ['A10G-24GB'],
  L4: ['L4-24GB'],
  L40S: ['L40S-48GB'],
  A10: ['A10-24GB'],
};

/** `NVIDIA H100 80GB HBM3`, `H100-80GB-HBM3` and `h100-80gb` all become `h10080gb`. */
function normalize(s: string): string {
  return s
    .toLowerCase()
    .replace(/nvidia/g, '')
    .replace(/sxm\d*|pcie|nvl|hbm\d*e?|tensor ?core/g, '')
    .replace(/[^a-z0-9]/g, '');
}
