import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import {
  ExistingGpuNodes,
  GpuInstanceType,
  GpuModel,
  ModelProfile,
  ModelSource,
  PlannedPlacement,
  planMemory,
  planReportOf,
  searchShapes,
  VllmInferenceService,
  VllmRuntime,
} from '../../lib';
import { ROOT, cliInProcess, tempDir, testApp } from '../util';
import { thousands } from '../../lib/planning/plan-report';

/** The planner names the cheapest shape that serves the model, and the start-up refusals vLLM would give. */
const plan = (args: string[]) => cliInProcess(['plan', ...args]);

const MISTRAL = path.join(ROOT, 'models', 'mistral-small-24b-instruct-2501');
const LLAMA_70B = path.join(ROOT, 'models', 'llama-3.1-70b-instruct');
const QWEN_AWQ = path.join(ROOT, 'models', 'qwen2.5-72b-instruct-awq');

describe('plan --shapes', () => {
  test('Mistral-Small-24B BF16 at 32k: a multi-GPU shape of a cheaper GPU ranks far above any p5', async () => {
    const r = await plan(['--model', MISTRAL, '--shapes', '--max-model-len', '32768', '--json']);
    expect(r.code).toBe(0);
    const shapes: { instanceType: string; tensorParallelSize: number; usdPerHour: number }[] = JSON.parse(r.out).shapes;
    const rank = (type: string, tp?: number) => shapes.findIndex((s) => s.instanceType === type && (tp === undefined || s.tensorParallelSize === tp));
    expect(rank('g6e.12xlarge', 2)).toBeGreaterThanOrEqual(0);
    expect(rank('g6e.12xlarge', 2)).toBeLessThan(rank('p5.48xlarge'));
    // ranked by price: every shape costs at least as much as the one before it
    expect(shapes.map((s) => s.usdPerHour)).toEqual([...shapes.map((s) => s.usdPerHour)].sort((a, b) => a - b));
  });

  test('Llama-3.1-70B BF16 at 8192: TP 4 on g6e.12xlarge before TP 8 on g6.48xlarge', async () => {
    const r = await plan(['--model', LLAMA_70B, '--shapes', '--max-model-len', '8192', '--cloud', 'aws', '--json']);
    const shapes: { instanceType: string; tensorParallelSize: number }[] = JSON.parse(r.out).shapes;
    const g6e = shapes.findIndex((s) => s.instanceType === 'g6e.12xlarge' && s.tensorParallelSize === 4);
    const g6 = shapes.findIndex((s) => s.instanceType === 'g6.48xlarge' && s.tensorParallelSize === 8);
    expect(g6e).toBeGreaterThanOrEqual(0);
    expect(g6e).toBeLessThan(g6);
  });

  test('filters by GPU and cloud, and by concurrency at max-model-len', () => {
    const model = ModelProfile.fromDirectory(MISTRAL);
    const l4 = searchShapes({ model, maxModelLen: 32768, gpus: ['L4'], clouds: ['aws'] });
    expect(new Set(l4.map((s) => s.gpu))).toEqual(new Set(['L4']));
    expect(l4.every((s) => s.cloud === 'aws')).toBe(true);
    const busy = searchShapes({ model, maxModelLen: 32768, minConcurrency: 10 });
    expect(busy.length).toBeGreaterThan(0);
    expect(busy.every((s) => s.concurrency >= 10)).toBe(true);
  });

  test('a context no catalog shape serves is said plainly, with the longest that one does', async () => {
    const r = await plan(['--model', LLAMA_70B, '--shapes', '--max-model-len', '131072', '--gpu', 'L4', '--json']);
    const out = JSON.parse(r.out);
    expect(out.shapes).toEqual([]);
    expect(out.longest.maxModelLen).toBeGreaterThan(8192);
    expect(out.longest.maxModelLen).toBeLessThan(131072);
    expect(r.code).toBe(1);
  });
});

describe('failing plans name the cheapest shapes that would serve, as data', () => {
  test('Llama-3.1-70B BF16 on one L4: alternatives are objects, cheapest first; no negative KV shown as a fit', () => {
    const p = planMemory({ model: ModelProfile.fromDirectory(LLAMA_70B), gpu: GpuModel.NVIDIA_L4, maxModelLen: 8192 });
    expect(p.outcome).toBe('oom_weights');
    expect(p.alternatives?.length).toBe(3);
    expect(p.alternatives![0]).toMatchObject({ instanceType: expect.any(String), tensorParallelSize: expect.any(Number), usdPerHour: expect.any(Number) });
    const prices = p.alternatives!.map((a) => a.usdPerHour);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
  });

  test('at the default 131072 context on one L4, the plan names real options or says none serves it', () => {
    const p = planMemory({ model: ModelProfile.fromDirectory(LLAMA_70B), gpu: GpuModel.NVIDIA_L4 });
    expect(p.alternatives!.length > 0 || p.suggestions.some((s) => /no catalog shape serves max-model-len 131072/.test(s))).toBe(true);
  });
});

describe("vLLM's start-up refusals", () => {
  const awq = (intermediate: number) => {
    const dir = tempDir('model-');
    const config = JSON.parse(fs.readFileSync(path.join(QWEN_AWQ, 'config.json'), 'utf8'));
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...config, intermediate_size: intermediate }));
    return ModelProfile.fromDirectory(dir);
  };

  test('Qwen2.5-72B-AWQ at TP 4: 29568 MLP columns are refused for group alignment, the padded 29696 fit', () => {
    const refused = planMemory({ model: awq(29568), gpu: GpuModel.NVIDIA_L40S, tensorParallelSize: 4, maxModelLen: 8192 });
    expect(refused.outcome).toBe('refused');
    expect(refused.reason).toMatch(/MLP down projection \(29568 \/ 4\) gives 7392 input columns per rank, not a multiple of the awq 4-bit group size 128/);
    const padded = planMemory({ model: awq(29696), gpu: GpuModel.NVIDIA_L40S, tensorParallelSize: 4, maxModelLen: 8192 });
    expect(padded.outcome).toBe('ok');
  });

  test('bfloat16 on a T4 is refused when asked for; auto plans float16 and says so', () => {
    const model = ModelProfile.bundled('llama-3.1-8b-instruct');
    const explicit = planMemory({ model, gpu: GpuModel.NVIDIA_T4, dtype: 'bfloat16', maxModelLen: 4096 });
    expect([explicit.outcome, explicit.reason]).toEqual(['refused', expect.stringMatching(/T4 \(compute capability 7.5\) cannot run bfloat16/)]);
    const auto = planMemory({ model: ModelProfile.fromDirectory(MISTRAL), gpu: GpuModel.NVIDIA_T4, tensorParallelSize: 4, maxModelLen: 4096 });
    expect(auto.outcome).not.toBe('refused');
    expect(auto.warnings.join('\n')).toMatch(/runs this bfloat16 checkpoint in float16 .*planned as float16/);
  });

  test('FP8 and AWQ kernels need their GPU generation', () => {
    const fp8 = ModelProfile.bundled('mistral-small-24b-instruct-2501-fp8-dynamic');
    expect(planMemory({ model: fp8, gpu: GpuModel.NVIDIA_V100_16GB, tensorParallelSize: 2, maxModelLen: 4096 }).reason).toMatch(
      /cannot run fp8 \(compressed-tensors\) weights .*Minimum capability: 80/,
    );
    const a10g = planMemory({ model: fp8, gpu: GpuModel.NVIDIA_A10G, tensorParallelSize: 2, maxModelLen: 4096 });
    expect(a10g.outcome).not.toBe('refused');
    expect(a10g.warnings.join()).toMatch(/weight-only/);
    expect(planMemory({ model: awq(29696), gpu: GpuModel.NVIDIA_V100_16GB, tensorParallelSize: 8, maxModelLen: 4096 }).reason).toMatch(
      /cannot run awq 4-bit weights .*Minimum capability: 75/,
    );
  });

  test('KV heads that neither divide nor are divided by the tensor-parallel size are refused', () => {
    const base = ModelProfile.bundled('llama-3.1-8b-instruct');
    const odd = new ModelProfile({ ...base, numAttentionHeads: 24, numKeyValueHeads: 6, name: 'odd' });
    expect(planMemory({ model: odd, gpu: GpuModel.NVIDIA_L4, tensorParallelSize: 4, maxModelLen: 4096 }).reason).toMatch(
      /tensor-parallel-size 4 and the model's 6 KV heads/,
    );
  });
});

describe('a placement chosen by the planner', () => {
  test('the cheapest candidate that serves the model is taken, with its tensor-parallel size; PLAN.md records why', () => {
    const app = testApp();
    const chart = new Chart(app, 'c', { namespace: 'team' });
    const candidates = [GpuInstanceType.G6_XLARGE, GpuInstanceType.G6E_XLARGE, GpuInstanceType.G6_12XLARGE].map(
      (t) => new ExistingGpuNodes(chart, t.dnsName, { shape: t }),
    );
    const model = ModelProfile.fromDirectory(MISTRAL);
    const planned = new PlannedPlacement(chart, 'Planned', { model, maxModelLen: 8192, candidates });
    expect([planned.instanceType.name, planned.tensorParallelSize]).toEqual(['g6.12xlarge', 4]);
    const svc = new VllmInferenceService(chart, 'mistral', {
      runtime: new VllmRuntime(chart, 'R'),
      source: ModelSource.pvc('models', 'mistral'),
      model,
      placement: planned,
      maxModelLen: 8192,
    });
    expect(svc.tensorParallelSize).toBe(4);
    expect(svc.apiObject.toJson().spec.predictor.nodeSelector).toEqual({ 'node.kubernetes.io/instance-type': 'g6.12xlarge' });
    expect(planReportOf(app)).toMatch(/Placement chosen by the planner: g6.12xlarge: 4 × L4 \(TP 4\)/);
    expect(() => new PlannedPlacement(chart, 'TooSmall', { model, maxModelLen: 8192, candidates: [candidates[0]] })).toThrow(
      /PlannedPlacement c\/TooSmall: no candidate serves mistral-small-24b-instruct-2501 at max-model-len 8192/,
    );
  });
});

describe('money in the plan report', () => {
  test('whole numbers get a comma every three digits, as en-US writes them', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [7, '7'],
      [999, '999'],
      [1000, '1,000'],
      [12345, '12,345'],
      [123456, '123,456'],
      [1234567, '1,234,567'],
      [-1234, '-1,234'],
      [-999, '-999'],
      [Number.MAX_SAFE_INTEGER, '9,007,199,254,740,991'],
    ];
    for (const [n, text] of cases) expect(thousands(n)).toBe(text);
  });
});
