/**
 * The custom resource kinds an OLM operator's own bundle installs (the CRDs its ClusterServiceVersion owns), by the
 * packages a Subscription names. Until the Subscription has been resolved and the operator installed, none of these
 * kinds is served. Operators not listed are never judged.
 */
export interface OperatorApis {
  /** OLM package names (a Subscription's spec.name). */
  readonly packages: readonly string[];
  readonly operator: string;
  /** API groups every kind of which the bundle installs. */
  readonly groups: readonly string[];
  /** Single kinds (group/Kind) where the group is shared with kinds the cluster already serves. */
  readonly kinds?: readonly string[];
  readonly source: string;
}

export const OPERATOR_APIS: readonly OperatorApis[] = [
  {
    packages: ['rhods-operator', 'opendatahub-operator'],
    operator: 'the OpenShift AI / Open Data Hub operator',
    groups: [
      'datasciencecluster.opendatahub.io',
      'dscinitialization.opendatahub.io',
      'components.platform.opendatahub.io',
      'services.platform.opendatahub.io',
      'features.opendatahub.io',
      'infrastructure.opendatahub.io',
    ],
    source: 'opendatahub-io/opendatahub-operator config/crd/bases (the CRDs its bundle carries)',
  },
  {
    packages: ['gpu-operator-certified'],
    operator: 'the NVIDIA GPU operator',
    groups: ['nvidia.com'],
    source: 'NVIDIA/gpu-operator bundle/manifests (ClusterPolicy, NVIDIADriver)',
  },
  {
    packages: ['nfd'],
    operator: 'the Node Feature Discovery operator',
    groups: ['nfd.openshift.io', 'nfd.k8s-sigs.io'],
    source: 'openshift/cluster-nfd-operator manifests/stable/manifests (NodeFeatureDiscovery, NodeFeatureRule)',
  },
  {
    packages: ['kueue-operator'],
    operator: 'the Red Hat build of Kueue',
    groups: ['kueue.openshift.io'],
    source: 'openshift/kueue-operator bundle/manifests (Kueue)',
  },
  {
    packages: ['openshift-pipelines-operator-rh'],
    operator: 'OpenShift Pipelines',
    groups: ['operator.tekton.dev'],
    source: 'openshift-pipelines/operator bundle manifests (TektonConfig and the other operator.tekton.dev kinds)',
  },
  {
    packages: ['serverless-operator'],
    operator: 'OpenShift Serverless',
    groups: ['operator.knative.dev'],
    source: 'openshift-knative/serverless-operator olm-catalog manifests (KnativeServing, KnativeEventing)',
  },
  {
    packages: ['servicemeshoperator'],
    operator: 'OpenShift Service Mesh 2',
    groups: ['maistra.io'],
    source: 'maistra/istio-operator manifests-maistra (ServiceMeshControlPlane, ServiceMeshMemberRoll)',
  },
  {
    packages: ['servicemeshoperator3'],
    operator: 'OpenShift Service Mesh 3',
    groups: ['sailoperator.io'],
    source: 'istio-ecosystem/sail-operator bundle/manifests (Istio, IstioCNI)',
  },
  {
    packages: ['leader-worker-set'],
    operator: 'the LeaderWorkerSet operator',
    groups: [],
    kinds: ['operator.openshift.io/LeaderWorkerSetOperator'],
    source: 'openshift/lws-operator manifests (LeaderWorkerSetOperator)',
  },
  {
    packages: ['job-set'],
    operator: 'the JobSet operator',
    groups: [],
    kinds: ['operator.openshift.io/JobSetOperator'],
    source: 'openshift/jobset-operator manifests (JobSetOperator)',
  },
  {
    packages: ['openshift-custom-metrics-autoscaler-operator'],
    operator: 'the Custom Metrics Autoscaler operator',
    groups: ['keda.sh'],
    source: 'openshift/custom-metrics-autoscaler-operator bundle manifests (KedaController, ScaledObject)',
  },
  {
    packages: ['kernel-module-management'],
    operator: 'Kernel Module Management',
    groups: ['kmm.sigs.x-k8s.io'],
    source: 'rh-ecosystem-edge/kernel-module-management bundle/manifests (Module)',
  },
  {
    packages: ['authorino-operator'],
    operator: 'the Authorino operator',
    groups: ['operator.authorino.kuadrant.io'],
    source: 'kuadrant/authorino-operator bundle/manifests (Authorino)',
  },
  {
    packages: ['rhcl-operator', 'kuadrant-operator'],
    operator: 'the Kuadrant operator (Red Hat Connectivity Link)',
    groups: ['kuadrant.io'],
    source:
      'Kuadrant/kuadrant-operator bundle/manifests (Kuadrant, AuthPolicy, RateLimitPolicy, DNSPolicy, TLSPolicy), which Red Hat Connectivity Link ships as rhcl-operator',
  },
];

/** The operator of a package whose bundle installs the kind of an apiVersion's group. */
export function operatorInstalling(pkg: string, group: string, kind: string): OperatorApis | undefined {
  const op = OPERATOR_APIS.find((o) => o.packages.includes(pkg));
  return op && (op.groups.includes(group) || (op.kinds ?? []).includes(`${group}/${kind}`)) ? op : undefined;
}

/**
 * Kinds an operator installs only once one of its own custom resources asks for them: the OpenShift AI / Open Data Hub
 * operator deploys a component's manifests, CRDs included, when a DataScienceCluster enables the component. Until the
 * operator is installed and has reconciled that DataScienceCluster, none of these kinds is served.
 */
export interface ComponentApis {
  /** OLM package names of the operator (a Subscription's spec.name). */
  readonly packages: readonly string[];
  /** The custom resource whose reconciliation installs the kinds (group/Kind). */
  readonly trigger: string;
  readonly component: string;
  /** The kinds (group/Kind) the component's manifests install. */
  readonly kinds: readonly string[];
  readonly source: string;
}

export const COMPONENT_APIS: readonly ComponentApis[] = [
  {
    packages: ['rhods-operator', 'opendatahub-operator'],
    trigger: 'datasciencecluster.opendatahub.io/DataScienceCluster',
    component: 'the dashboard component',
    kinds: [
      'dashboard.opendatahub.io/AcceleratorProfile',
      'dashboard.opendatahub.io/OdhApplication',
      'dashboard.opendatahub.io/OdhDocument',
      'opendatahub.io/OdhDashboardConfig',
    ],
    source:
      'opendatahub-io/odh-dashboard manifests/common/crd (odhdashboardconfigs.opendatahub.io, odhapplications and odhdocuments.dashboard.opendatahub.io; acceleratorprofiles.dashboard.opendatahub.io), the manifests the operator deploys for the DataScienceCluster dashboard component; the rhods-operator bundle owns none of these CRDs (red-hat-data-services/rhods-operator bundle/manifests/rhods-operator.clusterserviceversion.yaml)',
  },
];

/** The component whose manifests install the kind, for an operator package. */
export function componentInstalling(pkg: string, group: string, kind: string): ComponentApis | undefined {
  return COMPONENT_APIS.find((c) => c.packages.includes(pkg) && c.kinds.includes(`${group}/${kind}`));
}
