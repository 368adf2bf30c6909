import { GpuCalibration } from '../catalog/gpu-model';
import { MemoryPlan } from './memory-plan';

/** How much a verdict can be trusted: whether the planner was calibrated on the GPU, and the margin it rests on. */
export interface VerdictConfidence {
  /** How far the planner's figures for the GPU rest on real vLLM start-ups on it. */
  readonly calibration: GpuCalibration;
  /** GiB per GPU by which the verdict holds (positive) or fails (negative). */
  readonly marginGiB: number;
  /** The margin as a share of the GPU's CUDA-visible memory, in percent. */
  readonly marginPercent: number;
  /** One sentence for reports; empty for a calibrated GPU. */
  readonly note: string;
}

/**
 * The confidence of a plan's verdict. Refused plans have none to give (vLLM refuses the settings whatever the memory);
 * for the others the margin is what an error in the memory model would have to exceed to flip the verdict.
 */
export function verdictConfidence(plan: MemoryPlan, calibration: GpuCalibration): VerdictConfidence | undefined {
  if (plan.outcome === 'refused') return undefined;
  const marginPercent = Math.round((plan.marginGiB / plan.gpuTotalGiB) * 1000) / 10;
  const why = {
    calibrated: '',
    'memory-observed': `no vLLM start-up on ${plan.gpu} is in the calibration data (its memory total was seen in real logs)`,
    uncalibrated: `no vLLM start-up on ${plan.gpu} is in the calibration data and its memory total is an estimate`,
  }[calibration];
  const margin = `${plan.marginGiB >= 0 ? 'holds by' : 'fails by'} ${Math.abs(plan.marginGiB).toFixed(2)} GiB per GPU (${Math.abs(marginPercent)} % of its memory)`;
  return { calibration, marginGiB: plan.marginGiB, marginPercent, note: why ? `uncalibrated: ${why}; the verdict ${margin}` : '' };
}

/**
 * The share of a GPU's CUDA-visible memory, in percent, within which a failing plan is no certain verdict. The
 * planner's replay of real start-ups (docs/planner-accuracy.md, lib/planning/calibration.ts) puts weights within 1.9 %
 * and the KV cache within 6.8 % of the logged figures on the calibrated GPU; the activation peak is fitted to four runs
 * and CUDA-graph and non-torch memory move by 0.3–1 GiB between vLLM versions (research notes on vLLM's memory
 * accounting). A plan that fails by less than this may start: a warning, not an error.
 */
export const UNCERTAIN_MARGIN_PERCENT = 5;

/** Whether a plan that does not start fails by more than the planner's calibrated margin (refusals always do). */
export function failsBeyondMargin(plan: MemoryPlan): boolean {
  if (plan.outcome === 'ok') return false;
  if (plan.outcome === 'refused') return true;
  return -plan.marginGiB > (plan.gpuTotalGiB * UNCERTAIN_MARGIN_PERCENT) / 100;
}
