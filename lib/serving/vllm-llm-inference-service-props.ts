import * as kplus from 'cdk8s-plus-33';
import { GpuInstanceType } from '../catalog/instance-type';
import { IWorkloadQueue } from '../cluster/workload-queue';
import { IGpuPlacement } from '../placement/gpu-placement';
import { Platform } from '../platform/platform';
import { PoolTopology } from '../planning/llm-pool';
import { ModelProfile } from '../planning/model-profile';
import { MemoryPlan } from '../planning/memory-plan';
import { ModelSource } from '../sources/model-source';
import { SecretKeyReference } from '../storage/s3-connection';
import { LlmRouter } from './llm-router';
import { ResolvedResources } from './pod-resources';
import { StartupBudgetOptions } from './service-startup';
import { VllmEngineOptions } from './vllm-engine-options';

/**
 * The API version an LLMInferenceService is written in: `v1alpha1` on OpenShift AI 3.0–3.3, `v1alpha2` (the
 * storage version, served beside v1alpha1) from 3.4. The spec this construct writes is the same in both.
 */
export type LlmInferenceServiceApiVersion = Platform['llmInferenceServiceApiVersion'];

/** `spec.parallelism` of a pool. */
export interface LlmParallelism {
  /**
   * Tensor-parallel size: GPUs one engine shards each layer over.
   * @default 1
   */
  readonly tensor?: number;
  /**
   * Pipeline stages the layers are split over (one pod per stage with a worker, all in one pod without).
   * @default - none
   */
  readonly pipeline?: number;
  /**
   * Data-parallel ranks of the whole group (each rank a full copy of the model, tensor-sharded). Needs `dataLocal`.
   * @default - none
   */
  readonly data?: number;
  /**
   * Data-parallel ranks in one pod; the pod requests tensor × dataLocal GPUs.
   * @default - none
   */
  readonly dataLocal?: number;
  /**
   * Expert parallelism (`--enable-expert-parallel`): an MoE model's routed experts are spread over tensor × data ranks.
   * @default false
   */
  readonly expert?: boolean;
}

/** One pool of pods: the decode (main) pool, or the prefill pool of a disaggregated service. */
export interface LlmPoolOptions extends Omit<VllmEngineOptions, 'tensorParallelSize'> {
  /**
   * Replicas (LeaderWorkerSet groups when multi-node).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * How the pool shards the model.
   * @default - one GPU, no parallelism
   */
  readonly parallelism?: LlmParallelism;
  /**
   * Run each replica as a LeaderWorkerSet group across nodes (`spec.worker`): data parallelism puts `data / dataLocal`
   * pods in a group, pipeline parallelism one pod per stage. Kueue admits a group as one workload whose size is fixed
   * at creation; KServe refuses any change of the parallelism size after creation too, so a new size means a new service.
   * @default false
   */
  readonly multiNode?: boolean;
  /**
   * Where the pool's pods run.
   * @default - the service's placement (for the prefill pool)
   */
  readonly placement?: IGpuPlacement;
  /**
   * CPU request and limit of the vLLM container of each pod.
   * @default - request 4 and limit 8 cores per GPU, capped by the node
   */
  readonly cpu?: kplus.CpuResources;
  /**
   * Memory request and limit of the vLLM container of each pod.
   * @default - request 16 GiB per GPU, limit twice the request, both capped by the node
   */
  readonly memory?: kplus.MemoryResources;
  /**
   * Environment variables of the vLLM container.
   * @default - none
   */
  readonly env?: { readonly [name: string]: string };
}

/** A static LoRA adapter, served beside the base model under its own name. */
export interface LlmLoraAdapter {
  /** The name clients send as `model`; unique, and not the base model's name. */
  readonly name: string;
  /** A Hugging Face repository (`hf://org/adapter`), which vLLM downloads at start-up. */
  readonly uri: string;
}

/** Static LoRA adapters of a service (`spec.model.lora`, and vLLM's `--enable-lora` flags). */
export interface LlmLoraOptions {
  readonly adapters: readonly LlmLoraAdapter[];
  /** The largest rank among the adapters (`--max-lora-rank`): every slot is preallocated at this rank. */
  readonly maxRank: number;
  /**
   * Adapters resident on the GPU at once (`--max-loras`).
   * @default - the number of adapters
   */
  readonly maxAdapters?: number;
}

/** Properties of a `VllmLlmInferenceService`. */
export interface VllmLlmInferenceServiceProps extends LlmPoolOptions {
  /**
   * Name of the LLMInferenceService.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Where the weights come from: `ModelSource.s3(…)`, `.oci(…)`, `.pvc(…)` or `.huggingFace(…)`. Download credentials
   * (the S3 connection Secret, a Hugging Face token) are listed on a ServiceAccount of the service, where KServe's
   * storage initializer reads them. It takes an S3 endpoint only from the Secret's annotation
   * `serving.kserve.io/s3-endpoint` or its key `S3_ENDPOINT` (pkg/credentials/s3), not from a dashboard connection's
   * `AWS_S3_ENDPOINT`: annotate the connection Secret for MinIO or any endpoint other than AWS.
   */
  readonly source: ModelSource;
  /**
   * The model's architecture: each pool is planned from it (GPU memory, KV cache), PLAN.md reports the plans, and
   * synth fails for a pool that cannot start.
   * @default - no plan
   */
  readonly model?: ModelProfile;
  /**
   * The model name clients send (`spec.model.name`).
   * @default - the service name
   */
  readonly modelName?: string;
  /** Where the decode pool's pods run (and the prefill pool's unless it names its own). */
  readonly placement: IGpuPlacement;
  /**
   * The Kueue quota that admits every pool's pods: the service is labelled with its LocalQueue, which the controller
   * copies to each pool's Deployment or LeaderWorkerSet and their pods.
   * @default - no Kueue label
   */
  readonly queue?: IWorkloadQueue;
  /**
   * A prefill pool (prefill/decode disaggregation, Tech Preview in OpenShift AI 3.4): its own replicas, parallelism,
   * resources and placement; the scheduler sends prompts there and decoding to the main pool.
   * @default - no prefill pool (the main pool does both)
   */
  readonly prefill?: LlmPoolOptions;
  /**
   * How requests reach the pods.
   * @default LlmRouter.managed()
   */
  readonly router?: LlmRouter;
  /**
   * `LLMInferenceServiceConfig` presets merged under the spec (`spec.baseRefs`), e.g. an accelerator preset of
   * OpenShift AI (`kserve-config-llm-template-nvidia-cuda`).
   * @default - none (the controller's well-known presets only)
   */
  readonly baseRefs?: readonly string[];
  /**
   * Static LoRA adapters; their memory (max rank × adapters) is planned in every pool.
   * @default - none
   */
  readonly lora?: LlmLoraOptions;
  /**
   * Require a bearer token on the route (OpenShift AI's `security.opendatahub.io/enable-auth`, enforced through Red
   * Hat Connectivity Link). OpenShift AI turns it on when the annotation is absent; it is written either way.
   * @default true
   */
  readonly enableAuth?: boolean;
  /**
   * Environment variables of the vLLM container of every pool read from Secret keys (declared as created outside Git).
   * @default - none
   */
  readonly secretEnv?: { readonly [name: string]: SecretKeyReference };
  /**
   * The bandwidths the start-up budget assumes. With a model, each pool's leader pods get a start-up probe of twice the
   * expected load and warm-up (at least 10 minutes) wherever the platform's presets allow less: OpenShift AI 3.0–3.3
   * give vLLM a liveness probe after 120 s (300 s multi-node) and no start-up probe, 3.4 and KServe 0.20 a start-up
   * probe of 10 minutes. The service's probe fields replace the preset's, which keeps its handler.
   * @default - 250 MiB/s for weights on the node's disk (S3, Hugging Face, modelcar), 150 for a PVC
   */
  readonly startupBudget?: StartupBudgetOptions;
  /**
   * Argo CD sync wave.
   * @default 10
   */
  readonly syncWave?: number;
}

/** What one pool came out as. */
export interface LlmPool {
  /** `decode` (the main pool) or `prefill`. */
  readonly role: 'decode' | 'prefill';
  readonly topology: PoolTopology;
  readonly replicas: number;
  readonly instanceType: GpuInstanceType;
  /** Requests of one pod's vLLM container: CPU in millicores, memory in MiB. */
  readonly requests: { readonly cpuMillis: number; readonly memoryMiB: number };
  /** The memory plan of one GPU of the pool, when the model is known. */
  readonly plan?: MemoryPlan;
}

/** A pool's options with the placement it runs on (the prefill pool's defaults to the service's). */
export type PoolOptions = LlmPoolOptions & { placement?: IGpuPlacement };

/** One pool as derived: what it is, where it runs, the resources of one pod. */
export interface DerivedPool {
  readonly pool: LlmPool;
  readonly placement: IGpuPlacement;
  readonly resources: ResolvedResources;
}
