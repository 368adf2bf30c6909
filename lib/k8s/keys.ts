/**
 * The vocabulary the constructs write and the rules read: well-known annotation and label keys, resource names and
 * Secret keys, spelled once. Each key names the component that defines (or reads) it.
 */

// Argo CD (argo-cd docs user-guide/sync-waves.md and resource_hooks.md)
/** The prefix of Argo CD's own annotations (sync-wave, sync-options, hook, compare-options): an object carrying one is written for Argo CD. */
export const ARGOCD_ANNOTATION_PREFIX = 'argocd.argoproj.io/';
/** Argo CD's sync-wave annotation: objects sync in ascending waves (a missing one is wave 0). */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
/** Argo CD's resource hook annotation (`PreSync`, `Sync`, `PostSync`, `Skip`, …). */
export const HOOK_ANNOTATION = 'argocd.argoproj.io/hook';
/** When Argo CD deletes a hook's object (`BeforeHookCreation`, `HookSucceeded`, `HookFailed`). */
export const HOOK_DELETE_POLICY_ANNOTATION = 'argocd.argoproj.io/hook-delete-policy';
/** Sync options of one resource, comma-separated (`Validate=false,Prune=false`); argo-cd docs user-guide/sync-options.md. */
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';
/** Helm's hook annotation (`test`, `pre-install`, …; helm pkg/release/hook.go), which Argo CD reads as a hook too. */
export const HELM_HOOK_ANNOTATION = 'helm.sh/hook';

// Kueue (kueue pkg/controller/constants: QueueLabel)
/** The API group of Kueue's own kinds (ClusterQueue, LocalQueue, ResourceFlavor, Cohort, …; kueue apis/kueue). */
export const KUEUE_GROUP = 'kueue.x-k8s.io';
/** The label Red Hat build of Kueue selects managed namespaces by, and the legacy one the OpenShift AI operator honours. */
export const KUEUE_MANAGED_LABELS = ['kueue.openshift.io/managed', 'kueue-managed'];
/** The LocalQueue a workload is submitted to. */
export const QUEUE_LABEL = 'kueue.x-k8s.io/queue-name';
/** Kueue's label by which a workload takes a WorkloadPriorityClass (kueue pkg/controller/constants WorkloadPriorityClassLabel). */
export const WORKLOAD_PRIORITY_LABEL = 'kueue.x-k8s.io/priority-class';
/**
 * The fewest pods of a Job Kueue may admit when all of them do not fit (partial admission, feature gate
 * PartialAdmission, on by default since Kueue 0.5; pkg/controller/jobs/job JobMinParallelismAnnotation).
 */
export const JOB_MIN_PARALLELISM_ANNOTATION = 'kueue.x-k8s.io/job-min-parallelism';

// KServe (kserve pkg/constants/constants.go)
/** An InferenceService's deployment mode (`RawDeployment`/`Standard`, `Serverless`, `ModelMesh`). */
export const DEPLOYMENT_MODE_ANNOTATION = 'serving.kserve.io/deploymentMode';

/** The label KServe puts on an InferenceService's pods, naming the service (kserve pkg/constants InferenceServicePodLabelKey). */
export const INFERENCE_SERVICE_POD_LABEL = 'serving.kserve.io/inferenceservice';

/** Which autoscaler scales an InferenceService in raw mode (`hpa` by default, `keda`, `external`, `none`). */
export const AUTOSCALER_CLASS_ANNOTATION = 'serving.kserve.io/autoscalerClass';
/**
 * Which Knative autoscaler scales a revision (knative/serving pkg/apis/autoscaling/register.go ClassAnnotationKey):
 * KServe passes an InferenceService's own to its Knative Service, KPA (`kpa.autoscaling.knative.dev`) when unset.
 */
export const KNATIVE_AUTOSCALING_CLASS_ANNOTATION = 'autoscaling.knative.dev/class';
/** Knative's HPA class: an HPA on cpu or memory (pkg/apis/autoscaling/register.go HPA), the one Knative class that scales on utilization. */
export const KNATIVE_HPA_CLASS = 'hpa.autoscaling.knative.dev';
/** The annotation that stops a KServe service: "true" (any case) removes its workloads (StopAnnotationKey, v0.16.0 on). */
export const STOP_ANNOTATION = 'serving.kserve.io/stop';
/** The Secret KServe's storage initializer reads storage credentials from. */
export const STORAGE_SECRET_ANNOTATION = 'serving.kserve.io/storageSecretName';

// OpenShift AI (odh-model-controller, odh-dashboard)
/** OpenShift AI's token-auth switch on an InferenceService. */
export const ENABLE_AUTH_ANNOTATION = 'security.opendatahub.io/enable-auth';
/** OpenShift AI's hardware profile of a workload, whose webhook writes scheduling (and possibly resources) into it. */
export const HARDWARE_PROFILE_ANNOTATION = 'opendatahub.io/hardware-profile-name';
/** The namespace of that hardware profile. */
export const HARDWARE_PROFILE_NAMESPACE_ANNOTATION = 'opendatahub.io/hardware-profile-namespace';
/** The dashboard connection an InferenceService loads from; OpenShift AI's connection webhook fills its storage. */
export const CONNECTIONS_ANNOTATION = 'opendatahub.io/connections';
/** The protocol of a dashboard connection Secret (`s3`, `uri`, `oci`). */
export const CONNECTION_TYPE_PROTOCOL_ANNOTATION = 'opendatahub.io/connection-type-protocol';
/** The connection type a Secret refers to: deprecated from OpenShift AI 3.4 for the protocol annotation. */
export const CONNECTION_TYPE_REF_ANNOTATION = 'opendatahub.io/connection-type-ref';
/** Label that shows an object in the OpenShift AI dashboard. */
export const DASHBOARD_LABEL = 'opendatahub.io/dashboard';
/** Label of a connection Secret the dashboard manages (copied into storage-config). */
export const MANAGED_LABEL = 'opendatahub.io/managed';

// Kubernetes and NVIDIA
/** The extended resource NVIDIA's device plugin advertises. */
export const GPU_RESOURCE = 'nvidia.com/gpu';
/** The well-known label every cloud node carries with its instance type (kubernetes.io well-known labels). */
export const INSTANCE_TYPE_LABEL = 'node.kubernetes.io/instance-type';
/** The extended resource AMD's GPU device plugin advertises (ROCm/k8s-device-plugin). */
export const AMD_GPU_RESOURCE = 'amd.com/gpu';
/** GKE's label of a node's accelerator (GKE docs, "About GPUs in GKE"). */
export const GKE_ACCELERATOR_LABEL = 'cloud.google.com/gke-accelerator';
/** The product label GPU feature discovery writes (k8s-device-plugin internal/lm/resource.go; docs/gpu-feature-discovery "Generated Labels"). */
export const GFD_PRODUCT_LABEL = 'nvidia.com/gpu.product';
/** The label the API server sets on every namespace, its name (kube-apiserver NamespaceLabel, Kubernetes 1.22+; KEP-2161). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
/** The label the Job controller puts on a Job's pods, the Job's name (labels-annotations-taints: batch.kubernetes.io/job-name). */
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
/** The annotation that named an Ingress's class before spec.ingressClassName (kubernetes pkg/apis/networking/validation annotationIngressClass). */
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
/** The annotation a service-account-token Secret names its account with (k8s.io/api core/v1 ServiceAccountNameKey). */
export const SERVICE_ACCOUNT_NAME_ANNOTATION = 'kubernetes.io/service-account.name';
/** The metrics port annotation of a runtime's pods, read for OpenShift AI's metrics objects (KServe constants PrometheusPortAnnotationKey). */
export const PROMETHEUS_PORT_ANNOTATION = 'prometheus.io/port';
/** OpenShift's display name of an object (the console and the OpenShift AI dashboard show it). */
export const DISPLAY_NAME_ANNOTATION = 'openshift.io/display-name';
/** KubeRay's label of a RayCluster's pods, the cluster's name (ray-operator/controllers/ray/utils/constant.go RayClusterLabelKey). */
export const RAY_CLUSTER_LABEL = 'ray.io/cluster';

// The recommended labels (kubernetes.io/docs/concepts/overview/working-with-objects/common-labels)
export const APP_NAME_LABEL = 'app.kubernetes.io/name';
export const APP_INSTANCE_LABEL = 'app.kubernetes.io/instance';
export const APP_VERSION_LABEL = 'app.kubernetes.io/version';
export const APP_COMPONENT_LABEL = 'app.kubernetes.io/component';
export const APP_PART_OF_LABEL = 'app.kubernetes.io/part-of';
export const APP_CREATED_BY_LABEL = 'app.kubernetes.io/created-by';
/** The only Secret key KServe's storage initializer reads a Hugging Face token from (kserve pkg/credentials/hf). */
export const HF_TOKEN_KEY = 'HF_TOKEN';

// cdk8s-vllm's own annotations
/** Annotation that declares Secrets created outside Git (comma-separated names): they are expected to be missing. */
export const EXTERNAL_SECRETS_ANNOTATION = 'cdk8s-vllm.io/external-secrets';
/** Annotation on a LocalQueue whose ClusterQueue lives outside the tree on purpose (a cluster admin's shared quota). */
export const EXTERNAL_CLUSTER_QUEUE_ANNOTATION = 'cdk8s-vllm.io/external-cluster-queue';
/**
 * Annotation on a workload whose queue label names a LocalQueue the cluster has already, outside the tree (an
 * `ExistingLocalQueue`): its name, so the check expects it missing from the tree, as with external Secrets.
 */
export const EXTERNAL_LOCAL_QUEUE_ANNOTATION = 'cdk8s-vllm.io/external-local-queue';
/**
 * Annotation on a GPU workload rendered by a construct: the shape of the nodes its placement selects, as JSON. The
 * node selector alone does not tell a reader (or `check`) what is behind it (`cloud.google.com/gke-accelerator:
 * nvidia-l4` says neither GPUs per node nor memory), so the construct, which knows the shape, writes it down; every
 * rule that needs a node shape reads it first.
 *
 * `{"gpuModel":"L4","gpusPerNode":2,"vcpu":24,"memoryGiB":96,"allocatable":{"cpu":"23850m","memory":"88268Mi"},
 * "instanceType":"g2-standard-24","placement":"nodes cloud.google.com/gke-accelerator=nvidia-l4 (2 × L4 each)"}`;
 * a GPU outside the catalog adds `gpu` (CUDA-visible GiB, compute capability, FP8 tensor cores).
 */
export const NODE_SHAPE_ANNOTATION = 'cdk8s-vllm.io/node-shape';
/** The model profile a served model was planned with, as JSON. */
export const MODEL_PROFILE_ANNOTATION = 'cdk8s-vllm.io/model-profile';
/** Marks an Application expanded from an ApplicationSet: the set's `Kind/namespace/name`. */
export const GENERATED_FROM_ANNOTATION = 'cdk8s-vllm.io/generated-from';
/** Marks an Application whose set also has a templatePatch, which the expansion does not apply. */
export const TEMPLATE_PATCHED_ANNOTATION = 'cdk8s-vllm.io/template-patched';
/** Annotation prefix that acknowledges a finding on one object: `checks.cdk8s-vllm.io/<rule-id>: <reason>`. */
export const ACKNOWLEDGE_PREFIX = 'checks.cdk8s-vllm.io/';

// OpenShift Machine API (openshift/api machine/v1beta1)
/** Labels the Machine API puts on Machines, never on Nodes: a node selector on them matches nothing. */
export const MACHINE_ONLY_LABELS: ReadonlySet<string> = new Set([
  'machine.openshift.io/cluster-api-machineset',
  'machine.openshift.io/cluster-api-cluster',
  'machine.openshift.io/cluster-api-machine-role',
  'machine.openshift.io/cluster-api-machine-type',
]);

/**
 * Annotations of a Service that make OpenShift's service CA write a serving certificate into the Secret they name, in
 * the Service's namespace (service-ca-operator; the alpha name is the older spelling it still honours).
 */
export const SERVING_CERT_ANNOTATION = 'service.beta.openshift.io/serving-cert-secret-name';
export const SERVING_CERT_ALPHA_ANNOTATION = 'service.alpha.openshift.io/serving-cert-secret-name';
export const SERVING_CERT_ANNOTATIONS = [SERVING_CERT_ANNOTATION, SERVING_CERT_ALPHA_ANNOTATION] as const;
/**
 * The Notebook annotation asking odh-notebook-controller for its OAuth proxy's objects (opendatahub-io/kubeflow
 * components/odh-notebook-controller/controllers/notebook_controller.go AnnotationInjectOAuth, read with strconv.ParseBool).
 */
export const NOTEBOOK_INJECT_OAUTH_ANNOTATION = 'notebooks.opendatahub.io/inject-oauth';

/** Whether a Notebook's annotations ask for the OAuth proxy: a value Go's strconv.ParseBool reads as true (OAuthInjectionIsEnabled). */
export function injectsNotebookOAuth(annotations: Readonly<Record<string, string>>): boolean {
  return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(annotations[NOTEBOOK_INJECT_OAUTH_ANNOTATION] ?? '');
}
/**
 * The Notebook annotation asking odh-notebook-controller for its kube-rbac-proxy's objects, which replaced the OAuth
 * proxy (opendatahub-io/kubeflow components/odh-notebook-controller/controllers/notebook_controller.go
 * AnnotationInjectAuth, read with strconv.ParseBool by KubeRbacProxyInjectionIsEnabled).
 */
export const NOTEBOOK_INJECT_AUTH_ANNOTATION = 'notebooks.opendatahub.io/inject-auth';

/** Whether a Notebook's annotations ask for kube-rbac-proxy: a value Go's strconv.ParseBool reads as true. */
export function injectsNotebookAuth(annotations: Readonly<Record<string, string>>): boolean {
  return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(annotations[NOTEBOOK_INJECT_AUTH_ANNOTATION] ?? '');
}

/**
 * The Secrets and ConfigMaps odh-notebook-controller makes (or has OpenShift's service CA write) for a Notebook
 * annotated inject-auth, after its name (notebook_kube_rbac_auth.go): the ConfigMap `<name>-kube-rbac-proxy-config`
 * (KubeRbacProxyConfigSuffix, NewNotebookKubeRbacProxyConfigMap), and the serving certificate of the proxy's Service
 * (NewNotebookKubeRbacProxyService: `<name>-kube-rbac-proxy` annotated serving-cert-secret-name
 * `<name>-kube-rbac-proxy-tls`; releases whose KubeRbacProxyServiceSuffix is `-rbac` name them `<name>-rbac` and
 * `<name>-rbac-tls`).
 */
export const NOTEBOOK_AUTH_SECRET_SUFFIXES = ['-kube-rbac-proxy-tls', '-rbac-tls'] as const;
export const NOTEBOOK_AUTH_CONFIG_MAP_SUFFIX = '-kube-rbac-proxy-config';

// Istio (istio/api label and annotation)
/** The label (or, older, annotation) of a pod that turns Istio's sidecar injection on or off for it. */
export const ISTIO_INJECT = 'sidecar.istio.io/inject';
/** The namespace labels that turn injection on for its pods: istio-injection=enabled, or istio.io/rev naming a control plane revision. */
export const ISTIO_INJECTION_LABEL = 'istio-injection';
export const ISTIO_REVISION_LABEL = 'istio.io/rev';
