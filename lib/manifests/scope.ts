import { groupVersionOf } from '../k8s/api-version';

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
  // argoproj/argo-rollouts manifests/crds/cluster-analysis-template-crd.yaml (scope: Cluster)
  'ClusterAnalysisTemplate',
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

/**
 * The API groups of Kubernetes itself: each of their kinds that is not cluster-scoped (CLUSTER_SCOPED, from `kubectl
 * api-resources --namespaced=false`) is namespaced for sure. A custom kind is namespaced only as its CRD says.
 */
const KUBERNETES_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'discovery.k8s.io',
  'coordination.k8s.io',
  'events.k8s.io',
  'storage.k8s.io',
]);

/**
 * Whether a kind is namespaced for sure: a Kubernetes kind not cluster-scoped, or a custom kind one of the given CRDs
 * declares with scope Namespaced. A custom kind whose CRD is not given may be cluster-scoped (a ClusterPolicy, a
 * DataScienceCluster), so it is not known to be namespaced.
 */
export function knownNamespacedKind(apiVersion: string, kind: string, crds: readonly Record<string, unknown>[]): boolean {
  if (isClusterScoped(kind)) return false;
  const { group } = groupVersionOf(apiVersion);
  if (KUBERNETES_GROUPS.has(group)) return true;
  // (read without ./access, which reads this module)
  const field = (o: unknown, key: string): unknown => (o && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined);
  return crds.some((crd) => {
    const spec = field(crd, 'spec');
    return field(spec, 'group') === group && field(field(spec, 'names'), 'kind') === kind && field(spec, 'scope') === 'Namespaced';
  });
}
