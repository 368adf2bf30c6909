import { GpuModel } from '../catalog/gpu-model';
import { ModelProfile } from './model-profile';
import { QuantizationInfo } from './model-spec';
import { derivedMaxModelLen, DerivedLength } from './context-length';

/**
 * What vLLM checks when it starts, before it loads a weight: the settings it refuses (it stops with an error) and
 * those it starts with but warns about. Each check is data in the shape of a check rule (lib/check/rule.ts): an id,
 * when it applies, the message with the fix, and the vLLM source it ports. The planner evaluates the tables in order.
 */

/** The settings vLLM starts with, as the planner resolved them from its input (flags with their defaults applied). */
export interface StartupSettings {
  readonly model: ModelProfile;
  readonly gpu: GpuModel;
  /** `--tensor-parallel-size`. */
  readonly tp: number;
  /** `--pipeline-parallel-size`. */
  readonly pp: number;
  readonly maxModelLen: number;
  /** The runner is pooling (PlanInput.runner, else by the architecture): the derived length may read the tokenizer config. */
  readonly pooling: boolean;
  /** `--disable-sliding-window`. */
  readonly disableSlidingWindow: boolean;
  /** VLLM_ALLOW_LONG_MAX_MODEL_LEN is set. */
  readonly allowLongMaxModelLen: boolean;
  /** `--gpu-memory-utilization`. */
  readonly util: number;
  /** `--dtype`, normalized: `auto` or the dtype asked for. */
  readonly dtype: string;
  /** `--quantization` as given (lower case), when given. */
  readonly quantizationFlag?: string;
  /** How the weights load: the checkpoint's quantization, or the flag's when vLLM quantizes a 16-bit checkpoint on load. */
  readonly quantization?: QuantizationInfo;
  readonly batchedTokens: number;
  readonly numSeqs: number;
  /** Ranks asked for the routed experts (`--enable-expert-parallel`), also for a model that has none. */
  readonly expertParallelSize?: number;
  readonly lora?: { readonly maxRank: number; readonly maxAdapters: number };
  /** GiB the CUDA context, cuBLAS and NCCL take before vLLM measures free memory (the planner's calibration). */
  readonly cudaContextGiB: number;
}

/** One start-up check of vLLM's. */
export interface StartupCheck {
  /** Stable id, kebab-case. */
  readonly id: string;
  /** Where vLLM does it: file and function, and the message it gives. */
  readonly source: string;
  /** Whether vLLM refuses (or warns about) these settings. */
  applies(s: StartupSettings): boolean;
  /** What is wrong, in vLLM's words where it has them, and the fix. Called only when the check applies. */
  message(s: StartupSettings): string;
}

/** The messages of the checks of `table` that apply to the settings, in the table's order. */
export function startupFindings(table: readonly StartupCheck[], s: StartupSettings): string[] {
  return table.filter((c) => c.applies(s)).map((c) => c.message(s));
}

/** `--max-lora-rank` values vLLM accepts (vllm/config/lora.py MaxLoRARanks). */
export const LORA_RANKS: readonly number[] = [1, 8, 16, 32, 64, 128, 256, 320, 512];

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

/**
 * The `--quantization` values vLLM runs a checkpoint of a method with besides the method itself: the Marlin kernels of
 * GPTQ and AWQ. vllm/model_executor/layers/quantization gptq_marlin.py and awq_marlin.py override_quantization_method
 * return `gptq_marlin`/`awq_marlin` for a checkpoint the kernel converts when the flag is `marlin` or that name, and
 * vllm/config/model.py _verify_quantization takes the override as the method. The kernel needs a GPU it runs on
 * (MIN_CAPABILITY): elsewhere there is no override, and vLLM refuses the flag as a different method.
 */
const KERNEL_OVERRIDES: Readonly<Record<string, readonly string[]>> = {
  gptq: ['gptq_marlin', 'marlin'],
  awq: ['awq_marlin', 'marlin'],
};

/** Whether vLLM accepts `--quantization <flag>` for a checkpoint quantized with `method`: the method itself, or a kernel that runs it (KERNEL_OVERRIDES). */
export function flagRunsMethod(method: string, flag: string): boolean {
  const f = flag.toLowerCase();
  return f === method || (KERNEL_OVERRIDES[method]?.includes(f) ?? false);
}

/**
 * Whether `--quantization <flag>` contradicts a checkpoint's own quantization; vLLM stops with "Quantization method
 * specified in the model config (…) does not match the quantization method specified in the `quantization` argument".
 * @returns a message, or undefined when they agree (or the checkpoint is not quantized)
 */
export function quantizationConflict(checkpoint: QuantizationInfo | undefined, flag: string): string | undefined {
  if (!checkpoint) return undefined;
  const f = flag.toLowerCase();
  if (flagRunsMethod(checkpoint.method, f)) return undefined;
  return `the checkpoint is already quantized (${checkpoint.label}); --quantization=${f} contradicts it and vLLM refuses to start: remove --quantization, vLLM reads the method from the checkpoint`;
}

/** The GPU's CUDA compute capability as a number (NaN when the catalog does not know it). */
function capabilityOf(s: StartupSettings): number {
  return Number.parseFloat(s.gpu.computeCapability);
}

function gpuLabel(s: StartupSettings): string {
  return `${s.gpu.name} (compute capability ${s.gpu.computeCapability})`;
}

/** The dtype `--dtype auto` serves the checkpoint in: its own, float32 in bfloat16 (in float16 for a pooling runner). */
function autoDtype(m: ModelProfile, pooling: boolean): string {
  // _resolve_auto_dtype: a pooling model's float32 config prefers float16 where the platform has it
  return m.torchDtype === 'float32' ? (pooling ? 'float16' : 'bfloat16') : m.torchDtype;
}

/** The lowest compute capability the kernels of a `--quantization` method run on; undefined when none is listed. */
export function minCapabilityOfMethod(method: string): number | undefined {
  return Object.prototype.hasOwnProperty.call(MIN_CAPABILITY, method) ? MIN_CAPABILITY[method] : undefined;
}

/** The minimum compute capability of the quantization the weights load with, when its kernels have one. */
function minCapabilityOf(q: QuantizationInfo | undefined): number | undefined {
  if (!q) return undefined;
  return minCapabilityOfMethod(q.method === 'compressed-tensors' ? (/^fp/.test(q.label) ? 'fp8' : 'awq') : q.method);
}

/** Whether the utilization asks for more than is free once the CUDA context is up. */
function beyondFreeMemory(s: StartupSettings): boolean {
  return s.util > 1 - s.cudaContextGiB / s.gpu.cudaVisibleGiB;
}

/**
 * GiB left for CUDA-graph capture, which V1 does after sizing the KV cache: the memory beyond the budget, less the
 * CUDA context that was there before vLLM measured (it is outside the budget too).
 */
function captureRoomGiB(s: StartupSettings): number {
  return (1 - s.util) * s.gpu.cudaVisibleGiB - s.cudaContextGiB;
}

/** The columns of the layers split over ranks, and the quantization's groups and packed words. */
interface GroupedShapes {
  readonly label: string;
  readonly group: number;
  /** Weights packed in a 32-bit word. */
  readonly pack: number;
  readonly mlp: number;
  readonly attention: number;
  /** Tensor-parallel sizes up to 8 that split every layer into whole groups and words. */
  readonly fits: number[];
}

/**
 * Group-wise quantized weights (AWQ, GPTQ, compressed-tensors W4A16) split over tensor-parallel ranks: every
 * row-parallel layer's per-rank input (attention output, MLP down projection) must hold whole groups, and every
 * column-parallel layer's per-rank output whole packed words. The shapes, or undefined when no split of groups applies.
 */
function groupedShapes(s: StartupSettings): GroupedShapes | undefined {
  const q = s.quantization;
  const group = q?.groupSize;
  if (!q || !group || s.tp === 1) return undefined;
  // 4-bit weights are packed eight to a 32-bit word
  const pack = q.weightBits > 0 && q.weightBits < 16 ? Math.floor(32 / q.weightBits) : 1;
  const mlp = s.model.moe ? s.model.moe.expertIntermediateSize : s.model.intermediateSize;
  const attention = s.model.numAttentionHeads * s.model.headDim;
  const aligned = (t: number) => (mlp / t) % group === 0 && (attention / t) % group === 0 && (mlp / t) % pack === 0;
  return { label: q.label, group, pack, mlp, attention, fits: [1, 2, 4, 8].filter(aligned) };
}

/** A row-parallel layer whose per-rank input does not hold whole quantization groups. */
function rowAlignment(id: string, layer: 'attention' | 'mlp'): StartupCheck {
  const columns = (s: StartupSettings, g: GroupedShapes) => (layer === 'attention' ? g.attention : g.mlp) / s.tp;
  return {
    id,
    source:
      'vllm/model_executor/layers/quantization (gptq.py, awq.py create_weights): "The input size is not aligned with the quantized weight shape. This can be caused by too large tensor parallel size."',
    applies: (s) => {
      const g = groupedShapes(s);
      if (!g) return false;
      const n = columns(s, g);
      return !Number.isInteger(n) || n % g.group !== 0;
    },
    message: (s) => {
      const g = groupedShapes(s)!;
      const what = layer === 'attention' ? `the attention output projection (${g.attention} / ${s.tp})` : `the MLP down projection (${g.mlp} / ${s.tp})`;
      return (
        `${what} gives ${columns(s, g)} input columns per rank, not a multiple of the ${g.label} group size ${g.group} ("The input size is not aligned with the quantized weight shape"): ` +
        `use tensor-parallel-size ${g.fits.join(' or ')}, or a checkpoint padded for this size`
      );
    },
  };
}

/** The tensor-parallel sizes up to 8 (a node's GPUs) that divide n: a model config may give any count. */
function smallDivisors(n: number): number[] {
  return [1, 2, 3, 4, 5, 6, 7, 8].filter((d) => n % d === 0);
}

/** vLLM's derived length, where the max-model-len asked for is above it and vLLM refuses that (_get_and_verify_max_len). */
function beyondDerived(s: StartupSettings): DerivedLength | undefined {
  if (s.allowLongMaxModelLen) return undefined;
  const d = derivedMaxModelLen(s.model, { pooling: s.pooling, disableSlidingWindow: s.disableSlidingWindow });
  if (!d || s.maxModelLen <= d.value) return undefined;
  // a length up to the config's own model_max_length is allowed above the derived one
  return d.modelMaxLength !== undefined && s.maxModelLen <= d.modelMaxLength ? undefined : d;
}

/** The settings vLLM refuses to start with, in the order the planner reports them. */
export const STARTUP_REFUSALS: readonly StartupCheck[] = [
  {
    id: 'attention-heads-not-divisible',
    source: 'vllm/config/model.py ModelConfig.verify_with_parallel_config: "Total number of attention heads must be divisible by tensor parallel size"',
    applies: (s) => s.model.numAttentionHeads % s.tp !== 0,
    message: (s) =>
      `tensor-parallel-size ${s.tp} does not divide the model's ${s.model.numAttentionHeads} attention heads ("Total number of attention heads must be divisible by tensor parallel size"): use ${smallDivisors(s.model.numAttentionHeads).join(', ')}`,
  },
  {
    id: 'max-model-len-beyond-positions',
    source:
      'vllm/config/model.py _get_and_verify_max_len (context-length.ts): "User-specified max_model_len … is greater than the derived max_model_len", unless it is at most the config\'s model_max_length or VLLM_ALLOW_LONG_MAX_MODEL_LEN is set',
    applies: (s) => beyondDerived(s) !== undefined,
    message: (s) => {
      const d = beyondDerived(s)!;
      const most = Math.floor(d.value);
      return `max-model-len ${s.maxModelLen} exceeds the model's ${d.from} ("User-specified max_model_len (${s.maxModelLen}) is greater than the derived max_model_len"): lower it to ${most}, or set VLLM_ALLOW_LONG_MAX_MODEL_LEN=1, which vLLM warns positions beyond the model's give NaN (rotary) or out-of-bounds errors (absolute)`;
    },
  },
  {
    id: 'bfloat16-unsupported',
    source: 'vllm/platforms/cuda.py check_if_supports_dtype: "Bfloat16 is only supported on GPUs with compute capability of at least 8.0"',
    applies: (s) => s.dtype === 'bfloat16' && capabilityOf(s) < 8,
    message: (s) =>
      `${gpuLabel(s)} cannot run bfloat16 ("Bfloat16 is only supported on GPUs with compute capability of at least 8.0"): pass --dtype float16, or use a GPU of compute capability 8.0 or more`,
  },
  {
    id: 'quantization-contradicts-checkpoint',
    source: 'vllm/config/model.py ModelConfig._verify_quantization: "Quantization method specified in the model config … does not match"',
    applies: (s) => s.quantizationFlag !== undefined && quantizationConflict(s.model.quantization, s.quantizationFlag) !== undefined,
    message: (s) => quantizationConflict(s.model.quantization, s.quantizationFlag!)!,
  },
  {
    id: 'quantization-needs-checkpoint',
    // the flag names a method vLLM does not apply on load (ON_LOAD_BITS) to a checkpoint that is not quantized
    source: 'vllm/model_executor/model_loader/weight_utils.py get_quant_config: "Cannot find the config file for …"',
    applies: (s) => s.quantizationFlag !== undefined && !s.model.quantization && !s.quantization,
    message: (s) =>
      `--quantization=${s.quantizationFlag} needs a checkpoint quantized with ${s.quantizationFlag}, but ${s.model.name} is not quantized ("Cannot find the config file for ${s.quantizationFlag}"): use a ${s.quantizationFlag} checkpoint, or fp8 to quantize on load`,
  },
  {
    id: 'quantization-needs-newer-gpu',
    source: 'vllm/config/vllm.py VllmConfig._get_quantization_config: "The quantization method … is not supported for the current GPU"',
    applies: (s) => {
      const min = minCapabilityOf(s.quantization);
      return capabilityOf(s) > 0 && min !== undefined && capabilityOf(s) < min;
    },
    message: (s) => {
      const min = minCapabilityOf(s.quantization)!;
      return (
        `${gpuLabel(s)} cannot run ${s.quantization!.label} weights ("The quantization method ${s.quantization!.method} is not supported for the current GPU. ` +
        `Minimum capability: ${Math.round(min * 10)}. Current capability: ${Math.round(capabilityOf(s) * 10)}"): use a GPU of compute capability ${min} or more, or another checkpoint`
      );
    },
  },
  rowAlignment('quantization-groups-attention-output', 'attention'),
  rowAlignment('quantization-groups-mlp-down', 'mlp'),
  {
    id: 'quantization-packing-mlp-up',
    source:
      'vllm/model_executor/layers/quantization (gptq.py, awq.py create_weights): "The output size is not aligned with the quantized weight shape. This can be caused by too large tensor parallel size."',
    applies: (s) => {
      const g = groupedShapes(s);
      return !!g && (!Number.isInteger(g.mlp / s.tp) || (g.mlp / s.tp) % g.pack !== 0);
    },
    message: (s) => {
      const g = groupedShapes(s)!;
      return `the MLP gate/up projection gives ${g.mlp / s.tp} output columns per rank, not a multiple of the ${g.pack} weights packed in a word ("The output size is not aligned with the quantized weight shape")`;
    },
  },
  {
    id: 'kv-heads-not-divisible',
    // multi-head latent attention has no KV heads to split
    source: 'vllm/model_executor/layers/linear.py QKVParallelLinear: KV heads sharded over ranks when more than tensor-parallel-size, else replicated',
    applies: (s) => !s.model.mla && (s.model.numKeyValueHeads >= s.tp ? s.model.numKeyValueHeads % s.tp !== 0 : s.tp % s.model.numKeyValueHeads !== 0),
    message: (s) =>
      `tensor-parallel-size ${s.tp} and the model's ${s.model.numKeyValueHeads} KV heads do not divide one another (vLLM shards KV heads over ranks when there are more heads, replicates them when fewer)`,
  },
  {
    id: 'batched-tokens-below-seqs',
    source: 'vllm/config/scheduler.py SchedulerConfig._verify_args: "max_num_batched_tokens … must be greater than or equal to max_num_seqs"',
    applies: (s) => s.batchedTokens < s.numSeqs,
    message: (s) =>
      `max-num-batched-tokens ${s.batchedTokens} is below max-num-seqs ${s.numSeqs} ("max_num_batched_tokens … must be greater than or equal to max_num_seqs"): raise max-num-batched-tokens or lower max-num-seqs`,
  },
  {
    id: 'pipeline-stages-beyond-layers',
    // vLLM get_pp_indices: every stage holds at least one layer
    source: 'vllm/distributed/utils.py get_pp_indices',
    applies: (s) => s.pp > s.model.numLayers,
    message: (s) =>
      `pipeline-parallel-size ${s.pp} exceeds the model's ${s.model.numLayers} layers (every stage needs a layer): use ${s.model.numLayers} stages or fewer`,
  },
  {
    id: 'lora-rank-unsupported',
    // vLLM LoRAConfig: max_lora_rank must be one of its punica kernel sizes
    source: 'vllm/config/lora.py LoRAConfig max_lora_rank (MaxLoRARanks)',
    applies: (s) => !!s.lora && !LORA_RANKS.includes(s.lora.maxRank),
    message: (s) => `LoRA max rank ${s.lora!.maxRank} is not one vLLM accepts (${LORA_RANKS.join(', ')}): use the next larger one`,
  },
];

/** What vLLM starts with but will hurt it, in the order the planner reports them. */
export const STARTUP_WARNINGS: readonly StartupCheck[] = [
  {
    id: 'bfloat16-served-as-float16',
    source: 'vllm/config/model.py _resolve_auto_dtype: --dtype auto falls back to float16 where the platform has no bfloat16',
    applies: (s) => s.dtype === 'auto' && autoDtype(s.model, s.pooling) === 'bfloat16' && capabilityOf(s) < 8,
    message: (s) =>
      `${gpuLabel(s)} has no bfloat16: with --dtype auto vLLM runs this bfloat16 checkpoint in float16 (same memory per weight): planned as float16`,
  },
  {
    id: 'fp8-weight-only',
    source: 'vllm/model_executor/layers/quantization/fp8.py Fp8LinearMethod: FP8-Marlin below compute capability 8.9',
    applies: (s) => !!s.quantization && /fp8/.test(s.quantization.label) && !s.gpu.fp8Compute && capabilityOf(s) >= 8,
    message: (s) => `${gpuLabel(s)} has no FP8 tensor cores: vLLM runs the FP8 weights weight-only (FP8-Marlin), slower than on Ada/Hopper`,
  },
  {
    id: 'utilization-beyond-free-memory',
    // CUDA context, cuBLAS and NCCL take memory before vLLM measures what is free
    source: 'vllm/v1/worker/gpu_worker.py Worker.init_device: "Free memory on device … is less than desired GPU memory utilization"',
    applies: beyondFreeMemory,
    message: (s) =>
      `gpu-memory-utilization ${s.util} asks for more than is free at start-up on ${s.gpu.name} (about ${(s.gpu.cudaVisibleGiB - s.cudaContextGiB).toFixed(2)} GiB): vLLM stops with "Free memory on device … is less than desired GPU memory utilization"`,
  },
  {
    id: 'cuda-graph-headroom',
    source:
      'vllm/v1/worker/gpu_model_runner.py GPUModelRunner.capture_model: CUDA graphs are captured after the KV cache is allocated, in memory outside the budget',
    applies: (s) => !beyondFreeMemory(s) && captureRoomGiB(s) < 0.5,
    message: (s) =>
      `only ${captureRoomGiB(s).toFixed(2)} GiB stay free beyond the budget and the CUDA context for CUDA-graph capture (0.3–1 GiB): lower gpu-memory-utilization or pass --enforce-eager if capture runs out of memory`,
  },
  {
    id: 'expert-parallel-without-experts',
    source: 'vllm/model_executor/layers/fused_moe/layer.py FusedMoE: expert parallelism applies to expert layers only',
    applies: (s) => s.expertParallelSize !== undefined && !s.model.moe,
    message: (s) => `--enable-expert-parallel has no effect: ${s.model.name} has no experts`,
  },
];
