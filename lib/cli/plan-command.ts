import { GpuModel, MAX_GPU_MEMORY_GIB } from '../catalog/gpu-model';
import { ModelProfile } from '../planning/model-profile';
import { Cloud } from '../catalog/instance-type';
import { verdictConfidence } from '../planning/confidence';
import { describeShape, longestServedContext, planMemory, searchShapes, ShapeOption, unpricedTypes } from '../planning/plan';
import { MemoryPlan, VLLM_DEFAULT_GPU_MEMORY_UTILIZATION, VllmEngine } from '../planning/memory-plan';
import { KV_CACHE_DTYPES } from '../planning/vllm-flag-values';
import { Command, InputError, Io, numberOption, UsageError } from './command';
import { OptionValues } from './option-spec';
import { defineCommand } from './options';
import { priceFileOption, pricesOption } from './price-file-option';
import { table } from './table';

const GPU_NAMES = () =>
  GpuModel.all()
    .map((g) => g.name)
    .join(', ');

const PLAN_OPTIONS = {
  model: { type: 'string', value: '<dir>', help: "the model's folder" },
  gpu: { type: 'string', value: '<name>', help: `${GPU_NAMES()} (with --shapes: a comma-separated list to rank)` },
  'gpu-memory-gib': { type: 'string', value: '<n>', help: 'any other GPU: its CUDA-visible memory in GiB (a 24 GB L4 shows 22.04)' },
  'tensor-parallel-size': { type: 'string', value: '<n>', help: 'GPUs one replica shards over', default: '1' },
  'pipeline-parallel-size': { type: 'string', value: '<n>', help: 'stages the layers are split over, each on its own tensor-parallel GPUs', default: '1' },
  'expert-parallel-size': {
    type: 'string',
    value: '<n>',
    help: "ranks an MoE model's routed experts are spread over (with vLLM's --enable-expert-parallel: tensor × data)",
  },
  'max-lora-rank': { type: 'string', value: '<n>', help: "static LoRA: the slots' rank (vLLM's --max-lora-rank), with --max-loras" },
  'max-loras': { type: 'string', value: '<n>', help: 'LoRA adapters resident on the GPU at once', default: '1' },
  'max-model-len': { type: 'string', value: '<n>', help: 'longest sequence', default: "the model's max_position_embeddings" },
  'gpu-memory-utilization': { type: 'string', value: '<u>', help: 'share of each GPU vLLM may use', default: String(VLLM_DEFAULT_GPU_MEMORY_UTILIZATION) },
  'kv-cache-dtype': { type: 'string', value: '<dtype>', help: KV_CACHE_DTYPES.join(', '), default: 'auto' },
  dtype: { type: 'string', value: '<dtype>', help: 'auto, bfloat16, float16 or float32', default: 'auto' },
  quantization: { type: 'string', value: '<method>', help: "vLLM's --quantization (leave unset for pre-quantized checkpoints)" },
  'max-num-batched-tokens': { type: 'string', value: '<n>', help: 'tokens one step may batch', default: "vLLM's for the GPU" },
  'max-num-seqs': { type: 'string', value: '<n>', help: 'sequences one step may batch', default: "vLLM's for the GPU" },
  'block-size': { type: 'string', value: '<n>', help: 'tokens per KV-cache block', default: '16' },
  engine: { type: 'string', value: '<v1|v0>', help: 'vLLM engine generation', default: 'v1' },
  json: { type: 'boolean', help: 'print the plan (with --shapes: the ranking) as one JSON object' },
} as const;

const SHAPES_OPTIONS = {
  shapes: {
    type: 'boolean',
    help:
      'rank every catalog shape (instance type × tensor-parallel size × KV-cache dtype) that starts the model and holds ' +
      '--min-concurrency sequences of --max-model-len, cheapest first; --gpu and --cloud filter (comma-separated)',
  },
  'min-concurrency': { type: 'string', value: '<c>', help: 'sequences of --max-model-len a shape must hold at once', default: '1' },
  cloud: { type: 'string', value: '<list>', help: 'only these clouds (comma-separated: aws,azure,gcp)' },
  ...pricesOption("rank by your own prices; types it does not price keep the catalog's on-demand list price"),
} as const;

type PlanValues = OptionValues<typeof PLAN_OPTIONS & typeof SHAPES_OPTIONS>;

export const planCommand: Command = defineCommand({
  name: 'plan',
  synopsis: ['plan --model <dir> (--gpu <name> | --gpu-memory-gib <n>) [options]', 'plan --model <dir> --shapes --max-model-len <n> [options]'],
  usage: [
    "  <dir> holds the model's config.json and optionally model.safetensors.index.json (or the *.safetensors files).",
    PLAN_OPTIONS,
    SHAPES_OPTIONS,
    `  Exit code 0 when the model starts (outcome ok), 1 when it does not (or vLLM refuses the settings), 2 on a usage
  or input error (a bad option, a model folder without a valid config.json).`,
  ],
  positionals: false,
  run({ values }, io) {
    if (!values.model) throw new UsageError('--model <dir> is required');
    if (values.shapes) return runShapes(values, io);
    if (values.prices !== undefined) throw new UsageError('--prices ranks shapes: use it with --shapes');
    const settings = planSettings(values);
    const model = modelFrom(values.model);
    let plan: MemoryPlan;
    try {
      plan = planMemory({ model, ...settings });
    } catch (e) {
      throw new InputError((e as Error).message);
    }
    const confidence = verdictConfidence(plan, settings.gpu.calibration);
    io.out(values.json ? `${JSON.stringify({ ...plan, ...(confidence ? { confidence } : {}) }, null, 2)}\n` : formatPlan(plan, confidence?.note));
    return plan.outcome === 'ok' ? 0 : 1;
  },
});

/** The settings that are whole numbers of at least 1. */
type WholeNumberOption =
  'tensor-parallel-size' | 'pipeline-parallel-size' | 'expert-parallel-size' | 'max-model-len' | 'max-num-batched-tokens' | 'max-num-seqs' | 'block-size';

/** The GPU and the vLLM settings of a plan, each option refused as a usage error when it does not parse. */
function planSettings(values: PlanValues) {
  if (!values.gpu === !values['gpu-memory-gib']) throw new UsageError('give exactly one of --gpu <name> or --gpu-memory-gib <n>');
  const known = values.gpu ? GpuModel.tryFind(values.gpu) : undefined;
  if (values.gpu && !known) throw new UsageError(`--gpu '${values.gpu}' is not a GPU of the catalog (${GPU_NAMES()}); give --gpu-memory-gib for another`);
  const gpu = known
    ? known
    : GpuModel.custom({ cudaVisibleGiB: numberOption('gpu-memory-gib', values['gpu-memory-gib'], { min: 1, max: MAX_GPU_MEMORY_GIB })! });
  if (values.engine !== undefined && values.engine !== 'v1' && values.engine !== 'v0')
    throw new UsageError(`--engine must be v1 or v0, got '${values.engine}'`);
  const engine: VllmEngine = values.engine === 'v0' ? 'v0' : 'v1';
  const whole = (name: WholeNumberOption) => numberOption(name, values[name], { integer: true, min: 1 });
  return {
    gpu,
    tensorParallelSize: whole('tensor-parallel-size'),
    maxModelLen: whole('max-model-len'),
    gpuMemoryUtilization: numberOption('gpu-memory-utilization', values['gpu-memory-utilization'], { min: 0.01, max: 1 }),
    kvCacheDtype: values['kv-cache-dtype'],
    dtype: values.dtype,
    quantization: values.quantization,
    maxNumBatchedTokens: whole('max-num-batched-tokens'),
    maxNumSeqs: whole('max-num-seqs'),
    blockSize: whole('block-size'),
    engine,
    pipelineParallelSize: whole('pipeline-parallel-size'),
    expertParallelSize: whole('expert-parallel-size'),
    lora: loraOption(values['max-lora-rank'], values['max-loras']),
  };
}

/** The model's profile from its folder; a folder without a valid config.json is an input error. */
function modelFrom(dir: string): ModelProfile {
  try {
    return ModelProfile.fromDirectory(dir);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
}

/** `--max-lora-rank` and `--max-loras`: LoRA slots, or none when no rank is given. */
function loraOption(rank: string | undefined, loras: string | undefined): { maxRank: number; maxAdapters: number } | undefined {
  if (rank === undefined) {
    if (loras !== undefined) throw new UsageError('--max-loras needs --max-lora-rank (the rank every slot is preallocated at)');
    return undefined;
  }
  return {
    maxRank: numberOption('max-lora-rank', rank, { integer: true, min: 1 })!,
    maxAdapters: numberOption('max-loras', loras ?? '1', { integer: true, min: 1 })!,
  };
}

/** The plan as a readable report. */
export function formatPlan(p: MemoryPlan, confidenceNote?: string): string {
  const stages = p.pipelineParallelSize ? ` per pipeline stage (${p.pipelineParallelSize} stages, ${p.tensorParallelSize * p.pipelineParallelSize} GPUs)` : '';
  const rows: [string, string][] = [
    ['model', `${p.model}${p.quantization ? ` (${p.quantization})` : ''}`],
    ['GPU', `${p.tensorParallelSize} × ${p.gpu}${stages}, ${p.gpuTotalGiB.toFixed(2)} GiB visible to CUDA each`],
    ['budget per GPU', `${p.budgetGiB.toFixed(2)} GiB (${p.gpuMemoryUtilization} × ${p.gpuTotalGiB.toFixed(2)})`],
    [
      'weights per GPU',
      `${p.weightsGiBPerGpu.toFixed(2)} GiB (${p.weightSource}${p.expertParallelSize ? `; routed experts over ${p.expertParallelSize} ranks` : ''}${
        p.loraGiBPerGpu !== undefined ? `; ${p.loraGiBPerGpu.toFixed(2)} GiB of LoRA slots` : ''
      })`,
    ],
    ['activation peak', `${p.activationGiB.toFixed(2)} GiB (${p.maxNumSeqs} sequences, ${p.maxNumBatchedTokens} batched tokens)`],
    ['non-torch memory', `${p.nonTorchGiB.toFixed(2)} GiB`],
    [
      'KV cache per GPU',
      p.kvBytesPerToken === 0
        ? 'none: encoder-only attention keeps no KV cache'
        : p.kvCacheGiBPerGpu > 0
          ? `${p.kvCacheGiBPerGpu.toFixed(2)} GiB, ${p.kvBytesPerToken} bytes per token`
          : `none: weights, activations and non-torch memory exceed the budget by ${(-p.kvCacheGiBPerGpu).toFixed(2)} GiB`,
    ],
    ['KV cache tokens', `${p.kvCacheTokens} (${p.kvCacheBlocks} blocks of ${p.blockSize})`],
    ['max concurrency', `${p.maxConcurrency.toFixed(2)} sequences of ${p.maxModelLen} tokens`],
  ];
  const verdict = p.outcome === 'ok' ? 'fits' : p.outcome === 'refused' ? 'vLLM refuses this configuration' : `does not start: ${p.outcome}`;
  let out = `${table(['', ''], rows).split('\n').slice(2).join('\n')}\n\n${p.outcome === 'ok' ? 'OK' : 'FAIL'}: ${verdict}. ${p.reason}\n`;
  if (confidenceNote) out += `confidence: ${confidenceNote}\n`;
  for (const w of p.warnings) out += `warning: ${w}\n`;
  if (p.suggestions.length) out += `What would fit:\n${p.suggestions.map((s) => `  - ${s}`).join('\n')}\n`;
  return out;
}

/** `plan --shapes`: the ranked table of catalog shapes that serve the model. */
function runShapes(values: PlanValues, io: Io): number {
  const target = shapeTarget(values);
  let shapes: ShapeOption[];
  try {
    shapes = searchShapes(target);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  const longest = shapes.length ? undefined : longestServedContext(target);
  // shapes the catalog has no price for cannot be ranked: said, never silently dropped
  const unpriced = unpricedTypes(target).map((t) => t.name);
  if (values.json) io.out(shapesJson(target, shapes, unpriced, longest));
  else if (shapes.length) io.out(shapesTable(shapes, target.maxModelLen, unpriced));
  else
    io.out(
      longest?.option
        ? `no catalog shape serves ${target.model.name} at max-model-len ${target.maxModelLen}; the longest context one serves is ${longest.maxModelLen} tokens (${describeShape(longest.option)})\n`
        : `no catalog shape starts ${target.model.name}\n`,
    );
  return shapes.length ? 0 : 1;
}

/** What the shapes must serve, and the filters and prices to rank them by; each option refused when it does not parse. */
function shapeTarget(values: PlanValues) {
  const prices = priceFileOption(values.prices);
  const maxModelLen = numberOption('max-model-len', values['max-model-len'], { integer: true, min: 1 });
  if (maxModelLen === undefined) throw new UsageError('--shapes needs --max-model-len <n>');
  const gpus = values.gpu
    ?.split(',')
    .map((g) => g.trim())
    .filter(Boolean);
  for (const g of gpus ?? []) if (!GpuModel.tryFind(g)) throw new UsageError(`--gpu '${g}' is not a GPU of the catalog (${GPU_NAMES()})`);
  const clouds = values.cloud?.split(',').map((c) => c.trim());
  for (const c of clouds ?? []) if (!['aws', 'azure', 'gcp'].includes(c)) throw new UsageError(`--cloud '${c}' is not one of aws, azure, gcp`);
  return {
    model: modelFrom(values.model!),
    maxModelLen,
    minConcurrency: numberOption('min-concurrency', values['min-concurrency'], { min: 0.01 }),
    gpus: gpus?.map((g) => GpuModel.tryFind(g)!.name),
    clouds: clouds as Cloud[] | undefined,
    gpuMemoryUtilization: numberOption('gpu-memory-utilization', values['gpu-memory-utilization'], { min: 0.01, max: 1 }),
    dtype: values.dtype,
    quantization: values.quantization,
    prices,
  };
}

type ShapeTarget = ReturnType<typeof shapeTarget>;

/** The ranking as JSON: each shape with its GPU's calibration, the unpriced types, and the longest context served when none serves. */
function shapesJson(
  target: ShapeTarget,
  shapes: readonly ShapeOption[],
  unpriced: readonly string[],
  longest: ReturnType<typeof longestServedContext> | undefined,
): string {
  const withConfidence = shapes.map((s) => ({ ...s, calibration: GpuModel.find(s.gpu).calibration }));
  return `${JSON.stringify({ model: target.model.name, maxModelLen: target.maxModelLen, prices: target.prices?.origin ?? 'catalog on-demand list prices', shapes: withConfidence, unpriced, ...(longest ? { longest: { maxModelLen: longest.maxModelLen, shape: longest.option ?? null } } : {}) }, null, 2)}\n`;
}

/** The ranking as a table, cheapest first, and the types left out for want of a price. */
function shapesTable(shapes: readonly ShapeOption[], maxModelLen: number, unpriced: readonly string[]): string {
  const rows = shapes.map((s) => [
    s.instanceType,
    `${s.tensorParallelSize} × ${s.gpu}${s.gpusPerNode > s.tensorParallelSize ? ` (of ${s.gpusPerNode})` : ''}`,
    s.kvCacheDtype,
    `${s.weightsGiBPerGpu.toFixed(2)} GiB`,
    `${s.kvCacheGiBPerGpu.toFixed(2)} GiB`,
    s.concurrency.toFixed(2),
    `$${s.usdPerHour.toFixed(2)}`,
    `$${Math.round(s.usdPerMonth).toLocaleString('en-US')}`,
    s.priceSource,
    GpuModel.find(s.gpu).calibration === 'calibrated' ? 'calibrated' : 'uncalibrated',
  ]);
  return (
    `${table(['INSTANCE TYPE', 'GPUS × TP', 'KV DTYPE', 'WEIGHTS/GPU', 'KV/GPU', `CONCURRENCY @ ${maxModelLen}`, '$/H', '$/MONTH', 'PRICE', 'PLANNER'], rows)}\n` +
    (unpriced.length ? `not ranked, no price (give one with --prices): ${unpriced.join(', ')}\n` : '')
  );
}
