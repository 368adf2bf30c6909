import { mapping, mappings, stringMap, text } from '../../manifests/access';
import { Problem, Rule } from '../rule';
import { nginxIngress } from './ingress-path-type-invalid';
import { INGRESS_CLASS_ANNOTATION } from '../../k8s/keys';

/** ingress-nginx's annotation that rewrites the request path (docs/user-guide/nginx-configuration/annotations.md, rewrite). */
const REWRITE_TARGET = 'nginx.ingress.kubernetes.io/rewrite-target';

/** The capture groups a path regex opens: `(` not escaped and not a non-capturing or look-around group `(?`. */
const groupsOf = (path: string) => (path.match(/(?<!\\)\((?!\?)/g) ?? []).length;

/** The highest `$n` (or `${n}`) a rewrite target refers to; 0 for none. */
const highestReference = (target: string) => Math.max(0, ...[...target.matchAll(/\$\{?(\d)/g)].map((m) => Number(m[1])));

/**
 * The paths of an Ingress whose requests ingress-nginx rewrites to one fixed path: with rewrite-target set, a location
 * whose path differs from the target gets `rewrite "(?i)<path>" <target> break;`, and nginx's rewrite replaces the
 * whole request URI by the target, so without a capture group the target brings back (`$1`) every request under the
 * path reaches the backend as the target itself. A path equal to the target is passed on unrewritten.
 */
function flattenedPaths(target: string, paths: readonly string[]): string[] {
  return paths.filter((p) => p !== target && groupsOf(p) < Math.max(1, highestReference(target)));
}

export const ingressRewriteDropsPath: Rule = {
  id: 'ingress-rewrite-drops-path',
  title: 'an ingress-nginx rewrite-target without a capture group sends every request of a path to one fixed path',
  severity: 'warning',
  appliesTo: ['Ingress'],
  premise:
    'an Ingress of ingress-nginx (class nginx, an IngressClass of controller k8s.io/ingress-nginx, or no class: the annotation is ingress-nginx\'s) sets nginx.ingress.kubernetes.io/rewrite-target, and one of its paths differs from the target and has fewer capture groups than the target refers to ($1, $2, …; at least one): the controller writes `rewrite "(?i)<path>" <target> break;`, nginx replaces the whole request URI with the target, so /api/v1/models under path /api reaches the backend as the target alone. ' +
    'A warning: the backend may serve one page only (a health endpoint), and another controller honouring the class would ignore the annotation',
  example: '`nginx.ingress.kubernetes.io/rewrite-target: /` on an Ingress whose rule has `path: /llm` with `pathType: Prefix`',
  fix: 'capture the rest of the path and bring it back: path /llm(/|$)(.*) with pathType ImplementationSpecific and rewrite-target /$2; or drop the annotation where the backend serves the paths as they come',
  source:
    'kubernetes/ingress-nginx internal/ingress/controller/template/template.go buildProxyPass (main: no rewrite where the path equals the target, else `rewrite "(?i)%s" %s break;` with the location path and the target) and docs/examples/rewrite/README.md (captured groups in the target, $1…$9); nginx ngx_http_rewrite_module rewrite (a matching URI is replaced by the replacement string)',
  check(o, { graph }) {
    const m = o.manifest;
    const target = stringMap(mapping(m.metadata).annotations)[REWRITE_TARGET];
    if (target === undefined || target === '') return [];
    const classed = text(mapping(m.spec).ingressClassName) ?? stringMap(mapping(m.metadata).annotations)[INGRESS_CLASS_ANNOTATION];
    if (classed !== undefined && !nginxIngress(m, graph)) return [];
    const paths = mappings(mapping(m.spec).rules).flatMap((r) =>
      mappings(mapping(r.http).paths)
        .map((p) => text(p.path) ?? '/')
        .filter((p) => p !== ''),
    );
    const broken = [...new Set(flattenedPaths(target, paths))];
    if (!broken.length) return [];
    const reference = highestReference(target);
    return [
      {
        message:
          `${REWRITE_TARGET} is '${target}' and path${broken.length > 1 ? 's' : ''} ${broken.map((p) => `'${p}'`).join(', ')} ${broken.length > 1 ? 'have' : 'has'} ${reference ? `fewer capture groups than the target's $${reference}` : 'no capture group the target brings back'}: ` +
          `ingress-nginx rewrites the whole request path to '${target.replace(/\$\{?\d\}?/g, '')}', so every request under ${broken.length > 1 ? 'them' : 'it'} (${broken[0].replace(/\/$/, '')}/v1/models, static assets, API calls) reaches the backend as that one path; ` +
          `capture the rest and bring it back (${broken[0] === '/' ? `path /(.*), pathType ImplementationSpecific, rewrite-target ${target.replace(/\/$/, '')}/$1` : `path ${broken[0].replace(/\/$/, '')}(/|$)(.*), pathType ImplementationSpecific, rewrite-target /$2`}), or drop the annotation`,
      } satisfies Problem,
    ];
  },
};
