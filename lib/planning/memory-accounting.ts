import { GpuInstanceType } from '../catalog/instance-type';
import { MemoryPlan, PlanOutcome } from './memory-plan';
import { activationBytes, CALIBRATION, GIB, loraBytesPerGpu, stageShare, weightsPerGpuBytes } from './memory-sizes';
import { Resolved } from './memory-settings';
import { ModelProfile } from './model-profile';
import { quantizationOf } from './quantization-config';

/** The memory one GPU's start-up divides, in bytes: its total, vLLM's budget, and what comes before the KV cache. */
interface Sizes {
  readonly total: number;
  readonly budget: number;
  readonly weights: number;
  readonly activation: number;
  readonly nonTorch: number;
  readonly kvPerToken: number;
}

function sizesOf(r: Resolved): Sizes {
  const m = r.model;
  const weights = weightsPerGpuBytes(m, r.tp, r.quantization, r.dtype, { pp: r.pp, ep: r.ep }) + (r.lora ? loraBytesPerGpu(m, r.tp, r.pp, r.lora) : 0);
  const dtypeBytes = r.quantization ? 2 : m.servedDtypeBytes(r.dtype);
  const nonTorch =
    (r.tp > 1 || r.pp > 1 ? CALIBRATION.nonTorchGiB.parallel : r.engine === 'v0' ? CALIBRATION.nonTorchGiB.v0Single : CALIBRATION.nonTorchGiB.single) * GIB;
  return {
    total: r.gpu.cudaVisibleGiB * GIB,
    budget: r.util * r.gpu.cudaVisibleGiB * GIB,
    weights,
    activation: activationBytes(m, { tp: r.tp, batchedTokens: r.batchedTokens, numSeqs: r.numSeqs, engine: r.engine, dtypeBytes }),
    nonTorch,
    // a pipeline stage caches only its own layers' keys and values
    kvPerToken: Math.ceil(m.kvBytesPerToken(r.tp, r.kvDtypeBytes) * stageShare(m, r.pp)),
  };
}

/** What the KV cache comes to: its verdict, blocks, and the sequences it holds. */
type KvVerdict = Pick<
  MemoryPlan,
  'outcome' | 'reason' | 'kvCacheGiBPerGpu' | 'kvCacheBlocks' | 'kvCacheTokens' | 'maxConcurrency' | 'maxFittingModelLen' | 'marginGiB'
>;

export function computePlan(r: Resolved): MemoryPlan {
  const m = r.model;
  const s = sizesOf(r);
  const g = (b: number) => b / GIB;
  const fitsLoad = s.weights <= s.total - CALIBRATION.cudaContextGiB * GIB;
  const oom = `weights need ${g(s.weights).toFixed(2)} GiB per GPU but one ${r.gpu.name} has ${r.gpu.cudaVisibleGiB.toFixed(2)} GiB visible to CUDA (${(r.gpu.cudaVisibleGiB - CALIBRATION.cudaContextGiB).toFixed(2)} GiB free at start): loading fails with torch.OutOfMemoryError`;
  const kv = s.kvPerToken > 0 ? kvVerdict(r, s, fitsLoad) : encoderVerdict(r, s, fitsLoad);
  return {
    ...kv,
    reason: kv.outcome === 'oom_weights' ? oom : kv.reason,
    model: m.name,
    gpu: r.gpu.name,
    tensorParallelSize: r.tp,
    ...(r.pp > 1 ? { pipelineParallelSize: r.pp } : {}),
    ...(r.ep !== undefined ? { expertParallelSize: r.ep } : {}),
    ...(r.lora ? { loraGiBPerGpu: round(g(loraBytesPerGpu(m, r.tp, r.pp, r.lora))) } : {}),
    maxModelLen: r.maxModelLen,
    gpuMemoryUtilization: r.util,
    gpuTotalGiB: round(r.gpu.cudaVisibleGiB),
    budgetGiB: round(g(s.budget)),
    weightsGiBPerGpu: round(g(s.weights)),
    activationGiB: round(g(s.activation)),
    nonTorchGiB: round(g(s.nonTorch)),
    kvBytesPerToken: s.kvPerToken,
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

/** A model with a KV cache: what the budget leaves for it, and whether one sequence of max-model-len fits. */
function kvVerdict(r: Resolved, s: Sizes, fitsLoad: boolean): KvVerdict {
  const m = r.model;
  const kv = s.budget - s.weights - s.activation - s.nonTorch;
  const blocks = kv > 0 ? Math.floor(kv / (s.kvPerToken * r.blockSize)) : 0;
  const needBytes = requestKvBytes(m, r, r.maxModelLen, s.kvPerToken);
  const cacheBytes = blocks * r.blockSize * s.kvPerToken;
  const outcome: PlanOutcome = !fitsLoad ? 'oom_weights' : kv <= 0 ? 'no_kv_memory' : cacheBytes < needBytes ? 'kv_too_small' : 'ok';
  const f2 = (b: number) => (b / GIB).toFixed(2);
  const maxFitting = maxFittingLen(m, r, cacheBytes, s.kvPerToken);
  const reason = {
    ok: `${blocks * r.blockSize} KV tokens per GPU hold ${(cacheBytes / needBytes).toFixed(2)} sequences of ${r.maxModelLen} tokens`,
    oom_weights: '',
    no_kv_memory: `the ${f2(s.budget)} GiB budget (${r.util} × ${r.gpu.cudaVisibleGiB.toFixed(2)} GiB) minus weights ${f2(s.weights)}, activations ${f2(s.activation)} and non-torch ${f2(s.nonTorch)} GiB leaves ${f2(kv)} GiB for the KV cache: "No available memory for the cache blocks"`,
    kv_too_small: `${f2(kv)} GiB of KV cache hold ${blocks * r.blockSize} tokens, fewer than one sequence of max-model-len ${r.maxModelLen} needs (${f2(needBytes)} GiB); vLLM estimates the maximum model length at ${maxFitting}`,
  }[outcome];
  return {
    outcome,
    reason,
    kvCacheGiBPerGpu: round(kv / GIB),
    kvCacheBlocks: blocks,
    kvCacheTokens: blocks * r.blockSize,
    maxConcurrency: round(cacheBytes / needBytes),
    maxFittingModelLen: fitsLoad && kv > 0 ? maxFitting : 0,
    // how far the verdict is from flipping: memory to spare (or missing) for loading, else for one sequence
    marginGiB: round((fitsLoad ? kv - needBytes : s.total - CALIBRATION.cudaContextGiB * GIB - s.weights) / GIB),
  };
}

/**
 * An encoder keeps no KV cache: vLLM's gpu_model_runner.get_kv_cache_spec skips encoder-only attention, and
 * vllm/v1/engine/core.py _initialize_kv_caches then neither profiles the memory nor sizes a cache ("Attention free
 * models don't need memory for kv cache"). The start-up needs only the weights to load; the scheduler's
 * max-num-seqs bounds the sequences served at once.
 */
function encoderVerdict(r: Resolved, s: Sizes, fitsLoad: boolean): KvVerdict {
  const spare = s.total - CALIBRATION.cudaContextGiB * GIB - s.weights;
  return {
    outcome: fitsLoad ? 'ok' : 'oom_weights',
    reason: `an encoder keeps no KV cache (vLLM sizes none for encoder-only attention): its weights load with ${(spare / GIB).toFixed(2)} GiB to spare; up to ${r.numSeqs} sequences of ${r.maxModelLen} tokens per step (max-num-seqs)`,
    kvCacheGiBPerGpu: 0,
    kvCacheBlocks: 0,
    kvCacheTokens: 0,
    maxConcurrency: r.numSeqs,
    maxFittingModelLen: fitsLoad ? r.maxModelLen : 0,
    marginGiB: round(spare / GIB),
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

export function suggest(r: Resolved, plan: MemoryPlan): string[] {
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
    const fourBit = new ModelProfile({
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

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
