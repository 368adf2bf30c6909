import { Loose, mapping, mappings, strings } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { onOpenShift } from '../platform';
import { Problem, Rule } from '../rule';
import { NAMESPACE_NAME_LABEL } from '../../k8s/keys';

/** The port OpenShift's DNS pods listen on (openshift/cluster-dns-operator assets/dns/daemonset.yaml: containerPort 5353, dns and dns-tcp). */
const OPENSHIFT_DNS_POD_PORT = 5353;
/** The port of the dns-default Service, which maps it to the pods' 5353 (assets/dns/service.yaml: targetPort dns). */
const DNS_SERVICE_PORT = 53;

/** Whether a NetworkPolicy port entry covers a port number (port, or port to endPort); a named port ('dns') is a pod's port name, which the DNS pods give 5353. */
function covers(p: Loose, port: number): boolean {
  if (p.port === undefined) return true;
  if (typeof p.port === 'string') return p.port === 'dns' || p.port === 'dns-tcp' ? port === OPENSHIFT_DNS_POD_PORT : false;
  const end = typeof p.endPort === 'number' ? p.endPort : p.port;
  return typeof p.port === 'number' && p.port <= port && port <= end;
}

/** Whether an egress rule lets traffic reach port `port` of pods in other namespaces (no ports: every port). */
function allows(rule: Loose, port: number): boolean {
  const ports = mappings(rule.ports);
  return !ports.length || ports.some((p) => covers(p, port));
}

/** Whether an egress rule's peers may be the cluster DNS pods: no `to` (everywhere) or a namespaceSelector; an ipBlock or a podSelector alone is another server. */
const mayReachClusterDns = (rule: Loose) => {
  const peers = mappings(rule.to);
  return !peers.length || peers.some((p) => p.namespaceSelector !== undefined);
};

/** The namespace of OpenShift's cluster DNS (openshift/cluster-dns-operator assets/dns/namespace.yaml). */
const OPENSHIFT_DNS_NAMESPACE = 'openshift-dns';
/** The label the DNS operator gives the dns-default pods (openshift/cluster-dns-operator assets/dns/daemonset.yaml: dns.operator.openshift.io/daemonset-dns: default). */
const OPENSHIFT_DNS_POD_LABEL = 'dns.operator.openshift.io/daemonset-dns';

/** Whether a label selector picks the openshift-dns namespace by its name (kubernetes.io/metadata.name, or a `name` label), by matchLabels or an In expression. */
function selectsDnsNamespace(selector: Loose): boolean {
  const keys = [NAMESPACE_NAME_LABEL, 'name'];
  const labels = mapping(selector.matchLabels);
  if (keys.some((k) => labels[k] === OPENSHIFT_DNS_NAMESPACE)) return true;
  return mappings(selector.matchExpressions).some(
    (e) => keys.includes(String(e.key)) && e.operator === 'In' && strings(e.values).includes(OPENSHIFT_DNS_NAMESPACE),
  );
}

/**
 * Whether the policy itself names OpenShift's DNS: a peer selecting the openshift-dns namespace or the DNS operator's
 * pods. Such a policy is written for OpenShift, whatever else the tree says of its platform.
 */
function namesOpenShiftDns(m: Loose): boolean {
  return mappings(mapping(m.spec).egress).some((r) =>
    mappings(r.to).some(
      (p) => selectsDnsNamespace(mapping(p.namespaceSelector)) || mapping(mapping(p.podSelector).matchLabels)[OPENSHIFT_DNS_POD_LABEL] !== undefined,
    ),
  );
}

/** Whether a policy limits egress (policyTypes names Egress, or it has an egress section: networking/v1 NetworkPolicySpec.PolicyTypes). */
function limitsEgress(m: Loose): boolean {
  const spec = mapping(m.spec);
  const types = strings(spec.policyTypes);
  return types.length ? types.includes('Egress') : spec.egress !== undefined;
}

/** Whether any NetworkPolicy of the namespace allows egress to port 5353 where the cluster DNS pods may be (policies add up). */
function dnsPodPortAllowed(graph: ObjectGraph, ns: string | undefined): boolean {
  return graph
    .ofKind('NetworkPolicy')
    .filter((p) => graph.namespaceOf(p.manifest) === ns)
    .some((p) => mappings(mapping(p.manifest.spec).egress).some((r) => mayReachClusterDns(r) && allows(r, OPENSHIFT_DNS_POD_PORT)));
}

function dnsProblems(o: GraphObject, graph: ObjectGraph, ownProof: boolean): Problem[] {
  if (!limitsEgress(o.manifest)) return [];
  const rules = mappings(mapping(o.manifest.spec).egress);
  const i = rules.findIndex((r) => mayReachClusterDns(r) && mappings(r.ports).some((p) => p.port === DNS_SERVICE_PORT) && !allows(r, OPENSHIFT_DNS_POD_PORT));
  if (i < 0 || dnsPodPortAllowed(graph, graph.namespaceOf(o.manifest))) return [];
  return [
    {
      message:
        `spec.egress[${i}] allows DNS on port ${DNS_SERVICE_PORT} only, and no egress rule of the namespace's policies allows port ${OPENSHIFT_DNS_POD_PORT}: ` +
        `on OpenShift${ownProof ? " (the policy's own peer names OpenShift's DNS, so it is written for OpenShift)" : ''} the cluster DNS pods (openshift-dns) listen on ${OPENSHIFT_DNS_POD_PORT} and the dns-default Service maps ${DNS_SERVICE_PORT} to it, and a policy is matched against the pod's port, so every lookup is dropped and the pods resolve no name (no Service, no model download); ` +
        `allow port ${OPENSHIFT_DNS_POD_PORT} (UDP and TCP) beside ${DNS_SERVICE_PORT}`,
    },
  ];
}

export const networkPolicyDnsPort: Rule = {
  id: 'network-policy-dns-port',
  title: 'on OpenShift a NetworkPolicy allows DNS egress on port 53 only: the cluster DNS pods listen on 5353, so no name resolves',
  severity: 'error',
  appliesTo: ['NetworkPolicy'],
  premise:
    "the platform is OpenShift (told by --platform, the project file or the tree), or the policy itself names OpenShift's DNS (a peer whose namespaceSelector picks openshift-dns by kubernetes.io/metadata.name or a name label, or whose podSelector picks the DNS operator's pods by dns.operator.openshift.io/daemonset-dns): such a policy is written for OpenShift whatever else the tree's platform signals say; the policy limits egress, and one of its egress rules lists port 53 towards a namespaceSelector (or any peer) but not 5353, while no egress rule of a NetworkPolicy of the namespace allows 5353 (a rule without ports allows it); rules to an ipBlock or to pods of the own namespace (another DNS server) are not judged, nor other platforms, where CoreDNS listens on 53",
  example: '`port: 53` as the only port of an egress rule to `kubernetes.io/metadata.name: openshift-dns`',
  fix: 'allow port 5353 (UDP and TCP) to the openshift-dns namespace beside 53, or leave the DNS rule without ports',
  source:
    "openshift/cluster-dns-operator assets/dns/daemonset.yaml (CoreDNS containerPort 5353, names dns and dns-tcp) and assets/dns/service.yaml (port 53, targetPort dns); Kubernetes NetworkPolicy ports are the destination pod's ports, matched after the Service's translation (kubernetes.io/docs/concepts/services-networking/network-policies)",
  check(o, ctx) {
    if (onOpenShift(ctx)) return dnsProblems(o, ctx.graph, false);
    // the policy's own peer is proof of OpenShift: the verdict rests on no platform choice
    return namesOpenShiftDns(o.manifest) ? dnsProblems(o, ctx.graph, true) : [];
  },
};
