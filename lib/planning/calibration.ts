import * as fs from 'fs';
import { GpuModel } from '../catalog/gpu-model';
import { ModelProfile } from './model-profile';
import { planMemory } from './plan';
import { MemoryPlan, PlanOutcome, VLLM_DEFAULT_GPU_MEMORY_UTILIZATION } from './memory-plan';
import { Loose } from '../manifests/access';

/**
 * Replays real vLLM start-ups (the calibration data's observations.json) through the planner and reports
 * how far its figures are from the logged ones. Used by the calibration test and `npm run bench`.
 */
export interface CalibrationRow {
  readonly model: string;
  readonly gpu: string;
  /** The catalog GPU the observation ran on, when it is one. */
  readonly catalogGpu?: string;
  readonly tp: number;
  /** The settings that shaped the run, as vLLM flags. */
  readonly flags: string;
  readonly observedOutcome: string;
  readonly predictedOutcome?: PlanOutcome;
  readonly observedWeightsGiB?: number;
  readonly predictedWeightsGiB?: number;
  readonly observedKvTokens?: number;
  readonly predictedKvTokens?: number;
  /** Why a row could not be replayed (its architecture is not in the data). */
  readonly skipped?: string;
}

/** GPU names as the observations spell them. */
function gpuOf(o: Loose): GpuModel {
  const name: string = o.gpu;
  if (/H100/.test(name)) return GpuModel.NVIDIA_H100_80GB;
  if (/A100-40/.test(name)) return GpuModel.NVIDIA_A100_40GB;
  if (/A100/.test(name)) return GpuModel.NVIDIA_A100_80GB;
  const total = o.observed?.total_gpu_gib;
  if (total) return GpuModel.custom({ name, cudaVisibleGiB: total });
  const gb = /(\d+)\s*GB/.exec(name);
  if (gb) return GpuModel.custom({ name, cudaVisibleGiB: Number(gb[1]) });
  return GpuModel.find(name);
}

/** An entry of the calibration data's model-architectures.json → the config.json it describes. */
export function configOf(a: Loose, overrides: Loose = {}): Loose {
  return {
    architectures: [a.model],
    model_type: /qwen2/i.test(a.model) ? 'qwen2' : 'llama',
    num_hidden_layers: a.num_hidden_layers,
    hidden_size: a.hidden_size,
    num_attention_heads: a.num_attention_heads,
    num_key_value_heads: a.num_key_value_heads,
    head_dim: a.head_dim,
    intermediate_size: a.intermediate_size,
    vocab_size: a.vocab_size,
    tie_word_embeddings: a.tie_word_embeddings,
    max_position_embeddings: a.max_position_embeddings,
    torch_dtype: a.config_torch_dtype,
    ...(a.num_local_experts ? { num_local_experts: a.num_local_experts, num_experts_per_tok: a.num_experts_per_tok } : {}),
    ...overrides,
  };
}

const FP8_DYNAMIC = {
  quant_method: 'compressed-tensors',
  config_groups: { g: { weights: { num_bits: 8, type: 'float', strategy: 'channel', symmetric: true } } },
  ignore: ['lm_head'],
};

/** Finds the architecture of an observed checkpoint: its own entry, or the base model it was derived from. */
function profileFor(o: Loose, archs: Loose[]): ModelProfile | string {
  const byName = (n: string): Loose => archs.find((a) => a.model === n) ?? {};
  const model: string = o.model;
  if (archs.some((a) => a.model === model)) return ModelProfile.fromConfig(configOf(byName(model)), { name: model });
  if (model === 'RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic') {
    return ModelProfile.fromConfig(configOf(byName('meta-llama/Llama-3.3-70B-Instruct'), { quantization_config: FP8_DYNAMIC }), { name: model });
  }
  if (model === 'meta-llama/Meta-Llama-3-8B') {
    return ModelProfile.fromConfig(configOf(byName('meta-llama/Llama-3.1-8B-Instruct'), { max_position_embeddings: 8192 }), { name: model });
  }
  if (model.startsWith('mistralai/Mistral-Small-3.2-24B')) {
    // same text stack as Mistral-Small-24B-2501; its ~0.4 B-parameter vision tower is not described in the data
    return ModelProfile.fromConfig(configOf(byName('mistralai/Mistral-Small-24B-Instruct-2501')), { name: model });
  }
  if (model.startsWith('Qwen/Qwen2.5-7B-Instruct (4-bit')) {
    return ModelProfile.fromConfig(
      configOf(byName('Qwen/Qwen2.5-7B-Instruct'), {
        torch_dtype: 'float16',
        quantization_config: { quant_method: 'awq', bits: 4, group_size: 128, zero_point: true },
      }),
      { name: model },
    );
  }
  return `no architecture for ${model} in model-architectures.json`;
}

/** Replays every observation of `observationsFile` with the architectures of `architecturesFile`. */
export function replayCalibration(observationsFile: string, architecturesFile: string): CalibrationRow[] {
  const observations: Loose[] = JSON.parse(fs.readFileSync(observationsFile, 'utf8'));
  const archs: Loose[] = JSON.parse(fs.readFileSync(architecturesFile, 'utf8')).models;
  return observations.map((o) => {
    const gpu = gpuOf(o);
    const base = {
      model: o.model,
      gpu: o.gpu,
      catalogGpu: GpuModel.tryFind(gpu.name) === gpu ? gpu.name : undefined,
      tp: o.tp,
      flags: flagsOf(o),
      observedOutcome: o.observed.outcome,
      observedWeightsGiB: o.observed.weights_gib,
    };
    const profile = profileFor(o, archs);
    if (typeof profile === 'string') return { ...base, skipped: profile };
    if (!['ok', 'oom_weights', 'no_kv_memory', 'kv_too_small'].includes(o.observed.outcome))
      return { ...base, skipped: `outcome ${o.observed.outcome} is outside the planner's model` };
    const engine = /V0/.test(o.vllm_version) ? 'v0' : 'v1';
    const plan: MemoryPlan = planMemory({
      model: profile,
      gpu,
      tensorParallelSize: o.tp,
      maxModelLen: o.max_model_len ?? undefined,
      gpuMemoryUtilization: o.gpu_memory_utilization ?? VLLM_DEFAULT_GPU_MEMORY_UTILIZATION,
      kvCacheDtype: o.kv_cache_dtype ?? 'auto',
      blockSize: o.observed.block_size ?? 16,
      engine,
    });
    const observedKvTokens =
      o.observed.kv_cache_tokens ?? (o.observed.kv_cache_gib > 0 ? Math.floor((o.observed.kv_cache_gib * 1024 ** 3) / plan.kvBytesPerToken) : undefined);
    return {
      ...base,
      predictedOutcome: plan.outcome,
      predictedWeightsGiB: plan.weightsGiBPerGpu,
      observedKvTokens,
      predictedKvTokens: observedKvTokens !== undefined ? plan.kvCacheTokens : undefined,
    };
  });
}

/** An observation's settings as the vLLM flags that set them. */
function flagsOf(o: Loose): string {
  return [
    o.max_model_len ? `--max-model-len ${o.max_model_len}` : '',
    `--gpu-memory-utilization ${o.gpu_memory_utilization ?? VLLM_DEFAULT_GPU_MEMORY_UTILIZATION}`,
    o.kv_cache_dtype && o.kv_cache_dtype !== 'auto' ? `--kv-cache-dtype ${o.kv_cache_dtype}` : '',
    o.observed?.block_size && o.observed.block_size !== 16 ? `--block-size ${o.observed.block_size}` : '',
    /V0/.test(o.vllm_version) ? '(V0 engine)' : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** Vendors' GPU names in the observations, as the catalog names them; replayed start-ups per catalog GPU. */
export function startUpsPerGpu(rows: readonly CalibrationRow[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of rows) if (r.catalogGpu && !r.skipped) counts[r.catalogGpu] = (counts[r.catalogGpu] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** Largest absolute relative error, in percent. */
export function worstErrorPercent(pairs: readonly [number, number][]): number {
  return pairs.reduce((m, [obs, pred]) => Math.max(m, (Math.abs(pred - obs) / obs) * 100), pairs.length ? 0 : NaN);
}

/** Median of absolute relative errors, in percent. */
export function medianErrorPercent(pairs: readonly [number, number][]): number {
  const errs = pairs.map(([obs, pred]) => (Math.abs(pred - obs) / obs) * 100).sort((a, b) => a - b);
  if (!errs.length) return NaN;
  const mid = Math.floor(errs.length / 2);
  return errs.length % 2 ? errs[mid] : (errs[mid - 1] + errs[mid]) / 2;
}
