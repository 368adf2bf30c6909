import { apiGroupOf } from '../k8s/api-version';
import { mapping, mappings, text } from '../manifests/access';
import type { GraphObject } from './graph-object';
import type { ObjectGraph } from './graph';

/** The Gateway API group, and the route kinds whose backendRefs may name an InferencePool (GIE docs: HTTPRoute; GRPCRoute too). */
export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
export const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute'];

/** Whether a route of the tree names the pool in a backendRef (kind InferencePool, its name, its namespace or the route's). */
export function routesTo(graph: ObjectGraph, route: GraphObject, name: string, ns: string | undefined): boolean {
  if (apiGroupOf(route.manifest.apiVersion) !== GATEWAY_GROUP) return false;
  const own = graph.namespaceOf(route.manifest);
  return mappings(mapping(route.manifest.spec).rules).some((r) =>
    mappings(r.backendRefs).some((b) => {
      if (text(b.kind) !== 'InferencePool' || text(b.name) !== name) return false;
      const at = text(b.namespace) ?? own;
      return at === undefined || ns === undefined || at === ns;
    }),
  );
}

/** The routes of the tree that send to an InferencePool. */
export function poolRoutes(graph: ObjectGraph, pool: GraphObject): GraphObject[] {
  const name = text(mapping(pool.manifest.metadata).name);
  const ns = graph.namespaceOf(pool.manifest);
  return name ? ROUTE_KINDS.flatMap((k) => graph.ofKind(k)).filter((r) => routesTo(graph, r, name, ns)) : [];
}

/** A Gateway a route attaches to (parentRefs of kind Gateway, the default, in the route's namespace unless named): its name, namespace and object where the tree holds it. */
export interface RouteGateway {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly gateway?: GraphObject;
  readonly route: GraphObject;
}

export function routeGateways(graph: ObjectGraph, route: GraphObject): RouteGateway[] {
  const own = graph.namespaceOf(route.manifest);
  return mappings(mapping(route.manifest.spec).parentRefs).flatMap((p) => {
    const kind = text(p.kind) ?? 'Gateway';
    const group = text(p.group) ?? GATEWAY_GROUP;
    const name = text(p.name);
    if (kind !== 'Gateway' || group !== GATEWAY_GROUP || !name) return [];
    const namespace = text(p.namespace) ?? own;
    const gateway = graph
      .ofKind('Gateway')
      .find(
        (g) =>
          apiGroupOf(g.manifest.apiVersion) === GATEWAY_GROUP &&
          text(mapping(g.manifest.metadata).name) === name &&
          graph.namespaceOf(g.manifest) === namespace,
      );
    return [{ name, namespace, route, ...(gateway ? { gateway } : {}) }];
  });
}
