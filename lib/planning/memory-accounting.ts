import { GpuInstanceType } from '../catalog/instance-type';
import { MemoryPlan, PlanOutcome } from './memory-plan';
import { activationBytes, CALIBRATION, GIB, loraBytesPerGpu, stageShare, weightsPerGpuBytes } from './memory-sizes';
import { Resolved } from './memory-settings';
import { ModelProfile } from './model-profile';
import { quantizationOf } from './quantization-config';

export function computePlan(r: Resolved): MemoryPlan {
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
