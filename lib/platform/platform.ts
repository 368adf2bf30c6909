import { IConstruct } from 'constructs';
import { CONNECTION_TYPE_PROTOCOL_ANNOTATION } from '../k8s/keys';

/**
 * The platforms an app renders for and `validate` and `check` judge against. OpenShift AI 3.3 and 3.4 are
 * Open Data Hub 3.3 and 3.4 as Red Hat ships them; `kserve` is upstream KServe 0.16 or later with upstream Kueue.
 */
export type PlatformId = 'rhoai-3.0' | 'rhoai-3.3' | 'rhoai-3.4' | 'kserve';

/** Every platform id, oldest first. */
export const PLATFORM_IDS: readonly PlatformId[] = ['rhoai-3.0', 'rhoai-3.3', 'rhoai-3.4', 'kserve'];

/** The platform of an app that chooses none: OpenShift AI 3.0, the platform of the step-05 document. */
export const DEFAULT_PLATFORM_ID: PlatformId = 'rhoai-3.0';

/** The construct-tree context key that holds an app's platform id (`setPlatform` writes it). */
export const PLATFORM_CONTEXT_KEY = 'cdk8s-vllm:platform';

/** How a platform's KServe reads the annotation `serving.kserve.io/deploymentMode`. */
export interface DeploymentModes {
  /** The value the library writes for a single model on plain Deployments (KServe's raw mode). */
  readonly raw: 'RawDeployment' | 'Standard';
  /** Values it acts on. */
  readonly known: readonly string[];
  /** Known values that select a mode the platform cannot serve a single model in. */
  readonly unavailable: readonly string[];
  /** Known values that are deprecated aliases, with the name to write instead. */
  readonly deprecatedAliases: Readonly<Record<string, string>>;
  /** The mode an unknown value falls back to (the cluster default). */
  readonly fallback: string;
}

/** What the platform's Kueue serves and stores. */
export interface KueueApi {
  /** The Kueue release whose CRDs the platform's schemas are (`0.14`, `0.16`). */
  readonly release: string;
  /** The versions its CRDs serve. */
  readonly served: readonly string[];
  /** Served versions the API server answers with a deprecation warning. */
  readonly deprecated: readonly string[];
  /** ClusterQueue's cohort field in `kueueApiVersion`. */
  readonly cohortField: 'cohort' | 'cohortName';
  /** `flavorFungibility.whenCanBorrow`'s value for "borrow in this flavor before trying the next" in `kueueApiVersion`. */
  readonly borrowInFlavor: 'Borrow' | 'MayStopSearch';
  /**
   * Whether a workload's queue name is also read from the deprecated annotation kueue.x-k8s.io/queue-name when the
   * label is absent (kubernetes-sigs/kueue pkg/controller/jobframework QueueNameForObject: up to 0.14; removed in 0.15
   * by #7271, which reads the label only).
   */
  readonly readsQueueAnnotation: boolean;
}

/** One platform: what the library renders for it and what it accepts. */
export interface Platform {
  readonly id: PlatformId;
  /** How messages name it: `OpenShift AI 3.4 (KServe 0.17, Kueue 0.16)`. */
  readonly label: string;
  /** How messages about KServe alone name it, without the Kueue release: `OpenShift AI 3.4 (KServe 0.17)`. */
  readonly kserveLabel: string;
  /** The Kueue API version ResourceFlavors, ClusterQueues and LocalQueues are written in. */
  readonly kueueApiVersion: 'kueue.x-k8s.io/v1beta1' | 'kueue.x-k8s.io/v1beta2';
  /** The LLMInferenceService API version the platform stores. */
  readonly llmInferenceServiceApiVersion: 'serving.kserve.io/v1alpha1' | 'serving.kserve.io/v1alpha2';
  /** LLMInferenceService API versions the platform serves. */
  readonly llmInferenceServiceServed: readonly string[];
  /** The API versions of the other kinds the library renders (the same on every platform listed). */
  readonly apiVersions: {
    readonly InferenceService: 'serving.kserve.io/v1beta1';
    readonly ServingRuntime: 'serving.kserve.io/v1alpha1';
    readonly MachineSet: 'machine.openshift.io/v1beta1';
    readonly HardwareProfile?: 'infrastructure.opendatahub.io/v1';
    readonly Application: 'argoproj.io/v1alpha1';
  };
  readonly kueue: KueueApi;
  readonly deploymentModes: DeploymentModes;
  /**
   * The annotation OpenShift AI reads a connection Secret's protocol from, where the platform has one; a Secret
   * that has only the older `opendatahub.io/connection-type-ref` is read through a deprecated fallback there.
   * @default - undefined: the platform does not read connection Secrets (upstream KServe)
   */
  readonly connectionProtocolAnnotation?: typeof CONNECTION_TYPE_PROTOCOL_ANNOTATION;
  /** Whether the connection Secret's `opendatahub.io/connection-type-ref` is deprecated on the platform. */
  readonly connectionTypeRefDeprecated: boolean;
  /** Whether the platform has OpenShift AI's namespaced-only runtimes (no ClusterServingRuntime). */
  readonly openShiftAi: boolean;
  /** The schema sets under schemas/crds/ that `validate` and synth check this platform's objects against. */
  readonly schemaSets: readonly string[];
  /** What the platform accepts and ignores without a word, as a reviewer should know it. */
  readonly ignoresSilently: readonly string[];
  /** Where each fact of this entry comes from. */
  readonly sources: readonly string[];
}

const COMMON_API_VERSIONS = {
  InferenceService: 'serving.kserve.io/v1beta1',
  ServingRuntime: 'serving.kserve.io/v1alpha1',
  MachineSet: 'machine.openshift.io/v1beta1',
  Application: 'argoproj.io/v1alpha1',
} as const;

/** Kueue 0.14 (Red Hat build of Kueue 1.2): v1beta1 only; whenCanBorrow is Borrow | TryNextFlavor (kueue v0.14.8 CRDs). */
const KUEUE_014: KueueApi = {
  release: '0.14',
  served: ['v1beta1'],
  deprecated: [],
  cohortField: 'cohort',
  borrowInFlavor: 'Borrow',
  readsQueueAnnotation: true,
};
/**
 * Kueue 0.16 (Red Hat build of Kueue 1.3): stores v1beta2, serves v1beta1 with a deprecation warning; v1beta2 renames
 * spec.cohort to spec.cohortName and drops Borrow for MayStopSearch (kubernetes-sigs/kueue v0.16.9 CRDs).
 */
const KUEUE_016: KueueApi = {
  release: '0.16',
  served: ['v1beta1', 'v1beta2'],
  deprecated: ['v1beta1'],
  cohortField: 'cohortName',
  borrowInFlavor: 'MayStopSearch',
  readsQueueAnnotation: false,
};

/** KServe 0.15 (OpenShift AI 3.0–3.3): GetDeploymentMode accepts these three names and ignores any other value. */
const MODES_015: DeploymentModes = {
  raw: 'RawDeployment',
  known: ['RawDeployment', 'Serverless', 'ModelMesh'],
  unavailable: ['Serverless', 'ModelMesh'],
  deprecatedAliases: {},
  fallback: 'RawDeployment',
};

/** KServe 0.16+ (pkg/constants/constants.go): Standard and Knative, with the old names kept as deprecated aliases. */
const MODES_016: Omit<DeploymentModes, 'unavailable'> = {
  raw: 'Standard',
  known: ['Standard', 'RawDeployment', 'Knative', 'Serverless', 'ModelMesh'],
  deprecatedAliases: { RawDeployment: 'Standard', Serverless: 'Knative' },
  fallback: 'Standard',
};

/**
 * KEDA and prometheus-operator: the same pinned releases on every platform (the versions OpenShift ships are not
 * pinned); prometheus-operator's ScrapeConfig, Probe and AlertmanagerConfig are derived apart (scripts/derive-workload-crds.js).
 */
const DAY_TWO_SETS = ['keda-2.20', 'prometheus-operator-0.93', 'prometheus-operator-full-0.93'];

/**
 * The training and Ray operators' kinds (TFJob, PyTorchJob, … and RayCluster, RayJob, RayService), which OpenShift AI
 * serves and any cluster with the operators installed: kubeflow/training-operator v1.9.0 and ray-project/kuberay v1.7.0
 * on every platform, and the standalone mpi-operator's MPIJob v2beta1 (kubeflow/mpi-operator v0.8.0, widened by
 * v0.4.0 … v0.7.0) and Kubeflow Trainer's TrainJob, TrainingRuntime and ClusterTrainingRuntime v1alpha1
 * (kubeflow/trainer v2.3.0, widened by v2.0.1, v2.1.0 and v2.2.1; scripts/derive-workload-crds.js).
 */
const WORKLOAD_OPERATOR_SETS = ['kubeflow-training-1.9', 'mpi-operator-0.8', 'kubeflow-trainer-2.3', 'kuberay-1.7'];

/**
 * Operators the cluster's owner installs, at a release the tree does not show, the same on every platform: Karpenter's
 * NodePool and NodeClaim (kubernetes-sigs/karpenter v1.14.1, 6e7eab7a0f485d7225eb98995fad9b66c79b322b) and
 * EC2NodeClass (aws/karpenter-provider-aws v1.14.1, bde00654cd316fddb3dccfba3f5ac07039865429); LeaderWorkerSet
 * (kubernetes-sigs/lws v0.10.0, 2161f38ff333f9e24d3c44adef7cd5d9787cac00); InferencePool v1
 * (kubernetes-sigs/gateway-api-inference-extension v1.6.0, 992e5c292afb248801ce8d9234eb5b9d28eea231) and the x-k8s.io
 * InferencePool, InferenceObjective and InferenceModel v1alpha2 of the last releases serving them (v1.4.0 6e787dd3,
 * v1.5.0 df9f8909, v0.5.1 978c23bb); JobSet (kubernetes-sigs/jobset v0.12.0, f22e565ac3cc3265c7c45ef67ecffdc689af5d77);
 * the NVIDIA GPU operator's ClusterPolicy, NVIDIADriver and GPUCluster (NVIDIA/gpu-operator v26.7.0,
 * 10ee5b3638b89e11e949412aafa5ba99279c3721); the OpenShift NFD operator's NodeFeatureDiscovery
 * (openshift/cluster-nfd-operator release-4.23, 7d7aae1339bc6ffda25a2eb7350024d99661f658); the Envoy AI Gateway's
 * AIGatewayRoute, AIServiceBackend, BackendSecurityPolicy and MCPRoute (envoyproxy/ai-gateway v1.1.0,
 * c217da8a539570ba3f6014a60c2687c29a945f1f; the AIServiceBackend widened from v0.4.0 only, the first CRD refusing a
 * Service its controller never took); Envoy Gateway's gateway.envoyproxy.io kinds
 * (envoyproxy/gateway v1.9.0, 39763b1c07ec30a5526fe70434a2cfe4181de642); Gateway API's Gateway and HTTPRoute
 * (kubernetes-sigs/gateway-api v1.6.1 experimental channel, 8bb74df00e56ec8f944d48c25e6c1c9c2f6848e3).
 * Each is widened to accept what the operator's older releases accept (scripts/derive-workload-crds.js olderReleases).
 * A kind or version the derived release does not serve is a warning (operator-releases.ts), never kind-not-served's error.
 */
const USER_INSTALLED_SETS = [
  'karpenter-1.14',
  'lws-0.10',
  'gateway-api-inference-extension-1.6',
  'jobset-0.12',
  'gpu-operator-26.7',
  'nfd-operator-4.23',
  'envoy-ai-gateway-1.1',
  'envoy-gateway-1.9',
  'gateway-api-1.6',
];

/**
 * OpenShift AI's model registry operator: ModelRegistry (modelregistry.opendatahub.io v1alpha1 and v1beta1) of
 * opendatahub-io/model-registry-operator 632c610bd29743bebc21c72d8ae25d4c625bfd79, the CRD the rhoai-3.4 and rhoai-3.5
 * lines build, widened by the rhoai-3.0 and rhoai-3.3 lines' (scripts/derive-workload-crds.js).
 */
const RHOAI_OPERATOR_SETS = ['model-registry-operator-rhoai-3'];

/** The operators' sets every platform validates with, after its own. */
const OPERATOR_SETS = [...DAY_TWO_SETS, ...WORKLOAD_OPERATOR_SETS, ...USER_INSTALLED_SETS];

const ODH_IGNORES = [
  'a serving.kserve.io/deploymentMode value its KServe does not know (the cluster default applies)',
  'ClusterServingRuntime: not installed; an InferenceService naming one finds no runtime',
];

/**
 * The platform table: rendering (`platformOf`), `validate --platform` and `check --platform` all read it.
 * Sources: the upstream CRDs at the tags each entry names, KServe's pkg/constants (deployment modes, GetDeploymentMode) and
 * OpenShift AI's release notes for 3.0–3.4.
 */
export const PLATFORMS: Readonly<Record<PlatformId, Platform>> = {
  'rhoai-3.0': {
    id: 'rhoai-3.0',
    label: 'OpenShift AI 3.0 (KServe 0.15, Kueue 0.14)',
    kserveLabel: 'OpenShift AI 3.0 (KServe 0.15)',
    kueueApiVersion: 'kueue.x-k8s.io/v1beta1',
    llmInferenceServiceApiVersion: 'serving.kserve.io/v1alpha1',
    llmInferenceServiceServed: ['v1alpha1'],
    apiVersions: { ...COMMON_API_VERSIONS, HardwareProfile: 'infrastructure.opendatahub.io/v1' },
    kueue: KUEUE_014,
    deploymentModes: MODES_015,
    connectionProtocolAnnotation: CONNECTION_TYPE_PROTOCOL_ANNOTATION,
    connectionTypeRefDeprecated: false,
    openShiftAi: true,
    schemaSets: ['odh-kserve-3.0', 'kueue-0.14', 'openshift-4.20', 'odh-operator-3.0', 'argocd-3.1', ...RHOAI_OPERATOR_SETS, ...OPERATOR_SETS],
    ignoresSilently: [...ODH_IGNORES, 'deploymentMode Standard or Knative (KServe 0.16 names)'],
    sources: [
      'KServe: red-hat-data-services/kserve rhoai-3.0 = opendatahub-io/kserve odh-v3.0 (KServe 0.15.2), GetDeploymentMode',
      'Kueue: Red Hat build of Kueue 1.2 = kubernetes-sigs/kueue v0.14.8',
      'HardwareProfile: opendatahub-operator v3.0.0; MachineSet: openshift/api release-4.20; Argo CD v3.1.16',
    ],
  },
  'rhoai-3.3': {
    id: 'rhoai-3.3',
    label: 'OpenShift AI 3.3 (KServe 0.15 mode names, Kueue v1beta1)',
    kserveLabel: 'OpenShift AI 3.3 (KServe 0.15 mode names)',
    // the Red Hat build of Kueue that 3.3 runs with is not pinned by a source here; v1beta1 is the version both
    // Kueue 0.14 (build 1.2) and 0.16 (build 1.3) serve, so it is the one that applies on either
    kueueApiVersion: 'kueue.x-k8s.io/v1beta1',
    llmInferenceServiceApiVersion: 'serving.kserve.io/v1alpha1',
    llmInferenceServiceServed: ['v1alpha1'],
    apiVersions: { ...COMMON_API_VERSIONS, HardwareProfile: 'infrastructure.opendatahub.io/v1' },
    kueue: KUEUE_014,
    deploymentModes: MODES_015,
    connectionProtocolAnnotation: CONNECTION_TYPE_PROTOCOL_ANNOTATION,
    connectionTypeRefDeprecated: false,
    openShiftAi: true,
    // no 3.3 CRDs were sourced: 3.0's are validated against, so a field new in 3.3 reads as unknown
    schemaSets: ['odh-kserve-3.0', 'kueue-0.14', 'openshift-4.20', 'odh-operator-3.0', 'argocd-3.1', ...RHOAI_OPERATOR_SETS, ...OPERATOR_SETS],
    ignoresSilently: [...ODH_IGNORES, 'deploymentMode Standard or Knative (the new names arrive in 3.4)'],
    sources: [
      'deployment-mode names: KServe 0.15 pkg/constants (RawDeployment, Serverless; Standard/Knative arrive with KServe 0.16 in 3.4)',
      'LLMInferenceService v1alpha2 is the storage version from opendatahub-io/kserve odh-v3.4 on: v1alpha1 before',
      'schemas: OpenShift AI 3.0 CRDs (3.3 CRDs not sourced); Kueue v1beta1 (served by Kueue 0.14 and 0.16)',
    ],
  },
  'rhoai-3.4': {
    id: 'rhoai-3.4',
    label: 'OpenShift AI 3.4 (KServe 0.17, Kueue 0.16)',
    kserveLabel: 'OpenShift AI 3.4 (KServe 0.17)',
    kueueApiVersion: 'kueue.x-k8s.io/v1beta2',
    llmInferenceServiceApiVersion: 'serving.kserve.io/v1alpha2',
    llmInferenceServiceServed: ['v1alpha1', 'v1alpha2'],
    apiVersions: { ...COMMON_API_VERSIONS, HardwareProfile: 'infrastructure.opendatahub.io/v1' },
    kueue: KUEUE_016,
    deploymentModes: { ...MODES_016, unavailable: ['Knative', 'Serverless', 'ModelMesh'] },
    connectionProtocolAnnotation: CONNECTION_TYPE_PROTOCOL_ANNOTATION,
    connectionTypeRefDeprecated: true,
    openShiftAi: true,
    schemaSets: ['odh-kserve-3.4', 'kueue-0.16', 'openshift-4.20', 'odh-operator-3.0', 'argocd-3.1', ...RHOAI_OPERATOR_SETS, ...OPERATOR_SETS],
    ignoresSilently: [...ODH_IGNORES, 'a v1beta1 Kueue object is accepted with a deprecation warning only'],
    sources: [
      'KServe: opendatahub-io/kserve odh-v3.4 (python VERSION 0.17.0): Standard/Knative names, LLMInferenceService v1alpha2 storage',
      'Kueue: Red Hat build of Kueue 1.3 = kubernetes-sigs/kueue v0.16.9 (v1beta2 storage, v1beta1 deprecated)',
      'runtime template: opendatahub.io/connection-type-ref deprecated for connection-type-protocol (field-2026.md)',
    ],
  },
  kserve: {
    id: 'kserve',
    label: 'upstream KServe 0.20 with Kueue 0.16+',
    kserveLabel: 'upstream KServe 0.20',
    kueueApiVersion: 'kueue.x-k8s.io/v1beta2',
    llmInferenceServiceApiVersion: 'serving.kserve.io/v1alpha2',
    llmInferenceServiceServed: ['v1alpha1', 'v1alpha2'],
    apiVersions: COMMON_API_VERSIONS,
    kueue: KUEUE_016,
    // the default of KServe's own install: config/configmap/inferenceservice.yaml deploy.defaultDeploymentMode
    // "Serverless" and charts/kserve-resources/values.yaml kserve.controller.deploymentMode: Knative
    deploymentModes: { ...MODES_016, unavailable: [], fallback: 'Knative' },
    connectionTypeRefDeprecated: false,
    openShiftAi: false,
    schemaSets: ['kserve-0.20', 'kueue-0.16', 'openshift-4.20', 'argocd-3.1', ...DAY_TWO_SETS, ...WORKLOAD_OPERATOR_SETS, ...USER_INSTALLED_SETS],
    ignoresSilently: ['opendatahub.io/* annotations and labels (no OpenShift AI controllers read them)'],
    sources: [
      'KServe: kserve/kserve v0.20.0 CRDs; deployment modes pkg/constants/constants.go (default Knative where installed)',
      'Kueue: upstream v0.16.9 CRDs; Kueue 0.20 no longer serves v1beta1',
    ],
  },
};

/** Whether a string names a platform. */
export function isPlatformId(value: unknown): value is PlatformId {
  return typeof value === 'string' && (PLATFORM_IDS as readonly string[]).includes(value);
}

/** The platform of an id; throws naming the value and the ids when it is none. */
export function platformById(id: string, where = 'platform'): Platform {
  if (!isPlatformId(id)) throw new Error(`${where}: '${id}' is not a platform; use one of ${PLATFORM_IDS.join(', ')}`);
  return PLATFORMS[id];
}

/**
 * The platform an app renders for: the one `setPlatform` chose for the construct's app (or a context value
 * `cdk8s-vllm:platform` set on any ancestor), else OpenShift AI 3.0.
 */
export function platformOf(scope: IConstruct): Platform {
  const value: unknown = scope.node.tryGetContext(PLATFORM_CONTEXT_KEY);
  if (value === undefined) return PLATFORMS[DEFAULT_PLATFORM_ID];
  return platformById(typeof value === 'string' ? value : JSON.stringify(value), `context ${PLATFORM_CONTEXT_KEY}`);
}

/**
 * Chooses the platform every construct of the app renders for. Call it on the App (or a Chart) before creating
 * the constructs under it: each reads the platform when it is constructed.
 */
export function setPlatform(app: IConstruct, id: PlatformId): void {
  const platform = platformById(id, `setPlatform(${app.node.path || 'App'})`);
  // constructs refuses context once a scope has children (Node.setContext); say which, and what to move
  const children = app.node.children.map((c) => c.node.id);
  if (children.length > 0) {
    throw new Error(
      `setPlatform(${app.node.path || 'App'}, '${id}'): call it before creating constructs under it (strictChecks and reportWarningsTo add the app's checks, cdk8s-vllm.AppChecks); ` +
        `it already holds ${children.join(', ')}, which render for ${platformOf(app).id}`,
    );
  }
  app.node.setContext(PLATFORM_CONTEXT_KEY, platform.id);
}

/** Throws, naming the platform and the feature, when a construct asks for what the platform cannot render. */
export function requireOnPlatform(scope: IConstruct, where: string, feature: string, supported: (p: Platform) => boolean): void {
  const p = platformOf(scope);
  if (supported(p)) return;
  const on = PLATFORM_IDS.filter((id) => supported(PLATFORMS[id]));
  throw new Error(`${where}: ${feature} is not available on ${p.label}${on.length ? `; it is on ${on.join(', ')} (setPlatform)` : ''}`);
}
