import * as fs from 'fs';
import * as path from 'path';
import { packagePath } from '../private/package-root';
import { MODEL_PROFILE_ANNOTATION } from '../k8s/keys';
import { compareText } from '../private/collate';
import { ConfigSources, specFromConfig } from './model-config';
import { readJson, safetensorsTensorBytes } from './model-files';
import { SENTENCE_CONFIG_FILES } from './context-length';
import { ContextLimits, DTYPE_BYTES, EncoderInfo, MlaInfo, ModelProfileSpec, MoeInfo, normalizeDtype, QuantizationInfo, WeightSource } from './model-spec';
import { checkSpec } from './model-spec-checks';

/** Bits per weight of the smallest checkpoint the planner knows (GPTQ 2-bit) and of the largest (float32). */
const MIN_BITS_PER_WEIGHT = 2;
const MAX_BITS_PER_WEIGHT = 32;
/** Room for tensors the parameter count leaves out (vision towers, extra prediction layers) or keeps at other widths. */
const CHECKPOINT_SIZE_MARGIN = 2;

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
    const dir = packagePath('models');
    // one of bundledNames(), looked up alone: listing every profile (a look for each one's config.json) only for the error
    if (!(fs.readdirSync(dir).includes(name) && fs.existsSync(path.join(dir, name, 'config.json')))) {
      const names = ModelProfile.bundledNames();
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
   * The bundled profile of a Hugging Face checkpoint (`org/name`), found by the `_name_or_path` its config.json
   * records (case aside); undefined when no bundled profile is of it.
   */
  public static bundledCheckpoint(id: string): ModelProfile | undefined {
    const wanted = id.toLowerCase();
    const name = ModelProfile.bundledNames().find((n) => {
      const recorded = (readJson(packagePath('models', n, 'config.json')) as { _name_or_path?: unknown })._name_or_path;
      return typeof recorded === 'string' && recorded.toLowerCase() === wanted;
    });
    return name === undefined ? undefined : ModelProfile.bundled(name);
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
    const lengths = lengthFilesIn(dir);
    // lstat, not exists: a dangling link named like the index is a broken index, not a missing one
    if (fs.lstatSync(indexFile, { throwIfNoEntry: false })) return ModelProfile.fromConfig(config, { name, index: readJson(indexFile), ...lengths });
    const shards = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.safetensors'))
      .sort();
    const bytes = shards.reduce((n, f) => n + safetensorsTensorBytes(path.join(dir, f)), 0);
    return ModelProfile.fromConfig(config, { name, safetensorsBytes: shards.length ? bytes : undefined, ...lengths });
  }

  /**
   * Builds a profile from a parsed `config.json` (multimodal configs use their `text_config`) and optionally
   * the parsed `model.safetensors.index.json` or the summed tensor bytes of the safetensors files.
   */
  public static fromConfig(configJson: unknown, opts: ConfigSources = {}): ModelProfile {
    return new ModelProfile(specFromConfig(configJson, opts));
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
  public readonly encoder?: EncoderInfo;
  public readonly slidingWindow?: number;
  public readonly slidingLayers?: number;
  public readonly qkvBias!: boolean;
  public readonly checkpointBytes?: number;
  public readonly weightSource!: WeightSource;
  public readonly contextLimits?: ContextLimits;

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
    if (this.encoder) return this.encoderParameterCount(this.encoder);
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
   * A BERT-family encoder's parameters, as transformers' BertModel (and RobertaModel, XLMRobertaModel) lays them out:
   * word, position and token-type embeddings and their LayerNorm; per layer Q, K, V and output projections with biases,
   * a two-matrix MLP (intermediate, output) with biases and two LayerNorms; the pooler's dense layer (a
   * sequence-classification head has one of the same size). No lm_head.
   */
  private encoderParameterCount(e: EncoderInfo): { readonly embedding: number; readonly linear: number; readonly other: number } {
    const { hiddenSize: h, headDim: d, numAttentionHeads: a, numKeyValueHeads: k, numLayers: l, intermediateSize: i } = this;
    const attention = h * (a + 2 * k) * d + (a + 2 * k) * d + a * d * h + h;
    const mlp = 2 * h * i + i + h;
    return {
      embedding: (this.vocabSize + this.maxPositionEmbeddings + e.typeVocabSize) * h,
      linear: l * (attention + mlp) + h * h,
      other: l * 4 * h + 2 * h + h,
    };
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
   * cache one latent (kv_lora_rank + rope dims) per layer, replicated on every rank; encoders cache nothing.
   */
  public kvBytesPerToken(tensorParallelSize: number, kvDtypeBytes: number): number {
    // encoder-only attention keeps no KV cache (vllm/v1/worker/gpu_model_runner.py get_kv_cache_spec skips it)
    if (this.encoder) return 0;
    if (this.mla) return this.numLayers * (this.mla.kvLoraRank + this.mla.qkRopeHeadDim) * kvDtypeBytes;
    return 2 * this.numLayers * Math.ceil(this.numKeyValueHeads / tensorParallelSize) * this.headDim * kvDtypeBytes;
  }
}

/**
 * The files of a model folder vLLM reads the longest sequence from besides config.json: tokenizer_config.json, and the
 * first sentence-transformers config of vLLM's list (get_sentence_transformer_tokenizer_config) that the folder has.
 */
function lengthFilesIn(dir: string): Pick<ConfigSources, 'tokenizerConfig' | 'sentenceConfig'> {
  const present = (f: string) => fs.existsSync(path.join(dir, f));
  const sentence = SENTENCE_CONFIG_FILES.find(present);
  return {
    ...(present('tokenizer_config.json') ? { tokenizerConfig: readJson(path.join(dir, 'tokenizer_config.json')) } : {}),
    ...(sentence ? { sentenceConfig: { file: sentence, json: readJson(path.join(dir, sentence)) } } : {}),
  };
}

/** 23.6 billion, 512 million, 4096. */
function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} billion`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} million`;
  return String(Math.round(n));
}
