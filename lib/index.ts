/**
 * cdk8s-vllm: typed cdk8s constructs for serving LLMs with vLLM on Red Hat OpenShift AI (KServe), checked at synth.
 *
 * Constructs render the objects; the rules run as the app's validation, so `app.synth()`, `Testing.synth()` and
 * `cdk8s synth` refuse what cannot run. The S3 tooling lives in the separate entry point `cdk8s-vllm/s3`.
 */

// first: the modules below load with V8's cached code of an earlier run
import './private/compile-cache';

// the platform an app renders for: OpenShift AI 3.0 to 3.4, upstream KServe
export { PLATFORMS, PLATFORM_IDS, DEFAULT_PLATFORM_ID, isPlatformId, platformOf, setPlatform } from './platform/platform';
export type { Platform, PlatformId, DeploymentModes, KueueApi } from './platform/platform';

// GPUs and the instance types that carry them
export { GpuModel } from './catalog/gpu-model';
export type { GpuCalibration, GpuModelSpec } from './catalog/gpu-model';
export { GpuInstanceType } from './catalog/instance-type';
export type { GpuInstanceTypeSpec, InstancePrice, NodeResources } from './catalog/instance-type';
export { PriceList } from './catalog/prices';
export type { PriceEntry } from './catalog/prices';
export type { CatalogSource, FieldSource } from './catalog/source';

// constructs: model storage, serving, cluster capacity, jobs
export { S3Connection } from './storage/s3-connection';
export type { S3ConnectionProps, SecretKeyReference } from './storage/s3-connection';
export { VllmRuntime } from './serving/vllm-runtime';
export type { VllmRuntimeProps, VllmRuntimeBinding } from './serving/vllm-runtime';
export { S3ModelInferenceService } from './serving/s3-model-inference-service';
export type { S3ModelInferenceServiceProps } from './serving/s3-model-inference-service';
export { VllmDtype, KvCacheDtype } from './serving/vllm-engine-options';
export type { VllmEngineOptions } from './serving/vllm-engine-options';
export { GpuMachineSetScale } from './cluster/gpu-machine-set-scale';
export type { GpuMachineSetScaleProps } from './cluster/gpu-machine-set-scale';
export { ExistingGpuNodes } from './placement/existing-gpu-nodes';
export { PlannedPlacement } from './placement/planned-placement';
export type { PlannedPlacementProps } from './placement/planned-placement';
export { InstancePrices } from './placement/instance-prices';
export type { InstancePricesProps } from './placement/instance-prices';
export type { ExistingGpuNodesProps, GpuNodeShape } from './placement/existing-gpu-nodes';
export { GPU_TAINT } from './placement/gpu-placement';
export type { IGpuPlacement, NodeTaint } from './placement/gpu-placement';
export type { WorkloadDemand } from './placement/gpu-demand';
export { ModelSource } from './sources/model-source';
export type { ModelSourceBinding, HuggingFaceSourceOptions } from './sources/model-source';
export { VllmInferenceService } from './serving/vllm-inference-service';
export type { VllmInferenceServiceProps, AutoscalingOptions } from './serving/vllm-inference-service-props';
export type { StartupBudgetOptions } from './serving/service-startup';
export { VllmLlmInferenceService } from './serving/vllm-llm-inference-service';
export { LlmRouter } from './serving/llm-router';
export type {
  VllmLlmInferenceServiceProps,
  LlmPoolOptions,
  LlmParallelism,
  LlmLoraOptions,
  LlmLoraAdapter,
  LlmPool,
  LlmInferenceServiceApiVersion,
} from './serving/vllm-llm-inference-service-props';
export { poolTopology, planPool } from './planning/llm-pool';
export type { PoolTopology, PoolParallelism } from './planning/llm-pool';
export { KueueQuota } from './cluster/kueue-quota';
export { ServingNamespace } from './cluster/serving-namespace';
export { ExistingLocalQueue } from './cluster/existing-local-queue';
export { LocalQueueOf } from './cluster/existing-cluster-queue';
export type { LocalQueueOfProps } from './cluster/existing-cluster-queue';
export type { ExistingLocalQueueProps } from './cluster/existing-local-queue';
export type { IWorkloadQueue } from './cluster/workload-queue';
export type { ServingNamespaceProps } from './cluster/serving-namespace';
export type { KueueQuotaProps, FlavorQuota, PlacementShare, QueuePreemption } from './cluster/kueue-quota-props';
export { ModelUploadJob } from './jobs/model-upload-job';
export type { ModelUploadJobProps } from './jobs/model-upload-job';
export { ModelRegistrationJob } from './jobs/model-registration-job';
export type { ModelRegistrationJobProps, RegisteredModelVersion } from './jobs/model-registration-job';

// delivery through Argo CD
export { ArgoCdDelivery } from './delivery/argocd-delivery';
export { ArgoCdFleet } from './delivery/argocd-fleet';
export type { ArgoCdFleetProps, FleetEnvironment } from './delivery/argocd-fleet';
export type { ArgoCdDeliveryProps } from './delivery/argocd-delivery';

// rendering for GitOps
export { KustomizeTree } from './gitops/kustomize-tree';
export type { KustomizeTreeOptions, KustomizationOptions, RenderedTree } from './gitops/kustomize-tree';
export type { RenderedObject, TreeVerifier } from './manifests/rendered';
export { ScaleSignal, THANOS_QUERIER_URL, VLLM_METRICS } from './serving/scale-signal';
export { PrometheusReader, PROMETHEUS_READER_NAME } from './serving/prometheus-reader';
export { VllmMonitoring } from './serving/vllm-monitoring';
export type { VllmMonitoringProps } from './serving/vllm-monitoring';
export { startupBudget } from './planning/startup-budget';
export type { StartupBudget, StartupInput, WeightOrigin } from './planning/startup-budget';
export { ModelSmokeTest } from './jobs/model-smoke-test';
export type { ModelSmokeTestProps, SmokeTestTarget } from './jobs/model-smoke-test';
export { prerequisitesOf } from './check/prerequisites';
export { prerequisitesReport } from './check/prerequisites-report';
export type { MissingNamespace, NamespaceLabel, Prerequisites, SecretKind } from './check/prerequisites';
export { fleetReportOf, planReportOf, planReportOfNamespace } from './serving/plan-report-of';

// the GPU memory planner
export { ModelProfile } from './planning/model-profile';
export type { ModelProfileSpec, QuantizationInfo, MoeInfo, MlaInfo, EncoderInfo, WeightSource, ContextLimits } from './planning/model-spec';
export { planMemory, searchShapes, longestServedContext } from './planning/plan';
export type { ShapeOption, ShapeTarget } from './planning/plan';
export type { PlanInput, MemoryPlan, PlanOutcome, VllmEngine } from './planning/memory-plan';
export { verdictConfidence } from './planning/confidence';
export type { VerdictConfidence } from './planning/confidence';

// checks and schema validation, for manifests from anywhere
export { runChecks } from './check/engine';
export type { CheckInput, CheckOptions } from './check/engine';
export type { Finding, Severity } from './check/rule';
export { acknowledgeFinding } from './check/acknowledge';
export { reportWarningsTo, strictChecks, STRICT_ENV } from './check/app-checks';
export { NODE_SHAPE_ANNOTATION } from './k8s/keys';
export type { NodeShapeRecord } from './check/node-shape';
export { readManifests } from './manifests/read-manifests';
export type { LoadedManifest, ManifestReadError } from './manifests/read-manifests';
export { SchemaValidator } from './validation/schema-validator';
export type { SchemaValidatorOptions, SchemaFinding } from './validation/schema-validator';
export { schemaVerifier } from './validation/verifier';
