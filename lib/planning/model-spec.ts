/** How a checkpoint's linear weights are stored. */
export interface QuantizationInfo {
  /** vLLM's name of the method: `fp8`, `compressed-tensors`, `awq`, `gptq`, `bitsandbytes`, `mxfp4`, … */
  readonly method: string;
  /** Bits per linear weight (8 for FP8/INT8, 4 for AWQ/GPTQ/W4A16). */
  readonly weightBits: number;
  /** Quantization group size (4-bit methods), for the scale overhead. */
  readonly groupSize?: number;
  /** Whether zero points are stored (asymmetric AWQ/GPTQ). */
  readonly zeroPoint?: boolean;
  /** Short description for reports: `fp8 (compressed-tensors)`, `awq 4-bit`. */
  readonly label: string;
}

/** Mixture-of-experts shape. */
export interface MoeInfo {
  readonly numExperts: number;
  readonly expertsPerToken: number;
  readonly expertIntermediateSize: number;
  readonly sharedExperts: number;
  /** Leading layers with a dense MLP instead of experts (DeepSeek's first_k_dense_replace). */
  readonly denseLayers: number;
}

/** Multi-head latent attention (DeepSeek V2/V3/R1): low-rank projections instead of per-head K and V. */
export interface MlaInfo {
  readonly qLoraRank?: number;
  readonly kvLoraRank: number;
  readonly qkNopeHeadDim: number;
  readonly qkRopeHeadDim: number;
  readonly vHeadDim: number;
}

/**
 * A BERT-family encoder (model_type bert, roberta, xlm-roberta: vLLM's bert.py and roberta.py). Its attention is
 * bidirectional (AttentionType.ENCODER_ONLY), which keeps no KV cache; its layers have a two-matrix MLP and biases, and
 * its embeddings add learned positions and token types.
 */
export interface EncoderInfo {
  /** config.json's type_vocab_size (BertConfig's default 2). */
  readonly typeVocabSize: number;
}

/** How the weight size was obtained, best first. */
export type WeightSource = 'index' | 'safetensors' | 'computed';

/**
 * What vLLM derives a model's longest sequence from beyond max_position_embeddings (context-length.ts): the config's
 * length keys, rope scaling, and the tokenizer and sentence-transformers configs of the model's folder.
 */
export interface ContextLimits {
  /** The smallest length key of the config (vLLM's possible_keys but model_max_length) and its value; absent when it has none. */
  readonly key?: string;
  readonly positions?: number;
  /** The config's model_max_length: it replaces the keys' length, and a max_model_len up to it is never refused. */
  readonly modelMaxLength?: number;
  /** The rope scaling factor vLLM multiplies the length by, and the rope type it comes from. */
  readonly ropeFactor?: number;
  readonly ropeType?: string;
  /** yarn's original_max_position_embeddings, which the factor scales instead of the length. */
  readonly yarnOriginal?: number;
  /** A LongRoPE model's original_max_position_embeddings: the length vLLM serves when none is given. */
  readonly longropeDefault?: number;
  /** position_embedding_type is absolute, and tokenizer_config.json's model_max_length (read for pooling runners). */
  readonly absolutePositions?: boolean;
  readonly tokenizerMaxLength?: number;
  /** max_seq_length of the model's sentence-transformers config, which replaces the derived length, and that file. */
  readonly sentenceMaxSeqLength?: number;
  readonly sentenceConfig?: string;
}

/** The architecture facts of a model that decide its GPU memory, as read from its `config.json`. */
export interface ModelProfileSpec {
  readonly name: string;
  readonly architecture: string;
  readonly numLayers: number;
  readonly hiddenSize: number;
  readonly numAttentionHeads: number;
  readonly numKeyValueHeads: number;
  readonly headDim: number;
  readonly intermediateSize: number;
  readonly vocabSize: number;
  readonly tieWordEmbeddings: boolean;
  readonly maxPositionEmbeddings: number;
  /** `torch_dtype` of the config (`bfloat16`, `float16`, `float32`). */
  readonly torchDtype: string;
  readonly quantization?: QuantizationInfo;
  readonly moe?: MoeInfo;
  readonly mla?: MlaInfo;
  /** A BERT-family encoder: no KV cache, and its own weight layout. */
  readonly encoder?: EncoderInfo;
  /** Sliding-window size of the layers that use one. */
  readonly slidingWindow?: number;
  /** Layers with sliding-window attention (all of them for e.g. Mistral-7B-v0.1; half for gpt-oss and Gemma). */
  readonly slidingLayers?: number;
  readonly qkvBias: boolean;
  /** Bytes of the checkpoint's tensors, when known from the index or the files. */
  readonly checkpointBytes?: number;
  readonly weightSource: WeightSource;
  /** What vLLM derives the longest sequence from, where max_position_embeddings alone does not say it. */
  readonly contextLimits?: ContextLimits;
}

/** Bytes of one element of each dtype a config may name. */
export const DTYPE_BYTES: Record<string, number> = { float32: 4, float: 4, bfloat16: 2, float16: 2, half: 2, fp8: 1, float8: 1 };

/** A dtype as a config writes it (`torch.bfloat16`, `bf16`, `half`), in the one spelling the planner uses. */
export function normalizeDtype(d: string): string {
  const s = String(d)
    .toLowerCase()
    .replace(/^torch\./, '');
  return s === 'bf16' ? 'bfloat16' : s === 'fp16' || s === 'half' ? 'float16' : s === 'fp32' || s === 'float' ? 'float32' : s;
}

/** A value as messages show it: JSON, cut to 80 characters. */
export function shortJson(v: unknown): string {
  const json = JSON.stringify(v) ?? String(v);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
