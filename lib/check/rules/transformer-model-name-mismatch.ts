import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Platform } from '../platform';
import { componentContainers } from '../pod-templates';
import { predictorModelOf } from '../runtime-selection';
import { Problem, Rule } from '../rule';

/** The placeholder KServe renders to the InferenceService's name in a runtime's args and env (utils ReplacePlaceholders). */
const NAME_PLACEHOLDER = '{{.Name}}';

/**
 * KServe's own ClusterServingRuntimes that serve the model under the InferenceService's name: the Python servers and
 * TensorFlow Serving pass `--model_name={{.Name}}` (config/runtimes/kserve-*.yaml); MLServer reads MLSERVER_MODEL_NAME,
 * which KServe's defaulter sets to the name. TorchServe and Triton serve the names of their model store or
 * repository, which the tree does not show.
 */
const NAMED_BY_SERVICE = new Set([
  'kserve-sklearnserver',
  'kserve-xgbserver',
  'kserve-lgbserver',
  'kserve-pmmlserver',
  'kserve-paddleserver',
  'kserve-huggingfaceserver',
  'kserve-tensorflow-serving',
  'kserve-mlserver',
]);

/** Model formats whose every runtime KServe auto-selects (upstream) is one of NAMED_BY_SERVICE. */
const AUTO_NAMED_FORMATS = new Set(['sklearn', 'xgboost', 'lightgbm', 'pmml', 'paddle', 'huggingface', 'tensorflow']);

/** The value of the last `--model_name` of a command line (`--model_name x` or `--model_name=x`, argparse's last wins). */
function modelNameArg(words: readonly string[]): string | undefined {
  let found: string | undefined;
  words.forEach((w, i) => {
    if (w.startsWith('--model_name=')) found = w.slice('--model_name='.length);
    else if (w === '--model_name') found = words[i + 1];
  });
  return found;
}

/** A literal value (no variable, no placeholder but the name's), the name's placeholder rendered. */
function literal(value: string | undefined, service: string): string | undefined {
  if (value === undefined) return undefined;
  const rendered = value.split(NAME_PLACEHOLDER).join(service);
  return /[$`{}]/.test(rendered) || !rendered ? undefined : rendered;
}

/** The literal MLSERVER_MODEL_NAME a container's env gives. */
const mlserverName = (c: Loose) => text(mappings(c.env).find((e) => text(e.name) === 'MLSERVER_MODEL_NAME')?.value);

/** The name the predictor's server registers the model under, and why, where the tree tells it. */
function servedName(o: GraphObject, graph: ObjectGraph, platform: Platform): { name: string; why: string } | undefined {
  const service = text(mapping(o.manifest.metadata).name) ?? '';
  const model = predictorModelOf(o.manifest)?.spec;
  if (!model) {
    const own = mappings(mapping(mapping(o.manifest.spec).predictor).containers).find((c) => c.name === 'kserve-container');
    const name = own ? literal(modelNameArg([...strings(own.command), ...strings(own.args)]), service) : undefined;
    return name === undefined ? undefined : { name, why: "the predictor container's --model_name" };
  }
  const own = literal(mlserverName(model), service) ?? literal(modelNameArg(strings(model.args)), service);
  if (own !== undefined) return { name: own, why: "the predictor model's own --model_name or MLSERVER_MODEL_NAME" };
  const runtime = graph.runtimeOf(o.manifest);
  if (runtime) {
    const c = mappings(mapping(runtime.manifest.spec).containers).find((x) => x.name === 'kserve-container');
    const name = c ? (literal(modelNameArg(strings(c.args)), service) ?? literal(mlserverName(c), service)) : undefined;
    return name === undefined ? undefined : { name, why: `runtime '${text(mapping(runtime.manifest.metadata).name) ?? ''}' names the model so` };
  }
  const named = text(model.runtime);
  if (named !== undefined)
    return NAMED_BY_SERVICE.has(named) ? { name: service, why: `KServe's ${named} serves it under the InferenceService's name` } : undefined;
  const format = text(mapping(model.modelFormat).name);
  if (platform !== 'kserve' || !AUTO_NAMED_FORMATS.has(format ?? '')) return undefined;
  return { name: service, why: `the runtime KServe selects for ${format} serves it under the InferenceService's name` };
}

function mismatch(o: GraphObject, graph: ObjectGraph, platform: Platform): Problem[] {
  const service = text(mapping(o.manifest.metadata).name) ?? '';
  const transformer = componentContainers(o.manifest).find((c) => c.where.startsWith('spec.transformer') && !c.init);
  const asked = transformer ? literal(modelNameArg([...strings(transformer.container.command), ...strings(transformer.container.args)]), service) : undefined;
  if (asked === undefined) return [];
  const served = servedName(o, graph, platform);
  if (!served || served.name === asked) return [];
  return [
    {
      message:
        `${transformer!.where} runs with --model_name ${asked}, and a KServe transformer forwards each request to the predictor under its own model name (/v1/models/${asked}:predict, /v2/models/${asked}/infer), ` +
        `while the predictor serves the model as '${served.name}' (${served.why}): the predictor answers 404 model not found and every request through the transformer fails; ` +
        `give the transformer --model_name ${served.name}, or name the predictor's model ${asked}`,
    },
  ];
}

export const transformerModelNameMismatch: Rule = {
  id: 'transformer-model-name-mismatch',
  title:
    "an InferenceService's transformer passes --model_name other than the name its predictor serves the model under: the transformer's calls to the predictor get 404",
  severity: 'warning',
  appliesTo: ['InferenceService'],
  premise:
    "an InferenceService's transformer container gives a literal --model_name (KServe's Python model server parser; the transformer registers its model under that name and calls the predictor at /v1/models/<name>:predict or /v2/models/<name>/infer), and the tree tells the name the predictor serves: the predictor model's own --model_name or MLSERVER_MODEL_NAME, else its runtime of the tree's kserve-container --model_name or MLSERVER_MODEL_NAME ({{.Name}} is the InferenceService's name), else the InferenceService's name for KServe's runtimes that pass it (kserve-sklearnserver, -xgbserver, -lgbserver, -pmmlserver, -paddleserver, -huggingfaceserver, -tensorflow-serving, -mlserver), named or auto-selected on upstream KServe for sklearn, xgboost, lightgbm, pmml, paddle, huggingface and tensorflow formats; or a custom predictor container's --model_name. A warning: a transformer may override predict() and call the predictor otherwise. Not judged: TorchServe and Triton (their model store or repository names the model), a variable or placeholder value",
  example:
    'an InferenceService `solubility-model` with an sklearn predictor on `runtime: kserve-mlserver` and a transformer started with `--model_name` `solubility`',
  fix: "make the transformer's --model_name the name the predictor serves (the InferenceService's name on KServe's runtimes), or name the predictor's model as the transformer does",
  source:
    "kserve python/kserve/kserve/model.py (Model.predict: the predictor URL /v1/models/{self.name}:predict or /v2/models/{self.name}/infer), python/kserve/kserve/model_server.py (--model_name); config/runtimes/kserve-*.yaml (--model_name={{.Name}}); pkg/apis/serving/v1beta1 predictor_sklearn.go, predictor_xgboost.go (MLSERVER_MODEL_NAME set to the InferenceService's name); pkg/controller/v1beta1/inferenceservice/utils ReplacePlaceholders; kserve/errors.py ModelNotFound (404)",
  check(o, { graph, platform }) {
    return mismatch(o, graph, platform);
  },
};
