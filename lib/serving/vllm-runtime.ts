import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as kserve from '../../imports/serving.kserve.io';
import { constructPath, resolveNamespace } from '../private/scope';
import { requireBoolean, requireServingRuntimeName } from '../private/names';
import { formatMiB, sizeMiB } from '../private/quantity';
import { syncWaveOf } from '../private/argocd';
import { lazy } from '../private/lazy';
import { VllmConstruct } from '../check/app-construct';
import { DASHBOARD_LABEL, DISPLAY_NAME_ANNOTATION, PROMETHEUS_PORT_ANNOTATION, SYNC_WAVE_ANNOTATION } from '../k8s/keys';

/**
 * Properties of a `VllmRuntime`.
 */
export interface VllmRuntimeProps {
  /**
   * Name of the ServingRuntime. InferenceServices name it in `spec.predictor.model.runtime`.
   * @default 'vllm-runtime'
   */
  readonly name?: string;
  /**
   * Namespace of the ServingRuntime; InferenceServices bound to it must be in the same namespace
   * (OpenShift AI has no ClusterServingRuntime).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * vLLM container image, pinned by digest so that every sync runs the same engine.
   * Take the digest of your cluster's template with
   * `oc get template vllm-cuda-runtime-template -n redhat-ods-applications -o jsonpath='{.objects[0].spec.containers[0].image}'`.
   * @default VllmRuntime.DEFAULT_IMAGE (Red Hat AI Inference Server vLLM CUDA image of OpenShift AI 3.0)
   */
  readonly image?: string;
  /**
   * Accept an image referenced by a mutable tag instead of a digest.
   * @default false
   */
  readonly allowMutableImageTag?: boolean;
  /**
   * vLLM version shown by the dashboard (`opendatahub.io/runtime-version`), as OpenShift AI's runtime template shows
   * the version of the image it pins.
   * @default - the version of the image: `v0.9.1.0` for `DEFAULT_IMAGE`, the tag of an image tagged `v<version>`
   * (`vllm/vllm-openai:v0.21.0@sha256:…`); no annotation when the image does not tell its vLLM version
   */
  readonly runtimeVersion?: string;
  /**
   * Display name in the OpenShift AI dashboard.
   * @default 'vLLM NVIDIA GPU ServingRuntime for KServe'
   */
  readonly displayName?: string;
  /**
   * Size of the memory-backed `/dev/shm`. NCCL and vLLM's custom all-reduce exchange tensors through it
   * between tensor-parallel ranks on PCIe GPUs; a too small one fails with `ncclSystemError` or a bus error.
   * @default - 2 GiB per rank of the largest tensor-parallel size among the bound InferenceServices, at least 2 GiB
   */
  readonly shmSize?: Size;
  /**
   * Argo CD sync wave; the runtime must exist before its InferenceServices (wave 10).
   * @default 5
   */
  readonly syncWave?: number;
}

/** What a service tells the runtime when it binds to it. */
export interface VllmRuntimeBinding {
  /** The InferenceService name. */
  readonly serviceName: string;
  /** Its tensor-parallel size. */
  readonly tensorParallelSize: number;
  /** Its namespace. */
  readonly namespace: string;
}

/**
 * vLLM versions of images whose reference does not spell one, by digest. The Red Hat AI Inference Server images are
 * tagged with the product's version (3.2.x), not vLLM's, so only a digest tells.
 */
const VLLM_VERSION_BY_DIGEST: Readonly<Record<string, string>> = {
  // the OpenShift AI 3.0 template's image, as the step-05 document's runtime labels it
  'sha256:ad756c01ec99a99cc7d93401c41b8d92ca96fb1ab7c5262919d818f2be4f3768': 'v0.9.1.0',
};

/** The vLLM version of an image reference: a known digest, else a `v<major>.<minor>.<patch>` tag; undefined when neither. */
export function vllmVersionOfImage(image: string): string | undefined {
  const digest = /@(sha256:[a-f0-9]{64})$/.exec(image)?.[1];
  if (digest && VLLM_VERSION_BY_DIGEST[digest]) return VLLM_VERSION_BY_DIGEST[digest];
  const tag = /:([\w][\w.-]{0,127})(?:@sha256:[a-f0-9]{64})?$/.exec(image.replace(/^[^/]*\//, ''))?.[1];
  return tag && /^v\d+\.\d+\.\d+(\.\d+)?$/.test(tag) ? tag : undefined;
}

/**
 * A namespaced KServe ServingRuntime for the OpenShift AI vLLM CUDA runtime (`serving.kserve.io/v1alpha1`).
 *
 * It follows the `vllm-cuda-runtime-template` that OpenShift AI 3.0 ships: container `kserve-container`,
 * `python -m vllm.entrypoints.openai.api_server --port=8080 --model=/mnt/models --served-model-name={{.Name}}`,
 * model format `vLLM` (matched case-sensitively), Prometheus scraping on port 8080. InferenceServices bind
 * to it with `S3ModelInferenceService`; their args are appended to the runtime's.
 */
export class VllmRuntime extends VllmConstruct {
  /** The Red Hat AI Inference Server vLLM CUDA image, pinned by digest. */
  public static readonly DEFAULT_IMAGE = 'registry.redhat.io/rhaiis/vllm-cuda-rhel9@sha256:ad756c01ec99a99cc7d93401c41b8d92ca96fb1ab7c5262919d818f2be4f3768';
  /** The model format the runtime serves; an InferenceService must name it exactly (`vllm` does not match). */
  public static readonly MODEL_FORMAT = 'vLLM';
  /** Flags the runtime sets itself; a service must not pass them again. */
  public static readonly RUNTIME_FLAGS = ['--port', '--model', '--served-model-name'];

  public readonly name: string;
  public readonly namespace: string;
  public readonly image: string;
  /** The rendered ServingRuntime. */
  public readonly apiObject: kserve.ServingRuntime;
  private readonly bindings: VllmRuntimeBinding[] = [];
  private readonly explicitShm?: Size;

  constructor(scope: Construct, id: string, props: VllmRuntimeProps = {}) {
    super(scope, id);
    const where = constructPath('VllmRuntime', this);
    this.name = requireServingRuntimeName(where, 'name', props.name ?? 'vllm-runtime');
    this.namespace = resolveNamespace(this, where, props.namespace);
    this.image = props.image ?? VllmRuntime.DEFAULT_IMAGE;
    validateProps(where, this.image, props);
    this.explicitShm = props.shmSize;
    const runtimeVersion = props.runtimeVersion ?? vllmVersionOfImage(this.image);

    this.apiObject = this.renderRuntime(props, runtimeVersion, syncWaveOf(where, props.syncWave, 5));
  }

  /** The ServingRuntime, with OpenShift AI's template annotations and a /dev/shm sized for its services. */
  private renderRuntime(props: VllmRuntimeProps, runtimeVersion: string | undefined, wave: number): kserve.ServingRuntime {
    return new kserve.ServingRuntime(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: { [DASHBOARD_LABEL]: 'true' },
        annotations: {
          [SYNC_WAVE_ANNOTATION]: String(wave),
          'opendatahub.io/apiProtocol': 'REST',
          'opendatahub.io/recommended-accelerators': '["nvidia.com/gpu"]',
          ...(runtimeVersion ? { 'opendatahub.io/runtime-version': runtimeVersion } : {}),
          'opendatahub.io/serving-runtime-scope': 'namespace',
          'opendatahub.io/template-display-name': 'vLLM NVIDIA GPU ServingRuntime for KServe',
          'opendatahub.io/template-name': 'vllm-cuda-runtime-template',
          [DISPLAY_NAME_ANNOTATION]: props.displayName ?? 'vLLM NVIDIA GPU ServingRuntime for KServe',
        },
      },
      spec: {
        annotations: {
          'opendatahub.io/kserve-runtime': 'vllm',
          'prometheus.io/path': '/metrics',
          [PROMETHEUS_PORT_ANNOTATION]: '8080',
        },
        multiModel: false,
        supportedModelFormats: [{ name: VllmRuntime.MODEL_FORMAT, autoSelect: true }],
        containers: [vllmContainer(this.image)],
        // lazy: the size follows the services bound to the runtime after it is created
        volumes: lazy<kserve.ServingRuntimeSpecVolumes[]>(() => [
          {
            name: 'shm',
            emptyDir: { medium: 'Memory', sizeLimit: kserve.ServingRuntimeSpecVolumesEmptyDirSizeLimit.fromString(formatMiB(this.shmSizeMiB)) },
          },
        ]),
      },
    });
  }

  /** The InferenceServices bound to this runtime so far. */
  public get boundServices(): readonly VllmRuntimeBinding[] {
    return [...this.bindings];
  }

  /** Size of `/dev/shm` in MiB: explicit, or derived from the largest tensor-parallel size bound to the runtime. */
  public get shmSizeMiB(): number {
    if (this.explicitShm) return Math.ceil(this.explicitShm.toMebibytes());
    return VllmRuntime.shmMiBFor(Math.max(1, ...this.bindings.map((b) => b.tensorParallelSize)));
  }

  /** The derived `/dev/shm` size for a tensor-parallel size: 2 GiB per rank, at least 2 GiB. */
  public static shmMiBFor(tensorParallelSize: number): number {
    return 2048 * Math.max(1, tensorParallelSize);
  }

  /**
   * Records an InferenceService served by this runtime. `VllmInferenceService` calls it; it throws when the
   * service is in another namespace, since KServe looks the runtime up only in the service's namespace.
   */
  public bind(binding: VllmRuntimeBinding): void {
    if (binding.namespace !== this.namespace) {
      throw new Error(
        `${binding.serviceName}: runtime '${this.name}' is in namespace '${this.namespace}' but the service is in '${binding.namespace}'; ` +
          "KServe looks runtimes up only in the service's own namespace: create a VllmRuntime there",
      );
    }
    this.bindings.push(binding);
  }
}

/** The image is pinned (unless a tag is accepted), /dev/shm at least the container default, the version a version. */
function validateProps(where: string, image: string, props: VllmRuntimeProps): void {
  requireBoolean(where, 'allowMutableImageTag', props.allowMutableImageTag);
  if (!/@sha256:[a-f0-9]{64}$/.test(image) && !props.allowMutableImageTag) {
    throw new Error(
      `${where}: image '${image}' is not pinned by digest (…@sha256:<64 hex>); pin it, or set allowMutableImageTag: true to accept a tag that can change under you`,
    );
  }
  if (props.shmSize !== undefined && sizeMiB(where, 'shmSize', props.shmSize) < 64) {
    throw new Error(`${where}: shmSize must be at least 64 MiB (the container default), got ${sizeMiB(where, 'shmSize', props.shmSize)} MiB`);
  }
  if (props.runtimeVersion !== undefined && !/^v?\d+(\.\d+)*$/.test(props.runtimeVersion)) {
    throw new Error(`${where}: runtimeVersion '${props.runtimeVersion}' is not a version; write the vLLM version of the image, e.g. 'v0.21.0'`);
  }
}

/** The vLLM container: OpenAI API on port 8080, ready once the engine runs. */
function vllmContainer(image: string): kserve.ServingRuntimeSpecContainers {
  return {
    name: 'kserve-container',
    image,
    command: ['python', '-m', 'vllm.entrypoints.openai.api_server'],
    args: ['--port=8080', '--model=/mnt/models', '--served-model-name={{.Name}}'],
    env: [{ name: 'HF_HOME', value: '/tmp/hf_home' }],
    ports: [{ containerPort: 8080, protocol: 'TCP' }],
    // vLLM answers /health only once the weights are loaded and the engine runs: no traffic before that.
    // No liveness or startup probe: loading a large model takes minutes and must not be killed.
    readinessProbe: {
      httpGet: { path: '/health', port: kserve.ServingRuntimeSpecContainersReadinessProbeHttpGetPort.fromNumber(8080) },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 3,
    },
    volumeMounts: [{ name: 'shm', mountPath: '/dev/shm' }],
  };
}
