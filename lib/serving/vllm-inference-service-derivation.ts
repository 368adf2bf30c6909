import { GpuInstanceType } from '../catalog/instance-type';
import { PlannedPlacement } from '../placement/planned-placement';
import { planMemory, ShapeOption } from '../planning/plan';
import { MemoryPlan } from '../planning/memory-plan';
import { requirePositiveInteger } from '../private/names';
import { ScaleSignal } from './scale-signal';
import { KvCacheDtype } from './vllm-engine-options';
import { AutoscalingOptions, VllmInferenceServiceProps } from './vllm-inference-service-props';

/** The facts an InferenceService derives from its props before it renders anything. */

/**
 * Tensor parallelism and KV-cache dtype: the service's own, else a `PlannedPlacement`'s choice (which may need an FP8
 * KV cache to fit), with the planner's runners-up.
 */
export function deriveParallelism(
  self: string,
  props: VllmInferenceServiceProps,
): { tensorParallelSize: number; kvCacheDtype?: KvCacheDtype; placementChoice?: { chosen: ShapeOption; runnersUp: readonly ShapeOption[] } } {
  const planned = props.placement instanceof PlannedPlacement ? props.placement : undefined;
  const tensorParallelSize = props.tensorParallelSize ?? planned?.tensorParallelSize ?? 1;
  requirePositiveInteger(self, 'tensorParallelSize', tensorParallelSize);
  return {
    tensorParallelSize,
    // the planner's choice may need an FP8 KV cache to fit: take it unless the service says otherwise
    kvCacheDtype: props.kvCacheDtype ?? (planned?.shape.kvCacheDtype === 'fp8' ? KvCacheDtype.FP8 : undefined),
    placementChoice: planned ? { chosen: planned.shape, runnersUp: planned.runnersUp } : undefined,
  };
}

/** The GPU memory plan of one replica, when the model is known. */
export function deriveMemoryPlan(
  self: string,
  props: VllmInferenceServiceProps,
  instanceType: GpuInstanceType,
  tensorParallelSize: number,
  kvCacheDtype: KvCacheDtype | undefined,
): MemoryPlan | undefined {
  if (!props.model) return undefined;
  try {
    return plan();
  } catch (e) {
    // the planner's messages name the vLLM flag; the object they belong to is added here
    throw new Error(`${self}: ${(e as Error).message}`);
  }
  function plan(): MemoryPlan {
    return planMemory({
      model: props.model!,
      gpu: instanceType.gpu,
      tensorParallelSize,
      maxModelLen: props.maxModelLen,
      gpuMemoryUtilization: props.gpuMemoryUtilization,
      kvCacheDtype,
      dtype: props.dtype,
      quantization: props.quantization,
      maxNumSeqs: props.maxNumSeqs,
      maxNumBatchedTokens: props.maxNumBatchedTokens,
    });
  }
}

/** The signal of an autoscaling option: `signal`, or the deprecated `metric`/`target`, or vLLM's queue. */
export function scaleSignalOf(a: AutoscalingOptions): ScaleSignal {
  if (a.signal && (a.metric !== undefined || a.target !== undefined)) {
    throw new Error('autoscaling: give signal, or the deprecated metric/target, not both');
  }
  if (a.signal) return a.signal;
  if (a.metric !== undefined || a.target !== undefined) return a.metric === 'memory' ? ScaleSignal.memory(a.target) : ScaleSignal.cpu(a.target);
  return ScaleSignal.requestsWaiting();
}
