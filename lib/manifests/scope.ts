/**
 * Kinds that are not namespaced: Kubernetes 1.33's (`kubectl api-resources --namespaced=false`) and those of the CRDs
 * this project reads (`spec.scope: Cluster`: Kueue's ClusterQueue, ResourceFlavor, Cohort and friends, KServe's
 * ClusterServingRuntime and ClusterStorageContainer, OpenShift's cluster config). Everything else is namespaced.
 */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'StorageClass',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'PriorityClass',
  'RuntimeClass',
  'CustomResourceDefinition',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'IngressClass',
  'CertificateSigningRequest',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'DeviceClass',
  'ResourceSlice',
  'IPAddress',
  'ServiceCIDR',
  'ClusterTrustBundle',
  'VolumeAttributesClass',
  'TokenReview',
  'SelfSubjectReview',
  'SelfSubjectAccessReview',
  'SelfSubjectRulesReview',
  'SubjectAccessReview',
  'StorageVersion',
  'StorageVersionMigration',
  'ClusterQueue',
  'ResourceFlavor',
  'Cohort',
  'Topology',
  'AdmissionCheck',
  'WorkloadPriorityClass',
  'MultiKueueCluster',
  'MultiKueueConfig',
  'ClusterServingRuntime',
  'ClusterStorageContainer',
  'ClusterVersion',
  'Infrastructure',
  'Project',
  'SecurityContextConstraints',
]);

/** Whether objects of a kind live outside namespaces. */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}
