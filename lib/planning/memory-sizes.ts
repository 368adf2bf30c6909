import { VllmEngine } from './memory-plan';
import { ModelProfile } from './model-profile';
import { QuantizationInfo } from './model-spec';

export const GIB = 1024 ** 3;

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

/** Share of a stage's layers: the largest stage holds ⌈layers / pp⌉ of them. */
export function stageShare(m: ModelProfile, pp: number): number {
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
