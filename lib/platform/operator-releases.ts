/**
 * An operator the cluster's owner installs at a release the tree does not show (Karpenter on EKS): its kinds are
 * judged by the schemas of the newest release the project derived, and a kind or version that release does not serve
 * is a warning, never an error: the cluster may run an older release that serves it.
 */
export interface UserInstalledOperator {
  /** How messages name the operator: `Karpenter`. */
  readonly operator: string;
  /** The newest release the project knows, whose CRDs (widened by the older releases') schemas/crds holds: `v1.14.1`. */
  readonly release: string;
  /** Kinds and versions older releases served and the derived one does not, with the releases that served them. */
  readonly former: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Former kinds and the kinds that replaced them. */
  readonly replacedBy?: Readonly<Record<string, string>>;
  /** Former kinds the derived release's CRDs still hold (widened by older releases'), with the last release that served them. */
  readonly lastServedIn?: Readonly<Record<string, string>>;
}

/**
 * The API groups of user-installed operators, with what their older releases served, read off the CRD files of the
 * upstream tags: kubernetes-sigs/karpenter pkg/apis/crds (karpenter.sh_provisioners.yaml and karpenter.sh_machines.yaml
 * v1alpha5 up to v0.32.0; NodePool and NodeClaim v1beta1 from v0.30.0, beside v1 in v1.0.x, gone in v1.1.0) and
 * aws/karpenter-provider-aws pkg/apis/crds (AWSNodeTemplate v1alpha1 up to v0.32.0; EC2NodeClass v1beta1 from v0.31.0
 * to v1.0.x).
 */
export const USER_INSTALLED_OPERATORS: Readonly<Record<string, UserInstalledOperator>> = {
  'karpenter.sh': {
    operator: 'Karpenter',
    release: 'v1.14.1',
    former: {
      NodePool: { v1beta1: 'v0.30 to v1.0' },
      NodeClaim: { v1beta1: 'v0.30 to v1.0' },
      Provisioner: { v1alpha5: 'up to v0.32' },
      Machine: { v1alpha5: 'up to v0.32' },
    },
    replacedBy: { Provisioner: 'NodePool', Machine: 'NodeClaim' },
  },
  'karpenter.k8s.aws': {
    operator: "Karpenter's AWS provider",
    release: 'v1.14.1',
    former: {
      EC2NodeClass: { v1beta1: 'v0.31 to v1.0' },
      AWSNodeTemplate: { v1alpha1: 'up to v0.32' },
    },
    replacedBy: { AWSNodeTemplate: 'EC2NodeClass' },
  },
  // kubernetes-sigs/lws config/crd/bases: v1 from v0.1.0 to v0.10.0
  'leaderworkerset.x-k8s.io': { operator: 'LeaderWorkerSet', release: 'v0.10.0', former: {} },
  // kubernetes-sigs/gateway-api-inference-extension config/crd/bases: InferencePool v1 from v1.0.0; the x-k8s.io
  // InferencePool and InferenceModel were v1alpha1 in v0.1.0, v1alpha2 from v0.2.0 (InferenceModel to v0.5.1,
  // InferencePool to v1.4.0; InferenceObjective v1alpha2 from v1.0.0 to v1.5.0)
  'inference.networking.k8s.io': { operator: 'the Gateway API Inference Extension', release: 'v1.6.0', former: {} },
  'inference.networking.x-k8s.io': {
    operator: 'the Gateway API Inference Extension',
    release: 'v1.6.0',
    former: { InferencePool: { v1alpha1: 'v0.1' }, InferenceModel: { v1alpha1: 'v0.1' } },
    // v1.0.0's config/crd/bases hold no InferenceModel: InferenceObjective replaced it (docs/proposals/1199-inferencemodel-api-evolution)
    replacedBy: { InferenceModel: 'InferenceObjective' },
    lastServedIn: { InferenceModel: 'v0.5.1' },
  },
  // kubernetes-sigs/jobset config/components/crd/bases: v1alpha1 in v0.1.x, v1alpha2 from v0.2.0
  'jobset.x-k8s.io': { operator: 'JobSet', release: 'v0.12.0', former: { JobSet: { v1alpha1: 'v0.1' } } },
  // NVIDIA/gpu-operator config/crd/bases: ClusterPolicy v1 in every release, NVIDIADriver v1alpha1 from v23.9.0
  'nvidia.com': { operator: "NVIDIA's GPU operator", release: 'v26.7.0', former: {} },
  // openshift/cluster-nfd-operator config/crd/bases: NodeFeatureDiscovery v1 on every branch (the group's
  // NodeFeatureRule and NodeFeature are not shipped: nothing is said of them)
  'nfd.openshift.io': { operator: "OpenShift's NFD operator", release: 'release-4.23', former: {} },
  // envoyproxy/ai-gateway manifests/charts/ai-gateway-crds-helm: v1alpha1 from v0.1.0, v1beta1 beside it from v1.1.0
  'aigateway.envoyproxy.io': { operator: 'the Envoy AI Gateway', release: 'v1.1.0', former: {} },
  // envoyproxy/gateway charts/gateway-helm: gateway.envoyproxy.io v1alpha1 in every release
  'gateway.envoyproxy.io': { operator: 'Envoy Gateway', release: 'v1.9.0', former: {} },
  // kubernetes-sigs/gateway-api config/crd/experimental: Gateway and HTTPRoute v1alpha2 served up to v0.7 (v0.8.x
  // keeps it unserved), v1beta1 from v0.5.0, v1 from v1.0.0
  'gateway.networking.k8s.io': {
    operator: 'Gateway API',
    release: 'v1.6.1',
    former: { Gateway: { v1alpha2: 'up to v0.7' }, HTTPRoute: { v1alpha2: 'up to v0.7' } },
  },
};
