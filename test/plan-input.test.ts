import * as fs from 'fs';
import * as path from 'path';
import { GpuModel, ModelProfile, planMemory } from '../lib';
import { ROOT, cliInProcess, tempDir } from './util';

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
    const header = Buffer.from(JSON.stringify({ w: { dtype: 'BF16', shape: [4], data_offsets: [0, 8] } }));
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(header.length));
    const good = Buffer.concat([len, header, Buffer.alloc(8)]);
    expect(ModelProfile.fromDirectory(modelDir(() => undefined, { 'model.safetensors': good })).checkpointBytes).toBe(8);
    expect(() => ModelProfile.fromDirectory(modelDir(() => undefined, { 'model.safetensors': '' }))).toThrow(
      /model.safetensors is not a valid safetensors file: it has 0 bytes/,
    );
    expect(() => ModelProfile.fromDirectory(modelDir(() => undefined, { 'model.safetensors': 'ab' }))).toThrow(/it has 2 bytes/);
    expect(() => ModelProfile.fromDirectory(modelDir(() => undefined, { 'model.safetensors': good.subarray(0, 20) }))).toThrow(
      /header length \d+ does not fit the file size 20/,
    );
    expect(() => ModelProfile.fromDirectory(modelDir(() => undefined, { 'model.safetensors': Buffer.concat([len, header, Buffer.alloc(3)]) }))).toThrow(
      /need 8 bytes but the file holds 3/,
    );
  });

  test('an index whose total_size is not a positive number is an error', () => {
    expect(() =>
      ModelProfile.fromDirectory(modelDir(() => undefined, { 'model.safetensors.index.json': JSON.stringify({ metadata: { total_size: 'big' } }) })),
    ).toThrow(/total_size must be a positive number of bytes/);
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
    [['extra'], /Unexpected argument 'extra'/],
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
