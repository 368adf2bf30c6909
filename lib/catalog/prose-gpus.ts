import { GpuModel } from './gpu-model';

/**
 * GeForce and workstation RTX cards a README names, by model: their memory (GB, NVIDIA's product specifications; of a
 * card sold with two sizes, the larger: an RTX 3080 of 10 or 12 GB is 12, an RTX 4060 Ti of 8 or 16 GB is 16) and
 * compute capability (NVIDIA's CUDA GPUs table, developer.nvidia.com/cuda-gpus). The catalog (data/gpus.json) does
 * not hold them: no cloud offers them and no vLLM start-up on them is calibrated.
 */
const RTX: Readonly<Record<string, readonly [gb: number, capability: string]>> = {
  'RTX 2070': [8, '7.5'],
  'RTX 2070 Super': [8, '7.5'],
  'RTX 2080': [8, '7.5'],
  'RTX 2080 Super': [8, '7.5'],
  'RTX 2080 Ti': [11, '7.5'],
  'RTX 3060': [12, '8.6'],
  'RTX 3060 Ti': [8, '8.6'],
  'RTX 3070': [8, '8.6'],
  'RTX 3070 Ti': [8, '8.6'],
  'RTX 3080': [12, '8.6'],
  'RTX 3080 Ti': [12, '8.6'],
  'RTX 3090': [24, '8.6'],
  'RTX 3090 Ti': [24, '8.6'],
  'RTX 4060': [8, '8.9'],
  'RTX 4060 Ti': [16, '8.9'],
  'RTX 4070': [12, '8.9'],
  'RTX 4070 Super': [12, '8.9'],
  'RTX 4070 Ti': [12, '8.9'],
  'RTX 4070 Ti Super': [16, '8.9'],
  'RTX 4080': [16, '8.9'],
  'RTX 4080 Super': [16, '8.9'],
  'RTX 4090': [24, '8.9'],
  'RTX 5070': [12, '12.0'],
  'RTX 5070 Ti': [16, '12.0'],
  'RTX 5080': [16, '12.0'],
  'RTX 5090': [32, '12.0'],
  'RTX A4000': [16, '8.6'],
  'RTX A4500': [20, '8.6'],
  'RTX A5000': [24, '8.6'],
  'RTX A5500': [24, '8.6'],
  'RTX A6000': [48, '8.6'],
  'RTX 4000 Ada': [20, '8.9'],
  'RTX 5000 Ada': [32, '8.9'],
  'RTX 6000 Ada': [48, '8.9'],
};

/** Data-center GPUs a README names without their memory, and the catalog GPUs each may be (an A100 of 40 or 80 GB). */
const UNSIZED: Readonly<Record<string, readonly string[]>> = {
  T4: ['T4'],
  V100: ['V100-16GB'],
  A10G: ['A10G'],
  A10: ['A10'],
  L4: ['L4'],
  L40S: ['L40S'],
  A100: ['A100-40GB', 'A100-80GB'],
  H100: ['H100-80GB'],
  H200: ['H200'],
};

/**
 * A GPU of `gb` GB the catalog does not hold, read as `gb` GiB visible to CUDA: at least what the card shows CUDA
 * (a card's CUDA-visible memory is below its nameplate: data/gpus.json), so a plan that fails on it fails on the card.
 */
function bySize(name: string, gb: number, capability?: string): GpuModel {
  return GpuModel.custom({
    name,
    cudaVisibleGiB: gb,
    nameplateGB: gb,
    ...(capability ? { computeCapability: capability, fp8Compute: Number(capability) >= 8.9 } : {}),
  });
}

/**
 * The GPUs the canonical words of a README's mention name (prose-gpus.ts in the manifests: `RTX 2080 Ti`, `T4`,
 * `A100 80GB`, `24 GB`): the catalog's, else a card of the RTX table or a size read as its memory (bySize); undefined
 * for words that name none known here.
 */
export function proseGpuModels(words: string): GpuModel[] | undefined {
  const size = /^(\d+) GB$/.exec(words);
  if (size) return Number(size[1]) > 0 ? [bySize(`GPU of ${size[1]} GB`, Number(size[1]))] : undefined;
  const rtx = RTX[words];
  if (rtx) return [bySize(words, rtx[0], rtx[1])];
  const sized = /^(\w+) (\d+)GB$/.exec(words);
  if (sized) {
    const known = GpuModel.tryFind(`${sized[1]}-${sized[2]}GB`) ?? (UNSIZED[sized[1]]?.length === 1 ? GpuModel.tryFind(UNSIZED[sized[1]][0]) : undefined);
    if (known && known.nameplateGB === Number(sized[2])) return [known];
    // a size of the part the catalog lacks (a V100 of 32 GB): that size, with the part's compute capability
    const part = UNSIZED[sized[1]] ? GpuModel.tryFind(UNSIZED[sized[1]][0]) : undefined;
    return part ? [bySize(`${sized[1]} ${sized[2]}GB`, Number(sized[2]), part.computeCapability)] : undefined;
  }
  return UNSIZED[words]?.map((n) => GpuModel.find(n));
}
