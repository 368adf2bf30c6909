import { POD_TEMPLATE_KINDS } from '../k8s/pod-kinds';
import { isMapping, Loose, mapping, mappings, text } from '../manifests/access';
import { isLabelKey, isLabelValue } from '../private/names';
import { writtenPodSpecs } from './pod-spec-fields';
import type { Problem } from './rule';
import { holdsTemplate } from './template-syntax';

/** Label-syntax fields of a spec, each with the path it is written at and who validates it. */
interface LabelMap {
  readonly field: string;
  readonly map: unknown;
  /** What refuses it, and what follows: the API server (a pod spec), or an admission webhook (Kueue's). */
  readonly refuser: string;
}

/** What a map of labels of a spec is refused for: keys that are no qualified names, values that are no label values (apimachinery ValidateLabels). */
function labelMapProblems({ field, map, refuser }: LabelMap): Problem[] {
  if (!isMapping(map)) return [];
  return Object.entries(map).flatMap(([k, v]): Problem[] => {
    if (holdsTemplate(k) || (typeof v === 'string' && holdsTemplate(v))) return [];
    if (!isLabelKey(k))
      return [
        {
          message: `${field} key '${k}' is not a qualified name (an optional DNS-subdomain prefix and '/', then 1 to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit): ${refuser}; fix the key`,
        },
      ];
    if (typeof v === 'string' && !isLabelValue(v))
      return [{ message: `${field}.${k} '${v}' is not a label value (at most 63 letters, digits, '-', '_' and '.', alphanumeric at both ends): ${refuser}` }];
    return [];
  });
}

/** Taint and toleration keys (ValidateLabelName when set) and taint values (IsLabelValue). */
function keyedListProblems(list: unknown, field: string, refuser: string): Problem[] {
  return mappings(list).flatMap((t, i): Problem[] => {
    const key = text(t.key);
    const value = text(t.value);
    const out: Problem[] = [];
    if (key && !holdsTemplate(key) && !isLabelKey(key))
      out.push({
        message: `${field}[${i}].key '${key}' is not a qualified name (an optional DNS-subdomain prefix and '/', then a name): ${refuser}; fix the key`,
      });
    if (field.endsWith('nodeTaints') && value && !holdsTemplate(value) && !isLabelValue(value))
      out.push({ message: `${field}[${i}].value '${value}' is not a label value: ${refuser}` });
    return out;
  });
}

/** What refuses a workload's pod fields: the API server, when it validates the object itself or the pods made from it. */
export function refusalOf(m: Loose): string {
  if (m.kind === 'ServingRuntime') return 'the API server refuses the Deployment of every InferenceService that uses the runtime';
  // the built-in kinds and a DeploymentConfig are validated with their pod template (openshift-apiserver reuses
  // ValidatePodTemplateSpec); a Rollout's CRD schema does not check it, the ReplicaSets made from it are refused
  if (POD_TEMPLATE_KINDS.includes(String(m.kind)) && m.kind !== 'Rollout') return 'the API server refuses the object';
  if (m.kind === 'InferenceService') return 'the API server refuses the Deployment KServe makes from it, and the service never becomes ready';
  return `the API server refuses the pods made from the ${String(m.kind)}`;
}

/**
 * Label syntax the API validates outside metadata: a pod spec's nodeSelector and tolerations and a pod template's
 * labels (kubernetes pkg/apis/core/validation ValidatePodSpec and ValidatePodTemplateSpec, through apimachinery
 * ValidateLabels and ValidateLabelName), and a Kueue ResourceFlavor's nodeLabels, nodeTaints and tolerations
 * (kueue pkg/webhooks/resourceflavor_webhook.go ValidateResourceFlavor).
 */
export function specLabelProblems(m: Loose): Problem[] {
  if (m.kind === 'ResourceFlavor') {
    const spec = mapping(m.spec);
    const kueue = "Kueue's ResourceFlavor webhook refuses the object (and the ClusterQueues using the flavor stay inactive)";
    return [
      ...labelMapProblems({ field: 'spec.nodeLabels', map: spec.nodeLabels, refuser: kueue }),
      ...keyedListProblems(spec.nodeTaints, 'spec.nodeTaints', kueue),
      ...keyedListProblems(spec.tolerations, 'spec.tolerations', kueue),
    ];
  }
  const api = refusalOf(m);
  return writtenPodSpecs(m).flatMap(({ path, spec, labels, labelsAt }) => [
    ...(labels !== undefined && labelsAt ? labelMapProblems({ field: labelsAt, map: labels, refuser: api }) : []),
    ...labelMapProblems({ field: `${path}.nodeSelector`, map: spec.nodeSelector, refuser: api }),
    ...keyedListProblems(spec.tolerations, `${path}.tolerations`, api),
  ]);
}
