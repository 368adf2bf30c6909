import * as kplus from 'cdk8s-plus-33';
import { IWorkloadQueue } from '../cluster/workload-queue';
import { IGpuPlacement } from '../placement/gpu-placement';
import { ModelProfile } from '../planning/model-profile';
import { ModelSource } from '../sources/model-source';
import { SecretKeyReference } from '../storage/s3-connection';
import { ScaleSignal } from './scale-signal';
import { StartupBudgetOptions } from './service-startup';
import { VllmEngineOptions } from './vllm-engine-options';
import { VllmRuntime } from './vllm-runtime';

/** Horizontal scaling of a RawDeployment service between min and max replicas. */
export interface AutoscalingOptions {
  /** Replicas at least. */
  readonly minReplicas: number;
  /** Replicas at most: MachineSet nodes, Kueue quota and cost are sized for this many. */
  readonly maxReplicas: number;
  /**
   * What to scale on: a vLLM metric through KEDA (KServe's `autoscalerClass: keda`, querying OpenShift's cluster
   * Prometheus with a token the cluster issues), or CPU/memory utilization through KServe's HPA.
   * @default - `ScaleSignal.requestsWaiting()`: vLLM's queue per replica, threshold from the GPU plan
   */
  readonly signal?: ScaleSignal;
  /**
   * @deprecated use `signal: ScaleSignal.cpu(target)` or `ScaleSignal.memory(target)`
   * @default - see `signal`
   */
  readonly metric?: 'cpu' | 'memory';
  /**
   * @deprecated the target of `metric`; use `signal`
   * @default 80
   */
  readonly target?: number;
}

/**
 * Properties of a `VllmInferenceService`.
 */
export interface VllmInferenceServiceProps extends VllmEngineOptions {
  /**
   * Name of the InferenceService; it is also the model name clients send to the OpenAI API.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** The runtime that serves the model. It must be in the same namespace. */
  readonly runtime: VllmRuntime;
  /** Where the weights come from: `ModelSource.s3(…)`, `.oci(…)`, `.pvc(…)` or `.huggingFace(…)`. */
  readonly source: ModelSource;
  /**
   * The model's architecture (its `config.json`, and weight index when known): the GPU planner sizes weights and
   * KV cache from it at synth time, `PLAN.md` reports the result, and the `gpu-memory-fit` check fails synth
   * when the model cannot start.
   * @default - no plan; the check reports the model as unknown
   */
  readonly model?: ModelProfile;
  /**
   * Where the pods run: a `GpuMachineSetScale` or `ExistingGpuNodes`. Its node selector and taints become the
   * service's, its GPU model drives the plan, and the service's GPUs count towards its nodes.
   */
  readonly placement: IGpuPlacement;
  /**
   * The Kueue quota that admits the pods; the service is labelled with its LocalQueue and counted in its demand.
   * @default - no Kueue label
   */
  readonly queue?: IWorkloadQueue;
  /**
   * GPUs per replica.
   * @default - the tensor-parallel size
   */
  readonly gpuCount?: number;
  /**
   * CPU request and limit of the vLLM container.
   * @default - request 4 and limit 8 cores per GPU, capped at half and all of the node's allocatable CPU
   */
  readonly cpu?: kplus.CpuResources;
  /**
   * Memory request and limit of the vLLM container. The memory-backed `/dev/shm` counts against the limit.
   * @default - request 16 GiB per GPU, limit twice the request, both capped by the node
   */
  readonly memory?: kplus.MemoryResources;
  /**
   * Replicas; the dashboard keeps min = max.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Scale between min and max replicas (instead of a fixed `replicas`).
   * @default - no autoscaling
   */
  readonly autoscaling?: AutoscalingOptions;
  /**
   * Probes sized from the model: a start-up probe that allows the weights to load and the engine to warm up (twice
   * the expected time, at least 10 minutes), and a liveness probe that runs only after it (so it cannot kill a loading
   * model). PLAN.md shows the budget and its parts.
   * @default - no start-up or liveness probe (the runtime's readiness probe only: a hung start is never restarted)
   */
  readonly startupBudget?: StartupBudgetOptions;
  /**
   * Require a bearer token (an OpenShift service-account token with access to the service) on the endpoint: OpenShift
   * AI's `security.opendatahub.io/enable-auth` puts kube-rbac-proxy in front of vLLM. Set it on exposed services.
   * @default false
   */
  readonly enableAuth?: boolean;
  /**
   * Environment variables of the vLLM container read from Secret keys. The Secrets are declared as created outside
   * Git. (A Hugging Face token for the download belongs to the source: `ModelSource.huggingFace(…, { tokenSecret })`.)
   * @default - none
   */
  readonly secretEnv?: { readonly [name: string]: SecretKeyReference };
  /**
   * ServiceAccount of the predictor pods, when the team brings one (image pull secrets, cloud credentials such as
   * AWS IRSA for S3). KServe's storage initializer reads download credentials from its Secrets.
   * @default - a ServiceAccount of the service's own when the source needs download credentials (a Hugging Face
   * token), else the namespace's default
   */
  readonly serviceAccountName?: string;
  /**
   * ConfigMaps whose keys all become environment variables of the vLLM container.
   * @default - none
   */
  readonly envFromConfigMaps?: string[];
  /**
   * Name of an OpenShift AI HardwareProfile to record on the service (`opendatahub.io/hardware-profile-name`).
   * Its webhook adds only what the service does not already set, since requests, limits and queue are explicit here.
   * @default - none
   */
  readonly hardwareProfileName?: string;
  /**
   * Namespace of the HardwareProfile.
   * @default 'redhat-ods-applications' (where global profiles live)
   */
  readonly hardwareProfileNamespace?: string;
  /**
   * Display name in the OpenShift AI dashboard.
   * @default - the service name
   */
  readonly displayName?: string;
  /**
   * Expose the service outside the cluster through an OpenShift Route (`networking.kserve.io/visibility: exposed`).
   * @default false
   */
  readonly externalRoute?: boolean;
  /**
   * Environment variables of the vLLM container.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Argo CD sync wave; after the runtime (5).
   * @default 10
   */
  readonly syncWave?: number;
}
