import { mapping, stringMap, text } from '../../manifests/access';
import { APP_NAME_LABEL, INFERENCE_SERVICE_POD_LABEL } from '../../k8s/keys';
import { selectorMatches } from '../argocd/label-selector';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { misvaluedServiceLabel, serviceLabelReason } from '../kserve-name-label';
import { llmWorkloadPodLabelSets } from '../operator-made';
import { policyTypesOf } from '../network-policies';
import { podLabelsOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';

/** A selector that selects every pod of the namespace: `podSelector: {}` (or none), nothing to match. */
function selectsAll(selector: unknown): boolean {
  const s = mapping(selector);
  return !Object.keys(mapping(s.matchLabels)).length && !(Array.isArray(s.matchExpressions) && s.matchExpressions.length);
}

/**
 * The pod templates of the tree in a namespace, with their labels (workloads; an InferenceService's pods are KServe's)
 * and, for an LLMInferenceService, the label sets KServe's controller adds to its workload pods (`sets`: a selector
 * matching any of them selects the pods).
 */
function podTemplatesIn(
  graph: ObjectGraph,
  namespace: string | undefined,
): { o: GraphObject; labels: Record<string, string>; sets: Record<string, string>[] }[] {
  return graph.objects
    .filter((o) => WORKLOAD_KINDS.includes(String(o.manifest.kind)) && o.manifest.kind !== 'InferenceService' && graph.namespaceOf(o.manifest) === namespace)
    .map((o) => {
      const labels = stringMap(podLabelsOf(o.manifest));
      if (o.manifest.kind !== 'LLMInferenceService') return { o, labels, sets: [labels] };
      const name = text(mapping(o.manifest.metadata).name) ?? '';
      // the name is the only label every release puts on the pods: the one a message may say they carry
      return { o, labels: { ...labels, [APP_NAME_LABEL]: name }, sets: llmWorkloadPodLabelSets(name).map((m) => ({ ...labels, ...m })) };
    });
}

/**
 * A pod the selector was plainly written for: one of its matchLabels values under another key (`app: vllm` against
 * `app.kubernetes.io/name: vllm`), or its key with another value.
 */
function meantFor(selector: unknown, labels: Record<string, string>): string | undefined {
  const wanted = Object.entries(stringMap(mapping(selector).matchLabels));
  for (const [key, value] of wanted) {
    const sameValue = Object.entries(labels).find(([k, v]) => v === value && k !== key);
    if (sameValue) return `${sameValue[0]}=${sameValue[1]}`;
    if (labels[key] !== undefined && labels[key] !== value) return `${key}=${labels[key]}`;
  }
  return undefined;
}

/** The policies of the namespace that select every pod and isolate it for one of the types, allowing nothing of that type. */
function defaultDenies(graph: ObjectGraph, policy: GraphObject, types: readonly string[]): { name: string; types: string[] }[] {
  const ns = graph.namespaceOf(policy.manifest);
  return graph
    .ofKind('NetworkPolicy')
    .filter((p) => p !== policy && graph.namespaceOf(p.manifest) === ns && selectsAll(mapping(p.manifest.spec).podSelector))
    .map((p) => {
      const spec = mapping(p.manifest.spec);
      const denied = policyTypesOf(p.manifest).filter(
        (t) => types.includes(t) && !(Array.isArray(spec[t.toLowerCase()]) && (spec[t.toLowerCase()] as unknown[]).length),
      );
      return { name: text(mapping(p.manifest.metadata).name) ?? '', types: denied };
    })
    .filter((d) => d.types.length > 0);
}

function selectsNothing(o: GraphObject, graph: ObjectGraph): Problem[] {
  const selector = mapping(o.manifest.spec).podSelector;
  if (selectsAll(selector)) return [];
  const ns = graph.namespaceOf(o.manifest);
  const kserve = misvaluedServiceLabel(selector, [ns], graph);
  if (kserve !== undefined) return kservePodsUnselected(o, graph, kserve);
  const pods = podTemplatesIn(graph, ns);
  // with no pod template of the namespace in the tree, its pods come from elsewhere (a chart, an operator): not judged
  if (!pods.length || pods.some((p) => p.sets.some((labels) => selectorMatches(selector, labels) !== false))) return [];
  const denies = defaultDenies(graph, o, policyTypesOf(o.manifest));
  if (!denies.length) return [];
  const meant = pods.map((p) => ({ ...p, label: meantFor(selector, p.labels) })).find((p) => p.label !== undefined);
  const written = Object.entries(stringMap(mapping(selector).matchLabels)).map(([k, v]) => `${k}=${v}`);
  const deny = denies.map((d) => `NetworkPolicy '${d.name}' (podSelector {}, ${d.types.join(' and ')})`).join(', ');
  const isolated = meant ? graph.id(meant.o) : `the ${pods.length === 1 ? 'pod' : 'pods'} of ${pods.map((p) => graph.id(p.o)).join(', ')}`;
  return [
    {
      severity: meant ? 'error' : 'warning',
      message:
        `spec.podSelector${written.length ? ` ${written.join(', ')}` : ''} matches no pod template of namespace ${ns ?? '(default)'} in the tree` +
        (meant ? ` (${graph.id(meant.o)}'s pods carry ${meant.label})` : '') +
        `, while ${deny} isolates every pod of the namespace: policies only add allowances to the pods they select, so what this policy allows reaches no pod and ${isolated} ${meant ? 'gets' : 'get'} none of it` +
        (meant ? '' : ' (unless pods made outside the tree, by a chart or an operator, carry the labels)') +
        `: select the pods by the labels their template carries${meant ? ` (${meant.label})` : ''}`,
    },
  ];
}

/**
 * A policy selecting KServe's pods by a value of serving.kserve.io/inferenceservice that names no InferenceService
 * (misvaluedServiceLabel): it selects none of them, whatever the tree holds. An error where a default-deny of the
 * namespace isolates them (they get none of what it allows); with none, the policy only does nothing.
 */
function kservePodsUnselected(o: GraphObject, graph: ObjectGraph, value: string): Problem[] {
  const denies = defaultDenies(graph, o, policyTypesOf(o.manifest));
  if (!denies.length) return [];
  const deny = denies.map((d) => `NetworkPolicy '${d.name}' (podSelector {}, ${d.types.join(' and ')})`).join(', ');
  return [
    {
      severity: 'error',
      message:
        `spec.podSelector ${INFERENCE_SERVICE_POD_LABEL}=${value} selects no pod: ${serviceLabelReason(value)}. ${deny} isolates every pod of namespace ${graph.namespaceOf(o.manifest) ?? '(default)'}, ` +
        `so the InferenceServices' pods get none of what this policy allows and their traffic is dropped: select them by ${INFERENCE_SERVICE_POD_LABEL} Exists (or by name), or by component: predictor`,
    },
  ];
}

export const networkPolicySelectsNothing: Rule = {
  id: 'network-policy-selects-nothing',
  title: "a NetworkPolicy's podSelector matches no pod of its namespace while a default-deny isolates them all: the traffic it allows reaches no pod",
  severity: 'error',
  appliesTo: ['NetworkPolicy'],
  premise:
    "a NetworkPolicy whose podSelector is not empty matches none of the pod templates of its namespace in the tree (the tree has at least one there; an LLMInferenceService's workload pods count with the labels KServe's controller adds, by any of its releases: app.kubernetes.io/name <name> with part-of llminferenceservice and kserve.io/component: workload, or with app.kubernetes.io/component llminferenceservice-workload), and another NetworkPolicy of the namespace with `podSelector: {}` isolates them for a type this one allows (Ingress or Egress among its policyTypes, with no rule of that type); an error where a pod template of the namespace carries one of the selector's values under another key, or its key with another value (the selector was written for it), else a warning (pods a chart or an operator makes may carry the labels); a podSelector on KServe's serving.kserve.io/inferenceservice with a value that names no InferenceService (a switch word such as \"true\", or no valid name; KServe sets it to the InferenceService's name) where no InferenceService of the namespace has that name and no object of the tree carries the pair is an error beside such a default-deny, whatever pod templates the tree holds",
  example:
    '`podSelector: {matchLabels: {app: vllm}}` beside a `default-deny-all` with `podSelector: {}`, the vLLM pods labelled `app.kubernetes.io/name: vllm`',
  fix: 'select the pods by the labels their template carries (spec.template.metadata.labels)',
  source:
    "Kubernetes NetworkPolicy semantics (kubernetes.io/docs/concepts/services-networking/network-policies: a pod selected by any policy of a type is isolated for it, and policies are additive, each allowing traffic only to the pods it selects; k8s.io/api networking/v1 types.go PolicyTypes defaults); kube-linter's dangling-networkpolicy check (stackrox/kube-linter pkg/builtinchecks/yamls/dangling-networkpolicy.yaml) reports a podSelector that matches no pod; kserve pkg/constants InferenceServicePodLabelKey and components/predictor.go buildObjectMeta (the label holds the InferenceService's name); kserve pkg/controller/llmisvc workload.go GetWorkloadLabelSelector (the LLMInferenceService's workload pod labels)",
  check(o, { graph }) {
    return selectsNothing(o, graph);
  },
};
