import { Loose, mapping, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { Problem, Rule } from '../rule';

/**
 * The fields of a Knative Service's and Configuration's spec (knative/serving pkg/apis/serving/v1 service_types.go
 * ServiceSpec: ConfigurationSpec and RouteSpec inline; configuration_types.go ConfigurationSpec).
 */
const SPEC_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Service: ['template', 'traffic'],
  Configuration: ['template'],
};

/** RevisionTemplateSpec's fields (knative/serving pkg/apis/serving/v1 revision_types.go): metadata and spec only. */
const TEMPLATE_FIELDS = ['metadata', 'spec'];

/** Where a stray key belongs when it is a field of the revision's pod spec written one level too high. */
const POD_SPEC_WORDS = new Set(['containers', 'volumes', 'serviceAccountName', 'imagePullSecrets', 'containerConcurrency', 'timeoutSeconds']);

function strayFields(m: Loose, spec: Loose, template: Loose): string[] {
  const kind = String(m.kind);
  const ofSpec = Object.keys(spec)
    .filter((k) => !SPEC_FIELDS[kind].includes(k))
    .map((k) => `spec.${k}`);
  const ofTemplate = Object.keys(template)
    .filter((k) => !TEMPLATE_FIELDS.includes(k))
    .map((k) => `spec.template.${k}`);
  return [...ofSpec, ...ofTemplate];
}

/** Knative's refusal of a Service or Configuration: one problem naming what its webhook refuses, or none. */
export function knativeRefusal(o: GraphObject): Problem[] {
  const m = o.manifest;
  if (!String(m.apiVersion ?? '').startsWith('serving.knative.dev/') || !SPEC_FIELDS[String(m.kind)]) return [];
  const spec = mapping(m.spec);
  const template = mapping(spec.template);
  const podSpec = mapping(template.spec);
  const stray = strayFields(m, spec, template);
  const containers = podSpec.containers;
  const noContainers = !Array.isArray(containers) || containers.length === 0;
  if (!stray.length && !noContainers) return [];
  const misplaced = stray.filter((f) => POD_SPEC_WORDS.has(f.slice(f.lastIndexOf('.') + 1)));
  const parts = [
    ...(stray.length
      ? [
          `${stray.length === 1 ? 'unknown field' : 'unknown fields'} ${stray.map((f) => `'${f}'`).join(', ')}: not a field of the ${String(m.kind)} (spec holds ${SPEC_FIELDS[String(m.kind)].join(', ')}; spec.template holds metadata and spec), and Knative's webhook decodes strictly ("unknown field")`,
        ]
      : []),
    ...(noContainers ? ['spec.template.spec has no containers: Knative\'s webhook refuses it ("missing field(s): spec.template.spec.containers")'] : []),
  ];
  const hint = misplaced.length
    ? `; ${misplaced.map((f) => `'${f.slice(f.lastIndexOf('.') + 1)}'`).join(', ')} belongs under spec.template.spec (mis-indented one level too high)`
    : '';
  const name = text(mapping(m.metadata).name) ?? '';
  return [{ message: `${parts.join('; and ')}: the ${String(m.kind)} ${name} is refused and no revision runs${hint}` }];
}

export const knativeServiceInvalid: Rule = {
  id: 'knative-service-invalid',
  title:
    "a Knative Service or Configuration whose revision template Knative's webhook refuses: no containers under spec.template.spec, or a field Knative's types do not have",
  severity: 'error',
  appliesTo: ['Service', 'Configuration'],
  premise:
    "a serving.knative.dev Service or Configuration: Knative Serving's validating webhook decodes the object with unknown fields disallowed, so a key under spec other than template (and traffic, a Service's) or under spec.template other than metadata and spec is refused, and it validates the revision's pod spec, which must hold at least one container; the fields inside spec.template.spec are left to knative-feature-disabled and the pod-spec rules. The CRDs of recent Knative releases also declare spec.template.spec.containers required and no other template fields, so the API server refuses the same object where the webhook is not reached",
  example: 'a Knative Service whose `containers:` sits beside `spec:` under `template:`, leaving spec.template.spec empty',
  fix: 'indent the containers (and the other pod-spec fields) under spec.template.spec, and remove or move any other key Knative does not have',
  source:
    'knative/serving cmd/webhook/main.go (the validation admission controller made with "disallow unknown fields" true) and knative/pkg webhook/resourcesemantics/validation/validation_admit.go decodeRequestAndPrepareContext (json Decoder DisallowUnknownFields: "cannot decode incoming new object"); knative/serving pkg/apis/serving/k8s_validation.go ValidatePodSpec (no containers: apis.ErrMissingField("containers"), "missing field(s): spec.template.spec.containers") reached from service_validation.go and revision_validation.go; pkg/apis/serving/v1 service_types.go, configuration_types.go, revision_types.go (the fields); config/core/300-resources/service.yaml (required: containers)',
  scope: 'object',
  check(o) {
    return knativeRefusal(o);
  },
};
