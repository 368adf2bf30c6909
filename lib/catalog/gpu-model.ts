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

/**
 * A GPU model. Well-known models are static members; any other GPU can be described with `GpuModel.custom()`.
 *
 * CUDA-visible totals are the values observed in vLLM and PyTorch logs (L4 22.03–22.05 GiB, A10G 22.06,
 * L40S 44.34–44.52, A100-40GB 39.39–39.50, A100-80GB 79.15–79.33, H100 79.18, H200 139.80); the middle
 * of each observed range is used.
 */
export class GpuModel {
  public static readonly NVIDIA_L4 = new GpuModel({
    name: 'L4',
    product: 'NVIDIA-L4',
    cudaVisibleGiB: 22.04,
    nameplateGB: 24,
    computeCapability: '8.9',
    fp8Compute: true,
    largeBatchDefaults: false,
  });
  public static readonly NVIDIA_A10G = new GpuModel({
    name: 'A10G',
    product: 'NVIDIA-A10G',
    cudaVisibleGiB: 22.06,
    nameplateGB: 24,
    computeCapability: '8.6',
    fp8Compute: false,
    largeBatchDefaults: false,
  });
  public static readonly NVIDIA_A10 = new GpuModel({
    name: 'A10',
    product: 'NVIDIA-A10',
    cudaVisibleGiB: 22.07,
    nameplateGB: 24,
    computeCapability: '8.6',
    fp8Compute: false,
    largeBatchDefaults: false,
  });
  public static readonly NVIDIA_L40S = new GpuModel({
    name: 'L40S',
    product: 'NVIDIA-L40S',
    cudaVisibleGiB: 44.39,
    nameplateGB: 48,
    computeCapability: '8.9',
    fp8Compute: true,
    largeBatchDefaults: false,
  });
  public static readonly NVIDIA_A100_40GB = new GpuModel({
    name: 'A100-40GB',
    product: 'NVIDIA-A100-SXM4-40GB',
    cudaVisibleGiB: 39.5,
    nameplateGB: 40,
    computeCapability: '8.0',
    fp8Compute: false,
    largeBatchDefaults: false,
  });
  public static readonly NVIDIA_A100_80GB = new GpuModel({
    name: 'A100-80GB',
    product: 'NVIDIA-A100-SXM4-80GB',
    cudaVisibleGiB: 79.25,
    nameplateGB: 80,
    computeCapability: '8.0',
    fp8Compute: false,
    largeBatchDefaults: false,
  });
  public static readonly NVIDIA_H100_80GB = new GpuModel({
    name: 'H100-80GB',
    product: 'NVIDIA-H100-80GB-HBM3',
    cudaVisibleGiB: 79.18,
    nameplateGB: 80,
    computeCapability: '9.0',
    fp8Compute: true,
    largeBatchDefaults: true,
  });
  public static readonly NVIDIA_H200 = new GpuModel({
    name: 'H200',
    product: 'NVIDIA-H200',
    cudaVisibleGiB: 139.8,
    nameplateGB: 141,
    computeCapability: '9.0',
    fp8Compute: true,
    largeBatchDefaults: true,
  });
  /** H100 NVL (94 GB HBM3, the GPU of Azure NC H100 v5): CUDA-visible total estimated as for H100 SXM (nameplate less about 1 %). */
  public static readonly NVIDIA_H100_NVL = new GpuModel({
    name: 'H100-NVL',
    product: 'NVIDIA-H100-NVL',
    cudaVisibleGiB: 93.1,
    nameplateGB: 94,
    computeCapability: '9.0',
    fp8Compute: true,
    largeBatchDefaults: true,
  });
  /** T4 (Turing, 16 GB): PyTorch reports "14.75 GiB total capacity" on it. No bfloat16, no FP8, no Marlin kernels. */
  public static readonly NVIDIA_T4 = new GpuModel({
    name: 'T4',
    product: 'Tesla-T4',
    cudaVisibleGiB: 14.75,
    nameplateGB: 16,
    computeCapability: '7.5',
    fp8Compute: false,
    largeBatchDefaults: false,
  });
  /** V100 16 GB (Volta): PyTorch reports "15.78 GiB total capacity" on it. No bfloat16, no FP8, no AWQ kernels. */
  public static readonly NVIDIA_V100_16GB = new GpuModel({
    name: 'V100-16GB',
    product: 'Tesla-V100-SXM2-16GB',
    cudaVisibleGiB: 15.78,
    nameplateGB: 16,
    computeCapability: '7.0',
    fp8Compute: false,
    largeBatchDefaults: false,
  });

  /** Every well-known GPU model. */
  public static all(): GpuModel[] {
    return [
      GpuModel.NVIDIA_L4,
      GpuModel.NVIDIA_A10G,
      GpuModel.NVIDIA_A10,
      GpuModel.NVIDIA_L40S,
      GpuModel.NVIDIA_A100_40GB,
      GpuModel.NVIDIA_A100_80GB,
      GpuModel.NVIDIA_H100_80GB,
      GpuModel.NVIDIA_H100_NVL,
      GpuModel.NVIDIA_H200,
      GpuModel.NVIDIA_T4,
      GpuModel.NVIDIA_V100_16GB,
    ];
  }

  /**
   * Looks a GPU up by name (`L4`, `a100-80gb`, `H100`), by `nvidia.com/gpu.product` value, case-insensitively.
   * @returns undefined when the GPU is not in the catalog
   */
  public static tryFind(name: string): GpuModel | undefined {
    const key = normalize(name);
    return GpuModel.all().find((g) => [g.name, g.product, ...(ALIASES[g.name] ?? [])].some((n) => normalize(n) === key));
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
    if (!(spec.cudaVisibleGiB > 0)) {
      throw new Error(`GPU memory must be a positive number of GiB, got ${spec.cudaVisibleGiB}`);
    }
    return new GpuModel({
      name: spec.name ?? `custom-${spec.cudaVisibleGiB}GiB`,
      product: spec.product ?? 'custom',
      cudaVisibleGiB: spec.cudaVisibleGiB,
      nameplateGB: spec.nameplateGB ?? Math.round(spec.cudaVisibleGiB * BYTES_PER_GIB_IN_GB),
      computeCapability: spec.computeCapability ?? 'unknown',
      fp8Compute: spec.fp8Compute ?? false,
      largeBatchDefaults: spec.largeBatchDefaults ?? spec.cudaVisibleGiB >= 70,
    });
  }

  public readonly name: string;
  public readonly product: string;
  public readonly cudaVisibleGiB: number;
  public readonly nameplateGB: number;
  public readonly computeCapability: string;
  public readonly fp8Compute: boolean;
  public readonly largeBatchDefaults: boolean;

  private constructor(spec: GpuModelSpec) {
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
