import { MODEL_SERVICE_KIND, MODEL_SERVICE_PREMISE } from '../model-service-lines';
import { WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { servedModelNameWords } from '../served-names';
import { VllmArgs } from '../vllm-args';
import { invokedVllmProblems } from '../workload-lines';

/** Each name of --served-model-name that holds a comma between two parts (`chat,chat-7b`), written literally. */
function commaNames(args: VllmArgs): Problem[] {
  const names = servedModelNameWords(args) ?? [];
  return names
    .filter((n) => !n.includes('$') && !n.includes('{{') && n.split(',').filter((p) => p.trim()).length > 1)
    .map((name) => {
      const parts = name
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
      const from = args.words.find((w) => w.word === name || w.word.endsWith(`=${name}`))?.from ?? 'the command line';
      return {
        message:
          `--served-model-name '${name}' (${from}) is one name: vLLM takes the names of --served-model-name separated by blanks (argparse nargs='+') and never splits one at a comma, ` +
          `so it serves the model as '${name}' only, and a request for ${parts.map((p) => `'${p}'`).join(' or ')} gets 404 ("The model \`${parts[0]}\` does not exist."); ` +
          `write the names as separate words: \`--served-model-name ${parts.join(' ')}\` (the first is the name /v1/models lists and metrics carry)`,
      };
    });
}

export const vllmServedNameComma: Rule = {
  id: 'vllm-served-name-comma',
  title: "`--served-model-name a,b`: vLLM serves one model named 'a,b', not the names a and b",
  severity: 'warning',
  appliesTo: [...WORKLOAD_KINDS, MODEL_SERVICE_KIND],
  premise:
    "the service runs vLLM (or a container visibly starts vLLM's server) and its command line, as vLLM reads it (runtime args then the service's), gives --served-model-name a literal name holding a comma between two non-empty parts; a warning, as a client may send the whole name; where a consumer of the tree (a request, a route's header match, an InferenceModel, a LiteLLM config) names one of the parts and no server it reaches serves it, the consumer's own rule (request-model-not-served, route-model-not-served, inference-model-not-served) says so as an error, naming the comma; variables and placeholders are not judged" +
    MODEL_SERVICE_PREMISE,
  example: '`--served-model-name qwen,qwen2.5-7b` in the args of `vllm serve Qwen/Qwen2.5-7B-Instruct`',
  fix: 'write the names as separate words: `--served-model-name qwen qwen2.5-7b`',
  source:
    "vllm/engine/arg_utils.py EngineArgs.add_cli_args (--served-model-name: nargs='+', type str) and vllm/config ModelConfig.served_model_name; vllm/entrypoints/openai/serving_models.py (a request's model must equal a served name, else 404 \"The model `…` does not exist.\")",
  check(o, { graph }) {
    if (o.manifest.kind === 'InferenceService' || o.manifest.kind === 'LLMInferenceService') {
      const args = graph.vllmCommand(o)?.args;
      const kind = graph.servingKindOf(o);
      return args && (kind.startsWith('vllm') || (kind === 'custom-container' && args.invoked)) ? commaNames(args) : [];
    }
    return invokedVllmProblems(o.manifest, commaNames);
  },
};
