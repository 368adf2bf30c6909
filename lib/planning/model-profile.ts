import * as fs from 'fs';
import * as path from 'path';

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

/** How the weight size was obtained, best first. */
export type WeightSource = 'index' | 'safetensors' | 'computed';

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
  /** Sliding-window size of the layers that use one. */
  readonly slidingWindow?: number;
  /** Layers with sliding-window attention (all of them for e.g. Mistral-7B-v0.1; half for gpt-oss and Gemma). */
  readonly slidingLayers?: number;
  readonly qkvBias: boolean;
  /** Bytes of the checkpoint's tensors, when known from the index or the files. */
  readonly checkpointBytes?: number;
  readonly weightSource: WeightSource;
}

export const DTYPE_BYTES: Record<string, number> = { float32: 4, float: 4, bfloat16: 2, float16: 2, half: 2, fp8: 1, float8: 1 };

/**
 * A model as the planner sees it. Build it from a model folder (`config.json` and, when present,
 * `model.safetensors.index.json` or the `*.safetensors` files), from the parsed files, or from S3 (`inspect`).
 */
export class ModelProfile implements ModelProfileSpec {
  /** Reads `config.json` (required) and the weight index or safetensors files (optional) from a folder. */
  public static fromDirectory(dir: string): ModelProfile {
    const configFile = path.join(dir, 'config.json');
    if (!fs.existsSync(configFile)) {
      throw new Error(`${dir} has no config.json; give the folder of a Hugging Face model (or save one with 'cdk8s-vllm inspect s3://… --out ${dir}')`);
    }
    const config = readJson(configFile);
    const indexFile = path.join(dir, 'model.safetensors.index.json');
    if (fs.existsSync(indexFile)) return ModelProfile.fromConfig(config, { name: path.basename(path.resolve(dir)), index: readJson(indexFile) });
    const shards = fs.readdirSync(dir).filter((f) => f.endsWith('.safetensors'));
    const bytes = shards.reduce((n, f) => n + safetensorsTensorBytes(path.join(dir, f)), 0);
    return ModelProfile.fromConfig(config, { name: path.basename(path.resolve(dir)), safetensorsBytes: shards.length ? bytes : undefined });
  }

  /**
   * Builds a profile from a parsed `config.json` (multimodal configs use their `text_config`) and optionally
   * the parsed `model.safetensors.index.json` or the summed tensor bytes of the safetensors files.
   */
  public static fromConfig(config: any, opts: { name?: string; index?: any; safetensorsBytes?: number } = {}): ModelProfile {
    if (!config || typeof config !== 'object') throw new Error('config.json is not a JSON object');
    const text = config.text_config ? { ...config.text_config, quantization_config: config.quantization_config ?? config.text_config.quantization_config } : config;
    const need = (k: string, ...alts: string[]) => {
      for (const key of [k, ...alts]) if (Number.isFinite(text[key])) return Number(text[key]);
      throw new Error(`config.json has no '${k}'; it is needed to size the model (is this a decoder-only LLM config?)`);
    };
    const heads = need('num_attention_heads', 'n_head');
    const hidden = need('hidden_size', 'n_embd', 'd_model');
    const kvLora = Number.isFinite(text.kv_lora_rank) ? Number(text.kv_lora_rank) : undefined;
    const experts = text.num_local_experts ?? text.num_experts ?? text.n_routed_experts;
    const index = opts.index;
    const indexBytes = Number(index?.metadata?.total_size);
    const checkpointBytes = Number.isFinite(indexBytes) && indexBytes > 0 ? indexBytes : opts.safetensorsBytes;
    return new ModelProfile({
      name: opts.name ?? config._name_or_path ?? text.model_type ?? 'model',
      architecture: (config.architectures ?? [text.model_type ?? 'unknown'])[0],
      numLayers: need('num_hidden_layers', 'n_layer', 'num_layers'),
      hiddenSize: hidden,
      numAttentionHeads: heads,
      numKeyValueHeads: Number.isFinite(text.num_key_value_heads) ? text.num_key_value_heads : heads,
      headDim: Number.isFinite(text.head_dim) ? text.head_dim : hidden / heads,
      intermediateSize: Number.isFinite(text.intermediate_size) ? text.intermediate_size : 4 * hidden,
      vocabSize: need('vocab_size'),
      tieWordEmbeddings: text.tie_word_embeddings === true || (text.tie_word_embeddings === undefined && config.tie_word_embeddings === true),
      maxPositionEmbeddings: Number.isFinite(text.max_position_embeddings) ? text.max_position_embeddings : 2048,
      torchDtype: normalizeDtype(text.torch_dtype ?? text.dtype ?? config.torch_dtype ?? 'bfloat16'),
      quantization: quantizationOf(text.quantization_config),
      moe: experts ? {
        numExperts: Number(experts),
        expertsPerToken: Number(text.num_experts_per_tok ?? text.num_experts_per_token ?? text.experts_per_token ?? 2),
        expertIntermediateSize: Number(text.moe_intermediate_size ?? text.intermediate_size ?? 4 * hidden),
        sharedExperts: Number(text.n_shared_experts ?? 0),
        denseLayers: Number(text.first_k_dense_replace ?? 0),
      } : undefined,
      mla: kvLora !== undefined ? {
        qLoraRank: Number.isFinite(text.q_lora_rank) ? Number(text.q_lora_rank) : undefined,
        kvLoraRank: kvLora,
        qkNopeHeadDim: Number(text.qk_nope_head_dim ?? 128),
        qkRopeHeadDim: Number(text.qk_rope_head_dim ?? 64),
        vHeadDim: Number(text.v_head_dim ?? 128),
      } : undefined,
      ...slidingWindowOf(text),
      qkvBias: text.attention_bias === true || /qwen2/i.test(text.model_type ?? ''),
      checkpointBytes,
      weightSource: Number.isFinite(indexBytes) && indexBytes > 0 ? 'index' : opts.safetensorsBytes ? 'safetensors' : 'computed',
    });
  }

  public readonly name!: string;
  public readonly architecture!: string;
  public readonly numLayers!: number;
  public readonly hiddenSize!: number;
  public readonly numAttentionHeads!: number;
  public readonly numKeyValueHeads!: number;
  public readonly headDim!: number;
  public readonly intermediateSize!: number;
  public readonly vocabSize!: number;
  public readonly tieWordEmbeddings!: boolean;
  public readonly maxPositionEmbeddings!: number;
  public readonly torchDtype!: string;
  public readonly quantization?: QuantizationInfo;
  public readonly moe?: MoeInfo;
  public readonly mla?: MlaInfo;
  public readonly slidingWindow?: number;
  public readonly slidingLayers?: number;
  public readonly qkvBias!: boolean;
  public readonly checkpointBytes?: number;
  public readonly weightSource!: WeightSource;

  constructor(spec: ModelProfileSpec) {
    for (const k of ['numLayers', 'hiddenSize', 'numAttentionHeads', 'numKeyValueHeads', 'headDim', 'intermediateSize', 'vocabSize'] as const) {
      if (!(spec[k] > 0)) throw new Error(`model ${spec.name}: ${k} must be positive, got ${spec[k]}`);
    }
    Object.assign(this, spec);
  }

  /** Parameters, counted from the architecture (embeddings, attention, MLP or experts, norms, lm_head). */
  public get parameterCount(): { readonly embedding: number; readonly linear: number; readonly other: number } {
    const { hiddenSize: h, headDim: d, numAttentionHeads: a, numKeyValueHeads: k, numLayers: l, vocabSize: v } = this;
    let attention: number;
    if (this.mla) {
      const m = this.mla;
      const qk = m.qkNopeHeadDim + m.qkRopeHeadDim;
      const q = m.qLoraRank ? h * m.qLoraRank + m.qLoraRank * a * qk : h * a * qk;
      attention = q + h * (m.kvLoraRank + m.qkRopeHeadDim) + m.kvLoraRank * a * (m.qkNopeHeadDim + m.vHeadDim) + a * m.vHeadDim * h;
    } else {
      attention = h * a * d + 2 * h * k * d + a * d * h + (this.qkvBias ? (a + 2 * k) * d : 0);
    }
    const dense = 3 * h * this.intermediateSize;
    const moeLayers = this.moe ? l - this.moe.denseLayers : 0;
    const experts = this.moe ? moeLayers * ((this.moe.numExperts + this.moe.sharedExperts) * 3 * h * this.moe.expertIntermediateSize) : 0;
    const router = this.moe ? moeLayers * h * this.moe.numExperts : 0;
    const embedding = v * h * (this.tieWordEmbeddings ? 1 : 2);
    return { embedding, linear: l * attention + (l - moeLayers) * dense + experts, other: l * 2 * h + router + h };
  }

  /** Bytes of the weights as stored, from the checkpoint when known, else computed from the parameters. */
  public get weightBytes(): number {
    return this.checkpointBytes ?? this.computedWeightBytes(this.quantization);
  }

  /**
   * Weight bytes computed from the parameter count: linear layers at the quantization's bits (plus scales and
   * zero points), embeddings, lm_head and norms at 16 bits, as quantized checkpoints keep them.
   */
  public computedWeightBytes(q: QuantizationInfo | undefined, dtypeBytes = this.servedDtypeBytes()): number {
    const p = this.parameterCount;
    if (!q) return (p.embedding + p.linear + p.other) * dtypeBytes;
    const group = q.groupSize && q.groupSize > 0 ? q.groupSize : undefined;
    const scales = group ? (p.linear / group) * 2 + (q.zeroPoint ? (p.linear / group) * (4 / 8) : 0) : 0;
    return p.linear * (q.weightBits / 8) + scales + (p.embedding + p.other) * 2;
  }

  /** Bytes per element of the dtype vLLM serves with `--dtype auto`: float32 configs run in 16 bits. */
  public servedDtypeBytes(dtype = 'auto'): number {
    const d = dtype === 'auto' ? this.torchDtype : normalizeDtype(dtype);
    return d === 'float32' && dtype === 'auto' ? 2 : DTYPE_BYTES[d] ?? 2;
  }

  /** Bytes of one element of the checkpoint's stored dtype. */
  public get storedDtypeBytes(): number {
    return DTYPE_BYTES[this.torchDtype] ?? 2;
  }

  /**
   * KV-cache bytes per token on one GPU: 2 × layers × ceil(kv heads / TP) × head_dim × dtype bytes. MLA models
   * cache one latent (kv_lora_rank + rope dims) per layer, replicated on every rank.
   */
  public kvBytesPerToken(tensorParallelSize: number, kvDtypeBytes: number): number {
    if (this.mla) return this.numLayers * (this.mla.kvLoraRank + this.mla.qkRopeHeadDim) * kvDtypeBytes;
    return 2 * this.numLayers * Math.ceil(this.numKeyValueHeads / tensorParallelSize) * this.headDim * kvDtypeBytes;
  }
}

/** Which layers use sliding-window attention: `layer_types` when given, else all when a window is set and used. */
function slidingWindowOf(text: any): { slidingWindow?: number; slidingLayers?: number } {
  const w = Number(text.sliding_window);
  if (!Number.isFinite(w) || w <= 0 || text.use_sliding_window === false) return {};
  const types: unknown = text.layer_types;
  const layers = Array.isArray(types) ? types.filter((t) => t === 'sliding_attention').length : Number(text.num_hidden_layers);
  return layers ? { slidingWindow: w, slidingLayers: layers } : {};
}

function readJson(file: string): any {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

export function normalizeDtype(d: string): string {
  const s = String(d).toLowerCase().replace(/^torch\./, '');
  return s === 'bf16' ? 'bfloat16' : s === 'fp16' || s === 'half' ? 'float16' : s === 'fp32' || s === 'float' ? 'float32' : s;
}

/** Reads a Hugging Face `quantization_config` into what the planner needs. */
export function quantizationOf(qc: any): QuantizationInfo | undefined {
  if (!qc || typeof qc !== 'object') return undefined;
  const method = String(qc.quant_method ?? qc.quantization_method ?? '').toLowerCase();
  if (method === 'compressed-tensors') {
    const weights = Object.values<any>(qc.config_groups ?? {}).map((g) => g?.weights).find(Boolean);
    const bits = Number(weights?.num_bits ?? 8);
    const type = weights?.type === 'float' ? 'fp' : 'int';
    return {
      method, weightBits: bits, groupSize: weights?.group_size ?? undefined, zeroPoint: weights?.symmetric === false,
      label: `${type}${bits} (compressed-tensors)`,
    };
  }
  if (method === 'fp8' || method === 'fbgemm_fp8' || method === 'modelopt') return { method, weightBits: 8, label: `fp8 (${method})` };
  if (method === 'awq' || method === 'gptq' || method === 'awq_marlin' || method === 'gptq_marlin') {
    const bits = Number(qc.bits ?? qc.w_bit ?? 4);
    return { method, weightBits: bits, groupSize: Number(qc.group_size ?? qc.q_group_size ?? 128), zeroPoint: method.startsWith('awq') ? qc.zero_point !== false : qc.sym === false, label: `${method} ${bits}-bit` };
  }
  if (method === 'bitsandbytes') return { method, weightBits: qc.load_in_8bit ? 8 : 4, label: `bitsandbytes ${qc.load_in_8bit ? 8 : 4}-bit` };
  if (method === 'mxfp4') return { method, weightBits: 4.25, label: 'mxfp4' };
  return { method, weightBits: Number(qc.bits ?? 8), label: method || 'unknown' };
}

/**
 * Sum of tensor bytes in a safetensors file: the file size less its JSON header (8-byte length + header),
 * read without loading the tensors.
 */
export function safetensorsTensorBytes(file: string): number {
  const fd = fs.openSync(file, 'r');
  try {
    const len = Buffer.alloc(8);
    fs.readSync(fd, len, 0, 8, 0);
    const headerLength = Number(len.readBigUInt64LE(0));
    return fs.fstatSync(fd).size - 8 - headerLength;
  } finally {
    fs.closeSync(fd);
  }
}
