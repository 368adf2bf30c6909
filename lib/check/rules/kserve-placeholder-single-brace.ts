import { isMapping, Loose, mapping, mappings, text } from '../../manifests/access';
import { containerStrings, kserveRenders, singleBracePlaceholders } from '../kserve-placeholders';
import { Problem, Rule } from '../rule';

/** The option whose value a client sends back as the request's model (vLLM's OpenAI server; KServe's Python servers' --model_name). */
const SERVED_NAME_OPTION = /^--(served-model-name|served_model_name|model_name|model-name)=/;

export const kservePlaceholderSingleBrace: Rule = {
  id: 'kserve-placeholder-single-brace',
  title: 'a container KServe renders writes its placeholder with one brace ({.Name}): KServe leaves it as written, so the server gets the literal text',
  severity: 'error',
  appliesTo: ['ServingRuntime', 'ClusterServingRuntime', 'InferenceService'],
  premise:
    "a value of a container KServe renders with the service's metadata (a runtime's kserve-container or transformer-container, an InferenceService's model container) holds `{.Field…}` with one brace each side, its first field one of metav1.ObjectMeta's in any case (`{.Name}`, `{ .namespace }`, `{.Labels.team}`): Go's text/template starts an action only at `{{`, so ReplacePlaceholders renders nothing there and the container receives the braces and the dot; `--served-model-name={.Name}` makes vLLM serve the model as '{.Name}', and a client naming the service's model is told the model does not exist (404). A `{{…}}` placeholder is unrendered-placeholder's, a JSON value or a shell `${x}` is not read as one, and containers KServe does not render (a custom predictor's, a workload's) are not judged",
  example: "`--served-model-name={.Name}` in a ServingRuntime's args",
  fix: 'write the placeholder with two braces each side: {{.Name}}',
  source:
    'kserve pkg/controller/v1beta1/inferenceservice/utils/utils.go ReplacePlaceholders (text/template over the service\'s metav1.ObjectMeta, so only `{{ … }}` is an action: Go text/template/parse lex.go leftDelim "{{") and components/predictor.go (the kserve-container merged with the model, then rendered); vLLM serves the model under --served-model-name as given (vllm/entrypoints/openai/serving_models.py, "The model `…` does not exist." for another name)',
  scope: 'object',
  check(o) {
    const m = o.manifest;
    return containersOf(m).flatMap(({ name, container }): Problem[] => {
      if (!kserveRenders(m, name)) return [];
      return containerStrings(container, name).flatMap(({ where, value }) => singleBracePlaceholders(value).map((p) => problemOf(where, value, p)));
    });
  },
};

/** The containers of a runtime, or of a service (its model, merged into kserve-container, and its transformer's), with the name KServe knows them by. */
function containersOf(m: Loose): { name: string; container: Loose }[] {
  if (m.kind !== 'InferenceService') return mappings(mapping(m.spec).containers).map((c) => ({ name: text(c.name) ?? '', container: c }));
  const model = mapping(mapping(m.spec).predictor).model;
  const transformer = mappings(mapping(mapping(m.spec).transformer).containers).map((c) => ({ name: text(c.name) ?? '', container: c }));
  return [...(isMapping(model) ? [{ name: 'kserve-container', container: model }] : []), ...transformer];
}

/** The finding on one single-brace placeholder: what the server receives, and for a served model name what clients meet. */
function problemOf(where: string, value: string, p: { token: string; meant: string }): Problem {
  const served = SERVED_NAME_OPTION.test(value)
    ? `: the server takes '${value.split('=').slice(1).join('=')}' as the model's name, so a client that names the service's model is told it does not exist (404)`
    : '';
  return {
    message:
      `${where} holds '${value}': '${p.token}' has one brace each side, and KServe renders only Go template actions ({{ … }}) with the service's metadata, ` +
      `so it reaches the container as written${served}; write ${p.meant}`,
  };
}
