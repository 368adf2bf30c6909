import { groupVersionOf } from './api-version';

/**
 * The API groups in which the checks mean a custom kind whose name other projects also use (an InferenceService of
 * another group is another project's resource, with none of KServe's fields or webhooks), by group. A kind is listed
 * in every group whose objects the checks read under that name; an object of the kind in any other group is a
 * look-alike the rules about the kind pass by. Kinds not listed here are matched by name alone.
 */
const KINDS_BY_GROUP: Readonly<Record<string, readonly string[]>> = {
  // kserve/kserve pkg/apis/serving/v1beta1 and v1alpha1 (register.go: serving.kserve.io); serving.kubeflow.org is its
  // group before KServe 0.7, which the rules about retired API versions name
  'serving.kserve.io': [
    'InferenceService',
    'ServingRuntime',
    'ClusterServingRuntime',
    'InferenceGraph',
    'TrainedModel',
    'LLMInferenceService',
    'LLMInferenceServiceConfig',
  ],
  'serving.kubeflow.org': ['InferenceService', 'TrainedModel'],
  // kubernetes-sigs/kueue apis/kueue/v1beta1 and v1beta2 (groupversion_info.go)
  'kueue.x-k8s.io': ['Workload', 'ClusterQueue', 'LocalQueue', 'Cohort', 'ResourceFlavor', 'AdmissionCheck', 'WorkloadPriorityClass', 'Topology'],
  // KAI scheduler pkg/apis/scheduling/v2 (scheduling.run.ai Queue); volcano-sh/apis pkg/apis/scheduling/v1beta1 (Queue)
  'scheduling.run.ai': ['Queue'],
  'scheduling.volcano.sh': ['Queue'],
  // kubernetes-sigs/gateway-api apis/v1; istio/api networking/v1 (Istio's own Gateway)
  'gateway.networking.k8s.io': ['Gateway', 'GatewayClass', 'HTTPRoute', 'GRPCRoute'],
  'networking.istio.io': ['Gateway'],
  // kubernetes-sigs/gateway-api-inference-extension apis/v1 (inference.networking.k8s.io) and apix/v1alpha2
  'inference.networking.k8s.io': ['InferencePool'],
  'inference.networking.x-k8s.io': ['InferencePool', 'InferenceModel', 'InferenceObjective'],
  // openshift/api route/v1, project/v1, user/v1, machine/v1beta1
  'route.openshift.io': ['Route'],
  'project.openshift.io': ['Project'],
  'user.openshift.io': ['Group'],
  'machine.openshift.io': ['MachineSet'],
  // argoproj/argo-cd pkg/apis/application/v1alpha1 and argoproj/argo-rollouts pkg/apis/rollouts/v1alpha1 (each
  // register.go: argoproj.io)
  'argoproj.io': ['Application', 'ApplicationSet', 'AppProject', 'Rollout', 'AnalysisTemplate', 'ClusterAnalysisTemplate'],
  // fluxcd/kustomize-controller api/v1 and fluxcd/helm-controller api/v2
  'kustomize.toolkit.fluxcd.io': ['Kustomization'],
  'helm.toolkit.fluxcd.io': ['HelmRelease'],
  // cert-manager pkg/apis/certmanager/v1
  'cert-manager.io': ['Certificate'],
  // operator-framework/api pkg/operators/v1alpha1 and v1
  'operators.coreos.com': ['Subscription', 'OperatorGroup', 'CatalogSource', 'ClusterServiceVersion'],
  // NVIDIA/gpu-operator api/nvidia/v1 ClusterPolicy; kyverno/kyverno api/kyverno/v1 ClusterPolicy
  'nvidia.com': ['ClusterPolicy'],
  'kyverno.io': ['ClusterPolicy'],
  // kubernetes-sigs/karpenter pkg/apis/v1 NodePool
  'karpenter.sh': ['NodePool'],
  // ollama-operator (nekomeowww/ollama-operator) api/ollama/v1 Model
  'ollama.ayaka.io': ['Model'],
  // cloudnative-pg api/v1 Cluster; EDB Postgres for Kubernetes, CloudNativePG's downstream, api/v1 Cluster (EDB docs
  // "API reference": postgresql.k8s.enterprisedb.io/v1); kubernetes-sigs/kind pkg/apis/config/v1alpha4 Cluster (a configuration file)
  'postgresql.cnpg.io': ['Cluster'],
  'postgresql.k8s.enterprisedb.io': ['Cluster'],
  'kind.x-k8s.io': ['Cluster'],
  // ray-project/kuberay ray-operator/apis/ray/v1
  'ray.io': ['RayCluster', 'RayJob', 'RayService'],
  // kubernetes-sigs/lws api/leaderworkerset/v1; kubernetes-sigs/jobset api/jobset/v1alpha2
  'leaderworkerset.x-k8s.io': ['LeaderWorkerSet'],
  'jobset.x-k8s.io': ['JobSet'],
  // silogen/kaiwo apis/kaiwo/v1alpha1 (groupversion_info.go: kaiwo.silogen.ai)
  'kaiwo.silogen.ai': ['KaiwoJob', 'KaiwoService'],
  // kedacore/keda apis/keda/v1alpha1
  'keda.sh': ['ScaledObject', 'ScaledJob'],
  // opendatahub-io/opendatahub-operator api/datasciencecluster and api/dscinitialization
  'datasciencecluster.opendatahub.io': ['DataScienceCluster'],
  'dscinitialization.opendatahub.io': ['DSCInitialization'],
};

/**
 * The API groups of operators whose own kinds the checks read by group rather than by kind name, as their names are
 * other projects' too (LLMKube's InferenceService and Model are not KServe's or the Ollama operator's): an object of
 * one of these groups is the operator's API, which the rules about it judge. defilantech/LLMKube api/v1alpha1
 * (groupversion_info.go: inference.llmkube.dev); home-operations/litellm-operator api/v1alpha1 (litellm.home-operations.com).
 */
export const OPERATOR_GROUPS: Readonly<Record<string, readonly string[]>> = {
  'inference.llmkube.dev': ['Model', 'InferenceService', 'ModelPool', 'ModelRouter', 'LoRAAdapter', 'GPUQuota'],
  'litellm.home-operations.com': ['LiteLLMProxy', 'LiteLLMModel', 'LiteLLMGuardrail', 'LiteLLMMCPServer', 'LiteLLMTeam', 'LiteLLMVirtualKey'],
};

/**
 * The name under which the checks index the objects of a kind in a group that does not mean it (`InferenceService of
 * inference.llmkube.dev`): a rule about an operator's kind of a shared name applies to that name.
 */
export function lookAlikeKind(kind: string, group: string): string {
  return `${kind} of ${group}`;
}

/** Whether an object is of a kind of an operator the checks model by group (OPERATOR_GROUPS), of that group. */
export function isOperatorKind(m: { readonly kind?: unknown; readonly apiVersion?: unknown }, group: string, kind: string): boolean {
  return m.kind === kind && typeof m.apiVersion === 'string' && groupVersionOf(m.apiVersion).group === group && (OPERATOR_GROUPS[group] ?? []).includes(kind);
}

/** The groups each listed kind is meant in (KINDS_BY_GROUP turned around). */
const GROUPS_BY_KIND: ReadonlyMap<string, ReadonlySet<string>> = (() => {
  const out = new Map<string, Set<string>>();
  for (const [group, kinds] of Object.entries(KINDS_BY_GROUP)) for (const kind of kinds) out.set(kind, (out.get(kind) ?? new Set<string>()).add(group));
  return out;
})();

/** The groups the checks mean a kind in; undefined for a kind matched by name alone. */
export function groupsMeant(kind: string): ReadonlySet<string> | undefined {
  return GROUPS_BY_KIND.get(kind);
}

/**
 * Whether an object is of the kind the checks mean by its name: a listed kind only in its groups (a look-alike of
 * another group is not); any other kind by name. An object written without apiVersion (a kustomize patch, a partial
 * object) cannot say its group and is taken as meant.
 */
export function isMeantKind(m: { readonly kind?: unknown; readonly apiVersion?: unknown }): boolean {
  const groups = typeof m.kind === 'string' ? GROUPS_BY_KIND.get(m.kind) : undefined;
  if (!groups || typeof m.apiVersion !== 'string' || m.apiVersion === '') return true;
  return groups.has(groupVersionOf(m.apiVersion).group);
}
