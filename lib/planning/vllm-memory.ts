import { GpuModel } from '../catalog/gpu-model';
import { computePlan, suggest } from './memory-accounting';
import { MemoryPlan, PlanInput } from './memory-plan';
import { resolve } from './memory-settings';

// the rule gpu-memory-fit reads the plan's types from here, beside the entry points
export type { MemoryPlan, PlanInput } from './memory-plan';

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
  // an encoder keeps no KV cache (kvBytesPerToken 0): its plan is ok with none
  const kvless = plan.kvBytesPerToken === 0;
  if (plan.outcome === 'ok' && (plan.weightsGiBPerGpu <= 0 || (!kvless && (plan.kvCacheGiBPerGpu <= 0 || plan.kvCacheTokens <= 0)))) {
    throw new Error('the plan came out ok with a non-positive weight or KV-cache size; the model profile is inconsistent');
  }
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
