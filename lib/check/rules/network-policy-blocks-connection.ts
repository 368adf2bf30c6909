import { Loose, mapping, mappings, stringMap, text } from '../../manifests/access';
import { INFERENCE_SERVICE_POD_LABEL, INGRESS_CLASS_ANNOTATION } from '../../k8s/keys';
import { ANY_LABEL_VALUE } from '../controller-pod-labels';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { otherPolicyKinds } from '../network-policies';
import { Labels, NAMESPACE_NAME_LABEL, namespaceLabels, PodPort, policyVerdict, PolicyVerdict, podLabelsOfWorkload, Side } from '../network-peers';
import { onOpenShift } from '../platform';
import { containersOf, podSpecOf, WORKLOAD_KINDS } from '../pods';
import { CheckContext, Problem, Rule } from '../rule';
import { ChartRelease } from '../chart-releases';
import {
  chartConnections,
  Connection,
  ingressConnections,
  servedByRouter,
  ServiceTarget,
  storageConnections,
  workloadConnections,
} from '../service-connections';
import { selectedWorkloads } from '../request-servers';
import { predictorService } from '../predictor-service';

/**
 * The OpenShift router's namespace and its labels: openshift-ingress, labelled for the ingress policy group with the
 * current key and the legacy one (openshift/cluster-network-operator pkg/names/names.go PolicyGroupLabelIngress,
 * PolicyGroupLabelLegacy), which OpenShift's allow-from-openshift-ingress policy selects (OpenShift docs, "About
 * network policy"); its pods carry the ingress controller's deployment label (cluster-ingress-operator).
 */
const ROUTER_NAMESPACE = 'openshift-ingress';
const INGRESS_GROUP_LABEL = 'network.openshift.io/policy-group';
const INGRESS_GROUP_VALUE = 'ingress';
const INGRESS_GROUP_LABEL_NEW = 'policy-group.network.openshift.io/ingress';
const ROUTER_POD_LABEL = 'ingresscontroller.operator.openshift.io/deployment-ingresscontroller';

/** The client end of a connection: how policies see it, the peer to admit it by, and its object where the tree holds it. */
interface Client {
  readonly side: Side;
  readonly peer: string;
  readonly object?: GraphObject;
  /** Where the client's namespace is a default, not the tree's: the doubt a finding says. */
  readonly assumed?: string;
}

const ROUTER: Client = {
  side: {
    shown: `the OpenShift router (namespace ${ROUTER_NAMESPACE})`,
    namespace: ROUTER_NAMESPACE,
    namespaceKnown: true,
    namespaceLabels: {
      labels: { [NAMESPACE_NAME_LABEL]: ROUTER_NAMESPACE, [INGRESS_GROUP_LABEL]: INGRESS_GROUP_VALUE, [INGRESS_GROUP_LABEL_NEW]: '' },
      open: true,
    },
    pod: { labels: { [ROUTER_POD_LABEL]: ANY_LABEL_VALUE }, open: true },
  },
  peer: `{namespaceSelector: {matchLabels: {${INGRESS_GROUP_LABEL}: ${INGRESS_GROUP_VALUE}}}} (a router on the host network: policy-group.network.openshift.io/host-network: "" as well)`,
};

/**
 * The router of an IngressController published on the host network (spec.endpointPublishingStrategy.type
 * HostNetwork): its pods use the node's address, which OVN-Kubernetes puts in the host-network policy group, its
 * namespace openshift-host-network labelled policy-group.network.openshift.io/host-network: "" (openshift/
 * cluster-network-operator pkg/names/names.go PolicyGroupLabelHostNetwork; OpenShift docs "Configuring multitenant
 * isolation with network policy"); the ingress group's labels no longer match it.
 */
const HOST_NETWORK_NAMESPACE = 'openshift-host-network';
const HOST_NETWORK_GROUP_LABEL = 'policy-group.network.openshift.io/host-network';
const HOST_NETWORK_ROUTER: Client = {
  side: {
    shown: `the OpenShift router on the host network (its IngressController's endpointPublishingStrategy is HostNetwork; namespace ${HOST_NETWORK_NAMESPACE} to policies)`,
    namespace: HOST_NETWORK_NAMESPACE,
    namespaceKnown: true,
    namespaceLabels: { labels: { [NAMESPACE_NAME_LABEL]: HOST_NETWORK_NAMESPACE, [HOST_NETWORK_GROUP_LABEL]: '' }, open: true },
    pod: { labels: {}, open: true },
  },
  peer: `{namespaceSelector: {matchLabels: {${HOST_NETWORK_GROUP_LABEL}: ""}}}`,
};

/** The router that serves the tree's Routes: on the host network where the tree's default IngressController says so (operator.openshift.io). */
function routerOf(graph: ObjectGraph): Client {
  const hostNetwork = graph
    .ofKind('IngressController')
    .some(
      (c) =>
        String(c.manifest.apiVersion ?? '').startsWith('operator.openshift.io/') &&
        text(mapping(c.manifest.metadata).name) === 'default' &&
        mapping(mapping(c.manifest.spec).endpointPublishingStrategy).type === 'HostNetwork',
    );
  return hostNetwork ? HOST_NETWORK_ROUTER : ROUTER;
}

/** The label that asks OpenShift AI to expose a raw-deployment InferenceService by a Route (odh-model-controller, opendatahub-io/kserve). */
const VISIBILITY_LABEL = 'networking.kserve.io/visibility';

/**
 * The router's connection to an InferenceService labelled networking.kserve.io/visibility: exposed in raw deployment
 * mode on OpenShift: the Route the platform makes for it sends to the predictor Service KServe makes, whose first port
 * targets the predictor container's port (predictorService; none where OpenShift AI's auth proxy takes the port).
 */
function exposedServiceConnections(o: GraphObject, ctx: CheckContext): { client: Client; c: Connection }[] {
  if (o.manifest.kind !== 'InferenceService' || !onOpenShift(ctx)) return [];
  if (stringMap(mapping(o.manifest.metadata).labels)[VISIBILITY_LABEL] !== 'exposed') return [];
  const made = predictorService(o, ctx.graph, ctx.platform);
  if (!made) return [];
  const ns = ctx.graph.namespaceOf(o.manifest);
  const target = made.ports[0].target;
  const service: ServiceTarget = {
    shown: `Service ${ns ?? '(unset)'}/${made.name} (made by KServe for ${ctx.graph.id(o)})`,
    namespace: ns,
    pods: { labels: { [INFERENCE_SERVICE_POD_LABEL]: text(mapping(o.manifest.metadata).name) ?? '' }, open: true },
    podPort: { number: target, protocol: 'TCP' },
  };
  const how = `the Route OpenShift AI makes for the InferenceService (${VISIBILITY_LABEL}: exposed, raw deployment) sends the router's traffic to its predictor Service`;
  return [{ client: routerOf(ctx.graph), c: { how, service, podPort: target } }];
}

/**
 * The namespace each common ingress controller is installed in by its own install instructions, by the IngressClass
 * name they create (what an Ingress's ingressClassName or kubernetes.io/ingress.class names):
 * - nginx: kubernetes/ingress-nginx (deploy/static/provider/<provider>/deploy.yaml and the Helm quick start,
 *   `helm upgrade --install ingress-nginx … --namespace ingress-nginx --create-namespace`; the chart's
 *   controller.ingressClassResource.name defaults to nginx);
 * - traefik: the Helm install of Traefik's documentation (`helm install traefik traefik/traefik --namespace traefik
 *   --create-namespace`; traefik/traefik-helm-chart ingressClass.name defaults to the release's name, traefik);
 * - haproxy: haproxytech/kubernetes-ingress deploy/haproxy-ingress.yaml (Namespace haproxy-controller; its
 *   IngressClass haproxy), whose Helm install docs use the same namespace.
 * The OpenShift router, which serves Routes and Ingresses of the default class, is ROUTER (openshift-ingress).
 * A default, not a fact of the tree: the controller may be installed elsewhere, so a connection the policies cut
 * from it stays a warning that says so.
 */
const INGRESS_CLASS_NAMESPACES: Readonly<Record<string, string>> = {
  nginx: 'ingress-nginx',
  traefik: 'traefik',
  haproxy: 'haproxy-controller',
};

const INGRESS_CONTROLLER: Client = {
  side: {
    shown: 'the ingress controller',
    namespace: undefined,
    namespaceKnown: false,
    namespaceLabels: { labels: {}, open: true },
    pod: { labels: {}, open: true },
  },
  peer: `{namespaceSelector: {matchLabels: {${NAMESPACE_NAME_LABEL}: <the ingress controller's namespace>}}}`,
};

/** The ingress controller of an Ingress's class, in the namespace its install instructions use (INGRESS_CLASS_NAMESPACES). */
function ingressController(m: Loose): Client {
  const cls = text(mapping(m.spec).ingressClassName) ?? stringMap(mapping(m.metadata).annotations)[INGRESS_CLASS_ANNOTATION];
  const ns = cls === undefined || !Object.hasOwn(INGRESS_CLASS_NAMESPACES, cls) ? undefined : INGRESS_CLASS_NAMESPACES[cls];
  if (ns === undefined) return INGRESS_CONTROLLER;
  return {
    side: {
      shown: `the ingress controller of class ${cls} (namespace ${ns}, where its install instructions put it)`,
      namespace: ns,
      namespaceKnown: true,
      namespaceLabels: { labels: { [NAMESPACE_NAME_LABEL]: ns }, open: true },
      pod: { labels: {}, open: true },
    },
    peer: `{namespaceSelector: {matchLabels: {${NAMESPACE_NAME_LABEL}: ${ns}}}}`,
    assumed: `the ${cls} controller is installed in another namespace than ${ns}`,
  };
}

/** A label set as a selector's matchLabels: its fixed pairs (a value set per pod left out). */
function matchLabels(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels).filter(([, v]) => v !== ANY_LABEL_VALUE);
  return pairs.length ? `{matchLabels: {${pairs.map(([k, v]) => `${k}: ${v === '' ? '""' : v}`).join(', ')}}}` : '{}';
}

/** The peer that admits pods of a namespace with the labels, written from a policy in `from`. */
function peerOf(ns: string | undefined, labels: Readonly<Record<string, string>>, from: string | undefined): string {
  const pods = `podSelector: ${matchLabels(labels)}`;
  return ns === from ? `{${pods}}` : `{namespaceSelector: {matchLabels: {${NAMESPACE_NAME_LABEL}: ${ns ?? '<namespace>'}}}, ${pods}}`;
}

/** A workload of the tree as a client; none for a pod on the host network (no pod address) or whose labels an operator sets. */
function workloadClient(graph: ObjectGraph, o: GraphObject, serverNs: string | undefined): Client | undefined {
  const pod = podLabelsOfWorkload(o.manifest);
  if (!pod || mapping(podSpecOf(o.manifest)).hostNetwork === true) return undefined;
  const ns = graph.namespaceOf(o.manifest);
  // of an InferenceService's pod labels, KServe's name label is the one that says which pods
  const fixed = o.manifest.kind === 'InferenceService' ? { [INFERENCE_SERVICE_POD_LABEL]: pod.labels[INFERENCE_SERVICE_POD_LABEL] } : pod.labels;
  return {
    side: { shown: graph.id(o), namespace: ns, namespaceKnown: true, namespaceLabels: namespaceLabels(graph, ns), pod },
    peer: peerOf(ns, fixed, serverNs),
    object: o,
  };
}

/** A chart release's pods as a client: their namespace is the release's, their labels are not in the tree. */
function chartClient(graph: ObjectGraph, r: ChartRelease, serverNs: string | undefined): Client {
  return {
    side: {
      shown: `the pods of chart ${r.chart} (release ${r.release}, ${graph.id(r.object)})`,
      namespace: r.namespace,
      namespaceKnown: r.namespace !== undefined,
      namespaceLabels: namespaceLabels(graph, r.namespace),
      pod: { labels: {}, open: true },
    },
    peer:
      r.namespace === serverNs
        ? "{podSelector: {}} (or the release's pod labels)"
        : `{namespaceSelector: {matchLabels: {${NAMESPACE_NAME_LABEL}: ${r.namespace ?? '<namespace>'}}}}`,
    object: r.object,
  };
}

/** Pods a Service sends to, as the policies of their namespace see them. */
interface ServerPods {
  /** The pods, for messages: `Deployment/ns/name's pods`. */
  readonly shown: string;
  readonly pod: Labels;
  readonly workload?: GraphObject;
  readonly containerPorts?: PodPort['containerPorts'];
}

/**
 * The pods a Service sends to: the workloads of the tree it selects, else pods with its selector's labels and others
 * unknown; none for an ExternalName Service or one without a selector (its endpoints are set by hand).
 */
function serverPods(graph: ObjectGraph, target: ServiceTarget): ServerPods[] {
  const service = target.object;
  // a Service of an operator or a chart: pods of its namespace with the labels its maker gives, others unknown
  if (!service) return [{ shown: 'the pods behind it', pod: target.pods ?? { labels: {}, open: true } }];
  const spec = mapping(service.manifest.spec);
  const selector = stringMap(spec.selector);
  if (spec.type === 'ExternalName' || !Object.keys(selector).length) return [];
  const workloads = selectedWorkloads(service, graph);
  if (!workloads.length) return [{ shown: `the pods of ${graph.id(service)} (made outside the tree)`, pod: { labels: selector, open: true } }];
  return workloads.map((w) => ({
    shown: `${graph.id(w)}'s pods`,
    pod: podLabelsOfWorkload(w.manifest) ?? { labels: selector, open: true },
    workload: w,
    containerPorts: containersOf(w.manifest)
      .filter((c) => !c.init || c.container.restartPolicy === 'Always')
      .flatMap((c) => mappings(c.container.ports))
      .filter((p) => typeof p.containerPort === 'number')
      .map((p) => ({ name: text(p.name), number: p.containerPort as number, protocol: text(p.protocol) ?? 'TCP' })),
  }));
}

/** A Service port as the pod's port: its targetPort (a number, or a name resolved on the pod's containers), else its port. */
function podPortOf(p: Loose, containerPorts: PodPort['containerPorts']): PodPort {
  const target: unknown = p.targetPort ?? p.port;
  const protocol = text(p.protocol) ?? 'TCP';
  const number = typeof target === 'number' ? target : /^\d+$/.test(String(target)) ? Number(target) : undefined;
  if (number !== undefined)
    return { number, name: containerPorts?.find((c) => c.number === number && c.protocol === protocol)?.name, protocol, containerPorts };
  const name = text(target);
  return { name, number: containerPorts?.find((c) => c.name === name && c.protocol === protocol)?.number, protocol, containerPorts };
}

/** The pod ports a connection reaches: the Service port it asks for, the pod port a Route names, or each of the Service's ports. */
function podPortsOf(c: Connection, pods: ServerPods): PodPort[] {
  // a chart's Service: which pod port its port targets is not in the tree
  if (!c.service.object) return [c.service.podPort ?? { protocol: 'TCP' }];
  const ports = mappings(mapping(c.service.object.manifest.spec).ports);
  if (c.podPort !== undefined) {
    return [{ number: c.podPort, name: pods.containerPorts?.find((p) => p.number === c.podPort)?.name, protocol: 'TCP', containerPorts: pods.containerPorts }];
  }
  const asked =
    c.servicePort === undefined ? ports : ports.filter((p) => (typeof c.servicePort === 'number' ? p.port === c.servicePort : p.name === c.servicePort));
  return asked.map((p) => podPortOf(p, pods.containerPorts));
}

/** One way a connection is cut: the direction, the verdict, and the peer a rule must name. */
interface Cut {
  readonly direction: 'ingress' | 'egress';
  readonly verdict: PolicyVerdict;
  readonly pods: ServerPods;
  readonly port: PodPort;
}

/** The cuts of one server pod on one port: its namespace's ingress verdict on the client, the client's namespace's egress verdict on it. */
function cutsOf(graph: ObjectGraph, client: Client, service: ServiceTarget, pods: ServerPods, port: PodPort): Cut[] {
  const ns = service.namespace;
  const ingress = policyVerdict(graph, 'Ingress', ns, pods.pod, pods.shown, client.side, port);
  const server: Side = { shown: pods.shown, namespace: ns, namespaceKnown: true, namespaceLabels: namespaceLabels(graph, ns), pod: pods.pod };
  const egress = client.object ? policyVerdict(graph, 'Egress', client.side.namespace, client.side.pod, client.side.shown, server, port) : undefined;
  return [
    ...(ingress ? [{ direction: 'ingress' as const, verdict: ingress, pods, port }] : []),
    ...(egress ? [{ direction: 'egress' as const, verdict: egress, pods, port }] : []),
  ];
}

const portShown = (p: PodPort) =>
  (p.number ?? p.name) !== undefined ? `${p.number ?? p.name}/${p.protocol}` : `the pod port the Service targets (${p.protocol})`;

/** The policies that isolate, as the subject of a sentence. */
function names(policies: readonly GraphObject[]): string {
  const distinct = [...new Set(policies.map((p) => text(mapping(p.manifest.metadata).name) ?? ''))];
  return `NetworkPolic${distinct.length > 1 ? 'ies' : 'y'} ${distinct.map((n) => `'${n}'`).join(', ')} select${distinct.length > 1 ? '' : 's'}`;
}

/** What a cut says and the rule that mends it. */
function cutSentence(client: Client, c: Connection, cut: Cut): { says: string; fix: string } {
  const ns = c.service.namespace;
  if (cut.direction === 'ingress') {
    const none = cut.verdict.doubts.length ? 'no rule the tree decides admits' : 'none admits';
    return {
      says: `${names(cut.verdict.isolating)} ${cut.pods.shown} for ingress in namespace ${ns ?? '(unset)'} and ${none} ${client.side.shown} on ${portShown(cut.port)}`,
      fix: `add to a policy selecting those pods an ingress rule from ${client.peer} on ${portShown(cut.port)}`,
    };
  }
  const selector = stringMap(mapping(c.service.object?.manifest.spec).selector);
  return {
    says: `${names(cut.verdict.isolating)} ${client.side.shown}'s pods for egress and ${cut.verdict.doubts.length ? 'no rule the tree decides lets' : 'none lets'} them reach ${cut.pods.shown} on ${portShown(cut.port)}`,
    fix: `add an egress rule to ${peerOf(ns, selector, client.side.namespace)} on ${portShown(cut.port)} to a policy selecting ${client.side.shown}'s pods`,
  };
}

/** The cuts of a connection where every server pod and port it may reach is cut; none where one is reached. */
function connectionCuts(graph: ObjectGraph, client: Client, c: Connection): Cut[] | undefined {
  const all = serverPods(graph, c.service).filter((p) => !p.workload || p.workload !== client.object);
  const reached = all.map((pods) => podPortsOf(c, pods).map((port) => cutsOf(graph, client, c.service, pods, port)));
  const combos = reached.flat();
  if (!combos.length || combos.some((cuts) => !cuts.length)) return undefined;
  return combos.flat();
}

/** The finding: an error where a cut is certain and no other policy kind of the tree may allow it, else a warning saying what may. */
function problemOf(client: Client, c: Connection, cuts: readonly Cut[], others: readonly string[], assumedDecides = false): Problem {
  const certain = cuts.filter((cut) => !cut.verdict.doubts.length);
  const shown = certain[0] ?? cuts[0];
  const { says, fix } = cutSentence(client, c, shown);
  const doubts = certain.length ? [] : [...new Set(cuts.flatMap((cut) => cut.verdict.doubts))];
  const unless = [
    ...doubts,
    ...(client.assumed && assumedDecides ? [client.assumed] : []),
    ...(others.length ? [`the tree's ${others.join(', ')} may allow it`] : []),
  ];
  return {
    severity: unless.length ? 'warning' : 'error',
    message:
      `${c.how}, a connection from ${client.side.shown} to ${c.service.shown}, but ${says}: the connection is dropped and times out` +
      `${unless.length ? ` (unless ${unless.join('; ')})` : ''}; ${fix}`,
  };
}

/**
 * Where the client is no workload of the tree (a Route's or Ingress's router, a chart release), the workloads whose
 * pods the cut connections reach: latent while none of them runs a pod, as nothing connects to pods that do not run.
 * None where a cut reaches pods made outside the tree, or the client is the object's own pods (judged on it).
 */
function serversOf(o: GraphObject, cuts: readonly Cut[]): { failsIn?: GraphObject[] } {
  if (WORKLOAD_KINDS.includes(String(o.manifest.kind))) return {};
  const servers = cuts.map((cut) => cut.pods.workload);
  return servers.every((w): w is GraphObject => w !== undefined) ? { failsIn: [...new Set(servers)] } : {};
}

/** The object's connections, each with its client: a workload's (and an InferenceService's storage initializer's), a chart release's, or the ingress controller's of a Route or Ingress. */
function clientConnections(o: GraphObject, ctx: CheckContext): { client: Client | undefined; c: Connection }[] {
  const { graph } = ctx;
  const kind = String(o.manifest.kind);
  if (kind === 'Route' || kind === 'Ingress') {
    const client = kind === 'Route' || (onOpenShift(ctx) && servedByRouter(o.manifest)) ? routerOf(graph) : ingressController(o.manifest);
    return ingressConnections(graph, o).map((c) => ({ client, c }));
  }
  if (kind === 'Application' || kind === 'HelmRelease') {
    return chartConnections(graph, o).flatMap(({ release, connections }) =>
      connections.map((c) => ({ client: chartClient(graph, release, c.service.namespace), c })),
    );
  }
  return [
    ...[...workloadConnections(graph, o), ...storageConnections(graph, o)].map((c) => ({ client: workloadClient(graph, o, c.service.namespace), c })),
    ...exposedServiceConnections(o, ctx),
  ];
}

/**
 * Whether the client's assumed namespace decides the cut: it does unless the connection is surely cut from a
 * controller in any namespace (a deny-all, an allow of the same namespace only).
 */
function assumedDecides(graph: ObjectGraph, client: Client, c: Connection): boolean {
  if (!client.assumed) return false;
  const anywhere = connectionCuts(graph, INGRESS_CONTROLLER, c);
  return !anywhere || anywhere.some((cut) => cut.verdict.doubts.length > 0);
}

/** The connections of the object that the policies cut, one finding per Service and port. */
function blockedConnections(o: GraphObject, ctx: CheckContext): Problem[] {
  const pairs = clientConnections(o, ctx);
  if (!pairs.length) return [];
  const others = otherPolicyKinds(ctx.graph);
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const { client, c } of pairs) {
    const key = `${c.service.shown}|${String(c.servicePort)}|${String(c.podPort)}|${client?.side.shown ?? ''}`;
    if (!client || seen.has(key)) continue;
    seen.add(key);
    const cuts = connectionCuts(ctx.graph, client, c);
    if (cuts) out.push({ ...problemOf(client, c, cuts, others, assumedDecides(ctx.graph, client, c)), ...serversOf(o, cuts) });
  }
  return out;
}

export const networkPolicyBlocksConnection: Rule = {
  id: 'network-policy-blocks-connection',
  title:
    "NetworkPolicies drop a connection the tree states between its own pods: a client names a Service, or a Route, an Ingress or an exposed InferenceService brings it the router's traffic, and no policy admits it",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, 'Route', 'Ingress', 'Application', 'HelmRelease'],
  premise:
    "a connection the tree states to a Service that selects pods (one of the tree; one CloudNativePG makes for a Cluster of the tree, <cluster>-rw, -ro or -r, its pods labelled cnpg.io/cluster; one named after a Helm chart release of the tree in that namespace, its fullname or release name or a name beginning with either, its pods' labels unknown): a container's env value, command or args word, a ConfigMap its pod reads, or a chart release's inline values (the release's pods, labels unknown; not its own Services), naming the Service by URL (of a network scheme, its port or the scheme's) or host:port (a bare name in the pod's namespace, name.namespace, name.namespace.svc[.cluster.local]), or an address variable or values key (…HOST, …ADDR, …SERVER, …ENDPOINT) holding its bare name; an InferenceService's storage endpoint from its predictor pod (an http(s) storageUri, the endpoint_url of its storage key's entry in storage-config, the AWS_S3_ENDPOINT of the connection the key or opendatahub.io/connections names, the serving.kserve.io/s3-endpoint of its ServiceAccount's Secrets); a Route's or Ingress's backend from the ingress controller (on OpenShift the router in openshift-ingress, labelled network.openshift.io/policy-group: ingress and policy-group.network.openshift.io/ingress: \"\", or, where the tree's default IngressController is published on the host network (endpointPublishingStrategy HostNetwork), the host-network policy group, policy-group.network.openshift.io/host-network: \"\", which the ingress group's selectors do not match; an InferenceService labelled networking.kserve.io/visibility: exposed in raw deployment mode on OpenShift is reached by the router through the Route the platform makes to its predictor Service, on the predictor container's port (not judged under OpenShift AI's auth proxy); off OpenShift the controller of the Ingress's class in the namespace its install instructions use, nginx in ingress-nginx, traefik in traefik, haproxy in haproxy-controller, a cut that only this default decides being a warning, as the controller may be installed elsewhere; for another class a controller whose namespace is unknown). The port is the server pod's, after the Service's targetPort (a named one resolved on the pod's containers). The policies of the server's namespace that select its pods (the workloads the Service selects, their template and controller labels; pods made outside the tree by the selector's labels) for Ingress, or of the client's that select the client's pods for Egress, include one that surely selects them, and none admits the connection: peers matched as Kubernetes does (namespaceSelector on the namespace's labels, kubernetes.io/metadata.name and those of a Namespace or Argo CD managedNamespaceMetadata of the tree; podSelector on the pod's labels; ports and protocols). A warning where a peer cannot be decided (a label of a namespace the tree does not create, an ipBlock, a label set per pod) or the tree holds Cilium, Calico or AdminNetworkPolicy policies; pods on the host network, a pod connecting to its own Service and ExternalName or selector-less Services are not judged",
  example:
    'an InferenceService in `namespace: opendatahub` whose storage endpoint is `http://minio.minio.svc:9000`, while namespace minio has `policyTypes: [Ingress]` on `podSelector: {}` and one allow from `kubernetes.io/metadata.name: predictor` only',
  fix: "add an ingress rule admitting the client (the message writes the `from` peer: the client's namespace by kubernetes.io/metadata.name and its pod labels, or the OpenShift router's policy group) on the server pod's port, or an egress rule to the server where the client's namespace limits egress",
  source:
    "Kubernetes NetworkPolicy semantics: k8s.io/api networking/v1 types.go (NetworkPolicySpec.PolicyTypes defaults; NetworkPolicyPeer: podSelector in the policy's namespace, namespaceSelector, both ANDed, ipBlock; NetworkPolicyPort: protocol TCP by default, a named port resolved on the destination pod, endPort; an empty from/to or ports matches all) and kubernetes.io/docs/concepts/services-networking/network-policies (a pod is isolated for a direction when a policy selecting it has that type; policies are additive; a connection needs the client's egress and the server's ingress; ports are the pod's, after the Service's translation; the API server sets kubernetes.io/metadata.name on namespaces); kubernetes/ingress-nginx deploy/static/provider manifests and Helm quick start (namespace ingress-nginx, IngressClass nginx), Traefik's Helm install (namespace traefik), haproxytech/kubernetes-ingress deploy/haproxy-ingress.yaml (namespace haproxy-controller); OpenShift docs \"About network policy\" (allow-from-openshift-ingress: namespaceSelector network.openshift.io/policy-group: ingress) and \"Configuring multitenant isolation with network policy\" (the router's peer; a HostNetwork endpoint publishing strategy puts it in the host-network group), openshift/cluster-network-operator pkg/names/names.go (PolicyGroupLabelIngress, PolicyGroupLabelLegacy, PolicyGroupLabelHostNetwork); opendatahub-io/odh-model-controller and opendatahub-io/kserve (a Route for a raw-deployment InferenceService labelled networking.kserve.io/visibility: exposed, to its <name>-predictor Service); KServe pod labels (pkg/constants InferenceServicePodLabelKey, component=predictor; the storage initializer is an init container of the predictor pod) and S3 settings (pkg/credentials/s3/s3_secret.go, storage-config endpoint_url); cloudnative-pg docs \"Service management\" (the -rw, -ro and -r Services of a Cluster, port 5432); Helm's scaffold fullname (chart-releases.ts)",
  check(o, ctx) {
    return blockedConnections(o, ctx);
  },
};
