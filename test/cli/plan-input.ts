import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { GpuModel, ModelProfile, planMemory } from '../../lib';
import { MAX_MODEL_JSON_BYTES } from '../../lib/planning/model-files';
import { ROOT, cliInProcess, tempDir } from '../util';
import { PROMPTLY_MS } from '../setup/promptly';

/** The planner never gives a verdict on a number that is not one: bad inputs are errors that name the field. */
const CONFIG = JSON.parse(fs.readFileSync(path.join(ROOT, 'models', 'mistral-small-24b-instruct-2501', 'config.json'), 'utf8'));

const plan = (args: string[]) => cliInProcess(['plan', ...args]);

function modelDir(change: (c: Record<string, unknown>) => void, files: Record<string, Buffer | string> = {}): string {
  const dir = tempDir('model-');
  const c = structuredClone(CONFIG);
  change(c);
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(c));
  for (const [f, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), content);
  return dir;
}

/** A tiny decoder: 2 layers of width 64 (4 heads of 16, 2 KV heads), MLP 128, 256 tokens, untied: 106,816 parameters. */
function tiny(c: Record<string, unknown>): void {
  Object.assign(c, {
    hidden_size: 64,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    head_dim: 16,
    intermediate_size: 128,
    vocab_size: 256,
  });
}
// embeddings 2 × 256 × 64, per layer attention 3 × 64 × 64 + MLP 3 × 64 × 128, norms 2 × 2 × 64 + 64 (counted by hand)
const TINY_PARAMS = 2 * 256 * 64 + 2 * (3 * 64 * 64 + 3 * 64 * 128) + 2 * 2 * 64 + 64;

describe('model profiles refuse impossible configs, naming the field', () => {
  const cases: [string, (c: Record<string, unknown>) => void, RegExp][] = [
    [
      'negative experts',
      (c) => {
        c.num_local_experts = -8;
      },
      /num_local_experts \(moe.numExperts\) must be a whole number from 1/,
    ],
    [
      'negative latent rank',
      (c) => {
        c.kv_lora_rank = -512;
      },
      /kv_lora_rank \(mla.kvLoraRank\) must be a whole number from 1/,
    ],
    [
      'absurd layer count',
      (c) => {
        c.num_hidden_layers = 1e308;
      },
      /num_hidden_layers \(numLayers\) must be a whole number from 1 to 10000000/,
    ],
    [
      'a string number',
      (c) => {
        c.num_key_value_heads = '8';
      },
      /'num_key_value_heads' must be a number, got "8"/,
    ],
    [
      'negative bits',
      (c) => {
        c.quantization_config = { quant_method: 'awq', bits: -4 };
      },
      /quantization_config.bits must be a whole number of bits from 1 to 16, got -4/,
    ],
    [
      'zero bits',
      (c) => {
        c.quantization_config = { quant_method: 'gptq', bits: 0 };
      },
      /bits from 1 to 16, got 0/,
    ],
    [
      'unknown method',
      (c) => {
        c.quantization_config = { quant_method: 'banana' };
      },
      /quant_method 'banana' is not one the planner knows/,
    ],
    [
      'more KV heads than heads',
      (c) => {
        c.num_key_value_heads = 64;
      },
      /num_key_value_heads \(numKeyValueHeads\) must be a whole number from 1 to 32/,
    ],
  ];
  test.each(cases)('%s', (_name, change, message) => {
    expect(() => ModelProfile.fromDirectory(modelDir(change))).toThrow(message);
  });

  test('safetensors files are read from their header, and a truncated or empty one is an error', () => {
    // a checkpoint of plausible size for its config: the tiny model's 106,816 parameters at 16 bits
    const bytes = TINY_PARAMS * 2;
    const header = Buffer.from(JSON.stringify({ w: { dtype: 'BF16', shape: [TINY_PARAMS], data_offsets: [0, bytes] } }));
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(header.length));
    const good = Buffer.concat([len, header, Buffer.alloc(bytes)]);
    expect(ModelProfile.fromDirectory(modelDir(tiny, { 'model.safetensors': good })).checkpointBytes).toBe(bytes);
    expect(() => ModelProfile.fromDirectory(modelDir(tiny, { 'model.safetensors': '' }))).toThrow(
      /model.safetensors is not a valid safetensors file: it has 0 bytes/,
    );
    expect(() => ModelProfile.fromDirectory(modelDir(tiny, { 'model.safetensors': 'ab' }))).toThrow(/it has 2 bytes/);
    expect(() => ModelProfile.fromDirectory(modelDir(tiny, { 'model.safetensors': good.subarray(0, 20) }))).toThrow(
      /header length \d+ does not fit the file size 20/,
    );
    expect(() => ModelProfile.fromDirectory(modelDir(tiny, { 'model.safetensors': Buffer.concat([len, header, Buffer.alloc(3)]) }))).toThrow(
      new RegExp(`need ${bytes} bytes but the file holds 3`),
    );
  });

  test('an index whose total_size is not a positive number is an error', () => {
    expect(() =>
      ModelProfile.fromDirectory(modelDir(() => undefined, { 'model.safetensors.index.json': JSON.stringify({ metadata: { total_size: 'big' } }) })),
    ).toThrow(/total_size must be a positive whole number of bytes, got "big"/);
  });
});

describe('plan reads only regular files, never hangs, and never plans a model vLLM cannot load', () => {
  /** A model folder of the tiny config with `name` replaced by a special file. */
  function withSpecial(name: string, make: (p: string) => void): string {
    const dir = modelDir(tiny);
    fs.rmSync(path.join(dir, name), { force: true });
    make(path.join(dir, name));
    return dir;
  }
  const fifo = (p: string) => execFileSync('mkfifo', [p]);
  const folder = (p: string) => fs.mkdirSync(p);
  const devZero = (p: string) => fs.symlinkSync('/dev/zero', p);

  test.each([
    ['config.json', 'a FIFO', fifo, /config.json is a named pipe \(FIFO\), not a regular file/],
    ['config.json', '/dev/zero', devZero, /config.json is a device, not a regular file/],
    ['config.json', 'a folder', folder, /config.json is a folder, not a regular file/],
    ['model.safetensors.index.json', 'a FIFO', fifo, /model.safetensors.index.json is a named pipe \(FIFO\)/],
    ['model.safetensors.index.json', '/dev/zero', devZero, /model.safetensors.index.json is a device/],
    ['model.safetensors', 'a FIFO', fifo, /model.safetensors is a named pipe \(FIFO\)/],
    ['model.safetensors', '/dev/zero', devZero, /model.safetensors is a device/],
    ['model.safetensors', 'a folder', folder, /model.safetensors is a folder, not a regular file/],
  ])('%s as %s is an input error naming the file, at once', async (name, _what, make, message) => {
    const dir = withSpecial(name, make);
    const started = Date.now();
    const r = await plan(['--model', dir, '--gpu', 'L4']);
    expect(Date.now() - started).toBeLessThan(PROMPTLY_MS);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/EISDIR|TypeError/);
  });

  test('a JSON file above the cap is refused by its size, not read', () => {
    const dir = modelDir(tiny);
    fs.truncateSync(path.join(dir, 'config.json'), MAX_MODEL_JSON_BYTES + 1); // sparse: nothing is written
    expect(() => ModelProfile.fromDirectory(dir)).toThrow(new RegExp(`config.json has ${MAX_MODEL_JSON_BYTES + 1} bytes, more than the 64 MiB`));
  });

  test.each([
    [
      '7 KV heads for 32 attention heads',
      (c: Record<string, unknown>) => (c.num_key_value_heads = 7),
      /num_key_value_heads \(numKeyValueHeads\) must be a divisor of num_attention_heads \(32\), got 7/,
    ],
    [
      'AWQ with 3 bits',
      (c: Record<string, unknown>) => (c.quantization_config = { quant_method: 'awq', bits: 3, group_size: 128 }),
      /bits \(weightBits\) of awq must be one of 4, 8.*got 3/,
    ],
    [
      'AWQ with 16 bits',
      (c: Record<string, unknown>) => (c.quantization_config = { quant_method: 'awq', bits: 16, group_size: 128 }),
      /of awq must be one of 4, 8.*got 16/,
    ],
    [
      'GPTQ with 5 bits',
      (c: Record<string, unknown>) => (c.quantization_config = { quant_method: 'gptq', bits: 5, group_size: 128 }),
      /of gptq must be one of 2, 3, 4, 8.*got 5/,
    ],
    [
      'W4A16 with 6 bits',
      (c: Record<string, unknown>) =>
        (c.quantization_config = { quant_method: 'compressed-tensors', config_groups: { g: { weights: { num_bits: 6, type: 'int' } } } }),
      /of compressed-tensors must be one of 4, 8.*got 6/,
    ],
    ['sliding_window: true', (c: Record<string, unknown>) => (c.sliding_window = true), /'sliding_window' must be a whole number of tokens or null, got true/],
    ['sliding_window: 4.5', (c: Record<string, unknown>) => (c.sliding_window = 4.5), /'sliding_window' must be a whole number of tokens or null, got 4.5/],
    [
      'use_sliding_window: "yes"',
      (c: Record<string, unknown>) => ((c.sliding_window = 4096), (c.use_sliding_window = 'yes')),
      /'use_sliding_window' must be true or false, got "yes"/,
    ],
    ['a fractional layer count', (c: Record<string, unknown>) => (c.num_hidden_layers = 40.5), /num_hidden_layers \(numLayers\) must be a whole number/],
    [
      'a 1 MB string field, shown cut',
      (c: Record<string, unknown>) => (c.vocab_size = 'x'.repeat(1_000_000)),
      /'vocab_size' must be a number, got "x{70,80}\.\.\.\s*$/,
    ],
  ])('%s is an input error, never an ok verdict', async (_name, change, message) => {
    const r = await plan(['--model', modelDir(change), '--gpu', 'H100']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.length).toBeLessThan(1000);
  });

  test('known widths still plan: GPTQ 3-bit and 8-bit, AWQ 4-bit', () => {
    for (const [method, bits] of [
      ['gptq', 3],
      ['gptq', 8],
      ['awq', 4],
    ] as const) {
      const p = ModelProfile.fromDirectory(modelDir((c) => (c.quantization_config = { quant_method: method, bits, group_size: 128 })));
      expect(p.quantization).toMatchObject({ method, weightBits: bits });
    }
  });

  test('a checkpoint far too small or too large for the parameter count is an error naming both numbers', () => {
    const index = (total: number) => ({
      'model.safetensors.index.json': JSON.stringify({ metadata: { total_size: total }, weight_map: { w: 'model-00001-of-00001.safetensors' } }),
    });
    // Mistral-Small-24B: 23.57 billion parameters; 2 bits each halved is 2.9 GB, 32 bits each doubled is 188.6 GB
    expect(() => ModelProfile.fromDirectory(modelDir(() => undefined, index(4)))).toThrow(
      /the checkpoint holds 4 bytes \(from the index's metadata.total_size\) but the config describes 23.6 billion parameters, which take 2.9 billion to 188.6 billion bytes/,
    );
    expect(() => ModelProfile.fromDirectory(modelDir(() => undefined, index(400e9)))).toThrow(/holds 400000000000 bytes .* 23.6 billion parameters/);
    // the bounds themselves plan: a 3 GB (2-bit) and a 94 GB (float32) checkpoint
    expect(ModelProfile.fromDirectory(modelDir(() => undefined, index(3e9))).checkpointBytes).toBe(3e9);
    expect(ModelProfile.fromDirectory(modelDir(() => undefined, index(94e9))).checkpointBytes).toBe(94e9);
  });

  test.each([
    ['null', 'null', /model.safetensors.index.json must be a JSON object, got null/],
    ['a list', '[1,2]', /must be a JSON object, got \[1,2\]/],
    ['metadata a string', '{"metadata":"x"}', /metadata must be an object, got "x"/],
    ['weight_map a list', '{"weight_map":[]}', /weight_map must be an object of tensor name → file name, got \[\]/],
    ['a weight_map entry a number', '{"weight_map":{"w":7}}', /weight_map entry 'w' must name a file, got 7/],
    ['a negative total', '{"metadata":{"total_size":-5}}', /total_size must be a positive whole number of bytes, got -5/],
    ['a fractional total', '{"metadata":{"total_size":2.5}}', /total_size must be a positive whole number of bytes, got 2.5/],
  ])('an index that is %s is a clear input error', async (_name, text, message) => {
    const r = await plan(['--model', modelDir(() => undefined, { 'model.safetensors.index.json': text }), '--gpu', 'H100']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/TypeError|object Object/);
  });
});

describe('cdk8s-vllm plan: exit codes 0 fits, 1 does not, 2 usage or input error', () => {
  const dir = path.join(ROOT, 'models', 'mistral-small-24b-instruct-2501');

  test.each([
    [['--kv-cache-dtype', 'int4'], /kv-cache-dtype 'int4' is not one vLLM accepts/],
    [['--quantization', 'banana'], /quantization 'banana' is not a method vLLM knows/],
    [['--tensor-parallel-size', '0x4'], /--tensor-parallel-size must be a whole number/],
    [['--max-model-len', ''], /--max-model-len must be a whole number/],
    [['--gpu-memory-utilization', 'Infinity'], /--gpu-memory-utilization must be a number/],
    [['extra'], /unexpected argument 'extra'/],
  ])('%j is refused with exit 2', async (args, message) => {
    const r = await plan(['--model', dir, '--gpu', 'L4', ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  test('a model folder with a broken config is an input error naming the field', async () => {
    const r = await plan([
      '--model',
      modelDir((c) => {
        c.num_hidden_layers = -1;
      }),
      '--gpu',
      'L4',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/num_hidden_layers \(numLayers\) must be a whole number/);
  });

  test('a refused configuration exits 1 and says why; no ok with a negative KV cache', async () => {
    const r = await plan([
      '--model',
      dir,
      '--gpu',
      'L40S',
      '--tensor-parallel-size',
      '2',
      '--max-num-batched-tokens',
      '16',
      '--max-num-seqs',
      '4096',
      '--json',
    ]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ outcome: 'refused', refusals: [expect.stringMatching(/below max-num-seqs/)] });
    const huge = await plan(['--model', path.join(ROOT, 'models', 'llama-3.1-70b-instruct'), '--gpu', 'L4']);
    expect(huge.code).toBe(1);
    expect(huge.out).toMatch(/KV cache per GPU\s+none: weights, activations and non-torch memory exceed the budget by/);
  });

  test('planMemory never returns ok with a non-positive figure', () => {
    const m = ModelProfile.bundled('llama-3.1-8b-instruct');
    for (const gpu of GpuModel.all()) {
      for (const tp of [1, 2, 4, 8]) {
        const p = planMemory({ model: m, gpu, tensorParallelSize: tp, maxModelLen: 8192 });
        if (p.outcome === 'ok') expect([p.weightsGiBPerGpu > 0, p.kvCacheGiBPerGpu > 0, p.kvCacheTokens > 0]).toEqual([true, true, true]);
        for (const v of Object.values(p)) if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
      }
    }
  });
});
