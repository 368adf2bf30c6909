import { isOperatorKind, lookAlikeKind } from '../k8s/kind-groups';
import type { GraphObject } from './graph-object';
import type { ObjectGraph } from './graph';

/** LLMKube's API group (defilantech/LLMKube api/v1alpha1 groupversion_info.go). */
export const LLMKUBE_GROUP = 'inference.llmkube.dev';

/** LLMKube's InferenceService, as the checks index it apart from KServe's (a rule applies to this name). */
export const LLMKUBE_SERVICE = lookAlikeKind('InferenceService', LLMKUBE_GROUP);

/** Whether an object is LLMKube's InferenceService. */
export const isLlmkubeService = (o: GraphObject): boolean => isOperatorKind(o.manifest, LLMKUBE_GROUP, 'InferenceService');

/** LLMKube's Models of a namespace (not the Ollama operator's Model, another group's kind of the name). */
export function llmkubeModels(graph: ObjectGraph, ns: string | undefined): GraphObject[] {
  return graph.ofKindAnyGroup('Model').filter((m) => isOperatorKind(m.manifest, LLMKUBE_GROUP, 'Model') && graph.namespaceOf(m.manifest) === ns);
}
