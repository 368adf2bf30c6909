import { GpuModel } from './gpu-model';
import { GpuInstanceType } from './instance-type';
import { GFD_PRODUCT_LABEL, GKE_ACCELERATOR_LABEL } from '../k8s/keys';

/** A node label value read as the GPU it names: the catalog's GPUs it may be, or why it names none. */
export type LabelledGpu = { readonly gpus: readonly GpuModel[] } | { readonly unrecognised: string };

/** GKE's label of a node's accelerator and of how many its node pool attaches (GKE docs, "About GPUs in GKE"). */
export { GKE_ACCELERATOR_LABEL };
export const GKE_ACCELERATOR_COUNT_LABEL = 'cloud.google.com/gke-accelerator-count';
/** NVIDIA GPU Feature Discovery's labels (k8s-device-plugin docs/gpu-feature-discovery: "Generated Labels"). */
export { GFD_PRODUCT_LABEL };
export const GFD_MEMORY_LABEL = 'nvidia.com/gpu.memory';
export const GFD_COUNT_LABEL = 'nvidia.com/gpu.count';
export const GFD_FAMILY_LABEL = 'nvidia.com/gpu.family';
/**
 * GKE accelerator names (GKE docs "About GPUs in GKE" / `gcloud compute accelerator-types list`) of the catalog's
 * GPUs; the `-vws` virtual-workstation types are the same GPU with a GRID licence. Others (nvidia-b200,
 * nvidia-gb200, nvidia-tesla-p4, p100, k80) are not in the catalog.
 */
const GKE_ACCELERATORS: Readonly<Record<string, string>> = {
  'nvidia-tesla-t4': 'T4',
  'nvidia-tesla-t4-vws': 'T4',
  'nvidia-tesla-v100': 'V100-16GB',
  'nvidia-l4': 'L4',
  'nvidia-l4-vws': 'L4',
  'nvidia-tesla-a100': 'A100-40GB',
  'nvidia-a100-80gb': 'A100-80GB',
  'nvidia-h100-80gb': 'H100-80GB',
  'nvidia-h100-mega-80gb': 'H100-80GB',
  'nvidia-h200-141gb': 'H200',
};

/**
 * Karpenter's instance-gpu-name values (EC2's GPU name, lower kebab case) of the catalog's GPUs: every EC2 part of
 * that name. a100 is the 40 GB A100 of p4d and the 80 GB of p4de; v100 is also the 32 GB V100 of p3dn, which the
 * catalog lacks (null: the memory label tells it).
 */
const KARPENTER_GPU_NAMES: Readonly<Record<string, readonly (string | null)[]>> = {
  t4: ['T4'],
  a10g: ['A10G'],
  l4: ['L4'],
  l40s: ['L40S'],
  a100: ['A100-40GB', 'A100-80GB'],
  h100: ['H100-80GB'],
  h200: ['H200'],
  v100: ['V100-16GB', null],
};

const MIB_PER_GIB = 1024;

/**
 * The GPU a GKE accelerator name names.
 */
export function gkeAcceleratorGpu(value: string): LabelledGpu {
  const name = GKE_ACCELERATORS[value.trim().toLowerCase()];
  return name ? { gpus: [GpuModel.find(name)] } : { unrecognised: `${GKE_ACCELERATOR_LABEL}=${value} names no GPU of the tool's catalog` };
}

/**
 * The GPU a GPU Feature Discovery product names: the nvidia-smi name with spaces as dashes (`NVIDIA-L4`,
 * `Tesla-T4`), `-SHARED` appended when the GPU is shared by time-slicing or MPS, and `-MIG-<g>g.<n>gb` for a MIG
 * slice, which holds n GB of its GPU (NVIDIA MIG user guide, "Supported profiles"; the nominal n GB is at least
 * what the slice has). `memoryMiB` (nvidia.com/gpu.memory: what NVML reports, at least what CUDA sees) decides a
 * product the catalog lacks.
 */
export function gfdProductGpu(value: string, memoryMiB: number | undefined): LabelledGpu {
  const product = value.trim().replace(/-SHARED$/i, '');
  const mig = /^(.*)-MIG-(\d+g\.(\d+)gb.*)$/i.exec(product);
  const whole = GpuModel.tryFind(mig ? mig[1] : product);
  if (mig) return { gpus: [migSliceGpu(mig[2], whole, memoryMiB, mig[1])!] };
  if (whole) return { gpus: [whole] };
  if (memoryMiB !== undefined) return { gpus: [GpuModel.custom({ name: product, cudaVisibleGiB: memoryMiB / MIB_PER_GIB })] };
  return { unrecognised: `${GFD_PRODUCT_LABEL}=${value} names no GPU of the tool's catalog (and no ${GFD_MEMORY_LABEL} is selected)` };
}

/**
 * A MIG profile as the device plugin and mig-parted name it: `<g>g.<n>gb`, with `<c>c.` for a compute instance and
 * `+me` for media extensions (NVIDIA MIG user guide, "MIG Device Names").
 */
export const MIG_PROFILE = /(?:\d+c\.)?\d+g\.\d+gb(?:\+[a-z]+)?/;

/**
 * The GPU a MIG slice of `profile` is: its memory the n GB its name states (NVIDIA MIG user guide, "Supported MIG
 * Profiles": 1g.10gb of an A100 or H100 80GB, 1g.18gb of an H200; the nominal n GB is at least what the slice has),
 * at most `memoryMiB` when a label states it, with the compute capability of the whole GPU when known. Undefined for a
 * name that is no profile.
 */
export function migSliceGpu(profile: string, whole: GpuModel | undefined, memoryMiB?: number, wholeName?: string): GpuModel | undefined {
  const gb = /(?:^|\.)\d+g\.(\d+)gb/.exec(profile);
  if (!gb) return undefined;
  return GpuModel.custom({
    name: `${whole?.name ?? wholeName ?? 'GPU'} MIG ${profile}`,
    cudaVisibleGiB: Math.min(Number(gb[1]), memoryMiB !== undefined ? memoryMiB / MIB_PER_GIB : Infinity),
    computeCapability: whole?.computeCapability,
    fp8Compute: whole?.fp8Compute,
    largeBatchDefaults: false,
  });
}

/** The GPU a Karpenter instance-gpu-name names, narrowed by instance-gpu-memory (MiB per GPU) when given. */
export function karpenterGpuNameGpu(label: string, value: string, memoryMiB: number | undefined): LabelledGpu {
  const names = KARPENTER_GPU_NAMES[value.trim().toLowerCase()];
  const sized = (names ?? []).filter((n) => memoryMiB === undefined || n === null || GpuModel.find(n).nameplateGB === Math.round(memoryMiB / MIB_PER_GIB));
  const known = sized.filter((n): n is string => n !== null);
  if (names && sized.length && known.length === sized.length) return { gpus: known.map((n) => GpuModel.find(n)) };
  if (memoryMiB !== undefined) return { gpus: [GpuModel.custom({ name: value, cudaVisibleGiB: memoryMiB / MIB_PER_GIB })] };
  return { unrecognised: `${label}=${value} names ${names ? "a GPU of several sizes, not all in the tool's catalog" : "no GPU of the tool's catalog"}` };
}

/** The GPUs of an AWS instance family (`g6`, `p4d`): those of the catalog's instance types of the family. */
export function instanceFamilyGpu(label: string, value: string): LabelledGpu {
  const gpus = [
    ...new Set(
      GpuInstanceType.all()
        .filter((t) => t.name.startsWith(`${value.trim().toLowerCase()}.`))
        .map((t) => t.gpu),
    ),
  ];
  return gpus.length ? { gpus } : { unrecognised: `${label}=${value} is no GPU instance family of the tool's catalog` };
}

/** A GFD product's suffixes after the GPU's name: a MIG slice's `-MIG-<profile>`, `-SHARED` for time-slicing or MPS. */
const GFD_PRODUCT_SUFFIX = /^(.*?)((?:-MIG-[\w.+-]*)?(?:-SHARED)?)$/i;

/**
 * nvidia.com/gpu.product values GPU Feature Discovery sets for data-center GPUs beyond the catalog's own (the NVML
 * device name with spaces as dashes: NVIDIA/k8s-device-plugin internal/lm resource labeler), as NVIDIA's Dynamo
 * operator lists them, keyed by exact public GFD labels (ai-dynamo/dynamo deploy/operator webhook validation,
 * powerRanges); H100 SXM5 is `NVIDIA H100 80GB HBM3` in NVML, hence NVIDIA-H100-80GB-HBM3 (the catalog's).
 */
const GFD_PRODUCTS: readonly string[] = [
  'NVIDIA-A100-PCIE-40GB',
  'NVIDIA-A30',
  'NVIDIA-A40',
  'NVIDIA-A16',
  'NVIDIA-A2',
  'NVIDIA-H100',
  'NVIDIA-H100-PCIe',
  'NVIDIA-H200-NVL',
  'NVIDIA-H20',
  'NVIDIA-H800-NVL',
  'NVIDIA-L40',
  'NVIDIA-L20',
  'NVIDIA-B200',
  'NVIDIA-GH200-120GB',
  'NVIDIA-GH200-480GB',
  'Tesla-V100-PCIE-32GB',
  'Tesla-V100-SXM2-32GB',
];

/**
 * GPU models NVIDIA released after driver R470, whose NVML names always begin `NVIDIA ` (no driver without the prefix
 * supports them: Hopper needs R525, Ada R520, Blackwell R570): a product value for one without the NVIDIA- prefix is
 * never set, whatever follows the model.
 */
const PREFIXED_MODELS = ['H100', 'H200', 'H20', 'H800', 'GH200', 'L4', 'L40', 'L40S', 'L20', 'B200', 'GB200'];

/** Every nvidia.com/gpu.product value known to be set: the catalog's GPUs' and GFD_PRODUCTS. */
function knownProducts(): string[] {
  return [...new Set([...GpuModel.all().map((g) => g.product), ...GFD_PRODUCTS])];
}

/**
 * The nvidia.com/gpu.product values GPU Feature Discovery sets for the GPU a value means, where the value is none GFD
 * sets: it differs from one only by the `NVIDIA-` prefix or by case (`A100-SXM4-80GB`, `nvidia-l4`): GFD labels the
 * NVML device name with spaces as dashes (NVIDIA/k8s-device-plugin internal/lm resource labeler), and NVML names
 * data-center GPUs `NVIDIA <model>` from driver R470 on; label values compare case-sensitively. A value without the
 * prefix naming a model released after R470 in some other form (`H100-SXM4-80GB`) gives the values known for that
 * model. Undefined for a value GFD sets, or one that names no GPU known.
 */
export function gfdProductCorrection(value: string): string[] | undefined {
  const [, base, suffix] = GFD_PRODUCT_SUFFIX.exec(value.trim()) ?? ['', value.trim(), ''];
  const products = knownProducts();
  if (products.includes(base)) return undefined;
  const lower = base.toLowerCase();
  const right = products.find((p) => p.toLowerCase() === lower || p.toLowerCase() === `nvidia-${lower}`);
  if (right) return [`${right}${suffix}`];
  if (lower.startsWith('nvidia-')) return undefined;
  const model = PREFIXED_MODELS.find((m) => lower === m.toLowerCase() || lower.startsWith(`${m.toLowerCase()}-`));
  const same = products.filter((p) => model && (p === `NVIDIA-${model}` || p.startsWith(`NVIDIA-${model}-`)));
  return same.length ? same.map((p) => `${p}${suffix}`) : undefined;
}
