import { Loose, mapping, mappings } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { otherPolicyKinds, policiesIn, policyTypesOf } from '../network-policies';
import { Problem, Rule } from '../rule';

/**
 * The port the API server's endpoints listen on where the cluster runs it on its control-plane nodes: kube-apiserver's
 * --secure-port as kubeadm sets it (kubeadm constants KubeAPIServerPort 6443) and OpenShift's (the kubernetes Service's
 * 443 maps to the masters' 6443). A policy is matched against that port, after the Service's translation.
 */
const API_SERVER_PORT = 6443;

/** Whether a policy port entry covers a number (port, or port to endPort; no port: every port); a named port names a pod's, not the API server's. */
function covers(p: Loose, port: number): boolean {
  if (p.port === undefined) return true;
  const end = typeof p.endPort === 'number' ? p.endPort : p.port;
  return typeof p.port === 'number' && p.port <= port && port <= end;
}

/** Whether an egress rule lets traffic out on the port (no ports: every port). */
function allowsPort(rule: Loose, port: number): boolean {
  const ports = mappings(rule.ports);
  return !ports.length || ports.some((p) => covers(p, port));
}

/** Whether an egress rule's peers are only pod or namespace selectors (a `to` that is missing or empty reaches every destination). */
const selectorsOnly = (rule: Loose): boolean => {
  const peers = mappings(rule.to);
  return peers.length > 0 && peers.every((p) => p.ipBlock === undefined);
};

/** Whether any egress rule of the namespace's policies reaches the API server's port beyond pods: by an ipBlock, or to every destination. */
function apiServerReached(graph: ObjectGraph, ns: string | undefined): boolean {
  return policiesIn(graph, ns).some((p) => mappings(mapping(p.manifest.spec).egress).some((r) => allowsPort(r, API_SERVER_PORT) && !selectorsOnly(r)));
}

function apiServerProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  if (!policyTypesOf(o.manifest).includes('Egress') || otherPolicyKinds(graph).length) return [];
  const rules = mappings(mapping(o.manifest.spec).egress);
  const i = rules.findIndex((r) => selectorsOnly(r) && mappings(r.ports).some((p) => typeof p.port === 'number' && covers(p, API_SERVER_PORT)));
  if (i < 0 || apiServerReached(graph, graph.namespaceOf(o.manifest))) return [];
  return [
    {
      message:
        `spec.egress[${i}] allows port ${API_SERVER_PORT}, the API server's, only to what a namespaceSelector or podSelector picks, and no egress rule of the namespace's policies allows ${API_SERVER_PORT} to an ipBlock or to every destination: ` +
        `the API server's endpoints (the kubernetes Service's in default) are the control-plane nodes' own addresses, served from the host network, not pods, and a pod or namespace selector does not match them ` +
        `(Kubernetes leaves policy for host-network endpoints to the network plugin; OVN-Kubernetes, Calico and Cilium match them by address only), so the selected pods' calls to the API server are dropped (timeouts on every request, watch and lease); ` +
        `allow ${API_SERVER_PORT} to an ipBlock of the API server's endpoints (\`kubectl get endpoints kubernetes -n default\`), or in a rule with that port and no \`to\``,
    },
  ];
}

export const networkPolicyApiServerSelector: Rule = {
  id: 'network-policy-api-server-selector',
  title:
    "a NetworkPolicy allows egress to the API server's port 6443 only through a namespaceSelector or podSelector: its endpoints are host-network addresses no selector matches",
  severity: 'warning',
  appliesTo: ['NetworkPolicy'],
  premise:
    "a Kubernetes NetworkPolicy (networking.k8s.io) isolates egress (policyTypes names Egress, or it has an egress section), one of its egress rules lists port 6443 (a number, or a range holding it) towards peers that are all namespaceSelector or podSelector peers (no ipBlock), and no egress rule of a NetworkPolicy of the namespace allows 6443 to an ipBlock or to every destination (a rule without `to`, or with an empty one; a rule without ports allows every port); not judged where the tree holds policies of other kinds that may allow it (Cilium's, Calico's, AdminNetworkPolicy); a warning: the network plugin decides, and whether the pods call the API server the tree does not always say",
  example: '`port: 6443` in an egress rule to `namespaceSelector: {}` of a policy whose namespace is denied egress by `default-deny-all`',
  fix: "allow port 6443 to an ipBlock of the API server's endpoints (`kubectl get endpoints kubernetes -n default`), or in an egress rule with no `to`",
  source:
    'Kubernetes docs, Network Policies ("NetworkPolicy and hostNetwork pods": the behaviour is undefined, and plugins commonly match host-network traffic as the node\'s, not by pod or namespace selectors; policies are matched after the Service\'s translation to the endpoint port); OpenShift docs, Network security, "About network policy" (a namespaceSelector without podSelector: {} does not include hostNetwork pods); kubeadm constants KubeAPIServerPort 6443; the kubernetes Service in default (kube-apiserver endpoint reconciler: the API servers\' own addresses)',
  check(o, { graph }) {
    return apiServerProblems(o, graph);
  },
};
