import type { Platform } from '../../lib/check/platform';
import { ruleFound, severityMessages } from '../util';

/** An Ingress with the legacy class annotation and spec.ingressClassName as given (undefined: left out). */
const ingress = (annotation: string | undefined, className: string | undefined) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'chat', namespace: 'serving', ...(annotation ? { annotations: { 'kubernetes.io/ingress.class': annotation } } : {}) },
  spec: {
    ...(className ? { ingressClassName: className } : {}),
    defaultBackend: { service: { name: 'chat', port: { number: 8080 } } },
  },
});

/** The ingress-class-conflict findings on one Ingress, as [severity, message]. */
const found = (annotation: string | undefined, className: string | undefined, platform: Platform = 'kserve') =>
  severityMessages(ruleFound('ingress-class-conflict', [{ manifest: ingress(annotation, className) }], { platform }));

// kubernetes pkg/apis/networking/validation ValidateIngressCreate since 1.27 (kubernetes/kubernetes#115447) and its
// validation_test.go cases "class field and annotation set with same value" / "… with different value"
describe('ingress-class-conflict', () => {
  test('the annotation names another class than the field: an error quoting the API server of today', () => {
    expect(found('nginx', 'openshift-default')).toEqual([
      [
        'error',
        "metadata.annotations.kubernetes.io/ingress.class ('nginx') names another class than spec.ingressClassName ('openshift-default'): the API server refuses to create the Ingress " +
          '(annotations.kubernetes.io/ingress.class: Invalid value: "nginx": must match `ingressClassName` when both are specified); drop the annotation, spec.ingressClassName replaces it',
      ],
    ]);
    expect(found('nginx', 'openshift-default', 'rhoai-3.4').map((f) => f[0])).toEqual(['error']);
  });

  test('both naming the same class: accepted by Kubernetes 1.27 and later, which upstream and OpenShift 4.19–4.21 run', () => {
    expect(found('traefik', 'traefik')).toEqual([]);
    expect(found('nginx', 'nginx', 'rhoai-3.0')).toEqual([]);
    expect(found('nginx', 'nginx', 'rhoai-3.4')).toEqual([]);
  });

  test('both naming the same class on OpenShift AI 2.x, whose early releases ran on OpenShift before 4.14: a warning, not an error', () => {
    expect(found('nginx', 'nginx', 'rhoai-2')).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^metadata.annotations.kubernetes.io\/ingress.class and spec.ingressClassName are both 'nginx': Kubernetes 1.27 and later accept the pair/,
        ),
      ],
    ]);
  });

  test('near misses: the annotation alone, the field alone', () => {
    expect(found('nginx', undefined)).toEqual([]);
    expect(found(undefined, 'nginx')).toEqual([]);
  });
});
