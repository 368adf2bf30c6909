import { ModelProfile } from '../../planning/model-profile';
import { GpuInstanceType } from '../../catalog/instance-type';
import { GpuModel } from '../../catalog/gpu-model';
import { parallelismProblems, planPool, poolTopology } from '../../planning/llm-pool';
import { planMemory } from '../../planning/plan';
import { gpuIndependentRefusals, MemoryPlan, PlanInput } from '../../planning/vllm-memory';
import { poolLabel, writtenPools } from '../llm-pools';
import { GraphObject } from '../graph-object';
import { storageLocationOf } from '../serving-model';
import { humanReadableInt, pythonInt, sizeFlag, VllmArgs } from '../vllm-args';
import { CheckContext, Problem, Rule } from '../rule';
import { NODE_SHAPE_ANNOTATION } from '../../k8s/keys';
import { WORKLOAD_KINDS } from '../pods';
import { workloadWeightFit } from '../workload-gpu-fit';
import { GPU_MODEL_LABELS, LabelledGpus } from '../gpu-labels';
import { labelledVerdicts } from '../labelled-gpu-verdicts';

/** Flags vLLM parses with human_readable_int (`32k`, `1K`); max-model-len also takes -1 or `auto` (fit what memory allows). */
const HUMAN_READABLE = new Set(['--max-model-len', '--max-num-batched-tokens']);

/**
 * A numeric vLLM flag: undefined when unset (or `auto`), an error message when set to something vLLM would not parse,
 * an empty error when its value cannot be known here (a variable, an unread config file, an uncertain env hook).
 */
function numberArg(args: VllmArgs, flag: string, integer: boolean): number | undefined | { error: string } {
  if (args.unknown(flag)) return { error: '' };
  const v = args.value(flag);
  if (v === undefined) return undefined;
  if (flag === '--max-model-len' && (v.trim() === '-1' || v.trim().toLowerCase() === 'auto')) return undefined;
  const n = HUMAN_READABLE.has(flag) ? humanReadableInt(v) : integer ? pythonInt(v) : Number(v);
  if (n === undefined || v.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n <= 0) {
    return { error: `${flag} '${v}' is not a positive ${integer ? 'whole number' : 'number'}; vLLM refuses to start: write a number` };
  }
  return n;
}

/** The vLLM settings of an InferenceService that decide its memory (an LLMInferenceService is planned per pool). */
function settingsOf(o: GraphObject, ctx: CheckContext): { tp: number; args: VllmArgs } | { error: string } {
  const args = ctx.graph.vllmCommand(o)?.args;
  if (!args) return { error: '' };
  const tp = sizeFlag(args, '--tensor-parallel-size');
  // a size the kubelet, a shell or a config file not in the tree fills in is not known here: the fit cannot be judged
  if (tp === 'unknown') return { error: '' };
  if (tp === 'invalid')
    return { error: `--tensor-parallel-size '${args.value('--tensor-parallel-size')}' is not a whole number of GPUs; vLLM refuses to start` };
  return { tp, args };
}

/** How to save a profile for --model: `inspect` reads S3 only; for other sources the model's own folder holds config.json. */
function saveHint(location: string): string {
  if (location.startsWith('s3://')) return `save one with 'cdk8s-vllm inspect ${location} --out <folder>'`;
  if (location.startsWith('hf://'))
    return `the folder of a download of the repository, e.g. 'huggingface-cli download ${location.slice(5).split(':')[0]} config.json model.safetensors.index.json --local-dir <folder>'`;
  return "a folder with the model's config.json (and model.safetensors.index.json), copied from where the model is stored";
}

/** Whether gpu-memory-fit judges the service (vLLM on GPUs), and so says itself when its node shape is unknown. */
export function judgedForGpuFit(o: GraphObject, ctx: CheckContext): boolean {
  return o.manifest.kind === 'InferenceService'
    ? ctx.graph.servingKindOf(o) === 'vllm-gpu'
    : o.manifest.kind === 'LLMInferenceService' && ctx.graph.gpusOf(o) > 0;
}

export const gpuMemoryFit: Rule = {
  id: 'gpu-memory-fit',
  title: "the model does not start on its GPUs under vLLM's memory accounting (weights, activations, KV cache for max-model-len)",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, 'LLMInferenceService'],
  premise:
    'the service runs vLLM on GPUs and its model is known (recorded profile or --model); the memory fit needs the node shape (recorded by the construct, an instance-type selector, a MachineSet, an eksctl ClusterConfig node group the pod selects, a Kueue flavor or the Karpenter NodePools that take the pod) or a node label naming the GPU (cloud.google.com/gke-accelerator, nvidia.com/gpu.product with nvidia.com/gpu.memory, karpenter.k8s.aws/instance-gpu-name with instance-gpu-memory, or instance-family: judged per GPU, the CPU and memory of the node unchecked; an error only when every GPU the In of an affinity admits fails, else a warning naming those that do; a value the catalog lacks is a note), refusals on any GPU (max-model-len beyond the positions, heads not divisible) do not. A Deployment, StatefulSet or Job that starts vLLM on GPUs of a known node shape or labelled GPU is judged by its weights alone: the least size its --model name spells (a `$(VAR)` filled from the env or a ConfigMap of the tree; the bits its quantization suffix or --quantization states, else BF16), split over tensor × pipeline ranks (an unsplit `--tensor-parallel-size 2` element read as meant), above all the memory the GPU shows CUDA, with no offload or expert-parallel flag; with no node shape and no node selector or affinity, weights per GPU above every GPU of the catalog under its 80 GB class (lib/catalog/data/gpus.json) are a warning naming the GPUs they fit, and above the 288 GB of the largest accelerators made an error',
  example: 'the 23.2 GiB FP8 Mistral-Small-24B checkpoint (`mistral-small-24b-instruct-2501-fp8-dynamic`) on one L4 (`g6.4xlarge`: 22.04 GiB visible to CUDA)',
  fix: 'more tensor-parallel GPUs, a larger GPU, a shorter max-model-len, an FP8 KV cache or a 4-bit checkpoint (the finding lists what fits)',
  source:
    'vLLM start-up: torch.OutOfMemoryError while loading, "No available memory for the cache blocks", or "max_model_len … larger than the maximum number of tokens that can be stored in KV cache"',
  check(o, ctx) {
    if (o.manifest.kind !== 'InferenceService' && o.manifest.kind !== 'LLMInferenceService') return workloadWeightFit(o, ctx);
    if (!judgedForGpuFit(o, ctx)) return [];
    let profile: ModelProfile | undefined;
    try {
      profile = ctx.modelOf(o);
    } catch (e) {
      return [{ message: `${(e as Error).message}; render it again with cdk8s-vllm, or remove it and pass --model` }];
    }
    if (!profile) return [unknownModel(o, ctx)];
    if (o.manifest.kind === 'LLMInferenceService') return checkPools(o, ctx, profile);
    const settings = settingsOf(o, ctx);
    // an empty error: the size comes from a variable, so the fit cannot be judged
    if ('error' in settings) return settings.error ? [{ message: settings.error }] : [];
    const { tp, args } = settings;
    const n = engineNumbers(args);
    if ('error' in n) return n.error ? [{ message: n.error }] : [];
    const settingsOfPlan = { model: profile, tensorParallelSize: tp, ...engineSettings(args, n) };
    const types = ctx.graph.instanceTypesOf(o.manifest);
    if (types.length) return verdictsOn(types, settingsOfPlan);
    const labelled = ctx.graph.labelledGpusOf(o.manifest);
    return labelled ? verdictsOnLabelled(labelled, settingsOfPlan) : refusedWithoutShape(o, ctx, settingsOfPlan);
  },
};

/** The planner's input for a service, all but the GPU. */
type ServiceSettings = Omit<PlanInput, 'gpu'>;

/** A service whose model is unknown: one warning, saying how to name it (and the node shape, when unknown too). */
function unknownModel(o: GraphObject, ctx: CheckContext): Problem {
  const location = storageLocationOf(o.manifest) ?? '(no storage location)';
  // one warning per object: the node shape, when unknown too, is said here
  const shapeToo = ctx.graph.instanceTypesOf(o.manifest).length
    ? ''
    : ctx.graph.labelledGpusOf(o.manifest)
      ? ''
      : `; nor is its node shape known, so its GPU count, CPU and memory are not checked against a node (select the nodes by node.kubernetes.io/instance-type, or the GPU by ${GPU_MODEL_LABELS})`;
  return {
    // a limitation of the check, not a defect of the tree: a note, counted on one line in the text output
    severity: 'info',
    limitation: true,
    summary: shapeToo
      ? 'model and node shape unknown: GPU fit not checked (pass --model, select the nodes)'
      : 'model unknown: GPU fit not checked (pass --model <storageUri>=<folder with config.json>)',
    message:
      (location.includes('://')
        ? `the model at ${location} is unknown, so its GPU fit is not checked; pass --model ${location}=<folder with config.json> (${saveHint(location)})`
        : // a storage key without a bucket names no URI that --model could match
          `the model at ${location} is unknown, so its GPU fit is not checked; its bucket is in the connection Secret, so no --model can name it: ` +
          `set storage.parameters.bucket and pass --model s3://<bucket>/<path>=<folder with config.json>, or record the profile on the object (annotation ${ModelProfile.ANNOTATION})`) +
      shapeToo,
  };
}

/** No node shape known: what vLLM refuses on any GPU is judged without the node; only the memory fit needs it. */
function refusedWithoutShape(o: GraphObject, ctx: CheckContext, settings: ServiceSettings): Problem[] {
  let refusals: string[];
  try {
    refusals = gpuIndependentRefusals(settings);
  } catch (e) {
    return [{ message: `vLLM refuses these settings: ${(e as Error).message}` }];
  }
  const recorded = ctx.graph.recordedNodeShape(o.manifest);
  return [
    ...refusals.map((r) => ({ message: `refused on any GPU: ${r}` })),
    {
      // a limitation of the check, not a defect of the tree: a note, counted on one line in the text output
      severity: 'info',
      limitation: true,
      summary: 'node shape unknown: GPU fit not checked (select the nodes by node.kubernetes.io/instance-type)',
      message:
        `cannot decide whether the model fits its GPUs (nor its GPU count, CPU and memory a node): ${recorded && 'error' in recorded ? `${recorded.error}, and ` : ''}no node shape is known for its pods ` +
        `(no ${NODE_SHAPE_ANNOTATION} annotation, node.kubernetes.io/instance-type node selector, MachineSet node label, Kueue flavor or Karpenter NodePool of known instance types, nor a label naming the GPU); ` +
        `select the nodes by node.kubernetes.io/instance-type or by the GPU's label (${GPU_MODEL_LABELS}), or render the service with a placement (which records the shape)`,
    },
  ];
}

/** The planner's verdict on each node shape the service may land on: a finding for each one it does not start on. */
function verdictsOn(types: readonly GpuInstanceType[], settings: ServiceSettings): Problem[] {
  const out: Problem[] = [];
  for (const t of types) {
    let plan;
    try {
      plan = planMemory({ ...settings, gpu: t.gpu });
    } catch (e) {
      out.push({ message: `vLLM refuses these settings: ${(e as Error).message}` });
      continue;
    }
    if (plan.outcome !== 'ok') out.push({ message: verdictOf(plan, `${t.gpu.name} (${t.name})`) });
  }
  return out;
}

/** The planner's verdict on each GPU the pod's node labels admit (gpu-labels: an error only when it fails on all). */
function verdictsOnLabelled(labelled: LabelledGpus, settings: ServiceSettings): Problem[] {
  try {
    const refusals = gpuIndependentRefusals(settings);
    if (refusals.length) return refusals.map((r) => ({ message: `refused on any GPU: ${r}` }));
  } catch (e) {
    return [{ message: `vLLM refuses these settings: ${(e as Error).message}` }];
  }
  return labelledVerdicts(labelled, (gpu) => {
    try {
      const plan = planMemory({ ...settings, gpu });
      return plan.outcome === 'ok' ? undefined : verdictOf(plan, gpu.name);
    } catch (e) {
      return `vLLM refuses these settings: ${(e as Error).message}`;
    }
  });
}

/** The numeric vLLM flags that decide memory, or the first one vLLM would not parse (an empty error: one is unknown). */
function engineNumbers(
  args: VllmArgs,
): Record<'maxModelLen' | 'gpuMemoryUtilization' | 'maxNumSeqs' | 'maxNumBatchedTokens' | 'blockSize', number | undefined> | { error: string } {
  const numbers = {
    maxModelLen: numberArg(args, '--max-model-len', true),
    gpuMemoryUtilization: numberArg(args, '--gpu-memory-utilization', false),
    maxNumSeqs: numberArg(args, '--max-num-seqs', true),
    maxNumBatchedTokens: numberArg(args, '--max-num-batched-tokens', true),
    blockSize: numberArg(args, '--block-size', true),
  };
  const bad = Object.values(numbers).filter((v): v is { error: string } => typeof v === 'object');
  if (bad.length) return bad.find((b) => b.error) ?? bad[0];
  return numbers as Record<keyof typeof numbers, number | undefined>;
}

/** The planner's settings from vLLM's flags. */
function engineSettings(args: VllmArgs, n: Record<string, number | undefined>) {
  return {
    maxModelLen: n.maxModelLen,
    gpuMemoryUtilization: n.gpuMemoryUtilization,
    maxNumSeqs: n.maxNumSeqs,
    maxNumBatchedTokens: n.maxNumBatchedTokens,
    blockSize: n.blockSize,
    kvCacheDtype: args.value('--kv-cache-dtype'),
    dtype: args.value('--dtype'),
    quantization: args.value('--quantization'),
  };
}

/** The planner's verdict on `gpu`, a GPU named with where it comes from (`L4 (g6.xlarge)`). */
function verdictOf(plan: MemoryPlan, gpu: string): string {
  const split = `${plan.tensorParallelSize}${plan.pipelineParallelSize ? ` × ${plan.pipelineParallelSize} pipeline stages` : ''}`;
  return `${plan.outcome} on ${split} × ${gpu}: ${plan.reason}.` + (plan.suggestions.length ? ` What would fit: ${plan.suggestions.join('; ')}` : '');
}

/**
 * An LLMInferenceService: each pool planned on its own GPUs with its own parallelism (tensor × pipeline, experts over
 * tensor × data ranks) and LoRA slots (max rank × adapters from --max-lora-rank and --max-loras).
 */
function checkPools(o: GraphObject, ctx: CheckContext, profile: ModelProfile): Problem[] {
  const out: Problem[] = [];
  for (const pool of writtenPools(o.manifest)) {
    if (pool.gpus === 0 || parallelismProblems(pool.parallelism, pool.multiNode).length) continue;
    const types = ctx.graph.instanceTypesOf(pool.podManifest);
    const labelled = types.length ? undefined : ctx.graph.labelledGpusOf(pool.podManifest);
    if (!types.length && !labelled) {
      out.push({
        severity: 'warning',
        message: `${poolLabel(pool)}: no instance type is known for its pods (no node.kubernetes.io/instance-type node selector, MachineSet node label, Kueue flavor or Karpenter NodePool of known instance types, nor a label naming the GPU: ${GPU_MODEL_LABELS}); GPU fit is not checked`,
      });
      continue;
    }
    const n = engineNumbers(pool.vllm);
    if ('error' in n) {
      if (n.error) out.push({ message: `${poolLabel(pool)}: ${n.error}` });
      continue;
    }
    const lora = pool.vllm.enabled('--enable-lora')
      ? { maxRank: Number(pool.vllm.value('--max-lora-rank') ?? 16), maxAdapters: Number(pool.vllm.value('--max-loras') ?? 1) }
      : undefined;
    // why the pool does not start on `gpu` (named `where`), or undefined when it does
    const judge = (gpu: GpuModel, where: string): string | undefined => {
      try {
        const plan = planPool(profile, gpu, poolTopology(pool.parallelism, pool.multiNode), { ...engineSettings(pool.vllm, n), lora });
        return plan.outcome === 'ok' ? undefined : verdictOf(plan, where);
      } catch (e) {
        return `vLLM refuses these settings: ${(e as Error).message}`;
      }
    };
    const failures = labelled
      ? labelledVerdicts(labelled, (gpu) => judge(gpu, gpu.name))
      : types.flatMap((t) => judge(t.gpu, `${t.gpu.name} (${t.name})`) ?? []).map((message) => ({ message }));
    out.push(...failures.map((p) => ({ ...p, message: `${poolLabel(pool)}: ${p.message}` })));
  }
  return out;
}
