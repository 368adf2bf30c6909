import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GpuModel, ModelProfile, planMemory } from '../../lib';
import { weightsPerGpuBytes } from '../../lib/planning/memory-sizes';
import { quantizationConflict } from '../../lib/planning/vllm-startup-checks';
import { configOf, medianErrorPercent, replayCalibration } from '../../lib/planning/calibration';
import { ROOT, runCliInProcess, tempDir } from '../util';

const GIB = 1024 ** 3;
const models = (n: string) => ModelProfile.fromDirectory(path.join(ROOT, 'models', n));
const bf16 = models('mistral-small-24b-instruct-2501');
const fp8 = models('mistral-small-24b-instruct-2501-fp8-dynamic');
const awq = models('mistral-small-24b-instruct-2501-awq');
const CALIBRATION = path.resolve(ROOT, '..', 'shared', 'calibration');

describe('model profiles from config.json', () => {
  test('parameters of Mistral-Small-24B by hand: embeddings, 40 layers of attention + MLP, norms', () => {
    // q 5120×4096, k and v 5120×1024, o 4096×5120, gate/up/down 3×5120×32768
    const perLayer = 5120 * 4096 + 2 * 5120 * 1024 + 4096 * 5120 + 3 * 5120 * 32768;
    expect(perLayer).toBe(555_745_280);
    const p = bf16.parameterCount;
    expect(p.linear).toBe(40 * perLayer);
    expect(p.embedding).toBe(2 * 131072 * 5120);
    expect(p.embedding + p.linear + p.other).toBe(23_572_403_200);
    expect(bf16.weightBytes).toBe(47_144_806_400);
  });

  test('FP8-dynamic keeps embeddings and lm_head in BF16: 24.92 GB, not 23.6', () => {
    expect(fp8.quantization).toMatchObject({ method: 'compressed-tensors', weightBits: 8 });
    expect(fp8.weightBytes).toBe(22_229_811_200 + 2 * 671_088_640 * 2 + 414_720 * 2);
    expect(fp8.weightBytes / GIB).toBeCloseTo(23.2, 2);
  });

  test('AWQ 4-bit: packed weights, fp16 scales and zeros per group of 128, 16-bit embeddings', () => {
    expect(awq.quantization).toMatchObject({ method: 'awq', weightBits: 4, groupSize: 128, zeroPoint: true });
    expect(awq.weightBytes / GIB).toBeCloseTo(13.26, 1);
  });

  test('KV bytes per token = 2 × layers × ceil(kv heads / TP) × head_dim × dtype bytes; head_dim read from config', () => {
    expect(bf16.headDim).toBe(128); // hidden/heads would say 160
    expect(bf16.kvBytesPerToken(1, 2)).toBe(2 * 40 * 8 * 128 * 2);
    expect(bf16.kvBytesPerToken(4, 2)).toBe(40960);
    expect(bf16.kvBytesPerToken(1, 1)).toBe(81920);
    // more ranks than KV heads: vLLM replicates heads, one per rank
    const fewKv = ModelProfile.fromConfig({ num_hidden_layers: 2, hidden_size: 64, num_attention_heads: 16, num_key_value_heads: 2, vocab_size: 10 });
    expect(fewKv.kvBytesPerToken(8, 2)).toBe(2 * 2 * 1 * 4 * 2);
  });

  test('the checkpoint size wins over the computed one: index metadata, then safetensors files', () => {
    const dir = tempDir('model-');
    fs.copyFileSync(path.join(ROOT, 'models', 'mistral-small-24b-instruct-2501', 'config.json'), path.join(dir, 'config.json'));
    // a sparse file: a 24B model's 16-bit checkpoint without writing its 47 GB
    const bytes = 47_000_000_000;
    const header = Buffer.from(JSON.stringify({ w: { dtype: 'BF16', shape: [bytes / 2], data_offsets: [0, bytes] } }));
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(header.length));
    const shard = path.join(dir, 'model-00001-of-00001.safetensors');
    fs.writeFileSync(shard, Buffer.concat([len, header]));
    fs.truncateSync(shard, 8 + header.length + bytes);
    expect(ModelProfile.fromDirectory(dir)).toMatchObject({ checkpointBytes: bytes, weightSource: 'safetensors' });
    fs.writeFileSync(path.join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: 48_000_000_000 }, weight_map: {} }));
    expect(ModelProfile.fromDirectory(dir)).toMatchObject({ checkpointBytes: 48_000_000_000, weightSource: 'index' });
    expect(() => ModelProfile.fromDirectory(os.tmpdir())).toThrow(/has no config.json/);
  });

  (fs.existsSync(CALIBRATION) || process.env.CI ? test : test.skip)("parameter counts equal the calibration data's for every architecture in it", () => {
    const archs = JSON.parse(fs.readFileSync(path.join(CALIBRATION, 'model-architectures.json'), 'utf8')).models;
    for (const a of archs) {
      const p = ModelProfile.fromConfig(configOf(a)).parameterCount;
      // the data counts norms and biases, ignores Qwen3's q/k norms (256 per layer)
      expect({ model: a.model, params: p.embedding + p.linear + p.other }).toEqual({ model: a.model, params: a.total_params_computed });
    }
  });

  test('DeepSeek-V3 (MLA, 256 experts, 3 dense layers): 671 B parameters and a 576-element latent per layer in the KV cache', () => {
    const ds = ModelProfile.fromConfig({
      hidden_size: 7168,
      num_hidden_layers: 61,
      num_attention_heads: 128,
      num_key_value_heads: 128,
      q_lora_rank: 1536,
      kv_lora_rank: 512,
      qk_nope_head_dim: 128,
      qk_rope_head_dim: 64,
      v_head_dim: 128,
      intermediate_size: 18432,
      moe_intermediate_size: 2048,
      n_routed_experts: 256,
      n_shared_experts: 1,
      num_experts_per_tok: 8,
      first_k_dense_replace: 3,
      vocab_size: 129280,
      max_position_embeddings: 163840,
      quantization_config: { quant_method: 'fp8', weight_block_size: [128, 128] },
    });
    const p = ds.parameterCount;
    expect((p.embedding + p.linear + p.other) / 1e9).toBeCloseTo(671.0, 0);
    expect(ds.kvBytesPerToken(8, 2)).toBe(61 * 576 * 2);
    expect(planMemory({ model: ds, gpu: GpuModel.NVIDIA_H100_80GB, maxModelLen: 16000 }).outcome).toBe('oom_weights');
  });

  test('sliding-window layers keep only their window: a hybrid model (gpt-oss-120b shape) holds far more sequences', () => {
    const layerTypes = Array.from({ length: 36 }, (_, i) => (i % 2 ? 'full_attention' : 'sliding_attention'));
    const config = {
      num_hidden_layers: 36,
      hidden_size: 2880,
      num_attention_heads: 64,
      num_key_value_heads: 8,
      head_dim: 64,
      vocab_size: 201088,
      intermediate_size: 2880,
      num_local_experts: 128,
      experts_per_token: 4,
      sliding_window: 128,
      layer_types: layerTypes,
      max_position_embeddings: 131072,
      quantization_config: { quant_method: 'mxfp4' },
    };
    const hybrid = ModelProfile.fromConfig(config, { index: { metadata: { total_size: 65_000_000_000 } } });
    expect(hybrid).toMatchObject({ slidingWindow: 128, slidingLayers: 18 });
    const p = planMemory({ model: hybrid, gpu: GpuModel.NVIDIA_A100_80GB, tensorParallelSize: 4, maxModelLen: 16384, gpuMemoryUtilization: 0.8 });
    // per rank: 2 KV heads × 64 × 2 (K, V) × 2 bytes = 512 B per layer and token; 36 layers
    expect(p.kvBytesPerToken).toBe(36 * 512);
    // one request: 18 full layers × 16384 tokens + 18 sliding layers × (⌈(128 − 1 + 2048) / 16⌉ + 1) × 16 tokens
    const perRequest = (18 * 16384 + 18 * (Math.ceil((127 + 2048) / 16) + 1) * 16) * 512;
    expect(p.maxConcurrency).toBeCloseTo((p.kvCacheTokens * 36 * 512) / perRequest, 2);
    const dense = ModelProfile.fromConfig({ ...config, sliding_window: null, layer_types: undefined }, { index: { metadata: { total_size: 65_000_000_000 } } });
    expect(p.maxConcurrency).toBeGreaterThan(
      1.7 * planMemory({ model: dense, gpu: GpuModel.NVIDIA_A100_80GB, tensorParallelSize: 4, maxModelLen: 16384, gpuMemoryUtilization: 0.8 }).maxConcurrency,
    );
    // a window that is switched off does not count
    expect(ModelProfile.fromConfig({ ...config, use_sliding_window: false }).slidingWindow).toBeUndefined();
  });

  test('weights per GPU: divided over the ranks plus the replicated rotary cache and norms', () => {
    const replicated = 32768 * 128 * 2 + 40 * 2 * 5120 * 2;
    expect(weightsPerGpuBytes(bf16, 4, undefined, 'auto')).toBe(47_144_806_400 / 4 + replicated);
  });
});

describe('the memory plan', () => {
  test("budget, KV memory, block rounding and concurrency follow vLLM's accounting", () => {
    const p = planMemory({ model: bf16, gpu: GpuModel.NVIDIA_L4, tensorParallelSize: 4, maxModelLen: 32768, gpuMemoryUtilization: 0.9 });
    const budget = 0.9 * 22.04 * GIB;
    const weights = weightsPerGpuBytes(bf16, 4, undefined, 'auto');
    const activation = 256 * 131072 * 39; // 256 dummy requests (L4 default) × vocabulary × 39 B
    const kv = budget - weights - activation - 0.55 * GIB;
    const blocks = Math.floor(kv / (40960 * 16));
    expect(p.kvCacheBlocks).toBe(blocks);
    expect(p.kvCacheTokens).toBe(blocks * 16);
    expect(p.maxConcurrency).toBeCloseTo(blocks / (32768 / 16), 2);
    expect(p.budgetGiB).toBeCloseTo(19.84, 2);
    expect(p.activationGiB).toBeCloseTo(activation / GIB, 2);
  });

  test("vLLM's batch defaults depend on the GPU: 8192/1024 on H100, 2048/256 on L4 and A100", () => {
    expect(planMemory({ model: bf16, gpu: GpuModel.NVIDIA_H100_80GB })).toMatchObject({ maxNumBatchedTokens: 8192, maxNumSeqs: 1024 });
    expect(planMemory({ model: bf16, gpu: GpuModel.NVIDIA_A100_80GB })).toMatchObject({ maxNumBatchedTokens: 2048, maxNumSeqs: 256 });
  });

  test('step-05: the FP8 checkpoint on one L4 does not start (weights 23.2 GiB > 22.04 GiB), and the plan says what would', () => {
    const p = planMemory({ model: fp8, gpu: GpuModel.NVIDIA_L4, maxModelLen: 8192, gpuMemoryUtilization: 0.85, kvCacheDtype: 'fp8' });
    expect(p.outcome).toBe('oom_weights');
    expect(p.reason).toMatch(/23.21 GiB per GPU but one L4 has 22.04 GiB/);
    expect(p.suggestions.join('\n')).toMatch(/tensor-parallel-size 2/);
    expect(p.suggestions.join('\n')).toMatch(/4-bit checkpoint/);
    expect(p.suggestions.join('\n')).toMatch(/g6e.xlarge: 1 × L40S/);
  });

  test("a failing plan's catalog answer is found once per target: the same again, another model its own", () => {
    const input = { gpu: GpuModel.NVIDIA_L4, maxModelLen: 8192, gpuMemoryUtilization: 0.85 };
    const first = planMemory({ ...input, model: fp8 });
    const again = planMemory({ ...input, model: fp8 });
    expect(again).toEqual(first);
    // a returned plan is the caller's: changing it changes no later plan
    (first.alternatives as unknown[]).length = 0;
    first.suggestions.length = 0;
    expect(planMemory({ ...input, model: fp8 })).toEqual(again);
    // the BF16 checkpoint (47 GB) needs other shapes than the FP8 one (25 GB): the cheapest of each differ
    const bf16Plan = planMemory({ ...input, model: bf16 });
    expect(again.alternatives?.[0]).toMatchObject({ instanceType: 'g6e.xlarge', gpu: 'L40S', tensorParallelSize: 1 });
    expect(bf16Plan.alternatives?.length).toBeGreaterThan(0);
    expect(bf16Plan.alternatives?.[0]?.instanceType).not.toBe('g6e.xlarge');
    expect(bf16Plan.alternatives).not.toEqual(again.alternatives);
  });

  test('step-05: BF16 with tensor parallelism 4 on 4 × L4 at 32768 tokens and utilization 0.9 fits', () => {
    const p = planMemory({ model: bf16, gpu: GpuModel.NVIDIA_L4, tensorParallelSize: 4, maxModelLen: 32768, gpuMemoryUtilization: 0.9 });
    expect(p.outcome).toBe('ok');
    expect(p.kvCacheTokens).toBeGreaterThan(32768);
  });

  test('the 4-bit AWQ checkpoint fits one L4', () => {
    expect(planMemory({ model: awq, gpu: GpuModel.NVIDIA_L4, maxModelLen: 8192 }).outcome).toBe('ok');
  });

  test('an encoder keeps no KV cache (vLLM sizes none for encoder-only attention): it starts when its weights load, whatever the utilization', () => {
    const minilm = ModelProfile.bundled('all-minilm-l6-v2');
    expect(minilm.kvBytesPerToken(1, 2)).toBe(0);
    const p = planMemory({ model: minilm, gpu: GpuModel.NVIDIA_L4 });
    expect(p).toMatchObject({ outcome: 'ok', maxModelLen: 256, kvBytesPerToken: 0, kvCacheTokens: 0, kvCacheGiBPerGpu: 0, maxConcurrency: 256 });
    expect(p.reason).toMatch(/^an encoder keeps no KV cache/);
    // float32 config, pooling runner: served in 16 bits (vLLM's _resolve_auto_dtype prefers float16), 22.7 M parameters
    expect(p.weightsGiBPerGpu).toBeCloseTo((22713216 * 2) / GIB, 2);
    // no budget left for a cache does not stop an encoder: vLLM does not profile one
    expect(planMemory({ model: minilm, gpu: GpuModel.NVIDIA_L4, gpuMemoryUtilization: 0.01 }).outcome).toBe('ok');
    // a length beyond the sentence-transformers one is still refused
    const long = planMemory({ model: minilm, gpu: GpuModel.NVIDIA_L4, maxModelLen: 512 });
    expect(long.outcome).toBe('refused');
    expect(long.reason).toMatch(/sentence_bert_config.json max_seq_length 256/);
    // a float32 encoder on a T4 runs in float16 with --dtype auto: no bfloat16 warning
    expect(planMemory({ model: ModelProfile.bundled('bge-m3'), gpu: GpuModel.NVIDIA_T4 }).warnings).toEqual([]);
  });

  test('plan --model of an encoder folder says there is no KV cache', async () => {
    const { code, out } = await runCliInProcess('plan', '--model', path.join(ROOT, 'models', 'bge-m3'), '--gpu', 'L4');
    expect(code).toBe(0);
    expect(out).toMatch(/KV cache per GPU +none: encoder-only attention keeps no KV cache/);
    expect(out).toMatch(/OK: fits\. an encoder keeps no KV cache/);
  });

  test('no_kv_memory and kv_too_small, with the largest model length that fits', () => {
    expect(planMemory({ model: bf16, gpu: GpuModel.NVIDIA_A100_80GB, gpuMemoryUtilization: 0.5 }).outcome).toBe('no_kv_memory');
    const p = planMemory({ model: bf16, gpu: GpuModel.NVIDIA_L40S, tensorParallelSize: 2, maxModelLen: 32768, gpuMemoryUtilization: 0.58 });
    expect(p.outcome).toBe('kv_too_small');
    expect(p.maxFittingModelLen).toBeLessThan(32768);
    expect(p.maxFittingModelLen).toBe(p.kvCacheTokens);
    expect(p.suggestions).toContain(`max-model-len ${p.maxFittingModelLen} or less`);
  });

  test('--quantization=fp8 on a BF16 checkpoint quantizes on load; on a pre-quantized one it contradicts the checkpoint', () => {
    const online = planMemory({ model: bf16, gpu: GpuModel.NVIDIA_L40S, quantization: 'fp8', maxModelLen: 8192 });
    expect(online.weightsGiBPerGpu).toBeCloseTo(23.2, 0);
    expect(quantizationConflict(fp8.quantization, 'fp8')).toMatch(/already quantized .*remove --quantization/);
    expect(quantizationConflict(awq.quantization, 'awq_marlin')).toBeUndefined();
    expect(quantizationConflict(undefined, 'fp8')).toBeUndefined();
  });

  test('a tensor-parallel size that does not divide the attention heads is refused, as vLLM refuses it', () => {
    const p = planMemory({ model: bf16, gpu: GpuModel.NVIDIA_L4, tensorParallelSize: 3 });
    expect(p.outcome).toBe('refused');
    expect(p.reason).toMatch(/does not divide the model's 32 attention heads/);
  });

  test("vLLM's start-up refusals are outcomes: max-num-batched-tokens below max-num-seqs, max-model-len beyond the positions, a method the checkpoint lacks", () => {
    const below = planMemory({ model: bf16, gpu: GpuModel.NVIDIA_L40S, tensorParallelSize: 2, maxModelLen: 8192, maxNumBatchedTokens: 16, maxNumSeqs: 4096 });
    expect([below.outcome, below.reason]).toEqual(['refused', expect.stringMatching(/max-num-batched-tokens 16 is below max-num-seqs 4096/)]);
    const long = planMemory({ model: bf16, gpu: GpuModel.NVIDIA_H100_80GB, maxModelLen: 65536 });
    expect([long.outcome, long.reason]).toEqual(['refused', expect.stringMatching(/max-model-len 65536 exceeds the model's max_position_embeddings 32768/)]);
    const awq = planMemory({ model: bf16, gpu: GpuModel.NVIDIA_H100_80GB, maxModelLen: 8192, quantization: 'awq' });
    expect(awq.outcome).toBe('refused');
  });

  test('unknown values are errors, never planned as something else', () => {
    expect(() => planMemory({ model: bf16, gpu: GpuModel.NVIDIA_L4, kvCacheDtype: 'int4' })).toThrow(/kv-cache-dtype 'int4' is not one vLLM accepts/);
    expect(() => planMemory({ model: bf16, gpu: GpuModel.NVIDIA_L4, quantization: 'banana' })).toThrow(/quantization 'banana' is not a method vLLM knows/);
    expect(() => planMemory({ model: bf16, gpu: GpuModel.NVIDIA_L4, dtype: 'int8' })).toThrow(/dtype 'int8' is not one of auto/);
  });

  test('GPU names as users and nvidia-smi write them', () => {
    expect(GpuModel.find('NVIDIA H100 80GB HBM3')).toBe(GpuModel.NVIDIA_H100_80GB);
    expect(GpuModel.find('h100')).toBe(GpuModel.NVIDIA_H100_80GB);
    expect(GpuModel.find('nvidia-l4')).toBe(GpuModel.NVIDIA_L4);
    expect(GpuModel.find('A100-SXM4-80GB')).toBe(GpuModel.NVIDIA_A100_80GB);
    expect(GpuModel.tryFind('A100')).toBeUndefined();
    expect(() => GpuModel.find('B200')).toThrow(/unknown GPU 'B200'.*--gpu-memory-gib/);
  });

  test('a custom GPU of more than 1 TiB is a unit slip, refused rather than planned on', () => {
    expect(() => GpuModel.custom({ cudaVisibleGiB: 81920 })).toThrow(/cudaVisibleGiB must be a number of GiB above 0 and at most 1024 .*got 81920/);
    expect(() => GpuModel.custom({ cudaVisibleGiB: NaN })).toThrow(/got NaN/);
    // near miss: a 288 GB accelerator (268 GiB visible) is planned on
    expect(GpuModel.custom({ cudaVisibleGiB: 268 }).cudaVisibleGiB).toBe(268);
  });
});

describe('calibration against real vLLM runs', () => {
  const run = fs.existsSync(CALIBRATION) || process.env.CI ? test : test.skip;
  run('every verdict right; weights per GPU within 3 % and KV tokens within 10 % (median)', () => {
    const rows = replayCalibration(path.join(CALIBRATION, 'observations.json'), path.join(CALIBRATION, 'model-architectures.json'));
    const replayed = rows.filter((r) => !r.skipped);
    expect(replayed.length).toBeGreaterThanOrEqual(10);
    for (const r of replayed)
      expect({ model: r.model, tp: r.tp, outcome: r.predictedOutcome }).toEqual({ model: r.model, tp: r.tp, outcome: r.observedOutcome });
    const weights = medianErrorPercent(replayed.filter((r) => r.observedWeightsGiB).map((r) => [r.observedWeightsGiB!, r.predictedWeightsGiB!]));
    const kv = medianErrorPercent(replayed.filter((r) => r.observedKvTokens).map((r) => [r.observedKvTokens!, r.predictedKvTokens!]));
    expect(weights).toBeLessThan(3);
    expect(kv).toBeLessThan(10);
  });
});

describe('cdk8s-vllm plan', () => {
  // in this process: the command's exit code and output, not a child process, are what these judge
  const cli = (...args: string[]) => runCliInProcess('plan', ...args);

  test('the step-05 FP8 variant: JSON says it does not fit and why, exit 1', async () => {
    const r = await cli(
      '--model',
      path.join(ROOT, 'models', 'mistral-small-24b-instruct-2501-fp8-dynamic'),
      '--gpu',
      'L4',
      '--max-model-len',
      '8192',
      '--gpu-memory-utilization',
      '0.85',
      '--json',
    );
    expect(r.code).toBe(1);
    const p = JSON.parse(r.out);
    expect(p).toMatchObject({ outcome: 'oom_weights', gpuTotalGiB: 22.04 });
    for (const k of ['weightsGiBPerGpu', 'kvCacheGiBPerGpu', 'kvCacheTokens', 'maxConcurrency', 'activationGiB', 'nonTorchGiB'])
      expect(typeof p[k]).toBe('number');
  });

  test('the step-05 BF16 TP4 variant: ok with its KV-token figure, exit 0; the table form reads', async () => {
    const args = [
      '--model',
      path.join(ROOT, 'models', 'mistral-small-24b-instruct-2501'),
      '--gpu',
      'L4',
      '--tensor-parallel-size',
      '4',
      '--max-model-len',
      '32768',
      '--gpu-memory-utilization',
      '0.9',
    ];
    const r = await cli(...args, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ outcome: 'ok', kvCacheTokens: expect.any(Number) });
    expect((await cli(...args)).out).toMatch(/OK: fits\. \d+ KV tokens per GPU/);
  });

  test('any GPU by memory; usage errors exit 2', async () => {
    const r = await cli(
      '--model',
      path.join(ROOT, 'models', 'mistral-small-24b-instruct-2501-awq'),
      '--gpu-memory-gib',
      '30',
      '--max-model-len',
      '4096',
      '--json',
    );
    expect(JSON.parse(r.out)).toMatchObject({ outcome: 'ok', gpuTotalGiB: 30 });
    expect((await cli('--model', 'x')).code).toBe(2);
    expect((await cli('--model', 'x', '--gpu', 'L4', '--max-model-len', 'lots')).out).toMatch(/--max-model-len must be a whole number/);
  });
});
