import { mapping, text } from '../../manifests/access';
import { absentReference, NamedReference } from '../absent-reference';
import { REPOSITORY_PREMISE } from '../found-elsewhere';
import { GraphObject } from '../graph-object';
import { isLlmkubeService, llmkubeModels, LLMKUBE_SERVICE } from '../llmkube';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';
import { UNSEEN_INSTALLS_PREMISE } from '../tree-namespaces';

/** The Models an InferenceService names: spec.modelRef and, for a draft-model speculative decoding, its draftModelRef. */
function modelReferences(graph: ObjectGraph, o: GraphObject): NamedReference[] {
  const spec = mapping(o.manifest.spec);
  const ns = graph.namespaceOf(o.manifest);
  const candidates = llmkubeModels(graph, ns);
  const fields: [string, string | undefined, string][] = [
    ['spec.modelRef', text(spec.modelRef), 'Model not found'],
    ['spec.speculativeDecoding.draftModelRef', text(mapping(spec.speculativeDecoding).draftModelRef), 'draft Model not found'],
  ];
  return fields.flatMap(([field, name, said]) =>
    name
      ? [
          {
            field,
            kind: 'Model',
            name,
            ns,
            candidates,
            effect: `LLMKube's controller sets the InferenceService's phase Failed ("${said}") and makes no Deployment or Service for it`,
            fix: `name an inference.llmkube.dev Model of the InferenceService's namespace, or add it there (the controller looks only in that namespace)`,
          },
        ]
      : [],
  );
}

function modelProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  if (!isLlmkubeService(o)) return [];
  return modelReferences(graph, o).flatMap((ref) => absentReference(graph, o, ref));
}

export const llmkubeModelNotFound: Rule = {
  id: 'llmkube-model-not-found',
  title: 'an LLMKube InferenceService names a Model the tree does not hold in its namespace: the controller marks it Failed and never deploys it',
  severity: 'error',
  appliesTo: [LLMKUBE_SERVICE],
  premise:
    "an inference.llmkube.dev InferenceService whose spec.modelRef (or spec.speculativeDecoding.draftModelRef) names a Model that the tree does not hold in the InferenceService's namespace (LLMKube's Model of the same group; the Ollama operator's Model of another group does not count): " +
    'an error where the tree holds other LLMKube Models of that namespace or creates the namespace, naming the one a misspelt name most likely meant; else a warning (another delivery may make it); not judged: a name holding a template, a name a custom resource of the namespace begins' +
    UNSEEN_INSTALLS_PREMISE +
    REPOSITORY_PREMISE,
  example: "`modelRef: qwen25-7b-instruct` with the namespace's Model `name: qwen2-5-7b-instruct`",
  fix: 'name the Model the InferenceService should serve (metadata.name of a Model of its namespace), or add that Model',
  source:
    'defilantech/LLMKube internal/controller/inferenceservice_controller.go getModelForInferenceService (the Model of spec.modelRef in the InferenceService\'s namespace; NotFound sets phase Failed, "Model not found", and the reconcile stops before the Deployment) and getDraftModelForInferenceService; api/v1alpha1/inferenceservice_types.go (ModelRef, SpeculativeDecodingSpec.DraftModelRef)',
  check(o, { graph }) {
    return modelProblems(o, graph);
  },
};
