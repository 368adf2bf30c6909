import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { syncWaveOf } from '../private/argocd';
import { GpuInstanceType } from '../catalog/instance-type';
import { GpuMachineSetScale } from '../cluster/gpu-machine-set-scale';
import { IWorkloadQueue, queueMetadata } from '../cluster/workload-queue';
import { nodesNeeded, WorkloadDemand } from '../placement/gpu-demand';
import { IGpuPlacement } from '../placement/gpu-placement';
import { shippedLlmConfigs } from '../platform/llm-configs';
import { Platform, platformOf } from '../platform/platform';
import { parallelismProblems, PoolTopology, poolTopology, planPool } from '../planning/llm-pool';
import { ModelProfile } from '../planning/model-profile';
import { PROBE_PERIOD_SECONDS, StartupBudget, startupBudget, weightOriginOf } from '../planning/startup-budget';
import { MemoryPlan } from '../planning/vllm-memory';
import { LORA_RANKS, quantizationConflict } from '../planning/vllm-startup-checks';
import { Loose, mapping } from '../manifests/access';
import { formatMiB } from '../private/quantity';
import { isDnsLabel, requireDnsLabel, requireDnsSubdomain, requireEnv, requirePositiveInteger, requireSecretEnv } from '../private/names';
import { constructPath, resolveNamespace } from '../private/scope';
import { ModelSource, ModelSourceBinding } from '../sources/model-source';
import { SecretKeyReference } from '../storage/s3-connection';
import {
  checkEngineOptions,
  defaultResources,
  renderArgs,
  ResolvedResources,
  StartupBudgetOptions,
  tolerationsFor,
  VllmEngineOptions,
} from './vllm-inference-service';
import { VllmRuntime } from './vllm-runtime';
import { VllmConstruct } from '../check/app-construct';
import { composeLlmSpec } from '../check/llm-config-merge';
import { mainContainerOf } from '../check/llm-pools';
import { probeToleranceSeconds } from '../check/startup-expectation';
import { DASHBOARD_LABEL, ENABLE_AUTH_ANNOTATION, EXTERNAL_SECRETS_ANNOTATION, GPU_RESOURCE, SYNC_WAVE_ANNOTATION } from '../k8s/keys';

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

/** How requests reach the pods: the managed llm-d router, an existing InferencePool, or none. */
export class LlmRouter {
  /** A managed Gateway route, HTTPRoute and inference scheduler (endpoint picker) with its own InferencePool. */
  public static managed(): LlmRouter {
    return new LlmRouter({ gateway: {}, route: {}, scheduler: {} });
  }

  /**
   * A managed route to an `InferencePool` (`inference.networking.k8s.io/v1`) of the namespace that exists already,
   * with its own endpoint picker.
   */
  public static existingPool(name: string): LlmRouter {
    requireDnsSubdomain('LlmRouter.existingPool', 'name', name);
    return new LlmRouter({ gateway: {}, route: {}, scheduler: { pool: { ref: { name } } } });
  }

  /** No router: clients call the workload Service directly (no LLM-aware scheduling). */
  public static none(): LlmRouter {
    return new LlmRouter(undefined);
  }

  private constructor(public readonly spec: Readonly<Record<string, unknown>> | undefined) {}
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

/** Suffix of the ServiceAccount a service renders for its download credentials. */
const SERVICE_ACCOUNT_SUFFIX = 'storage';

/**
 * A KServe `LLMInferenceService` (llm-d on OpenShift AI 3.x) that serves a model with vLLM: a decode pool and an
 * optional prefill pool, each on one node or across a LeaderWorkerSet group, behind the managed router.
 *
 * GPUs per pod follow each pool's parallelism (tensor × dataLocal, × pipeline on one node), node selector and
 * tolerations follow the placement, the queue label follows the Kueue quota, and each pool is planned on its GPU.
 * Parallelism is written both as `spec.parallelism` and as vLLM flags on one node, where KServe's single-node
 * preset does not pass it to vLLM.
 */
export class VllmLlmInferenceService extends VllmConstruct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly apiVersion: LlmInferenceServiceApiVersion;
  public readonly storageUri: string;
  /** The model's architecture, when given. */
  public readonly model?: ModelProfile;
  /** The decode (main) pool, then the prefill pool when there is one. */
  public readonly pools: readonly LlmPool[];
  /** The rendered LLMInferenceService. */
  public readonly apiObject: ApiObject;
  /** The ServiceAccount listing the download credentials, when the source has some. */
  public readonly serviceAccount?: ApiObject;
  /** The start-up budget of the service's pods, when the model is known. */
  public readonly startup?: StartupBudget;

  constructor(scope: Construct, id: string, props: VllmLlmInferenceServiceProps) {
    super(scope, id);
    const where = constructPath(new.target.name, this);
    this.name = requireDnsLabel(where, 'name', props.name ?? id);
    this.namespace = resolveNamespace(this, where, props.namespace);
    const self = `LLMInferenceService ${this.namespace}/${this.name}`;
    // the app's platform decides the version (setPlatform): v1alpha1 on OpenShift AI 3.0–3.3, v1alpha2 from 3.4
    this.apiVersion = platformOf(this).llmInferenceServiceApiVersion;
    validateService(self, this.name, this.namespace, props);
    this.model = props.model;
    const source = props.source.bind();
    this.storageUri = source.storageUri;
    this.startup = props.model ? startupBudgetOf(self, props.model, this.storageUri, props.startupBudget) : undefined;

    // 1. each pool: parallelism, GPUs, resources, plan; then tell placement and queue
    const wave = syncWaveOf(where, props.syncWave, 10);
    const decode = this.pool(self, 'decode', props, props);
    const prefill = props.prefill
      ? this.pool(`${self} prefill pool`, 'prefill', { ...props.prefill, placement: props.prefill.placement ?? props.placement }, props)
      : undefined;
    this.pools = prefill ? [decode.pool, prefill.pool] : [decode.pool];

    // 2. download credentials: KServe's storage initializer reads them from the Secrets of the pods' ServiceAccount
    const credentials = [...new Set([...(source.storageKey ? [source.storageKey] : []), ...source.downloadSecrets])].sort();
    if (credentials.length) this.serviceAccount = this.renderServiceAccount(credentials, wave);

    // 3. render
    this.apiObject = this.renderService(props, source, decode, prefill);
  }

  /** The ServiceAccount whose Secrets KServe's storage initializer reads the download credentials from. */
  private renderServiceAccount(credentials: readonly string[], wave: number): ApiObject {
    return new ApiObject(this, 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: `${this.name}-${SERVICE_ACCOUNT_SUFFIX}`,
        namespace: this.namespace,
        annotations: { [SYNC_WAVE_ANNOTATION]: String(wave - 1), [EXTERNAL_SECRETS_ANNOTATION]: credentials.join(',') },
      },
      secrets: credentials.map((name) => ({ name })),
    });
  }

  /** The LLMInferenceService: the model, the decode pool at `spec`, the prefill pool at `spec.prefill`, the router. */
  private renderService(props: VllmLlmInferenceServiceProps, source: ModelSourceBinding, decode: DerivedPool, prefill: DerivedPool | undefined): ApiObject {
    const modelName = props.modelName ?? this.name;
    const spec: Record<string, unknown> = {
      model: {
        uri: this.storageUri,
        name: modelName,
        ...(props.lora ? { lora: { adapters: props.lora.adapters.map((a) => ({ uri: a.uri, name: a.name })) } } : {}),
      },
      ...(props.baseRefs?.length ? { baseRefs: props.baseRefs.map((name) => ({ name })) } : {}),
      ...this.renderPool(decode, props),
      ...(prefill && props.prefill ? { prefill: this.renderPool(prefill, props.prefill, props) } : {}),
      ...((props.router ?? LlmRouter.managed()).spec ? { router: (props.router ?? LlmRouter.managed()).spec } : {}),
    };
    if (this.startup) withStartupProbes(spec, platformOf(this).id, this.startup);
    return new ApiObject(this, 'Resource', {
      apiVersion: this.apiVersion,
      kind: 'LLMInferenceService',
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: { [DASHBOARD_LABEL]: 'true', ...queueMetadata(props.queue).labels },
        annotations: annotationsFor(props, source),
      },
      spec,
    });
  }

  /** Derives one pool and reports its demand to its placement and the queue. */
  private pool(self: string, role: 'decode' | 'prefill', o: PoolOptions, props: VllmLlmInferenceServiceProps): DerivedPool {
    const field = role === 'prefill' ? 'prefill.' : '';
    const placement = o.placement!;
    const { topology, replicas } = validatePool(self, role, o, props);
    const type = placement.instanceType;
    const resources = derivePoolResources(self, field, topology, type, o);
    const demand: WorkloadDemand = {
      workload: `${self}${role === 'decode' && props.prefill ? ' decode pool' : ''}`,
      instanceType: type,
      pods: replicas * topology.podsPerGroup,
      gpusPerPod: topology.gpusPerPod,
      cpuMillisPerPod: resources.cpuRequestMillis,
      memoryMiBPerPod: resources.memoryRequestMiB,
      ...(topology.podsPerGroup > 1 ? { includes: `${replicas} LeaderWorkerSet group(s) of ${topology.podsPerGroup} pods` } : {}),
    };
    requireGroupFits(self, field, topology, placement, demand);
    placement.place(demand);
    props.queue?.admit(demand);
    const plan = derivePoolPlan(topology, type, o, props);
    const pool: LlmPool = {
      role,
      topology,
      replicas,
      instanceType: type,
      requests: { cpuMillis: resources.cpuRequestMillis, memoryMiB: resources.memoryRequestMiB },
      ...(plan ? { plan } : {}),
    };
    return { pool, placement, resources };
  }

  /** `spec` (or `spec.prefill`) of one pool: replicas, parallelism, the pod template and the worker template. */
  private renderPool(p: DerivedPool, o: LlmPoolOptions, service: VllmLlmInferenceServiceProps = o as VllmLlmInferenceServiceProps): Record<string, unknown> {
    const t = p.pool.topology;
    const parallelism: Record<string, unknown> = {};
    if (o.parallelism?.tensor !== undefined) parallelism.tensor = t.tensor;
    if (o.parallelism?.pipeline !== undefined) parallelism.pipeline = t.pipeline;
    if (o.parallelism?.data !== undefined) parallelism.data = t.data;
    if (o.parallelism?.dataLocal !== undefined) parallelism.dataLocal = t.dataLocal;
    if (t.expert) parallelism.expert = true;
    const gpus = String(t.gpusPerPod);
    // on one node KServe's config-llm-template passes no parallelism to vLLM (kserve#5773): the flags go in the args
    const args = [...(t.multiNode ? [] : singleNodeFlags(t)), ...renderArgs(o, 1), ...loraFlags(service.lora)];
    const env = envOf(o, service);
    // KServe's presets mount a 1Gi memory-backed /dev/shm; NCCL needs more with several ranks in the pod (the presets'
    // volumes and mounts merge by name and mount path, so only the size changes)
    const ranks = t.tensor * t.dataLocal * (t.multiNode ? 1 : t.pipeline);
    const shm = ranks > 1 ? formatMiB(VllmRuntime.shmMiBFor(ranks)) : undefined;
    const container = {
      name: 'main',
      ...(args.length ? { args } : {}),
      ...(env.length ? { env } : {}),
      ...(shm ? { volumeMounts: [{ name: 'dshm', mountPath: '/dev/shm' }] } : {}),
      resources: {
        requests: { cpu: p.resources.cpuRequest, memory: formatMiB(p.resources.memoryRequestMiB), [GPU_RESOURCE]: gpus },
        limits: { cpu: p.resources.cpuLimit, memory: formatMiB(p.resources.memoryLimitMiB), [GPU_RESOURCE]: gpus },
      },
    };
    const serviceAccount = this.serviceAccount ? { serviceAccountName: this.serviceAccount.name } : {};
    const pod = {
      ...serviceAccount,
      nodeSelector: { ...p.placement.nodeSelector },
      tolerations: tolerationsFor(p.placement.taints),
      containers: [container],
      ...(shm ? { volumes: [{ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: shm } }] } : {}),
    };
    return {
      replicas: p.pool.replicas,
      ...(Object.keys(parallelism).length ? { parallelism } : {}),
      template: pod,
      ...(t.multiNode ? { worker: pod } : {}),
    };
  }
}

/** A pool's options with the placement it runs on (the prefill pool's defaults to the service's). */
type PoolOptions = LlmPoolOptions & { placement?: IGpuPlacement };

/** One pool as derived: what it is, where it runs, the resources of one pod. */
interface DerivedPool {
  readonly pool: LlmPool;
  readonly placement: IGpuPlacement;
  readonly resources: ResolvedResources;
}

/** A pool's parallelism, replicas and engine options as KServe's controller and vLLM judge them; the pod's GPUs fit a node. */
function validatePool(self: string, role: 'decode' | 'prefill', o: PoolOptions, props: VllmLlmInferenceServiceProps) {
  const field = role === 'prefill' ? 'prefill.' : '';
  const multiNode = o.multiNode === true;
  const problems = parallelismProblems(o.parallelism, multiNode);
  if (problems.length) throw new Error(`${self}: ${problems.map((p) => `${field}${p.field}: ${p.message}`).join('; ')}`);
  const topology = poolTopology(o.parallelism, multiNode);
  if (multiNode && (o.parallelism?.pipeline ?? 0) > 0) {
    // pkg/controller/v1alpha2/llmisvc/config_merge.go looks these presets up; OpenShift AI (odh-v3.4) does not ship them
    throw new Error(
      `${self}: ${field}parallelism.pipeline with a worker makes the controller look up the preset kserve-config-llm-${role === 'prefill' ? 'prefill-' : props.prefill ? 'decode-' : ''}worker-pipeline-parallel, ` +
        'which OpenShift AI does not ship, so the service never reconciles: shard across the group with data parallelism (data, dataLocal) and tensor, or use pipeline on one node',
    );
  }
  const replicas = o.replicas ?? 1;
  requirePositiveInteger(self, `${field}replicas`, replicas);
  checkEngineOptions(self, o);
  if (props.model && o.quantization) {
    const conflict = quantizationConflict(props.model.quantization, o.quantization);
    if (conflict) throw new Error(`${self}: ${conflict}`);
  }
  const type = o.placement!.instanceType;
  if (topology.gpusPerPod > type.gpuCount) {
    throw new Error(
      `${self}: ${field}parallelism gives ${describeTopology(topology)} = ${topology.gpusPerPod} GPUs per pod but a ${type.name} node has ${type.gpuCount}; ` +
        `lower tensor${multiNode ? ' or dataLocal' : ', pipeline or dataLocal'}${multiNode ? '' : ', spread the pool over a worker group (multiNode)'}, or place the pool on an instance type with ${topology.gpusPerPod} GPUs`,
    );
  }
  return { topology, replicas };
}

/** One pod's resources, with room beside the /dev/shm its ranks need. */
function derivePoolResources(self: string, field: string, topology: PoolTopology, type: GpuInstanceType, o: PoolOptions): ResolvedResources {
  const resources = defaultResources(self, topology.gpusPerPod, type, o);
  const minShm = VllmRuntime.shmMiBFor(topology.tensor * topology.dataLocal);
  if (resources.memoryLimitMiB <= minShm) {
    throw new Error(
      `${self}: ${field}memory limit ${formatMiB(resources.memoryLimitMiB)} leaves no room beside the ${formatMiB(minShm)} /dev/shm its ranks need; raise memory.limit`,
    );
  }
  return resources;
}

/** A group's pods start together: a fixed set of nodes must hold a whole group at once (a MachineSet scales to it). */
function requireGroupFits(self: string, field: string, topology: PoolTopology, placement: IGpuPlacement, demand: WorkloadDemand): void {
  if (topology.podsPerGroup <= 1 || placement instanceof GpuMachineSetScale) return;
  const type = placement.instanceType;
  const groupNodes = nodesNeeded(type, [{ ...demand, pods: topology.podsPerGroup }]);
  if (groupNodes > placement.nodeCount) {
    throw new Error(
      `${self}: ${field}one LeaderWorkerSet group is ${topology.podsPerGroup} pods of ${topology.gpusPerPod} GPUs, which need ${groupNodes} ${type.name} nodes at once, ` +
        `but ${placement.description} has ${placement.nodeCount}; add nodes, or lower data / dataLocal (fewer pods per group)`,
    );
  }
}

/** The GPU memory plan of one pod of the pool, when the model is known. */
function derivePoolPlan(topology: PoolTopology, type: GpuInstanceType, o: PoolOptions, props: VllmLlmInferenceServiceProps) {
  if (!props.model) return undefined;
  return planPool(props.model, type.gpu, topology, {
    maxModelLen: o.maxModelLen,
    gpuMemoryUtilization: o.gpuMemoryUtilization,
    kvCacheDtype: o.kvCacheDtype,
    dtype: o.dtype,
    quantization: o.quantization,
    maxNumSeqs: o.maxNumSeqs,
    maxNumBatchedTokens: o.maxNumBatchedTokens,
    lora: props.lora ? { maxRank: props.lora.maxRank, maxAdapters: props.lora.maxAdapters ?? props.lora.adapters.length } : undefined,
  });
}

/** The start-up budget of the service's pods from its model's bytes and where the weights come from. */
function startupBudgetOf(self: string, model: ModelProfile, storageUri: string, o: StartupBudgetOptions | undefined): StartupBudget {
  try {
    return startupBudget({ checkpointBytes: model.weightBytes, origin: weightOriginOf(storageUri), readMiBps: o?.readMiBps, downloadMiBps: o?.downloadMiBps });
  } catch (e) {
    throw new Error(`${self}: startupBudget: ${(e as Error).message}`);
  }
}

/**
 * Gives the main container of each pool's leader pods a start-up probe of the whole budget where the platform's
 * presets, merged under the spec as KServe merges them (lib/check/llm-config-merge.ts), allow less. The probe takes its
 * handler from the preset's own start-up or liveness probe: port 8001 behind the decode pool's routing sidecar, HTTPS
 * on OpenShift AI 3.0–3.3, and no scheme where the preset renders it from the controller's TLS setting (the merge keeps
 * the preset's). Workers get none: the presets probe no worker, and a headless data-parallel worker serves no /health.
 */
function withStartupProbes(spec: Loose, platform: Platform['id'], budget: StartupBudget): void {
  const shipped = shippedLlmConfigs(platform);
  // presets the platform does not ship (a baseRef of the cluster's own) are unknown here and count for nothing
  const merged = composeLlmSpec(spec, (name) => (shipped?.presets[name] ? { name, spec: shipped.presets[name] } : undefined)).spec;
  for (const holder of [spec, spec.prefill as Loose | undefined]) {
    if (!holder?.template) continue;
    const main = mainContainerOf(mapping(holder === spec ? merged : merged.prefill).template);
    const tolerance = probeToleranceSeconds(main?.startupProbe);
    if (tolerance !== undefined && tolerance >= budget.budgetSeconds) continue;
    const handler = probeHandlerOf(main?.startupProbe) ?? probeHandlerOf(main?.livenessProbe);
    if (!handler) continue;
    const pod = holder.template as { containers: Record<string, unknown>[] };
    const startupProbe = { ...handler, periodSeconds: PROBE_PERIOD_SECONDS, failureThreshold: budget.failureThreshold };
    // a new template object: a multi-node pool renders the same pod object as its worker, which keeps no probe
    holder.template = { ...pod, containers: pod.containers.map((c) => (c.name === 'main' ? { ...c, startupProbe } : c)) };
  }
}

/** A probe's handler (httpGet, tcpSocket, exec or grpc) as the preset gives it. */
function probeHandlerOf(probe: unknown): Record<string, unknown> | undefined {
  const p = mapping(probe);
  const key = ['httpGet', 'tcpSocket', 'exec', 'grpc'].find((k) => p[k] !== undefined);
  return key ? { [key]: p[key] as unknown } : undefined;
}

/** vLLM flags a single-node pool passes itself: KServe's config-llm-template runs `vllm serve` without them. */
function singleNodeFlags(t: PoolTopology): string[] {
  const out: string[] = [];
  if (t.tensor > 1) out.push(`--tensor-parallel-size=${t.tensor}`);
  if (t.pipeline > 1) out.push(`--pipeline-parallel-size=${t.pipeline}`);
  if (t.dataLocal > 1) out.push(`--data-parallel-size=${t.dataLocal}`);
  if (t.expert) out.push('--enable-expert-parallel');
  return out;
}

function loraFlags(lora: LlmLoraOptions | undefined): string[] {
  if (!lora) return [];
  return [
    '--enable-lora',
    `--max-lora-rank=${lora.maxRank}`,
    `--max-loras=${lora.maxAdapters ?? lora.adapters.length}`,
    // name=repository: the presets run `eval "vllm serve … $@"`, which would strip the quotes of the JSON form
    '--lora-modules',
    ...lora.adapters.map((a) => `${a.name}=${a.uri.replace(/^hf:\/\//, '')}`),
  ];
}

function envOf(o: LlmPoolOptions, service: VllmLlmInferenceServiceProps): { name: string; value?: string; valueFrom?: unknown }[] {
  return [
    ...Object.entries(o.env ?? {}).map(([name, value]) => ({ name, value })),
    ...Object.entries(service.secretEnv ?? {}).map(([name, ref]) => ({ name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } })),
  ].sort(byName);
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name.localeCompare(b.name);
}

function describeTopology(t: PoolTopology): string {
  const parts = [`tensor ${t.tensor}`];
  if (t.dataLocal > 1) parts.push(`dataLocal ${t.dataLocal}`);
  if (!t.multiNode && t.pipeline > 1) parts.push(`pipeline ${t.pipeline}`);
  return parts.join(' × ');
}

function annotationsFor(props: VllmLlmInferenceServiceProps, source: ModelSourceBinding): Record<string, string> {
  const external = [...new Set([...source.externalSecrets, ...Object.values(props.secretEnv ?? {}).map((r) => r.name)])].sort();
  return {
    [SYNC_WAVE_ANNOTATION]: String(props.syncWave ?? 10),
    [ENABLE_AUTH_ANNOTATION]: String(props.enableAuth ?? true),
    ...(props.model ? { [ModelProfile.ANNOTATION]: props.model.toAnnotation() } : {}),
    ...(external.length ? { [EXTERNAL_SECRETS_ANNOTATION]: external.join(',') } : {}),
    ...queueMetadata(props.queue).annotations,
  };
}

/** What the props say on their own, as KServe's webhook and vLLM judge it. */
function validateService(self: string, name: string, namespace: string, props: VllmLlmInferenceServiceProps): void {
  if (!(props.source instanceof ModelSource)) {
    throw new Error(
      `${self}: source must be a ModelSource (ModelSource.s3(…), .oci(…), .pvc(…) or .huggingFace(…)), got ${JSON.stringify(props.source) ?? typeof props.source}`,
    );
  }
  // the name clients send to the OpenAI API (vLLM's --served-model-name): an empty one names nothing
  if (props.modelName !== undefined && (typeof props.modelName !== 'string' || props.modelName.trim() === '')) {
    throw new Error(`${self}: modelName must be a non-empty name clients send as "model", or be left out for the service name '${name}'`);
  }
  if (props.queue && props.queue.namespace !== namespace) {
    throw new Error(
      `${self}: queue '${props.queue.localQueueName}' is a LocalQueue of namespace '${props.queue.namespace}'; a workload can only use a LocalQueue of its own namespace`,
    );
  }
  for (const ref of props.baseRefs ?? []) requireDnsSubdomain(self, 'baseRefs', ref);
  if (props.startupBudget && !props.model)
    throw new Error(`${self}: startupBudget is sized from the checkpoint's bytes: give the service its model (ModelProfile)`);
  requireEnv(self, 'env', props.env);
  requireEnv(self, 'prefill.env', props.prefill?.env);
  requireSecretEnv(self, props.secretEnv);
  const lora = props.lora;
  if (!lora) return;
  const modelName = props.modelName ?? name;
  requirePositiveInteger(self, 'lora.maxRank', lora.maxRank);
  if (!LORA_RANKS.includes(lora.maxRank)) {
    throw new Error(`${self}: lora.maxRank ${lora.maxRank} is not a rank vLLM accepts (${LORA_RANKS.join(', ')}); use the next larger one`);
  }
  if (lora.maxAdapters !== undefined) requirePositiveInteger(self, 'lora.maxAdapters', lora.maxAdapters);
  if (!lora.adapters.length) throw new Error(`${self}: lora.adapters is empty; list at least one adapter, or drop lora`);
  // the adapter rules of KServe's ValidateLoRAAdapters (pkg/apis/serving/v1alpha2/llm_inference_service_validation.go)
  const seen = new Map<string, number>();
  lora.adapters.forEach((a, i) => {
    const at = `lora.adapters[${i}].name`;
    if (!a.name) throw new Error(`${self}: ${at}: adapter name is required`);
    if (a.name === '.' || a.name === '..') throw new Error(`${self}: ${at}: adapter name must not be "." or ".." (path traversal)`);
    if (seen.has(a.name)) throw new Error(`${self}: ${at}: duplicate name '${a.name}' (same as adapters[${seen.get(a.name)}]); give each adapter its own name`);
    seen.set(a.name, i);
    if (a.name === modelName) throw new Error(`${self}: ${at}: adapter name must differ from the base model name '${modelName}'`);
    if (!isDnsLabel(a.name) && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(a.name))
      throw new Error(`${self}: ${at}: '${a.name}' is not a model name clients can send`);
    // KServe (odh-v3.4) records adapters but downloads none; vLLM fetches a Hugging Face repository itself
    if (!/^hf:\/\/[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(a.uri)) {
      throw new Error(
        `${self}: lora.adapters[${i}].uri '${a.uri}' is not hf://<org>/<repo>: the controller downloads no adapters, and vLLM fetches only Hugging Face repositories itself`,
      );
    }
  });
}
