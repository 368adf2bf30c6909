import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { predictorModelOf } from '../runtime-selection';
import { autoSelectedRuntime } from '../auto-selected-runtime';
import { Platform } from '../platform';
import { customServingContainer } from '../serving-model';
import { Problem, Rule } from '../rule';

/**
 * KServe's Python model servers, each reading its arguments with the parser of kserve python/kserve/kserve/model_server.py
 * (its parents): huggingfaceserver, sklearnserver, xgbserver, lgbserver, pmmlserver, paddleserver (python/<server>/<server>/__main__.py).
 */
const KSERVE_PYTHON_SERVER = /(^|\/)kserve\/(huggingfaceserver|sklearnserver|xgbserver|lgbserver|pmmlserver|paddleserver)([:@]|$)/;

/** The name the model is served under when --model_name is not given (model_server.py: `--model_name`, default "model"). */
const DEFAULT_MODEL_NAME = 'model';

/**
 * The name --model_name gives in the args (argparse: written with underscores, `--model-name` is another, unknown
 * option parse_known_args leaves aside; the last one counts), '' where the args give none.
 */
function modelNameArg(args: readonly string[]): string {
  let named = '';
  args.forEach((a, i) => {
    if (a.startsWith('--model_name=')) named = a.slice('--model_name='.length);
    else if (a === '--model_name' && args[i + 1] !== undefined) named = args[i + 1];
  });
  return named;
}

/** The serving container's image and args as KServe runs them: the runtime's kserve-container (a ServingRuntime or ClusterServingRuntime of the tree) then the model's args, or the predictor's own container. */
interface ServedBy {
  readonly image: string;
  readonly args: readonly string[];
  /** The runtime that starts the server, where one of the tree does. */
  readonly runtime?: GraphObject;
  /** Whether the container's command replaces the image's entrypoint with something else than the server. */
  readonly otherCommand: boolean;
}

function otherCommand(container: Loose): boolean {
  const command = strings(container.command);
  return command.length > 0 && !command.some((w) => /server|python/.test(w));
}

/**
 * What the service's serving container runs, where the tree shows it: its runtime in the tree (the one it names, or the
 * one KServe auto-selects among the namespace's: autoSelectedRuntime), or its own container (customServingContainer).
 */
function servedBy(o: GraphObject, graph: ObjectGraph, platform: Platform): ServedBy | undefined {
  const model = predictorModelOf(o.manifest)?.spec;
  if (!model) {
    const own = customServingContainer(o.manifest);
    return own ? { image: text(own.image) ?? '', args: strings(own.args), otherCommand: otherCommand(own) } : undefined;
  }
  const name = text(model.runtime);
  const runtime =
    graph.runtimeOf(o.manifest) ?? (name ? graph.find('ClusterServingRuntime', name) : undefined) ?? autoSelectedRuntime(o.manifest, graph, platform);
  const container = mappings(mapping(runtime?.manifest.spec).containers).find((c) => c.name === 'kserve-container');
  if (!runtime || !container) return undefined;
  return {
    image: text(model.image) ?? text(container.image) ?? '',
    args: [...strings(container.args), ...strings(model.args)],
    runtime,
    otherCommand: otherCommand(strings(model.command).length ? model : container),
  };
}

/**
 * The services of the tree that a server serves under another name than theirs, with that name: the default 'model'
 * where no --model_name is given, or a literal --model_name of another name (`{{.Name}}`, which KServe renders to
 * the service's name, and other templates are not judged).
 */
function unnamed(o: GraphObject, graph: ObjectGraph, platform: Platform): (ServedBy & { readonly servedAs: string }) | undefined {
  const name = text(mapping(o.manifest.metadata).name);
  const served = servedBy(o, graph, platform);
  if (!name || !served || served.otherCommand || !KSERVE_PYTHON_SERVER.test(served.image)) return undefined;
  const given = modelNameArg(served.args);
  const servedAs = given || DEFAULT_MODEL_NAME;
  return servedAs === name || servedAs.includes('{{') || servedAs.includes('$(') ? undefined : { ...served, servedAs };
}

export const kserveModelNameDefault: Rule = {
  id: 'kserve-model-name-default',
  title:
    "an InferenceService runs a KServe Python model server (huggingfaceserver, sklearnserver, …) whose args give no --model_name, or another name than the service's: /v1/models/<service> answers 404",
  severity: 'error',
  appliesTo: ['InferenceService'],
  premise:
    "the service's serving container runs one of KServe's Python model servers (kserve/huggingfaceserver, sklearnserver, xgbserver, lgbserver, pmmlserver, paddleserver: the image of its ServingRuntime or ClusterServingRuntime of the tree — the one it names or, naming none, the ServingRuntime of its namespace KServe auto-selects for its model format — or of its own kserve-container (a sole or unnamed first container, which KServe's defaulter names so), the entrypoint not replaced by another command), and the runtime's args then the service's (KServe appends them; the last --model_name counts) give no --model_name (`--model-name` is not it: argparse's parse_known_args sets it aside) or a literal one other than the service's name; the server registers the model under the default name 'model' (or that name), so a request naming the service (KServe's URL /v1/models/<service>:predict, /v2/models/<service>/infer, the endpoint OpenShift AI shows, an OpenAI request's model) answers 404. " +
    "Not judged where the runtime is not in the tree (KServe's own runtimes pass --model_name={{.Name}}), the name is a template (`{{.Name}}` renders to the service's name), or it is the service's name; said once per runtime, on its first service",
  example:
    'a ServingRuntime running `kserve/huggingfaceserver:v0.15.2` without args, and an InferenceService `summarizer` on it whose args are `--backend=huggingface`',
  fix: "add `--model_name={{.Name}}` to the runtime's args, as KServe's own runtimes do (KServe renders it to the service's name), or `--model_name=<service>` to the service's args",
  source:
    'kserve/kserve python/kserve/kserve/model_server.py (the parser: --model_name default "model", "The name of the model used on the endpoint path"); python/huggingfaceserver/huggingfaceserver/__main__.py (parents=[kserve.model_server.parser]; the model registered as args.model_name) and the other servers\' __main__.py alike; config/runtimes/kserve-huggingfaceserver.yaml and the other ClusterServingRuntimes (args: --model_name={{.Name}}); pkg/controller/v1beta1/inferenceservice/utils ReplacePlaceholders ({{.Name}} is the service\'s name); pkg/apis/serving/v1beta1 predictor_model.go GetSupportingRuntimes (auto-selection) and predictor_custom.go CustomPredictor.Default; kserve/errors.py ModelNotFound (404)',
  check(o, { graph, platform }) {
    const served = unnamed(o, graph, platform);
    if (!served) return [];
    // one cause per runtime: said on the first service of the tree that runs on it
    const same = served.runtime ? graph.ofKind('InferenceService').filter((s) => unnamed(s, graph, platform)?.runtime === served.runtime) : [o];
    if (same[0] !== o) return [];
    const name = text(mapping(o.manifest.metadata).name) ?? '';
    const where = served.runtime
      ? `container 'kserve-container' of ${served.runtime.manifest.kind} '${text(mapping(served.runtime.manifest.metadata).name) ?? ''}'`
      : 'its container kserve-container';
    const others =
      same.length > 1
        ? ` (as do ${same.length - 1} more services on it: ${same
            .slice(1, 4)
            .map((s) => text(mapping(s.manifest.metadata).name))
            .join(', ')})`
        : '';
    const given =
      served.servedAs === DEFAULT_MODEL_NAME && !modelNameArg(served.args)
        ? `neither the runtime's args nor the service's give --model_name${others}: the server registers the model as '${DEFAULT_MODEL_NAME}' (kserve model_server.py default)`
        : `the args give --model_name=${served.servedAs}${others}: the server registers the model as '${served.servedAs}'`;
    const problem: Problem = {
      message:
        `${where} runs ${served.image}, and ${given}, not '${name}', ` +
        `so requests naming the service (/v1/models/${name}:predict, /v2/models/${name}/infer, an OpenAI request's "model": "${name}") get 404 ("Model with name ${name} does not exist"); ` +
        `set --model_name={{.Name}} in the runtime's args (KServe renders the service's name), or --model_name=${name} in the service's args`,
    };
    return [problem];
  },
};
