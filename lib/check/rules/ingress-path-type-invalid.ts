import { Loose, mapping, mappings, stringMap, text } from '../../manifests/access';
import { isIngressNginxChart, STRICT_PATH_KEY } from '../../manifests/ingress-nginx-installs';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';
import { INGRESS_CLASS_ANNOTATION } from '../../k8s/keys';

/**
 * The paths ingress-nginx accepts with pathType Exact or Prefix when strict-validate-path-type is on: `/` then
 * letters, digits, `.`, `_`, `-` and `/` (kubernetes/ingress-nginx internal/ingress/inspector rules.go validPathType,
 * checked by ValidatePathType in inspector/ingress.go; the controller's admission runs it in CheckIngress).
 */
const VALID_PATH = /^\/[A-Za-z0-9._\-/]*$/;

/** The controller release that turned strict-validate-path-type on by default (kubernetes/ingress-nginx #11819, controller v1.12.0, chart 4.12.0). */
const STRICT_SINCE = { controller: [1, 12], chart: [4, 12] } as const;

/** The IngressClass controller name of ingress-nginx (its IngressClass spec.controller). */
const NGINX_CONTROLLER = 'k8s.io/ingress-nginx';

/** Whether a `major.minor[.patch]` version (a leading v allowed) is at least the given major and minor; undefined if unreadable. */
function atLeast(version: string, [major, minor]: readonly number[]): boolean | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  if (!m) return undefined;
  return Number(m[1]) > major || (Number(m[1]) === major && Number(m[2]) >= minor);
}

/** A controller install the tree shows: where, and whether its paths are validated strictly (undefined: cannot tell). */
interface Shown {
  readonly where: string;
  readonly strict: boolean | undefined;
}

/** Whether an install validates strictly: its explicit setting, else its release (unpinned: the newest, strict). */
function strictOf(i: { strict?: string; controller?: string; chart?: string; unpinned: boolean }): boolean | undefined {
  if (i.strict !== undefined) return i.strict === 'true' ? true : i.strict === 'false' ? false : undefined;
  if (i.unpinned) return true;
  if (i.controller) return atLeast(i.controller, STRICT_SINCE.controller);
  return i.chart ? atLeast(i.chart, STRICT_SINCE.chart) : undefined;
}

/** The ingress-nginx installs the tree shows: Terraform and manifest installs, scripts' helm commands, a controller image, a ConfigMap setting. */
function shownControllers(graph: ObjectGraph): Shown[] {
  const helm = graph.helmCommands
    .filter((h) => h.verb !== 'template' && h.positionals.some(isIngressNginxChart))
    .map((h) => {
      const chart = /--version[=\s]+['"]?([^\s'"]+)/.exec(h.text)?.[1];
      const strict = h.sets.find((s) => s.key.replace(/\\/g, '') === `controller.config.${STRICT_PATH_KEY}`)?.value;
      return { where: `${h.script}:${h.line} (${h.text.trim()})`, strict: strictOf({ chart, strict, unpinned: !chart }) };
    });
  const images = graph.ofKind('Deployment').flatMap((d) =>
    mappings(mapping(mapping(mapping(d.manifest.spec).template).spec).containers).flatMap((c) => {
      const tag = /ingress-nginx\/controller:(v?\d+\.\d+[^@\s]*)/.exec(text(c.image) ?? '')?.[1];
      return tag ? [{ where: `${graph.id(d)} (image ${text(c.image)})`, strict: strictOf({ controller: tag, unpinned: false }) }] : [];
    }),
  );
  const installs = graph.ingressNginxInstalls.map((i) => ({ where: `${i.file}:${i.line} (${i.how})`, strict: strictOf(i) }));
  const configMaps = graph
    .ofKind('ConfigMap')
    .filter((c) => stringMap(c.manifest.data)[STRICT_PATH_KEY] !== undefined)
    .map((c) => ({ where: graph.id(c), strict: stringMap(c.manifest.data)[STRICT_PATH_KEY] === 'true' }));
  // a setting of the controller's ConfigMap decides over any release's default
  return configMaps.length ? configMaps : [...installs, ...helm, ...images];
}

/** Whether the Ingress is ingress-nginx's: class nginx (ingressClassName or the legacy annotation), or an IngressClass of its controller. */
export function nginxIngress(m: Loose, graph: ObjectGraph): boolean {
  const className = text(mapping(m.spec).ingressClassName) ?? stringMap(mapping(m.metadata).annotations)[INGRESS_CLASS_ANNOTATION];
  if (!className) return false;
  const declared = graph.find('IngressClass', className);
  return declared ? text(mapping(declared.manifest.spec).controller) === NGINX_CONTROLLER : className === 'nginx';
}

/** The paths with pathType Exact or Prefix that strict validation refuses, with the characters it refuses in each. */
function refusedPaths(m: Loose): { path: string; type: string; chars: string }[] {
  return mappings(mapping(m.spec).rules).flatMap((r) =>
    mappings(mapping(r.http).paths).flatMap((p) => {
      const path = text(p.path);
      const type = text(p.pathType);
      if (!path || (type !== 'Exact' && type !== 'Prefix') || VALID_PATH.test(path)) return [];
      const chars = [...new Set(path.replace(/[A-Za-z0-9._\-/]/g, ''))].map((c) => (c === '\n' ? '\\n' : c)).join(' ');
      return [{ path, type, chars: path.startsWith('/') ? chars : `${chars} (and no leading /)`.trim() }];
    }),
  );
}

function judged(refused: { path: string; type: string; chars: string }[], graph: ObjectGraph): Problem[] {
  const shown = shownControllers(graph);
  if (shown.length && shown.every((s) => s.strict === false)) return [];
  const paths = refused.map((r) => `'${r.path}' (pathType ${r.type}: ${r.chars})`).join(', ');
  const fix = 'Write pathType ImplementationSpecific for these paths (nginx.ingress.kubernetes.io/use-regex keeps a regex), or a plain path';
  const refusal = `("ingress contains invalid paths: path ${refused[0].path} cannot be used with pathType ${refused[0].type}")`;
  const denied = `ingress-nginx's admission webhook denies the Ingress ${refusal} where strict-validate-path-type is on, the default since controller v1.12.0 (chart 4.12.0)`;
  if (shown.length && shown.every((s) => s.strict === true))
    return [
      {
        message: `${paths}: characters other than letters, digits, . _ - and /; ${denied}, and the tree installs the controller so: ${shown.map((s) => s.where).join('; ')}. ${fix}`,
      },
    ];
  const which = shown.length
    ? `the tree's installs differ or do not tell: ${shown.map((s) => s.where).join('; ')}`
    : 'the tree does not show the controller, its release or its setting';
  // the controller's release and setting unknown: the refusal is not certain, and the message says so
  const mayDeny = `ingress-nginx's admission webhook may deny the Ingress ${refusal}: it does where strict-validate-path-type is on, the default since controller v1.12.0 (chart 4.12.0)`;
  return [{ severity: 'warning', message: `${paths}: characters other than letters, digits, . _ - and /; ${mayDeny}; ${which}. ${fix}` }];
}

export const ingressPathTypeInvalid: Rule = {
  id: 'ingress-path-type-invalid',
  title: 'an ingress-nginx Ingress path with regex characters has pathType Prefix or Exact: the admission webhook denies it',
  severity: 'error',
  appliesTo: ['Ingress'],
  premise:
    "an Ingress of ingress-nginx (ingressClassName or the kubernetes.io/ingress.class annotation nginx, or an IngressClass of the tree with controller k8s.io/ingress-nginx) has a path with pathType Exact or Prefix holding characters other than letters, digits, '.', '_', '-' and '/' after its leading '/'; an error where the tree installs the controller at v1.12.0 or later (chart 4.12.0 or later: a Terraform helm_release, a script's helm install or upgrade, a controller image, a release manifest applied) or unpinned (the newest release), or sets strict-validate-path-type true (the controller's ConfigMap, controller.config in the chart's values); nothing where it is set false or every install is older; else a warning naming what was assumed; ImplementationSpecific paths are not validated",
  example: '`path: /api/v1/(.*)` with `pathType: Prefix` on an Ingress of class nginx, the controller installed from the ingress-nginx chart without a version',
  fix: 'write pathType ImplementationSpecific for a regex path (with nginx.ingress.kubernetes.io/use-regex), or a plain path',
  source:
    "kubernetes/ingress-nginx internal/ingress/inspector (ValidatePathType, validPathType in rules.go, its inspector_test.go cases) run by the controller's admission check when strict-validate-path-type is on; on by default since controller v1.12.0 (kubernetes/ingress-nginx #11819, changelog controller-1.12.0)",
  check(o, { graph }) {
    if (!nginxIngress(o.manifest, graph)) return [];
    const refused = refusedPaths(o.manifest);
    return refused.length ? judged(refused, graph) : [];
  },
};
