import { VLLM_DTYPES, KV_CACHE_DTYPES } from '../planning/vllm-flag-values';
import { requirePositiveInteger } from '../private/names';
import { shown } from './service-validation';
import { VllmRuntime } from './vllm-runtime';

/** Data type of weights and activations (`--dtype`). */
export enum VllmDtype {
  AUTO = 'auto',
  BFLOAT16 = 'bfloat16',
  FLOAT16 = 'float16',
  FLOAT32 = 'float32',
}

/** Data type of the KV cache (`--kv-cache-dtype`). */
export enum KvCacheDtype {
  AUTO = 'auto',
  FP8 = 'fp8',
  FP8_E4M3 = 'fp8_e4m3',
  FP8_E5M2 = 'fp8_e5m2',
}

/**
 * vLLM engine options of one service. Each becomes one `--flag=value` argument appended to the runtime's.
 */
export interface VllmEngineOptions {
  /**
   * Tensor-parallel size: the number of GPUs one replica shards the model over.
   * @default 1
   */
  readonly tensorParallelSize?: number;
  /**
   * `--dtype`.
   * @default - vLLM's default (`auto`: the checkpoint's dtype)
   */
  readonly dtype?: VllmDtype;
  /**
   * `--max-model-len`: the longest sequence (prompt + output) one request may have.
   * @default - the model's `max_position_embeddings`
   */
  readonly maxModelLen?: number;
  /**
   * `--gpu-memory-utilization`: the share of each GPU's memory vLLM may use for weights, activations and KV cache.
   * @default - vLLM's default (0.9)
   */
  readonly gpuMemoryUtilization?: number;
  /**
   * `--kv-cache-dtype`.
   * @default - vLLM's default (`auto`: the model dtype)
   */
  readonly kvCacheDtype?: KvCacheDtype;
  /**
   * `--quantization`. Leave it unset for pre-quantized checkpoints (FP8, AWQ, GPTQ, compressed-tensors):
   * vLLM reads the method from the checkpoint and rejects a different one.
   * @default - none (what the checkpoint says)
   */
  readonly quantization?: string;
  /**
   * `--max-num-seqs`.
   * @default - vLLM's default for the GPU
   */
  readonly maxNumSeqs?: number;
  /**
   * `--max-num-batched-tokens`.
   * @default - vLLM's default for the GPU
   */
  readonly maxNumBatchedTokens?: number;
  /**
   * Further vLLM arguments, appended verbatim. They must not repeat a flag set by a typed option or by the runtime.
   * @default - none
   */
  readonly extraArgs?: string[];
}

/** The vLLM flags a typed option owns. */
const TYPED_FLAGS: Record<string, keyof VllmEngineOptions> = {
  '--tensor-parallel-size': 'tensorParallelSize',
  '--dtype': 'dtype',
  '--max-model-len': 'maxModelLen',
  '--gpu-memory-utilization': 'gpuMemoryUtilization',
  '--kv-cache-dtype': 'kvCacheDtype',
  '--quantization': 'quantization',
  '--max-num-seqs': 'maxNumSeqs',
  '--max-num-batched-tokens': 'maxNumBatchedTokens',
};
const SHORT_FLAGS: Record<string, string> = { '-tp': '--tensor-parallel-size', '-q': '--quantization' };

/** Checks vLLM engine options on their own; errors name the object and the option. */
export function checkEngineOptions(self: string, o: VllmEngineOptions): void {
  const positive = { maxModelLen: o.maxModelLen, maxNumSeqs: o.maxNumSeqs, maxNumBatchedTokens: o.maxNumBatchedTokens };
  for (const [k, v] of Object.entries(positive)) {
    if (v !== undefined) requirePositiveInteger(self, k, v);
  }
  if (o.gpuMemoryUtilization !== undefined && !(typeof o.gpuMemoryUtilization === 'number' && o.gpuMemoryUtilization > 0 && o.gpuMemoryUtilization <= 1)) {
    throw new Error(`${self}: gpuMemoryUtilization must be in (0, 1], got ${shown(o.gpuMemoryUtilization)}; it is a fraction of each GPU's memory, e.g. 0.9`);
  }
  // vLLM's argument parser refuses any other word, so the pod would crash on start
  if (o.dtype !== undefined && !VLLM_DTYPES.includes(o.dtype)) {
    throw new Error(`${self}: dtype ${shown(o.dtype)} is not one vLLM accepts (${VLLM_DTYPES.join(', ')}): use VllmDtype, e.g. VllmDtype.BFLOAT16`);
  }
  if (o.kvCacheDtype !== undefined && !KV_CACHE_DTYPES.includes(o.kvCacheDtype)) {
    throw new Error(
      `${self}: kvCacheDtype ${shown(o.kvCacheDtype)} is not one vLLM accepts (${KV_CACHE_DTYPES.join(', ')}): use KvCacheDtype, e.g. KvCacheDtype.FP8`,
    );
  }
  if (o.quantization !== undefined && (typeof o.quantization !== 'string' || !/^[a-z0-9_-]+$/.test(o.quantization))) {
    throw new Error(
      `${self}: quantization ${shown(o.quantization)} is not a vLLM quantization method (e.g. 'fp8', 'awq_marlin'); leave it unset for a pre-quantized checkpoint`,
    );
  }
  if (o.maxNumBatchedTokens !== undefined && o.maxNumSeqs !== undefined && o.maxNumBatchedTokens < o.maxNumSeqs) {
    throw new Error(`${self}: maxNumBatchedTokens (${o.maxNumBatchedTokens}) must be at least maxNumSeqs (${o.maxNumSeqs})`);
  }
  if (o.extraArgs !== undefined && !(Array.isArray(o.extraArgs) && o.extraArgs.every((a) => typeof a === 'string' && a.trim() !== ''))) {
    throw new Error(`${self}: extraArgs must be a list of non-empty strings, one argument each (e.g. ['--enable-prefix-caching']), got ${shown(o.extraArgs)}`);
  }
  for (const arg of o.extraArgs ?? []) {
    // vLLM's FlexibleArgumentParser reads '_' in a long flag's name as '-' (--max_model_len is --max-model-len)
    const name = arg.split('=')[0];
    const flag = SHORT_FLAGS[name] ?? (name.startsWith('--') ? name.replace(/_/g, '-') : name);
    if (TYPED_FLAGS[flag]) {
      throw new Error(`${self}: extraArgs repeats ${flag}; set the typed option '${TYPED_FLAGS[flag]}' instead, so that checks and GPU counts see it`);
    }
    if (VllmRuntime.RUNTIME_FLAGS.includes(flag)) {
      throw new Error(
        `${self}: extraArgs sets ${flag}, which the runtime already sets (the model is at /mnt/models and is served under the service name); remove it`,
      );
    }
  }
}

/** vLLM arguments of the typed options, then the extra ones (tensor parallelism only when above 1). */
export function renderArgs(o: VllmEngineOptions, tp: number): string[] {
  const args: string[] = [];
  if (tp > 1) args.push(`--tensor-parallel-size=${tp}`);
  if (o.dtype) args.push(`--dtype=${o.dtype}`);
  if (o.quantization) args.push(`--quantization=${o.quantization}`);
  if (o.kvCacheDtype) args.push(`--kv-cache-dtype=${o.kvCacheDtype}`);
  if (o.maxModelLen) args.push(`--max-model-len=${o.maxModelLen}`);
  if (o.gpuMemoryUtilization !== undefined) args.push(`--gpu-memory-utilization=${o.gpuMemoryUtilization}`);
  if (o.maxNumSeqs) args.push(`--max-num-seqs=${o.maxNumSeqs}`);
  if (o.maxNumBatchedTokens) args.push(`--max-num-batched-tokens=${o.maxNumBatchedTokens}`);
  return [...args, ...(o.extraArgs ?? [])];
}
