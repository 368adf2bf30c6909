import { Rule } from '../rule';
import { argumentNotSplit } from './argument-not-split';
import { commandIsOption } from './command-is-option';
import { storageUriNamesFile } from './storage-uri-names-file';
import { storageUriNotUploaded } from './storage-uri-not-uploaded';
import { modelPathOutsideMount } from './model-path-outside-mount';
import { modelPathHubCacheRoot } from './model-path-hub-cache-root';
import { shellContinuationBroken } from './shell-continuation-broken';
import { heredocApplyJoined } from './heredoc-apply-joined';
import { argocdDestinationNotPermitted } from './argocd-destination-not-permitted';
import { argocdNamespaceNotCreated } from './argocd-namespace-not-created';
import { argocdNamespaceWaveOrder } from './argocd-namespace-wave-order';
import { namespaceNotCreated } from './namespace-not-created';
import { generatorHashNotFollowed } from './generator-hash-not-followed';
import { scriptVariableUnset } from './script-variable-unset';
import { scriptSecretOverwritten } from './script-secret-overwritten';
import { kvEventsEndpointNotBound } from './kv-events-endpoint-not-bound';
import { gkeDriverPathMissing } from './gke-driver-path-missing';
import { remoteCodeNotDownloaded } from './remote-code-not-downloaded';
import { hubCacheDirMismatch } from './hub-cache-dir-mismatch';
import { kyvernoPolicyRefusesPods } from './kyverno-policy-refuses-pods';
import { ollamaHomeUnwritable } from './ollama-home-unwritable';
import { ollamaEnvUnknown } from './ollama-env-unknown';
import { llamaServerFlagValueMissing } from './llama-server-flag-value-missing';
import { hubOfflineCacheEmpty } from './hub-offline-cache-empty';
import { scaledObjectQuerySpansServers } from './scaled-object-query-spans-servers';
import { scaledObjectQueryOtherNamespace } from './scaled-object-query-other-namespace';
import { argocdDirectoryOnToolFolder } from './argocd-directory-on-tool-folder';
import { argocdGenerateName } from './argocd-generate-name';
import { argocdJobNotHook } from './argocd-job-not-hook';
import { argocdJobTtlRecreated } from './argocd-job-ttl-recreated';
import { argocdIgnoreDifferenceUnmatched } from './argocd-ignore-difference-unmatched';
import { argocdReplicasResetAutoscaler } from './argocd-replicas-reset-autoscaler';
import { argocdObjectNamespaceMissing } from './argocd-object-namespace-missing';
import { argocdJsonNotManifest } from './argocd-json-not-manifest';
import { argocdYamlNotManifest } from './argocd-yaml-not-manifest';
import { argocdDirectoryFileInvalid } from './argocd-directory-file-invalid';
import { argocdPathMissing } from './argocd-path-missing';
import { argocdPathNotInInput } from './argocd-path-not-in-input';
import { argocdRepoUrlInvalid } from './argocd-repo-url-invalid';
import { argocdAppsetSyncsItself } from './argocd-appset-syncs-itself';
import { autoscaleOnUtilization } from './autoscale-on-utilization';
import { argocdProjectNotPermitted } from './argocd-project-not-permitted';
import { argocdProjectNotCreated } from './argocd-project-not-created';
import { argocdSourceNotPermitted } from './argocd-source-not-permitted';
import { argocdSyncOrder } from './argocd-sync-order';
import { argocdHookBeforePrerequisite } from './argocd-hook-before-prerequisite';
import { argocdHookWaitsForSync } from './argocd-hook-waits-for-sync';
import { argocdDryRunMissingKind } from './argocd-dry-run-missing-kind';
import { argocdAppWaveNotAwaited } from './argocd-app-wave-not-awaited';
import { scriptCrBeforeCrd } from './script-cr-before-crd';
import { argocdSyncOptionUnknown } from './argocd-sync-option-unknown';
import { crdTooLargeForClientApply } from './crd-too-large-for-client-apply';
import { modelMountConflict } from './model-mount-conflict';
import { storageUriEmpty } from './storage-uri-empty';
import { inferenceGraphInvalid } from './inference-graph-invalid';
import { serviceStopped } from './service-stopped';
import { admissionPolicyParamUnbound } from './admission-policy-param-unbound';
import { triggerAuthenticationNotInTree } from './trigger-authentication-not-in-tree';
import { inferenceGraphServiceNotFound } from './inference-graph-service-not-found';
import { inferenceGraphStepInput } from './inference-graph-step-input';
import { injectCaCertificateNotFound } from './inject-ca-certificate-not-found';
import { routeModelNotServed } from './route-model-not-served';
import { storageInitializerSkipped } from './storage-initializer-skipped';
import { rayStartMissing } from './ray-start-missing';
import { rayjobEntrypointPathRelative } from './rayjob-entrypoint-path-relative';
import { admissionCheckGateOff } from './admission-check-gate-off';
import { kueueTopologyNotFound } from './kueue-topology-not-found';
import { gpuLabelUnpublished } from './gpu-label-unpublished';
import { gpuOperatorDevicePluginDefaultMissing } from './gpu-operator-device-plugin-default-missing';
import { kubeaiVllmProfileNoAccelerator } from './kubeai-vllm-profile-no-accelerator';
import { indexedJobHostnameUnresolved } from './indexed-job-hostname-unresolved';
import { jobSetHostnameUnresolved } from './jobset-hostname-unresolved';
import { torchrunNodeIdentityMissing } from './torchrun-node-identity-missing';
import { accelerateProcessesExceedGpus } from './accelerate-processes-exceed-gpus';
import { trainingContainerNameMissing } from './training-container-name-missing';
import { rolloutNeedsSpareGpuNode } from './rollout-needs-spare-gpu-node';
import { commandVariableUndefined } from './command-variable-undefined';
import { quotaExtendedResourceUncounted } from './quota-extended-resource-uncounted';
import { rayContainerCommandBroken } from './ray-container-command-broken';
import { raySpecInvalid } from './ray-spec-invalid';
import { rayServeAppUnloadable } from './ray-serve-app-unloadable';
import { rayServePortMismatch } from './ray-serve-port-mismatch';
import { gpuRuntimeClassMissing } from './gpu-runtime-class-missing';
import { pinnedNodeGpusOversubscribed } from './pinned-node-gpus-oversubscribed';
import { treeCrdValueInvalid } from './tree-crd-value-invalid';
import { treeCrdFieldRequired } from './tree-crd-field-required';
import { eksClaimNoDefaultClass } from './eks-claim-no-default-class';
import { fluxCrBeforeChartCrd } from './flux-cr-before-chart-crd';
import { argoTemplateFieldMisplaced } from './argo-template-field-misplaced';
import { argoVariableUnresolved } from './argo-variable-unresolved';
import { tektonParamUndeclared } from './tekton-param-undeclared';
import { dcgmExporterRequestsGpu } from './dcgm-exporter-requests-gpu';
import { commandNeverReached } from './command-never-reached';
import { serviceUrlNotFound } from './service-url-not-found';
import { nginxProxyPassUnresolved } from './nginx-proxy-pass-unresolved';
import { localhostPortNotServed } from './localhost-port-not-served';
import { dockerHostName } from './docker-host-name';
import { argocdWaveIgnored } from './argocd-wave-ignored';
import { argocdClaimWaitsForConsumer } from './argocd-claim-waits-for-consumer';
import { argocdWebhookDrift } from './argocd-webhook-drift';
import { clusterObjectConflict } from './cluster-object-conflict';
import { completionIndexNotIndexed } from './completion-index-not-indexed';
import { jobSelectorInvalid } from './job-selector-invalid';
import { persistentVolumeInvalid } from './persistent-volume-invalid';
import { memoryQuantityTooSmall } from './memory-quantity-too-small';
import { workloadSelectorMismatch } from './workload-selector-mismatch';
import { operatorGroupConflict } from './operator-group-conflict';
import { fluxKustomizationInvalid } from './flux-kustomization-invalid';
import { fluxObjectNamespaceMissing } from './flux-object-namespace-missing';
import { fluxSourceNotFound } from './flux-source-not-found';
import { fluxDependencyNotFound } from './flux-dependency-not-found';
import { fluxSubstitutionEmptiesVariable } from './flux-substitution-empties-variable';
import { externalSecretStoreNotFound } from './external-secret-store-not-found';
import { kedaClusterAuthSecretNamespace } from './keda-cluster-auth-secret-namespace';
import { statefulsetServiceNotFound } from './statefulset-service-not-found';
import { operatorInstallModeUnsupported } from './operator-install-mode-unsupported';
import { subscriptionChannelUnknown } from './subscription-channel-unknown';
import { subscriptionStartingCsvInvalid } from './subscription-starting-csv-invalid';
import { openshiftUserNameInvalid } from './openshift-user-name-invalid';
import { modelRegistryDatabaseNotInTree } from './model-registry-database-not-in-tree';
import { argocdResourceBeforeOperator } from './argocd-resource-before-operator';
import { operatorChannelMismatch } from './operator-channel-mismatch';
import { kueueInstanceMissing } from './kueue-instance-missing';
import { operatorInstanceMissing } from './operator-instance-missing';
import { gpuDriverPrecompiledUnavailable } from './gpu-driver-precompiled-unavailable';
import { subscriptionInstallPlanUnapproved } from './subscription-install-plan-unapproved';
import { kserveServerlessOperatorsMissing } from './kserve-serverless-operators-missing';
import { modelRegistryUserRoleMismatch } from './model-registry-user-role-mismatch';
import { dashboardAnnotationJsonInvalid } from './dashboard-annotation-json-invalid';
import { machineProviderSpecIncomplete } from './machine-provider-spec-incomplete';
import { gpuProductLabelMismatch } from './gpu-product-label-mismatch';
import { gpuOperatorNfdInstanceMissing } from './gpu-operator-nfd-instance-missing';
import { chartNameNotInRepository } from './chart-name-not-in-repository';
import { gpuOperatorConfigmapMissing } from './gpu-operator-configmap-missing';
import { gpuOperatorDevicePluginDefaultUnset } from './gpu-operator-device-plugin-default-unset';
import { autoscalerGpuLimitBelowMachineMax } from './autoscaler-gpu-limit-below-machine-max';
import { autoscalerGpuTypeUnlabelled } from './autoscaler-gpu-type-unlabelled';
import { nfdTaintsNotEnabled } from './nfd-taints-not-enabled';
import { clusterQueueInvalid } from './cluster-queue-invalid';
import { clusterServingRuntime } from './cluster-serving-runtime';
import { deploymentMode } from './deployment-mode';
import { knativeFeatureDisabled } from './knative-feature-disabled';
import { knativeAutoscalingAnnotationMisplaced } from './knative-autoscaling-annotation-misplaced';
import { knativeServiceInvalid } from './knative-service-invalid';
import { gatekeeperConstraintRefusesPods } from './gatekeeper-constraint-refuses-pods';
import { kueueGpuQuotaUnreachable } from './kueue-gpu-quota-unreachable';
import { deprecatedApiVersion } from './deprecated-api-version';
import { duplicateObject } from './duplicate-object';
import { objectDefinedTwice } from './object-defined-twice';
import { immutableFieldRedeclared } from './immutable-field-redeclared';
import { defaultQueueAnnotation } from './default-queue-annotation';
import { fieldUnknown } from './field-unknown';
import { fieldRequiredMissing } from './field-required-missing';
import { fieldValueInvalid } from './field-value-invalid';
import { commandTypographicQuote } from './command-typographic-quote';
import { metadataInvalid } from './metadata-invalid';
import { podSpecInvalid } from './pod-spec-invalid';
import { capabilityNameInvalid } from './capability-name-invalid';
import { probePortNameUndeclared } from './probe-port-name-undeclared';
import { gpuCountExceedsNode } from './gpu-count-exceeds-node';
import { gpuMemoryFit } from './gpu-memory-fit';
import { vllmStartupRefused } from './vllm-startup-refused';
import { hardwareProfileNamespace } from './hardware-profile-namespace';
import { hardwareProfileUntolerated } from './hardware-profile-untolerated';
import { hfRevisionNotPinned } from './hf-revision-not-pinned';
import { hfUriInvalid } from './hf-uri-invalid';
import { schedulerPluginUndefined } from './scheduler-plugin-undefined';
import { eppFlagUndefined } from './epp-flag-undefined';
import { eppPoolNotFound } from './epp-pool-not-found';
import { eppPoolRbacMissing } from './epp-pool-rbac-missing';
import { inferenceModelRemoved } from './inference-model-removed';
import { inferencePoolUnrouted } from './inference-pool-unrouted';
import { initContainerNeverExits } from './init-container-never-exits';
import { hfTokenUnreachable } from './hf-token-unreachable';
import { apiAccessNotGranted } from './api-access-not-granted';
import { scrapeDiscoveryForbidden } from './scrape-discovery-forbidden';
import { hpaMetricAdapterMissing } from './hpa-metric-adapter-missing';
import { adapterRuleNameMismatch } from './adapter-rule-name-mismatch';
import { monitorEndpointPortMissing } from './monitor-endpoint-port-missing';
import { downloadErrorPageKept } from './download-error-page-kept';
import { podAffinityGpusExceedNode } from './pod-affinity-gpus-exceed-node';
import { runtimeMetricsPortInvalid } from './runtime-metrics-port-invalid';
import { programNotInImage } from './program-not-in-image';
import { imageNotPinned } from './image-not-pinned';
import { liveObjectFields } from './live-object-fields';
import { imageReferenceInvalid } from './image-reference-invalid';
import { imageRepositoryMisspelt } from './image-repository-misspelt';
import { imageRegistryWithdrawn } from './image-registry-withdrawn';
import { vllmPortEnvTaken } from './vllm-port-env-taken';
import { vllmEnvUnknown } from './vllm-env-unknown';
import { routingSidecarPortUnserved } from './routing-sidecar-port-unserved';
import { kindNotServed } from './kind-not-served';
import { kindInUnknownGroup } from './kind-in-unknown-group';
import { namespaceMovedFromPlatform } from './namespace-moved-from-platform';
import { inferenceServiceName } from './inference-service-name';
import { localQueueDefaultTaken } from './local-queue-default-taken';
import { modelStorageTooSmall } from './model-storage-too-small';
import { llmLoraInvalid } from './llm-lora-invalid';
import { llmParallelismDropped } from './llm-parallelism-dropped';
import { llmParallelismInvalid } from './llm-parallelism-invalid';
import { modelcarNotPinned } from './modelcar-not-pinned';
import { namespaceNotKueueManaged } from './namespace-not-kueue-managed';
import { nodeSelectorMachineLabel } from './node-selector-machine-label';
import { plaintextSecret } from './plaintext-secret';
import { predictorImplementation } from './predictor-implementation';
import { priorityClassNotFound } from './priority-class-not-found';
import { workloadPriorityNotApplied } from './workload-priority-not-applied';
import { quantizationConflict } from './quantization-conflict';
import { quantizationCheckpointMissing } from './quantization-checkpoint-missing';
import { queueLabelMissing } from './queue-label-missing';
import { operatorKueueDefaultOwned } from './operator-kueue-default-owned';
import { queueNotFound } from './queue-not-found';
import { quotaInsufficient } from './quota-insufficient';
import { resourceFlavorNotFound } from './resource-flavor-not-found';
import { admissionCheckNotFound } from './admission-check-not-found';
import { multikueueReferenceMissing } from './multikueue-reference-missing';
import { kaiQueueNotFound } from './kai-queue-not-found';
import { volcanoQueueNotFound } from './volcano-queue-not-found';
import { privilegedPortNonRoot } from './privileged-port-non-root';
import { resourcesExceedNode } from './resources-exceed-node';
import { kservePlaceholderSingleBrace } from './kserve-placeholder-single-brace';
import { runtimeContainerName } from './runtime-container-name';
import { runtimeFormatMismatch } from './runtime-format-mismatch';
import { runtimeNotFound } from './runtime-not-found';
import { secretInvalid } from './secret-invalid';
import { serviceInvalid } from './service-invalid';
import { rayGpuDemandUnplaceable } from './ray-gpu-demand-unplaceable';
import { nodePoolUnsatisfiable } from './node-pool-unsatisfiable';
import { kaiQueueResourceUnset } from './kai-queue-resource-unset';
import { kaiNonPreemptibleOverQuota } from './kai-non-preemptible-over-quota';
import { postStartBeforeServer } from './post-start-before-server';
import { serviceExternalNameAddress } from './service-external-name-address';
import { valueNotBase64 } from './value-not-base64';
import { secretNotInTree } from './secret-not-in-tree';
import { serviceAccountNotFound } from './service-account-not-found';
import { sccRefusesPod } from './scc-refuses-pod';
import { podSecurityRefused } from './pod-security-refused';
import { dcgmPodResourcesMissing } from './dcgm-pod-resources-missing';
import { resourceClaimUnconsumed } from './resource-claim-unconsumed';
import { inferenceModelNotServed } from './inference-model-not-served';
import { inferencePoolSelectsOtherNamespace } from './inference-pool-selects-other-namespace';
import { requestModelNotServed } from './request-model-not-served';
import { llmModelNameNotServed } from './llm-model-name-not-served';
import { vllmDemoServerOpenai } from './vllm-demo-server-openai';
import { bindingSubjectNamespace } from './binding-subject-namespace';
import { clusterBindingSubjectNamespaceMissing } from './cluster-binding-subject-namespace-missing';
import { bindingFieldsInvalid } from './binding-fields-invalid';
import { rbacApiGroupVersion } from './rbac-api-group-version';
import { rbacResourceNotPlural } from './rbac-resource-not-plural';
import { rbacResourceNamesUnnamedVerb } from './rbac-resource-names-unnamed-verb';
import { roleRefNotFound } from './role-ref-not-found';
import { kserveS3AnnotationInvalid } from './kserve-s3-annotation-invalid';
import { kserveStorageCredentialsMissing } from './kserve-storage-credentials-missing';
import { storageClassNotFound } from './storage-class-not-found';
import { rwxClaimDefaultClass } from './rwx-claim-default-class';
import { meshHostNamespaceMismatch } from './mesh-host-namespace-mismatch';
import { podReferenceNotFound } from './pod-reference-not-found';
import { neededObjectLeftOut } from './needed-object-left-out';
import { grafanaInstanceUnmatched } from './grafana-instance-unmatched';
import { grafanaDatasourceVariableUnfilled } from './grafana-datasource-variable-unfilled';
import { gatewayCertificateNotFound } from './gateway-certificate-not-found';
import { predictorServicePortUnmatched } from './predictor-service-port-unmatched';
import { userWorkloadMonitorOutOfReach } from './user-workload-monitor-out-of-reach';
import { rateLimitAuthAttributeUnset } from './rate-limit-auth-attribute-unset';
import { dcgmExporterTaintUntolerated } from './dcgm-exporter-taint-untolerated';
import { tritonExplicitNoModel } from './triton-explicit-no-model';
import { referencedKeyMissing } from './referenced-key-missing';
import { externalSecretTemplateInvalid } from './external-secret-template-invalid';
import { openWebuiEnvInvalid } from './open-webui-env-invalid';
import { servicePortUnmatched } from './service-port-unmatched';
import { serviceSelectorUnmatched } from './service-selector-unmatched';
import { serviceMixesModels } from './service-mixes-models';
import { monitorSelectsNothing } from './monitor-selects-nothing';
import { ingressBackendNotFound } from './ingress-backend-not-found';
import { gatewayReferenceNotFound } from './gateway-reference-not-found';
import { routeNotAllowedByListener } from './route-not-allowed-by-listener';
import { hostNameInvalid } from './host-name-invalid';
import { routeInvalid } from './route-invalid';
import { projectNameReserved } from './project-name-reserved';
import { monitoringQueryNotAuthorized } from './monitoring-query-not-authorized';
import { tgiShardsExceedGpus } from './tgi-shards-exceed-gpus';
import { ingressClassConflict } from './ingress-class-conflict';
import { tokenSecretAccountMissing } from './token-secret-account-missing';
import { referenceInOtherNamespace } from './reference-in-other-namespace';
import { namespaceSplitInBuild } from './namespace-split-in-build';
import { subscriptionSourceNotFound } from './subscription-source-not-found';
import { operatorInstalledTwice } from './operator-installed-twice';
import { serviceLinkSettingCollides } from './service-link-setting-collides';
import { canaryAcrossServices } from './canary-across-services';
import { shmMissing } from './shm-missing';
import { startupProbeTooShort } from './startup-probe-too-short';
import { livenessKillsLoading } from './liveness-kills-loading';
import { livenessKillsInstall } from './liveness-kills-install';
import { storageConfigInvalid } from './storage-config-invalid';
import { storageConfigOwned } from './storage-config-owned';
import { storageCredentialsMissing } from './storage-credentials-missing';
import { storagePathLeadingSlash } from './storage-path-leading-slash';
import { credentialKeysSwapped } from './credential-keys-swapped';
import { localImageNotLoaded } from './local-image-not-loaded';
import { syncWaveOrder } from './sync-wave-order';
import { taintNotTolerated } from './taint-not-tolerated';
import { tolerationValueOdd } from './toleration-value-odd';
import { ingressPathTypeInvalid } from './ingress-path-type-invalid';
import { sharedGpuRequestOverOne } from './shared-gpu-request-over-one';
import { migStrategyMismatch } from './mig-strategy-mismatch';
import { mpsDaemonUnreachable } from './mps-daemon-unreachable';
import { limitRangeGpuDefault } from './limit-range-gpu-default';
import { resourceQuotaMustSpecify } from './resource-quota-must-specify';
import { tensorParallelGpuMismatch } from './tensor-parallel-gpu-mismatch';
import { unrenderedPlaceholder } from './unrendered-placeholder';
import { vllmArchitectureUnsupported } from './vllm-architecture-unsupported';
import { vllmDtypeUnsupported } from './vllm-dtype-unsupported';
import { vllmGpuGeneration } from './vllm-gpu-generation';
import { networkPolicyBlocksConnection } from './network-policy-blocks-connection';
import { networkPolicyBlocksDownload } from './network-policy-blocks-download';
import { vllmCpuMemory } from './vllm-cpu-memory';
import { vllmCacheNotWritable } from './vllm-cache-not-writable';
import { vllmEnvArgsUnread } from './vllm-env-args-unread';
import { envShellReference } from './env-shell-reference';
import { acceleratorResourceUnknown } from './accelerator-resource-unknown';
import { nixlSideChannelHost } from './nixl-side-channel-host';
import { vllmFlagRepeated } from './vllm-flag-repeated';
import { vllmFlagUnknown } from './vllm-flag-unknown';
import { vllmFlagValueMissing } from './vllm-flag-value-missing';
import { vllmImageDeviceMismatch } from './vllm-image-device-mismatch';
import { gpuServerRunsOnCpu } from './gpu-server-runs-on-cpu';
import { hfServerCacheUnwritable } from './hf-server-cache-unwritable';
import { vllmModelMissing } from './vllm-model-missing';
import { vllmPortMismatch } from './vllm-port-mismatch';
import { vllmProbePathNotServed } from './vllm-probe-path-not-served';
import { vllmProbeHttpOnTls } from './vllm-probe-http-on-tls';
import { jobAppliedManifestInvalid } from './job-applied-manifest-invalid';
import { modelServerPortNotServed } from './model-server-port-not-served';
import { modelServerLoopbackOnly } from './model-server-loopback-only';
import { modelServerModelMissing } from './model-server-model-missing';
import { modelPathNotMounted } from './model-path-not-mounted';
import { runtimeDefaultPortUnserved } from './runtime-default-port-unserved';
import { kserveModelNameDefault } from './kserve-model-name-default';
import { modelPathNotFilled } from './model-path-not-filled';
import { readinessProbeTooSparse } from './readiness-probe-too-sparse';
import { llmTlsFileNotMounted } from './llm-tls-file-not-mounted';
import { vllmSwitchGivenValue } from './vllm-switch-given-value';
import { vllmModelGivenTwice } from './vllm-model-given-twice';
import { vllmServedNameComma } from './vllm-served-name-comma';
import { vllmJsonOptionKeyValue } from './vllm-json-option-key-value';
import { vllmJsonOptionQuoted } from './vllm-json-option-quoted';
import { vllmVisibleDevicesShort } from './vllm-visible-devices-short';
import { loraSyncerLoadingDisabled } from './lora-syncer-loading-disabled';
import { gpuVisibleDevicesOverridden } from './gpu-visible-devices-overridden';
import { limitRangeRefusesPod } from './limit-range-refuses-pod';
import { transformerModelNameMismatch } from './transformer-model-name-mismatch';
import { dashboardSizeRequestsExceedLimits } from './dashboard-size-requests-exceed-limits';
import { eppProbeServiceUnknown } from './epp-probe-service-unknown';
import { vllmServerNotStarted } from './vllm-server-not-started';
import { vllmServiceNameCollides } from './vllm-service-name-collides';
import { scaledObjectHpaConflict } from './scaled-object-hpa-conflict';
import { hpaTargetShared } from './hpa-target-shared';
import { hpaUtilizationWithoutRequest } from './hpa-utilization-without-request';
import { alertJobNotScraped } from './alert-job-not-scraped';
import { scaledObjectTargetShared } from './scaled-object-target-shared';
import { scaledObjectFormulaNameUnknown } from './scaled-object-formula-name-unknown';
import { monitorScrapeTimeoutExceedsInterval } from './monitor-scrape-timeout-exceeds-interval';
import { vllmCacheRootUnwritable } from './vllm-cache-root-unwritable';
import { storageUriSchemeUnsupported } from './storage-uri-scheme-unsupported';
import { storageCredentialsInServerEnv } from './storage-credentials-in-server-env';
import { portH2cOnHttp1Server } from './port-h2c-on-http1-server';
import { ingressRewriteDropsPath } from './ingress-rewrite-drops-path';
import { traefikApiGroupRetired } from './traefik-api-group-retired';
import { traefikMiddlewareNotFound } from './traefik-middleware-not-found';
import { llmRoutePrefixStripped } from './llm-route-prefix-stripped';
import { scaleFromZeroUnreachable } from './scale-from-zero-unreachable';
import { scaleTargetNotFound } from './scale-target-not-found';
import { scaleTargetNotScalable } from './scale-target-not-scalable';
import { trainingRuntimeNotFound } from './training-runtime-not-found';
import { rolloutReferenceNotFound } from './rollout-reference-not-found';
import { analysisFieldUnknown } from './analysis-field-unknown';
import { analysisVectorResultCompared } from './analysis-vector-result-compared';
import { rolloutsPluginNotConfigured } from './rollouts-plugin-not-configured';
import { llmkubeModelNotFound } from './llmkube-model-not-found';
import { litellmProxyNotFound } from './litellm-proxy-not-found';
import { argocdValueFileNotFile } from './argocd-value-file-not-file';
import { litellmProviderUnknown } from './litellm-provider-unknown';
import { litellmMcpServerNameInvalid } from './litellm-mcp-server-name-invalid';
import { networkPolicyDnsPort } from './network-policy-dns-port';
import { networkPolicyBlocksDns } from './network-policy-blocks-dns';
import { networkPolicyApiServerSelector } from './network-policy-api-server-selector';
import { networkPolicyNamespaceLabelUnset } from './network-policy-namespace-label-unset';
import { networkPolicySelectsNothing } from './network-policy-selects-nothing';
import { prometheusServiceNotFound } from './prometheus-service-not-found';
import { thanosTenancyNamespaceMissing } from './thanos-tenancy-namespace-missing';
import { prometheusScrapePortMissing } from './prometheus-scrape-port-missing';
import { vllmMetricUnknown } from './vllm-metric-unknown';
import { promqlParseError } from './promql-parse-error';
import { dashboardPromqlParseError } from './dashboard-promql-parse-error';
import { pdbBlocksEviction } from './pdb-blocks-eviction';
import { configFileInvalid } from './config-file-invalid';
import { volumeClaimMultiAttach } from './volume-claim-multi-attach';
import { volumeClaimUnsatisfied } from './volume-claim-unsatisfied';
import { nodeClassNotFound } from './node-class-not-found';
import { nodePoolNotDeclared } from './node-pool-not-declared';
import { nodePoolGpuMissing } from './node-pool-gpu-missing';
import { computeClassNotFound } from './compute-class-not-found';
import { albHttpsListenerNoCertificate } from './alb-https-listener-no-certificate';
import { networkPolicyBlocksScrape } from './network-policy-blocks-scrape';
import { networkPolicyBlocksInference } from './network-policy-blocks-inference';
import { serviceAddressLiteral } from './service-address-literal';

/** Every rule, grouped by concern: serving, scheduling and quota, storage, security, memory, consistency. */
export const ALL_RULES: readonly Rule[] = [
  runtimeNotFound,
  runtimeFormatMismatch,
  predictorImplementation,
  tensorParallelGpuMismatch,
  llmParallelismInvalid,
  llmParallelismDropped,
  llmLoraInvalid,
  vllmModelMissing,
  vllmArchitectureUnsupported,
  vllmDtypeUnsupported,
  vllmGpuGeneration,
  networkPolicyBlocksConnection,
  networkPolicyBlocksDownload,
  vllmFlagRepeated,
  vllmFlagUnknown,
  vllmFlagValueMissing,
  vllmSwitchGivenValue,
  vllmModelGivenTwice,
  vllmServedNameComma,
  vllmJsonOptionKeyValue,
  vllmJsonOptionQuoted,
  vllmVisibleDevicesShort,
  loraSyncerLoadingDisabled,
  gpuVisibleDevicesOverridden,
  limitRangeRefusesPod,
  dashboardSizeRequestsExceedLimits,
  eppProbeServiceUnknown,
  vllmServerNotStarted,
  vllmImageDeviceMismatch,
  gpuServerRunsOnCpu,
  hfServerCacheUnwritable,
  vllmEnvArgsUnread,
  envShellReference,
  acceleratorResourceUnknown,
  nixlSideChannelHost,
  vllmPortMismatch,
  vllmProbePathNotServed,
  vllmProbeHttpOnTls,
  jobAppliedManifestInvalid,
  modelServerPortNotServed,
  modelServerLoopbackOnly,
  modelServerModelMissing,
  modelPathNotMounted,
  runtimeDefaultPortUnserved,
  kserveModelNameDefault,
  transformerModelNameMismatch,
  modelPathNotFilled,
  readinessProbeTooSparse,
  llmTlsFileNotMounted,
  vllmServiceNameCollides,
  shmMissing,
  startupProbeTooShort,
  livenessKillsLoading,
  livenessKillsInstall,
  autoscaleOnUtilization,
  scaledObjectHpaConflict,
  hpaTargetShared,
  hpaUtilizationWithoutRequest,
  alertJobNotScraped,
  scaledObjectTargetShared,
  scaledObjectFormulaNameUnknown,
  monitorScrapeTimeoutExceedsInterval,
  vllmCacheRootUnwritable,
  storageUriSchemeUnsupported,
  storageCredentialsInServerEnv,
  portH2cOnHttp1Server,
  ingressRewriteDropsPath,
  traefikApiGroupRetired,
  traefikMiddlewareNotFound,
  llmRoutePrefixStripped,
  scaleFromZeroUnreachable,
  scaleTargetNotFound,
  scaleTargetNotScalable,
  trainingRuntimeNotFound,
  rolloutReferenceNotFound,
  analysisFieldUnknown,
  analysisVectorResultCompared,
  rolloutsPluginNotConfigured,
  llmkubeModelNotFound,
  litellmProxyNotFound,
  argocdValueFileNotFile,
  litellmProviderUnknown,
  litellmMcpServerNameInvalid,
  networkPolicyDnsPort,
  networkPolicyBlocksDns,
  networkPolicyApiServerSelector,
  networkPolicyNamespaceLabelUnset,
  networkPolicySelectsNothing,
  dockerHostName,
  prometheusServiceNotFound,
  thanosTenancyNamespaceMissing,
  prometheusScrapePortMissing,
  vllmMetricUnknown,
  promqlParseError,
  dashboardPromqlParseError,
  pdbBlocksEviction,
  configFileInvalid,
  deploymentMode,
  knativeFeatureDisabled,
  knativeAutoscalingAnnotationMisplaced,
  knativeServiceInvalid,
  gatekeeperConstraintRefusesPods,
  kueueGpuQuotaUnreachable,
  hardwareProfileNamespace,
  hardwareProfileUntolerated,
  syncWaveOrder,
  runtimeContainerName,
  kservePlaceholderSingleBrace,
  clusterServingRuntime,
  queueNotFound,
  clusterQueueInvalid,
  resourceFlavorNotFound,
  admissionCheckNotFound,
  multikueueReferenceMissing,
  kaiQueueNotFound,
  volcanoQueueNotFound,
  privilegedPortNonRoot,
  priorityClassNotFound,
  workloadPriorityNotApplied,
  serviceAccountNotFound,
  sccRefusesPod,
  podSecurityRefused,
  dcgmPodResourcesMissing,
  resourceClaimUnconsumed,
  inferenceModelNotServed,
  inferencePoolSelectsOtherNamespace,
  requestModelNotServed,
  llmModelNameNotServed,
  vllmDemoServerOpenai,
  bindingSubjectNamespace,
  clusterBindingSubjectNamespaceMissing,
  bindingFieldsInvalid,
  rbacApiGroupVersion,
  rbacResourceNotPlural,
  rbacResourceNamesUnnamedVerb,
  roleRefNotFound,
  kserveS3AnnotationInvalid,
  kserveStorageCredentialsMissing,
  storageClassNotFound,
  rwxClaimDefaultClass,
  meshHostNamespaceMismatch,
  volumeClaimMultiAttach,
  volumeClaimUnsatisfied,
  nodeClassNotFound,
  nodePoolNotDeclared,
  nodePoolGpuMissing,
  computeClassNotFound,
  podReferenceNotFound,
  neededObjectLeftOut,
  grafanaInstanceUnmatched,
  grafanaDatasourceVariableUnfilled,
  gatewayCertificateNotFound,
  predictorServicePortUnmatched,
  userWorkloadMonitorOutOfReach,
  rateLimitAuthAttributeUnset,
  dcgmExporterTaintUntolerated,
  tritonExplicitNoModel,
  queueLabelMissing,
  operatorKueueDefaultOwned,
  gpuCountExceedsNode,
  nodeSelectorMachineLabel,
  taintNotTolerated,
  tolerationValueOdd,
  ingressPathTypeInvalid,
  albHttpsListenerNoCertificate,
  networkPolicyBlocksScrape,
  networkPolicyBlocksInference,
  serviceAddressLiteral,
  sharedGpuRequestOverOne,
  migStrategyMismatch,
  mpsDaemonUnreachable,
  limitRangeGpuDefault,
  resourceQuotaMustSpecify,
  resourcesExceedNode,
  quotaInsufficient,
  namespaceNotKueueManaged,
  localQueueDefaultTaken,
  storageCredentialsMissing,
  storageConfigOwned,
  storageConfigInvalid,
  storagePathLeadingSlash,
  credentialKeysSwapped,
  localImageNotLoaded,
  secretNotInTree,
  secretInvalid,
  serviceInvalid,
  serviceExternalNameAddress,
  postStartBeforeServer,
  rayGpuDemandUnplaceable,
  nodePoolUnsatisfiable,
  kaiQueueResourceUnset,
  kaiNonPreemptibleOverQuota,
  valueNotBase64,
  referencedKeyMissing,
  externalSecretTemplateInvalid,
  openWebuiEnvInvalid,
  servicePortUnmatched,
  serviceSelectorUnmatched,
  serviceMixesModels,
  monitorSelectsNothing,
  completionIndexNotIndexed,
  jobSelectorInvalid,
  workloadSelectorMismatch,
  memoryQuantityTooSmall,
  persistentVolumeInvalid,
  ingressBackendNotFound,
  gatewayReferenceNotFound,
  routeNotAllowedByListener,
  hostNameInvalid,
  routeInvalid,
  projectNameReserved,
  monitoringQueryNotAuthorized,
  tgiShardsExceedGpus,
  ingressClassConflict,
  tokenSecretAccountMissing,
  apiAccessNotGranted,
  scrapeDiscoveryForbidden,
  hpaMetricAdapterMissing,
  adapterRuleNameMismatch,
  monitorEndpointPortMissing,
  downloadErrorPageKept,
  podAffinityGpusExceedNode,
  runtimeMetricsPortInvalid,
  programNotInImage,
  referenceInOtherNamespace,
  namespaceSplitInBuild,
  subscriptionSourceNotFound,
  operatorInstalledTwice,
  serviceLinkSettingCollides,
  canaryAcrossServices,
  hfTokenUnreachable,
  vllmCacheNotWritable,
  modelStorageTooSmall,
  modelcarNotPinned,
  hfRevisionNotPinned,
  hfUriInvalid,
  schedulerPluginUndefined,
  eppFlagUndefined,
  eppPoolNotFound,
  eppPoolRbacMissing,
  inferenceModelRemoved,
  inferencePoolUnrouted,
  initContainerNeverExits,
  inferenceServiceName,
  plaintextSecret,
  unrenderedPlaceholder,
  imageNotPinned,
  liveObjectFields,
  imageReferenceInvalid,
  imageRepositoryMisspelt,
  imageRegistryWithdrawn,
  vllmPortEnvTaken,
  vllmEnvUnknown,
  routingSidecarPortUnserved,
  argumentNotSplit,
  commandIsOption,
  storageUriNamesFile,
  storageUriNotUploaded,
  modelPathOutsideMount,
  modelPathHubCacheRoot,
  shellContinuationBroken,
  heredocApplyJoined,
  vllmStartupRefused,
  gpuMemoryFit,
  vllmCpuMemory,
  quantizationConflict,
  quantizationCheckpointMissing,
  clusterObjectConflict,
  operatorGroupConflict,
  fluxKustomizationInvalid,
  operatorInstallModeUnsupported,
  subscriptionChannelUnknown,
  subscriptionStartingCsvInvalid,
  openshiftUserNameInvalid,
  modelRegistryDatabaseNotInTree,
  argocdResourceBeforeOperator,
  operatorChannelMismatch,
  kueueInstanceMissing,
  operatorInstanceMissing,
  gpuDriverPrecompiledUnavailable,
  subscriptionInstallPlanUnapproved,
  kserveServerlessOperatorsMissing,
  modelRegistryUserRoleMismatch,
  dashboardAnnotationJsonInvalid,
  machineProviderSpecIncomplete,
  gpuProductLabelMismatch,
  gpuOperatorNfdInstanceMissing,
  chartNameNotInRepository,
  gpuOperatorConfigmapMissing,
  gpuOperatorDevicePluginDefaultUnset,
  autoscalerGpuLimitBelowMachineMax,
  autoscalerGpuTypeUnlabelled,
  nfdTaintsNotEnabled,
  duplicateObject,
  objectDefinedTwice,
  immutableFieldRedeclared,
  defaultQueueAnnotation,
  argocdPathMissing,
  argocdPathNotInInput,
  argocdRepoUrlInvalid,
  argocdAppsetSyncsItself,
  argocdJsonNotManifest,
  argocdYamlNotManifest,
  argocdDirectoryFileInvalid,
  argocdDirectoryOnToolFolder,
  argocdDestinationNotPermitted,
  argocdNamespaceNotCreated,
  argocdNamespaceWaveOrder,
  namespaceNotCreated,
  generatorHashNotFollowed,
  scriptVariableUnset,
  scriptSecretOverwritten,
  kvEventsEndpointNotBound,
  gkeDriverPathMissing,
  remoteCodeNotDownloaded,
  hubCacheDirMismatch,
  kyvernoPolicyRefusesPods,
  ollamaHomeUnwritable,
  ollamaEnvUnknown,
  llamaServerFlagValueMissing,
  hubOfflineCacheEmpty,
  scaledObjectQuerySpansServers,
  scaledObjectQueryOtherNamespace,
  argocdSourceNotPermitted,
  argocdProjectNotPermitted,
  argocdProjectNotCreated,
  argocdSyncOrder,
  argocdHookBeforePrerequisite,
  argocdHookWaitsForSync,
  argocdDryRunMissingKind,
  argocdAppWaveNotAwaited,
  scriptCrBeforeCrd,
  argocdSyncOptionUnknown,
  crdTooLargeForClientApply,
  modelMountConflict,
  storageUriEmpty,
  inferenceGraphInvalid,
  inferenceGraphServiceNotFound,
  inferenceGraphStepInput,
  injectCaCertificateNotFound,
  routeModelNotServed,
  triggerAuthenticationNotInTree,
  admissionPolicyParamUnbound,
  serviceStopped,
  storageInitializerSkipped,
  rayStartMissing,
  rayjobEntrypointPathRelative,
  rayContainerCommandBroken,
  torchrunNodeIdentityMissing,
  accelerateProcessesExceedGpus,
  trainingContainerNameMissing,
  rolloutNeedsSpareGpuNode,
  commandVariableUndefined,
  quotaExtendedResourceUncounted,
  indexedJobHostnameUnresolved,
  jobSetHostnameUnresolved,
  admissionCheckGateOff,
  kueueTopologyNotFound,
  gpuLabelUnpublished,
  gpuOperatorDevicePluginDefaultMissing,
  kubeaiVllmProfileNoAccelerator,
  raySpecInvalid,
  rayServeAppUnloadable,
  rayServePortMismatch,
  gpuRuntimeClassMissing,
  pinnedNodeGpusOversubscribed,
  treeCrdValueInvalid,
  treeCrdFieldRequired,
  eksClaimNoDefaultClass,
  argoTemplateFieldMisplaced,
  argoVariableUnresolved,
  tektonParamUndeclared,
  dcgmExporterRequestsGpu,
  commandNeverReached,
  serviceUrlNotFound,
  nginxProxyPassUnresolved,
  localhostPortNotServed,
  argocdWaveIgnored,
  argocdClaimWaitsForConsumer,
  argocdWebhookDrift,
  argocdGenerateName,
  argocdJobNotHook,
  argocdJobTtlRecreated,
  argocdIgnoreDifferenceUnmatched,
  argocdReplicasResetAutoscaler,
  argocdObjectNamespaceMissing,
  fluxObjectNamespaceMissing,
  fluxSourceNotFound,
  fluxDependencyNotFound,
  fluxSubstitutionEmptiesVariable,
  externalSecretStoreNotFound,
  kedaClusterAuthSecretNamespace,
  statefulsetServiceNotFound,
  fluxCrBeforeChartCrd,
  kindNotServed,
  kindInUnknownGroup,
  namespaceMovedFromPlatform,
  fieldUnknown,
  fieldRequiredMissing,
  fieldValueInvalid,
  commandTypographicQuote,
  metadataInvalid,
  podSpecInvalid,
  capabilityNameInvalid,
  probePortNameUndeclared,
  deprecatedApiVersion,
];
