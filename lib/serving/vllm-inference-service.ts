import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as kserve from '../../imports/serving.kserve.io';
import { GpuInstanceType } from '../catalog/instance-type';
import { WorkloadDemand } from '../placement/gpu-demand';
import { ShapeOption } from '../planning/plan';
import { ModelProfile } from '../planning/model-profile';
import { StartupBudget } from '../planning/startup-budget';
import { MemoryPlan } from '../planning/memory-plan';
import { requireInferenceServiceName } from '../private/names';
import { AUTH_PROXY_REQUESTS } from '../check/pods';
import { formatMiB } from '../private/quantity';
import { constructPath, resolveNamespace } from '../private/scope';
import { ModelSourceBinding } from '../sources/model-source';
import { nodeShapeAnnotation } from '../check/node-shape';
import { platformOf, requireOnPlatform } from '../platform/platform';
import { syncWaveOf } from '../private/argocd';
import { VllmConstruct } from '../check/app-construct';
import { AUTOSCALER_CLASS_ANNOTATION, GPU_RESOURCE, NODE_SHAPE_ANNOTATION } from '../k8s/keys';
import { containerEnv, renderDownloadServiceAccount, tolerationsFor } from './pod-spec';
import { ResolvedResources, resourcesBesideShm } from './pod-resources';
import { PrometheusReader } from './prometheus-reader';
import { ResolvedScaleSignal } from './scale-signal';
import { deriveMemoryPlan, deriveParallelism, scaleSignalOf } from './vllm-inference-service-derivation';
import { serviceStartupBudget } from './service-startup';
import { renderArgs } from './vllm-engine-options';
import { VllmInferenceServiceProps } from './vllm-inference-service-props';
import { annotationsFor, labelsFor, probesFor, scalingFields } from './vllm-inference-service-rendering';
import { bindSource, gpuCountOf, validateProps } from './vllm-inference-service-validation';
import { VllmRuntime } from './vllm-runtime';

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
    const { tensorParallelSize, kvCacheDtype, placementChoice } = deriveParallelism(self, props);
    this.tensorParallelSize = tensorParallelSize;
    this.placementChoice = placementChoice;
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
    const budget = serviceStartupBudget(self, props.model, this.storageUri, props.startupBudget);
    this.startup = budget ? { ...budget, probed: props.startupBudget !== undefined } : undefined;
    this.args = renderArgs({ ...props, kvCacheDtype }, this.tensorParallelSize);
    const tp = this.tensorParallelSize;
    const resources = resourcesBesideShm(self, '', this.gpuCount, this.instanceType, props, tp, `that tensor parallelism ${tp} needs`);
    this.requests = { cpuMillis: resources.cpuRequestMillis, memoryMiB: resources.memoryRequestMiB };

    // 3. tell the runtime, the placement and the queue what this service needs
    props.runtime.bind({ serviceName: self, tensorParallelSize: this.tensorParallelSize, namespace: this.namespace });
    const demand = this.demandOf(self, props, resources);
    props.placement.place(demand);
    props.queue?.admit(demand);

    // 4. render the objects
    const wave = syncWaveOf(where, props.syncWave, 10);
    const reader = this.scaling?.autoscaler === 'keda' ? PrometheusReader.of(this, this.namespace, wave - 1) : undefined;
    if (props.serviceAccountName === undefined && source.downloadSecrets.length) {
      this.serviceAccount = renderDownloadServiceAccount(this, this.name, this.namespace, [...source.downloadSecrets].sort(), wave);
    }
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
        env: containerEnv(props.env, { ...source.secretEnv, ...props.secretEnv }),
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
