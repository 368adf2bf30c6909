import { mapping } from '../../manifests/access';
import { unknownFieldsVerdict } from '../../validation/unknown-field-verdicts';
import { KUEUE_SCHEMA_SETS, KueueSchema, schemaTarget } from '../field-schema-choice';
import { kueueAssumption, kueueName } from '../kueue-version';
import { webhookDefaults } from '../webhook-defaulted-fields';
import { ANY_KIND, Problem, Rule } from '../rule';

/** Workload kinds whose spec.selector must match the pod template's labels (apps/v1 validation ValidateDeploymentSpec and its siblings). */
const SELECTED_WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

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

/**
 * Kinds whose objects are partial by design: an LLMInferenceServiceConfig is a preset KServe merges into the
 * LLMInferenceServices that name it (kserve pkg/controller/v1alpha1/llmisvc config_merge.go), so a required field of
 * the merged spec may come from the service.
 */
const PARTIAL_KINDS = new Set(['LLMInferenceServiceConfig']);

/**
 * Whether a workload is a patch fragment kept beside the manifests (`oc patch --patch-file`, a kustomize patch no
 * kustomization lists): its pod template names containers without images, which no applied workload does.
 */
function patchFragment(manifest: Record<string, unknown>): boolean {
  const containers = mapping(mapping(mapping(manifest.spec).template).spec).containers;
  return Array.isArray(containers) && containers.length > 0 && containers.every((c) => mapping(c).image === undefined);
}

/** Where a missing top-level field was written instead: under an unknown top-level field (a RoleBinding's roleRef under `spec:`). */
function writtenUnder(field: string, manifest: Record<string, unknown>, unknown: readonly { field: string }[]): string | undefined {
  if (field.includes('.')) return undefined;
  return unknown.find((u) => !/[.[]/.test(u.field) && field in mapping(manifest[u.field]))?.field;
}

/**
 * Whether every Kueue CRD set shipped here requires the field of a Kueue object: then the release, though only
 * assumed, does not change the verdict (a resource group's coveredResources is required from v1beta1 on). Not when
 * the judged release is newer than every shipped set.
 */
function requiredByEveryKueue(
  m: Record<string, unknown>,
  apiVersion: string,
  kind: string,
  judged: Parameters<typeof unknownFieldsVerdict>[3],
  field: string,
  byKueue: KueueSchema,
): boolean {
  if (byKueue.beyond) return false;
  return KUEUE_SCHEMA_SETS.every(({ set }) => unknownFieldsVerdict(m, apiVersion, kind, judged, [set])?.missing?.some((f) => f.field === field) === true);
}

export const fieldRequiredMissing: Rule = {
  id: 'field-required-missing',
  title: "a field the kind's schema requires is absent (a Deployment without spec.selector): the API server refuses the object",
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    "the kind's schema is known (a Kubernetes 1.33 kind, or a custom resource whose CRD the platform ships, as for field-unknown: OpenShift AI 2.x's own kinds are not judged, its CRDs not being shipped; Kueue's by the judged Kueue release, a warning while that release is only assumed, unless every Kueue CRD set shipped requires the field); the field is required where its parent exists and the API server does not fill it: a CRD field with a default is filled before validation, a built-in field the server defaults (a RoleBinding's roleRef.apiGroup) or accepts at its zero value (a NetworkPolicy's empty podSelector, a PriorityClass value of 0) is no finding, nor a field a known controller's mutating webhook fills before validation (the first container's name of an InferenceService predictor, a JobSet failure policy rule's name, a LeaderWorkerSet's networkConfig.subdomainPolicy); a required field inside an optional parent the object leaves out is not judged; metadata.name is metadata-invalid's; an LLMInferenceServiceConfig (a preset merged into the services that name it) is not judged, and a workload whose containers name no image (a patch fragment kept beside the manifests) gets a warning",
  example: 'a Deployment with `replicas: 1` and `template:` but no `selector:` under spec',
  fix: 'add the field (the message names it; for a workload selector, matchLabels equal to the pod template labels)',
  source:
    'kubernetes/apiextensions-apiserver pkg/apiserver/schema/defaulting/algorithm.go (Default: defaults fill absent fields before validation) and pkg/apiserver/validation (OpenAPI `required`: "Required value"); kubernetes pkg/apis/apps/validation/validation.go ValidateDeploymentSpec (spec.selector required); kubernetes api/openapi-spec (the built-in kinds\' required fields); kserve pkg/apis/serving/v1beta1/predictor_custom.go (CustomPredictor.Default names the first container); kubernetes-sigs/jobset pkg/webhooks/jobset_webhook.go (Default names unnamed failure policy rules); kubernetes-sigs/lws pkg/webhooks/leaderworkerset_webhook.go (Default sets the subdomain policy)',
  scope: 'object',
  check(o, ctx) {
    const m = o.manifest;
    const target = schemaTarget(m, ctx);
    if (!target) return [];
    const { apiVersion, kind, judged, byKueue, topLevelOnly } = target;
    const schema = unknownFieldsVerdict(m, apiVersion, kind, judged, byKueue?.sets);
    if (!schema?.missing || (!schema.builtIn && topLevelOnly) || PARTIAL_KINDS.has(kind)) return [];
    const fragment = patchFragment(m);
    return schema.missing
      .filter((f) => schema.builtIn || !webhookDefaults(kind, f.field))
      .map((f): Problem => {
        // a custom resource's schema check says "Required value"; a built-in kind's Go validation words it by field
        const quoted = schema.builtIn && f.field !== 'spec.selector' ? '' : ` ("${f.field}: Required value")`;
        const under = writtenUnder(f.field, m, schema.unknown);
        const fix = under ? `move ${under}.${f.field} to the top level` : fixOf(kind, f.field, m);
        const as = apiVersion === m.apiVersion ? '' : ` (judged as ${apiVersion}, the apiVersion that serves ${kind})`;
        const message = `${kind} lacks the required field ${f.field}${under ? ` (written under '${under}', which the schema does not have)` : ''}${as}: the ${schema.source} schema requires it and gives no default, so the API server refuses the ${kind}${quoted}; ${fix}`;
        if (fragment)
          return {
            severity: 'warning',
            message: `${message}. Its containers name no image, so it reads as a patch fragment (oc patch --patch-file, a kustomize patch): if so, keep it out of the applied folders or list it under a kustomization's patches`,
          };
        if (!byKueue || byKueue.certain || requiredByEveryKueue(m, apiVersion, kind, judged, f.field, byKueue)) return { message };
        return { severity: 'warning', message: `${message}. Judged by the CRDs of ${kueueName(ctx.kueue)}: ${kueueAssumption(ctx.kueue)}` };
      });
  },
};
