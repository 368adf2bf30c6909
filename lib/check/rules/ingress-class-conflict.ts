import { mapping, stringMap, text } from '../../manifests/access';
import { KUBERNETES_RELEASES } from '../../platform/served-apis';
import { Platform } from '../platform';
import { Problem, Rule } from '../rule';
import { INGRESS_CLASS_ANNOTATION } from '../../k8s/keys';

/**
 * The first Kubernetes release whose ValidateIngressCreate accepts the annotation beside an equal spec.ingressClassName
 * (kubernetes/kubernetes#115447, CHANGELOG-1.27: "Ingress with ingressClass annotation and IngressClassName both set
 * can be created now"); before it, any pair was refused.
 */
const EQUAL_ACCEPTED_FROM = [1, 27];

/** Whether a Kubernetes release (`1.32`) is older than EQUAL_ACCEPTED_FROM. */
function refusesEqualPair(release: string): boolean {
  const [major, minor] = release.split('.').map(Number);
  return major < EQUAL_ACCEPTED_FROM[0] || (major === EQUAL_ACCEPTED_FROM[0] && minor < EQUAL_ACCEPTED_FROM[1]);
}

/**
 * What the platform's clusters make of equal values: accepted where every Kubernetes release it runs is 1.27 or later
 * (OpenShift 4.19–4.21 under OpenShift AI 3.x, the newest Kubernetes for upstream KServe); refused by the releases older
 * than that (their labels); unknown for OpenShift AI 2.x, whose early releases ran on OpenShift before 4.14 (Kubernetes 1.27).
 */
function equalPairVerdict(platform: Platform): 'accepted' | 'unknown' | string[] {
  if (platform === 'rhoai-2') return 'unknown';
  const older = KUBERNETES_RELEASES[platform].filter((r) => refusesEqualPair(r.release));
  return older.length ? older.map((r) => r.label) : 'accepted';
}

/** The finding for equal values where the platform's clusters may be older than 1.27. */
function equalPairProblem(value: string, platform: Platform): Problem[] {
  const verdict = equalPairVerdict(platform);
  if (verdict === 'accepted') return [];
  const refused = `(annotations.${INGRESS_CLASS_ANNOTATION}: Invalid value: "${value}": can not be set when the class field is also set)`;
  const drop = 'drop the annotation, spec.ingressClassName replaces it';
  if (verdict === 'unknown')
    return [
      {
        severity: 'warning',
        message:
          `metadata.annotations.${INGRESS_CLASS_ANNOTATION} and spec.ingressClassName are both '${value}': Kubernetes 1.27 and later accept the pair, but an older cluster ` +
          `(before OpenShift 4.14, which early OpenShift AI 2.x releases ran on) refuses to create the Ingress ${refused}; ${drop}`,
      },
    ];
  return [
    {
      message: `metadata.annotations.${INGRESS_CLASS_ANNOTATION} and spec.ingressClassName are both '${value}': ${verdict.join(', ')} refuse to create the Ingress ${refused}; ${drop}`,
    },
  ];
}

export const ingressClassConflict: Rule = {
  id: 'ingress-class-conflict',
  title: 'an Ingress whose kubernetes.io/ingress.class annotation names another class than its spec.ingressClassName: the API server refuses to create it',
  severity: 'error',
  appliesTo: ['Ingress'],
  premise:
    'an Ingress carries the annotation kubernetes.io/ingress.class and sets spec.ingressClassName to another value; ' +
    'the API server refuses it on create only, so an Ingress that already exists and gains the field by an update is accepted, but a fresh cluster or namespace never gets it. ' +
    'Equal values are accepted from Kubernetes 1.27 on, which every platform judged runs (OpenShift 4.19–4.21 under OpenShift AI 3.x, the newest Kubernetes for upstream KServe): no finding; on OpenShift AI 2.x, whose early releases ran on OpenShift before 4.14, a warning',
  example: '`kubernetes.io/ingress.class: nginx` beside `ingressClassName: openshift-default`',
  fix: 'drop the annotation and keep spec.ingressClassName, which replaces it (or make both name the same class)',
  source:
    'kubernetes pkg/apis/networking/validation/validation.go ValidateIngressCreate: annotations.kubernetes.io/ingress.class "must match `ingressClassName` when both are specified" ' +
    '(since kubernetes/kubernetes#115447, Kubernetes 1.27; before it "can not be set when the class field is also set", whatever the values)',
  scope: 'object',
  check(o, ctx) {
    const annotations = stringMap(mapping(o.manifest.metadata).annotations);
    const className = text(mapping(o.manifest.spec).ingressClassName);
    if (!(INGRESS_CLASS_ANNOTATION in annotations) || className === undefined) return [];
    const value = String(annotations[INGRESS_CLASS_ANNOTATION]);
    if (value === className) return equalPairProblem(value, ctx.platform);
    return [
      {
        message:
          `metadata.annotations.${INGRESS_CLASS_ANNOTATION} ('${value}') names another class than spec.ingressClassName ('${className}'): the API server refuses to create the Ingress ` +
          `(annotations.${INGRESS_CLASS_ANNOTATION}: Invalid value: "${value}": must match \`ingressClassName\` when both are specified); drop the annotation, spec.ingressClassName replaces it`,
      },
    ];
  },
};
