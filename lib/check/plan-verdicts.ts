import { GpuModel } from '../catalog/gpu-model';
import { GpuInstanceType } from '../catalog/instance-type';
import { failsBeyondMargin, UNCERTAIN_MARGIN_PERCENT } from '../planning/confidence';
import { planMemory } from '../planning/plan';
import { gpuIndependentRefusals, MemoryPlan, PlanInput } from '../planning/vllm-memory';
import { LabelledGpus } from './gpu-labels';
import { labelledVerdicts } from './labelled-gpu-verdicts';
import { Problem } from './rule';
import { dataKey, perRun } from '../private/run-memo';

/** The planner's input for one vLLM server, all but the GPU. */
export type ServerSettings = Omit<PlanInput, 'gpu'>;

/** The planner's verdict on `gpu`, a GPU named with where it comes from (`L4 (g6.xlarge)`). */
export function verdictOf(plan: MemoryPlan, gpu: string): string {
  const split = `${plan.tensorParallelSize}${plan.pipelineParallelSize ? ` × ${plan.pipelineParallelSize} pipeline stages` : ''}`;
  return `${plan.outcome} on ${split} × ${gpu}: ${plan.reason}.` + (plan.suggestions.length ? ` What would fit: ${plan.suggestions.join('; ')}` : '');
}

/** Why the server does not start on a GPU, and whether the plan fails beyond its calibrated margin (else it may start). */
interface GpuVerdict {
  readonly message: string;
  readonly certain: boolean;
}

/**
 * The verdict on one GPU (named `where`), or undefined when the server starts on it. Once per run for the same
 * settings, GPU and name: the services of a tree often share a model and settings, and each plan takes the planner's
 * whole accounting.
 */
function judge(settings: ServerSettings, gpu: GpuModel, where: string): GpuVerdict | undefined {
  return perRun('plan-verdict', [where, dataKey([settings, gpu])], () => judgeNow(settings, gpu, where));
}

function judgeNow(settings: ServerSettings, gpu: GpuModel, where: string): GpuVerdict | undefined {
  let plan: MemoryPlan;
  try {
    plan = planMemory({ ...settings, gpu });
  } catch (e) {
    return { message: `vLLM refuses these settings: ${(e as Error).message}`, certain: true };
  }
  if (plan.outcome === 'ok') return undefined;
  // a process uses one MIG slice (NVIDIA MIG user guide, "CUDA Device Enumeration"): no tensor parallelism over slices
  if (/\bMIG\b/.test(gpu.name)) plan = { ...plan, suggestions: plan.suggestions.filter((s) => !/^tensor-parallel-size/.test(s)) };
  const certain = failsBeyondMargin(plan);
  const edge = certain
    ? ''
    : ` The plan fails by ${Math.abs(plan.marginGiB).toFixed(2)} GiB per GPU, within the planner's calibrated margin (${UNCERTAIN_MARGIN_PERCENT} % of the GPU's memory): it may still start, but with no room to spare`;
  return { message: `${verdictOf(plan, where)}${edge}`, certain };
}

/** A verdict as a finding: an error when certain, a warning when within the calibrated margin. */
function problemOf(v: GpuVerdict, prefix: string): Problem {
  return v.certain ? { message: `${prefix}${v.message}` } : { severity: 'warning', message: `${prefix}${v.message}` };
}

/** The planner's verdict on each node shape the server may land on: a finding for each one it does not start on. */
export function verdictsOnTypes(types: readonly GpuInstanceType[], settings: ServerSettings, prefix = ''): Problem[] {
  return types.flatMap((t) => {
    const v = judge(settings, t.gpu, `${t.gpu.name} (${t.name})`);
    return v ? [problemOf(v, prefix)] : [];
  });
}

/**
 * The planner's verdict on each GPU the pod's node labels admit (labelledVerdicts: an error only when it fails on all,
 * beyond the calibrated margin); a GPU it fails on within the margin is a warning of its own.
 */
export function verdictsOnLabelled(labelled: LabelledGpus, settings: ServerSettings, prefix = ''): Problem[] {
  try {
    gpuIndependentRefusals(settings);
  } catch (e) {
    return [{ message: `${prefix}vLLM refuses these settings: ${(e as Error).message}` }];
  }
  const uncertain: Problem[] = [];
  const certain = labelledVerdicts(labelled, (gpu) => {
    const v = judge(settings, gpu, gpu.name);
    if (v && !v.certain) uncertain.push(problemOf(v, prefix));
    return v?.certain ? v.message : undefined;
  });
  return [...certain.map((p) => ({ ...p, message: `${prefix}${p.message}` })), ...uncertain];
}
