import { ApiObject, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import * as kserve from '../../imports/serving.kserve.io';
import { GpuInstanceType } from '../catalog/instance-type';
import { architectureVerdict, compareVllmVersions, TRANSFORMERS_FALLBACK_SINCE } from '../catalog/vllm-architectures';
import { vllmVersionOfImageReference } from '../catalog/vllm-images';
import { WorkloadDemand } from '../placement/gpu-demand';
import { GPU_TAINT, IGpuPlacement, NodeTaint, tolerationOf } from '../placement/gpu-placement';
import { PlannedPlacement } from '../placement/planned-placement';
import { ShapeOption } from '../planning/plan';
import { IWorkloadQueue, queueMetadata } from '../cluster/workload-queue';
import { ModelProfile } from '../planning/model-profile';
import { planMemory } from '../planning/plan';
import { KV_CACHE_DTYPES, MemoryPlan, VLLM_DTYPES } from '../planning/vllm-memory';
import { quantizationConflict } from '../planning/vllm-startup-checks';
import {
  requireBoolean,
  requireDnsLabel,
  requireDnsSubdomain,
  requireEnv,
  requireInferenceServiceName,
  requirePositiveInteger,
  requireSecretEnv,
} from '../private/names';
import { AUTH_PROXY_REQUESTS } from '../check/pods';
import { cpuPropMillis, formatMiB, sizeMiB } from '../private/quantity';
import { constructPath, resolveNamespace } from '../private/scope';
import { ModelSource, ModelSourceBinding } from '../sources/model-source';
import { SecretKeyReference } from '../storage/s3-connection';
import { VllmRuntime } from './vllm-runtime';
import { PrometheusReader } from './prometheus-reader';
import { ResolvedScaleSignal, ScaleSignal, THANOS_QUERIER_URL } from './scale-signal';
import { StartupBudget, startupBudget, PROBE_PERIOD_SECONDS, weightOriginOf } from '../planning/startup-budget';
import { nodeShapeAnnotation } from '../check/node-shape';
import { Platform, platformOf, requireOnPlatform } from '../platform/platform';
import { syncWaveOf } from '../private/argocd';
import { VllmConstruct } from '../check/app-construct';
import {
  AUTOSCALER_CLASS_ANNOTATION,
  DASHBOARD_LABEL,
  DEPLOYMENT_MODE_ANNOTATION,
  ENABLE_AUTH_ANNOTATION,
  EXTERNAL_SECRETS_ANNOTATION,
  GPU_RESOURCE,
  HARDWARE_PROFILE_ANNOTATION,
  HARDWARE_PROFILE_NAMESPACE_ANNOTATION,
  NODE_SHAPE_ANNOTATION,
  SYNC_WAVE_ANNOTATION,
} from '../k8s/keys';

/** Data type of weights and activations (`--dtype`). */
export enum VllmDtype {
  AUTO = 'auto',
  BFLOAT16 = 'bfloat16',
  FLOAT16 = 'float16',
  FLOAT32 = 'float32',
}

/** Data type of the KV cache (`--kv-cache-dtype`). */
export enum KvCacheDtype {
  AUTO = 'auto',
  FP8 = 'fp8',
  FP8_E4M3 = 'fp8_e4m3',
  FP8_E5M2 = 'fp8_e5m2',
}

/**
 * vLLM engine options of one service. Each becomes one `--flag=value` argument appended to the runtime's.
 */
export interface VllmEngineOptions {
  /**
   * Tensor-parallel size: the number of GPUs one replica shards the model over.
   * @default 1
   */
  readonly tensorParallelSize?: number;
  /**
   * `--dtype`.
   * @default - vLLM's default (`auto`: the checkpoint's dtype)
   */
  readonly dtype?: VllmDtype;
  /**
   * `--max-model-len`: the longest sequence (prompt + output) one request may have.
   * @default - the model's `max_position_embeddings`
   */
  readonly maxModelLen?: number;
  /**
   * `--gpu-memory-utilization`: the share of each GPU's memory vLLM may use for weights, activations and KV cache.
   * @default - vLLM's default (0.9)
   */
  readonly gpuMemoryUtilization?: number;
  /**
   * `--kv-cache-dtype`.
   * @default - vLLM's default (`auto`: the model dtype)
   */
  readonly kvCacheDtype?: KvCacheDtype;
  /**
   * `--quantization`. Leave it unset for pre-quantized checkpoints (FP8, AWQ, GPTQ, compressed-tensors):
   * vLLM reads the method from the checkpoint and rejects a different one.
   * @default - none (what the checkpoint says)
   */
  readonly quantization?: string;
  /**
   * `--max-num-seqs`.
   * @default - vLLM's default for the GPU
   */
  readonly maxNumSeqs?: number;
  /**
   * `--max-num-batched-tokens`.
   * @default - vLLM's default for the GPU
   */
  readonly maxNumBatchedTokens?: number;
  /**
   * Further vLLM arguments, appended verbatim. They must not repeat a flag set by a typed option or by the runtime.
   * @default - none
   */
  readonly extraArgs?: string[];
}

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

/** What bounds a vLLM pod's start: the start-up probe is sized from the model's bytes and where they come from. */
export interface StartupBudgetOptions {
  /**
   * How fast the container reads the weights, MiB/s.
   * @default - 250 for weights on the node's disk (S3, Hugging Face, modelcar), 150 for a PVC
   */
  readonly readMiBps?: number;
  /**
   * How fast the storage initializer downloads them, MiB/s (reported in PLAN.md; no probe covers the download).
   * @default - 100 from S3, 40 from Hugging Face
   */
  readonly downloadMiBps?: number;
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

/** Suffix of the ServiceAccount a service renders for its download credentials. */
const SERVICE_ACCOUNT_SUFFIX = 'storage';

/** The vLLM flags a typed option owns. */
const TYPED_FLAGS: Record<string, keyof VllmEngineOptions> = {
  '--tensor-parallel-size': 'tensorParallelSize',
  '--dtype': 'dtype',
  '--max-model-len': 'maxModelLen',
  '--gpu-memory-utilization': 'gpuMemoryUtilization',
  '--kv-cache-dtype': 'kvCacheDtype',
  '--quantization': 'quantization',
  '--max-num-seqs': 'maxNumSeqs',
  '--max-num-batched-tokens': 'maxNumBatchedTokens',
};
const SHORT_FLAGS: Record<string, string> = { '-tp': '--tensor-parallel-size', '-q': '--quantization' };

/**
 * A KServe `InferenceService` (`serving.kserve.io/v1beta1`, `RawDeployment`) that serves a model with vLLM, weights
 * from S3, an OCI modelcar, a PVC or Hugging Face.
 *
 * The GPU count follows the tensor-parallel size, node selector and tolerations follow the placement, the queue
 * label follows the Kueue quota, and the runtime sizes `/dev/shm` for it: each fact is stated once.
 */
export class VllmInferenceService extends VllmConstruct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly tensorParallelSize: number;
  public readonly gpuCount: number;
  /** Replicas at most (the fixed count without autoscaling). */
  public readonly replicas: number;
  /** Replicas at least. */
  public readonly minReplicas: number;
  public readonly storageUri: string;
  public readonly instanceType: GpuInstanceType;
  public readonly runtime: VllmRuntime;
  /** The vLLM arguments the service appends to the runtime's. */
  public readonly args: readonly string[];
  /** Requests of one pod's vLLM container: CPU in millicores, memory in MiB. */
  public readonly requests: { readonly cpuMillis: number; readonly memoryMiB: number };
  /** The rendered InferenceService. */
  public readonly apiObject: kserve.InferenceService;
  /**
   * The predictor's ServiceAccount, rendered when the source needs download credentials (a Hugging Face token): KServe's
   * storage initializer reads them only from the Secrets this account lists.
   */
  public readonly serviceAccount?: ApiObject;
  /** The model's architecture, when given. */
  public readonly model?: ModelProfile;
  /** The planner's choice of placement and its runners-up, when placed on a `PlannedPlacement`. */
  public readonly placementChoice?: { readonly chosen: ShapeOption; readonly runnersUp: readonly ShapeOption[] };
  /** The GPU memory plan of one replica, when the model is known. */
  public readonly plan?: MemoryPlan;
  /** Whether the endpoint requires a bearer token (`enableAuth`). */
  public readonly authEnabled: boolean;
  /** What the service scales on, when it autoscales. */
  public readonly scaling?: ResolvedScaleSignal;
  /** How long a pod needs to start, when the model is known; `probed` says whether the probes enforce it. */
  public readonly startup?: StartupBudget & { readonly probed: boolean };

  constructor(scope: Construct, id: string, props: VllmInferenceServiceProps) {
    super(scope, id);
    const where = constructPath(new.target.name, this);
    this.name = requireInferenceServiceName(where, 'name', props.name ?? id);
    this.namespace = resolveNamespace(this, where, props.namespace);
    const self = `InferenceService ${this.namespace}/${this.name}`;

    // 1. validate what the props say on their own, and against what the app's platform can render
    validateProps(self, this.namespace, props);
    this.validateForPlatform(self, props);

    // 2. derive the facts: parallelism, GPUs, replicas, resources, the memory plan
    const planned = props.placement instanceof PlannedPlacement ? props.placement : undefined;
    this.placementChoice = planned ? { chosen: planned.shape, runnersUp: planned.runnersUp } : undefined;
    this.tensorParallelSize = props.tensorParallelSize ?? planned?.tensorParallelSize ?? 1;
    requirePositiveInteger(self, 'tensorParallelSize', this.tensorParallelSize);
    // the planner's choice may need an FP8 KV cache to fit: take it unless the service says otherwise
    const kvCacheDtype = props.kvCacheDtype ?? (planned?.shape.kvCacheDtype === 'fp8' ? KvCacheDtype.FP8 : undefined);
    this.instanceType = props.placement.instanceType;
    this.gpuCount = gpuCountOf(self, props, this.tensorParallelSize, this.instanceType);
    this.minReplicas = props.autoscaling?.minReplicas ?? props.replicas ?? 1;
    this.replicas = props.autoscaling?.maxReplicas ?? props.replicas ?? 1;
    this.model = props.model;
    this.plan = deriveMemoryPlan(self, props, this.instanceType, this.tensorParallelSize, kvCacheDtype);
    this.runtime = props.runtime;
    const source = bindSource(self, props);
    this.storageUri = source.storageUri;
    this.authEnabled = props.enableAuth === true;
    this.scaling = props.autoscaling
      ? scaleSignalOf(props.autoscaling).resolve(self, { service: this.name, namespace: this.namespace, plan: this.plan })
      : undefined;
    this.startup = props.model ? { ...startupBudgetOf(self, props, this.storageUri), probed: props.startupBudget !== undefined } : undefined;
    if (props.startupBudget && !props.model) {
      throw new Error(`${self}: startupBudget is sized from the checkpoint's bytes: give the service its model (ModelProfile)`);
    }
    this.args = renderArgs({ ...props, kvCacheDtype }, this.tensorParallelSize);
    const resources = deriveResources(self, this.gpuCount, this.instanceType, this.tensorParallelSize, props);
    this.requests = { cpuMillis: resources.cpuRequestMillis, memoryMiB: resources.memoryRequestMiB };

    // 3. tell the runtime, the placement and the queue what this service needs
    props.runtime.bind({ serviceName: self, tensorParallelSize: this.tensorParallelSize, namespace: this.namespace });
    const demand = this.demandOf(self, props, resources);
    props.placement.place(demand);
    props.queue?.admit(demand);

    // 4. render the objects
    const wave = syncWaveOf(where, props.syncWave, 10);
    const reader = this.scaling?.autoscaler === 'keda' ? PrometheusReader.of(this, this.namespace, wave - 1) : undefined;
    if (props.serviceAccountName === undefined && source.downloadSecrets.length) this.serviceAccount = this.renderServiceAccount(source, wave);
    this.apiObject = this.renderService(props, source, resources, reader);
  }

  /** OpenShift AI's controllers read these props; upstream KServe would ignore them silently. */
  private validateForPlatform(self: string, props: VllmInferenceServiceProps): void {
    if (props.hardwareProfileName !== undefined) requireOnPlatform(this, self, 'hardwareProfileName (an OpenShift AI HardwareProfile)', (p) => p.openShiftAi);
    if (props.enableAuth) requireOnPlatform(this, self, 'enableAuth (OpenShift AI token auth, security.opendatahub.io/enable-auth)', (p) => p.openShiftAi);
  }

  /** What one replica set needs of nodes and quota; with token auth each pod also runs the kube-rbac-proxy sidecar. */
  private demandOf(self: string, props: VllmInferenceServiceProps, resources: ResolvedResources): WorkloadDemand {
    const sidecar = props.enableAuth ? AUTH_PROXY_REQUESTS : { cpuMillis: 0, memoryMiB: 0 };
    return {
      workload: self,
      instanceType: this.instanceType,
      pods: this.replicas,
      gpusPerPod: this.gpuCount,
      cpuMillisPerPod: resources.cpuRequestMillis + sidecar.cpuMillis,
      memoryMiBPerPod: resources.memoryRequestMiB + sidecar.memoryMiB,
      ...(props.enableAuth
        ? {
            includes: `with the ${AUTH_PROXY_REQUESTS.cpuMillis}m CPU and ${AUTH_PROXY_REQUESTS.memoryMiB}Mi of the kube-rbac-proxy sidecar that enableAuth adds`,
          }
        : {}),
    };
  }

  /** The predictor's ServiceAccount listing the source's download Secrets, the only place the storage initializer reads them. */
  private renderServiceAccount(source: ModelSourceBinding, wave: number): ApiObject {
    return new ApiObject(this, 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: `${this.name}-${SERVICE_ACCOUNT_SUFFIX}`,
        namespace: this.namespace,
        // the Deployment's pods cannot be created before their ServiceAccount exists
        annotations: { [SYNC_WAVE_ANNOTATION]: String(wave - 1), [EXTERNAL_SECRETS_ANNOTATION]: [...source.downloadSecrets].sort().join(',') },
      },
      secrets: [...source.downloadSecrets].sort().map((name) => ({ name })),
    });
  }

  private renderService(
    props: VllmInferenceServiceProps,
    source: ModelSourceBinding,
    resources: ResolvedResources,
    reader: PrometheusReader | undefined,
  ): kserve.InferenceService {
    return new kserve.InferenceService(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: labelsFor(props),
        annotations: {
          ...annotationsFor(this.name, props, source, platformOf(this)),
          [NODE_SHAPE_ANNOTATION]: nodeShapeAnnotation(this.instanceType, props.placement.description),
          // KServe creates a KEDA ScaledObject instead of an HPA for this class (pkg/constants AutoscalerClassKeda)
          ...(reader ? { [AUTOSCALER_CLASS_ANNOTATION]: 'keda' } : {}),
        },
      },
      spec: { predictor: this.predictor(props, source, resources, reader?.triggerAuthenticationName) },
    });
  }

  private predictor(
    props: VllmInferenceServiceProps,
    source: ModelSourceBinding,
    resources: ResolvedResources,
    triggerAuthentication?: string,
  ): kserve.InferenceServiceSpecPredictor {
    const q = (v: string) => kserve.InferenceServiceSpecPredictorModelResourcesLimits.fromString(v);
    return {
      minReplicas: this.minReplicas,
      maxReplicas: this.replicas,
      ...scalingFields(this.scaling, this.namespace, triggerAuthentication),
      // a GPU replica cannot surge: the new pod would wait for the GPUs (and Kueue quota) the old one holds
      deploymentStrategy: { type: 'Recreate' },
      ...(this.serviceAccount || props.serviceAccountName ? { serviceAccountName: this.serviceAccount?.name ?? props.serviceAccountName } : {}),
      nodeSelector: { ...props.placement.nodeSelector },
      tolerations: tolerationsFor(props.placement.taints),
      model: {
        modelFormat: { name: VllmRuntime.MODEL_FORMAT },
        runtime: props.runtime.name,
        storageUri: this.storageUri,
        ...(source.storageKey ? { storage: { key: source.storageKey } } : {}),
        args: [...this.args],
        env: [
          ...Object.entries(props.env ?? {}).map(([name, value]) => ({ name, value })),
          ...Object.entries({ ...source.secretEnv, ...props.secretEnv }).map(([name, ref]) => ({
            name,
            valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } },
          })),
        ].sort((a, b) => a.name.localeCompare(b.name)),
        ...(props.envFromConfigMaps?.length ? { envFrom: props.envFromConfigMaps.map((name) => ({ configMapRef: { name } })) } : {}),
        ...(this.startup?.probed ? probesFor(this.startup) : {}),
        resources: {
          requests: { cpu: q(resources.cpuRequest), memory: q(formatMiB(resources.memoryRequestMiB)), [GPU_RESOURCE]: q(String(this.gpuCount)) },
          limits: { cpu: q(resources.cpuLimit), memory: q(formatMiB(resources.memoryLimitMiB)), [GPU_RESOURCE]: q(String(this.gpuCount)) },
        },
      },
    };
  }
}

/** The GPU memory plan of one replica, when the model is known. */
function deriveMemoryPlan(
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

/** The source's binding; a source with download Secrets sets the predictor's account, so `serviceAccountName` cannot too. */
function bindSource(self: string, props: VllmInferenceServiceProps): ModelSourceBinding {
  const source = props.source.bind();
  if (props.serviceAccountName === undefined) return source;
  requireDnsSubdomain(self, 'serviceAccountName', props.serviceAccountName);
  if (source.downloadSecrets.length) {
    throw new Error(
      `${self}: serviceAccountName '${props.serviceAccountName}' and a source with a token Secret (${source.downloadSecrets.join(', ')}) both set the predictor's account; ` +
        `list the Secret on ServiceAccount ${props.serviceAccountName} yourself (key HF_TOKEN) and drop tokenSecret, or drop serviceAccountName`,
    );
  }
  return source;
}

/** The vLLM container's resources, with room beside the /dev/shm tensor parallelism needs. */
function deriveResources(
  self: string,
  gpuCount: number,
  instanceType: GpuInstanceType,
  tensorParallelSize: number,
  props: VllmInferenceServiceProps,
): ResolvedResources {
  const resources = defaultResources(self, gpuCount, instanceType, props);
  const minShm = VllmRuntime.shmMiBFor(tensorParallelSize);
  if (resources.memoryLimitMiB <= minShm) {
    throw new Error(
      `${self}: memory limit ${formatMiB(resources.memoryLimitMiB)} leaves no room beside the ${formatMiB(minShm)} /dev/shm that tensor parallelism ${tensorParallelSize} needs; raise memory.limit`,
    );
  }
  return resources;
}

/** The signal of an autoscaling option: `signal`, or the deprecated `metric`/`target`, or vLLM's queue. */
function scaleSignalOf(a: AutoscalingOptions): ScaleSignal {
  if (a.signal && (a.metric !== undefined || a.target !== undefined)) {
    throw new Error('autoscaling: give signal, or the deprecated metric/target, not both');
  }
  if (a.signal) return a.signal;
  if (a.metric !== undefined || a.target !== undefined) return a.metric === 'memory' ? ScaleSignal.memory(a.target) : ScaleSignal.cpu(a.target);
  return ScaleSignal.requestsWaiting();
}

/** The predictor's scaling fields: KServe's HPA on a resource, or a KEDA trigger on the cluster Prometheus. */
function scalingFields(
  scaling: ResolvedScaleSignal | undefined,
  namespace: string,
  triggerAuthentication?: string,
): Partial<kserve.InferenceServiceSpecPredictor> {
  if (!scaling) return {};
  if (scaling.resource) {
    return {
      scaleMetric:
        scaling.resource.name === 'memory' ? kserve.InferenceServiceSpecPredictorScaleMetric.MEMORY : kserve.InferenceServiceSpecPredictorScaleMetric.CPU,
      scaleTarget: scaling.resource.percent,
    };
  }
  return {
    autoScaling: {
      metrics: [
        {
          type: kserve.InferenceServiceSpecPredictorAutoScalingMetricsType.EXTERNAL,
          external: {
            // KServe turns this into a KEDA prometheus trigger (reconcilers/keda getKedaMetrics): threshold per replica
            metric: {
              backend: kserve.InferenceServiceSpecPredictorAutoScalingMetricsExternalMetricBackend.PROMETHEUS,
              serverAddress: THANOS_QUERIER_URL,
              query: scaling.query!,
              namespace,
            },
            target: {
              type: kserve.InferenceServiceSpecPredictorAutoScalingMetricsExternalTargetType.VALUE,
              value: kserve.InferenceServiceSpecPredictorAutoScalingMetricsExternalTargetValue.fromString(String(scaling.threshold)),
            },
            authenticationRef: { authModes: 'bearer', authenticationRef: { name: triggerAuthentication! } },
          },
        },
      ],
    },
  };
}

/** The start-up budget of a service from its model's bytes and the origin of its weights. */
function startupBudgetOf(self: string, props: VllmInferenceServiceProps, storageUri: string): StartupBudget {
  try {
    return startupBudget({
      checkpointBytes: props.model!.weightBytes,
      origin: weightOriginOf(storageUri),
      readMiBps: props.startupBudget?.readMiBps,
      downloadMiBps: props.startupBudget?.downloadMiBps,
    });
  } catch (e) {
    throw new Error(`${self}: ${(e as Error).message}`);
  }
}

/**
 * A start-up probe that allows the whole budget, and a liveness probe that the kubelet runs only once the start-up
 * probe has passed: it restarts a hung engine, never a loading one.
 */
function probesFor(b: StartupBudget): Pick<kserve.InferenceServiceSpecPredictorModel, 'startupProbe' | 'livenessProbe'> {
  return {
    startupProbe: {
      httpGet: { path: '/health', port: kserve.InferenceServiceSpecPredictorModelStartupProbeHttpGetPort.fromNumber(8080) },
      periodSeconds: PROBE_PERIOD_SECONDS,
      timeoutSeconds: 5,
      failureThreshold: b.failureThreshold,
    },
    livenessProbe: {
      httpGet: { path: '/health', port: kserve.InferenceServiceSpecPredictorModelLivenessProbeHttpGetPort.fromNumber(8080) },
      periodSeconds: 30,
      timeoutSeconds: 10,
      failureThreshold: 3,
    },
  };
}

/** Checks what the props say on their own; errors name the service, the field and the fix. */
function validateProps(self: string, namespace: string, props: VllmInferenceServiceProps): void {
  const scaling = props.autoscaling;
  if (scaling && props.replicas !== undefined) throw new Error(`${self}: set replicas or autoscaling, not both`);
  const min = scaling?.minReplicas ?? props.replicas ?? 1;
  const max = scaling?.maxReplicas ?? props.replicas ?? 1;
  requirePositiveInteger(self, scaling ? 'autoscaling.minReplicas' : 'replicas', min);
  requirePositiveInteger(self, scaling ? 'autoscaling.maxReplicas' : 'replicas', max);
  if (min > max) throw new Error(`${self}: autoscaling.minReplicas ${min} is above maxReplicas ${max}`);
  if (scaling?.target !== undefined && !(Number.isInteger(scaling.target) && scaling.target > 0 && scaling.target <= 100)) {
    throw new Error(`${self}: autoscaling.target must be a whole percentage from 1 to 100, got ${scaling.target}`);
  }
  if (scaling && scaling.signal !== undefined && !(scaling.signal instanceof ScaleSignal)) {
    throw new Error(`${self}: autoscaling.signal must be a ScaleSignal (ScaleSignal.requestsWaiting(), .kvCacheUsage(), .cpu(), .memory())`);
  }
  if (scaling?.signal && (scaling.metric !== undefined || scaling.target !== undefined)) {
    throw new Error(`${self}: autoscaling: give signal, or the deprecated metric/target, not both`);
  }
  if (scaling?.metric !== undefined && scaling.metric !== 'cpu' && scaling.metric !== 'memory') {
    throw new Error(
      `${self}: autoscaling.metric must be 'cpu' or 'memory', got ${shown(scaling.metric)}; for vLLM's own signals use signal: ScaleSignal.requestsWaiting()`,
    );
  }
  if (!(props.source instanceof ModelSource)) {
    throw new Error(`${self}: source must be a ModelSource (ModelSource.s3(…), .oci(…), .pvc(…) or .huggingFace(…)), got ${shown(props.source)}`);
  }
  if (!(props.runtime instanceof VllmRuntime)) throw new Error(`${self}: runtime must be a VllmRuntime, got ${shown(props.runtime)}`);
  if (props.envFromConfigMaps !== undefined) {
    if (!Array.isArray(props.envFromConfigMaps))
      throw new Error(`${self}: envFromConfigMaps must be a list of ConfigMap names, got ${shown(props.envFromConfigMaps)}`);
    props.envFromConfigMaps.forEach((name, i) => requireDnsSubdomain(self, `envFromConfigMaps[${i}]`, name));
  }
  // OpenShift AI's webhook looks the profile up by name and namespace: a name no object can have is never found
  if (props.hardwareProfileName !== undefined) requireDnsSubdomain(self, 'hardwareProfileName', props.hardwareProfileName);
  if (props.hardwareProfileNamespace !== undefined) requireDnsLabel(self, 'hardwareProfileNamespace', props.hardwareProfileNamespace);
  for (const field of ['enableAuth', 'externalRoute'] as const) requireBoolean(self, field, props[field]);
  requireEnv(self, 'env', props.env);
  requireSecretEnv(self, props.secretEnv);
  checkEngineOptions(self, props);
  if (props.queue && props.queue.namespace !== namespace) {
    throw new Error(
      `${self}: queue '${props.queue.localQueueName}' is a LocalQueue of namespace '${props.queue.namespace}'; ` +
        'a workload can only use a LocalQueue of its own namespace',
    );
  }
  if (props.model && props.quantization) {
    const conflict = quantizationConflict(props.model.quantization, props.quantization);
    if (conflict) throw new Error(`${self}: ${conflict}`);
  }
  requireArchitectureInImage(self, props.runtime, props.model);
}

/**
 * The runtime's vLLM registers the model's architecture, where both are known and vLLM has no Transformers fallback
 * to try (releases before it stop at start); the other cases are the check vllm-architecture-unsupported's, at synth.
 */
function requireArchitectureInImage(self: string, runtime: VllmRuntime, model: ModelProfile | undefined): void {
  const known = model ? vllmVersionOfImageReference(runtime.image) : undefined;
  if (!model || !known || compareVllmVersions(known.version, TRANSFORMERS_FALLBACK_SINCE) >= 0) return;
  const verdict = architectureVerdict(known.version, model.architecture);
  if (verdict.status !== 'not-yet') return;
  throw new Error(
    `${self}: model ${model.name} is a ${model.architecture}, which vLLM registers from ${verdict.since} on, but runtime '${runtime.name}' runs vLLM ${known.version} ` +
      `(its image ${runtime.image}): the engine would stop with "Model architectures ['${model.architecture}'] are not supported for now"; ` +
      `give the VllmRuntime an image of vLLM ${verdict.since} or later`,
  );
}

/** GPUs of one replica: the tensor-parallel size unless set, and no more than a node has. */
function gpuCountOf(self: string, props: VllmInferenceServiceProps, tensorParallelSize: number, type: GpuInstanceType): number {
  const gpus = props.gpuCount ?? tensorParallelSize;
  requirePositiveInteger(self, 'gpuCount', gpus);
  if (gpus < tensorParallelSize) {
    throw new Error(
      `${self}: gpuCount ${props.gpuCount} is less than tensorParallelSize ${tensorParallelSize}; ` +
        'vLLM needs one GPU per tensor-parallel rank: raise gpuCount or lower tensorParallelSize',
    );
  }
  if (gpus > type.gpuCount) {
    throw new Error(
      `${self}: needs ${gpus} GPUs per replica but a ${type.name} node has ${type.gpuCount}; ` +
        `place it on nodes of an instance type with at least ${gpus} GPUs (e.g. ${largerShapes(type, gpus)})`,
    );
  }
  return gpus;
}

function labelsFor(props: VllmInferenceServiceProps): Record<string, string> {
  const labels: Record<string, string> = { [DASHBOARD_LABEL]: 'true', ...queueMetadata(props.queue).labels };
  if (props.externalRoute) labels['networking.kserve.io/visibility'] = 'exposed';
  return labels;
}

function annotationsFor(name: string, props: VllmInferenceServiceProps, source: ModelSourceBinding, platform: Platform): Record<string, string> {
  const externalSecrets = [...new Set([...source.externalSecrets, ...Object.values(props.secretEnv ?? {}).map((r) => r.name)])].sort();
  const annotations: Record<string, string> = {
    [SYNC_WAVE_ANNOTATION]: String(props.syncWave ?? 10),
    'openshift.io/display-name': props.displayName ?? name,
    'opendatahub.io/model-type': 'generative',
    // written even where it is the default, so the service does not depend on the cluster's configmap: RawDeployment
    // up to OpenShift AI 3.3 (KServe 0.15 ignores Standard), Standard from KServe 0.16 on (RawDeployment is its alias)
    [DEPLOYMENT_MODE_ANNOTATION]: platform.deploymentModes.raw,
    ...queueMetadata(props.queue).annotations,
  };
  // the profile travels with the object, so `check` on the rendered YAML plans the model without --model
  if (props.model) annotations[ModelProfile.ANNOTATION] = props.model.toAnnotation();
  if (props.enableAuth) annotations[ENABLE_AUTH_ANNOTATION] = 'true';
  if (externalSecrets.length) annotations[EXTERNAL_SECRETS_ANNOTATION] = externalSecrets.join(',');
  if (props.hardwareProfileName) {
    annotations[HARDWARE_PROFILE_ANNOTATION] = props.hardwareProfileName;
    annotations[HARDWARE_PROFILE_NAMESPACE_ANNOTATION] = props.hardwareProfileNamespace ?? 'redhat-ods-applications';
  }
  return annotations;
}

/** Tolerations for a placement's taints (the GPU taint when it has none). */
export function tolerationsFor(taints: readonly NodeTaint[]): kserve.InferenceServiceSpecPredictorTolerations[] {
  return (taints.length ? taints : [GPU_TAINT]).map(tolerationOf);
}

function largerShapes(current: GpuInstanceType, gpus: number): string {
  const same = GpuInstanceType.all()
    .filter((t) => t.gpu === current.gpu && t.gpuCount >= gpus)
    .map((t) => t.name);
  return same.length ? same.join(', ') : 'a multi-GPU shape';
}

/** Checks vLLM engine options on their own; errors name the object and the option. */
export function checkEngineOptions(self: string, o: VllmEngineOptions): void {
  const positive = { maxModelLen: o.maxModelLen, maxNumSeqs: o.maxNumSeqs, maxNumBatchedTokens: o.maxNumBatchedTokens };
  for (const [k, v] of Object.entries(positive)) {
    if (v !== undefined) requirePositiveInteger(self, k, v);
  }
  if (o.gpuMemoryUtilization !== undefined && !(typeof o.gpuMemoryUtilization === 'number' && o.gpuMemoryUtilization > 0 && o.gpuMemoryUtilization <= 1)) {
    throw new Error(`${self}: gpuMemoryUtilization must be in (0, 1], got ${shown(o.gpuMemoryUtilization)}; it is a fraction of each GPU's memory, e.g. 0.9`);
  }
  // vLLM's argument parser refuses any other word, so the pod would crash on start
  if (o.dtype !== undefined && !VLLM_DTYPES.includes(o.dtype)) {
    throw new Error(`${self}: dtype ${shown(o.dtype)} is not one vLLM accepts (${VLLM_DTYPES.join(', ')}): use VllmDtype, e.g. VllmDtype.BFLOAT16`);
  }
  if (o.kvCacheDtype !== undefined && !KV_CACHE_DTYPES.includes(o.kvCacheDtype)) {
    throw new Error(
      `${self}: kvCacheDtype ${shown(o.kvCacheDtype)} is not one vLLM accepts (${KV_CACHE_DTYPES.join(', ')}): use KvCacheDtype, e.g. KvCacheDtype.FP8`,
    );
  }
  if (o.quantization !== undefined && (typeof o.quantization !== 'string' || !/^[a-z0-9_-]+$/.test(o.quantization))) {
    throw new Error(
      `${self}: quantization ${shown(o.quantization)} is not a vLLM quantization method (e.g. 'fp8', 'awq_marlin'); leave it unset for a pre-quantized checkpoint`,
    );
  }
  if (o.maxNumBatchedTokens !== undefined && o.maxNumSeqs !== undefined && o.maxNumBatchedTokens < o.maxNumSeqs) {
    throw new Error(`${self}: maxNumBatchedTokens (${o.maxNumBatchedTokens}) must be at least maxNumSeqs (${o.maxNumSeqs})`);
  }
  if (o.extraArgs !== undefined && !(Array.isArray(o.extraArgs) && o.extraArgs.every((a) => typeof a === 'string' && a.trim() !== ''))) {
    throw new Error(`${self}: extraArgs must be a list of non-empty strings, one argument each (e.g. ['--enable-prefix-caching']), got ${shown(o.extraArgs)}`);
  }
  for (const arg of o.extraArgs ?? []) {
    // vLLM's FlexibleArgumentParser reads '_' in a long flag's name as '-' (--max_model_len is --max-model-len)
    const name = arg.split('=')[0];
    const flag = SHORT_FLAGS[name] ?? (name.startsWith('--') ? name.replace(/_/g, '-') : name);
    if (TYPED_FLAGS[flag]) {
      throw new Error(`${self}: extraArgs repeats ${flag}; set the typed option '${TYPED_FLAGS[flag]}' instead, so that checks and GPU counts see it`);
    }
    if (VllmRuntime.RUNTIME_FLAGS.includes(flag)) {
      throw new Error(
        `${self}: extraArgs sets ${flag}, which the runtime already sets (the model is at /mnt/models and is served under the service name); remove it`,
      );
    }
  }
}

/** A prop's value as a message shows it: strings quoted, other types named. */
function shown(v: unknown): string {
  return typeof v === 'string'
    ? `'${v}'`
    : typeof v === 'number' || v === undefined
      ? String(v)
      : `${JSON.stringify(v) ?? typeof v} (a ${v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v})`;
}

/** vLLM arguments of the typed options, then the extra ones (tensor parallelism only when above 1). */
export function renderArgs(o: VllmEngineOptions, tp: number): string[] {
  const args: string[] = [];
  if (tp > 1) args.push(`--tensor-parallel-size=${tp}`);
  if (o.dtype) args.push(`--dtype=${o.dtype}`);
  if (o.quantization) args.push(`--quantization=${o.quantization}`);
  if (o.kvCacheDtype) args.push(`--kv-cache-dtype=${o.kvCacheDtype}`);
  if (o.maxModelLen) args.push(`--max-model-len=${o.maxModelLen}`);
  if (o.gpuMemoryUtilization !== undefined) args.push(`--gpu-memory-utilization=${o.gpuMemoryUtilization}`);
  if (o.maxNumSeqs) args.push(`--max-num-seqs=${o.maxNumSeqs}`);
  if (o.maxNumBatchedTokens) args.push(`--max-num-batched-tokens=${o.maxNumBatchedTokens}`);
  return [...args, ...(o.extraArgs ?? [])];
}

/** CPU and memory of one pod's vLLM container, defaults resolved. */
export interface ResolvedResources {
  readonly cpuRequest: string;
  readonly cpuLimit: string;
  readonly cpuRequestMillis: number;
  readonly memoryRequestMiB: number;
  readonly memoryLimitMiB: number;
}

/** Requests and limits of one pod: those given, else per-GPU defaults capped by the node; refused when a node cannot hold them. */
export function defaultResources(
  self: string,
  gpus: number,
  type: GpuInstanceType,
  props: Pick<VllmInferenceServiceProps, 'cpu' | 'memory'>,
): ResolvedResources {
  const alloc = type.allocatable;
  const mebibytes = (field: string, s: Size | undefined) => (s === undefined ? undefined : sizeMiB(self, field, s));
  const memoryRequestMiB = mebibytes('memory.request', props.memory?.request) ?? Math.min(16 * 1024 * gpus, Math.floor(alloc.memoryMiB / 2 / 1024) * 1024);
  // a request above what one node can allocate never schedules: say so, rather than blame a default limit
  if (memoryRequestMiB > alloc.memoryMiB) {
    throw new Error(
      `${self}: memory.request ${formatMiB(memoryRequestMiB)} exceeds what one ${type.name} node can allocate (${formatMiB(alloc.memoryMiB)} of ${type.memoryGiB}Gi after ` +
        `OpenShift's system reservation); lower memory.request or place the service on a larger instance type`,
    );
  }
  const memoryLimitMiB =
    mebibytes('memory.limit', props.memory?.limit) ?? Math.max(memoryRequestMiB, Math.min(memoryRequestMiB * 2, Math.floor(alloc.memoryMiB / 1024) * 1024));
  const cpuRequest = props.cpu?.request?.amount ?? String(Math.min(4 * gpus, Math.floor(alloc.cpuMillis / 2000)));
  const cpuRequestMillis = cpuPropMillis(self, 'cpu.request', { amount: cpuRequest });
  if (cpuRequestMillis > alloc.cpuMillis) {
    throw new Error(
      `${self}: cpu.request ${cpuRequest} exceeds what one ${type.name} node can allocate (${alloc.cpuMillis}m of ${type.vcpu} vCPU after OpenShift's system reservation); ` +
        'lower cpu.request or place the service on a larger instance type',
    );
  }
  const cpuLimit = props.cpu?.limit?.amount ?? String(Math.max(cpuRequestMillis / 1000, Math.min(8 * gpus, Math.floor(alloc.cpuMillis / 1000))));
  if (memoryLimitMiB < memoryRequestMiB) {
    throw new Error(`${self}: memory.limit ${formatMiB(memoryLimitMiB)} is below memory.request ${formatMiB(memoryRequestMiB)}`);
  }
  if (cpuPropMillis(self, 'cpu.limit', { amount: cpuLimit }) < cpuRequestMillis) {
    throw new Error(`${self}: cpu.limit ${cpuLimit} is below cpu.request ${cpuRequest}`);
  }
  return { cpuRequest, cpuLimit, cpuRequestMillis, memoryRequestMiB, memoryLimitMiB };
}
