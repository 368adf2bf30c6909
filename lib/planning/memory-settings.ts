import { PlanInput, VLLM_DEFAULT_GPU_MEMORY_UTILIZATION, VllmEngine } from './memory-plan';
import { DTYPE_BYTES, normalizeDtype, QuantizationInfo } from './model-spec';
import { CALIBRATION } from './memory-sizes';
import { KV_CACHE_DTYPES, ON_LOAD_BITS, QUANTIZATION_FLAGS } from './vllm-flag-values';
import { StartupSettings, STARTUP_REFUSALS, STARTUP_WARNINGS, startupFindings } from './vllm-startup-checks';
import { defaultMaxModelLen, defaultRunnerOf } from './context-length';

/** The settings resolved, with what the planner's memory accounting needs besides and vLLM's verdicts on them. */
export interface Resolved extends StartupSettings {
  readonly kvDtypeBytes: number;
  readonly blockSize: number;
  readonly engine: VllmEngine;
  /** Ranks the routed experts are spread over (undefined for a model without experts). */
  readonly ep?: number;
  readonly warnings: string[];
  readonly refusals: string[];
}

export function resolve(input: PlanInput): Resolved {
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
    ...lengthSettings(input),
    allowLongMaxModelLen: input.allowLongMaxModelLen === true,
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
  const util = input.gpuMemoryUtilization ?? VLLM_DEFAULT_GPU_MEMORY_UTILIZATION;
  if (!(typeof util === 'number' && util > 0 && util <= 1)) throw new Error(`gpu-memory-utilization must be in (0, 1], got ${util}`);
  const maxModelLen = input.maxModelLen ?? defaultMaxModelLen(input.model, lengthSettings(input));
  if (!Number.isInteger(maxModelLen) || maxModelLen < 1 || maxModelLen > 1e9)
    throw new Error(`max-model-len must be a whole number of tokens from 1 to 10^9, got ${maxModelLen}`);
  const blockSize = input.blockSize ?? 16;
  if (![1, 8, 16, 32, 64, 128, 256].includes(blockSize)) throw new Error(`block-size must be one of 1, 8, 16, 32, 64, 128, 256, got ${blockSize}`);
  const engine = input.engine ?? 'v1';
  if (engine !== 'v1' && engine !== 'v0') throw new Error(`engine must be v1 or v0, got ${String(engine)}`);
  return { tp, util, maxModelLen, blockSize, engine };
}

/** What the derived max-model-len depends on: the runner (vLLM's default for the architecture) and --disable-sliding-window. */
function lengthSettings(input: PlanInput): { pooling: boolean; disableSlidingWindow: boolean } {
  return {
    pooling: (input.runner ?? defaultRunnerOf(input.model.architecture)) === 'pooling',
    disableSlidingWindow: input.disableSlidingWindow === true,
  };
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
