/** OLM's four install modes, as a ClusterServiceVersion's spec.installModes names them. */
export type InstallMode = 'OwnNamespace' | 'SingleNamespace' | 'MultiNamespace' | 'AllNamespaces';

/** The install modes an operator's ClusterServiceVersion declares supported, read from its bundle. */
export interface OperatorInstallModes {
  /** The OLM package names (a Subscription's spec.name) the bundle is published under. */
  readonly packages: readonly string[];
  /** The operator, as a message names it. */
  readonly operator: string;
  readonly supported: readonly InstallMode[];
  /** The bundle the modes are read from. */
  readonly source: string;
}

const OWN_OR_SINGLE: readonly InstallMode[] = ['OwnNamespace', 'SingleNamespace'];
const ALL_ONLY: readonly InstallMode[] = ['AllNamespaces'];

/**
 * The operators OpenShift AI setups install, with the install modes their current bundles support. Operators not
 * listed are never judged: their ClusterServiceVersion is not in the input.
 */
export const OPERATOR_INSTALL_MODES: readonly OperatorInstallModes[] = [
  {
    packages: ['job-set'],
    operator: 'the JobSet operator',
    supported: OWN_OR_SINGLE,
    source: 'openshift/jobset-operator manifests/jobset-operator.clusterserviceversion.yaml',
  },
  {
    packages: ['leader-worker-set'],
    operator: 'the LeaderWorkerSet operator',
    supported: ['OwnNamespace'],
    source: 'openshift/lws-operator manifests/leader-worker-set.clusterserviceversion.yaml',
  },
  {
    packages: ['nfd'],
    operator: 'the Node Feature Discovery operator',
    supported: OWN_OR_SINGLE,
    source: 'openshift/cluster-nfd-operator manifests/stable/manifests/nfd.clusterserviceversion.yaml',
  },
  {
    packages: ['gpu-operator-certified'],
    operator: 'the NVIDIA GPU operator',
    supported: OWN_OR_SINGLE,
    source: 'NVIDIA/gpu-operator bundle/manifests/gpu-operator-certified.clusterserviceversion.yaml',
  },
  {
    packages: ['openshift-cert-manager-operator', 'cert-manager-operator'],
    operator: 'the cert-manager operator for Red Hat OpenShift',
    supported: ['OwnNamespace', 'SingleNamespace', 'AllNamespaces'],
    source: 'openshift/cert-manager-operator bundle/manifests/cert-manager-operator.clusterserviceversion.yaml',
  },
  {
    packages: ['kueue-operator'],
    operator: 'the Red Hat build of Kueue',
    supported: ALL_ONLY,
    source: 'openshift/kueue-operator bundle/manifests/kueue-operator.clusterserviceversion.yaml',
  },
  {
    packages: ['rhods-operator', 'opendatahub-operator'],
    operator: 'the OpenShift AI / Open Data Hub operator',
    supported: ALL_ONLY,
    source:
      'opendatahub-io/opendatahub-operator config/rhoai/manifests/bases/rhods-operator.clusterserviceversion.yaml and config/manifests/bases/opendatahub-operator.clusterserviceversion.yaml',
  },
  {
    packages: ['serverless-operator'],
    operator: 'OpenShift Serverless',
    supported: ALL_ONLY,
    source: 'openshift-knative/serverless-operator olm-catalog/serverless-operator/manifests/serverless-operator.clusterserviceversion.yaml',
  },
  {
    packages: ['servicemeshoperator'],
    operator: 'OpenShift Service Mesh 2',
    supported: ALL_ONLY,
    source: 'maistra/istio-operator manifests-maistra/<release>/maistraoperator.v<release>.clusterserviceversion.yaml',
  },
  {
    packages: ['servicemeshoperator3'],
    operator: 'OpenShift Service Mesh 3',
    supported: ALL_ONLY,
    source: 'openshift-service-mesh/sail-operator bundle/manifests/servicemeshoperator3.clusterserviceversion.yaml',
  },
  {
    packages: ['authorino-operator'],
    operator: 'the Authorino operator',
    supported: ALL_ONLY,
    source: 'Kuadrant/authorino-operator bundle/manifests/authorino-operator.clusterserviceversion.yaml',
  },
  // not rhcl-operator: its downstream CSV is not the upstream Kuadrant bundle's, and published install guides use an
  // OwnNamespace group for it, so no verdict rests on the upstream bundle's AllNamespaces
  {
    packages: ['openshift-gitops-operator'],
    operator: 'OpenShift GitOps',
    supported: ALL_ONLY,
    source: 'redhat-developer/gitops-operator bundle/manifests/gitops-operator.clusterserviceversion.yaml',
  },
  {
    packages: ['cluster-observability-operator'],
    operator: 'the Cluster Observability Operator',
    supported: ALL_ONLY,
    source: 'rhobs/observability-operator bundle/manifests/observability-operator.clusterserviceversion.yaml',
  },
];

/** The install modes of an OLM package, undefined when the operator is not known. */
export function installModesOf(pkg: string): OperatorInstallModes | undefined {
  return OPERATOR_INSTALL_MODES.find((o) => o.packages.includes(pkg));
}
