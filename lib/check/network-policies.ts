import { Loose, mapping, stringMap, strings, text } from '../manifests/access';
import { INFERENCE_SERVICE_POD_LABEL } from '../k8s/keys';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';

/**
 * Policy kinds that can allow what a Kubernetes NetworkPolicy denies: Cilium's, Calico's (GlobalNetworkPolicy, and its
 * own NetworkPolicy of projectcalico.org, told apart by the API group) and sig-network's AdminNetworkPolicy API, which
 * OVN-Kubernetes implements (AdminNetworkPolicy and BaselineAdminNetworkPolicy of v1alpha1, ClusterNetworkPolicy of
 * v1alpha2). OVN-Kubernetes' EgressFirewall only limits egress to addresses outside the cluster and allows nothing.
 */
const OTHER_POLICY_KINDS = [
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
  'GlobalNetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterNetworkPolicy',
];

/** Whether a NetworkPolicy is Kubernetes' (networking.k8s.io, or the extensions group of old manifests), not Calico's namesake. */
function isKubernetesPolicy(o: GraphObject): boolean {
  const api = String(o.manifest.apiVersion ?? '');
  return api.startsWith('networking.k8s.io/') || api.startsWith('extensions/');
}

/** The kinds of the tree's policies that may allow what its NetworkPolicies deny (none: the NetworkPolicies decide). */
export function otherPolicyKinds(graph: ObjectGraph): string[] {
  const calico = graph.ofKind('NetworkPolicy').some((o) => !isKubernetesPolicy(o)) ? ['NetworkPolicy (projectcalico.org)'] : [];
  return [...OTHER_POLICY_KINDS.filter((k) => graph.ofKind(k).length), ...calico];
}

/** The Kubernetes NetworkPolicies of a namespace (an object without one is in the namespace the tree leaves open). */
export function policiesIn(graph: ObjectGraph, ns: string | undefined): GraphObject[] {
  return graph.ofKind('NetworkPolicy').filter((p) => isKubernetesPolicy(p) && graph.namespaceOf(p.manifest) === ns);
}

/**
 * The directions a policy isolates the pods it selects for (k8s.io/api networking/v1 types.go PolicyTypes): those it
 * lists, else Ingress always and Egress when it has an egress section.
 */
export function policyTypesOf(policy: Loose): string[] {
  const spec = mapping(policy.spec);
  const types = strings(spec.policyTypes);
  return types.length ? types : ['Ingress', ...(spec.egress !== undefined ? ['Egress'] : [])];
}

/**
 * The labels KServe gives an InferenceService's predictor pods, as far as the service tells them: its own labels and
 * the predictor's, serving.kserve.io/inferenceservice=<name> and component=predictor (kserve pkg/constants
 * InferenceServicePodLabelKey, KServiceComponentLabel). The storage initializer runs in that pod.
 */
export function predictorPodLabels(isvc: Loose): Record<string, string> {
  const own = stringMap(mapping(isvc.metadata).labels);
  const predictor = stringMap(mapping(mapping(isvc.spec).predictor).labels);
  return { ...own, ...predictor, [INFERENCE_SERVICE_POD_LABEL]: text(mapping(isvc.metadata).name) ?? '', component: 'predictor' };
}
