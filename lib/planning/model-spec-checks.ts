import { ContextLimits, DTYPE_BYTES, MlaInfo, ModelProfileSpec, MoeInfo, QuantizationInfo, shortJson, WeightSource } from './model-spec';
import { QUANTIZATION_BITS, QUANTIZATION_METHODS } from './quantization-config';

/** Largest value accepted for a count in a model config (layers, heads, sizes): far above any real model, and finite. */
const MAX_CONFIG_COUNT = 1e7;
const WEIGHT_SOURCES: readonly WeightSource[] = ['index', 'safetensors', 'computed'];

/**
 * Checks a profile spec field by field, so that no plan is ever built on a negative, fractional, non-finite or
 * absurd number. Errors name the model and the field.
 */
export function checkSpec(spec: ModelProfileSpec): ModelProfileSpec {
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
  if (spec.encoder !== undefined) {
    if (!spec.encoder || typeof spec.encoder !== 'object') c.fail('encoder', 'an object', spec.encoder);
    c.count('type_vocab_size (encoder.typeVocabSize)', spec.encoder.typeVocabSize, 0, MAX_CONFIG_COUNT);
  }
  c.optCount('sliding_window (slidingWindow)', spec.slidingWindow, 1, 1e9);
  c.optCount('sliding layers (slidingLayers)', spec.slidingLayers, 1, layers);
  if (spec.contextLimits !== undefined) checkContextLimits(c, spec.contextLimits);
  return spec;
}

/** A recorded profile's context limits: lengths are positive numbers (a rope factor may be fractional), names strings. */
function checkContextLimits(c: SpecChecker, l: ContextLimits): void {
  if (!l || typeof l !== 'object' || Array.isArray(l)) c.fail('contextLimits', 'an object', l);
  const lengths = ['positions', 'modelMaxLength', 'ropeFactor', 'yarnOriginal', 'longropeDefault', 'tokenizerMaxLength', 'sentenceMaxSeqLength'] as const;
  for (const k of lengths) {
    const v = l[k];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0)) c.fail(`contextLimits.${k}`, 'a positive number', v);
  }
  for (const k of ['key', 'ropeType', 'sentenceConfig'] as const)
    if (l[k] !== undefined && typeof l[k] !== 'string') c.fail(`contextLimits.${k}`, 'a string', l[k]);
  if (l.absolutePositions !== undefined) c.bool('contextLimits.absolutePositions', l.absolutePositions);
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
