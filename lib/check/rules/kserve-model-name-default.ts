import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { predictorModelOf } from '../runtime-selection';
import { Problem, Rule } from '../rule';

/**
 * KServe's Python model servers, each reading its arguments with the parser of kserve python/kserve/kserve/model_server.py
 * (its parents): huggingfaceserver, sklearnserver, xgbserver, lgbserver, pmmlserver, paddleserver (python/<server>/<server>/__main__.py).
 */
const KSERVE_PYTHON_SERVER = /(^|\/)kserve\/(huggingfaceserver|sklearnserver|xgbserver|lgbserver|pmmlserver|paddleserver)([:@]|$)/;

/** The name the model is served under when --model_name is not given (model_server.py: `--model_name`, default "model"). */
const DEFAULT_MODEL_NAME = 'model';

/** The option that names the model (argparse: written with underscores; `--model-name` is another, unknown option parse_known_args leaves aside). */
const MODEL_NAME_FLAG = /^--model_name(=|$)/;

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

/** What the service's serving container runs, where the tree shows it (its runtime in the tree, or its own container). */
function servedBy(o: GraphObject, graph: ObjectGraph): ServedBy | undefined {
  const model = predictorModelOf(o.manifest)?.spec;
  if (!model) {
    const own = mappings(mapping(mapping(o.manifest.spec).predictor).containers).find((c) => c.name === 'kserve-container');
    return own ? { image: text(own.image) ?? '', args: strings(own.args), otherCommand: otherCommand(own) } : undefined;
  }
  const name = text(model.runtime);
  const runtime = graph.runtimeOf(o.manifest) ?? (name ? graph.find('ClusterServingRuntime', name) : undefined);
  const container = mappings(mapping(runtime?.manifest.spec).containers).find((c) => c.name === 'kserve-container');
  if (!runtime || !container) return undefined;
  return {
    image: text(model.image) ?? text(container.image) ?? '',
    args: [...strings(container.args), ...strings(model.args)],
    runtime,
    otherCommand: otherCommand(strings(model.command).length ? model : container),
  };
}

/** The services of the tree that a server serves under the default name: the service's own name not given. */
function unnamed(o: GraphObject, graph: ObjectGraph): ServedBy | undefined {
  const name = text(mapping(o.manifest.metadata).name);
  const served = servedBy(o, graph);
  if (!name || name === DEFAULT_MODEL_NAME || !served || served.otherCommand || !KSERVE_PYTHON_SERVER.test(served.image)) return undefined;
  return served.args.some((a) => MODEL_NAME_FLAG.test(a)) ? undefined : served;
}

export const kserveModelNameDefault: Rule = {
  id: 'kserve-model-name-default',
  title:
    "an InferenceService runs a KServe Python model server (huggingfaceserver, sklearnserver, …) whose args give no --model_name: it serves the model as 'model', not under the service's name",
  severity: 'warning',
  appliesTo: ['InferenceService'],
  premise:
    "the service's serving container runs one of KServe's Python model servers (kserve/huggingfaceserver, sklearnserver, xgbserver, lgbserver, pmmlserver, paddleserver: the image of its ServingRuntime or ClusterServingRuntime of the tree, or of its own kserve-container, the entrypoint not replaced by another command), and neither the runtime's args nor the service's (KServe appends them) give --model_name (`--model-name` is not it: argparse's parse_known_args sets it aside); the server registers the model under the default name 'model', so a request naming the service (KServe's URL /v1/models/<service>:predict, /v2/models/<service>/infer, an OpenAI request's model) answers 404. " +
    "A warning: a client may call the model 'model'. Not judged where the runtime is not in the tree (KServe's own runtimes pass --model_name={{.Name}}) or the service is named 'model'; said once per runtime, on its first service",
  example:
    'a ServingRuntime running `kserve/huggingfaceserver:v0.15.2` without args, and an InferenceService `summarizer` on it whose args are `--backend=huggingface`',
  fix: "add `--model_name={{.Name}}` to the runtime's args, as KServe's own runtimes do (KServe renders it to the service's name), or `--model_name=<service>` to the service's args",
  source:
    'kserve/kserve python/kserve/kserve/model_server.py (the parser: --model_name default "model", "The name of the model used on the endpoint path"); python/huggingfaceserver/huggingfaceserver/__main__.py (parents=[kserve.model_server.parser]; the model registered as args.model_name) and the other servers\' __main__.py alike; config/runtimes/kserve-huggingfaceserver.yaml and the other ClusterServingRuntimes (args: --model_name={{.Name}}); pkg/controller/v1beta1/inferenceservice/utils ReplacePlaceholders ({{.Name}} is the service\'s name); kserve/errors.py ModelNotFound (404)',
  check(o, { graph }) {
    const served = unnamed(o, graph);
    if (!served) return [];
    // one cause per runtime: said on the first service of the tree that runs on it
    const same = served.runtime ? graph.ofKind('InferenceService').filter((s) => unnamed(s, graph)?.runtime === served.runtime) : [o];
    if (same[0] !== o) return [];
    const name = text(mapping(o.manifest.metadata).name) ?? '';
    const where = served.runtime ? `${served.runtime.manifest.kind} '${text(mapping(served.runtime.manifest.metadata).name) ?? ''}'` : 'its kserve-container';
    const others =
      same.length > 1
        ? ` (as do ${same.length - 1} more services on it: ${same
            .slice(1, 4)
            .map((s) => text(mapping(s.manifest.metadata).name))
            .join(', ')})`
        : '';
    const problem: Problem = {
      message:
        `runs ${served.image} (${where}), and neither the runtime's args nor the service's give --model_name${others}: the server registers the model as '${DEFAULT_MODEL_NAME}' (kserve model_server.py default), not '${name}', ` +
        `so requests naming the service (/v1/models/${name}:predict, /v2/models/${name}/infer, an OpenAI request's "model": "${name}") get 404 ("Model with name ${name} does not exist"); ` +
        `add --model_name={{.Name}} to the runtime's args (KServe renders the service's name), or --model_name=${name} to the service's args`,
    };
    return [problem];
  },
};
