import { Loose, mapping, mappings, strings, stringMap, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { containersOf } from '../pods';
import { selectedWorkloads } from '../request-servers';
import { Problem, Rule } from '../rule';
import { workloadVllmLines } from '../workload-lines';
import { nginxIngress } from './ingress-path-type-invalid';
import { INGRESS_CLASS_ANNOTATION } from '../../k8s/keys';

/** ingress-nginx's annotation that rewrites the request path (docs/user-guide/nginx-configuration/annotations.md, rewrite). */
export const REWRITE_TARGET = 'nginx.ingress.kubernetes.io/rewrite-target';

/** The capture groups a path regex opens: `(` not escaped and not a non-capturing or look-around group `(?`. */
export const groupsOf = (path: string) => (path.match(/(?<!\\)\((?!\?)/g) ?? []).length;

/** The highest `$n` (or `${n}`) a rewrite target refers to; 0 for none. */
export const highestReference = (target: string) => Math.max(0, ...[...target.matchAll(/\$\{?(\d)/g)].map((m) => Number(m[1])));

/**
 * The paths of an Ingress whose requests ingress-nginx rewrites to one fixed path: with rewrite-target set, a location
 * whose path differs from the target gets `rewrite "(?i)<path>" <target> break;`, and nginx's rewrite replaces the
 * whole request URI by the target, so without a capture group the target brings back (`$1`) every request under the
 * path reaches the backend as the target itself. A path equal to the target is passed on unrewritten.
 */
function flattenedPaths(target: string, paths: readonly string[]): string[] {
  return paths.filter((p) => p !== target && groupsOf(p) < Math.max(1, highestReference(target)));
}

/**
 * The OpenAI-compatible API a container serves, whose routes all live under /v1/: vLLM's server (its command line),
 * Ollama (its image or `ollama serve`), a LiteLLM proxy (its image or the `litellm` program).
 */
function apiOf(m: Loose): string | undefined {
  if (workloadVllmLines(m).some((c) => c.args.invoked)) return 'vLLM';
  const containers = containersOf(m).filter((c) => !c.init);
  const words = (c: Loose) => [...strings(c.command), ...strings(c.args)].join(' ');
  if (containers.some(({ container }) => /(^|\/)ollama\/ollama([:@]|$)/.test(text(container.image) ?? '') || /(^|\/|\s)ollama serve\b/.test(words(container))))
    return 'Ollama';
  if (containers.some(({ container }) => /(^|\/)litellm([:@/-]|$)/.test(text(container.image) ?? '') || /(^|\/|\s)litellm(\s|$)/.test(words(container))))
    return 'LiteLLM';
  return undefined;
}

/** The OpenAI-compatible servers behind the Services a set of paths sends to, as `Deployment/ns/name (vLLM)`. */
function apiBackends(graph: ObjectGraph, ingress: GraphObject, services: readonly string[]): string[] {
  const ns = graph.namespaceOf(ingress.manifest);
  return [...new Set(services)].flatMap((name) => {
    const service = graph.find('Service', name, ns);
    if (!service) return [];
    return selectedWorkloads(service, graph).flatMap((w) => {
      const api = apiOf(w.manifest);
      return api ? [`${graph.id(w)} (${api}, behind Service '${name}')`] : [];
    });
  });
}

export const ingressRewriteDropsPath: Rule = {
  id: 'ingress-rewrite-drops-path',
  title: 'an ingress-nginx rewrite-target without a capture group sends every request of a path to one fixed path',
  severity: 'warning',
  appliesTo: ['Ingress'],
  premise:
    'an Ingress of ingress-nginx (class nginx, an IngressClass of controller k8s.io/ingress-nginx, or no class: the annotation is ingress-nginx\'s) sets nginx.ingress.kubernetes.io/rewrite-target, and one of its paths differs from the target and has fewer capture groups than the target refers to ($1, $2, …; at least one): the controller writes `rewrite "(?i)<path>" <target> break;`, nginx replaces the whole request URI with the target, so /api/v1/models under path /api reaches the backend as the target alone. ' +
    "A warning: the backend may serve one page only (a health endpoint), and another controller honouring the class would ignore the annotation; an error where the path's backend Service selects a workload of the tree serving an OpenAI-compatible API (vLLM's server, Ollama, a LiteLLM proxy), whose routes are all under /v1/ (/v1/models, /v1/chat/completions): every call then reaches it as the target, which is no route of it",
  example: '`nginx.ingress.kubernetes.io/rewrite-target: /` on an Ingress whose rule has `path: /llm` with `pathType: Prefix`',
  fix: 'capture the rest of the path and bring it back: path /llm(/|$)(.*) with pathType ImplementationSpecific and rewrite-target /$2; or drop the annotation where the backend serves the paths as they come',
  source:
    'kubernetes/ingress-nginx internal/ingress/controller/template/template.go buildProxyPass (main: no rewrite where the path equals the target, else `rewrite "(?i)%s" %s break;` with the location path and the target) and docs/examples/rewrite/README.md (captured groups in the target, $1…$9; kubernetes.github.io/ingress-nginx/examples/rewrite/); vLLM vllm/entrypoints/openai/api_server.py, Ollama server/routes.go and LiteLLM proxy/proxy_server.py (the OpenAI routes under /v1/); nginx ngx_http_rewrite_module rewrite (a matching URI is replaced by the replacement string)',
  check(o, { graph }) {
    const m = o.manifest;
    const target = stringMap(mapping(m.metadata).annotations)[REWRITE_TARGET];
    if (target === undefined || target === '') return [];
    const classed = text(mapping(m.spec).ingressClassName) ?? stringMap(mapping(m.metadata).annotations)[INGRESS_CLASS_ANNOTATION];
    if (classed !== undefined && !nginxIngress(m, graph)) return [];
    const entries = mappings(mapping(m.spec).rules).flatMap((r) =>
      mappings(mapping(r.http).paths)
        .map((p) => ({ path: text(p.path) ?? '/', service: text(mapping(mapping(p.backend).service).name) }))
        .filter((p) => p.path !== ''),
    );
    const broken = [
      ...new Set(
        flattenedPaths(
          target,
          entries.map((e) => e.path),
        ),
      ),
    ];
    if (!broken.length) return [];
    const reference = highestReference(target);
    const services = entries.filter((e) => broken.includes(e.path) && e.service).map((e) => e.service as string);
    const apis = apiBackends(graph, o, services);
    const api = apis.length
      ? `; the backend is an OpenAI-compatible API, ${apis.join(', ')}, whose routes are all under /v1/: every call (/v1/models, /v1/chat/completions) reaches it as '${target.replace(/\$\{?\d\}?/g, '')}', no route of it, so clients get 404`
      : '';
    return [
      {
        ...(apis.length ? { severity: 'error' as const } : {}),
        message:
          `${REWRITE_TARGET} is '${target}' and path${broken.length > 1 ? 's' : ''} ${broken.map((p) => `'${p}'`).join(', ')} ${broken.length > 1 ? 'have' : 'has'} ${reference ? `fewer capture groups than the target's $${reference}` : 'no capture group the target brings back'}: ` +
          `ingress-nginx rewrites the whole request path to '${target.replace(/\$\{?\d\}?/g, '')}', so every request under ${broken.length > 1 ? 'them' : 'it'} (${broken[0].replace(/\/$/, '')}/v1/models, static assets, API calls) reaches the backend as that one path${api}; ` +
          `capture the rest and bring it back (${broken[0] === '/' ? `path /(.*), pathType ImplementationSpecific, rewrite-target ${target.replace(/\/$/, '')}/$1` : `path ${broken[0].replace(/\/$/, '')}(/|$)(.*), pathType ImplementationSpecific, rewrite-target /$2`}), or drop the annotation`,
      } satisfies Problem,
    ];
  },
};
