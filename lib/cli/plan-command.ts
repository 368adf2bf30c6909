import { parseArgs } from 'util';
import { GpuModel, MAX_GPU_MEMORY_GIB } from '../catalog/gpu-model';
import { ModelProfile } from '../planning/model-profile';
import { Cloud } from '../catalog/instance-type';
import { verdictConfidence } from '../planning/confidence';
import { describeShape, longestServedContext, planMemory, searchShapes, ShapeOption, unpricedTypes } from '../planning/plan';
import { MemoryPlan, VllmEngine } from '../planning/vllm-memory';
import { Command, InputError, Io, numberOption, UsageError } from './command';
import { priceFileOption } from './price-file-option';
import { table } from './table';
import { SUMMARIES } from './summaries';

export const planCommand: Command = {
  name: 'plan',
  summary: SUMMARIES.plan,
  usage: `cdk8s-vllm plan --model <dir> (--gpu <name> | --gpu-memory-gib <n>) [options]
       cdk8s-vllm plan --model <dir> --shapes --max-model-len <n> [--min-concurrency <c>] [--gpu L4,L40S] [--cloud aws,azure,gcp] [--prices <file>]

  <dir> holds the model's config.json and optionally model.safetensors.index.json (or the *.safetensors files).

  --gpu <name>                   ${GpuModel.all()
    .map((g) => g.name)
    .join(', ')}
  --gpu-memory-gib <n>           any other GPU: its CUDA-visible memory in GiB (a 24 GB L4 shows 22.04)
  --tensor-parallel-size <n>     GPUs one replica shards over (default 1)
  --pipeline-parallel-size <n>   stages the layers are split over, each on its own tensor-parallel GPUs (default 1)
  --expert-parallel-size <n>     ranks an MoE model's routed experts are spread over (--enable-expert-parallel: tensor × data)
  --max-lora-rank <n>            static LoRA: the slots' rank (vLLM's --max-lora-rank); with --max-loras (default 1)
  --max-loras <n>                LoRA adapters resident on the GPU at once
  --max-model-len <n>            longest sequence (default: the model's max_position_embeddings)
  --gpu-memory-utilization <u>   share of each GPU vLLM may use (default 0.9)
  --kv-cache-dtype <auto|fp8>    (default auto)
  --dtype <auto|bfloat16|float16|float32>
  --quantization <method>        vLLM's --quantization (leave unset for pre-quantized checkpoints)
  --max-num-batched-tokens <n>   (default: vLLM's for the GPU)
  --max-num-seqs <n>             (default: vLLM's for the GPU)
  --block-size <n>               (default 16)
  --engine <v1|v0>               vLLM engine generation (default v1)
  --json                         print the plan as one JSON object

  --shapes                       rank every catalog shape (instance type × tensor-parallel size × KV-cache dtype) that
                                 starts the model and holds --min-concurrency sequences of --max-model-len (default 1),
                                 cheapest first; --gpu and --cloud filter (comma-separated)
  --prices <file>                rank by your own prices (JSON: instance type → USD per hour, or {label, region, prices});
                                 types it does not price keep the catalog's on-demand list price

  Exit code 0 when the model starts (outcome ok), 1 when it does not (or vLLM refuses the settings), 2 on a usage
  or input error (a bad option, a model folder without a valid config.json).`,
  run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        model: { type: 'string' },
        gpu: { type: 'string' },
        'gpu-memory-gib': { type: 'string' },
        'tensor-parallel-size': { type: 'string' },
        'pipeline-parallel-size': { type: 'string' },
        'expert-parallel-size': { type: 'string' },
        'max-lora-rank': { type: 'string' },
        'max-loras': { type: 'string' },
        'max-model-len': { type: 'string' },
        'gpu-memory-utilization': { type: 'string' },
        'kv-cache-dtype': { type: 'string' },
        dtype: { type: 'string' },
        quantization: { type: 'string' },
        'max-num-batched-tokens': { type: 'string' },
        'max-num-seqs': { type: 'string' },
        'block-size': { type: 'string' },
        engine: { type: 'string' },
        shapes: { type: 'boolean' },
        'min-concurrency': { type: 'string' },
        cloud: { type: 'string' },
        prices: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    if (!values.model) throw new UsageError('--model <dir> is required');
    if (values.shapes) return runShapes(values, io);
    if (values.prices !== undefined) throw new UsageError('--prices ranks shapes: use it with --shapes');
    if (!values.gpu === !values['gpu-memory-gib']) throw new UsageError('give exactly one of --gpu <name> or --gpu-memory-gib <n>');
    const known = values.gpu ? GpuModel.tryFind(values.gpu) : undefined;
    if (values.gpu && !known)
      throw new UsageError(
        `--gpu '${values.gpu}' is not a GPU of the catalog (${GpuModel.all()
          .map((g) => g.name)
          .join(', ')}); give --gpu-memory-gib for another`,
      );
    const gpu = known
      ? known
      : GpuModel.custom({ cudaVisibleGiB: numberOption('gpu-memory-gib', values['gpu-memory-gib'], { min: 1, max: MAX_GPU_MEMORY_GIB })! });
    if (values.engine !== undefined && values.engine !== 'v1' && values.engine !== 'v0')
      throw new UsageError(`--engine must be v1 or v0, got '${values.engine}'`);
    const engine: VllmEngine = values.engine === 'v0' ? 'v0' : 'v1';
    const settings = {
      gpu,
      tensorParallelSize: numberOption('tensor-parallel-size', values['tensor-parallel-size'], { integer: true, min: 1 }),
      maxModelLen: numberOption('max-model-len', values['max-model-len'], { integer: true, min: 1 }),
      gpuMemoryUtilization: numberOption('gpu-memory-utilization', values['gpu-memory-utilization'], { min: 0.01, max: 1 }),
      kvCacheDtype: values['kv-cache-dtype'],
      dtype: values.dtype,
      quantization: values.quantization,
      maxNumBatchedTokens: numberOption('max-num-batched-tokens', values['max-num-batched-tokens'], { integer: true, min: 1 }),
      maxNumSeqs: numberOption('max-num-seqs', values['max-num-seqs'], { integer: true, min: 1 }),
      blockSize: numberOption('block-size', values['block-size'], { integer: true, min: 1 }),
      engine,
      pipelineParallelSize: numberOption('pipeline-parallel-size', values['pipeline-parallel-size'], { integer: true, min: 1 }),
      expertParallelSize: numberOption('expert-parallel-size', values['expert-parallel-size'], { integer: true, min: 1 }),
      lora: loraOption(values['max-lora-rank'], values['max-loras']),
    };
    let model: ModelProfile;
    try {
      model = ModelProfile.fromDirectory(values.model);
    } catch (e) {
      throw new InputError((e as Error).message);
    }
    let plan: MemoryPlan;
    try {
      plan = planMemory({ model, ...settings });
    } catch (e) {
      throw new InputError((e as Error).message);
    }
    const confidence = verdictConfidence(plan, gpu.calibration);
    io.out(values.json ? `${JSON.stringify({ ...plan, ...(confidence ? { confidence } : {}) }, null, 2)}\n` : formatPlan(plan, confidence?.note));
    return plan.outcome === 'ok' ? 0 : 1;
  },
};

/** The plan as a readable report. */
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
      p.kvCacheGiBPerGpu > 0
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
function runShapes(
  values: {
    model?: string;
    gpu?: string;
    cloud?: string;
    'max-model-len'?: string;
    'min-concurrency'?: string;
    'gpu-memory-utilization'?: string;
    dtype?: string;
    quantization?: string;
    prices?: string;
    json?: boolean;
  },
  io: Io,
): number {
  const prices = priceFileOption(values.prices);
  const maxModelLen = numberOption('max-model-len', values['max-model-len'], { integer: true, min: 1 });
  if (maxModelLen === undefined) throw new UsageError('--shapes needs --max-model-len <n>');
  const gpus = values.gpu
    ?.split(',')
    .map((g) => g.trim())
    .filter(Boolean);
  for (const g of gpus ?? []) {
    if (!GpuModel.tryFind(g))
      throw new UsageError(
        `--gpu '${g}' is not a GPU of the catalog (${GpuModel.all()
          .map((x) => x.name)
          .join(', ')})`,
      );
  }
  const clouds = values.cloud?.split(',').map((c) => c.trim());
  for (const c of clouds ?? []) if (!['aws', 'azure', 'gcp'].includes(c)) throw new UsageError(`--cloud '${c}' is not one of aws, azure, gcp`);
  let model: ModelProfile;
  try {
    model = ModelProfile.fromDirectory(values.model!);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  const target = {
    model,
    maxModelLen,
    minConcurrency: numberOption('min-concurrency', values['min-concurrency'], { min: 0.01 }),
    gpus: gpus?.map((g) => GpuModel.tryFind(g)!.name),
    clouds: clouds as Cloud[] | undefined,
    gpuMemoryUtilization: numberOption('gpu-memory-utilization', values['gpu-memory-utilization'], { min: 0.01, max: 1 }),
    dtype: values.dtype,
    quantization: values.quantization,
    prices,
  };
  let shapes: ShapeOption[];
  try {
    shapes = searchShapes(target);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  const longest = shapes.length ? undefined : longestServedContext(target);
  // shapes the catalog has no price for cannot be ranked: said, never silently dropped
  const unpriced = unpricedTypes(target).map((t) => t.name);
  const withConfidence = shapes.map((s) => ({ ...s, calibration: GpuModel.find(s.gpu).calibration }));
  if (values.json) {
    io.out(
      `${JSON.stringify({ model: model.name, maxModelLen, prices: prices?.origin ?? 'catalog on-demand list prices', shapes: withConfidence, unpriced, ...(longest ? { longest: { maxModelLen: longest.maxModelLen, shape: longest.option ?? null } } : {}) }, null, 2)}\n`,
    );
  } else if (shapes.length) {
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
    io.out(
      `${table(['INSTANCE TYPE', 'GPUS × TP', 'KV DTYPE', 'WEIGHTS/GPU', 'KV/GPU', `CONCURRENCY @ ${maxModelLen}`, '$/H', '$/MONTH', 'PRICE', 'PLANNER'], rows)}\n` +
        (unpriced.length ? `not ranked, no price (give one with --prices): ${unpriced.join(', ')}\n` : ''),
    );
  } else {
    io.out(
      longest?.option
        ? `no catalog shape serves ${model.name} at max-model-len ${maxModelLen}; the longest context one serves is ${longest.maxModelLen} tokens (${describeShape(longest.option)})\n`
        : `no catalog shape starts ${model.name}\n`,
    );
  }
  return shapes.length ? 0 : 1;
}
