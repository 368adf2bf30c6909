import { isMapping, Loose, mapping, mappings, text } from '../../manifests/access';
import { Problem, Rule } from '../rule';

/** The API group of ValidatingAdmissionPolicy and its binding (any of its versions: v1, v1beta1, v1alpha1). */
const ADMISSION_GROUP = /^admissionregistration\.k8s\.io\//;

/** CEL string literals, removed before looking for the `params` variable: a message may say "params". */
const CEL_STRING = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g;

/** The `params` variable read (not a field named params of something else: `object.params`). */
const READS_PARAMS = /(^|[^.\w])params\b/;

/** An expression that handles params being null: `params != null`, `null == params`, `has(params.x)`. */
const GUARDS_PARAMS = /\bparams\s*[!=]=\s*null\b|\bnull\s*[!=]=\s*params\b|\bhas\(\s*params\b/;

/** Every CEL expression of the policy: validations (and their messages), match conditions, variables, audit annotations. */
function expressionsOf(policy: Loose): string[] {
  const spec = mapping(policy.spec);
  return [
    ...mappings(spec.validations).flatMap((v) => [text(v.expression), text(v.messageExpression)]),
    ...mappings(spec.matchConditions).map((c) => text(c.expression)),
    ...mappings(spec.variables).map((v) => text(v.expression)),
    ...mappings(spec.auditAnnotations).map((a) => text(a.valueExpression)),
  ]
    .filter((e): e is string => e !== undefined)
    .map((e) => e.replace(CEL_STRING, "''"));
}

/** The finding for a binding without paramRef of a policy with paramKind, by what its expressions do with params. */
function unboundParams(policyName: string, policy: Loose): Problem {
  const kind = mapping(mapping(policy.spec).paramKind);
  const paramKind = `${text(kind.kind) ?? '?'} (${text(kind.apiVersion) ?? '?'})`;
  const expressions = expressionsOf(policy);
  const base = `spec.policyName '${policyName}' is a ValidatingAdmissionPolicy that declares paramKind ${paramKind}, and the binding sets no spec.paramRef: the API server then evaluates the policy with params null for every request it matches`;
  if (!expressions.some((e) => READS_PARAMS.test(e)))
    return {
      severity: 'info',
      message: `${base}; no expression of the policy reads params, so it enforces what it says: drop spec.paramKind, or add a paramRef if the policy is meant to read a ${text(kind.kind) ?? 'parameter'}`,
      summary: 'admission policies declaring a paramKind that their bindings do not use',
    };
  const failurePolicy = text(mapping(policy.spec).failurePolicy) ?? 'Fail';
  if (failurePolicy === 'Fail' && !expressions.some((e) => GUARDS_PARAMS.test(e)))
    return {
      severity: 'error',
      message: `${base}; its expressions read params without checking for null, so each evaluation ends in an error, and with failurePolicy ${failurePolicy}${text(mapping(policy.spec).failurePolicy) ? '' : ' (the default)'} the API server denies every request the policy matches: add spec.paramRef (name or selector of the ${text(kind.kind) ?? 'parameter'}, with parameterNotFoundAction) to the binding`,
    };
  return {
    severity: 'warning',
    message: `${base}; its expressions read params, and ${failurePolicy === 'Fail' ? 'guard them against null' : `with failurePolicy ${failurePolicy} their errors admit the request`}, so the checks written on the parameters never apply: add spec.paramRef to the binding`,
  };
}

export const admissionPolicyParamUnbound: Rule = {
  id: 'admission-policy-param-unbound',
  title:
    'a ValidatingAdmissionPolicyBinding without paramRef, of a policy that declares paramKind: the policy runs with params null (every matching request denied where its expressions read params and failurePolicy is Fail)',
  severity: 'error',
  appliesTo: ['ValidatingAdmissionPolicyBinding'],
  premise:
    'an admissionregistration.k8s.io ValidatingAdmissionPolicyBinding without spec.paramRef whose spec.policyName names a ValidatingAdmissionPolicy of the tree with spec.paramKind: the API server\'s policy dispatcher evaluates such a binding with a nil param ("Policy ParamKind is set, but binding does not use it. Validate with nil params"), so CEL\'s params is null. ' +
    'Where an expression of the policy (validations and their messageExpression, matchConditions, variables, auditAnnotations; string literals aside) reads params and none checks it for null (params != null, has(params.…)), each evaluation errors, and failurePolicy Fail (the default) turns the error into a denial of every request the policy and binding match: an error. ' +
    'Where failurePolicy is Ignore, or the expressions guard against null, the request is admitted and the checks on params never apply: a warning. Where no expression reads params the policy enforces what it says: a note that paramKind is unused',
  example: 'a policy with `paramKind: {apiVersion: v1, kind: ConfigMap}` whose expression reads `params.data.prefix`, bound by a binding with no paramRef',
  fix: 'add spec.paramRef to the binding (a name or a selector of the parameter objects, and parameterNotFoundAction), or drop spec.paramKind and params from the policy',
  source:
    'kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/admission/plugin/policy/generic/policy_dispatcher.go CollectParams (paramRef == nil with paramKind set: "Validate with nil params") and Dispatch (a policy error with failurePolicy Fail, the default, denies: "admission request denied by policy"); ' +
    'staging/src/k8s.io/apiserver/pkg/admission/plugin/policy/validating/validator.go Validate (an expression that errors is policyDecisionActionForError: deny unless failurePolicy Ignore)',
  check(o, { graph }) {
    const m = o.manifest;
    if (!ADMISSION_GROUP.test(text(m.apiVersion) ?? '')) return [];
    const spec = mapping(m.spec);
    const policyName = text(spec.policyName);
    if (!policyName || spec.paramRef !== undefined) return [];
    const policy = graph.find('ValidatingAdmissionPolicy', policyName);
    if (!policy || !isMapping(mapping(policy.manifest.spec).paramKind)) return [];
    return [unboundParams(policyName, policy.manifest)];
  },
};
