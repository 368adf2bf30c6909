import { mapping, stringMap, text } from '../../manifests/access';
import { Rule } from '../rule';

/** The annotation that named an Ingress's class before spec.ingressClassName (kubernetes pkg/apis/networking/validation annotationIngressClass). */
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export const ingressClassConflict: Rule = {
  id: 'ingress-class-conflict',
  title: 'an Ingress sets both the kubernetes.io/ingress.class annotation and spec.ingressClassName: the API server refuses to create it',
  severity: 'error',
  appliesTo: ['Ingress'],
  premise:
    'an Ingress carries the annotation kubernetes.io/ingress.class and sets spec.ingressClassName, whatever the two values (equal ones are refused too); ' +
    'the API server refuses it on create only, so an Ingress that already exists and gains the field by an update is accepted, but a fresh cluster or namespace never gets it',
  example: '`kubernetes.io/ingress.class: nginx` beside `ingressClassName: nginx`',
  fix: 'drop the annotation and keep spec.ingressClassName, which replaces it',
  source:
    'kubernetes pkg/apis/networking/validation/validation.go ValidateIngressCreate: annotations.kubernetes.io/ingress.class "can not be set when the class field is also set"',
  check(o) {
    const annotations = stringMap(mapping(o.manifest.metadata).annotations);
    const className = text(mapping(o.manifest.spec).ingressClassName);
    if (!(CLASS_ANNOTATION in annotations) || className === undefined) return [];
    const value = String(annotations[CLASS_ANNOTATION]);
    return [
      {
        message:
          `metadata.annotations.${CLASS_ANNOTATION} ('${value}') is set beside spec.ingressClassName ('${className}'): the API server refuses to create the Ingress ` +
          `(annotations.${CLASS_ANNOTATION}: Invalid value: "${value}": can not be set when the class field is also set); drop the annotation, spec.ingressClassName replaces it`,
      },
    ];
  },
};
