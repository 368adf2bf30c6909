import { POOL_GROUP_ALPHA, POOL_GROUP_V1 } from '../../catalog/epp-releases';
import { apiGroupOf } from '../../k8s/api-version';
import { mapping, text } from '../../manifests/access';
import type { ObjectGraph } from '../graph';
import { poolReleases } from '../inferencepool-releases';
import { treeReleases } from '../chart-releases';
import { unseenInstalls } from '../tree-namespaces';
import { Rule } from '../rule';
import { GATEWAY_GROUP, ROUTE_KINDS, routesTo } from '../pool-routes';

const POOL_GROUPS = [POOL_GROUP_V1, POOL_GROUP_ALPHA];

/**
 * Whether something of the input the check does not render may make a route: a Helm chart folder, a chart release
 * or helm install other than the inferencepool chart's (whose own route, experimentalHttpRoute, is off by default), a
 * pool release that turns that route on, or a delivery into the namespace the input does not show.
 */
function routesMayComeElsewhere(graph: ObjectGraph, ns: string | undefined): boolean {
  if (graph.charts.length || unseenInstalls(graph, ns).length) return true;
  const pools = poolReleases(graph).length;
  const installs = [...graph.helmCommands, ...graph.repositoryHelmCommands].filter((h) => h.verb !== 'template');
  if (installs.some((h) => /experimentalHttpRoute/.test(h.text))) return true;
  const releases = treeReleases(graph).length;
  return installs.length + releases > pools;
}

export const inferencePoolUnrouted: Rule = {
  id: 'inference-pool-unrouted',
  title: 'an InferencePool that no HTTPRoute or GRPCRoute of the tree sends traffic to, in a tree that holds a Gateway: the pool receives no requests',
  severity: 'warning',
  appliesTo: ['InferencePool'],
  premise:
    "an InferencePool (inference.networking.k8s.io or inference.networking.x-k8s.io) that no HTTPRoute or GRPCRoute of the tree (a manifest, or a heredoc a script or README applies) names in a rules[].backendRefs[] (kind InferencePool, its name, in its namespace: the backendRef's, else the route's), where the tree holds a Gateway (gateway.networking.k8s.io): a gateway sends a request to a pool only through a route's backendRef, so the pool and its endpoint picker serve nothing through that Gateway; not judged where the tree holds no Gateway (its routes may live with the Gateway elsewhere), nor where something the check does not render may make a route: a Helm chart folder of the input, a chart release or helm install other than the inference extension's inferencepool chart (whose own HTTPRoute, experimentalHttpRoute.enabled, is off by default; a release turning it on), or a delivery into the namespace the input does not show",
  example: 'an InferencePool `tutor-pool` beside the Gateway `tutor-gateway`, and no HTTPRoute naming the pool',
  fix: "add an HTTPRoute whose parentRefs name the Gateway and whose rules[].backendRefs name the pool (group inference.networking.k8s.io, kind InferencePool), or correct the route's backendRef name",
  source:
    'Gateway API Inference Extension docs (guides: "Deploy the InferencePool and Endpoint Picker Extension", then an HTTPRoute with a backendRef of kind InferencePool routes the Gateway\'s traffic to it) and api/v1 inferencepool_types.go (an InferencePool is a backend a route references; it has no listener of its own); gateway-api-inference-extension config/charts/inferencepool values.yaml experimentalHttpRoute (enabled: false)',
  check(o, { graph }) {
    if (!POOL_GROUPS.includes(apiGroupOf(o.manifest.apiVersion))) return [];
    const gateways = graph.ofKind('Gateway').filter((g) => apiGroupOf(g.manifest.apiVersion) === GATEWAY_GROUP);
    const name = text(mapping(o.manifest.metadata).name);
    const ns = graph.namespaceOf(o.manifest);
    if (!gateways.length || !name || graph.inPartlyBuiltBuild(o)) return [];
    if (ROUTE_KINDS.some((k) => graph.ofKind(k).some((r) => routesTo(graph, r, name, ns)))) return [];
    if (routesMayComeElsewhere(graph, ns)) return [];
    const listed = gateways
      .slice(0, 3)
      .map((g) => graph.id(g))
      .join(', ');
    return [
      {
        message:
          `no HTTPRoute or GRPCRoute of the tree names InferencePool '${name}' in a rules[].backendRefs[] (kind InferencePool), though the tree holds ${listed}: ` +
          `a gateway sends requests to a pool only through a route's backendRef, so the pool and its endpoint picker receive no traffic; add an HTTPRoute whose parentRefs name the Gateway and whose backendRefs name the pool, or correct the route's backendRef`,
      },
    ];
  },
};
