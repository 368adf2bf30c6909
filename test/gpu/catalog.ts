import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import {
  ExistingGpuNodes,
  GpuInstanceType,
  GpuModel,
  InstancePrices,
  ModelProfile,
  ModelSource,
  PlannedPlacement,
  PriceList,
  planReportOf,
  VllmInferenceService,
  VllmRuntime,
} from '../../lib';
import { ROOT, cliInProcess, tempDir, testApp } from '../util';

const MISTRAL = path.join(ROOT, 'models', 'mistral-small-24b-instruct-2501');
const LLAMA_70B = path.join(ROOT, 'models', 'llama-3.1-70b-instruct');
const DATE = /^\d{4}-\d{2}(-\d{2})?$|^at synth$/;

describe('the catalog: every figure with its source and date', () => {
  test('every GPU figure the planner reads names a source and a read date', () => {
    for (const g of GpuModel.all()) {
      const covered = new Set(g.sources.flatMap((s) => s.fields));
      for (const field of ['cudaVisibleGiB', 'nameplateGB', 'computeCapability', 'fp8Compute', 'product', 'largeBatchDefaults']) {
        expect([g.name, field, covered.has(field)]).toEqual([g.name, field, true]);
      }
      for (const s of g.sources) {
        expect(s.document.length).toBeGreaterThan(20);
        expect(s.read).toMatch(DATE);
      }
    }
  });

  test('every instance type has a sourced shape, and a sourced price or the reason it has none', () => {
    for (const t of GpuInstanceType.all()) {
      expect(t.specSource.read).toMatch(DATE);
      if (t.price) {
        expect([t.name, Number.isFinite(t.price.usdPerHour) && t.price.usdPerHour > 0]).toEqual([t.name, true]);
        expect(t.price.read).toMatch(DATE);
        expect(t.price.region).toBeTruthy();
        expect(t.price.document).toMatch(/\w/);
      } else {
        expect([t.name, t.priceNote]).toEqual([t.name, expect.stringMatching(/price file/)]);
      }
    }
  });

  test('the H200 shapes of all three clouds, the missing serving shapes, the T4 of current drivers, the PCIe A100 of Azure', () => {
    const names = GpuInstanceType.all().map((t) => t.name);
    for (const n of [
      'p5en.48xlarge',
      'p5e.48xlarge',
      'Standard_ND96isr_H200_v5',
      'a3-ultragpu-8g',
      'p5.4xlarge',
      'p4de.24xlarge',
      'a3-megagpu-8g',
      'g2-standard-12',
      'g2-standard-32',
      'Standard_ND96amsr_A100_v4',
    ]) {
      expect(names).toContain(n);
    }
    for (const n of ['p5en.48xlarge', 'p5e.48xlarge', 'Standard_ND96isr_H200_v5', 'a3-ultragpu-8g'])
      expect(GpuInstanceType.find(n).gpu).toBe(GpuModel.NVIDIA_H200);
    // PyTorch on current drivers reports 14.56–14.58 GiB on a T4
    expect(GpuModel.NVIDIA_T4.cudaVisibleGiB).toBeGreaterThanOrEqual(14.56);
    expect(GpuModel.NVIDIA_T4.cudaVisibleGiB).toBeLessThanOrEqual(14.58);
    expect(GpuInstanceType.AZURE_NC24ADS_A100_V4.gpu.product).toBe('NVIDIA-A100-80GB-PCIe');
    expect(GpuModel.find('A100-80GB-PCIe')).toBe(GpuModel.NVIDIA_A100_80GB_PCIE);
    expect(GpuModel.find('A100-80GB')).toBe(GpuModel.NVIDIA_A100_80GB);
    // the newest retrieval of Azure's own price API, the older figure kept beside it
    expect(GpuInstanceType.AZURE_NC48ADS_A100_V4.usdPerHour).toBe(9.554);
    expect(GpuInstanceType.AZURE_NC48ADS_A100_V4.price?.alternatives?.[0].usdPerHour).toBe(7.346);
  });

  test('cdk8s-vllm catalog --json lists every GPU and instance type with sources and dates; filters narrow it', async () => {
    const r = await cliInProcess(['catalog', '--json']);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.out);
    expect(data.gpus.map((g: { name: string }) => g.name)).toEqual(GpuModel.all().map((g) => g.name));
    expect(data.instanceTypes).toHaveLength(GpuInstanceType.all().length);
    for (const t of data.instanceTypes) {
      expect(t.specSource.read).toMatch(DATE);
      expect(t.price === null ? t.priceNote : t.price.read).toBeTruthy();
    }
    const h200 = JSON.parse((await cliInProcess(['catalog', '--json', '--gpu', 'H200', '--cloud', 'gcp'])).out);
    expect(h200.instanceTypes.map((t: { name: string }) => t.name)).toEqual(['a3-ultragpu-8g']);
    const table = await cliInProcess(['catalog', '--gpu', 'H200']);
    expect(table.out).toMatch(/p5e\.48xlarge .*Capacity Blocks/);
    expect((await cliInProcess(['catalog', '--cloud', 'ibm'])).code).toBe(2);
  });
});

describe('the team’s own prices', () => {
  const writePrices = (content: unknown) => {
    const dir = tempDir('prices-');
    const file = path.join(dir, 'prices.json');
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };
  type Shape = { instanceType: string; tensorParallelSize: number; usdPerHour: number; priceSource: string };
  const shapes = async (extra: string[]) => {
    const r = await cliInProcess(['plan', '--model', MISTRAL, '--shapes', '--max-model-len', '32768', '--cloud', 'aws', '--json', ...extra]);
    expect(r.code).toBe(0);
    return JSON.parse(r.out).shapes as Shape[];
  };

  test('plan --shapes --prices ranks by the file: raising the cheapest shape’s price moves it down', async () => {
    const before = await shapes([]);
    const first = before[0];
    const second = before.find((s) => s.instanceType !== first.instanceType)!;
    const file = writePrices({ label: '1-year committed', region: 'us-east-2', prices: { [first.instanceType]: second.usdPerHour + 1 } });
    const after = await shapes(['--prices', file]);
    const moved = after.findIndex((s) => s.instanceType === first.instanceType);
    expect(moved).toBeGreaterThan(after.findIndex((s) => s.instanceType === second.instanceType));
    expect(after[moved]).toMatchObject({ usdPerHour: second.usdPerHour + 1, priceSource: `${file}, 1-year committed, us-east-2` });
    // types the file does not price keep the catalog's list price, and say so
    expect(after.find((s) => s.instanceType === second.instanceType)?.priceSource).toBe('on-demand list, us-east-1');
  });

  test('a price file with an unknown type, a negative or non-numeric price, or no JSON is refused, naming the entry', async () => {
    const run = (content: unknown) => cliInProcess(['plan', '--model', MISTRAL, '--shapes', '--max-model-len', '8192', '--prices', writePrices(content)]);
    const typo = await run({ 'g6e.12xlarg': 8 });
    expect([typo.code, typo.err]).toEqual([2, expect.stringMatching(/'g6e\.12xlarg' is not a known instance type/)]);
    const negative = await run({ 'g6e.12xlarge': -1 });
    expect([negative.code, negative.err]).toEqual([
      2,
      expect.stringMatching(/g6e\.12xlarge: usdPerHour must be a finite number of USD per hour, 0 or more, got -1/),
    ]);
    expect((await run({ 'g6e.12xlarge': '8' })).code).toBe(2);
    expect((await run({ prices: { 'g6e.12xlarge': 8 }, currency: 'EUR' })).err).toMatch(/unknown field 'currency'/);
    expect((await run('{not json')).err).toMatch(/not JSON/);
    expect((await cliInProcess(['plan', '--model', MISTRAL, '--gpu', 'L4', '--prices', 'x.json'])).code).toBe(2);
  });

  test('types without a price are listed as not ranked, never dropped silently', async () => {
    const r = await cliInProcess(['plan', '--model', LLAMA_70B, '--shapes', '--max-model-len', '8192', '--gpu', 'H200']);
    expect(r.out).toMatch(/not ranked, no price \(give one with --prices\): .*p5e\.48xlarge/);
    const priced = await cliInProcess([
      'plan',
      '--model',
      LLAMA_70B,
      '--shapes',
      '--max-model-len',
      '8192',
      '--gpu',
      'H200',
      '--json',
      '--prices',
      writePrices({ 'p5e.48xlarge': 1 }),
    ]);
    expect(JSON.parse(priced.out).shapes[0]).toMatchObject({ instanceType: 'p5e.48xlarge', usdPerHour: 1 });
  });

  test('InstancePrices on the app: PlannedPlacement chooses by them and PLAN.md names their source', () => {
    const choose = (prices?: Record<string, number>) => {
      const app = testApp();
      if (prices) new InstancePrices(app, 'Prices', { prices: PriceList.fromJson(prices, 'team-prices.json') });
      const chart = new Chart(app, 'c', { namespace: 'team' });
      const candidates = [GpuInstanceType.G6_12XLARGE, GpuInstanceType.G6E_12XLARGE].map((t) => new ExistingGpuNodes(chart, t.dnsName, { shape: t }));
      const model = ModelProfile.fromDirectory(MISTRAL);
      const planned = new PlannedPlacement(chart, 'Planned', { model, maxModelLen: 8192, candidates });
      new VllmInferenceService(chart, 'mistral', {
        runtime: new VllmRuntime(chart, 'R'),
        source: ModelSource.pvc('models', 'mistral'),
        model,
        placement: planned,
        maxModelLen: 8192,
      });
      return { chosen: planned.instanceType.name, report: planReportOf(app) };
    };
    const listed = choose();
    expect(listed.chosen).toBe('g6.12xlarge');
    expect(listed.report).toMatch(/\| g6\.12xlarge \| 4\.6016 \| on-demand list, us-east-1 \| aws\/karpenter-provider-aws/);
    const own = choose({ 'g6.12xlarge': 20 });
    expect(own.chosen).toBe('g6e.12xlarge');
    expect(own.report).toMatch(/\| g6e\.12xlarge \| 10\.49264 \| on-demand list, us-east-1 \|/);
    const mine = choose({ 'g6e.12xlarge': 1 });
    expect(mine.report).toMatch(/\| g6e\.12xlarge \| 1 \| team-prices\.json \| team-prices\.json \(at synth\) \|/);
    expect(() => new InstancePrices(testApp(), 'P', { prices: PriceList.fromJson({ 'g7.huge': 1 }, 'p.json') })).toThrow(
      /'g7\.huge' is not a known instance type/,
    );
  });

  test('a custom shape without a price: PLAN.md says "no price", and the planner refuses to rank it', () => {
    const app = testApp();
    const chart = new Chart(app, 'c', { namespace: 'team' });
    const nodes = new ExistingGpuNodes(chart, 'Mine', {
      shape: { gpu: GpuModel.NVIDIA_L40S, gpusPerNode: 2, vcpu: 32, memoryGiB: 256 },
      nodeSelector: { 'example.com/pool': 'l40s' },
    });
    const model = ModelProfile.fromDirectory(MISTRAL);
    new VllmInferenceService(chart, 'm', {
      runtime: new VllmRuntime(chart, 'R'),
      source: ModelSource.pvc('models', 'm'),
      model,
      placement: nodes,
      tensorParallelSize: 2,
      maxModelLen: 8192,
    });
    expect(planReportOf(app)).toMatch(/\| no price \|/);
    expect(planReportOf(app)).toMatch(/\*\*\$0\*\* \(1 without a price\)/);
    expect(() => new PlannedPlacement(chart, 'P', { model, maxModelLen: 8192, candidates: [nodes] })).toThrow(/has no price to rank it by/);
  });
});

describe('honest confidence', () => {
  test('a GPU without a replayed vLLM start-up is marked uncalibrated with the margin its verdict rests on', async () => {
    const nvl = JSON.parse((await cliInProcess(['plan', '--model', MISTRAL, '--gpu', 'H100-NVL', '--max-model-len', '8192', '--json'])).out);
    expect(nvl.confidence).toMatchObject({
      calibration: 'uncalibrated',
      note: expect.stringMatching(/^uncalibrated: .* the verdict holds by \d+\.\d\d GiB per GPU/),
    });
    expect(nvl.confidence.marginGiB).toBeGreaterThan(0);
    const h100 = JSON.parse((await cliInProcess(['plan', '--model', MISTRAL, '--gpu', 'H100', '--max-model-len', '8192', '--json'])).out);
    expect(h100.confidence).toMatchObject({ calibration: 'calibrated', note: '' });
    const l4 = await cliInProcess(['plan', '--model', MISTRAL, '--gpu', 'L4', '--max-model-len', '8192']);
    // weights of 43.9 GiB on one L4 of 22.04: the verdict fails by far more than any error of the model
    expect(l4.out).toMatch(/confidence: uncalibrated: no vLLM start-up on L4 .* the verdict fails by 2\d\.\d\d GiB per GPU/);
  });
});

describe('the planner’s accuracy, published', () => {
  const calibration = path.join(ROOT, '..', 'shared', 'calibration');
  test('docs/planner-accuracy.md and the calibrated-GPU list are what the script derives from the observations', () => {
    const { derive } = require('../../scripts/planner-accuracy');
    const files: Record<string, string> = derive(path.join(calibration, 'observations.json'), path.join(calibration, 'model-architectures.json'));
    for (const [file, text] of Object.entries(files)) expect([file, fs.readFileSync(path.join(ROOT, file), 'utf8')]).toEqual([file, text]);
    expect(files['docs/planner-accuracy.md']).toMatch(/\| \*\*all\*\* \| 11 \| 11 \/ 11 \|/);
    expect(GpuModel.NVIDIA_H100_80GB.calibration).toBe('calibrated');
    expect(GpuModel.NVIDIA_L4.calibration).toBe('memory-observed');
    expect(GpuModel.NVIDIA_H100_NVL.calibration).toBe('uncalibrated');
  });

  test('the script runs on any observation file of the same form', () => {
    const dir = tempDir('obs-');
    const one = JSON.parse(fs.readFileSync(path.join(calibration, 'observations.json'), 'utf8')).slice(0, 1);
    fs.writeFileSync(path.join(dir, 'observations.json'), JSON.stringify(one));
    fs.copyFileSync(path.join(calibration, 'model-architectures.json'), path.join(dir, 'model-architectures.json'));
    const { derive } = require('../../scripts/planner-accuracy');
    const files = derive(path.join(dir, 'observations.json'), path.join(dir, 'model-architectures.json'));
    expect(files['docs/planner-accuracy.md']).toMatch(/\| \*\*all\*\* \| 1 \| 1 \/ 1 \|/);
    expect(JSON.parse(files['lib/catalog/data/calibration.json']).startUpsPerGpu).toEqual({ 'H100-80GB': 1 });
  });
});
