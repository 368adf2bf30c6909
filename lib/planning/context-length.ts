import { Loose } from '../manifests/access';
import { ContextLimits, ModelProfileSpec } from './model-spec';

/**
 * The longest sequence vLLM derives for a model and refuses a longer --max-model-len above, as vllm/config/model.py
 * _get_and_verify_max_len derives it (ModelConfig.get_and_verify_max_len calls it with hf_text_config):
 *
 * 1. the smallest of the config's length keys (possible_keys), replaced by model_max_length where the config has it;
 * 2. the sliding window, when --disable-sliding-window is given and the window is shorter;
 * 3. tokenizer_config.json's model_max_length, when shorter, for a pooling runner of a model whose
 *    position_embedding_type is absolute (get_and_verify_max_len reads the tokenizer config only then);
 * 4. times the rope scaling factor (a rope type other than su, longrope and llama3; not Gemma 3, whose positions are
 *    already scaled), from yarn's original_max_position_embeddings for yarn;
 * 5. replaced by max_seq_length of the model's sentence-transformers config (encoder_config) where it has one.
 *
 * A user's max_model_len above it is refused ("User-specified max_model_len … is greater than the derived
 * max_model_len") unless it is at most the config's model_max_length or VLLM_ALLOW_LONG_MAX_MODEL_LEN is set. A
 * config with none of the keys leaves vLLM on the user's value (or 2048, or the config class's own default, which a
 * config.json does not show): nothing is derived here then.
 */

/** vllm/config/model.py _get_and_verify_max_len possible_keys, in its order. */
export const MAX_LEN_KEYS: readonly string[] = [
  'max_position_embeddings',
  'n_positions',
  'max_seq_len',
  'seq_length',
  'model_max_length',
  'max_target_positions',
  'max_sequence_length',
  'max_seq_length',
  'seq_len',
];

/**
 * The files vllm/transformers_utils/config.py get_sentence_transformer_tokenizer_config looks for, in its order: the
 * first that holds a JSON object is the encoder config.
 */
export const SENTENCE_CONFIG_FILES: readonly string[] = [
  'sentence_bert_config.json',
  'sentence_roberta_config.json',
  'sentence_distilbert_config.json',
  'sentence_camembert_config.json',
  'sentence_albert_config.json',
  'sentence_xlm-roberta_config.json',
  'sentence_xlnet_config.json',
];

/** Rope types whose factor vLLM does not apply to the length (their positions already cover it). */
const UNSCALED_ROPE = ['su', 'longrope', 'llama3'];

const positive = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);
const isMap = (v: unknown): v is Loose => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * The rope parameter sets of a config, as vLLM patches them: `type` read as rope_type, su as longrope, mrope as
 * default. transformers v5 may key one set per layer type (ALLOWED_LAYER_TYPES): an object of objects.
 */
function ropeSets(text: Loose): Loose[] {
  const raw: unknown = text.rope_parameters ?? text.rope_scaling;
  if (!isMap(raw)) return [];
  const keys = Object.keys(raw);
  const perLayer = keys.length > 0 && keys.every((k) => isMap(raw[k]));
  return (perLayer ? keys.map((k) => raw[k] as Loose) : [raw]).map((r) => {
    const type = String(r.rope_type ?? r.type ?? 'default');
    return { ...r, rope_type: type === 'su' ? 'longrope' : type === 'mrope' ? 'default' : type };
  });
}

/** The rope scaling vLLM applies to the derived length: the factor (the last set's that has one), and yarn's original positions. */
function ropeScaling(text: Loose): Pick<ContextLimits, 'ropeFactor' | 'ropeType' | 'yarnOriginal' | 'longropeDefault'> {
  const sets = ropeSets(text);
  if (!sets.length) return {};
  const longrope = sets.some((r) => r.rope_type === 'longrope') ? positive(text.original_max_position_embeddings) : undefined;
  if (/gemma3/.test(String(text.model_type ?? ''))) return longrope ? { longropeDefault: longrope } : {};
  let factor = 1;
  let type: string | undefined;
  let yarn: number | undefined;
  for (const r of sets.filter((s) => !UNSCALED_ROPE.includes(String(s.rope_type)))) {
    factor = positive(r.factor) ?? factor;
    type = String(r.rope_type);
    if (type === 'yarn') yarn = positive(r.original_max_position_embeddings);
  }
  return {
    ...(factor !== 1 || yarn !== undefined ? { ropeFactor: factor, ropeType: type } : {}),
    ...(yarn !== undefined ? { yarnOriginal: yarn } : {}),
    ...(longrope ? { longropeDefault: longrope } : {}),
  };
}

/** The other files of a model folder vLLM reads the length from: tokenizer_config.json and a sentence-transformers config. */
export interface LengthFiles {
  readonly tokenizerConfig?: unknown;
  readonly sentenceConfig?: { readonly file: string; readonly json: unknown };
}

/**
 * What a config.json (its text config) and the folder's other files give vLLM's derivation, or undefined where it is
 * what max_position_embeddings alone gives (the profile's own field then stands for it, and recorded profiles stay as
 * they were).
 */
export function contextLimitsOf(text: Loose, maxPositionEmbeddings: number, files: LengthFiles = {}): ContextLimits | undefined {
  let key: string | undefined;
  let positions: number | undefined;
  for (const k of MAX_LEN_KEYS.filter((x) => x !== 'model_max_length')) {
    const v = positive(text[k]);
    if (v !== undefined && (positions === undefined || v < positions)) [key, positions] = [k, v];
  }
  const modelMaxLength = positive(text.model_max_length);
  const tokenizerMaxLength = isMap(files.tokenizerConfig) ? positive(files.tokenizerConfig.model_max_length) : undefined;
  const sentence = files.sentenceConfig && isMap(files.sentenceConfig.json) ? positive(files.sentenceConfig.json.max_seq_length) : undefined;
  const limits: ContextLimits = {
    ...(key ? { key, positions } : {}),
    ...(modelMaxLength ? { modelMaxLength } : {}),
    ...ropeScaling(text),
    ...(text.position_embedding_type === 'absolute' && tokenizerMaxLength ? { absolutePositions: true, tokenizerMaxLength } : {}),
    ...(sentence ? { sentenceMaxSeqLength: sentence, sentenceConfig: files.sentenceConfig!.file } : {}),
  };
  const plain = Object.keys(limits).length === 2 && key === 'max_position_embeddings' && positions === maxPositionEmbeddings;
  return plain ? undefined : limits;
}

/** The settings of a start-up that the derived length depends on. */
export interface LengthSettings {
  /** The runner is pooling (--runner pooling, a pooling --task or --convert, or a pooling architecture by name). */
  readonly pooling: boolean;
  /** --disable-sliding-window. */
  readonly disableSlidingWindow?: boolean;
}

/** vLLM's derived maximum: the length, where it comes from (for messages), and the config's model_max_length. */
export interface DerivedLength {
  readonly value: number;
  readonly from: string;
  readonly modelMaxLength?: number;
}

const show = (n: number) => String(Number.isInteger(n) ? n : Number(n.toFixed(2)));

/** The length vLLM derives for the model with these settings; undefined where the config gives no length key. */
export function derivedMaxModelLen(
  model: Pick<ModelProfileSpec, 'contextLimits' | 'maxPositionEmbeddings' | 'slidingWindow'>,
  s: LengthSettings,
): DerivedLength | undefined {
  const l: ContextLimits = model.contextLimits ?? { key: 'max_position_embeddings', positions: model.maxPositionEmbeddings };
  let value = l.modelMaxLength ?? l.positions;
  let from = l.modelMaxLength !== undefined ? `model_max_length ${show(l.modelMaxLength)}` : `${l.key} ${show(value ?? 0)}`;
  if (value === undefined) return undefined;
  if (s.disableSlidingWindow && model.slidingWindow !== undefined && model.slidingWindow < value) {
    [value, from] = [model.slidingWindow, `sliding_window ${model.slidingWindow} (--disable-sliding-window)`];
  }
  if (s.pooling && l.absolutePositions && l.tokenizerMaxLength !== undefined && l.tokenizerMaxLength < value) {
    [value, from] = [l.tokenizerMaxLength, `tokenizer_config.json model_max_length ${show(l.tokenizerMaxLength)}`];
  }
  if (l.ropeFactor !== undefined) {
    const base = l.yarnOriginal ?? value;
    const scaled = base * l.ropeFactor;
    from = `${l.yarnOriginal !== undefined ? `original_max_position_embeddings ${show(base)}` : from} × ${l.ropeType} rope factor ${show(l.ropeFactor)} = ${show(scaled)}`;
    value = scaled;
  }
  if (l.sentenceMaxSeqLength !== undefined) [value, from] = [l.sentenceMaxSeqLength, `${l.sentenceConfig} max_seq_length ${show(l.sentenceMaxSeqLength)}`];
  return { value, from, ...(l.modelMaxLength !== undefined ? { modelMaxLength: l.modelMaxLength } : {}) };
}

/**
 * The length vLLM serves when --max-model-len is not given: the derived one (a LongRoPE model's
 * original_max_position_embeddings), else the config's max_position_embeddings.
 */
export function defaultMaxModelLen(model: Pick<ModelProfileSpec, 'contextLimits' | 'maxPositionEmbeddings' | 'slidingWindow'>, s: LengthSettings): number {
  if (model.contextLimits?.longropeDefault !== undefined) return model.contextLimits.longropeDefault;
  const derived = derivedMaxModelLen(model, s);
  return derived ? Math.floor(derived.value) : model.maxPositionEmbeddings;
}

/**
 * vllm/config/model.py _SUFFIX_TO_DEFAULTS: the runner an architecture defaults to by its name's suffix, first match in
 * its order (pooling for *Model, *EmbeddingModel, *ForSequenceClassification, …; generate for *ForCausalLM, …).
 */
const SUFFIX_RUNNERS: readonly [string, 'generate' | 'pooling'][] = [
  ['ForCausalLM', 'generate'],
  ['ForConditionalGeneration', 'generate'],
  ['ChatModel', 'generate'],
  ['LMHeadModel', 'generate'],
  ['ForTextEncoding', 'pooling'],
  ['EmbeddingModel', 'pooling'],
  ['ForSequenceClassification', 'pooling'],
  ['ForAudioClassification', 'pooling'],
  ['ForImageClassification', 'pooling'],
  ['ForVideoClassification', 'pooling'],
  ['ClassificationModel', 'pooling'],
  ['ForRewardModeling', 'pooling'],
  ['RewardModel', 'pooling'],
  ['Model', 'pooling'],
];

/** The runner vLLM picks by default for an architecture (generate where no suffix matches). */
export function defaultRunnerOf(architecture: string): 'generate' | 'pooling' {
  return SUFFIX_RUNNERS.find(([suffix]) => architecture.endsWith(suffix))?.[1] ?? 'generate';
}
