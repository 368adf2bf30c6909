import { GpuModel } from '../../lib/catalog/gpu-model';
import { ModelProfile } from '../../lib/planning/model-profile';
import { evaluatePlan } from '../../lib/planning/vllm-memory';
import { StartupCheck, StartupSettings, STARTUP_REFUSALS, STARTUP_WARNINGS, startupFindings } from '../../lib/planning/vllm-startup-checks';
import { defaultMaxModelLen, defaultRunnerOf, derivedMaxModelLen } from '../../lib/planning/context-length';

/** A Llama-3.1-8B-like config: 32 query heads of 128, 8 KV heads, MLP 14336, 32 layers, 8192 positions. */
const config = (extra: object = {}) => ({
  num_attention_heads: 32,
  num_key_value_heads: 8,
  hidden_size: 4096,
  num_hidden_layers: 32,
  intermediate_size: 14336,
  vocab_size: 128256,
  max_position_embeddings: 8192,
  torch_dtype: 'bfloat16',
  ...extra,
});
const DENSE = ModelProfile.fromConfig(config(), { name: 'dense-8b' });
const AWQ = ModelProfile.fromConfig(config({ torch_dtype: 'float16', quantization_config: { quant_method: 'awq', bits: 4, group_size: 128 } }), {
  name: 'awq-8b',
});
const FP8 = ModelProfile.fromConfig(config({ quantization_config: { quant_method: 'fp8' } }), { name: 'fp8-8b' });
const MOE = ModelProfile.fromConfig(config({ num_local_experts: 8, num_experts_per_tok: 2 }), { name: 'moe-8x' });

// GPUs of known figures: 80 GiB Hopper, 24 GiB Ampere without FP8 tensor cores, 15 GiB Turing
const HOPPER = GpuModel.custom({ name: 'hopper', cudaVisibleGiB: 80, computeCapability: '9.0', fp8Compute: true });
const AMPERE = GpuModel.custom({ name: 'ampere', cudaVisibleGiB: 24, computeCapability: '8.6', fp8Compute: false });
const TURING = GpuModel.custom({ name: 'turing', cudaVisibleGiB: 15, computeCapability: '7.5', fp8Compute: false });

const BASE: StartupSettings = {
  model: DENSE,
  gpu: HOPPER,
  tp: 1,
  pp: 1,
  maxModelLen: 8192,
  pooling: false,
  disableSlidingWindow: false,
  allowLongMaxModelLen: false,
  util: 0.9,
  dtype: 'auto',
  batchedTokens: 8192,
  numSeqs: 1024,
  cudaContextGiB: 0.6,
};
const fp8OnLoad = { method: 'fp8', weightBits: 8, label: 'fp8 (quantized on load)' };

/** Per check: settings it fires on, with a phrase of its message, and a near miss it must leave alone. */
const CASES: Record<string, { fires: Partial<StartupSettings>; says: string; nearMiss: Partial<StartupSettings> }> = {
  'attention-heads-not-divisible': { fires: { tp: 3 }, says: 'use 1, 2, 4, 8', nearMiss: { tp: 4 } },
  'max-model-len-beyond-positions': { fires: { maxModelLen: 8193 }, says: 'lower it to 8192', nearMiss: { maxModelLen: 8192 } },
  'bfloat16-unsupported': { fires: { dtype: 'bfloat16', gpu: TURING }, says: 'pass --dtype float16', nearMiss: { dtype: 'bfloat16', gpu: AMPERE } },
  'quantization-contradicts-checkpoint': {
    fires: { model: FP8, quantization: FP8.quantization, quantizationFlag: 'awq' },
    says: '--quantization=awq contradicts it',
    nearMiss: { model: FP8, quantization: FP8.quantization, quantizationFlag: 'fp8' },
  },
  'quantization-needs-checkpoint': {
    fires: { quantizationFlag: 'gptq' },
    says: 'but dense-8b is not quantized',
    nearMiss: { quantizationFlag: 'fp8', quantization: fp8OnLoad },
  },
  'quantization-needs-newer-gpu': {
    fires: { model: AWQ, quantization: AWQ.quantization, gpu: GpuModel.custom({ name: 'volta', cudaVisibleGiB: 15, computeCapability: '7.0' }) },
    says: 'Minimum capability: 75. Current capability: 70',
    nearMiss: { model: AWQ, quantization: AWQ.quantization, gpu: TURING },
  },
  // 4096 attention columns and 14336 MLP columns in groups of 128: 3 ranks split neither, 2 ranks both
  'quantization-groups-attention-output': {
    fires: { model: AWQ, quantization: AWQ.quantization, tp: 3 },
    says: 'the attention output projection (4096 / 3)',
    nearMiss: { model: AWQ, quantization: AWQ.quantization, tp: 2 },
  },
  'quantization-groups-mlp-down': {
    fires: { model: AWQ, quantization: AWQ.quantization, tp: 3 },
    says: 'the MLP down projection (14336 / 3)',
    nearMiss: { model: AWQ, quantization: AWQ.quantization, tp: 2 },
  },
  // 14336 / 16 = 896 columns: whole groups of 128 and words of 8 four-bit weights; 14336 / 3 is not whole
  'quantization-packing-mlp-up': {
    fires: { model: AWQ, quantization: AWQ.quantization, tp: 3 },
    says: 'not a multiple of the 8 weights packed in a word',
    nearMiss: { model: AWQ, quantization: AWQ.quantization, tp: 16 },
  },
  // 8 KV heads: 3 ranks split them unevenly, 16 ranks hold each one twice
  'kv-heads-not-divisible': { fires: { tp: 3 }, says: "the model's 8 KV heads", nearMiss: { tp: 16 } },
  'batched-tokens-below-seqs': {
    fires: { batchedTokens: 1023 },
    says: 'max-num-batched-tokens 1023 is below max-num-seqs 1024',
    nearMiss: { batchedTokens: 1024 },
  },
  'pipeline-stages-beyond-layers': { fires: { pp: 33 }, says: 'use 32 stages or fewer', nearMiss: { pp: 32 } },
  'lora-rank-unsupported': { fires: { lora: { maxRank: 20, maxAdapters: 1 } }, says: 'LoRA max rank 20', nearMiss: { lora: { maxRank: 32, maxAdapters: 1 } } },
  'bfloat16-served-as-float16': { fires: { gpu: TURING }, says: 'planned as float16', nearMiss: { gpu: AMPERE } },
  'fp8-weight-only': {
    fires: { model: FP8, quantization: FP8.quantization, gpu: AMPERE },
    says: 'weight-only (FP8-Marlin)',
    nearMiss: { model: FP8, quantization: FP8.quantization, gpu: HOPPER },
  },
  // 80 GiB less a 0.6 GiB context leave 79.4 GiB free: 99.5 % asks for 79.6
  'utilization-beyond-free-memory': { fires: { util: 0.995 }, says: 'about 79.40 GiB', nearMiss: { util: 0.99 } },
  // 1 % of 80 GiB is 0.8 GiB beyond the budget, 0.2 of them free after the context; 2 % leave 1 GiB
  'cuda-graph-headroom': { fires: { util: 0.99 }, says: 'only 0.20 GiB stay free', nearMiss: { util: 0.98 } },
  'expert-parallel-without-experts': { fires: { expertParallelSize: 2 }, says: 'dense-8b has no experts', nearMiss: { model: MOE, expertParallelSize: 2 } },
};

const ALL: readonly StartupCheck[] = [...STARTUP_REFUSALS, ...STARTUP_WARNINGS];

describe("vLLM's start-up checks, as a table", () => {
  test('each check has a unique id, a vLLM source and a case of its own', () => {
    const ids = ALL.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of ALL) expect([c.id, c.source]).toEqual([c.id, expect.stringMatching(/^vllm\/\S+/)]);
    expect(ids.slice().sort()).toEqual(Object.keys(CASES).sort());
  });

  test('the base settings pass every check', () => {
    expect(ALL.filter((c) => c.applies(BASE)).map((c) => c.id)).toEqual([]);
  });

  test.each(Object.entries(CASES))('%s fires on its case, with the fix, and not on the near miss', (id, { fires, says, nearMiss }) => {
    const check = ALL.find((c) => c.id === id)!;
    const on = { ...BASE, ...fires };
    expect(check.applies(on)).toBe(true);
    expect(check.message(on)).toContain(says);
    expect(check.applies({ ...BASE, ...nearMiss })).toBe(false);
  });

  test('findings come in the order of the table', () => {
    // 3 ranks: the heads, the quantization groups and the KV heads, in that order
    const found = startupFindings(STARTUP_REFUSALS, { ...BASE, model: AWQ, quantization: AWQ.quantization, tp: 3 });
    expect(found).toEqual([
      expect.stringMatching(/^tensor-parallel-size 3 does not divide/),
      expect.stringMatching(/^the attention output projection \(4096 \/ 3\)/),
      expect.stringMatching(/^the MLP down projection \(14336 \/ 3\)/),
      expect.stringMatching(/^the MLP gate\/up projection/),
      expect.stringMatching(/^tensor-parallel-size 3 and the model's 8 KV heads/),
    ]);
  });

  test('a plan reports the refusals as its reason, and the warnings beside a verdict', () => {
    const refused = evaluatePlan({ model: DENSE, gpu: HOPPER, tensorParallelSize: 3, maxModelLen: 8193 });
    expect(refused.outcome).toBe('refused');
    expect(refused.reason).toMatch(
      /^tensor-parallel-size 3 does not divide .*; max-model-len 8193 exceeds .*; tensor-parallel-size 3 and the model's 8 KV heads/,
    );
    // on a catalog H100 the memory beyond a 99 % budget is less than the CUDA context's and graph capture's
    const tight = evaluatePlan({ model: DENSE, gpu: GpuModel.NVIDIA_H100_80GB, gpuMemoryUtilization: 0.99 });
    expect(tight.outcome).toBe('ok');
    expect(tight.warnings).toEqual([expect.stringMatching(/^only 0\.\d\d GiB stay free beyond the budget and the CUDA context for CUDA-graph capture/)]);
  });
});

/**
 * vllm/config/model.py _get_and_verify_max_len: the length vLLM derives from the model's files and refuses a longer
 * --max-model-len above ("User-specified max_model_len … is greater than the derived max_model_len").
 */
describe('max-model-len against the length vLLM derives (lib/planning/context-length.ts)', () => {
  const profile = (extra: object, files: Parameters<typeof ModelProfile.fromConfig>[1] = {}) => ModelProfile.fromConfig(config(extra), { name: 'm', ...files });
  const refusal = STARTUP_REFUSALS.find((c) => c.id === 'max-model-len-beyond-positions')!;
  const refused = (model: ModelProfile, maxModelLen: number, more: Partial<StartupSettings> = {}) =>
    refusal.applies({ ...BASE, model, maxModelLen, ...more }) ? refusal.message({ ...BASE, model, maxModelLen, ...more }) : undefined;
  const generate = { pooling: false };

  test('the smallest of the length keys, in possible_keys order; a config with none is not judged (vLLM takes the value given)', () => {
    expect(derivedMaxModelLen(profile({ n_positions: 2048 }), generate)).toEqual({ value: 2048, from: 'n_positions 2048' });
    expect(derivedMaxModelLen(profile({ max_position_embeddings: undefined, seq_length: 4096, max_sequence_length: 8192 }), generate)).toEqual({
      value: 4096,
      from: 'seq_length 4096',
    });
    expect(refused(profile({ n_positions: 2048 }), 4096)).toMatch(/^max-model-len 4096 exceeds the model's n_positions 2048 .*lower it to 2048/);
    const none = profile({ max_position_embeddings: undefined });
    expect(derivedMaxModelLen(none, generate)).toBeUndefined();
    expect(refused(none, 100000)).toBeUndefined();
    // a plain config records nothing beyond max_position_embeddings: recorded profiles stay as they were
    expect(profile({}).contextLimits).toBeUndefined();
  });

  test("model_max_length replaces the keys' length, and a max-model-len up to it is never refused", () => {
    const cohere = profile({ max_position_embeddings: 8192, model_max_length: 131072 });
    expect(derivedMaxModelLen(cohere, generate)).toEqual({ value: 131072, from: 'model_max_length 131072', modelMaxLength: 131072 });
    expect(refused(cohere, 131072)).toBeUndefined();
    expect(refused(cohere, 131073)).toMatch(/exceeds the model's model_max_length 131072/);
  });

  test('rope scaling: the factor of yarn (from its original positions), dynamic and linear; none for llama3, longrope and Gemma 3', () => {
    const yarn = profile({ max_position_embeddings: 32768, rope_scaling: { type: 'yarn', factor: 4, original_max_position_embeddings: 32768 } });
    expect(derivedMaxModelLen(yarn, generate)?.value).toBe(131072);
    expect(refused(yarn, 131072)).toBeUndefined();
    expect(refused(yarn, 131073)).toMatch(/original_max_position_embeddings 32768 × yarn rope factor 4 = 131072/);
    // the default is the derived length: vLLM serves 131072 when --max-model-len is not given
    expect(defaultMaxModelLen(yarn, generate)).toBe(131072);
    expect(derivedMaxModelLen(profile({ rope_parameters: { rope_type: 'dynamic', factor: 2, rope_theta: 10000 } }), generate)?.value).toBe(16384);
    expect(derivedMaxModelLen(profile({ rope_scaling: { rope_type: 'llama3', factor: 8 } }), generate)?.value).toBe(8192);
    expect(derivedMaxModelLen(profile({ model_type: 'gemma3_text', rope_scaling: { rope_type: 'linear', factor: 8 } }), generate)?.value).toBe(8192);
    const phi = profile({
      max_position_embeddings: 131072,
      original_max_position_embeddings: 4096,
      rope_scaling: { type: 'su', long_factor: [1], short_factor: [1] },
    });
    expect([derivedMaxModelLen(phi, generate)?.value, defaultMaxModelLen(phi, generate)]).toEqual([131072, 4096]);
    // one set per layer type (transformers v5 rope_parameters): the factor applies all the same
    const perLayer = profile({ rope_parameters: { full_attention: { rope_type: 'linear', factor: 2 }, sliding_attention: { rope_type: 'default' } } });
    expect(derivedMaxModelLen(perLayer, generate)?.value).toBe(16384);
  });

  test("a sentence-transformers config's max_seq_length replaces the length; tokenizer_config.json's model_max_length counts for pooling runners of absolute-position models only", () => {
    const bert = { architectures: ['BertModel'], max_position_embeddings: 512, position_embedding_type: 'absolute' };
    const minilm = profile(bert, { sentenceConfig: { file: 'sentence_bert_config.json', json: { max_seq_length: 256 } } });
    expect(derivedMaxModelLen(minilm, { pooling: true })).toEqual({ value: 256, from: 'sentence_bert_config.json max_seq_length 256' });
    expect(refused(minilm, 512, { pooling: true })).toMatch(
      /^max-model-len 512 exceeds the model's sentence_bert_config.json max_seq_length 256 .*lower it to 256/,
    );
    expect(refused(minilm, 256, { pooling: true })).toBeUndefined();
    const tokenizer = profile(bert, { tokenizerConfig: { model_max_length: 128 } });
    expect(derivedMaxModelLen(tokenizer, { pooling: true })?.value).toBe(128);
    expect(derivedMaxModelLen(tokenizer, { pooling: false })?.value).toBe(512);
    expect(
      derivedMaxModelLen(profile({ ...bert, position_embedding_type: 'rotary' }, { tokenizerConfig: { model_max_length: 128 } }), { pooling: true })?.value,
    ).toBe(512);
    // vLLM's runner by the architecture's name (_SUFFIX_TO_DEFAULTS)
    expect(['BertModel', 'XLMRobertaForSequenceClassification', 'LlamaForCausalLM', 'Qwen2VLForConditionalGeneration'].map(defaultRunnerOf)).toEqual([
      'pooling',
      'pooling',
      'generate',
      'generate',
    ]);
  });

  test('--disable-sliding-window caps the length at the window; VLLM_ALLOW_LONG_MAX_MODEL_LEN lifts the refusal', () => {
    const mistral = profile({ sliding_window: 4096, max_position_embeddings: 32768 });
    expect(refused(mistral, 8192)).toBeUndefined();
    expect(refused(mistral, 8192, { disableSlidingWindow: true })).toMatch(/exceeds the model's sliding_window 4096 \(--disable-sliding-window\)/);
    expect(refused(DENSE, 16384)).toMatch(/max_position_embeddings 8192/);
    expect(refused(DENSE, 16384, { allowLongMaxModelLen: true })).toBeUndefined();
  });
});
