import { Loose } from '../manifests/access';
import { EncoderInfo, ModelProfileSpec, MlaInfo, MoeInfo, normalizeDtype, shortJson } from './model-spec';
import { quantizationOf } from './quantization-config';
import { contextLimitsOf, LengthFiles } from './context-length';

/** Hugging Face's PretrainedConfig default when a config has no max_position_embeddings. */
const DEFAULT_MAX_POSITION_EMBEDDINGS = 2048;

/**
 * Model types whose transformers config class ties the embeddings unless config.json says otherwise
 * (GemmaConfig, Gemma2Config, Gemma3TextConfig: tie_word_embeddings=True); the publishers' Gemma configs leave the key out.
 */
const TIED_BY_DEFAULT = /^(gemma|gemma2|gemma3_text)$/;

/**
 * Model types that alternate sliding-window and global layers when the config lists no layer_types, the first layer
 * sliding: transformers Gemma2Config's default layer_types, vLLM's gemma2.py (a layer slides when its index is even).
 */
const ALTERNATING_SLIDING = /^gemma2$/;

/**
 * Model types of BERT-family encoders: vLLM serves them with vllm/model_executor/models/bert.py (bert) and roberta.py
 * (roberta, xlm-roberta), whose self-attention is AttentionType.ENCODER_ONLY.
 */
const BERT_ENCODERS = /^(bert|roberta|xlm-roberta)$/;

/** transformers BertConfig's (and RobertaConfig's, XLMRobertaConfig's) default type_vocab_size. */
const DEFAULT_TYPE_VOCAB_SIZE = 2;

/**
 * What a profile is built from beside config.json: its name, the parsed weight index, or the safetensors files' tensor
 * bytes, and the files vLLM also reads the longest sequence from (tokenizer_config.json, a sentence-transformers config).
 */
export interface ConfigSources extends LengthFiles {
  readonly name?: string;
  readonly index?: unknown;
  readonly safetensorsBytes?: number;
}

/**
 * A profile spec from a parsed `config.json` (multimodal configs use their `text_config`) and optionally the parsed
 * `model.safetensors.index.json` or the summed tensor bytes of the safetensors files.
 */
export function specFromConfig(configJson: unknown, opts: ConfigSources): ModelProfileSpec {
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
  const maxPositionEmbeddings = opt('max_position_embeddings') ?? DEFAULT_MAX_POSITION_EMBEDDINGS;
  const contextLimits = contextLimitsOf(text, maxPositionEmbeddings, opts);
  return {
    name: opts.name ?? (typeof config._name_or_path === 'string' ? config._name_or_path : undefined) ?? String(text.model_type ?? 'model'),
    architecture,
    numLayers: need('num_hidden_layers', 'n_layer', 'num_layers'),
    hiddenSize: hidden,
    numAttentionHeads: heads,
    numKeyValueHeads: opt('num_key_value_heads') ?? heads,
    headDim: opt('head_dim') ?? hidden / heads,
    intermediateSize: opt('intermediate_size') ?? 4 * hidden,
    vocabSize: need('vocab_size'),
    tieWordEmbeddings: tiedEmbeddings(config, text),
    maxPositionEmbeddings,
    torchDtype: normalizeDtype(dtype),
    quantization: quantizationOf(text.quantization_config),
    moe: experts !== undefined ? moeOf(opt, experts, hidden) : undefined,
    mla: kvLora !== undefined ? mlaOf(opt, kvLora) : undefined,
    ...slidingWindowOf(text),
    ...encoderOf(text, opt),
    qkvBias: text.attention_bias === true || /qwen2/i.test(String(text.model_type ?? '')) || BERT_ENCODERS.test(String(text.model_type ?? '')),
    ...weights,
    ...(contextLimits ? { contextLimits } : {}),
  };
}

/** A BERT-family encoder's facts beside the common ones; nothing for a decoder. */
function encoderOf(text: Loose, opt: ConfigNumber): { encoder?: EncoderInfo } {
  if (!BERT_ENCODERS.test(String(text.model_type ?? ''))) return {};
  return { encoder: { typeVocabSize: opt('type_vocab_size') ?? DEFAULT_TYPE_VOCAB_SIZE } };
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

/** Whether lm_head shares the embedding: the config's key (the text config's first), else its class's default. */
function tiedEmbeddings(config: Loose, text: Loose): boolean {
  const stated: unknown = text.tie_word_embeddings ?? config.tie_word_embeddings;
  if (stated !== undefined && stated !== null) return stated === true;
  return TIED_BY_DEFAULT.test(String(text.model_type ?? ''));
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
  const total = Number(text.num_hidden_layers);
  const layers = Array.isArray(types)
    ? types.filter((t) => t === 'sliding_attention').length
    : ALTERNATING_SLIDING.test(String(text.model_type ?? ''))
      ? Math.ceil(total / 2)
      : total;
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
