import { mapping, mappings, stringMap, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { didYouMean, objectCandidates } from '../near-names';
import { Problem, Rule } from '../rule';
import { madeOutsideTree, objectsOf } from '../reference-targets';

/** Traefik's Ingress annotation listing a router's middlewares (traefik docs, routing/providers/kubernetes-ingress: router.middlewares). */
export const ROUTER_MIDDLEWARES = 'traefik.ingress.kubernetes.io/router.middlewares';

/** The API groups Traefik's Middleware is served in (v3: traefik.io; v2: traefik.containo.us, and traefik.io from v2.10). */
const MIDDLEWARE_GROUPS: readonly string[] = ['traefik.io', 'traefik.containo.us'];

/** The provider suffix of a Middleware of the Kubernetes CRD provider, as routes of other providers name it. */
const CRD_PROVIDER = '@kubernetescrd';

/** A Middleware a route names: the field, its name and namespace (undefined where an annotation's `<ns>-<name>` cannot be split). */
export interface MiddlewareReference {
  readonly field: string;
  readonly name: string;
  readonly namespace: string | undefined;
  /** The name as Traefik's error spells it: `<ns>-<name>@kubernetescrd`. */
  readonly qualified: string;
}

/** The Middlewares of the tree in a namespace, of either API group. */
export function middlewaresIn(graph: ObjectGraph, ns: string | undefined): GraphObject[] {
  return objectsOf(graph, 'Middleware', MIDDLEWARE_GROUPS, ns);
}

/** An IngressRoute's spec.routes[].middlewares[] (name, namespace: the route's own unless given); names of other providers (`x@file`) skipped. */
function routeReferences(o: GraphObject, graph: ObjectGraph): MiddlewareReference[] {
  const own = graph.namespaceOf(o.manifest);
  return mappings(mapping(o.manifest.spec).routes).flatMap((r, i) =>
    mappings(r.middlewares).flatMap((m, j) => {
      const written = text(m.name);
      if (!written || (written.includes('@') && !written.endsWith(CRD_PROVIDER))) return [];
      const name = written.replace(CRD_PROVIDER, '');
      const namespace = text(m.namespace) ?? own;
      return [{ field: `spec.routes[${i}].middlewares[${j}]`, name, namespace, qualified: `${namespace ?? 'default'}-${name}${CRD_PROVIDER}` }];
    }),
  );
}

/**
 * An Ingress annotation's `<namespace>-<name>@kubernetescrd` entries, split at the namespace that begins it: a Middleware
 * of the tree so named, else the Ingress's own namespace, else the longest namespace of the tree's Middlewares.
 */
function annotationReferences(o: GraphObject, graph: ObjectGraph): MiddlewareReference[] {
  const listed = stringMap(mapping(o.manifest.metadata).annotations)[ROUTER_MIDDLEWARES];
  if (!listed) return [];
  const all = graph.ofKind('Middleware').filter((m) => MIDDLEWARE_GROUPS.some((g) => String(m.manifest.apiVersion).startsWith(`${g}/`)));
  const namespaces = [o, ...all].map((m) => graph.namespaceOf(m.manifest)).filter((n): n is string => n !== undefined);
  return listed
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e.endsWith(CRD_PROVIDER) && !/[{$]/.test(e))
    .map((qualified) => {
      const bare = qualified.slice(0, -CRD_PROVIDER.length);
      const ns = namespaces.filter((n) => bare.startsWith(`${n}-`)).sort((a, b) => b.length - a.length)[0];
      return { field: `metadata.annotations['${ROUTER_MIDDLEWARES}']`, name: ns ? bare.slice(ns.length + 1) : bare, namespace: ns, qualified };
    });
}

/** The Middleware references of an IngressRoute or an Ingress. */
export function middlewareReferences(o: GraphObject, graph: ObjectGraph): MiddlewareReference[] {
  return o.manifest.kind === 'Ingress' ? annotationReferences(o, graph) : routeReferences(o, graph);
}

/** The Middleware a reference names, if the tree holds it. */
export function referencedMiddleware(graph: ObjectGraph, ref: MiddlewareReference): GraphObject | undefined {
  return middlewaresIn(graph, ref.namespace).find((m) => text(mapping(m.manifest.metadata).name) === ref.name);
}

function missing(graph: ObjectGraph, ref: MiddlewareReference): Problem | undefined {
  if (referencedMiddleware(graph, ref) || madeOutsideTree(graph, 'Middleware', ref.name, ref.namespace)) return undefined;
  const there = ref.namespace === undefined ? [] : middlewaresIn(graph, ref.namespace);
  const meant = didYouMean(ref.name, objectCandidates(there));
  const where = ref.namespace === undefined ? `no namespace of the tree begins '${ref.qualified}'` : `namespace '${ref.namespace}'`;
  const held = there.length
    ? `the tree's Middlewares there are ${there.map((m) => String(mapping(m.manifest.metadata).name)).join(', ')}${meant ? `; ${meant}` : ''}`
    : 'the tree holds no Middleware there, so it may be made apart from the tree';
  return {
    ...(there.length ? {} : { severity: 'warning' as const }),
    message:
      `${ref.field} names Middleware '${ref.name}' (${ref.qualified}), which is not in ${where} (${held}): ` +
      `Traefik refuses the whole router ("middleware \\"${ref.qualified}\\" does not exist"), so none of its requests is served (404); ` +
      `name a Middleware that exists, or add Middleware '${ref.name}' (traefik.io/v1alpha1) to that namespace`,
  };
}

export const traefikMiddlewareNotFound: Rule = {
  id: 'traefik-middleware-not-found',
  title: 'a Traefik IngressRoute or Ingress names a Middleware the tree does not hold: Traefik refuses the whole router',
  severity: 'error',
  appliesTo: ['IngressRoute', 'Ingress'],
  premise:
    "an IngressRoute (traefik.io or traefik.containo.us) whose spec.routes[].middlewares[] names a Middleware (name; namespace, else the route's; a name of another provider, x@file, not judged), or an Ingress whose annotation traefik.ingress.kubernetes.io/router.middlewares lists `<namespace>-<name>@kubernetescrd` (split at a namespace of the tree that begins it), where no Middleware of that name is in that namespace; " +
    "an error when the tree holds other Middlewares there (the namespace's Middlewares come with the tree), a warning when it holds none there or the namespace cannot be told (it may be made apart); not judged where something outside the tree may make it (a template in the name, a chart release whose name begins it, a custom resource whose name begins it, a namespace an unseen delivery installs into)",
  example:
    "`- name: strip-prefix-llm` in an IngressRoute's middlewares, where the tree's Middlewares of its namespace are `name: stripprefix-llm` and `name: basic-auth`",
  fix: 'name a Middleware that exists (the message names a close spelling), or add the Middleware to the namespace',
  source:
    'traefik/traefik pkg/server/middleware/middlewares.go (a router naming an unknown middleware fails to build: "middleware %q does not exist", and the router is not served), pkg/provider/kubernetes/crd/kubernetes_http.go (an IngressRoute\'s middleware is <namespace>-<name>@kubernetescrd, its namespace the route\'s unless given); Traefik docs routing/providers/kubernetes-ingress (annotation router.middlewares: <namespace>-<name>@kubernetescrd)',
  check(o, { graph }) {
    if (o.manifest.kind === 'IngressRoute' && !/^traefik\.(io|containo\.us)\//.test(String(o.manifest.apiVersion))) return [];
    return middlewareReferences(o, graph).flatMap((ref) => missing(graph, ref) ?? []);
  },
};
