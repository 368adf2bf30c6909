import { isMapping, Loose, mapping, mappings, strings, text } from '../../manifests/access';

/**
 * Whether a label selector (matchLabels and matchExpressions, all ANDed) selects a set of labels, as
 * k8s.io/apimachinery metav1.LabelSelectorAsSelector builds it and Argo CD uses it for cluster Secrets
 * (applicationset/generators/cluster.go getSecretsByClusterName) and for a generator's `selector` over its flattened
 * parameters (generator_spec_processor.go Transform). Undefined when the selector does not compile (an unknown
 * operator, In/NotIn without values, Exists/DoesNotExist with values): Argo CD fails the generator then.
 */
export function selectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean | undefined {
  if (selector !== undefined && selector !== null && !isMapping(selector)) return undefined;
  const s = mapping(selector);
  const byLabel = Object.entries(mapping(s.matchLabels)).every(([k, v]) => labels[k] === String(v));
  let valid = true;
  const byExpression = mappings(s.matchExpressions).map((e) => {
    const outcome = expressionMatches(e, labels);
    if (outcome === undefined) valid = false;
    return outcome === true;
  });
  return valid ? byLabel && byExpression.every(Boolean) : undefined;
}

/** One requirement of matchExpressions (labels.NewRequirement's checks), or undefined when it does not compile. */
function expressionMatches(e: Loose, labels: Readonly<Record<string, string>>): boolean | undefined {
  const key = text(e.key) ?? '';
  const values = strings(e.values);
  const has = Object.prototype.hasOwnProperty.call(labels, key);
  switch (e.operator) {
    case 'In':
      return values.length ? has && values.includes(labels[key]) : undefined;
    case 'NotIn':
      return values.length ? !has || !values.includes(labels[key]) : undefined;
    case 'Exists':
      return values.length ? undefined : has;
    case 'DoesNotExist':
      return values.length ? undefined : !has;
    default:
      return undefined;
  }
}

/**
 * Whether a controller's spec.selector selects its own spec.template.metadata.labels, as the API server asks of a
 * Deployment, ReplicaSet, StatefulSet, DaemonSet and a manualSelector Job ("`selector` does not match template
 * `labels`"); undefined when the selector does not compile (the API server refuses it for that, not for this).
 */
export function selectsOwnTemplate(spec: Loose): boolean | undefined {
  const labels = mapping(mapping(mapping(spec.template).metadata).labels);
  return selectorMatches(spec.selector, Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)])));
}
