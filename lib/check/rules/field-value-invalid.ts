import { isMapping, Loose, mapping, shown, text } from '../../manifests/access';
import { coreQuantityProblems, decodesAsQuantity } from '../../validation/core-quantities';
import { coreTypeProblems, jsonKind } from '../../validation/core-types';
import { ValueProblem } from '../../validation/value-problems';
import { withoutTypographicQuotes } from '../../private/typographic-quotes';
import { valueVerdict } from '../../validation/value-verdicts';
import { KUEUE_SCHEMA_SETS, schemaTarget } from '../field-schema-choice';
import { kueueAssumption, kueueName } from '../kueue-version';
import { ANY_KIND, Problem, Rule } from '../rule';
import { bracedTemplate, holdsTemplate, unfilledPlaceholder } from '../template-syntax';

/** One problem as a sentence: the field, its value, what the CRD allows and the fix. */
export function sentence(kind: string, p: ValueProblem, source: string): string {
  if (p.rule) {
    // a scalar is shown; a mapping or list the rule is on is named by its path
    const value = p.value !== null && typeof p.value === 'object' ? '' : ` (${shown(p.value)})`;
    const when = p.deferred ? ' once its other schema errors are mended (it evaluates the rules only then)' : ' on create';
    return `${kind} ${p.field ? `${p.field}${value} ` : ''}breaks a CEL rule of the ${source}: "${p.allowed}" (rule: ${p.rule}); the API server refuses the ${kind}${when}. Fix: change the object so that the rule holds`;
  }
  return `${kind} sets ${p.field} to ${quoted(p.value)}, where the ${source} schema allows ${p.allowed}: the API server refuses the ${kind}. Fix: ${fixOf(p)}`;
}

/**
 * A built-in kind's field whose JSON type its Go type cannot take: the API server's decoder stops on it, and the object
 * is refused before any validation (apimachinery's strict JSON decoding, encoding/json's UnmarshalTypeError).
 */
function typeSentence(kind: string, p: ValueProblem): string {
  const shape = isMapping(p.value) ? 'a mapping' : Array.isArray(p.value) ? 'a list' : `${jsonKind(p.value)} ${quoted(p.value)}`;
  const value = isMapping(p.value) || Array.isArray(p.value) ? `${shape} (${quoted(p.value)})` : shape;
  return (
    `${kind} sets ${p.field} to ${value}, where the Kubernetes 1.33 schema has ${p.allowed}: the API server cannot decode it into the field's Go type ` +
    `("json: cannot unmarshal ${jsonKind(p.value)} into Go struct field … of type …") and refuses the whole ${kind.split(' ')[0]}. Fix: ${fixOf(p)}`
  );
}

/**
 * Whether a value holds a placeholder another tool fills before the apply (envsubst's ${VAR}, Helm's and KServe's
 * presets' {{ }}, an unquoted {{ X }} read as a mapping): unrendered-placeholder's finding, not a value to judge.
 */
export function placeholder(v: unknown): boolean {
  return typeof v === 'string' ? holdsTemplate(v) : bracedTemplate(v) !== undefined || unfilledPlaceholder(v) !== undefined;
}

/** A value as written, shortened: strings quoted, so that a quoted number reads as the string it is. */
function quoted(v: unknown): string {
  const json = typeof v === 'string' ? JSON.stringify(v) : undefined;
  if (json === undefined) return shown(v);
  return json.length > 60 ? `${json.slice(0, 56)}..."` : json;
}

/** What to write for a value that is no quantity: the value without typographic quotes, or with the suffix meant (16GB: 16G or 16Gi). */
function quantityFix(value: string): string {
  const bare = withoutTypographicQuotes(value);
  if (bare !== undefined && decodesAsQuantity(bare))
    return `write "${bare}" with straight quotes (or none): YAML reads the typographic quotes as characters of the string`;
  const unit = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([kKmMgGtTpPeE])i?[bB]\s*$/.exec(value);
  if (unit)
    return `write ${unit[1]}${unit[2].toUpperCase()}i (or ${unit[1]}${unit[2].toLowerCase() === 'k' ? 'k' : unit[2].toUpperCase()}): a quantity's suffix has no B`;
  return 'write a quantity: a number with an optional suffix (500m, 16, 16Gi, 16G)';
}

/** What to write instead: a number without quotes, a listed value, or what the schema allows. */
function fixOf(p: ValueProblem): string {
  if (typeof p.value === 'string' && p.allowed.startsWith('a quantity (')) return quantityFix(p.value);
  if (p.allowed.startsWith('one of ')) return `use ${p.allowed}`;
  if (typeof p.value === 'string' && /^(an integer|a number)$/.test(p.allowed) && Number.isFinite(Number(p.value)) && p.value.trim() !== '')
    return `write the number without quotes (${p.field}: ${p.value.trim()})`;
  if (typeof p.value === 'string' && p.allowed === 'a mapping') return 'write the content as a YAML mapping under the field, not as a string (no `|` block)';
  if (typeof p.value === 'string' && /^a boolean/.test(p.allowed) && /^(true|false)$/i.test(p.value)) return `write ${p.value.toLowerCase()} without quotes`;
  if (p.allowed === 'a string' && (typeof p.value === 'number' || typeof p.value === 'boolean')) return `quote it (${p.field}: "${String(p.value)}")`;
  if (p.allowed === 'a list' && isMapping(p.value) && !Object.keys(p.value).length) return 'write [] for an empty list, or list the items under it with `- `';
  if (p.allowed === 'a list' && isMapping(p.value)) return 'write the entries as list items (each starting with `- `)';
  return `write ${p.allowed} there`;
}

/** Kueue CRD rules whose refusals cluster-queue-invalid reports (same number of resources, limits without a parent). */
const KUEUE_WEBHOOK_RULES = /same number of resources as the coveredResources|must be nil when (cohort|parent) is empty/;

/** A problem's identity, to find it under another Kueue release's CRD. */
const keyOf = (p: ValueProblem): string => `${p.field}\0${p.allowed}\0${p.rule ?? ''}`;

/** The problems every shipped Kueue CRD set finds: they hold whichever release the cluster runs. */
function byEveryKueue(m: Loose, apiVersion: string, kind: string, judged: Parameters<typeof valueVerdict>[3]): Set<string> {
  const per = KUEUE_SCHEMA_SETS.map(({ set }) => new Set((valueVerdict(m, apiVersion, kind, judged, [set])?.problems ?? []).map(keyOf)));
  return new Set([...per[0]].filter((k) => per.every((s) => s.has(k))));
}

export const fieldValueInvalid: Rule = {
  id: 'field-value-invalid',
  title:
    "a custom resource's value its CRD refuses (a type, an enum, a pattern, a bound, or a CEL rule such as LLMInferenceService's replicas beside scaling), a built-in kind's quantity that is none (`cpu: “10”`), or a built-in kind's field of a JSON type its Go type cannot take (`tolerations: {}`, `replicas: \"2\"`): the API server refuses the object",
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    "a built-in kind's quantity field (container requests and limits, an emptyDir's sizeLimit, a claim's storage request, a ResourceQuota's hard limits: each field the Kubernetes schema types as int-or-string of format quantity) holds a string that is no quantity by apimachinery's grammar once trimmed (`“10”` with typographic quotes, 1GB): the API server cannot decode the object; " +
    "or a built-in kind's field (outside metadata, metadata-invalid's, and status) holds a value of a JSON type the Go type behind the Kubernetes 1.33 schema's type cannot take: a mapping where the schema has a list (`tolerations: {}`) or a list where it has a mapping, a string where it has a number or a boolean (`replicas: \"2\"`, `hostNetwork: \"false\"`), a number or a boolean where it has a string (an env value `8080` unquoted); int-or-string fields (ports, quantities) take a number or a string, untyped fields (RawExtension, JSON) anything, a null any field, and a value holding a placeholder is unrendered-placeholder's: the API server's decoder stops on the field and refuses the whole object; " +
    "or the object is a custom resource whose CRD the platform ships at the object's version (as for field-unknown: KServe, Kueue by the judged release, KEDA, prometheus-operator, Argo CD, HardwareProfile; OpenShift AI 2.x's own kinds are not judged); the object is judged as the API server judges it on create, after kustomize's and Argo CD's rendering: fields the schema lacks are pruned (field-unknown's), nulls of non-nullable fields dropped and defaults filled, then the schema's type, enum, pattern, minimum/maximum, length, item and entry bounds (x-kubernetes-int-or-string fields such as quantities take an integer or a string; fields under x-kubernetes-preserve-unknown-fields are not judged; a null is no type error), then the CEL rules (x-kubernetes-validations) with self bound at each rule's place: not after a wrong type, and after an enum, maximum-length or maximum-size error or a missing required field (which make the API server defer the rules) reported as refused once those are mended; transition rules (oldSelf) and rules using a function the evaluator lacks are not judged, nor formats. Missing required fields are field-required-missing's; the ClusterQueue rules cluster-queue-invalid words as Kueue's webhook does (resources per covered resource, limits without a cohort) are left to it, a value holding a placeholder another tool fills (${VAR}, {{ }}) is unrendered-placeholder's, and an LLMInferenceServiceConfig preset, whose required fields may come from the services that name it, gets no finding of a rule the API server defers for a missing field. A Kueue object's finding is a warning while the Kueue release is only assumed, unless every shipped Kueue CRD set refuses the value",
  example: 'an LLMInferenceService whose spec has `replicas: 1` beside `scaling:` on OpenShift AI 3.4',
  fix: "write a value the CRD allows (the message names the field, the value and what is allowed; for a CEL rule, the CRD's own message)",
  source:
    'kubernetes/apimachinery pkg/runtime/serializer/json (strict decoding through sigs.k8s.io/json, encoding/json semantics: an UnmarshalTypeError, "json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.tolerations of type []v1.Toleration", fails the decode of the whole object); kubernetes/apimachinery pkg/api/resource/quantity.go (UnmarshalJSON trims the string, ParseQuantity refuses it with ErrFormatWrong; cases of quantity_test.go); kubernetes/apiextensions-apiserver pkg/apiserver/schema/defaulting (algorithm.go Default, prunenulls.go PruneNonNullableNullsWithoutDefaults), pkg/apiserver/schema/pruning/algorithm.go, pkg/apiserver/validation/validation.go (OpenAPI value validation by kube-openapi pkg/validation/validate), pkg/apiserver/schema/cel/validation.go (Validator.Validate: x-kubernetes-validations, transition rules need oldSelf) and pkg/registry/customresource/strategy.go (CEL after the schema); kserve config/crd llminferenceservices (replicas and scaling are mutually exclusive)',
  scope: 'object',
  check(o, ctx) {
    const m = o.manifest;
    const target = schemaTarget(m, ctx);
    if (!target || target.topLevelOnly) return [];
    const { apiVersion, kind, judged, byKueue } = target;
    const core = coreQuantityProblems(m, apiVersion, kind);
    if (core) {
      const name = text(mapping(m.metadata).name) ?? '<no name>';
      const types = (coreTypeProblems(m, apiVersion, kind) ?? []).filter((p) => !placeholder(p.value));
      return [
        ...types.map((p) => ({ message: typeSentence(`${kind} ${name}`, p) })),
        ...core.filter((p) => !placeholder(p.value)).map((p) => ({ message: sentence(`${kind} ${name}`, p, 'Kubernetes 1.33') })),
      ];
    }
    const verdict = valueVerdict(m, apiVersion, kind, judged, byKueue?.sets);
    if (!verdict?.problems.length) return [];
    const name = text(mapping(m.metadata).name) ?? '<no name>';
    const every = byKueue && !byKueue.certain ? byEveryKueue(m, apiVersion, kind, judged) : undefined;
    // an LLMInferenceServiceConfig is a preset: its required fields may come from the services that name it
    // (field-required-missing leaves it), so rules the API server would defer for them are not judged
    const partial = (p: ValueProblem) => p.deferred === true && kind === 'LLMInferenceServiceConfig';
    // cluster-queue-invalid reports these rules of Kueue's CRDs with the webhook's words
    const kueueOwn = (p: ValueProblem) => p.rule !== undefined && KUEUE_WEBHOOK_RULES.test(p.allowed) && (kind === 'ClusterQueue' || kind === 'Cohort');
    return verdict.problems
      .filter((p) => !placeholder(p.value) && !partial(p) && !kueueOwn(p))
      .map((p): Problem => {
        const message = sentence(`${kind} ${name}`, p, verdict.source);
        if (!every || every.has(keyOf(p))) return { message };
        return { severity: 'warning', message: `${message}. Judged by the CRDs of ${kueueName(ctx.kueue)}: ${kueueAssumption(ctx.kueue)}` };
      });
  },
};
