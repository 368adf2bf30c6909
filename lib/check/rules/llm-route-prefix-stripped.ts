import { Loose, mapping, mappings, strings, stringMap, text } from '../../manifests/access';
import { INGRESS_CLASS_ANNOTATION } from '../../k8s/keys';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { llmServersBehind, prefixOf } from '../llm-route-prefixes';
import { Problem, Rule } from '../rule';
import { groupsOf, highestReference, REWRITE_TARGET } from './ingress-rewrite-drops-path';
import { nginxIngress } from './ingress-path-type-invalid';
import { middlewareReferences, referencedMiddleware } from './traefik-middleware-not-found';

/** A path of a route whose requests lose a prefix before they reach a Service: who strips it, and where. */
interface Stripping {
  readonly field: string;
  /** The route's path as written (PathPrefix(`/api`), path /api(/|$)(.*)). */
  readonly path: string;
  readonly prefix: string;
  /** What strips it: a Middleware's stripPrefix, or the rewrite-target annotation. */
  readonly by: string;
  readonly service: string;
  readonly namespace: string | undefined;
}

/** The path values of a Traefik rule's Path and PathPrefix matchers; undefined where another path matcher (PathRegexp) decides. */
function matchedPaths(match: string): string[] | undefined {
  if (/\bPath(Regexp)?\s*\(\s*[`"']?\^|PathRegexp|PathPrefixRegexp/.test(match)) return undefined;
  return [...match.matchAll(/\bPath(?:Prefix)?\s*\(([^)]*)\)/g)].flatMap((m) => [...m[1].matchAll(/[`"']([^`"']*)[`"']/g)].map((a) => a[1]));
}

/** The prefixes the Middlewares a route names strip (spec.stripPrefix.prefixes), each with the Middleware. */
function strippedBy(graph: ObjectGraph, o: GraphObject, field: (f: string) => boolean): { prefix: string; by: string }[] {
  return middlewareReferences(o, graph)
    .filter((ref) => field(ref.field))
    .flatMap((ref) => {
      const m = referencedMiddleware(graph, ref);
      const prefixes = strings(mapping(mapping(m?.manifest.spec).stripPrefix).prefixes);
      return m ? prefixes.map((p) => ({ prefix: prefixOf(p), by: `its Middleware '${ref.name}' (stripPrefix.prefixes)` })) : [];
    });
}

/** The routes of an IngressRoute whose only path is a prefix its own Middlewares strip, with each Service they send to. */
function ingressRouteStrippings(graph: ObjectGraph, o: GraphObject): Stripping[] {
  const ns = graph.namespaceOf(o.manifest);
  return mappings(mapping(o.manifest.spec).routes).flatMap((r, i) => {
    const paths = matchedPaths(text(r.match) ?? '');
    if (!paths?.length || new Set(paths.map(prefixOf)).size !== 1) return [];
    const only = prefixOf(paths[0]);
    const strips = strippedBy(graph, o, (f) => f.startsWith(`spec.routes[${i}].`)).filter((s) => s.prefix === only);
    const services = mappings(r.services).filter((s) => (text(s.kind) ?? 'Service') === 'Service' && text(s.name));
    return strips.flatMap((s) =>
      services.map((svc) => ({
        field: `spec.routes[${i}]`,
        path: text(r.match) ?? '',
        ...s,
        service: text(svc.name) as string,
        namespace: text(svc.namespace) ?? ns,
      })),
    );
  });
}

/** The paths of an Ingress with their backend Services. */
function ingressPaths(m: Loose): { field: string; path: string; service: string }[] {
  return mappings(mapping(m.spec).rules).flatMap((r, i) =>
    mappings(mapping(r.http).paths).flatMap((p, j) => {
      const service = text(mapping(mapping(p.backend).service).name);
      return service ? [{ field: `spec.rules[${i}].http.paths[${j}]`, path: text(p.path) ?? '/', service }] : [];
    }),
  );
}

/** An Ingress's paths that Traefik's stripPrefix middlewares (the router.middlewares annotation) strip whole. */
function traefikIngressStrippings(graph: ObjectGraph, o: GraphObject): Stripping[] {
  const strips = strippedBy(graph, o, () => true);
  if (!strips.length) return [];
  const ns = graph.namespaceOf(o.manifest);
  return ingressPaths(o.manifest).flatMap((p) =>
    strips.filter((s) => s.prefix === prefixOf(p.path)).map((s) => ({ ...p, path: `path ${p.path}`, ...s, namespace: ns })),
  );
}

/** The literal start of an nginx path regex, before its first regex character, without trailing slashes. */
const literalStart = (path: string) => prefixOf(path.split(/[([?*+.\\$^|{]/)[0]);

/**
 * The paths of an ingress-nginx Ingress whose rewrite-target brings back only what follows the path's literal start
 * (`/api(/|$)(.*)` rewritten to `/$2`): the literal start is dropped. Paths without the capture groups the target
 * refers to are ingress-rewrite-drops-path's.
 */
function nginxStrippings(graph: ObjectGraph, o: GraphObject): Stripping[] {
  const m = o.manifest;
  const annotations = stringMap(mapping(m.metadata).annotations);
  const target = annotations[REWRITE_TARGET];
  const classed = text(mapping(m.spec).ingressClassName) ?? annotations[INGRESS_CLASS_ANNOTATION];
  if (!target || highestReference(target) === 0 || (classed !== undefined && !nginxIngress(m, graph))) return [];
  const kept = prefixOf(target.split('$')[0]);
  const ns = graph.namespaceOf(m);
  return ingressPaths(m).flatMap((p) => {
    const prefix = literalStart(p.path);
    if (prefix === '/' || groupsOf(p.path) < highestReference(target) || `${kept}/`.startsWith(`${prefix}/`)) return [];
    return [{ ...p, path: `path ${p.path}`, prefix, by: `${REWRITE_TARGET} '${target}'`, namespace: ns }];
  });
}

function problemOf(graph: ObjectGraph, s: Stripping): Problem[] {
  return llmServersBehind(graph, s.service, s.namespace).flatMap(({ workload, routes }) => {
    const example = routes.prefixes[s.prefix];
    if (!example) return [];
    return [
      {
        message:
          `${s.field} (${s.path}) sends only '${s.prefix}' to Service '${s.service}', and ${s.by} strips '${s.prefix}' from every request: ` +
          `${graph.id(workload)} behind it runs ${routes.server}, which serves its API under ${s.prefix} (${example}), so ${example} reaches it as ${example.slice(s.prefix.length)}, no route of it, and every call gets 404; ` +
          `keep the prefix (drop the stripping: the server serves the paths as they come), or expose it under a prefix of your own (${routes.own}) and strip only that`,
      },
    ];
  });
}

export const llmRoutePrefixStripped: Rule = {
  id: 'llm-route-prefix-stripped',
  title: 'an ingress route strips /api or /v1 before an LLM server that serves its API under that prefix: every call gets 404',
  severity: 'error',
  appliesTo: ['IngressRoute', 'Ingress'],
  premise:
    'a route whose only path is a prefix that is stripped before the request reaches the backend: a Traefik IngressRoute route whose match has Path/PathPrefix matchers of one prefix only, and a Middleware of the tree it names with stripPrefix.prefixes holding that prefix; an Ingress path equal to a prefix a Middleware of its traefik.ingress.kubernetes.io/router.middlewares annotation strips; an ingress-nginx Ingress path whose regex begins with a literal prefix and whose rewrite-target (with the capture groups it refers to) does not begin with it (`/api(/|$)(.*)` to `/$2`). ' +
    "The backend Service selects a workload of the tree running an LLM server whose API lives under that prefix: Ollama (ollama/ollama or `ollama serve`: /api and /v1), vLLM's OpenAI server (its command line or vllm/vllm-openai: /v1), Text Generation Inference (its image or text-generation-launcher: /v1). " +
    "Not judged: a prefix of the route's own (/ollama) stripped, which is the intended use; a route with other paths too; a backend that is not one of those servers (LiteLLM serves its routes with and without /v1)",
  example:
    'an IngressRoute whose route matches only PathPrefix /api, with Middleware `name: strip-api` of `prefixes: [/api]`, to Service `name: ollama` in front of `image: ollama/ollama:0.5.7`',
  fix: 'drop the stripping and let the server get the paths as they come, or route a prefix of your own (/ollama, /vllm) and strip only that',
  source:
    'Traefik docs middlewares/http/stripprefix (removes the prefixes from the request path before forwarding) and routing/routers (Path, PathPrefix); kubernetes/ingress-nginx docs/examples/rewrite (rewrite-target with captured groups); ollama/ollama server/routes.go GenerateRoutes (the /api/* and /v1/* routes); vllm-project/vllm vllm/entrypoints/openai/api_server.py (the /v1/* routes); huggingface/text-generation-inference router/src/server.rs (the /v1/* routes)',
  check(o, { graph }) {
    const strippings =
      o.manifest.kind === 'IngressRoute' ? ingressRouteStrippings(graph, o) : [...traefikIngressStrippings(graph, o), ...nginxStrippings(graph, o)];
    return strippings.flatMap((s) => problemOf(graph, s));
  },
};
