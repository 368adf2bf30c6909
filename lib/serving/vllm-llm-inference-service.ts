import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { syncWaveOf } from '../private/argocd';
import { GpuInstanceType } from '../catalog/instance-type';
import { queueMetadata } from '../cluster/workload-queue';
import { WorkloadDemand } from '../placement/gpu-demand';
import { platformOf } from '../platform/platform';
import { planPool, PoolTopology } from '../planning/llm-pool';
import { ModelProfile } from '../planning/model-profile';
import { StartupBudget } from '../planning/startup-budget';
import { requireDnsLabel } from '../private/names';
import { constructPath, resolveNamespace } from '../private/scope';
import { ModelSourceBinding } from '../sources/model-source';
import { VllmConstruct } from '../check/app-construct';
import { DASHBOARD_LABEL } from '../k8s/keys';
import { LlmRouter } from './llm-router';
import { LLM_SERVICE_BRAND } from './llm-service-brand';
import { renderDownloadServiceAccount } from './pod-spec';
import { resourcesBesideShm } from './pod-resources';
import { serviceStartupBudget } from './service-startup';
import { DerivedPool, LlmInferenceServiceApiVersion, LlmPool, PoolOptions, VllmLlmInferenceServiceProps } from './vllm-llm-inference-service-props';
import { annotationsFor, renderPool, withStartupProbes } from './vllm-llm-inference-service-rendering';
import { requireGroupFits, validatePool, validateService } from './vllm-llm-inference-service-validation';

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
    this.startup = serviceStartupBudget(self, props.model, this.storageUri, props.startupBudget);

    // 1. each pool: parallelism, GPUs, resources, plan; then tell placement and queue
    const wave = syncWaveOf(where, props.syncWave, 10);
    const decode = this.pool(self, 'decode', props, props);
    const prefill = props.prefill
      ? this.pool(`${self} prefill pool`, 'prefill', { ...props.prefill, placement: props.prefill.placement ?? props.placement }, props)
      : undefined;
    this.pools = prefill ? [decode.pool, prefill.pool] : [decode.pool];

    // 2. download credentials: KServe's storage initializer reads them from the Secrets of the pods' ServiceAccount
    const credentials = [...new Set([...(source.storageKey ? [source.storageKey] : []), ...source.downloadSecrets])].sort();
    if (credentials.length) this.serviceAccount = renderDownloadServiceAccount(this, this.name, this.namespace, credentials, wave);

    // 3. render
    this.apiObject = this.renderService(props, source, decode, prefill);
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
      ...renderPool(decode, props, props, this.serviceAccount?.name),
      ...(prefill && props.prefill ? { prefill: renderPool(prefill, props.prefill, props, this.serviceAccount?.name) } : {}),
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
    const resources = resourcesBesideShm(self, field, topology.gpusPerPod, type, o, topology.tensor * topology.dataLocal, 'its ranks need');
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
}

// the mark the plan report finds the services by (llm-service-brand.ts), on the prototype: every instance, subclasses too
Object.defineProperty(VllmLlmInferenceService.prototype, LLM_SERVICE_BRAND, { value: true });

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
