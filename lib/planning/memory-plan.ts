import { GpuModel } from '../catalog/gpu-model';
import { ModelProfile } from './model-profile';
import type { ShapeOption } from './shape-option';

/** vLLM's default share of each GPU's memory it takes at start (vllm/engine/arg_utils.py EngineArgs.gpu_memory_utilization). */
export const VLLM_DEFAULT_GPU_MEMORY_UTILIZATION = 0.9;

/** The vLLM engine generation; its defaults and profiling differ. */
export type VllmEngine = 'v1' | 'v0';

/** What to plan: a model on a GPU with vLLM settings (the CLI flags of `vllm serve`). */
export interface PlanInput {
  readonly model: ModelProfile;
  readonly gpu: GpuModel;
  /** @default 1 */
  readonly tensorParallelSize?: number;
  /** @default - the length vLLM derives from the model's config (its max_position_embeddings, unless another key, rope scaling or a sentence-transformers config says otherwise) */
  readonly maxModelLen?: number;
  /**
   * The runner vLLM starts the model with (`--runner`; pooling also for a pooling `--task` or `--convert`): a pooling
   * runner of a model with absolute position embeddings also reads tokenizer_config.json's model_max_length.
   * @default - the one vLLM picks by the architecture's name (pooling for `*Model`, `*ForSequenceClassification`, …)
   */
  readonly runner?: 'generate' | 'pooling';
  /** `--disable-sliding-window`: the derived length is then at most the sliding window. @default false */
  readonly disableSlidingWindow?: boolean;
  /** VLLM_ALLOW_LONG_MAX_MODEL_LEN is set: vLLM warns about a max-model-len above the derived length instead of refusing it. @default false */
  readonly allowLongMaxModelLen?: boolean;
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
