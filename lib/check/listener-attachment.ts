import { Loose, mapping, mappings, strings, text } from '../manifests/access';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { Judged, namespaceLabels, selects } from './network-peers';
import { groupOf } from './reference-targets';

/** The API group of Gateway API's Gateways and routes (gateway.networking.k8s.io). */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/** The route kinds of Gateway API that attach to a Gateway's listeners by spec.parentRefs (apis/v1 and v1alpha2). */
export const ATTACHING_ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'];

/**
 * The route kinds a listener takes when its allowedRoutes.kinds is unset: those of its protocol (gateway-api apis/v1
 * gateway_types.go AllowedRoutes.Kinds "the kinds supported by the listener protocol"; HTTP and HTTPS carry HTTPRoute
 * and GRPCRoute, TLS TLSRoute (and TCPRoute where TLS is terminated), TCP TCPRoute, UDP UDPRoute). Another protocol
 * (an implementation's own) is not judged.
 */
const PROTOCOL_KINDS: Readonly<Record<string, readonly string[]>> = {
  HTTP: ['HTTPRoute', 'GRPCRoute'],
  HTTPS: ['HTTPRoute', 'GRPCRoute'],
  TLS: ['TLSRoute', 'TCPRoute'],
  TCP: ['TCPRoute'],
  UDP: ['UDPRoute'],
};

/** Why one listener refuses a route, or that it may: v false (refused, with why), undefined (not known, with why), true. */
export interface ListenerVerdict {
  readonly listener: string;
  readonly judged: Judged;
  /** The status reason of a refusal (gateway-api apis/v1 shared_types.go RouteConditionReason). */
  readonly reason?: 'NotAllowedByListeners' | 'NoMatchingListenerHostname';
}

/** Gateway API's Hostname (apis/v1 shared_types.go: MaxLength 253 and this pattern, a leading `*.` allowed). */
export const GATEWAY_HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A hostname the Gateway API admits; one that is not (a template, a placeholder, a typo) is host-name-invalid's, not matched here. */
export const gatewayHostnameValid = (v: string) => v.length <= 253 && GATEWAY_HOSTNAME.test(v);

/** Whether the listener's allowedRoutes.kinds (or its protocol's kinds) take the route's kind. */
function kindAllowed(listener: Loose, kind: string): Judged {
  const written = mappings(mapping(listener.allowedRoutes).kinds);
  if (written.length) {
    const ok = written.some((k) => text(k.kind) === kind && (text(k.group) ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP);
    const shown = written.map((k) => text(k.kind)).join(', ');
    return ok ? { v: true } : { v: false, why: `its allowedRoutes.kinds takes ${shown}, not ${kind}` };
  }
  const byProtocol = PROTOCOL_KINDS[text(listener.protocol) ?? ''];
  if (!byProtocol || byProtocol.includes(kind)) return { v: true };
  return { v: false, why: `its protocol ${text(listener.protocol)} carries ${byProtocol.join(' and ')}, not ${kind}` };
}

/**
 * Whether the listener's allowedRoutes.namespaces takes a route of `routeNs` (RouteNamespaces: from Same by default,
 * All, or Selector over the namespace's labels, which the tree tells only where it holds the Namespace).
 */
function namespaceAllowed(graph: ObjectGraph, listener: Loose, gatewayNs: string, routeNs: string): Judged {
  const namespaces = mapping(mapping(listener.allowedRoutes).namespaces);
  const from = text(namespaces.from) ?? 'Same';
  if (from === 'All') return { v: true };
  if (from === 'Same')
    return routeNs === gatewayNs
      ? { v: true }
      : { v: false, why: `its allowedRoutes.namespaces.from is Same (the default): only routes of namespace '${gatewayNs}'` };
  if (from !== 'Selector') return { v: true };
  const judged = selects(namespaces.selector, namespaceLabels(graph, routeNs), `namespace ${routeNs}`);
  if (judged.v !== false) return judged;
  return { v: false, why: `its allowedRoutes.namespaces.selector (${selectorWords(namespaces.selector)}) does not select namespace '${routeNs}'` };
}

function selectorWords(selector: unknown): string {
  const s = mapping(selector);
  const pairs = Object.entries(mapping(s.matchLabels)).map(([k, v]) => `${k}=${String(v)}`);
  const expressions = mappings(s.matchExpressions).map((e) => `${text(e.key)} ${text(e.operator)} ${strings(e.values).join(',')}`.trim());
  return [...pairs, ...expressions].join(', ') || 'empty';
}

/**
 * Whether two hostnames intersect as Gateway API matches them: equal, or one a wildcard `*.suffix` matching the other's
 * labels below that suffix (one label or more: `*.example.com` matches `foo.bar.example.com`, not `example.com`).
 */
export function hostnamesIntersect(a: string, b: string): boolean {
  if (a === b) return true;
  const below = (wild: string, other: string) => wild.startsWith('*.') && other.endsWith(wild.slice(1)) && other.length > wild.length - 1;
  return below(a, b) || below(b, a);
}

/** Whether the route's spec.hostnames meet the listener's hostname (no hostname on either side matches all). */
function hostnameAllowed(listener: Loose, hostnames: readonly string[]): Judged {
  const own = text(listener.hostname);
  if (!own || !hostnames.length) return { v: true };
  if (!gatewayHostnameValid(own) || !hostnames.every(gatewayHostnameValid)) return { v: true };
  if (hostnames.some((h) => hostnamesIntersect(own, h))) return { v: true };
  return { v: false, why: `its hostname ${own} meets none of the route's spec.hostnames (${hostnames.join(', ')})` };
}

/**
 * The listeners of a Gateway a parentRef may attach to: the one its sectionName names and on its port, when given.
 * Empty where none is (the parentRef names no listener: another finding's).
 */
export function listenersFor(gateway: Loose, ref: Loose): Loose[] {
  const section = text(ref.sectionName);
  const port = typeof ref.port === 'number' ? ref.port : undefined;
  return mappings(mapping(gateway.spec).listeners).filter(
    (l) => (section === undefined || text(l.name) === section) && (port === undefined || l.port === port),
  );
}

/** Each listener's verdict on the route: its kind, namespace, then hostname. */
export function listenerVerdicts(graph: ObjectGraph, gatewayNs: string, listeners: readonly Loose[], route: Loose, routeNs: string): ListenerVerdict[] {
  const hostnames = strings(mapping(route.spec).hostnames);
  return listeners.map((l) => {
    const listener = text(l.name) ?? '';
    const kind = kindAllowed(l, String(route.kind));
    if (kind.v === false) return { listener, judged: kind, reason: 'NotAllowedByListeners' };
    const namespace = namespaceAllowed(graph, l, gatewayNs, routeNs);
    if (namespace.v !== true) return { listener, judged: namespace, reason: 'NotAllowedByListeners' };
    const host = hostnameAllowed(l, hostnames);
    return host.v === false ? { listener, judged: host, reason: 'NoMatchingListenerHostname' } : { listener, judged: host };
  });
}

/** The Gateways of the tree a parentRef names (kind Gateway of gateway.networking.k8s.io, in its namespace or the route's). */
export function parentGateways(graph: ObjectGraph, ref: Loose, routeNs: string): GraphObject[] {
  if ((text(ref.kind) ?? 'Gateway') !== 'Gateway' || (text(ref.group) ?? GATEWAY_API_GROUP) !== GATEWAY_API_GROUP) return [];
  const name = text(ref.name);
  if (!name) return [];
  return graph.findAll('Gateway', name, text(ref.namespace) ?? routeNs).filter((g) => groupOf(g) === GATEWAY_API_GROUP);
}
