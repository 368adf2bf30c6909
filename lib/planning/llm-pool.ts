import { GpuModel } from '../catalog/gpu-model';
import { ModelProfile } from './model-profile';
import { planMemory } from './plan';
import { MemoryPlan, PlanInput } from './memory-plan';

/** `spec.parallelism` (or `spec.prefill.parallelism`) of an LLMInferenceService, as written. */
export interface PoolParallelism {
  readonly tensor?: number;
  readonly pipeline?: number;
  readonly data?: number;
  readonly dataLocal?: number;
  readonly expert?: boolean;
}

/** How one pool of an LLMInferenceService lays out its GPUs. */
export interface PoolTopology {
  readonly tensor: number;
  readonly pipeline: number;
  /** Data-parallel ranks of one group (`data`; `dataLocal` when only that is set). */
  readonly data: number;
  readonly dataLocal: number;
  readonly expert: boolean;
  /** The pool runs as a LeaderWorkerSet (a `worker` template is set). */
  readonly multiNode: boolean;
  /** GPUs each pod requests: tensor × dataLocal (× pipeline on one node). */
  readonly gpusPerPod: number;
  /** Pods of one LeaderWorkerSet group (the leader included); 1 on one node. */
  readonly podsPerGroup: number;
  /** Ranks the routed experts are spread over with `expert: true` (vLLM: tensor × data parallel size). */
  readonly expertParallelSize?: number;
}

/** Why a parallelism is refused, and by whom. */
export interface PoolProblem {
  /** The field, relative to the pool (`parallelism.data`, `worker`). */
  readonly field: string;
  readonly message: string;
}

/** Presets OpenShift AI does not ship but the controller looks up for a multi-node pipeline-parallel pool. */
export const PIPELINE_PRESETS = {
  main: 'kserve-config-llm-worker-pipeline-parallel',
  decode: 'kserve-config-llm-decode-worker-pipeline-parallel',
  prefill: 'kserve-config-llm-prefill-worker-pipeline-parallel',
} as const;

/**
 * What the KServe webhook refuses in one pool's parallelism (pkg/apis/serving/v1alpha2/llm_inference_service_validation.go
 * validateWorkloadParallelism; the same rules in odh-v3.0 pkg/controller/llmisvc/validation/llminferenceservice_validator.go),
 * and what passes the webhook but cannot run: `data` not a multiple of `dataLocal` (the controller's GetSize divides
 * them as integers, so the group holds fewer ranks than vLLM waits for), and data ranks beyond one pod without a worker.
 */
export function parallelismProblems(p: PoolParallelism | undefined, multiNode: boolean): PoolProblem[] {
  const out: PoolProblem[] = [];
  const dataParallel = (p?.data ?? 0) > 0 || (p?.dataLocal ?? 0) > 0;
  const pipelineParallel = (p?.pipeline ?? 0) > 0;
  if (multiNode && !dataParallel && !pipelineParallel) {
    out.push({
      field: 'worker',
      message:
        'when worker is specified, parallelism must be configured for either data parallelism or pipeline parallelism (KServe webhook): set parallelism.data and dataLocal, or parallelism.pipeline',
    });
  }
  if (!p) return out;
  for (const k of ['tensor', 'pipeline', 'data', 'dataLocal'] as const) {
    const v = p[k];
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) {
      out.push({ field: `parallelism.${k}`, message: `${k} parallelism must be a whole number greater than 0, got ${String(v)} (KServe webhook)` });
    }
  }
  if (pipelineParallel && dataParallel) {
    out.push({
      field: 'parallelism',
      message: 'cannot set both pipeline parallelism and data parallelism (data or dataLocal) simultaneously (KServe webhook): keep one',
    });
  }
  if ((p.data !== undefined) !== (p.dataLocal !== undefined)) {
    out.push(
      p.data !== undefined
        ? {
            field: 'parallelism.dataLocal',
            message: 'dataLocal must be set when data is set (KServe webhook): set dataLocal to the data-parallel ranks of one pod',
          }
        : {
            field: 'parallelism.data',
            message: 'data must be set when dataLocal is set (KServe webhook): set data to the data-parallel ranks of the whole group',
          },
    );
  }
  const { data, dataLocal } = p;
  if (data !== undefined && dataLocal !== undefined && data > 0 && dataLocal > 0) {
    if (data % dataLocal !== 0) {
      out.push({
        field: 'parallelism.data',
        message: `data ${data} is not a multiple of dataLocal ${dataLocal}: the controller sizes the LeaderWorkerSet group as ${Math.max(Math.floor(data / dataLocal), 1)} pods (integer division), which hold fewer than the ${data} ranks vLLM waits for: make data a multiple of dataLocal`,
      });
    } else if (data > dataLocal && !multiNode) {
      out.push({
        field: 'parallelism.data',
        message: `data ${data} ranks over ${data / dataLocal} pods need a worker template (a LeaderWorkerSet group); without one the controller runs single pods with ${dataLocal} rank(s) and vLLM waits for the others: add a worker, or set data to dataLocal`,
      });
    }
  }
  return out;
}

/** The GPU layout of a pool whose parallelism passed `parallelismProblems`. */
export function poolTopology(p: PoolParallelism | undefined, multiNode: boolean): PoolTopology {
  const tensor = p?.tensor ?? 1;
  const pipeline = p?.pipeline ?? 1;
  const dataLocal = p?.dataLocal ?? 1;
  const data = p?.data ?? dataLocal;
  const expert = p?.expert === true;
  // the controller's ParallelismSpec.GetSize: data / dataLocal pods for data parallelism, pipeline pods for pipeline
  const podsPerGroup = multiNode ? ((p?.pipeline ?? 0) > 0 ? pipeline : Math.max(Math.floor(data / dataLocal), 1)) : 1;
  // across a group each pod runs one pipeline stage; on one node one pod runs them all
  const gpusPerPod = tensor * dataLocal * (multiNode ? 1 : pipeline);
  return {
    tensor,
    pipeline,
    data,
    dataLocal,
    expert,
    multiNode,
    gpusPerPod,
    podsPerGroup,
    ...(expert ? { expertParallelSize: tensor * data } : {}),
  };
}

/** vLLM settings of one pool, beside its topology. */
export type PoolEngineSettings = Omit<PlanInput, 'model' | 'gpu' | 'tensorParallelSize' | 'pipelineParallelSize' | 'expertParallelSize'>;

/**
 * The memory plan of one GPU of a pool: weights sharded tensor × pipeline (each stage on its own GPUs, across the
 * group's pods when multi-node), routed experts spread over tensor × data ranks with expert parallelism, LoRA slots
 * in the budget. Data-parallel ranks each hold a full copy otherwise, so they do not divide the weights.
 */
export function planPool(model: ModelProfile, gpu: GpuModel, topology: PoolTopology, settings: PoolEngineSettings = {}): MemoryPlan {
  return planMemory({
    ...settings,
    model,
    gpu,
    tensorParallelSize: topology.tensor,
    pipelineParallelSize: topology.pipeline,
    expertParallelSize: topology.expertParallelSize,
  });
}
