import { GpuModel } from '../catalog/gpu-model';
import { GpuInstanceType } from '../catalog/instance-type';
import { DTYPE_BYTES, ModelProfile, normalizeDtype, QuantizationInfo, quantizationOf } from './model-profile';
import type { ShapeOption } from './shape-option';

const GIB = 1024 ** 3;

/**
 * Calibrated constants of the memory model (see README, GPU planner). They come from the real vLLM runs in the
 * calibration data and vLLM's source; none is tuned to a particular deployment.
 */
export const CALIBRATION = {
  /**
   * V1 profiles a dummy sampler pass over min(max_num_seqs, max_num_batched_tokens) requests: fp32 logits, their
   * sort (values and int64 indices), softmax and cumulative sums. Peak torch memory per request × vocabulary entry,
   * from four H100 runs (Llama-3.1-8B 4.76 GiB, Qwen3-32B 5.64, Llama-3.3-70B 4.84, gpt-oss-20b 7.38 at 1024 requests).
   */
  v1SamplerBytesPerSeqVocab: 39,
  /** V0 profiles one prefill of max_num_batched_tokens tokens; peak per token × vocabulary entry (A10 and RTX 3090 runs). */
  v0ProfileBytesPerTokenVocab: 0.9,
  /** CUDA context, cuBLAS and NCCL memory present before weights load, not available to them (H100: 79.18 − 78.57). */
  cudaContextGiB: 0.6,
  /** Memory outside torch's allocator after profiling: 0.13–0.14 GiB at TP 1, 0.54–0.55 GiB with NCCL/all-reduce buffers at TP ≥ 2. */
  nonTorchGiB: { single: 0.14, parallel: 0.55, v0Single: 0.1 },
} as const;

/** The vLLM engine generation; its defaults and profiling differ. */
export type VllmEngine = 'v1' | 'v0';

/** What to plan: a model on a GPU with vLLM settings (the CLI flags of `vllm serve`). */
export interface PlanInput {
  readonly model: ModelProfile;
  readonly gpu: GpuModel;
  /** @default 1 */
  readonly tensorParallelSize?: number;
  /** @default - the model's max_position_embeddings */
  readonly maxModelLen?: number;
  /** @default 0.9 */
  readonly gpuMemoryUtilization?: number;
  /** `auto`, `fp8`, `fp8_e4m3`, `fp8_e5m2`. @default 'auto' */
  readonly kvCacheDtype?: string;
  /** `auto`, `bfloat16`, `float16`, `float32`. @default 'auto' */
  readonly dtype?: string;
  /** `--quantization`. @default - what the checkpoint says */
  readonly quantization?: string;
  /** @default - vLLM's default for the GPU (8192 on ≥ 70 GiB GPUs other than A100, else 2048) */
  readonly maxNumBatchedTokens?: number;
  /** @default - vLLM's default for the GPU (1024 on ≥ 70 GiB GPUs other than A100, else 256) */
  readonly maxNumSeqs?: number;
  /** @default 16 */
  readonly blockSize?: number;
  /** @default 'v1' */
  readonly engine?: VllmEngine;
  /**
   * `--pipeline-parallel-size`: stages the layers are split over (each stage on its own `tensorParallelSize` GPUs,
   * often on another node of a LeaderWorkerSet group). Weights and KV cache per GPU are those of one stage.
   * @default 1
   */
  readonly pipelineParallelSize?: number;
  /**
   * Ranks the routed experts of an MoE model are spread over with `--enable-expert-parallel` (vLLM: tensor × data
   * parallel size); the rest of the model stays sharded by tensor parallelism only.
   * @default - no expert parallelism (experts sharded by tensor parallelism like every other layer)
   */
  readonly expertParallelSize?: number;
  /**
   * Static LoRA: vLLM preallocates `maxAdapters` (`--max-loras`) slots of `maxRank` (`--max-lora-rank`) for every
   * attention and MLP projection at start-up, before the KV cache is sized.
   * @default - no LoRA
   */
  readonly lora?: { readonly maxRank: number; readonly maxAdapters: number };
}

/**
 * How a start-up ends, as vLLM reports it: it starts (`ok`), refuses the configuration before loading anything
 * (`refused`: a setting the engine rejects), runs out of memory loading the weights, has no memory left for the KV
 * cache, or has a cache too small for one sequence of max-model-len.
 */
export type PlanOutcome = 'ok' | 'refused' | 'oom_weights' | 'no_kv_memory' | 'kv_too_small';

/** `--kv-cache-dtype` values vLLM accepts (vllm/config/cache.py CacheDType). */
export const KV_CACHE_DTYPES: readonly string[] = ['auto', 'bfloat16', 'fp8', 'fp8_e4m3', 'fp8_e5m2', 'fp8_inc'];

/** `--quantization` values vLLM accepts (vllm/model_executor/layers/quantization QUANTIZATION_METHODS, the common ones). */
export const QUANTIZATION_FLAGS: readonly string[] = [
  'awq',
  'awq_marlin',
  'gptq',
  'gptq_marlin',
  'gptq_marlin_24',
  'marlin',
  'fp8',
  'fbgemm_fp8',
  'modelopt',
  'modelopt_fp4',
  'compressed-tensors',
  'bitsandbytes',
  'gguf',
  'mxfp4',
  'experts_int8',
  'moe_wna16',
  'quark',
  'torchao',
  'hqq',
  'bitblas',
  'gptq_bitblas',
  'rtn',
  'inc',
];

/**
 * The lowest CUDA compute capability each quantization method's kernels run on (vLLM's get_min_capability of the
 * method's config class; FP8 below 8.9 runs weight-only through Marlin, which needs 8.0).
 */
const MIN_CAPABILITY: Record<string, number> = {
  awq: 7.5,
  gptq: 6.0,
  awq_marlin: 8.0,
  gptq_marlin: 8.0,
  gptq_marlin_24: 8.0,
  marlin: 8.0,
  fp8: 8.0,
  fbgemm_fp8: 8.0,
  modelopt: 8.9,
  modelopt_fp4: 10.0,
  bitsandbytes: 7.0,
  mxfp4: 8.0,
  experts_int8: 8.0,
  moe_wna16: 7.0,
};

/** Quantization methods vLLM applies on load to a 16-bit checkpoint, with the bits they store per weight. */
const ON_LOAD_BITS: Record<string, number> = { fp8: 8, fbgemm_fp8: 8, bitsandbytes: 4, experts_int8: 8, rtn: 8, torchao: 8, inc: 8 };

/** The result of planning one deployment, per GPU (tensor-parallel rank). */
export interface MemoryPlan {
  readonly outcome: PlanOutcome;
  /** One sentence: why, in vLLM's terms. */
  readonly reason: string;
  readonly model: string;
  readonly gpu: string;
  readonly tensorParallelSize: number;
  /** Pipeline stages, when more than one. */
  readonly pipelineParallelSize?: number;
  /** Ranks the routed experts are spread over, with expert parallelism. */
  readonly expertParallelSize?: number;
  /** Preallocated LoRA weights per GPU (included in `weightsGiBPerGpu`), with static LoRA. */
  readonly loraGiBPerGpu?: number;
  readonly maxModelLen: number;
  readonly gpuMemoryUtilization: number;
  readonly gpuTotalGiB: number;
  readonly budgetGiB: number;
  readonly weightsGiBPerGpu: number;
  readonly activationGiB: number;
  readonly nonTorchGiB: number;
  readonly kvCacheGiBPerGpu: number;
  readonly kvBytesPerToken: number;
  readonly kvCacheBlocks: number;
  readonly kvCacheTokens: number;
  /** Sequences of max-model-len that fit the KV cache at once. */
  readonly maxConcurrency: number;
  /** The largest max-model-len whose KV cache fits (0 when none). */
  readonly maxFittingModelLen: number;
  /**
   * GiB per GPU by which the verdict holds (positive) or fails (negative): KV-cache memory beyond one sequence of
   * max-model-len, or, when the weights do not load, the memory they lack.
   */
  readonly marginGiB: number;
  readonly maxNumBatchedTokens: number;
  readonly maxNumSeqs: number;
  readonly blockSize: number;
  readonly quantization?: string;
  readonly weightSource: string;
  /** Problems that do not stop the plan but will hurt vLLM. */
  readonly warnings: string[];
  /** vLLM's refusals of the configuration (outcome `refused`), each with the fix. */
  readonly refusals: string[];
  /** What would fit, when this does not, one line each. */
  readonly suggestions: string[];
  /** The cheapest catalog shapes that serve the model at the requested settings, when this one does not. */
  readonly alternatives?: readonly ShapeOption[];
}

/**
 * vLLM's V1 start-up memory accounting, per GPU rank:
 *
 *   budget = utilization × CUDA-visible total
 *   kv     = budget − weights/TP − activation peak − non-torch memory
 *   blocks = ⌊kv / (block_size × KV bytes per token)⌋, tokens = blocks × block_size
 *
 * with the outcome vLLM itself would reach: weights larger than the GPU (`oom_weights`, at load), nothing left for
 * the cache (`no_kv_memory`), or a cache smaller than one max-model-len sequence (`kv_too_small`).
 */
export function evaluatePlan(input: PlanInput): MemoryPlan {
  const r = resolve(input);
  const computed = computePlan(r);
  const plan: MemoryPlan = r.refusals.length ? { ...computed, outcome: 'refused', reason: r.refusals.join('; ') } : computed;
  assertFinite(plan);
  return plan;
}

/** What else would serve the model when the requested shape does not: one-line options on the same GPU and checkpoint changes. */
export function localSuggestions(input: PlanInput, plan: MemoryPlan): string[] {
  return suggest(resolve(input), plan);
}

/** No verdict is ever given on a number that is not one: a non-finite figure means the inputs are inconsistent. */
function assertFinite(plan: MemoryPlan): void {
  for (const [k, v] of Object.entries(plan)) {
    if (typeof v === 'number' && !Number.isFinite(v))
      throw new Error(`the plan's ${k} is not a finite number (${v}); the model profile or the settings are inconsistent`);
  }
  if (plan.outcome === 'ok' && (plan.weightsGiBPerGpu <= 0 || plan.kvCacheGiBPerGpu <= 0 || plan.kvCacheTokens <= 0)) {
    throw new Error('the plan came out ok with a non-positive weight or KV-cache size; the model profile is inconsistent');
  }
}

interface Resolved {
  readonly model: ModelProfile;
  readonly gpu: GpuModel;
  readonly tp: number;
  readonly maxModelLen: number;
  readonly util: number;
  readonly kvDtypeBytes: number;
  readonly dtype: string;
  readonly quantization?: QuantizationInfo;
  readonly batchedTokens: number;
  readonly numSeqs: number;
  readonly blockSize: number;
  readonly engine: VllmEngine;
  readonly pp: number;
  readonly ep?: number;
  readonly lora?: { readonly maxRank: number; readonly maxAdapters: number };
  readonly warnings: string[];
  readonly refusals: string[];
}

function resolve(input: PlanInput): Resolved {
  const m = input.model;
  const refusals: string[] = [];
  const tp = input.tensorParallelSize ?? 1;
  if (!Number.isInteger(tp) || tp < 1 || tp > 1024) throw new Error(`tensor-parallel-size must be a whole number of GPUs from 1 to 1024, got ${tp}`);
  if (m.numAttentionHeads % tp !== 0) {
    refusals.push(
      `tensor-parallel-size ${tp} does not divide the model's ${m.numAttentionHeads} attention heads ("Total number of attention heads must be divisible by tensor parallel size"): use ${divisors(
        m.numAttentionHeads,
      )
        .filter((d) => d <= 8)
        .join(', ')}`,
    );
  }
  const util = input.gpuMemoryUtilization ?? 0.9;
  if (!(typeof util === 'number' && util > 0 && util <= 1)) throw new Error(`gpu-memory-utilization must be in (0, 1], got ${util}`);
  const maxModelLen = input.maxModelLen ?? m.maxPositionEmbeddings;
  if (!Number.isInteger(maxModelLen) || maxModelLen < 1 || maxModelLen > 1e9)
    throw new Error(`max-model-len must be a whole number of tokens from 1 to 10^9, got ${maxModelLen}`);
  const warnings: string[] = [];
  if (maxModelLen > m.maxPositionEmbeddings) {
    refusals.push(
      `max-model-len ${maxModelLen} exceeds the model's max_position_embeddings ${m.maxPositionEmbeddings} ("User-specified max_model_len … is greater than the derived max_model_len"): lower it to ${m.maxPositionEmbeddings}, or set VLLM_ALLOW_LONG_MAX_MODEL_LEN=1 for a model with rope scaling that supports it`,
    );
  }
  const blockSize = input.blockSize ?? 16;
  if (![1, 8, 16, 32, 64, 128, 256].includes(blockSize)) throw new Error(`block-size must be one of 1, 8, 16, 32, 64, 128, 256, got ${blockSize}`);
  const engine = input.engine ?? 'v1';
  if (engine !== 'v1' && engine !== 'v0') throw new Error(`engine must be v1 or v0, got ${String(engine)}`);
  const kvDtype = (input.kvCacheDtype ?? 'auto').toLowerCase();
  if (!KV_CACHE_DTYPES.includes(kvDtype)) throw new Error(`kv-cache-dtype '${input.kvCacheDtype}' is not one vLLM accepts (${KV_CACHE_DTYPES.join(', ')})`);
  const dtype = normalizeDtype(input.dtype ?? 'auto');
  if (dtype !== 'auto' && !['bfloat16', 'float16', 'float32'].includes(dtype))
    throw new Error(`dtype '${input.dtype}' is not one of auto, bfloat16, float16, float32`);
  const capability = Number.parseFloat(input.gpu.computeCapability);
  const gpuLabel = `${input.gpu.name} (compute capability ${input.gpu.computeCapability})`;
  const served = dtype === 'auto' ? (m.torchDtype === 'float32' ? 'bfloat16' : m.torchDtype) : dtype;
  if (served === 'bfloat16' && capability < 8) {
    if (dtype === 'bfloat16') {
      refusals.push(
        `${gpuLabel} cannot run bfloat16 ("Bfloat16 is only supported on GPUs with compute capability of at least 8.0"): pass --dtype float16, or use a GPU of compute capability 8.0 or more`,
      );
    } else {
      warnings.push(
        `${gpuLabel} has no bfloat16: with --dtype auto vLLM runs this bfloat16 checkpoint in float16 (same memory per weight): planned as float16`,
      );
    }
  }
  const modelBytes = m.servedDtypeBytes(dtype);
  const kvDtypeBytes =
    kvDtype === 'auto' ? (m.quantization ? Math.min(2, modelBytes) : modelBytes) : kvDtype.startsWith('fp8') ? 1 : (DTYPE_BYTES[normalizeDtype(kvDtype)] ?? 2);

  let quantization = m.quantization;
  const flag = input.quantization?.toLowerCase();
  if (flag) {
    if (!QUANTIZATION_FLAGS.includes(flag))
      throw new Error(`quantization '${input.quantization}' is not a method vLLM knows (${QUANTIZATION_FLAGS.join(', ')})`);
    const conflict = quantizationConflict(m.quantization, flag);
    if (conflict) refusals.push(conflict);
    else if (!m.quantization) {
      const bits = ON_LOAD_BITS[flag];
      if (bits === undefined) {
        refusals.push(
          `--quantization=${flag} needs a checkpoint quantized with ${flag}, but ${m.name} is not quantized ("Cannot find the config file for ${flag}"): use a ${flag} checkpoint, or fp8 to quantize on load`,
        );
      } else {
        quantization = { method: flag, weightBits: bits, label: `${flag} (quantized on load)` };
      }
    }
  }
  if (quantization && capability > 0) {
    const method = quantization.method === 'compressed-tensors' ? (/^fp/.test(quantization.label) ? 'fp8' : 'awq') : quantization.method;
    const min = MIN_CAPABILITY[method];
    if (min !== undefined && capability < min) {
      refusals.push(
        `${gpuLabel} cannot run ${quantization.label} weights ("The quantization method ${quantization.method} is not supported for the current GPU. ` +
          `Minimum capability: ${Math.round(min * 10)}. Current capability: ${Math.round(capability * 10)}"): use a GPU of compute capability ${min} or more, or another checkpoint`,
      );
    }
  }
  refusals.push(...alignmentRefusals(m, tp, quantization));
  if (!m.mla) {
    const kv = m.numKeyValueHeads;
    if (kv >= tp ? kv % tp !== 0 : tp % kv !== 0) {
      refusals.push(
        `tensor-parallel-size ${tp} and the model's ${kv} KV heads do not divide one another (vLLM shards KV heads over ranks when there are more heads, replicates them when fewer)`,
      );
    }
  }
  if (quantization && /fp8/.test(quantization.label) && !input.gpu.fp8Compute && capability >= 8) {
    warnings.push(`${gpuLabel} has no FP8 tensor cores: vLLM runs the FP8 weights weight-only (FP8-Marlin), slower than on Ada/Hopper`);
  }
  // CUDA context, cuBLAS and NCCL take memory before vLLM measures what is free
  if (util > 1 - CALIBRATION.cudaContextGiB / input.gpu.cudaVisibleGiB) {
    warnings.push(
      `gpu-memory-utilization ${util} asks for more than is free at start-up on ${input.gpu.name} (about ${(input.gpu.cudaVisibleGiB - CALIBRATION.cudaContextGiB).toFixed(2)} GiB): vLLM stops with "Free memory on device … is less than desired GPU memory utilization"`,
    );
  } else if ((1 - util) * input.gpu.cudaVisibleGiB < 0.5) {
    warnings.push(
      `only ${((1 - util) * input.gpu.cudaVisibleGiB).toFixed(2)} GiB stay outside the budget for CUDA-graph capture (0.3–1 GiB): lower gpu-memory-utilization or pass --enforce-eager if capture runs out of memory`,
    );
  }
  const large = input.gpu.largeBatchDefaults;
  let batchedTokens: number;
  let numSeqs: number;
  if (engine === 'v1') {
    batchedTokens = input.maxNumBatchedTokens ?? (large ? 8192 : 2048);
    numSeqs = input.maxNumSeqs ?? (large ? 1024 : 256);
    if (input.maxNumBatchedTokens === undefined && input.maxNumSeqs !== undefined) batchedTokens = Math.max(batchedTokens, numSeqs);
  } else {
    numSeqs = input.maxNumSeqs ?? 256;
    // V0 turns chunked prefill on for long contexts (> 32k) with 512-token chunks; otherwise one prefill holds a whole sequence
    batchedTokens = input.maxNumBatchedTokens ?? (maxModelLen > 32768 ? 512 : Math.max(maxModelLen, 2048));
  }
  if (batchedTokens < numSeqs) {
    refusals.push(
      `max-num-batched-tokens ${batchedTokens} is below max-num-seqs ${numSeqs} ("max_num_batched_tokens … must be greater than or equal to max_num_seqs"): raise max-num-batched-tokens or lower max-num-seqs`,
    );
  }
  const { pp, ep, lora } = resolveSplit(input, refusals, warnings);
  return {
    model: m,
    gpu: input.gpu,
    tp,
    maxModelLen,
    util,
    kvDtypeBytes,
    dtype,
    quantization,
    batchedTokens,
    numSeqs,
    blockSize,
    engine,
    pp,
    ep,
    lora,
    warnings,
    refusals,
  };
}

/** Pipeline stages, expert-parallel ranks and LoRA slots, checked as vLLM checks them at start-up. */
function resolveSplit(input: PlanInput, refusals: string[], warnings: string[]): Pick<Resolved, 'pp' | 'ep' | 'lora'> {
  const m = input.model;
  const pp = input.pipelineParallelSize ?? 1;
  if (!Number.isInteger(pp) || pp < 1 || pp > 1024) throw new Error(`pipeline-parallel-size must be a whole number of stages from 1 to 1024, got ${pp}`);
  // vLLM get_pp_indices: every stage holds at least one layer
  if (pp > m.numLayers) {
    refusals.push(`pipeline-parallel-size ${pp} exceeds the model's ${m.numLayers} layers (every stage needs a layer): use ${m.numLayers} stages or fewer`);
  }
  const ep = input.expertParallelSize;
  if (ep !== undefined && (!Number.isInteger(ep) || ep < 1 || ep > 65536)) throw new Error(`expert-parallel size must be a whole number of ranks, got ${ep}`);
  if (ep !== undefined && !m.moe) warnings.push(`--enable-expert-parallel has no effect: ${m.name} has no experts`);
  const lora = input.lora;
  if (lora) {
    for (const [k, v] of Object.entries(lora)) {
      if (!Number.isInteger(v) || v < 1 || v > 65536) throw new Error(`LoRA ${k} must be a whole number from 1, got ${v}`);
    }
    // vLLM LoRAConfig: max_lora_rank must be one of its punica kernel sizes
    if (!LORA_RANKS.includes(lora.maxRank)) {
      refusals.push(`LoRA max rank ${lora.maxRank} is not one vLLM accepts (${LORA_RANKS.join(', ')}): use the next larger one`);
    }
  }
  return { pp, ep: ep !== undefined && m.moe ? ep : undefined, lora };
}

/** `--max-lora-rank` values vLLM accepts (vllm/config/lora.py MaxLoRARanks). */
export const LORA_RANKS: readonly number[] = [1, 8, 16, 32, 64, 128, 256, 320, 512];

/** Share of a stage's layers: the largest stage holds ⌈layers / pp⌉ of them. */
function stageShare(m: ModelProfile, pp: number): number {
  return Math.ceil(m.numLayers / pp) / m.numLayers;
}

/** Share of the parameters in routed experts (the part expert parallelism spreads); shared experts stay with tensor parallelism. */
export function routedExpertShare(m: ModelProfile): number {
  if (!m.moe) return 0;
  const p = m.parameterCount;
  const routed = (m.numLayers - m.moe.denseLayers) * m.moe.numExperts * 3 * m.hiddenSize * m.moe.expertIntermediateSize;
  return routed / (p.embedding + p.linear + p.other);
}

/**
 * LoRA weights vLLM preallocates on one rank: for each layer of the stage, each of q/k/v, o, gate/up and down gets
 * A (rank × in) and B (out × rank) per slot, in 16 bits; column-parallel layers shard B's rows, row-parallel ones
 * A's columns (vllm/lora/layers).
 */
export function loraBytesPerGpu(m: ModelProfile, tp: number, pp: number, lora: { readonly maxRank: number; readonly maxAdapters: number }): number {
  const h = m.hiddenSize;
  const attn = m.numAttentionHeads * m.headDim;
  const qkv = (m.numAttentionHeads + 2 * m.numKeyValueHeads) * m.headDim;
  // MoE experts take no static LoRA in vLLM's dense path; their layers carry only attention adapters
  const mlp = m.moe ? 0 : m.intermediateSize;
  const perSlotRank = h + qkv / tp + attn / tp + h + (mlp ? h + (2 * mlp) / tp + mlp / tp + h : 0);
  return Math.ceil(m.numLayers / pp) * lora.maxAdapters * lora.maxRank * perSlotRank * 2;
}

/** Weight bytes on one rank: the checkpoint (or computed) bytes divided over the ranks, plus replicated buffers. */
export function weightsPerGpuBytes(
  m: ModelProfile,
  tp: number,
  quantization: QuantizationInfo | undefined,
  dtype: string,
  split: { readonly pp?: number; readonly ep?: number } = {},
): number {
  let total: number;
  if (quantization && !m.quantization) {
    total = m.computedWeightBytes(quantization); // quantized on load (--quantization on a 16-bit checkpoint)
  } else if (m.checkpointBytes !== undefined) {
    total = m.quantization ? m.checkpointBytes : m.checkpointBytes * (m.servedDtypeBytes(dtype) / m.storedDtypeBytes);
  } else {
    total = m.computedWeightBytes(m.quantization, m.servedDtypeBytes(dtype));
  }
  // replicated on every rank: the rotary cos/sin cache and the norms
  const replicated = m.maxPositionEmbeddings * m.headDim * 2 + m.numLayers * 2 * m.hiddenSize * 2;
  const stage = stageShare(m, split.pp ?? 1);
  if (split.ep === undefined || !m.moe) return (total * stage) / tp + replicated;
  // expert parallelism: routed experts over ep ranks (the busiest rank holds ⌈experts / ep⌉), the rest over tp
  const experts = routedExpertShare(m);
  const perRank = Math.ceil(m.moe.numExperts / split.ep) / m.moe.numExperts;
  return total * stage * ((1 - experts) / tp + experts * perRank) + replicated;
}

/** Peak activation memory of vLLM's profiling run on one rank. */
export function activationBytes(m: ModelProfile, r: { tp: number; batchedTokens: number; numSeqs: number; engine: VllmEngine; dtypeBytes: number }): number {
  if (r.engine === 'v0') return r.batchedTokens * m.vocabSize * CALIBRATION.v0ProfileBytesPerTokenVocab;
  const requests = Math.min(r.numSeqs, r.batchedTokens);
  const sampler = requests * m.vocabSize * CALIBRATION.v1SamplerBytesPerSeqVocab;
  const mlpWidth = m.moe ? m.moe.expertsPerToken * m.moe.expertIntermediateSize : m.intermediateSize;
  const forward = r.batchedTokens * ((3 * mlpWidth) / r.tp + 4 * m.hiddenSize) * r.dtypeBytes;
  return Math.max(sampler, forward);
}

function computePlan(r: Resolved): MemoryPlan {
  const m = r.model;
  const total = r.gpu.cudaVisibleGiB * GIB;
  const budget = r.util * total;
  const weights = weightsPerGpuBytes(m, r.tp, r.quantization, r.dtype, { pp: r.pp, ep: r.ep }) + (r.lora ? loraBytesPerGpu(m, r.tp, r.pp, r.lora) : 0);
  const dtypeBytes = r.quantization ? 2 : m.servedDtypeBytes(r.dtype);
  const activation = activationBytes(m, { tp: r.tp, batchedTokens: r.batchedTokens, numSeqs: r.numSeqs, engine: r.engine, dtypeBytes });
  const nonTorch =
    (r.tp > 1 || r.pp > 1 ? CALIBRATION.nonTorchGiB.parallel : r.engine === 'v0' ? CALIBRATION.nonTorchGiB.v0Single : CALIBRATION.nonTorchGiB.single) * GIB;
  // a pipeline stage caches only its own layers' keys and values
  const kvPerToken = Math.ceil(m.kvBytesPerToken(r.tp, r.kvDtypeBytes) * stageShare(m, r.pp));
  const kv = budget - weights - activation - nonTorch;
  const blocks = kv > 0 ? Math.floor(kv / (kvPerToken * r.blockSize)) : 0;
  const needBytes = requestKvBytes(m, r, r.maxModelLen, kvPerToken);
  const cacheBytes = blocks * r.blockSize * kvPerToken;
  const fitsLoad = weights <= total - CALIBRATION.cudaContextGiB * GIB;
  const outcome: PlanOutcome = !fitsLoad ? 'oom_weights' : kv <= 0 ? 'no_kv_memory' : cacheBytes < needBytes ? 'kv_too_small' : 'ok';
  const g = (b: number) => b / GIB;
  const f2 = (b: number) => g(b).toFixed(2);
  const maxFitting = maxFittingLen(m, r, cacheBytes, kvPerToken);
  const reason = {
    ok: `${blocks * r.blockSize} KV tokens per GPU hold ${(cacheBytes / needBytes).toFixed(2)} sequences of ${r.maxModelLen} tokens`,
    oom_weights: `weights need ${f2(weights)} GiB per GPU but one ${r.gpu.name} has ${r.gpu.cudaVisibleGiB.toFixed(2)} GiB visible to CUDA (${(r.gpu.cudaVisibleGiB - CALIBRATION.cudaContextGiB).toFixed(2)} GiB free at start): loading fails with torch.OutOfMemoryError`,
    no_kv_memory: `the ${f2(budget)} GiB budget (${r.util} × ${r.gpu.cudaVisibleGiB.toFixed(2)} GiB) minus weights ${f2(weights)}, activations ${f2(activation)} and non-torch ${f2(nonTorch)} GiB leaves ${f2(kv)} GiB for the KV cache: "No available memory for the cache blocks"`,
    kv_too_small: `${f2(kv)} GiB of KV cache hold ${blocks * r.blockSize} tokens, fewer than one sequence of max-model-len ${r.maxModelLen} needs (${f2(needBytes)} GiB); vLLM estimates the maximum model length at ${maxFitting}`,
  }[outcome];
  return {
    outcome,
    reason,
    model: m.name,
    gpu: r.gpu.name,
    tensorParallelSize: r.tp,
    ...(r.pp > 1 ? { pipelineParallelSize: r.pp } : {}),
    ...(r.ep !== undefined ? { expertParallelSize: r.ep } : {}),
    ...(r.lora ? { loraGiBPerGpu: round(g(loraBytesPerGpu(m, r.tp, r.pp, r.lora))) } : {}),
    maxModelLen: r.maxModelLen,
    gpuMemoryUtilization: r.util,
    gpuTotalGiB: round(r.gpu.cudaVisibleGiB),
    budgetGiB: round(g(budget)),
    weightsGiBPerGpu: round(g(weights)),
    activationGiB: round(g(activation)),
    nonTorchGiB: round(g(nonTorch)),
    kvCacheGiBPerGpu: round(g(kv)),
    kvBytesPerToken: kvPerToken,
    kvCacheBlocks: blocks,
    kvCacheTokens: blocks * r.blockSize,
    maxConcurrency: round(cacheBytes / needBytes),
    maxFittingModelLen: fitsLoad && kv > 0 ? maxFitting : 0,
    // how far the verdict is from flipping: memory to spare (or missing) for loading, else for one sequence
    marginGiB: round(g(fitsLoad ? kv - needBytes : total - CALIBRATION.cudaContextGiB * GIB - weights)),
    maxNumBatchedTokens: r.batchedTokens,
    maxNumSeqs: r.numSeqs,
    blockSize: r.blockSize,
    quantization: r.quantization?.label,
    weightSource: m.checkpointBytes !== undefined ? m.weightSource : 'computed from config.json',
    warnings: r.warnings,
    refusals: r.refusals,
    suggestions: [],
  };
}

/**
 * KV bytes one request of `len` tokens needs: full-attention layers keep every token; sliding-window layers keep
 * at most window − 1 + max_num_batched_tokens tokens plus one block (vLLM's SlidingWindowSpec).
 */
function requestKvBytes(m: ModelProfile, r: Resolved, len: number, kvPerToken: number): number {
  const perLayer = kvPerToken / m.numLayers;
  const full = Math.ceil(len / r.blockSize) * r.blockSize;
  if (!m.slidingWindow || !m.slidingLayers) return full * kvPerToken;
  const windowTokens = Math.min(m.slidingWindow - 1 + r.batchedTokens, len);
  const sliding = (Math.ceil(windowTokens / r.blockSize) + 1) * r.blockSize;
  return ((m.numLayers - m.slidingLayers) * full + m.slidingLayers * sliding) * perLayer;
}

/** The longest max-model-len whose request fits the cache (vLLM's "estimated maximum model length"). */
function maxFittingLen(m: ModelProfile, r: Resolved, cacheBytes: number, kvPerToken: number): number {
  if (cacheBytes <= 0) return 0;
  let lo = 0;
  let hi = m.maxPositionEmbeddings;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi + 1) / 2);
    if (requestKvBytes(m, r, mid, kvPerToken) <= cacheBytes) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function suggest(r: Resolved, plan: MemoryPlan): string[] {
  const out: string[] = [];
  const fits = (over: Partial<Resolved>) => computePlan({ ...r, ...over, warnings: [], refusals: [] }).outcome === 'ok';
  const tps = [2, 4, 8].filter((t) => t > r.tp && r.model.numAttentionHeads % t === 0);
  const tp = tps.find((t) => fits({ tp: t }));
  if (tp) {
    const shapes = GpuInstanceType.all()
      .filter((t) => t.gpu === r.gpu && t.gpuCount >= tp)
      .map((t) => t.name);
    out.push(`tensor-parallel-size ${tp} on ${tp} × ${r.gpu.name}${shapes.length ? ` (e.g. ${shapes.slice(0, 3).join(', ')})` : ''}`);
  }
  if (plan.outcome === 'kv_too_small' && plan.maxFittingModelLen > 0) {
    out.push(`max-model-len ${plan.maxFittingModelLen} or less`);
  }
  if (r.kvDtypeBytes > 1 && fits({ kvDtypeBytes: 1 })) out.push('--kv-cache-dtype fp8 (halves the KV cache per token)');
  if (!r.quantization || r.quantization.weightBits > 4) {
    const q4 = quantizationOf({ quant_method: 'awq', bits: 4, group_size: 128, zero_point: true })!;
    const fourBit = new (r.model.constructor as typeof ModelProfile)({
      ...r.model,
      quantization: q4,
      checkpointBytes: undefined,
      weightSource: 'computed',
      torchDtype: 'float16',
    });
    const p = computePlan({ ...r, model: fourBit, quantization: q4, warnings: [], refusals: [] });
    if (p.outcome === 'ok')
      out.push(`a 4-bit checkpoint (AWQ, GPTQ or W4A16; about ${p.weightsGiBPerGpu.toFixed(1)} GiB per GPU) with ${p.kvCacheTokens} KV tokens`);
  }
  return out;
}

/**
 * A GPU that refuses nothing: compute capability above every kernel's minimum, FP8 tensor cores, and the smaller
 * batch defaults (with the larger ones, max-num-batched-tokens may fall below the default max-num-seqs where it would
 * not on a smaller GPU). What vLLM still refuses on it does not depend on the GPU.
 */
const ANY_GPU = GpuModel.custom({ name: 'any GPU', cudaVisibleGiB: 1024, computeCapability: '10.0', fp8Compute: true, largeBatchDefaults: false });

/**
 * What vLLM refuses about a model and its settings on any GPU: max-model-len beyond the model's positions, a
 * tensor-parallel size the heads or quantization groups do not divide, a --quantization the checkpoint contradicts,
 * max-num-batched-tokens below max-num-seqs. These need no node shape.
 * @throws when a setting is not a value vLLM parses (as planMemory does)
 */
export function gpuIndependentRefusals(input: Omit<PlanInput, 'gpu'>): string[] {
  return resolve({ ...input, gpu: ANY_GPU }).refusals;
}

/**
 * Group-wise quantized weights (AWQ, GPTQ, compressed-tensors W4A16) split over tensor-parallel ranks: every
 * row-parallel layer's per-rank input (attention output, MLP down projection) must hold whole groups, and every
 * column-parallel layer's per-rank output whole packed words; vLLM refuses otherwise ("The input size is not aligned
 * with the quantized weight shape. This can be caused by too large tensor parallel size.").
 */
export function alignmentRefusals(m: ModelProfile, tp: number, q: QuantizationInfo | undefined): string[] {
  const group = q?.groupSize;
  if (!q || !group || tp === 1) return [];
  // 4-bit weights are packed eight to a 32-bit word
  const pack = q.weightBits > 0 && q.weightBits < 16 ? Math.floor(32 / q.weightBits) : 1;
  const mlp = m.moe ? m.moe.expertIntermediateSize : m.intermediateSize;
  const attention = m.numAttentionHeads * m.headDim;
  const aligned = (t: number) => (mlp / t) % group === 0 && (attention / t) % group === 0 && (mlp / t) % pack === 0;
  const out: string[] = [];
  const rows: [string, number][] = [
    [`the attention output projection (${attention} / ${tp})`, attention / tp],
    [`the MLP down projection (${mlp} / ${tp})`, mlp / tp],
  ];
  for (const [what, n] of rows) {
    if (!Number.isInteger(n) || n % group !== 0) {
      const fits = [1, 2, 4, 8].filter(aligned);
      out.push(
        `${what} gives ${n} input columns per rank, not a multiple of the ${q.label} group size ${group} ("The input size is not aligned with the quantized weight shape"): ` +
          `use tensor-parallel-size ${fits.join(' or ')}, or a checkpoint padded for this size`,
      );
    }
  }
  if (!Number.isInteger(mlp / tp) || (mlp / tp) % pack !== 0) {
    out.push(
      `the MLP gate/up projection gives ${mlp / tp} output columns per rank, not a multiple of the ${pack} weights packed in a word ("The output size is not aligned with the quantized weight shape")`,
    );
  }
  return out;
}

/**
 * Whether `--quantization <flag>` contradicts a checkpoint's own quantization; vLLM stops with "Quantization method
 * specified in the model config (…) does not match the quantization method specified in the `quantization` argument".
 * @returns a message, or undefined when they agree (or the checkpoint is not quantized)
 */
export function quantizationConflict(checkpoint: QuantizationInfo | undefined, flag: string): string | undefined {
  if (!checkpoint) return undefined;
  const f = flag.toLowerCase();
  const family = (s: string) => s.replace(/_marlin$|^marlin_/, '');
  if (family(f) === family(checkpoint.method)) return undefined;
  return `the checkpoint is already quantized (${checkpoint.label}); --quantization=${f} contradicts it and vLLM refuses to start: remove --quantization, vLLM reads the method from the checkpoint`;
}

function divisors(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
