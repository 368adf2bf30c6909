import * as fs from 'fs';
import * as path from 'path';
import { packagePath } from '../private/package-root';
import { Loose } from '../manifests/access';
import { openRegularFile, readRegularFile } from '../private/regular-file';
import { MODEL_PROFILE_ANNOTATION } from '../k8s/keys';
import { compareText } from '../private/collate';

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

/** Hugging Face's PretrainedConfig default when a config has no max_position_embeddings. */
const DEFAULT_MAX_POSITION_EMBEDDINGS = 2048;

/** Bits per weight of the smallest checkpoint the planner knows (GPTQ 2-bit) and of the largest (float32). */
const MIN_BITS_PER_WEIGHT = 2;
const MAX_BITS_PER_WEIGHT = 32;
/** Room for tensors the parameter count leaves out (vision towers, extra prediction layers) or keeps at other widths. */
const CHECKPOINT_SIZE_MARGIN = 2;

export const DTYPE_BYTES: Record<string, number> = { float32: 4, float: 4, bfloat16: 2, float16: 2, half: 2, fp8: 1, float8: 1 };

/**
 * A model as the planner sees it. Build it from a model folder (`config.json` and, when present,
 * `model.safetensors.index.json` or the `*.safetensors` files), from the parsed files, or from S3 (`inspect`).
 */
export class ModelProfile implements ModelProfileSpec {
  /** Annotation on a rendered InferenceService that records the profile its plan was made with (JSON). */
  public static readonly ANNOTATION = MODEL_PROFILE_ANNOTATION;

  /**
   * A profile shipped with the package, by folder name under `models/` (see `ModelProfile.bundledNames()`),
   * e.g. `ModelProfile.bundled('mistral-small-24b-instruct-2501')`.
   */
  public static bundled(name: string): ModelProfile {
    const names = ModelProfile.bundledNames();
    if (!names.includes(name)) {
      throw new Error(
        `ModelProfile.bundled: no bundled profile '${name}'; bundled profiles are ${names.join(', ')}. For another model use ModelProfile.fromDirectory(<folder with config.json>)`,
      );
    }
    return ModelProfile.fromDirectory(packagePath('models', name));
  }

  /** Names of the profiles shipped with the package, sorted. */
  public static bundledNames(): string[] {
    const dir = packagePath('models');
    return fs
      .readdirSync(dir)
      .filter((d) => fs.existsSync(path.join(dir, d, 'config.json')))
      .sort();
  }

  /**
   * Reads the profile a construct recorded on an object (annotation `cdk8s-vllm.io/model-profile`); undefined when
   * the annotation is absent, an error naming the annotation when it is not a valid profile.
   */
  public static fromAnnotation(value: unknown): ModelProfile | undefined {
    if (value === undefined) return undefined;
    let spec: unknown;
    try {
      spec = typeof value === 'string' ? JSON.parse(value) : undefined;
    } catch {
      spec = undefined;
    }
    if (!spec || typeof spec !== 'object') throw new Error(`annotation ${ModelProfile.ANNOTATION} is not a JSON object`);
    return new ModelProfile(spec as ModelProfileSpec);
  }

  /** Reads `config.json` (required) and the weight index or safetensors files (optional) from a folder. */
  public static fromDirectory(dir: string): ModelProfile {
    const configFile = path.join(dir, 'config.json');
    if (!fs.existsSync(configFile)) {
      throw new Error(`${dir} has no config.json; give the folder of a Hugging Face model (or save one with 'cdk8s-vllm inspect s3://… --out ${dir}')`);
    }
    const config = readJson(configFile);
    const indexFile = path.join(dir, 'model.safetensors.index.json');
    const name = path.basename(path.resolve(dir));
    // lstat, not exists: a dangling link named like the index is a broken index, not a missing one
    if (fs.lstatSync(indexFile, { throwIfNoEntry: false })) return ModelProfile.fromConfig(config, { name, index: readJson(indexFile) });
    const shards = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.safetensors'))
      .sort();
    const bytes = shards.reduce((n, f) => n + safetensorsTensorBytes(path.join(dir, f)), 0);
    return ModelProfile.fromConfig(config, { name, safetensorsBytes: shards.length ? bytes : undefined });
  }

  /**
   * Builds a profile from a parsed `config.json` (multimodal configs use their `text_config`) and optionally
   * the parsed `model.safetensors.index.json` or the summed tensor bytes of the safetensors files.
   */
  public static fromConfig(
    configJson: unknown,
    opts: { readonly name?: string; readonly index?: unknown; readonly safetensorsBytes?: number } = {},
  ): ModelProfile {
    const { config, text } = textConfigOf(configJson);
    const { opt, need } = configNumbers(text);
    const heads = need('num_attention_heads', 'n_head');
    const hidden = need('hidden_size', 'n_embd', 'd_model');
    const kvLora = opt('kv_lora_rank');
    const experts = opt('num_local_experts', 'num_experts', 'n_routed_experts');
    const weights = checkpointOf(opts);
    const dtype = text.torch_dtype ?? text.dtype ?? config.torch_dtype ?? 'bfloat16';
    if (typeof dtype !== 'string') throw new Error(`config.json: 'torch_dtype' must be a string, got ${shortJson(dtype)}`);
    const architectures: unknown = config.architectures;
    const architecture = Array.isArray(architectures) && typeof architectures[0] === 'string' ? architectures[0] : String(text.model_type ?? 'unknown');
    return new ModelProfile({
      name: opts.name ?? (typeof config._name_or_path === 'string' ? config._name_or_path : undefined) ?? String(text.model_type ?? 'model'),
      architecture,
      numLayers: need('num_hidden_layers', 'n_layer', 'num_layers'),
      hiddenSize: hidden,
      numAttentionHeads: heads,
      numKeyValueHeads: opt('num_key_value_heads') ?? heads,
      headDim: opt('head_dim') ?? hidden / heads,
      intermediateSize: opt('intermediate_size') ?? 4 * hidden,
      vocabSize: need('vocab_size'),
      tieWordEmbeddings: text.tie_word_embeddings === true || (text.tie_word_embeddings === undefined && config.tie_word_embeddings === true),
      maxPositionEmbeddings: opt('max_position_embeddings') ?? DEFAULT_MAX_POSITION_EMBEDDINGS,
      torchDtype: normalizeDtype(dtype),
      quantization: quantizationOf(text.quantization_config),
      moe: experts !== undefined ? moeOf(opt, experts, hidden) : undefined,
      mla: kvLora !== undefined ? mlaOf(opt, kvLora) : undefined,
      ...slidingWindowOf(text),
      qkvBias: text.attention_bias === true || /qwen2/i.test(String(text.model_type ?? '')),
      ...weights,
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
    Object.assign(this, checkSpec(spec));
    this.checkCheckpointSize();
  }

  /** The profile as the annotation value constructs record on their objects: compact JSON, keys sorted. */
  public toAnnotation(): string {
    const spec: ModelProfileSpec = { ...this };
    return JSON.stringify(
      Object.fromEntries(
        Object.entries(spec)
          .filter(([, v]) => v !== undefined)
          .sort(([a], [b]) => compareText(a, b)),
      ),
    );
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

  /**
   * Refuses checkpoint bytes no checkpoint of this architecture can have: fewer than 2 bits per parameter (GPTQ's
   * 2-bit, the fewest the planner knows) or more than 32 (float32), each with a factor 2 margin for what the count
   * leaves out (vision towers, extra prediction layers, tensors kept in higher precision). A truncated index or a
   * foreign file would otherwise plan weights of a few bytes.
   */
  private checkCheckpointSize(): void {
    if (this.checkpointBytes === undefined) return;
    const p = this.parameterCount;
    const params = p.embedding + p.linear + p.other;
    const low = (params * MIN_BITS_PER_WEIGHT) / 8 / CHECKPOINT_SIZE_MARGIN;
    const high = ((params * MAX_BITS_PER_WEIGHT) / 8) * CHECKPOINT_SIZE_MARGIN;
    if (this.checkpointBytes >= low && this.checkpointBytes <= high) return;
    throw new Error(
      `model ${this.name}: the checkpoint holds ${this.checkpointBytes} bytes (from the ${this.weightSource === 'index' ? "index's metadata.total_size" : 'safetensors files'}) ` +
        `but the config describes ${formatCount(params)} parameters, which take ${formatCount(low)} to ${formatCount(high)} bytes ` +
        `(${MIN_BITS_PER_WEIGHT} to ${MAX_BITS_PER_WEIGHT} bits per weight, with a factor ${CHECKPOINT_SIZE_MARGIN} margin): ` +
        'the index or the weight files do not belong to this config, or are truncated',
    );
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
    return d === 'float32' && dtype === 'auto' ? 2 : (DTYPE_BYTES[d] ?? 2);
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

/** The config and its text model's fields (multimodal configs keep them in `text_config`, quantization possibly outside). */
function textConfigOf(configJson: unknown): { config: Loose; text: Loose } {
  if (!configJson || typeof configJson !== 'object' || Array.isArray(configJson)) throw new Error('config.json is not a JSON object');
  const config = configJson as Loose;
  const text = config.text_config
    ? { ...config.text_config, quantization_config: config.quantization_config ?? config.text_config.quantization_config }
    : config;
  return { config, text };
}

/** Readers of a config's numeric fields, each under its first present name of several. */
type ConfigNumber = (...keys: string[]) => number | undefined;

function configNumbers(text: Loose): { opt: ConfigNumber; need: (k: string, ...alts: string[]) => number } {
  // a present field of the wrong type is an error, never silently replaced by a default (a string "8" KV heads would
  // otherwise plan 32)
  const opt = (...keys: string[]): number | undefined => {
    for (const key of keys) {
      const v = text[key];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`config.json: '${key}' must be a number, got ${shortJson(v)}`);
      return v;
    }
    return undefined;
  };
  const need = (k: string, ...alts: string[]) => {
    const v = opt(k, ...alts);
    if (v === undefined) throw new Error(`config.json has no '${k}'; it is needed to size the model (is this a decoder-only LLM config?)`);
    return v;
  };
  return { opt, need };
}

function moeOf(opt: ConfigNumber, experts: number, hidden: number): MoeInfo {
  return {
    numExperts: experts,
    expertsPerToken: opt('num_experts_per_tok', 'num_experts_per_token', 'experts_per_token') ?? 2,
    expertIntermediateSize: opt('moe_intermediate_size', 'intermediate_size') ?? 4 * hidden,
    sharedExperts: opt('n_shared_experts') ?? 0,
    denseLayers: opt('first_k_dense_replace') ?? 0,
  };
}

function mlaOf(opt: ConfigNumber, kvLora: number): MlaInfo {
  return {
    qLoraRank: opt('q_lora_rank'),
    kvLoraRank: kvLora,
    // DeepSeek-V2/V3 defaults of the MLA head dimensions
    qkNopeHeadDim: opt('qk_nope_head_dim') ?? 128,
    qkRopeHeadDim: opt('qk_rope_head_dim') ?? 64,
    vHeadDim: opt('v_head_dim') ?? 128,
  };
}

/** The checkpoint's bytes and where they come from: the index's total, the safetensors files, or none (computed). */
function checkpointOf(opts: { readonly index?: unknown; readonly safetensorsBytes?: number }): Pick<ModelProfileSpec, 'checkpointBytes' | 'weightSource'> {
  const indexBytes = opts.index === undefined ? undefined : indexTotalSize(opts.index);
  return {
    checkpointBytes: indexBytes ?? opts.safetensorsBytes,
    weightSource: indexBytes !== undefined ? 'index' : opts.safetensorsBytes ? 'safetensors' : 'computed',
  };
}

/** Which layers use sliding-window attention: `layer_types` when given, else all when a window is set and used. */
function slidingWindowOf(text: Loose): { slidingWindow?: number; slidingLayers?: number } {
  const raw: unknown = text.sliding_window;
  if (raw === undefined || raw === null) return {};
  // vLLM and transformers read sliding_window as an int or None; `true` is not a window of 1 token
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0)
    throw new Error(`config.json: 'sliding_window' must be a whole number of tokens or null, got ${shortJson(raw)}`);
  const use: unknown = text.use_sliding_window;
  if (use !== undefined && use !== null && typeof use !== 'boolean')
    throw new Error(`config.json: 'use_sliding_window' must be true or false, got ${shortJson(use)}`);
  if (raw === 0 || use === false) return {};
  const types: unknown = text.layer_types;
  if (types !== undefined && types !== null && !(Array.isArray(types) && types.every((t) => typeof t === 'string')))
    throw new Error(`config.json: 'layer_types' must be a list of strings, got ${shortJson(types)}`);
  const layers = Array.isArray(types) ? types.filter((t) => t === 'sliding_attention').length : Number(text.num_hidden_layers);
  return layers ? { slidingWindow: raw, slidingLayers: layers } : {};
}

/**
 * metadata.total_size of a parsed `model.safetensors.index.json`, checked: the file must be a JSON object, its
 * `metadata` an object and `weight_map` an object of file names; undefined when the index gives no total.
 */
function indexTotalSize(index: unknown): number | undefined {
  const where = 'model.safetensors.index.json';
  if (!index || typeof index !== 'object' || Array.isArray(index)) throw new Error(`${where} must be a JSON object, got ${shortJson(index)}`);
  const { metadata, weight_map: weightMap } = index as Loose;
  if (metadata !== undefined && (!metadata || typeof metadata !== 'object' || Array.isArray(metadata)))
    throw new Error(`${where}: metadata must be an object, got ${shortJson(metadata)}`);
  if (weightMap !== undefined) {
    if (!weightMap || typeof weightMap !== 'object' || Array.isArray(weightMap))
      throw new Error(`${where}: weight_map must be an object of tensor name → file name, got ${shortJson(weightMap)}`);
    const bad = Object.entries(weightMap as Record<string, unknown>).find(([, f]) => typeof f !== 'string' || !f);
    if (bad) throw new Error(`${where}: weight_map entry '${bad[0].slice(0, 80)}' must name a file, got ${shortJson(bad[1])}`);
  }
  const total: unknown = metadata?.total_size;
  if (total === undefined) return undefined;
  if (typeof total !== 'number' || !Number.isSafeInteger(total) || total <= 0) {
    throw new Error(`${where}: metadata.total_size must be a positive whole number of bytes, got ${shortJson(total)}`);
  }
  return total;
}

/** A value as messages show it: JSON, cut to 80 characters. */
function shortJson(v: unknown): string {
  const json = JSON.stringify(v) ?? String(v);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** 23.6 billion, 512 million, 4096. */
function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} billion`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} million`;
  return String(Math.round(n));
}

/**
 * Largest config.json or index the planner reads: far above any real one (DeepSeek-V3's index is about 9 MB),
 * small enough that a wrong file is refused instead of filling memory.
 */
export const MAX_MODEL_JSON_BYTES = 64 * 2 ** 20;

function readJson(file: string): Loose {
  const text = readRegularFile(file, MAX_MODEL_JSON_BYTES, 'the planner').toString('utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message.slice(0, 200)}`);
  }
}

export function normalizeDtype(d: string): string {
  const s = String(d)
    .toLowerCase()
    .replace(/^torch\./, '');
  return s === 'bf16' ? 'bfloat16' : s === 'fp16' || s === 'half' ? 'float16' : s === 'fp32' || s === 'float' ? 'float32' : s;
}

/** Quantization methods the planner knows (vLLM's names as written in `quantization_config.quant_method`). */
export const QUANTIZATION_METHODS: readonly string[] = [
  'awq',
  'awq_marlin',
  'gptq',
  'gptq_marlin',
  'fp8',
  'fbgemm_fp8',
  'modelopt',
  'compressed-tensors',
  'bitsandbytes',
  'mxfp4',
];

/**
 * Weight bit widths vLLM's kernels load, per method; a checkpoint with another width fails at start-up.
 * vLLM model_executor/layers/quantization: awq.py AWQConfig ("only 4-bit weight quantization is supported for AWQ"),
 * awq_marlin.py AWQMarlinConfig.TYPE_MAP (4, 8: the Marlin path vLLM picks for `awq` checkpoints on compute
 * capability 8.0 and later), gptq.py GPTQConfig ("only 2/3/4/8-bit weight quantization is supported for GPTQ"),
 * gptq_marlin.py GPTQMarlinConfig.TYPE_MAP (4, 8), compressed_tensors WNA16_SUPPORTED_BITS (4, 8; W8A8 and FP8 are
 * 8, NVFP4 is 4), bitsandbytes (4 or 8), fp8/fbgemm_fp8/modelopt (8).
 */
export const QUANTIZATION_BITS: Readonly<Record<string, readonly number[]>> = {
  awq: [4, 8],
  awq_marlin: [4, 8],
  gptq: [2, 3, 4, 8],
  gptq_marlin: [4, 8],
  'compressed-tensors': [4, 8],
  bitsandbytes: [4, 8],
  fp8: [8],
  fbgemm_fp8: [8],
  modelopt: [8],
  mxfp4: [4.25],
};

/** Reads a Hugging Face `quantization_config` into what the planner needs; an unknown method is an error. */
export function quantizationOf(qc: Loose): QuantizationInfo | undefined {
  if (!qc || typeof qc !== 'object') return undefined;
  const method = String(qc.quant_method ?? qc.quantization_method ?? '').toLowerCase();
  const bitsOf = (field: string, v: unknown, fallback: number): number => {
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 16) {
      throw new Error(`config.json: quantization_config.${field} must be a whole number of bits from 1 to 16, got ${shortJson(v)}`);
    }
    return v;
  };
  // group_size -1 means one scale per output channel (GPTQ): no groups
  const groupOf = (field: string, v: unknown, fallback?: number): number | undefined => {
    if (v === undefined || v === null) return fallback;
    if (v === -1) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new Error(`config.json: quantization_config.${field} must be a positive whole number (or -1 for per-channel), got ${shortJson(v)}`);
    }
    return v;
  };
  if (method === 'compressed-tensors') {
    const weights = Object.values<Loose>(qc.config_groups ?? {})
      .map((g) => g?.weights)
      .find(Boolean);
    const bits = bitsOf('config_groups.*.weights.num_bits', weights?.num_bits, 8);
    const type = weights?.type === 'float' ? 'fp' : 'int';
    return {
      method,
      weightBits: bits,
      groupSize: groupOf('config_groups.*.weights.group_size', weights?.group_size),
      zeroPoint: weights?.symmetric === false,
      label: `${type}${bits} (compressed-tensors)`,
    };
  }
  if (method === 'fp8' || method === 'fbgemm_fp8' || method === 'modelopt') return { method, weightBits: 8, label: `fp8 (${method})` };
  if (method === 'awq' || method === 'gptq' || method === 'awq_marlin' || method === 'gptq_marlin') {
    const bits = bitsOf(qc.bits !== undefined ? 'bits' : 'w_bit', qc.bits ?? qc.w_bit, 4);
    // AutoAWQ and AutoGPTQ default to groups of 128
    const groupSize = groupOf(qc.group_size !== undefined ? 'group_size' : 'q_group_size', qc.group_size ?? qc.q_group_size, 128);
    return {
      method,
      weightBits: bits,
      groupSize,
      zeroPoint: method.startsWith('awq') ? qc.zero_point !== false : qc.sym === false,
      label: `${method} ${bits}-bit`,
    };
  }
  if (method === 'bitsandbytes') return { method, weightBits: qc.load_in_8bit ? 8 : 4, label: `bitsandbytes ${qc.load_in_8bit ? 8 : 4}-bit` };
  // MXFP4: 4-bit elements plus one 8-bit shared scale per 32 (OCP Microscaling spec): 4.25 bits per weight
  if (method === 'mxfp4') return { method, weightBits: 4.25, label: 'mxfp4' };
  throw new Error(`config.json: quantization_config.quant_method '${method.slice(0, 80)}' is not one the planner knows (${QUANTIZATION_METHODS.join(', ')})`);
}

/** safetensors' own cap on the JSON header (safetensors crate, MAX_HEADER_SIZE = 100 MB). */
const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

/**
 * Tensor bytes of a safetensors file, read from its JSON header (8-byte little-endian length, then the header)
 * without loading the tensors. The header must parse and every tensor's data must lie inside the file: an empty,
 * truncated or foreign file is an error naming it, never a size of a few bytes.
 */
export function safetensorsTensorBytes(file: string): number {
  const { fd, size } = openRegularFile(file);
  try {
    const bad = (why: string) => new Error(`${file} is not a valid safetensors file: ${why}`);
    if (size < 8) throw bad(`it has ${size} bytes, fewer than the 8-byte header length`);
    const len = Buffer.alloc(8);
    fs.readSync(fd, len, 0, 8, 0);
    const headerLength = Number(len.readBigUInt64LE(0));
    if (headerLength < 2 || headerLength > SAFETENSORS_MAX_HEADER_BYTES || 8 + headerLength > size) {
      throw bad(`its header length ${headerLength} does not fit the file size ${size} (truncated?)`);
    }
    const headerBuf = Buffer.alloc(headerLength);
    fs.readSync(fd, headerBuf, 0, headerLength, 8);
    let header: unknown;
    try {
      header = JSON.parse(headerBuf.toString('utf8'));
    } catch {
      throw bad('its header is not JSON');
    }
    if (!header || typeof header !== 'object' || Array.isArray(header)) throw bad('its header is not a JSON object');
    const dataBytes = size - 8 - headerLength;
    let end = 0;
    for (const [name, t] of Object.entries(header as Record<string, unknown>)) {
      if (name === '__metadata__') continue;
      const offsets = (t as { data_offsets?: unknown } | null)?.data_offsets;
      if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((n) => Number.isSafeInteger(n) && n >= 0) || offsets[0] > offsets[1]) {
        throw bad(`tensor '${name}' has no valid data_offsets`);
      }
      end = Math.max(end, offsets[1] as number);
    }
    if (end === 0) throw bad('it holds no tensors');
    if (end > dataBytes) throw bad(`its tensors need ${end} bytes but the file holds ${dataBytes} after the header (truncated?)`);
    return end;
  } finally {
    fs.closeSync(fd);
  }
}

/** Largest value accepted for a count in a model config (layers, heads, sizes): far above any real model, and finite. */
const MAX_CONFIG_COUNT = 1e7;
const WEIGHT_SOURCES: readonly WeightSource[] = ['index', 'safetensors', 'computed'];

/**
 * Checks a profile spec field by field, so that no plan is ever built on a negative, fractional, non-finite or
 * absurd number. Errors name the model and the field.
 */
function checkSpec(spec: ModelProfileSpec): ModelProfileSpec {
  const c = specChecker(spec);
  if (typeof spec?.name !== 'string' || !spec.name) c.fail('name', 'a non-empty string', spec?.name);
  if (typeof spec.architecture !== 'string') c.fail('architecture', 'a string', spec.architecture);
  const layers = c.count('num_hidden_layers (numLayers)', spec.numLayers);
  c.count('hidden_size (hiddenSize)', spec.hiddenSize);
  const heads = c.count('num_attention_heads (numAttentionHeads)', spec.numAttentionHeads);
  const kvHeads = c.count('num_key_value_heads (numKeyValueHeads)', spec.numKeyValueHeads, 1, heads);
  // grouped-query attention shares each KV head among an equal group of query heads: vLLM's attention layers and
  // transformers (num_key_value_groups = num_attention_heads // num_key_value_heads) need an exact division
  if (heads % kvHeads !== 0) c.fail('num_key_value_heads (numKeyValueHeads)', `a divisor of num_attention_heads (${heads})`, kvHeads);
  c.count('head_dim (headDim)', spec.headDim);
  c.count('intermediate_size (intermediateSize)', spec.intermediateSize);
  c.count('vocab_size (vocabSize)', spec.vocabSize);
  c.count('max_position_embeddings (maxPositionEmbeddings)', spec.maxPositionEmbeddings, 1, 1e9);
  c.bool('tieWordEmbeddings', spec.tieWordEmbeddings);
  c.bool('qkvBias', spec.qkvBias);
  if (!(spec.torchDtype in DTYPE_BYTES) || ['fp8', 'float8'].includes(spec.torchDtype))
    c.fail('torch_dtype (torchDtype)', 'one of bfloat16, float16, float32', spec.torchDtype);
  if (!WEIGHT_SOURCES.includes(spec.weightSource)) c.fail('weightSource', WEIGHT_SOURCES.join(', '), spec.weightSource);
  if (spec.checkpointBytes !== undefined && !(typeof spec.checkpointBytes === 'number' && Number.isFinite(spec.checkpointBytes) && spec.checkpointBytes > 0)) {
    c.fail('checkpointBytes', 'a positive number of bytes', spec.checkpointBytes);
  }
  if (spec.quantization) checkQuantizationSpec(c, spec.quantization);
  if (spec.moe) checkMoeSpec(c, spec.moe, layers);
  if (spec.mla) checkMlaSpec(c, spec.mla);
  c.optCount('sliding_window (slidingWindow)', spec.slidingWindow, 1, 1e9);
  c.optCount('sliding layers (slidingLayers)', spec.slidingLayers, 1, layers);
  return spec;
}

/** Checks of one field of a profile spec, each throwing an error that names the model and the field. */
interface SpecChecker {
  fail(field: string, want: string, got: unknown): never;
  count(field: string, v: unknown, min?: number, max?: number): number;
  optCount(field: string, v: unknown, min?: number, max?: number): number | undefined;
  bool(field: string, v: unknown): boolean;
}

function specChecker(spec: ModelProfileSpec): SpecChecker {
  const name = typeof spec?.name === 'string' && spec.name ? spec.name.slice(0, 80) : '(unnamed)';
  const fail = (field: string, want: string, got: unknown): never => {
    throw new Error(`model ${name}: ${field} must be ${want}, got ${shortJson(got)}`);
  };
  const count = (field: string, v: unknown, min = 1, max = MAX_CONFIG_COUNT): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(field, `a whole number from ${min} to ${max}`, v);
    return v as number;
  };
  return {
    fail,
    count,
    optCount: (field, v, min, max) => (v === undefined ? undefined : count(field, v, min, max)),
    bool: (field, v) => (typeof v === 'boolean' ? v : fail(field, 'true or false', v)),
  };
}

function checkQuantizationSpec(c: SpecChecker, q: QuantizationInfo): void {
  if (typeof q.method !== 'string' || !QUANTIZATION_METHODS.includes(q.method))
    c.fail('quantization_config.quant_method', `one of ${QUANTIZATION_METHODS.join(', ')}`, q.method);
  if (typeof q.weightBits !== 'number' || !(q.weightBits >= 1 && q.weightBits <= 16))
    c.fail('quantization_config bits (weightBits)', 'from 1 to 16', q.weightBits);
  const widths = QUANTIZATION_BITS[q.method];
  if (widths && !widths.includes(q.weightBits))
    c.fail(`quantization_config bits (weightBits) of ${q.method}`, `one of ${widths.join(', ')}, the widths vLLM's ${q.method} kernels load`, q.weightBits);
  c.optCount('quantization_config.group_size (groupSize)', q.groupSize);
}

function checkMoeSpec(c: SpecChecker, moe: MoeInfo, layers: number): void {
  const experts = c.count('num_local_experts (moe.numExperts)', moe.numExperts, 1, 1e5);
  c.count('num_experts_per_tok (moe.expertsPerToken)', moe.expertsPerToken, 1, experts);
  c.count('moe_intermediate_size (moe.expertIntermediateSize)', moe.expertIntermediateSize);
  c.count('n_shared_experts (moe.sharedExperts)', moe.sharedExperts, 0, 1e5);
  c.count('first_k_dense_replace (moe.denseLayers)', moe.denseLayers, 0, layers);
}

function checkMlaSpec(c: SpecChecker, mla: MlaInfo): void {
  c.optCount('q_lora_rank (mla.qLoraRank)', mla.qLoraRank);
  c.count('kv_lora_rank (mla.kvLoraRank)', mla.kvLoraRank);
  c.count('qk_nope_head_dim (mla.qkNopeHeadDim)', mla.qkNopeHeadDim);
  c.count('qk_rope_head_dim (mla.qkRopeHeadDim)', mla.qkRopeHeadDim);
  c.count('v_head_dim (mla.vHeadDim)', mla.vHeadDim);
}
