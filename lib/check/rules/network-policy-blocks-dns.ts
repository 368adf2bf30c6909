import { mapping, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Labels, NAMESPACE_NAME_LABEL, PodPort, podLabelsOfWorkload, policyVerdict, Side } from '../network-peers';
import { otherPolicyKinds } from '../network-policies';
import { onOpenShift } from '../platform';
import { podSpecOf, WORKLOAD_KINDS } from '../pods';
import { CheckContext, Problem, Rule } from '../rule';
import { namedHostsOf } from '../service-connections';
import { storageLocationOf } from '../serving-model';
import { allDownloads } from './network-policy-blocks-download';

/** A cluster DNS the pods' lookups go to (dnsPolicy ClusterFirst): its namespace and pods, and the pod ports a policy matches after the Service's translation. */
interface ClusterDns {
  readonly side: Side;
  readonly ports: readonly PodPort[];
  readonly peer: string;
}

/** The DNS pods' ports as their containers name them (dns on UDP, dns-tcp on TCP), at a port number. */
function dnsPorts(...numbers: number[]): PodPort[] {
  const containerPorts = numbers.flatMap((number) => [
    { name: 'dns', number, protocol: 'UDP' },
    { name: 'dns-tcp', number, protocol: 'TCP' },
  ]);
  return numbers.flatMap((number) => [
    { number, name: 'dns', protocol: 'UDP', containerPorts },
    { number, name: 'dns-tcp', protocol: 'TCP', containerPorts },
  ]);
}

/**
 * OpenShift's cluster DNS: the dns-default pods in openshift-dns, labelled dns.operator.openshift.io/daemonset-dns:
 * default, listening on 5353 (openshift/cluster-dns-operator assets/dns/daemonset.yaml, namespace.yaml); 53, the
 * Service's port, counts as admitting DNS here: a rule of 53 without 5353 is network-policy-dns-port's.
 */
const OPENSHIFT_DNS: ClusterDns = {
  side: {
    shown: "OpenShift's cluster DNS (the dns-default pods of openshift-dns)",
    namespace: 'openshift-dns',
    namespaceKnown: true,
    namespaceLabels: { labels: { [NAMESPACE_NAME_LABEL]: 'openshift-dns' }, open: true },
    pod: { labels: { 'dns.operator.openshift.io/daemonset-dns': 'default' }, open: true },
  },
  ports: dnsPorts(5353, 53),
  peer: `{namespaceSelector: {matchLabels: {${NAMESPACE_NAME_LABEL}: openshift-dns}}} on port 5353 (UDP and TCP; 53 beside it)`,
};

/** Kubernetes' CoreDNS: pods labelled k8s-app: kube-dns in kube-system on 53 (kubernetes cluster/addons/dns/coredns, kubeadm's CoreDNS add-on). */
const KUBE_DNS: ClusterDns = {
  side: {
    shown: 'the cluster DNS (CoreDNS, k8s-app: kube-dns in kube-system)',
    namespace: 'kube-system',
    namespaceKnown: true,
    namespaceLabels: { labels: { [NAMESPACE_NAME_LABEL]: 'kube-system' }, open: true },
    pod: { labels: { 'k8s-app': 'kube-dns' }, open: true },
  },
  ports: dnsPorts(53),
  peer: `{namespaceSelector: {matchLabels: {${NAMESPACE_NAME_LABEL}: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}} on port 53 (UDP and TCP)`,
};

/** What shows the pods look names up: a download from a host by name, a host an env value, argument or ConfigMap names; `sure` where nothing may spare the lookup. */
interface Lookup {
  readonly what: string;
  readonly sure: boolean;
}

/** The lookups of a workload's pods, the surest first. */
function lookupsOf(graph: ObjectGraph, o: GraphObject): Lookup[] {
  const m = o.manifest;
  const downloads =
    m.kind === 'InferenceService'
      ? /^(hf|s3|gs|https?):\/\//.test(storageLocationOf(m) ?? '')
        ? [{ what: `the storage initializer downloads ${storageLocationOf(m) ?? ''}`, cached: false }]
        : []
      : allDownloads(m);
  const hosts = namedHostsOf(graph, o).map((h) => ({ what: h.how, sure: true }));
  // weights a volume may already hold spare the download, not the lookup it starts with
  const fetched = downloads.map((d) => ({ what: d.what, sure: !d.cached }));
  return [...fetched, ...hosts].sort((a, b) => Number(b.sure) - Number(a.sure));
}

/** Whether the pods look names up in the cluster DNS: not on the host's network (no policy applies) nor with a dnsPolicy of the node's or their own resolvers. */
function usesClusterDns(m: GraphObject['manifest']): boolean {
  const pod = mapping(podSpecOf(m));
  const policy = text(pod.dnsPolicy) ?? 'ClusterFirst';
  return pod.hostNetwork !== true && (policy === 'ClusterFirst' || policy === 'ClusterFirstWithHostNet');
}

/** The policies that isolate the pods for egress and admit no DNS to any cluster DNS the platform may run, where every one is decided. */
function blockingPolicies(graph: ObjectGraph, ctx: CheckContext, o: GraphObject, pod: Labels): string[] | undefined {
  const ns = graph.namespaceOf(o.manifest);
  const candidates = onOpenShift(ctx) ? [OPENSHIFT_DNS] : [OPENSHIFT_DNS, KUBE_DNS];
  const names = new Set<string>();
  for (const dns of candidates) {
    for (const port of dns.ports) {
      const verdict = policyVerdict(graph, 'Egress', ns, pod, graph.id(o), dns.side, port);
      // admitted, or a policy that may admit it (an ipBlock, a label the tree does not show): not judged
      if (!verdict || verdict.doubts.length) return undefined;
      for (const p of verdict.isolating) names.add(`'${text(mapping(p.manifest.metadata).name) ?? ''}'`);
    }
  }
  return [...names];
}

function judged(o: GraphObject, ctx: CheckContext): Problem[] {
  const pod = podLabelsOfWorkload(o.manifest);
  if (!pod || !usesClusterDns(o.manifest)) return [];
  const policies = blockingPolicies(ctx.graph, ctx, o, pod);
  if (!policies?.length) return [];
  const dns = onOpenShift(ctx) ? OPENSHIFT_DNS : KUBE_DNS;
  const lookups = lookupsOf(ctx.graph, o);
  const others = otherPolicyKinds(ctx.graph);
  const lead = `NetworkPolicy ${policies.join(', ')} select${policies.length > 1 ? '' : 's'} the pods for egress and no egress rule of the namespace's policies admits DNS (UDP or TCP 53 or 5353) to ${dns.side.shown}: every name lookup of the pods times out`;
  const fix = `; add an egress rule to ${dns.peer}${onOpenShift(ctx) ? '' : ' (on OpenShift, to openshift-dns on 5353)'}`;
  const hedge = others.length ? ` (unless the tree's ${others.join(', ')} allow it)` : '';
  const sure = lookups.find((l) => l.sure);
  if (sure && !others.length) {
    return [
      {
        message: `${lead}, and they resolve names: ${sure.what}${lookups.length > 1 ? ` (and ${lookups.length - 1} more)` : ''}, so that connection fails${fix}`,
      },
    ];
  }
  const what = lookups.length
    ? `${lookups[0].what}${sure ? '' : ' (a volume may already hold what it downloads)'}`
    : 'the tree does not show them naming a host, though Services and outside servers are reached by name';
  return [{ severity: 'warning', message: `${lead}${hedge}: ${what}${fix}` }];
}

export const networkPolicyBlocksDns: Rule = {
  id: 'network-policy-blocks-dns',
  title: 'a NetworkPolicy limits the egress of pods and no policy of the namespace admits DNS: every name lookup fails',
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise:
    "a workload whose pods use the cluster DNS (dnsPolicy ClusterFirst, the default, not on the host's network) is selected for Egress by NetworkPolicies of its namespace (policyTypes Egress, or an egress list with policyTypes unset), and no egress rule of the policies selecting it admits DNS, decided as network-policy-blocks-connection decides a peer: " +
    'UDP or TCP to port 53 or 5353 (or a named port dns, dns-tcp, or no ports) towards the cluster DNS pods, on OpenShift the dns-default pods of openshift-dns (dns.operator.openshift.io/daemonset-dns: default), elsewhere those of OpenShift or CoreDNS (k8s-app: kube-dns in kube-system); an empty `to` admits every peer; ' +
    'not judged where a policy may admit it (an ipBlock peer, whose match of pod addresses the network plugin decides; a namespace or pod label the tree does not show). ' +
    "An error where the pods resolve names: a model download (vLLM, TGI or TEI on a Hugging Face id, a script's fetch, ollama pull, an InferenceService's hf://, s3://, gs:// or http(s):// storage URI), or a host name in an env value, a command or args word or a ConfigMap value the pod reads (a URL, host:port, or a bare host in an address variable; not an IP address, localhost, nor an allow-list of origins); " +
    "a warning where the tree shows no such name, where a volume may already hold the download, or where the tree's Cilium, Calico or AdminNetworkPolicy policies may allow what NetworkPolicies deny",
  example:
    'a Deployment with `API_URL` `http://api.app.svc.cluster.local:8000` whose pods a NetworkPolicy with `policyTypes: [Egress]` lets reach only `podSelector: {matchLabels: {app: api}}` on port 8000',
  fix: 'add an egress rule admitting UDP and TCP 53 to the cluster DNS (kube-system, k8s-app: kube-dns), on OpenShift UDP and TCP 5353 to namespace openshift-dns',
  source:
    'Kubernetes NetworkPolicy semantics (k8s.io/api networking/v1 types.go; kubernetes.io/docs/concepts/services-networking/network-policies: a pod isolated for egress sends only what a rule allows, DNS included, and ports are matched after the Service translation); kubernetes.io/docs/concepts/services-networking/dns-pod-service (dnsPolicy ClusterFirst: lookups go to the cluster DNS); openshift/cluster-dns-operator assets/dns/daemonset.yaml (dns-default listens on 5353, ports dns and dns-tcp, in openshift-dns); kubernetes cluster/addons/dns/coredns (CoreDNS, k8s-app: kube-dns, on 53 in kube-system)',
  check(o, ctx) {
    return judged(o, ctx);
  },
};
