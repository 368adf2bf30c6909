import { GpuModel } from '../catalog/gpu-model';
import { GpuInstanceType } from '../catalog/instance-type';
import { Loose, mapping } from '../manifests/access';
import { podSpecOf } from './pods';
import { GraphObject } from './graph-object';
import { gpusOf } from './llm-pools';
import { CheckContext, Problem } from './rule';
import { labelledVerdicts } from './labelled-gpu-verdicts';
import { LabelledGpus } from './gpu-labels';
import { gpuFitShapeOf } from './gpu-fit-shape';
import { migResourceProfile } from './mig-slices';
import { catalogProfileOf } from '../planning/model-catalog';
import { ModelProfile } from '../planning/model-profile';
import { verdictsOnLabelled, verdictsOnTypes } from './plan-verdicts';
import { allowLongMaxModelLen, engineNumbers, engineSettings, planSettings, ServerEngine, startupRefusals } from './vllm-engine-settings';
import { sizeFlag, VllmArgs } from './vllm-args';
import { ContainerLine, workloadVllmLines } from './workload-lines';
import { downloadLocationOf, NamedWeights, namedWeightsOf, servedModelOf, volumeHolding } from './workload-model-size';
import { proseVerdicts } from './prose-gpu-fit';

/** Flags that change what a GPU holds of the checkpoint: offloading, experts spread over data ranks (online quantization is read as its bits). */
const RESHAPING = ['--cpu-offload-gb', '--enable-expert-parallel', '--data-parallel-size', '--kv-transfer-config'];

/**
 * The command line as its author meant it: an element written with its value (`--tensor-parallel-size 2`, which
 * argument-not-split reports) read as two words, so the rules after it judge the intended settings.
 */
export function meantArgs(c: ContainerLine): VllmArgs {
  const end = c.args.words.findIndex((w) => w.word === '--');
  const own = c.args.words.slice(0, end < 0 ? undefined : end);
  if (!own.some((w) => /^--[\w-]+\s+\S/.test(w.word))) return c.args;
  const words = own.flatMap((w) =>
    /^--[\w-]+\s+\S/.test(w.word)
      ? w.word
          .trim()
          .split(/\s+/)
          .map((word) => ({ ...w, word }))
      : [w],
  );
  // the words start after the program: put back the one that makes vLLM's reading the same
  return VllmArgs.of([...(words[0]?.word === 'serve' ? ['vllm'] : ['-m', 'vllm.entrypoints.openai.api_server']), ...words]);
}

/**
 * A vLLM container of a Deployment, StatefulSet or Job whose checkpoint, by the size its name spells (parameters ×
 * bits), is larger per GPU (over tensor × pipeline ranks) than all the memory the node's GPU shows CUDA: vLLM
 * shards the weights evenly over those ranks and runs out of memory loading them, whatever max-model-len or
 * gpu-memory-utilization say. Judged only where the node shape is known (instance-type selector, MachineSet, Kueue
 * flavor), the container asks for GPUs, and no flag changes what each GPU holds.
 */
export function workloadWeightFit(o: GraphObject, ctx: CheckContext): Problem[] {
  const shape = gpuFitShapeOf(ctx.graph, o.manifest);
  if (!shape.types.length && !shape.labelled) {
    if (pinsNodes(o.manifest)) return [];
    // a README naming the GPU the tree runs on: its verdicts, as warnings; else the weights against every GPU
    const onProse = proseVerdicts(ctx.graph, o.manifest, (labelled) => workloadFit(o, ctx, { types: [], labelled }));
    if (onProse.length) return onProse;
  }
  return workloadFit(o, ctx, shape);
}

/** workloadWeightFit on the GPUs of `shape`: the full plan of a catalogued model, else its weights by its name. */
function workloadFit(o: GraphObject, ctx: CheckContext, { types, labelled }: { types: readonly GpuInstanceType[]; labelled?: LabelledGpus }): Problem[] {
  return workloadVllmLines(o.manifest)
    .filter((c) => c.args.invoked && (gpusOf(c.container) > 0 || migResourceProfile(c.container) !== undefined))
    .flatMap((c) => {
      const args = meantArgs(c);
      const model = servedModelOf(c, args, ctx.graph, ctx.graph.namespaceOf(o.manifest));
      const tp = sizeFlag(args, '--tensor-parallel-size');
      const pp = sizeFlag(args, '--pipeline-parallel-size');
      if (typeof tp !== 'number' || typeof pp !== 'number' || RESHAPING.some((f) => reshapes(args, f))) return [];
      const profile = model && (types.length || labelled) ? catalogProfileOf(model) : undefined;
      const planned = model && profile && plannedFit(c, { model, args, profile }, { tp, pp }, { types, labelled });
      if (planned) return planned;
      const size = model ? namedWeightsOf(model, args) : undefined;
      if (!size) return [];
      const split = args !== c.args;
      if (labelled) return labelledVerdicts(labelled, (gpu) => overflowMessage(c, size, tp * pp, gpu, gpu.name, split));
      return types.length ? types.flatMap((t) => overflow(c, size, tp * pp, t, split)) : unpinnedOverflow(c, size, tp * pp);
    });
}

/**
 * A container whose model the catalog holds, judged by the full memory plan as an InferenceService is (weights,
 * activations, KV cache for its max-model-len or the derived length, gpu-memory-utilization, kv-cache-dtype,
 * tensor and pipeline parallelism, quantization). Undefined where the plan cannot be made (a value not known here or
 * not one vLLM parses, settings vLLM refuses on any GPU): the weights its name spells are judged instead.
 */
function plannedFit(
  c: ContainerLine,
  { model, args, profile }: { model: string; args: VllmArgs; profile: ModelProfile },
  split: { tp: number; pp: number },
  shape: { types: readonly GpuInstanceType[]; labelled?: LabelledGpus },
): Problem[] | undefined {
  const n = engineNumbers(args);
  if ('error' in n) return undefined;
  const engine: ServerEngine = {
    settings: { model: profile, tensorParallelSize: split.tp, pipelineParallelSize: split.pp, ...engineSettings(args, n) },
    allowLong: allowLongMaxModelLen(c.env),
  };
  const refused = startupRefusals(engine);
  if (!refused || refused.refused.length + refused.unsure.length > 0) return undefined;
  const prefix = `${c.where}: ${model} (bundled profile ${profile.name}): `;
  const settings = planSettings(engine);
  return shape.labelled ? verdictsOnLabelled(shape.labelled, settings, prefix) : verdictsOnTypes(shape.types, settings, prefix);
}

/** Whether a flag changes what a GPU holds: set to anything but a data-parallel size of 1 (one replica, the default). */
function reshapes(args: VllmArgs, flag: string): boolean {
  if (args.unknown(flag)) return true;
  const value = args.value(flag);
  return value !== undefined && !(flag === '--data-parallel-size' && value.trim() === '1');
}

/** Whether the pod chooses its nodes (a nodeSelector, node affinity): a shape the tool does not map may be pinned. */
function pinsNodes(m: Loose): boolean {
  const spec = mapping(podSpecOf(m));
  return Object.keys(mapping(spec.nodeSelector)).length > 0 || mapping(spec.affinity).nodeAffinity !== undefined;
}

/**
 * Memory of the largest accelerators made (NVIDIA B300 and AMD MI355X data sheets: 288 GB), in GiB: weights per GPU
 * beyond it fit on no GPU at all. Below it and above every GPU of the catalog (lib/catalog/data/gpus.json), a GPU
 * the catalog lacks (B200, MI300X) may still hold them.
 */
const LARGEST_ACCELERATOR_GIB = 288e9 / 2 ** 30;

/** The nameplate from which the catalog's GPUs are its largest class (A100 80 GB, H100, H200; lib/catalog/data/gpus.json). */
const LARGE_CLASS_GB = 80;

/**
 * With no node shape known: weights per GPU beyond every GPU of the catalog under its largest class fit only on
 * that class, which nothing in the tree pins (a warning); beyond every accelerator made, on none (an error).
 */
function unpinnedOverflow(c: ContainerLine, size: NamedWeights, ranks: number): Problem[] {
  const perGpuGiB = size.bytes / ranks / 2 ** 30;
  const fitting = GpuModel.all()
    .filter((g) => g.cudaVisibleGiB >= perGpuGiB)
    .sort((a, b) => a.cudaVisibleGiB - b.cudaVisibleGiB);
  if (fitting.length && fitting[0].nameplateGB < LARGE_CLASS_GB) return [];
  const over = ranks === 1 ? 'on one GPU' : `over ${ranks} GPUs (tensor × pipeline parallel)`;
  const weights = `${c.where}: ${size.model} is at least ${Math.round(size.bytes / 1e9)} GB of weights by its name (${Math.round(size.parameters / 1e9)}B parameters at ${size.assumed}); ${over} that is ${perGpuGiB.toFixed(1)} GiB per GPU`;
  if (perGpuGiB > LARGEST_ACCELERATOR_GIB) {
    return [
      {
        message: `${weights}, more than any GPU made holds (the largest have 288 GB): vLLM runs out of memory loading the weights on any node; raise --tensor-parallel-size (or --pipeline-parallel-size) so each GPU holds less, or serve a 4-bit checkpoint`,
      },
    ];
  }
  const fits = fitting.length
    ? `it fits only on GPUs of ${fitting[0].nameplateGB} GB or more (${fitting.map((g) => g.name).join(', ')} of the tool's GPU catalog)`
    : `it fits on none of the tool's GPU catalog (the largest, ${GpuModel.all().sort((a, b) => b.cudaVisibleGiB - a.cudaVisibleGiB)[0].name}, shows CUDA less), only on a larger part`;
  return [
    {
      severity: 'warning',
      message: `${weights}: ${fits}, and nothing in the tree pins one (no node selector, node affinity, instance type or node pool shape), so on a smaller GPU vLLM runs out of memory loading the weights; pin a node with such a GPU, or raise --tensor-parallel-size`,
    },
  ];
}

function overflow(c: ContainerLine, size: NamedWeights, ranks: number, t: GpuInstanceType, split: boolean): Problem[] {
  const message = overflowMessage(c, size, ranks, t.gpu, `${t.gpu.name} (${t.name})`, split);
  return message ? [{ message }] : [];
}

/** Why the weights do not load on `gpu` (named `where`), or undefined when they fit. */
function overflowMessage(c: ContainerLine, size: NamedWeights, ranks: number, gpu: GpuModel, where: string, split: boolean): string | undefined {
  const perGpuGiB = size.bytes / ranks / 2 ** 30;
  if (perGpuGiB <= gpu.cudaVisibleGiB) return undefined;
  const neededRanks = Math.ceil(size.bytes / 2 ** 30 / gpu.cudaVisibleGiB);
  const over = ranks === 1 ? 'on one GPU' : `over ${ranks} GPUs (tensor × pipeline parallel)`;
  return (
    `${c.where}: ${size.model} is at least ${Math.round(size.bytes / 1e9)} GB of weights by its name (${Math.round(size.parameters / 1e9)}B parameters at ${size.assumed}); ${over}` +
    `${split ? ', reading the unsplit element as two words as meant,' : ''} that is ${perGpuGiB.toFixed(1)} GiB per GPU, more than the ${gpu.cudaVisibleGiB} GiB ` +
    `an ${where} shows CUDA, so vLLM runs out of memory loading the weights (torch.OutOfMemoryError) and never serves; ` +
    `shard it over more GPUs than ${neededRanks - 1} (--tensor-parallel-size on a larger node), use a larger GPU, or a 4-bit or FP8 checkpoint`
  );
}

/**
 * A vLLM container of a Deployment, StatefulSet or Job that downloads a Hugging Face model into a volume the tree
 * sizes (an emptyDir sizeLimit, a claim's request) smaller than the least its weights take by the model's name: the
 * kubelet evicts the pod over an emptyDir's limit, a full claim fails the download; either way vLLM never serves.
 */
export function workloadStorageFit(o: GraphObject, ctx: CheckContext): Problem[] {
  return workloadVllmLines(o.manifest)
    .filter((c) => c.args.invoked)
    .flatMap((c) => {
      const args = meantArgs(c);
      const model = servedModelOf(c, args, ctx.graph, ctx.graph.namespaceOf(o.manifest));
      // a local path or a URI is not downloaded from the Hub into the cache
      const weights = model && /^[\w.-]+\/[\w.-]+$/.test(model) ? namedWeightsOf(model, args) : undefined;
      const location = weights && downloadLocationOf(c, args);
      const volume = location ? volumeHolding(o.manifest, c, location, ctx.graph) : undefined;
      if (!weights || !volume || volume.bytes >= weights.bytes) return [];
      return [
        {
          message:
            `${c.where}: ${weights.model} is at least ${Math.round(weights.bytes / 1e9)} GB of weights by its name (${Math.round(weights.parameters / 1e9)}B parameters at ${weights.assumed}), ` +
            `downloaded into volume '${volume.volume}' at ${volume.mountPath}, whose ${volume.kind} is ${volume.size} (${(volume.bytes / 1e9).toFixed(0)} GB); ` +
            `the download fails when it fills (an emptyDir over its sizeLimit gets the pod evicted): size it above ${Math.ceil((weights.bytes * 1.1) / 2 ** 30)}Gi`,
        },
      ];
    });
}
