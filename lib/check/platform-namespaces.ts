/**
 * Namespaces that platform components own and read their configuration from: Kubernetes' and OpenShift's own
 * (kube-*, openshift-*), OpenShift AI's and Open Data Hub's (redhat-ods-*, opendatahub), and the GPU operators'.
 */
export const PLATFORM_NAMESPACE = /^(kube-|openshift-|redhat-ods-)|^(openshift|opendatahub|nvidia-gpu-operator|nvidia-network-operator|amd-gpu-operator)$/;

/**
 * The openshift-* namespaces an OpenShift 4.x cluster has without anyone creating them: those of its release payload
 * (the cluster version operator's manifests: control plane, networking, ingress, DNS, monitoring, OLM, machine API,
 * console, registry, the platform-specific infra namespaces), and two that an operator makes for its own default
 * instance (openshift-gitops by OpenShift GitOps, openshift-pipelines by OpenShift Pipelines). Namespaces of other
 * operators (openshift-nfd, openshift-serverless, openshift-storage, openshift-logging, openshift-cnv, …) are made by
 * whoever installs them, as their install documents show: OLM creates no namespace.
 */
const OPENSHIFT_MADE = new RegExp(
  '^openshift-(' +
    [
      'apiserver(-operator)?',
      'authentication(-operator)?',
      'catalogd',
      'cloud-[a-z-]+',
      'cluster-[a-z-]+',
      'config(-managed|-operator)?',
      'console(-operator|-user-settings)?',
      'controller-manager(-operator)?',
      'dns(-operator)?',
      'etcd(-operator)?',
      'gitops',
      'host-network',
      'image-registry',
      'infra',
      'ingress(-canary|-operator)?',
      'insights',
      '(kni|nutanix|openstack|ovirt|vsphere|baremetal)-infra',
      'kube-[a-z-]+',
      'machine-api',
      'machine-config-operator',
      'marketplace',
      'monitoring',
      'multus',
      'network-[a-z-]+',
      'node',
      'oauth-apiserver',
      'operator-controller',
      'operator-lifecycle-manager',
      'operators',
      'ovn-kubernetes',
      'pipelines',
      'route-controller-manager',
      'sdn',
      'service-ca(-operator)?',
      'user-workload-monitoring',
    ].join('|') +
    ')$',
);

/** Whether the cluster itself has the namespace, whatever is installed on it: default, kube-*, OPENSHIFT_MADE. */
export function madeByCluster(namespace: string): boolean {
  return namespace === 'default' || namespace.startsWith('kube-') || OPENSHIFT_MADE.test(namespace);
}

/**
 * Namespaces that exist without the tree creating them: the cluster's own (default, kube-*, OPENSHIFT_MADE), those the
 * OpenShift AI operator and its dependencies create (redhat-ods-*, rhods-notebooks, opendatahub, the Serverless and
 * Service Mesh ones its 2.x DSCInitialization sets up), and the GPU operators'.
 */
export function createdByPlatform(namespace: string): boolean {
  return (
    (PLATFORM_NAMESPACE.test(namespace) && !namespace.startsWith('openshift-')) ||
    OPENSHIFT_MADE.test(namespace) ||
    // the model registry's namespace is the operator's too (DataScienceCluster modelregistry.registriesNamespace:
    // rhoai-model-registries on OpenShift AI, odh-model-registries on Open Data Hub)
    /^(default|rhods-notebooks|rhoai-model-registries|odh-model-registries|knative-serving|knative-eventing|istio-system|cert-manager|cert-manager-operator)$/.test(
      namespace,
    )
  );
}
