import { GpuModel } from '../catalog/gpu-model';
import { GpuInstanceType } from '../catalog/instance-type';
import { ModelProfile } from './model-profile';
import { DTYPE_BYTES, normalizeDtype, QuantizationInfo } from './model-spec';
import { quantizationOf } from './quantization-config';
import type { ShapeOption } from './shape-option';
import { StartupSettings, STARTUP_REFUSALS, STARTUP_WARNINGS, startupFindings } from './vllm-startup-checks';

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

/** `--dtype` values vLLM's argument parser accepts (vllm/config/model.py ModelDType); `bf16` and `fp16` are not among them. */
export const VLLM_DTYPES: readonly string[] = ['auto', 'half', 'float16', 'bfloat16', 'float', 'float32'];

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

/** The settings resolved, with what the planner's memory accounting needs besides and vLLM's verdicts on them. */
interface Resolved extends StartupSettings {
  readonly kvDtypeBytes: number;
  readonly blockSize: number;
  readonly engine: VllmEngine;
  /** Ranks the routed experts are spread over (undefined for a model without experts). */
  readonly ep?: number;
  readonly warnings: string[];
  readonly refusals: string[];
}

function resolve(input: PlanInput): Resolved {
  const settings = deriveSettings(input);
  return { ...settings, warnings: startupFindings(STARTUP_WARNINGS, settings), refusals: startupFindings(STARTUP_REFUSALS, settings) };
}

/**
 * vLLM's settings from the planner's input, with its defaults; throws on a value vLLM does not parse (what vLLM
 * parses but refuses is for the start-up checks).
 */
function deriveSettings(input: PlanInput): Omit<Resolved, 'warnings' | 'refusals'> {
  const { tp, util, maxModelLen, blockSize, engine } = deriveScalars(input);
  const { dtype, kvDtypeBytes } = deriveDtypes(input);
  const { flag, quantization } = resolveQuantization(input);
  const { pp, ep, lora } = deriveSplit(input);
  return {
    model: input.model,
    gpu: input.gpu,
    tp,
    maxModelLen,
    util,
    kvDtypeBytes,
    dtype,
    quantizationFlag: flag,
    quantization,
    ...deriveBatchLimits(input, engine, maxModelLen),
    blockSize,
    engine,
    pp,
    ep: ep !== undefined && input.model.moe ? ep : undefined,
    expertParallelSize: ep,
    lora,
    cudaContextGiB: CALIBRATION.cudaContextGiB,
  };
}

/** The scalar settings, each checked to be a value vLLM parses. */
function deriveScalars(input: PlanInput): Pick<Resolved, 'tp' | 'util' | 'maxModelLen' | 'blockSize' | 'engine'> {
  const tp = input.tensorParallelSize ?? 1;
  if (!Number.isInteger(tp) || tp < 1 || tp > 1024) throw new Error(`tensor-parallel-size must be a whole number of GPUs from 1 to 1024, got ${tp}`);
  const util = input.gpuMemoryUtilization ?? 0.9;
  if (!(typeof util === 'number' && util > 0 && util <= 1)) throw new Error(`gpu-memory-utilization must be in (0, 1], got ${util}`);
  const maxModelLen = input.maxModelLen ?? input.model.maxPositionEmbeddings;
  if (!Number.isInteger(maxModelLen) || maxModelLen < 1 || maxModelLen > 1e9)
    throw new Error(`max-model-len must be a whole number of tokens from 1 to 10^9, got ${maxModelLen}`);
  const blockSize = input.blockSize ?? 16;
  if (![1, 8, 16, 32, 64, 128, 256].includes(blockSize)) throw new Error(`block-size must be one of 1, 8, 16, 32, 64, 128, 256, got ${blockSize}`);
  const engine = input.engine ?? 'v1';
  if (engine !== 'v1' && engine !== 'v0') throw new Error(`engine must be v1 or v0, got ${String(engine)}`);
  return { tp, util, maxModelLen, blockSize, engine };
}

/** `--dtype` (normalized) and the bytes per KV-cache element `--kv-cache-dtype` gives. */
function deriveDtypes(input: PlanInput): { dtype: string; kvDtypeBytes: number } {
  const m = input.model;
  const kvDtype = (input.kvCacheDtype ?? 'auto').toLowerCase();
  if (!KV_CACHE_DTYPES.includes(kvDtype)) throw new Error(`kv-cache-dtype '${input.kvCacheDtype}' is not one vLLM accepts (${KV_CACHE_DTYPES.join(', ')})`);
  const dtype = normalizeDtype(input.dtype ?? 'auto');
  if (dtype !== 'auto' && !['bfloat16', 'float16', 'float32'].includes(dtype))
    throw new Error(`dtype '${input.dtype}' is not one of auto, bfloat16, float16, float32`);
  const modelBytes = m.servedDtypeBytes(dtype);
  const kvDtypeBytes =
    kvDtype === 'auto' ? (m.quantization ? Math.min(2, modelBytes) : modelBytes) : kvDtype.startsWith('fp8') ? 1 : (DTYPE_BYTES[normalizeDtype(kvDtype)] ?? 2);
  return { dtype, kvDtypeBytes };
}

/**
 * `--quantization` (lower case) and the quantization the weights load with: the checkpoint's, or the flag's when
 * vLLM quantizes a 16-bit checkpoint on load. A flag the checkpoint contradicts, or one vLLM cannot apply on load,
 * leaves the checkpoint's (the start-up checks refuse it).
 */
function resolveQuantization(input: PlanInput): { flag?: string; quantization?: QuantizationInfo } {
  const m = input.model;
  const flag = input.quantization?.toLowerCase();
  if (!flag) return { quantization: m.quantization };
  if (!QUANTIZATION_FLAGS.includes(flag)) throw new Error(`quantization '${input.quantization}' is not a method vLLM knows (${QUANTIZATION_FLAGS.join(', ')})`);
  const bits = ON_LOAD_BITS[flag];
  if (m.quantization || bits === undefined) return { flag, quantization: m.quantization };
  return { flag, quantization: { method: flag, weightBits: bits, label: `${flag} (quantized on load)` } };
}

/** max-num-batched-tokens and max-num-seqs, with the engine's defaults for the GPU. */
function deriveBatchLimits(input: PlanInput, engine: VllmEngine, maxModelLen: number): { batchedTokens: number; numSeqs: number } {
  if (engine === 'v0') {
    // V0 turns chunked prefill on for long contexts (> 32k) with 512-token chunks; otherwise one prefill holds a whole sequence
    return { numSeqs: input.maxNumSeqs ?? 256, batchedTokens: input.maxNumBatchedTokens ?? (maxModelLen > 32768 ? 512 : Math.max(maxModelLen, 2048)) };
  }
  const large = input.gpu.largeBatchDefaults;
  const batchedTokens = input.maxNumBatchedTokens ?? (large ? 8192 : 2048);
  const numSeqs = input.maxNumSeqs ?? (large ? 1024 : 256);
  if (input.maxNumBatchedTokens === undefined && input.maxNumSeqs !== undefined) return { batchedTokens: Math.max(batchedTokens, numSeqs), numSeqs };
  return { batchedTokens, numSeqs };
}

/** Pipeline stages, expert-parallel ranks (as asked) and LoRA slots, each checked to be a value vLLM parses. */
function deriveSplit(input: PlanInput): { pp: number; ep?: number; lora?: PlanInput['lora'] } {
  const pp = input.pipelineParallelSize ?? 1;
  if (!Number.isInteger(pp) || pp < 1 || pp > 1024) throw new Error(`pipeline-parallel-size must be a whole number of stages from 1 to 1024, got ${pp}`);
  const ep = input.expertParallelSize;
  if (ep !== undefined && (!Number.isInteger(ep) || ep < 1 || ep > 65536)) throw new Error(`expert-parallel size must be a whole number of ranks, got ${ep}`);
  const lora = input.lora;
  for (const [k, v] of Object.entries(lora ?? {})) {
    if (!Number.isInteger(v) || v < 1 || v > 65536) throw new Error(`LoRA ${k} must be a whole number from 1, got ${v}`);
  }
  return { pp, ep, lora };
}

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

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
