import { POOL_GROUP_ALPHA, POOL_GROUP_V1 } from '../../catalog/epp-releases';
import { apiGroupOf } from '../../k8s/api-version';
import { Loose, mapping, mappings, text } from '../../manifests/access';
import { poolModelServers } from '../endpoint-pickers';
import type { GraphObject } from '../graph-object';
import type { ObjectGraph } from '../graph';
import { otherPolicyKinds } from '../network-policies';
import { NAMESPACE_NAME_LABEL, namespaceLabels, PodPort, podLabelsOfWorkload, policyVerdict, PolicyVerdict, Side } from '../network-peers';
import { poolRoutes, RouteGateway, routeGateways } from '../pool-routes';
import { containersOf } from '../pods';
import { selectedWorkloads } from '../request-servers';
import { Problem, Rule } from '../rule';

/**
 * The label the in-cluster Gateway API implementations put on a Gateway's proxy pods, its name: Istio's deployment
 * controller (pilot constants GatewayNameLabel, also on OpenShift's Gateway API, which runs Istio) and kgateway's
 * deployer (pkg wellknown GatewayNameLabel, "a label on GW pods"); both run the proxy in the Gateway's namespace.
 */
const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
/** Envoy Gateway's labels on the proxies of a Gateway (internal/gatewayapi OwningGatewayNameLabel, OwningGatewayNamespaceLabel). */
const EG_NAME_LABEL = 'gateway.envoyproxy.io/owning-gateway-name';
const EG_NAMESPACE_LABEL = 'gateway.envoyproxy.io/owning-gateway-namespace';
/** Where Envoy Gateway runs the proxies by default: its own namespace, envoy-gateway-system in its install docs (`helm install eg … -n envoy-gateway-system`). */
const EG_NAMESPACE = 'envoy-gateway-system';

const IN_NAMESPACE_CONTROLLERS = /^(istio\.io\/gateway-controller|openshift\.io\/gateway-controller(\/.*)?|kgateway\.dev\/.+)$/;
/** Classes that name such an implementation where the tree holds no GatewayClass of the name (istiod's own, OpenShift's documented, kgateway's and agentgateway's). */
const IN_NAMESPACE_CLASSES = ['istio', 'openshift-default', 'kgateway', 'agentgateway'];
const EG_CONTROLLER = 'gateway.envoyproxy.io/gatewayclass-controller';
/** GKE's classes: the proxies are Google's load balancers outside the cluster, which NetworkPolicies see as addresses. */
const GKE_CLASS = /^gke-l7-/;

/** A client of the model servers: how policies see it, the peer that admits it, and what is assumed of where it runs. */
interface Client {
  readonly side: Side;
  readonly peer: string;
  readonly what: string;
  readonly assumed?: string;
}

function classController(graph: ObjectGraph, className: string | undefined): string | undefined {
  const cls = graph.ofKind('GatewayClass').find((c) => text(mapping(c.manifest.metadata).name) === className);
  return cls ? text(mapping(cls.manifest.spec).controllerName) : undefined;
}

const pairs = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');

/** The proxy pods of a Gateway as a client, by its class's implementation; undefined for GKE's (outside the cluster). */
function proxyOf(graph: ObjectGraph, g: RouteGateway, poolNs: string | undefined): Client | undefined {
  const className = g.gateway ? text(mapping(g.gateway.manifest.spec).gatewayClassName) : undefined;
  if (className && GKE_CLASS.test(className)) return undefined;
  const controller = classController(graph, className);
  const gwWords = `Gateway '${g.name}'${className ? ` (class ${className})` : ''}`;
  const side = (ns: string | undefined, labels: Record<string, string>, shown: string): Side => ({
    shown,
    namespace: ns,
    namespaceKnown: ns !== undefined,
    namespaceLabels: namespaceLabels(graph, ns),
    pod: { labels, open: true },
  });
  const peer = (ns: string | undefined, labels: Record<string, string>) =>
    `{${ns === poolNs ? '' : `namespaceSelector: {matchLabels: {${NAMESPACE_NAME_LABEL}: ${ns ?? '<namespace>'}}}, `}podSelector: {matchLabels: {${pairs(labels)}}}}`;
  if (controller ? IN_NAMESPACE_CONTROLLERS.test(controller) : IN_NAMESPACE_CLASSES.includes(className ?? '')) {
    const labels = { [GATEWAY_NAME_LABEL]: g.name };
    return {
      side: side(g.namespace, labels, `the gateway's proxy pods (namespace ${g.namespace ?? '(unset)'}, labelled ${pairs(labels)})`),
      peer: peer(g.namespace, labels),
      what: gwWords,
    };
  }
  if (controller === EG_CONTROLLER) {
    const labels = { [EG_NAME_LABEL]: g.name, [EG_NAMESPACE_LABEL]: g.namespace ?? '' };
    return {
      side: side(EG_NAMESPACE, labels, `the gateway's Envoy proxy pods (namespace ${EG_NAMESPACE}, where Envoy Gateway runs them by default)`),
      peer: peer(EG_NAMESPACE, labels),
      what: gwWords,
      assumed: `Envoy Gateway runs the proxies in another namespace (its own elsewhere, or the Gateway's under EnvoyProxy's GatewayNamespace mode)`,
    };
  }
  return {
    side: {
      shown: `the gateway's proxy pods`,
      namespace: undefined,
      namespaceKnown: false,
      namespaceLabels: { labels: {}, open: true },
      pod: { labels: {}, open: true },
    },
    peer: `{namespaceSelector: {matchLabels: {${NAMESPACE_NAME_LABEL}: <the namespace of the gateway's proxy>}}}`,
    what: gwWords,
  };
}

/** The endpoint picker workloads a pool names (v1 spec.endpointPickerRef, v1alpha2 spec.extensionRef: a Service of its namespace), as clients. */
function pickersOf(graph: ObjectGraph, pool: GraphObject, poolNs: string | undefined): Client[] {
  const spec = mapping(pool.manifest.spec);
  const name = text(mapping(spec.endpointPickerRef ?? spec.extensionRef).name);
  const service = name ? graph.find('Service', name, poolNs) : undefined;
  return (service ? selectedWorkloads(service, graph) : []).flatMap((w) => {
    const pod = podLabelsOfWorkload(w.manifest);
    if (!pod) return [];
    const ns = graph.namespaceOf(w.manifest);
    const fixed = Object.fromEntries(Object.entries(pod.labels).filter(([k]) => !/hash|controller-uid|pod-name|pod-index|generation|job-/.test(k)));
    return [
      {
        side: { shown: `endpoint picker ${graph.id(w)}`, namespace: ns, namespaceKnown: ns !== undefined, namespaceLabels: namespaceLabels(graph, ns), pod },
        peer: `{${ns === poolNs ? '' : `namespaceSelector: {matchLabels: {${NAMESPACE_NAME_LABEL}: ${ns ?? '<namespace>'}}}, `}podSelector: {matchLabels: {${pairs(fixed)}}}}`,
        what: `endpoint picker ${graph.id(w)}`,
      },
    ];
  });
}

/** The pool's target ports: v1 spec.targetPorts[].number, v1alpha2 spec.targetPortNumber. */
function targetPorts(pool: Loose): number[] {
  const spec = mapping(pool.spec);
  const v1 = mappings(spec.targetPorts).flatMap((p) => (typeof p.number === 'number' ? [p.number] : []));
  return v1.length ? v1 : typeof spec.targetPortNumber === 'number' ? [spec.targetPortNumber] : [];
}

/** A model server workload the policies cut from a client on a port. */
interface Cut {
  readonly server: GraphObject;
  readonly port: number;
  readonly verdict: PolicyVerdict;
}

function cutsFor(graph: ObjectGraph, client: Client, servers: readonly GraphObject[], ports: readonly number[], ns: string | undefined): Cut[] {
  return servers.flatMap((server) => {
    const pod = podLabelsOfWorkload(server.manifest);
    if (!pod) return [];
    const containerPorts = containersOf(server.manifest)
      .flatMap((c) => mappings(c.container.ports))
      .filter((p) => typeof p.containerPort === 'number')
      .map((p) => ({ name: text(p.name), number: p.containerPort as number, protocol: text(p.protocol) ?? 'TCP' }));
    return ports.flatMap((number) => {
      const port: PodPort = { number, protocol: 'TCP', containerPorts, name: containerPorts.find((c) => c.number === number)?.name };
      const verdict = policyVerdict(graph, 'Ingress', ns, pod, `${graph.id(server)}'s pods`, client.side, port);
      return verdict ? [{ server, port: number, verdict }] : [];
    });
  });
}

const policyNames = (cuts: readonly Cut[]) => {
  const names = [...new Set(cuts.flatMap((c) => c.verdict.isolating.map((p) => `'${text(mapping(p.manifest.metadata).name) ?? ''}'`)))];
  return `NetworkPolic${names.length > 1 ? 'ies' : 'y'} ${names.join(', ')} select${names.length > 1 ? '' : 's'}`;
};

/** The finding for one client whose connections to the pool's model servers the policies cut. */
function problemFor(
  graph: ObjectGraph,
  pool: string,
  client: Client,
  cuts: readonly Cut[],
  picker: boolean,
  others: readonly string[],
  assumedDecides: boolean,
): Problem {
  const servers = [...new Set(cuts.map((c) => graph.id(c.server)))];
  const ports = [...new Set(cuts.map((c) => `${c.port}/TCP`))].join(', ');
  const doubts = cuts.every((c) => c.verdict.doubts.length) ? [...new Set(cuts.flatMap((c) => c.verdict.doubts))] : [];
  const unless = [
    ...doubts,
    ...(client.assumed && assumedDecides ? [client.assumed] : []),
    ...(others.length ? [`the tree's ${others.join(', ')} may allow it`] : []),
  ];
  const harm = picker
    ? `the picker cannot scrape their metrics (/metrics on the pool's target port), which its load-aware picks read`
    : `every request the endpoint picker sends there is dropped and times out, so the gateway's inference requests fail`;
  return {
    severity: picker || unless.length ? 'warning' : 'error',
    message:
      `InferencePool '${pool}' ${picker ? `is served by ${client.what}, which reads its model servers` : `takes the requests of ${client.what}, whose proxy sends them to the model server the endpoint picker chooses`}: ` +
      `${servers.join(', ')}'s pods on ${ports}; but ${policyNames(cuts)} those pods for ingress and none admits ${client.side.shown}: ${harm}` +
      `${unless.length ? ` (unless ${unless.join('; ')})` : ''}; add to a policy selecting those pods an ingress rule from ${client.peer} on ${ports}`,
    failsIn: [...new Set(cuts.map((c) => c.server))],
  };
}

export const networkPolicyBlocksInference: Rule = {
  id: 'network-policy-blocks-inference',
  title:
    "a NetworkPolicy isolates an InferencePool's model server pods and admits neither the Gateway's proxy that sends them the pool's requests nor (a warning) the endpoint picker that reads their metrics",
  severity: 'error',
  appliesTo: ['InferencePool'],
  premise:
    "an InferencePool (inference.networking.k8s.io or inference.networking.x-k8s.io) whose model servers are workloads of the tree (the pods its selector matches in its namespace), on its target ports (v1 targetPorts, v1alpha2 targetPortNumber), where a NetworkPolicy of that namespace surely selects those pods for Ingress and no ingress rule of the policies selecting them admits the client (the peer matching of network-policy-blocks-connection): the proxy of each Gateway an HTTPRoute or GRPCRoute of the tree attaches (parentRefs) while it names the pool in a backendRef, which the Gateway's class tells: Istio's, OpenShift's and kgateway's controllers (or classes istio, openshift-default, kgateway, agentgateway where the tree holds no GatewayClass of the name) run it in the Gateway's namespace with the label gateway.networking.k8s.io/gateway-name: <gateway>; Envoy Gateway's controller runs it in envoy-gateway-system by default (a cut only that default decides is a warning), labelled gateway.envoyproxy.io/owning-gateway-name and -namespace; another class's proxy is of a namespace not known (a warning unless every policy cuts it wherever it runs); GKE's gke-l7 classes (load balancers outside the cluster) are not judged. An error where the cut is certain; a warning where a peer cannot be decided, the proxy's place is a default, or the tree holds Cilium, Calico or AdminNetworkPolicy policies. The endpoint picker the pool names (its endpointPickerRef or extensionRef Service, and the workloads of the tree behind it), cut from the model servers' target port where it reads /metrics, is a warning",
  example:
    'an InferencePool `granite-pool` whose model servers sit in namespace `llm`, where a NetworkPolicy with `policyTypes: [Ingress]` admits only `matchLabels: {app: chat-ui}` and the picker, and an HTTPRoute sends the requests of Gateway `inference-gateway` (class `kgateway`, namespace `gateways`) to the pool',
  fix: "add an ingress rule admitting the gateway's proxy pods (the message writes the peer: the proxy's namespace by kubernetes.io/metadata.name and its gateway-name label) and the endpoint picker on the pool's target ports",
  source:
    "Gateway API Inference Extension docs and api/v1 inferencepool_types.go (the gateway forwards a request to the endpoint the picker chooses, a pod the pool selects, on its target port; the picker scrapes each model server's metrics, by default on that port); Kubernetes NetworkPolicy semantics (k8s.io/api networking/v1 types.go; docs concepts/services-networking/network-policies); Istio pilot/pkg/config/kube/gateway deployment controller and kgateway pkg wellknown (GatewayNameLabel on the proxy pods, in the Gateway's namespace); Envoy Gateway internal/gatewayapi (OwningGatewayNameLabel, OwningGatewayNamespaceLabel) and its install docs (namespace envoy-gateway-system)",
  check(o, { graph }) {
    if (![POOL_GROUP_V1, POOL_GROUP_ALPHA].includes(apiGroupOf(o.manifest.apiVersion))) return [];
    const ns = graph.namespaceOf(o.manifest);
    const servers = poolModelServers(graph, o);
    const ports = targetPorts(o.manifest);
    if (!servers.length || !ports.length) return [];
    const pool = text(mapping(o.manifest.metadata).name) ?? '';
    const others = otherPolicyKinds(graph);
    const seen = new Set<string>();
    const proxies = poolRoutes(graph, o)
      .flatMap((r) => routeGateways(graph, r))
      .filter((g) => !seen.has(`${g.namespace}/${g.name}`) && seen.add(`${g.namespace}/${g.name}`))
      .flatMap((g) => proxyOf(graph, g, ns) ?? []);
    const judged = (client: Client, picker: boolean): Problem[] => {
      const cuts = cutsFor(graph, client, servers, ports, ns);
      if (!cuts.length) return [];
      // a place that is only a default decides the cut unless the policies cut a proxy of any namespace
      const anywhere = client.assumed
        ? cutsFor(graph, { ...client, side: { ...client.side, namespace: undefined, namespaceKnown: false } }, servers, ports, ns)
        : [];
      const decides = !!client.assumed && (anywhere.length < cuts.length || anywhere.some((c) => c.verdict.doubts.length > 0));
      return [problemFor(graph, pool, client, cuts, picker, others, decides)];
    };
    return [...proxies.flatMap((c) => judged(c, false)), ...pickersOf(graph, o, ns).flatMap((c) => judged(c, true))];
  },
};
