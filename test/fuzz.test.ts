import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { GpuModel, ModelProfile, ModelSource, planMemory, VllmInferenceService, VllmInferenceServiceProps } from '../lib';
import { buildStep05, loadConfig } from '../main';
import { mutator, VALUES } from './setup/mutation';
import { prng } from './setup/prng';
import { CONFIG, fixture, ROOT, synthApp, tempDir, testApp } from './util';
import { PROMPTLY_MS } from './setup/promptly';

/**
 * Mutation fuzzing of what users write, with a fixed seed: model configs, the app's configuration, model folders and
 * construct props. Every run must end with a plan, a render, or an error that names the input and the field — no
 * exception, no verdict on a number that is not one. (The reader and the checks are fuzzed in fuzz-check.test.ts.)
 */

const { random, pick, mutate } = mutator(20261127);

describe('fuzzing model configs', () => {
  test('300 mutations of a model config: an error naming the field, or a plan with finite figures and no false ok', () => {
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'models', 'qwen2.5-72b-instruct-awq', 'config.json'), 'utf8'));
    const moe = { ...config, num_local_experts: 8, num_experts_per_tok: 2, kv_lora_rank: 512 };
    let planned = 0;
    for (let i = 0; i < 300; i++) {
      const c = mutate(random() < 0.5 ? config : moe);
      let profile: ModelProfile;
      try {
        profile = ModelProfile.fromConfig(c, { name: 'fuzzed' });
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        expect((e as Error).message).toMatch(/config\.json|model fuzzed|quantization/);
        continue;
      }
      let plan;
      try {
        plan = planMemory({ model: profile, gpu: pick(GpuModel.all()), tensorParallelSize: pick([1, 2, 4, 8]), maxModelLen: 4096 });
      } catch (e) {
        expect((e as Error).message).toMatch(/\S/);
        continue;
      }
      planned++;
      for (const v of Object.values(plan)) if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
      if (plan.outcome === 'ok') expect(plan.weightsGiBPerGpu > 0 && plan.kvCacheGiBPerGpu > 0).toBe(true);
    }
    expect(planned).toBeGreaterThan(50);
  });
});

describe('fuzzing the configuration and the model folder', () => {
  const BASE_CONFIG = JSON.parse(fs.readFileSync(CONFIG, 'utf8')) as Record<string, unknown>;
  const KEYS = ['namespace', 'cluster', 'gitops', 's3', 'syncWave', 'pathPrefx', 'repoURL', '<<', '__proto__', 'constructor'];
  const GIT_VALUES = ['main branch', 'main\n', 'a..b', 'v1.lock', '@', '/etc', '../../etc', 'https://u:p@h.example/r.git', 'git@h.example:o/r.git', 'NaN'];

  test('300 multi-field mutations of the configuration: valid and synthesized, or an error naming the file and a key', () => {
    const file = path.join(tempDir('fuzz-config-'), 'c.json');
    let accepted = 0;
    for (let i = 0; i < 300; i++) {
      let c = structuredClone(BASE_CONFIG);
      const n = 1 + Math.floor(random() * 3);
      for (let k = 0; k < n; k++) {
        const op = random();
        if (op < 0.6) c = mutate(c);
        else if (op < 0.8 && c.gitops && typeof c.gitops === 'object')
          (c.gitops as Record<string, unknown>)[pick(['repoURL', 'targetRevision', 'pathPrefix'])] = pick(GIT_VALUES);
        else {
          const where = pick([c, c.gitops, c.cluster, c.s3]);
          if (where && typeof where === 'object') (where as Record<string, unknown>)[pick(KEYS)] = structuredClone(pick(VALUES));
        }
      }
      fs.writeFileSync(file, JSON.stringify(c));
      let config;
      try {
        config = loadConfig(file);
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        const message = (e as Error).message;
        expect(message).toMatch(/c\.json: /);
        expect(message).not.toMatch(/TypeError|Cannot read|\bundefined\b|\[object Object\]/);
        // a 10,000-character value is never echoed whole
        expect(message).not.toMatch(/x{100}/);
        continue;
      }
      accepted++;
      // what the file lets through, the constructs either render or refuse with a message: never an exception
      // (the first few only: a render takes a good part of a second)
      if (accepted > 6) continue;
      try {
        buildStep05(testApp(), config, { report: () => undefined }).render();
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        expect((e as Error).message).not.toMatch(/TypeError|Cannot read|\[object Object\]/);
      }
    }
    expect(accepted).toBeGreaterThan(5);
    expect(accepted).toBeLessThan(300);
  });

  test('40 model folders with a special file in place of config.json, the index or a shard: an error naming the file, at once', () => {
    const config = fs.readFileSync(path.join(ROOT, 'models', 'mistral-small-24b-instruct-2501', 'config.json'), 'utf8');
    const makers: Record<string, (p: string) => void> = {
      fifo: (p) => execFileSync('mkfifo', [p]),
      folder: (p) => fs.mkdirSync(p),
      'dev-zero': (p) => fs.symlinkSync('/dev/zero', p),
      'dangling-link': (p) => fs.symlinkSync(path.join(p, '..', 'nowhere'), p),
    };
    for (let i = 0; i < 40; i++) {
      const dir = tempDir('fuzz-model-');
      fs.writeFileSync(path.join(dir, 'config.json'), config);
      const name = pick(['config.json', 'model.safetensors.index.json', 'model-00001-of-00002.safetensors']);
      const kind = pick(Object.keys(makers));
      fs.rmSync(path.join(dir, name), { force: true });
      makers[kind](path.join(dir, name));
      const started = Date.now();
      let message = '';
      try {
        ModelProfile.fromDirectory(dir);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(Date.now() - started).toBeLessThan(PROMPTLY_MS);
      expect({ name, kind, message }).toEqual({ name, kind, message: expect.stringContaining(name) });
      expect(message).not.toMatch(/EISDIR|TypeError/);
    }
  });
});

describe('construct props, fuzzed', () => {
  const propRandom = prng(20261204);
  const choose = <T>(xs: readonly T[]): T => xs[Math.floor(propRandom() * xs.length)];
  const PROPS = [
    'name',
    'namespace',
    'tensorParallelSize',
    'gpuCount',
    'replicas',
    'autoscaling',
    'maxModelLen',
    'gpuMemoryUtilization',
    'maxNumSeqs',
    'maxNumBatchedTokens',
    'extraArgs',
    'dtype',
    'kvCacheDtype',
    'quantization',
    'cpu',
    'memory',
    'env',
    'secretEnv',
    'serviceAccountName',
    'envFromConfigMaps',
    'hardwareProfileName',
    'hardwareProfileNamespace',
    'syncWave',
    'startupBudget',
    'source',
    'runtime',
  ];

  test('300 services with one or two props of any type: rendered, or refused naming the service and never from deep inside', () => {
    let refused = 0;
    for (let i = 0; i < 300; i++) {
      const f = fixture();
      const props: Record<string, unknown> = {
        runtime: f.runtime,
        source: ModelSource.s3(f.connection, 'llm/'),
        placement: f.machineSet,
        queue: f.quota,
        model: ModelProfile.bundled('llama-3.1-8b-instruct'),
        maxModelLen: 8192,
      };
      const changed = Array.from({ length: 1 + Math.floor(propRandom() * 2) }, () => choose(PROPS));
      for (const p of changed) props[p] = structuredClone(choose(VALUES));
      try {
        new VllmInferenceService(f.chart, 'llm', props as unknown as VllmInferenceServiceProps);
        synthApp(f.app);
      } catch (e) {
        refused++;
        expect(e).toBeInstanceOf(Error);
        expect(e).not.toBeInstanceOf(TypeError);
        const message = (e as Error).message;
        // the object is named: the service (at construction, or by the rules at synth) or the construct path
        expect({ changed, message }).toEqual({ changed, message: expect.stringMatching(/InferenceService|VllmInferenceService test\/llm/) });
        expect({ changed, message }).not.toEqual({
          changed,
          message: expect.stringMatching(/Cannot read|is not a function|is not iterable|\[object Object\]/),
        });
      }
    }
    // the values reach the refusals, and some combinations still render
    expect(refused).toBeGreaterThan(150);
    expect(refused).toBeLessThan(300);
  });
});
