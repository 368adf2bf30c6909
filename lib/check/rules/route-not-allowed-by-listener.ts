import { Loose, mapping, mappings, text } from '../../manifests/access';
import { ATTACHING_ROUTE_KINDS, GATEWAY_API_GROUP, ListenerVerdict, listenersFor, listenerVerdicts, parentGateways } from '../listener-attachment';
import { ObjectGraph } from '../graph';
import { ANY_KIND, Problem, Rule } from '../rule';

/** What a refused attachment does (gateway-api apis/v1 shared_types.go RouteConditionAccepted, reasons NotAllowedByListeners, NoMatchingListenerHostname). */
const HARM = 'no traffic reaches its backends through this Gateway';

/** How to make the listeners take the route, by what refused it. */
function fixOf(verdicts: readonly ListenerVerdict[], routeNs: string, gatewayNs: string): string {
  const why = verdicts.map((v) => v.judged.why ?? '').join(' ');
  const fixes: string[] = [];
  if (/allowedRoutes\.kinds|protocol/.test(why))
    fixes.push("add the route's kind to the listener's allowedRoutes.kinds, or attach it to a listener of its protocol");
  if (/from is Same/.test(why))
    fixes.push(
      `set the listener's allowedRoutes.namespaces.from to All, or to Selector with a selector namespace '${routeNs}' matches, or put the route in namespace '${gatewayNs}'`,
    );
  if (/selector/.test(why) && !/from is Same/.test(why)) fixes.push(`label namespace '${routeNs}' as the listener's selector asks, or widen the selector`);
  if (/hostname/.test(why)) fixes.push("give the route a hostname the listener's hostname matches (or none), or change the listener's hostname");
  return fixes.join('; ');
}

/** The finding for one parentRef whose listeners all refuse the route, or none where one may take it. */
function parentProblem(graph: ObjectGraph, route: Loose, routeNs: string, ref: Loose, index: number): Problem | undefined {
  const gatewayNs = text(ref.namespace) ?? routeNs;
  const gateways = parentGateways(graph, ref, routeNs);
  if (!gateways.length) return undefined;
  // every copy of the Gateway (an overlay's, a base's) must refuse: the one applied is not known
  const judged = gateways.map((g) => listenerVerdicts(graph, graph.namespaceOf(g.manifest) ?? gatewayNs, listenersFor(g.manifest, ref), route, routeNs));
  if (judged.some((v) => !v.length || v.some((x) => x.judged.v === true))) return undefined;
  const verdicts = judged[0];
  const sure = judged.every((v) => v.every((x) => x.judged.v === false));
  const reason = verdicts.every((v) => v.reason === 'NoMatchingListenerHostname') ? 'NoMatchingListenerHostname' : 'NotAllowedByListeners';
  const section = text(ref.sectionName) ?? (typeof ref.port === 'number' ? `port ${ref.port}` : undefined);
  const which = section ? `its listener ${section}` : verdicts.length > 1 ? `each of its ${verdicts.length} listeners` : 'its one listener';
  const reasons = verdicts.map((v) => `listener '${v.listener}': ${v.judged.why}`).join('; ');
  const what = `spec.parentRefs[${index}] attaches ${String(route.kind)} to Gateway '${gatewayNs}/${text(ref.name)}' from namespace '${routeNs}', and ${which} refuses it (${reasons})`;
  if (!sure)
    return {
      severity: 'warning',
      message: `${what}: unless namespace '${routeNs}' carries labels the tree does not show, the route is not accepted (Accepted false, reason ${reason}) and ${HARM}; ${fixOf(verdicts, routeNs, gatewayNs)}`,
    };
  return { message: `${what}: the route is not accepted (Accepted false, reason ${reason}) and ${HARM}; ${fixOf(verdicts, routeNs, gatewayNs)}` };
}

export const routeNotAllowedByListener: Rule = {
  id: 'route-not-allowed-by-listener',
  title:
    "a Gateway API route attaches to a Gateway of the tree whose listeners all refuse it: the route's namespace is not one allowedRoutes.namespaces takes, its kind not one allowedRoutes.kinds takes, or its hostnames meet none of the listener's hostname",
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    'a route of gateway.networking.k8s.io (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute) in a namespace the tree gives, whose spec.parentRefs[] names a Gateway the tree holds; the listeners judged are those of the sectionName and port the parentRef gives, else all; ' +
    "a listener refuses the route when allowedRoutes.kinds (else the kinds of its protocol: HTTP and HTTPS take HTTPRoute and GRPCRoute, TLS TLSRoute and TCPRoute, TCP TCPRoute, UDP UDPRoute; another protocol is not judged) lacks the route's kind, when allowedRoutes.namespaces.from is Same (the default) and the route is in another namespace than the Gateway, when it is Selector and the selector does not select the route's namespace (its labels: kubernetes.io/metadata.name, always set, and those of a Namespace object of the tree or an Argo CD Application's managedNamespaceMetadata), or when the listener has a hostname and the route has hostnames none of which intersects it (Gateway API hostname matching: equal, or a leading `*.` wildcard matching one or more labels); " +
    "an error when every listener judged refuses the route, in every copy of the Gateway the tree holds; a warning where a listener refuses only for lack of namespace labels the tree does not show (no Namespace object of the tree for the route's namespace); not judged: a parentRef to a Gateway not in the tree (gateway-reference-not-found) or to no listener of it, a hostname the Gateway API does not admit (a template, a placeholder, a capital or an underscore: host-name-invalid or unrendered-placeholder says it)",
  example:
    'an HTTPRoute of namespace `llm-serving` whose parentRefs name the Gateway `inference-gateway` of namespace `gateway-system`, whose one listener `name: http` leaves allowedRoutes unset (from: Same)',
  fix: "let the listener take the route (allowedRoutes.namespaces.from: All, or Selector with a selector the route's namespace matches; the route's kind in allowedRoutes.kinds; a hostname the route's hostnames meet), or move the route to the Gateway's namespace",
  source:
    'Gateway API apis/v1 gateway_types.go (Listener.AllowedRoutes, AllowedRoutes.Namespaces default from: Same, RouteNamespaces From All/Selector/Same, AllowedRoutes.Kinds defaulting to the kinds of the listener protocol, Listener.Hostname and its wildcard matching) and shared_types.go (RouteConditionAccepted, RouteReasonNotAllowedByListeners, RouteReasonNoMatchingListenerHostname); ' +
    'its conformance tests (conformance/tests: HTTPRouteInvalidCrossNamespaceParentRef, a route of another namespace refused by a listener of from Same; GatewayWithAttachedRoutes; HTTPRouteDisallowedKind; HTTPRouteListenerHostnameMatching and HTTPRouteHostnameIntersection, a route whose hostnames meet no listener receives no traffic); the kubernetes.io/metadata.name label the API server sets on every namespace',
  check(o, { graph }) {
    const m = o.manifest;
    if (!ATTACHING_ROUTE_KINDS.includes(String(m.kind)) || !String(m.apiVersion ?? '').startsWith(`${GATEWAY_API_GROUP}/`)) return [];
    const routeNs = graph.namespaceOf(m);
    if (!routeNs || /\{\{|\$\{|\$\(/.test(routeNs)) return [];
    return mappings(mapping(m.spec).parentRefs).flatMap((ref, i) => parentProblem(graph, m, routeNs, ref, i) ?? []);
  },
};
