import { Loose, mapping, mappings, stringMap, strings, text } from '../manifests/access';
import { INFERENCE_SERVICE_POD_LABEL } from '../k8s/keys';
import { ObjectGraph } from './graph';
import { podLabelsOf } from './pods';
import { podTemplatesOf } from './pod-templates';

/**
 * Values written as a switch rather than a name (`serving.kserve.io/inferenceservice: "true"`), read as marking "an
 * InferenceService's pod".
 */
const FLAG_WORD = /^(true|false|yes|no|on|off|enabled|disabled)$/i;

/**
 * An InferenceService's name as KServe's webhook admits it: a DNS-1035 label (kserve pkg/apis/serving/v1beta1
 * inference_service_validation.go validateInferenceServiceName, `[a-z]([-a-z0-9]*[a-z0-9])?`).
 */
const SERVICE_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** The labels an object gives itself and its pods (every pod template of a kind with several). */
function labelSets(m: Loose): Record<string, string>[] {
  return [stringMap(mapping(m.metadata).labels), stringMap(podLabelsOf(m)), ...podTemplatesOf(m).map((t) => stringMap(mapping(t.template.metadata).labels))];
}

/**
 * The value a selector asks of KServe's InferenceService label when it cannot be an InferenceService's name there:
 * KServe labels every pod and Service it makes for an InferenceService with `serving.kserve.io/inferenceservice:
 * <its name>` (kserve pkg/constants InferenceServicePodLabelKey; components/predictor.go, transformer.go,
 * explainer.go buildObjectMeta put it after the service's own labels, so it always holds the name). A value written as
 * a switch (`"true"`) or that no name can be, where no InferenceService of the tree in the namespaces has that name and
 * no object of the tree carries the pair itself, selects nothing KServe makes. Undefined otherwise.
 */
export function misvaluedServiceLabel(selector: unknown, namespaces: readonly (string | undefined)[] | undefined, graph: ObjectGraph): string | undefined {
  const s = mapping(selector);
  const single = mappings(s.matchExpressions).find((e) => text(e.key) === INFERENCE_SERVICE_POD_LABEL && e.operator === 'In' && strings(e.values).length === 1);
  const value = stringMap(s.matchLabels)[INFERENCE_SERVICE_POD_LABEL] ?? (single ? strings(single.values)[0] : undefined);
  if (value === undefined || (!FLAG_WORD.test(value) && SERVICE_NAME.test(value))) return undefined;
  const inScope = (ns: string | undefined) => namespaces === undefined || namespaces.includes(ns);
  const named = graph.ofKind('InferenceService').some((o) => text(mapping(o.manifest.metadata).name) === value && inScope(graph.namespaceOf(o.manifest)));
  const carried = graph.objects.some((o) => labelSets(o.manifest).some((l) => l[INFERENCE_SERVICE_POD_LABEL] === value));
  return named || carried ? undefined : value;
}

/** The reason said in messages: what KServe puts in the label, and why the value names nothing. */
export const serviceLabelReason = (value: string) =>
  `KServe sets ${INFERENCE_SERVICE_POD_LABEL} on the pods and Services it makes to the InferenceService's name, never to '${value}', and no InferenceService of the tree is named so`;
