import { mapping, strings, text } from '../../manifests/access';
import { mainContainerOf } from '../llm-pools';
import { llmTemplateData } from '../llm-placeholders';
import { servedNamesOf } from '../served-names';
import { Problem, Rule } from '../rule';

const FLAG = '--served-model-name';

/** The words of the main container as the tree writes them that give the served name (`--served-model-name={{.Name}}`, or the flag and the next word). */
function writtenServedName(container: unknown): string | undefined {
  const c = mapping(container);
  const words = [...strings(c.command), ...strings(c.args)];
  const i = words.map((w) => w.includes(FLAG)).lastIndexOf(true);
  if (i < 0) return undefined;
  const word = words[i];
  if (word === FLAG) return words[i + 1] !== undefined ? `${FLAG} ${words[i + 1]}` : undefined;
  const at = word.indexOf(FLAG);
  return word
    .slice(at)
    .split(/\s+(?=-)/)[0]
    .trim();
}

export const llmModelNameNotServed: Rule = {
  id: 'llm-model-name-not-served',
  title:
    "an LLMInferenceService's vLLM serves the model under names that leave out spec.model.name (--served-model-name={{.Name}}, the resource's name): requests naming the model get 404",
  severity: 'error',
  appliesTo: ['LLMInferenceService'],
  premise:
    "an LLMInferenceService that runs vLLM, whose main container (spec.template) passes --served-model-name in its own command or args, read after KServe's templating renders the service's fields into them ({{.Name}}, {{.ObjectMeta.Name}}, {{.Namespace}}, {{ .Spec.Model.Name }}; the last occurrence wins, as argparse keeps it, and the container's args come after the preset script's own --served-model-name), and the served names do not include spec.model.name (the service's name when it is not set): clients, the gateway's model routing and the MaaS model list name the model by spec.model.name. " +
    'Not judged: a name written with another template action or a variable, a service whose command line the tree does not show, names that spec.model.name is among',
  example:
    'an LLMInferenceService `name: nemo-mini` whose spec.model has `name: nemo-mini-instruct` and whose template container args hold `--served-model-name={{.Name}}`',
  fix: "write --served-model-name={{ .Spec.Model.Name }} (as KServe's presets do), or drop the option so the preset's serves spec.model.name; or set spec.model.name to the name the server uses",
  source:
    'kserve pkg/controller/v1alpha2/llmisvc/config_merge.go ReplaceVariables (the merged spec executed as a Go template with the LLMInferenceService as data: {{.Name}} is metadata.name) and config/llmisvcconfig/config-llm-template.yaml (vllm serve --served-model-name "{{ .Spec.Model.Name }}" … $@: the container\'s args come last); pkg/apis/serving/v1alpha2/llm_inference_service_defaults.go (spec.model.name defaults to the service\'s name); vLLM entrypoints/openai/serving_engine.py _check_model (a request for a model not served: 404 "The model `…` does not exist.")',
  check(o, ctx) {
    if (!ctx.graph.servingKindOf(o).startsWith('vllm')) return [];
    const command = ctx.graph.vllmCommand(o);
    if (!command || command.args.occurrences(FLAG).length === 0) return [];
    const names = servedNamesOf(command.args);
    const { modelName } = llmTemplateData(o.manifest, ctx.graph.namespaceOf(o.manifest));
    if (!names || !modelName || names.some((n) => n.includes('{{')) || names.includes(modelName)) return [];
    const written = writtenServedName(mainContainerOf(mapping(o.manifest.spec).template));
    const own = text(mapping(mapping(o.manifest.spec).model).name);
    const served = names.map((n) => `'${n}'`).join(', ');
    const problem: Problem = {
      message:
        `container 'main' gives ${written ?? FLAG}, which KServe renders so that vLLM serves ${served}, but spec.model.name is '${modelName}'${own ? '' : " (the service's name, unset)"}: ` +
        `clients, the gateway's model routing and the MaaS model list name the model '${modelName}', and vLLM answers their requests 404 ("The model \`${modelName}\` does not exist."); ` +
        `write --served-model-name={{ .Spec.Model.Name }}, or drop the option so the preset's serves spec.model.name`,
    };
    return [problem];
  },
};
