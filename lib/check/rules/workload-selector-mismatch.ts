import { isMapping, Loose, mapping, mappings, text } from '../../manifests/access';
import { selectsOwnTemplate } from '../argocd/label-selector';
import { holdsTemplate } from '../template-syntax';
import { Problem, Rule } from '../rule';

/** The word each kind's "empty selector" refusal names (kubernetes pkg/apis/apps/validation: a ReplicaSet's reuses the Deployment's text). */
const EMPTY_SELECTOR_WORD: Readonly<Record<string, string>> = {
  Deployment: 'deployment',
  ReplicaSet: 'deployment',
  StatefulSet: 'statefulset',
  DaemonSet: 'daemonset',
};

/** `k: v` pairs of a label mapping, for the message. */
const pairs = (labels: Loose) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(', ');

/** Whether a selector or the template labels hold text another tool fills in: judged once rendered. */
function holdsPlaceholder(spec: Loose): boolean {
  const selector = mapping(spec.selector);
  const texts = [
    ...Object.entries(mapping(selector.matchLabels)).flat(),
    ...mappings(selector.matchExpressions).flatMap((e) => [e.key, ...(Array.isArray(e.values) ? e.values : [])]),
    ...Object.entries(mapping(mapping(mapping(spec.template).metadata).labels)).flat(),
  ];
  return texts.some((t) => typeof t === 'string' && holdsTemplate(t));
}

/** What apps validation refuses in an apps/v1 controller's selector against its own template. */
function selectorProblem(m: Loose): string | undefined {
  const spec = mapping(m.spec);
  // a missing selector is a required field (field-required-missing); a non-mapping one is the schema's
  if (!isMapping(spec.selector) || holdsPlaceholder(spec)) return undefined;
  const selector = mapping(spec.selector);
  const expressions = mappings(selector.matchExpressions);
  if (Object.keys(mapping(selector.matchLabels)).length + expressions.length === 0)
    return `spec.selector is empty: the API server refuses the ${m.kind} ("empty selector is invalid for ${EMPTY_SELECTOR_WORD[m.kind]}"); apps/v1 never fills it from the template, so write matchLabels of spec.template.metadata.labels`;
  if (selectsOwnTemplate(spec) !== false) return undefined;
  const labels = mapping(mapping(mapping(spec.template).metadata).labels);
  const wanted = [pairs(mapping(selector.matchLabels)), expressions.length ? `${expressions.length} matchExpressions` : ''].filter(Boolean).join(' and ');
  return `spec.selector (${wanted}) does not select spec.template.metadata.labels (${pairs(labels) || 'none'}): the API server refuses the ${m.kind} ("\`selector\` does not match template \`labels\`"), so none of its pods is made; make the template carry every label the selector requires (a selector cannot change once created)`;
}

export const workloadSelectorMismatch: Rule = {
  id: 'workload-selector-mismatch',
  title:
    "a Deployment, StatefulSet, DaemonSet or ReplicaSet whose spec.selector does not select its own pod template's labels, or is empty: the API server refuses it",
  severity: 'error',
  appliesTo: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'],
  premise:
    "an apps/v1 controller is judged as written after any kustomize build (commonLabels and labels with includeSelectors add to both the selector and the template, so the built object is read): matchLabels and matchExpressions are ANDed over the template labels; apps/v1 does not default the selector from the template as the removed extensions/v1beta1 did. A selector or label holding a placeholder is judged once rendered; a missing selector is field-required-missing's",
  example: 'a Deployment with `matchLabels: app: webui` under spec.selector and `name: webui` as its template labels',
  fix: 'make spec.template.metadata.labels carry every label spec.selector requires (or write the selector from the template labels); a selector that is empty needs matchLabels',
  source:
    'kubernetes pkg/apis/apps/validation/validation.go ValidateDeploymentSpec and ValidateReplicaSetSpec ("empty selector is invalid for deployment"), ValidatePodTemplateSpecForReplicaSet ("`selector` does not match template `labels`"), ValidateStatefulSetSpec with ValidatePodTemplateSpecForStatefulSet, ValidateDaemonSetSpec; cases after validation_test.go (a selector matching the labels is valid, a mismatched one and an empty one are invalid)',
  check(o) {
    const m = o.manifest;
    if (m.apiVersion !== 'apps/v1' || !EMPTY_SELECTOR_WORD[m.kind]) return [];
    const problem = selectorProblem(m);
    const name = text(mapping(m.metadata).name) ?? '<no name>';
    return problem ? [{ message: `${m.kind} ${name}: ${problem}` } satisfies Problem] : [];
  },
};
