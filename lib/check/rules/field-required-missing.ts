import { mapping, text } from '../../manifests/access';
import { unknownFieldsVerdict } from '../../validation/unknown-field-verdicts';
import { fieldSchemaChoice } from '../field-schema-choice';
import { kueueAssumption, kueueName } from '../kueue-version';
import { ANY_KIND, Problem, Rule } from '../rule';

/** Workload kinds whose spec.selector must match the pod template's labels (apps/v1 validation ValidateDeploymentSpec and its siblings). */
const SELECTED_WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

/**
 * Fields a controller's mutating webhook fills before the API server validates a custom resource (admission runs
 * mutation first): KServe's CustomPredictor, CustomTransformer and CustomExplainer Default() name the first container
 * kserve-container (kserve pkg/apis/serving/v1beta1/predictor_custom.go, transformer_custom.go, explainer_custom.go).
 */
const WEBHOOK_FILLED: Readonly<Record<string, RegExp>> = {
  InferenceService: /^spec\.(predictor|transformer|explainer)\.containers\[0\]\.name$/,
};

/** What to write: for a workload's selector, the template labels it must match. */
function fixOf(kind: string, field: string, manifest: Record<string, unknown>): string {
  if (field === 'spec.selector' && SELECTED_WORKLOADS.has(kind)) {
    const labels = Object.entries(mapping(mapping(mapping(mapping(manifest.spec).template).metadata).labels));
    const shown = labels.map(([k, v]) => `${k}: ${String(v)}`).join(', ');
    return labels.length
      ? `add spec.selector.matchLabels with labels of spec.template.metadata.labels (${shown})`
      : 'add spec.selector.matchLabels and the same labels under spec.template.metadata.labels';
  }
  return `add ${field}`;
}

export const fieldRequiredMissing: Rule = {
  id: 'field-required-missing',
  title: "a field the kind's schema requires is absent (a Deployment without spec.selector): the API server refuses the object",
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    "the kind's schema is known (a Kubernetes 1.33 kind, or a custom resource whose CRD the platform ships, as for field-unknown: OpenShift AI 2.x's own kinds are not judged, its CRDs not being shipped; Kueue's by the judged Kueue release, a warning while that release is only assumed); the field is required where its parent exists and the API server does not fill it: a CRD field with a default is filled before validation, a built-in field the server defaults (a RoleBinding's roleRef.apiGroup) or accepts at its zero value (a NetworkPolicy's empty podSelector, a PriorityClass value of 0) is no finding, nor a field a platform webhook fills (the first container's name of an InferenceService predictor); a required field inside an optional parent the object leaves out is not judged; metadata.name is metadata-invalid's",
  example: 'a Deployment with `replicas: 1` and `template:` but no `selector:` under spec',
  fix: 'add the field (the message names it; for a workload selector, matchLabels equal to the pod template labels)',
  source:
    'kubernetes/apiextensions-apiserver pkg/apiserver/schema/defaulting/algorithm.go (Default: defaults fill absent fields before validation) and pkg/apiserver/validation (OpenAPI `required`: "Required value"); kubernetes pkg/apis/apps/validation/validation.go ValidateDeploymentSpec (spec.selector required); kubernetes api/openapi-spec (the built-in kinds\' required fields); kserve pkg/apis/serving/v1beta1/predictor_custom.go (CustomPredictor.Default names the first container)',
  check(o, ctx) {
    const m = o.manifest;
    const apiVersion = text(m.apiVersion);
    const kind = text(m.kind);
    if (!apiVersion || !kind) return [];
    const { judged, byKueue, topLevelOnly } = fieldSchemaChoice(apiVersion, ctx);
    const schema = unknownFieldsVerdict(m, apiVersion, kind, judged, byKueue?.sets);
    if (!schema?.missing || (!schema.builtIn && topLevelOnly)) return [];
    const filled = WEBHOOK_FILLED[kind];
    return schema.missing
      .filter((f) => schema.builtIn || !filled?.test(f.field))
      .map((f): Problem => {
        // a custom resource's schema check says "Required value"; a built-in kind's Go validation words it by field
        const quoted = schema.builtIn && f.field !== 'spec.selector' ? '' : ` ("${f.field}: Required value")`;
        const message = `${kind} lacks the required field ${f.field}: the ${schema.source} schema requires it and gives no default, so the API server refuses the ${kind}${quoted}; ${fixOf(kind, f.field, m)}`;
        if (!byKueue || byKueue.certain) return { message };
        return { severity: 'warning', message: `${message}. Judged by the CRDs of ${kueueName(ctx.kueue)}: ${kueueAssumption(ctx.kueue)}` };
      });
  },
};
