/**
 * Namespaces that platform components own and read their configuration from: Kubernetes' and OpenShift's own
 * (kube-*, openshift-*), OpenShift AI's and Open Data Hub's (redhat-ods-*, opendatahub), and the GPU operators'.
 */
export const PLATFORM_NAMESPACE = /^(kube-|openshift-|redhat-ods-)|^(openshift|opendatahub|nvidia-gpu-operator|nvidia-network-operator|amd-gpu-operator)$/;

/**
 * Namespaces that exist without the tree creating them: the cluster's own (default, kube-*, openshift-*), those the
 * OpenShift AI operator and its dependencies create (redhat-ods-*, rhods-notebooks, opendatahub, the Serverless and
 * Service Mesh ones its 2.x DSCInitialization sets up), and the GPU operators'.
 */
export function createdByPlatform(namespace: string): boolean {
  return (
    PLATFORM_NAMESPACE.test(namespace) ||
    // the model registry's namespace is the operator's too (DataScienceCluster modelregistry.registriesNamespace:
    // rhoai-model-registries on OpenShift AI, odh-model-registries on Open Data Hub)
    /^(default|rhods-notebooks|rhoai-model-registries|odh-model-registries|knative-serving|knative-eventing|istio-system|cert-manager|cert-manager-operator)$/.test(
      namespace,
    )
  );
}
