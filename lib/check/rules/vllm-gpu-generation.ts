import { GpuModel } from '../../catalog/gpu-model';
import { GpuInstanceType } from '../../catalog/instance-type';
import { compareVllmVersions } from '../../catalog/vllm-architectures';
import { vllmReleaseOfImage } from '../../catalog/vllm-images';
import { minCapabilityOfMethod } from '../../planning/vllm-startup-checks';
import { GraphObject } from '../graph-object';
import { labelledVerdicts } from '../labelled-gpu-verdicts';
import { WORKLOAD_KINDS } from '../pods';
import { CheckContext, Problem, Rule } from '../rule';
import { ServedModel, servedModel, servingContainers, VllmContainer } from '../vllm-served-model';
import { publishedUnquantized } from '../../catalog/model-families';
import { float16Refusal } from '../../catalog/vllm-float16';
import { judgedForGpuFit } from './gpu-memory-fit';
import { proseVerdicts } from '../prose-gpu-fit';

/** vLLM's CUDA platform has bfloat16 from compute capability 8.0 (Ampere) on (vllm/platforms/cuda.py supported_dtypes). */
const BFLOAT16_CAPABILITY = 8.0;

/**
 * `--dtype auto` on a bfloat16 checkpoint: vLLM 0.8.4 and older stop with "Bfloat16 is only supported on GPUs with
 * compute capability of at least 8.0 … --dtype=half"; vllm-project/vllm#17265 (merged 2025-04-28, the day 0.8.5 was
 * cut) made auto fall back to float16, so 0.9.0 and later start. 0.8.5 is not known either way.
 */
const AUTO_LAST_REFUSING = '0.8.4';
const AUTO_FIRST_FALLBACK = '0.9.0';

/** How vLLM of the container's image treats `--dtype auto` on a bfloat16 checkpoint below compute capability 8.0. */
function autoBfloat16(image: string): { verdict: 'refused' | 'falls-back' | 'assumed'; why: string } {
  // a moving tag of vLLM's own images reads as the newest release, which falls back
  const known = vllmReleaseOfImage(image);
  if (known && compareVllmVersions(known.version, AUTO_LAST_REFUSING) <= 0) return { verdict: 'refused', why: `image ${image} is vLLM ${known.version}` };
  if (known && compareVllmVersions(known.version, AUTO_FIRST_FALLBACK) >= 0) return { verdict: 'falls-back', why: '' };
  return {
    verdict: 'assumed',
    why: `assuming image ${image} holds vLLM ${AUTO_LAST_REFUSING} or older (its tag does not say; ${AUTO_FIRST_FALLBACK} and later fall back to float16)`,
  };
}

function capabilityOf(gpu: GpuModel): number {
  return Number.parseFloat(gpu.computeCapability);
}

/** What one container asks of the GPU: a judge of each GPU, and whether its verdict rests on an assumed vLLM version. */
interface Demand {
  readonly judge: (gpu: GpuModel) => string | undefined;
  readonly assumed: boolean;
}

/**
 * `--quantization <method>` whose kernels need a newer GPU (VllmConfig._get_quantization_config). Where gpu-memory-fit's
 * planner knows the model it judges the method's family; the Marlin kernel a flag picks is judged here.
 */
function quantizationDemand(c: VllmContainer, plannerJudges: boolean): Demand | undefined {
  const method = c.args?.unknown('--quantization') ? undefined : c.args?.value('--quantization')?.toLowerCase();
  const min = method ? minCapabilityOfMethod(method) : undefined;
  if (!method || min === undefined || (plannerJudges && !/marlin/.test(method))) return undefined;
  return {
    assumed: false,
    judge: (gpu) =>
      capabilityOf(gpu) < min
        ? `container '${c.name}' passes --quantization ${method}, whose kernels need compute capability ${min.toFixed(1)} or more; ${gpu.name} has ${gpu.computeCapability}, so vLLM stops at start ` +
          `("The quantization method ${method} is not supported for the current GPU. Minimum capability: ${Math.round(min * 10)}. Current capability: ${Math.round(capabilityOf(gpu) * 10)}")` +
          (/marlin/.test(method)
            ? `: pass --quantization ${method.replace(/_?marlin_?(24)?$/, '') || 'gptq'} (or none: vLLM picks the kernel the GPU has), or use an Ampere or newer GPU`
            : ': use a GPU of that generation or newer, or another checkpoint')
        : undefined,
  };
}

/** Gemma 2's architecture: vLLM's auto dtype takes its float32 checkpoints as bfloat16, not float16 (model_type gemma2). */
const GEMMA2 = 'Gemma2ForCausalLM';

/**
 * Why `--dtype auto` runs the checkpoint in bfloat16, or undefined: its config.json says bfloat16 (kept as it is), or
 * float32 on Gemma 2, which vLLM downcasts to bfloat16 ("For Gemma 2, we downcast float32 to bfloat16 instead of
 * float16 by default": vllm/config.py _get_and_verify_dtype up to 0.8.x); Google's own Gemma 2 checkpoints say one or
 * the other (never float16), so the id alone tells it.
 */
function autoBfloat16Checkpoint(served: ServedModel): string | undefined {
  if (served.storedDtype === 'bfloat16') return 'whose config.json says torch_dtype bfloat16';
  if (served.architecture !== GEMMA2) return undefined;
  if (served.storedDtype === 'float32') return 'whose config.json says float32, which vLLM downcasts to bfloat16 for Gemma 2';
  const published = served.storedDtype === undefined ? publishedUnquantized(served.model) : undefined;
  return published
    ? `${published.publisher}'s own Gemma 2 checkpoint, stored in float32 or bfloat16, either of which vLLM runs in bfloat16 for Gemma 2`
    : undefined;
}

/** bfloat16 asked for (`--dtype bfloat16`), or taken from a bfloat16 checkpoint by `--dtype auto` on a vLLM that refuses it. */
function dtypeDemand(o: GraphObject, ctx: CheckContext, c: VllmContainer, plannerJudges: boolean): Demand | undefined {
  if (c.args?.unknown('--dtype')) return undefined;
  const dtype = (c.args?.value('--dtype') ?? 'auto').toLowerCase();
  const refusal = (gpu: GpuModel, how: string, fix: string) =>
    `container '${c.name}' runs in bfloat16 (${how}); ${gpu.name} has compute capability ${gpu.computeCapability} and no bfloat16, so vLLM stops at start ` +
    `("Bfloat16 is only supported on GPUs with compute capability of at least 8.0"): ${fix}`;
  // gpu-memory-fit's planner refuses an explicit bfloat16 on a service whose model it knows
  if (dtype === 'bfloat16' && !plannerJudges) {
    return {
      assumed: false,
      judge: (gpu) =>
        capabilityOf(gpu) < BFLOAT16_CAPABILITY ? refusal(gpu, '--dtype bfloat16', 'pass --dtype float16, or use an Ampere or newer GPU') : undefined,
    };
  }
  if (dtype !== 'auto') return undefined;
  const served = servedModel(o, ctx, c.args);
  const bfloat16 = served && autoBfloat16Checkpoint(served);
  if (!served || !bfloat16) return undefined;
  const auto = autoBfloat16(c.image);
  if (auto.verdict === 'falls-back') return undefined;
  return {
    assumed: auto.verdict === 'assumed',
    judge: (gpu) =>
      capabilityOf(gpu) < BFLOAT16_CAPABILITY
        ? refusal(
            gpu,
            `--dtype auto on ${served.model}, ${bfloat16}; ${auto.why}`,
            float16Refusal(served.architecture)
              ? `use an Ampere or newer GPU, or pass --dtype float32 (twice the memory of bfloat16); not --dtype float16: ${served.architecture} is numerically unstable in float16, which vLLM ${float16Refusal(served.architecture)!.since} and later refuse for it`
              : 'pass --dtype float16 (half), or use vLLM 0.9.0 or later, which falls back to float16 itself',
          )
        : undefined,
  };
}

/** Each failing verdict on the GPUs the object's pods run on: every instance type's, else those its node labels admit. */
function verdictsOnGpus(o: GraphObject, ctx: CheckContext, judge: (gpu: GpuModel) => string | undefined): Problem[] {
  const types = ctx.graph.instanceTypesOf(o.manifest);
  if (types.length) {
    // one finding per verdict: the sizes of a family share their GPU, and so the cause
    const byFailure = new Map<string, GpuInstanceType[]>();
    for (const t of types) {
      const failure = judge(t.gpu);
      if (failure) byFailure.set(failure, [...(byFailure.get(failure) ?? []), t]);
    }
    return [...byFailure].map(([failure, ts]) => ({
      message: `${failure} (nodes of ${ts.map((t) => t.name).join(', ')}, ${[...new Set(ts.map((t) => t.gpu.name))].join(', ')})`,
    }));
  }
  const labelled = ctx.graph.labelledGpusOf(o.manifest);
  if (labelled) return labelledVerdicts(labelled, judge);
  // a README naming the GPU the tree runs on, where nothing of the tree does: a warning naming its file and line
  return proseVerdicts(ctx.graph, o.manifest, (gpus) => labelledVerdicts(gpus, judge));
}

export const vllmGpuGeneration: Rule = {
  id: 'vllm-gpu-generation',
  title:
    "vLLM is asked for what the GPU's generation lacks (bfloat16 before Ampere, Marlin or FP8 kernels below compute capability 8.0): the engine exits at start",
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise:
    "a container that starts vLLM on GPUs the tree names (an instance type of a node selector, MachineSet, eksctl node group, Kueue flavor or Karpenter NodePool, whose AWS instance labels are read under karpenter.k8s.aws/ and EKS Auto Mode's eks.amazonaws.com/ alike; else a label naming the GPU, the NodePools' requirements filling a label the pod leaves open, else the node pools a Terraform configuration declares as gpu-memory-fit reads them, judged per GPU the selector or the pools admit: an error only when every one fails; with none of these and no node selector or affinity, a line of the READMEs naming the GPU the tree runs on, as gpu-memory-fit reads it: a warning naming file and line, only where every GPU the READMEs name fails) whose compute capability (lib/catalog/data/gpus.json, from NVIDIA's CUDA GPUs table) is below what it asks: --quantization with a method whose kernels need more (awq_marlin, gptq_marlin, marlin, fp8, fbgemm_fp8: 8.0; modelopt 8.9); --dtype bfloat16 (a service whose model is known is gpu-memory-fit's); --dtype auto (or none) on a checkpoint whose config.json (a recorded profile, or the bundled profile of the Hugging Face id --model names) says bfloat16, or float32 on Gemma 2, or that is Google's own Gemma 2 checkpoint by its Hugging Face id (float32 or bfloat16, both run in bfloat16 by vLLM's auto for Gemma 2), on a vLLM image of 0.8.4 or older (an error) or whose tag tells no version (a warning naming the assumption; vllm/vllm-openai:latest and 0.9.0 on fall back to float16). Nothing when the GPU, the flag or the checkpoint's dtype is unknown",
  example: '`--quantization=awq_marlin` on nodes of `g4dn.xlarge` (T4, compute capability 7.5)',
  fix: 'pass --quantization awq or gptq (or no --quantization: vLLM picks the kernel the GPU has), --dtype float16 for a bfloat16 checkpoint, or use an Ampere or newer GPU',
  source:
    'vllm-project/vllm vllm/config/vllm.py VllmConfig._get_quantization_config ("The quantization method … is not supported for the current GPU. Minimum capability: …") with each method\'s get_min_capability (awq_marlin.py, gptq_marlin.py, marlin.py, fp8.py: 80, FP8 below 8.9 through FP8-Marlin since vllm-project/vllm#5975); vllm/platforms/cuda.py supported_dtypes and check_if_supports_dtype ("Bfloat16 is only supported on GPUs with compute capability of at least 8.0"); vllm/config/model.py _resolve_auto_dtype (the float16 fallback of vllm-project/vllm#17265); vllm/config.py _get_and_verify_dtype up to 0.8.x ("For Gemma 2, we downcast float32 to bfloat16 instead of float16 by default")',
  check(o, ctx) {
    let plannerJudges = false;
    if (judgedForGpuFit(o, ctx)) {
      try {
        plannerJudges = ctx.modelOf(o) !== undefined;
      } catch {
        plannerJudges = true; // an invalid recorded profile is gpu-memory-fit's finding
      }
    }
    const out: Problem[] = [];
    for (const c of servingContainers(o, ctx)) {
      for (const demand of [quantizationDemand(c, plannerJudges), dtypeDemand(o, ctx, c, plannerJudges)]) {
        if (!demand) continue;
        const found = verdictsOnGpus(o, ctx, demand.judge);
        out.push(...(demand.assumed ? found.map((p) => ({ ...p, severity: 'warning' as const })) : found));
      }
    }
    return out;
  },
};
