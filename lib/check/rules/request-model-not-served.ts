import { commaNameNote } from '../served-names';
import { Loose, mapping, stringMap, strings, stringsIn } from '../../manifests/access';
import { ModelRequest, modelRequests, ScriptModelRequest } from '../../manifests/model-requests';
import { GraphObject } from '../graph-object';
import { litellmBackendRequests } from '../litellm-config';
import { ObjectGraph } from '../graph';
import { podReferences } from '../pod-references';
import { containersOf, SERVICE_BACKEND_KINDS } from '../pods';
import { RequestServer, serversAtHost } from '../request-servers';
import { Problem, Rule } from '../rule';

/** The kinds whose pods send requests the rule reads: a smoke test or benchmark run once or on a schedule. */
const CLIENT_KINDS = ['Job', 'CronJob', 'Pod'];

/** The kinds a request's host reaches a vLLM server of: the workloads a Service selects, and KServe's services. */
const SERVER_KINDS = [...SERVICE_BACKEND_KINDS, 'InferenceService'];

/** The texts a client's containers run: each container's command line (its words joined), its env values, and the ConfigMaps its pod reads. */
function clientTexts(graph: ObjectGraph, m: Loose): { where: string; text: string }[] {
  const ns = graph.namespaceOf(m);
  const own = containersOf(m).flatMap(({ name, container, init }) => {
    const at = `${init ? 'init container' : 'container'} '${name}'`;
    const line = [...strings(container.command), ...strings(container.args)].join(' ');
    const env = [...strings((Array.isArray(container.env) ? container.env : []).map((e) => mapping(e).value))];
    return [{ where: `${at} command`, text: line }, ...env.map((text) => ({ where: `${at} env`, text }))];
  });
  const config = podReferences(m)
    .filter((r) => r.kind === 'ConfigMap')
    .flatMap((r) => {
      const map = graph.findAll('ConfigMap', r.name).find((c) => graph.namespaceOf(c.manifest) === ns);
      const data = mapping(map?.manifest.data);
      const keys = r.keys.some((k) => k === undefined) || !r.keys.length ? Object.keys(data) : (r.keys as string[]);
      return keys.flatMap((k) => stringsIn(data[k]).map((text) => ({ where: `ConfigMap ${r.name} key ${k}`, text })));
    });
  return [...own, ...config];
}

/** The one server a request's host reaches whose names the tree tells and that does not answer to the model; none when unknown or several may be meant. */
function refusingServer(graph: ObjectGraph, request: ModelRequest, namespace: string | undefined): (RequestServer & { names: readonly string[] }) | undefined {
  const servers = serversAtHost(graph, request.host, namespace);
  if (servers.length !== 1) return undefined;
  const [server] = servers;
  return server.names && server.names.length && !server.names.includes(request.model) ? { ...server, names: server.names } : undefined;
}

const quoted = (names: readonly string[]) => names.map((n) => `'${n}'`).join(', ');

/** The common tail of the messages: what vLLM answers, and the fix. */
const refused = (model: string, names: readonly string[] = []) =>
  `vLLM answers 404 ("The model \`${model}\` does not exist.")${commaNameNote(names, model)}: send one of the served names as the request's model, or add '${model}' to the server's --served-model-name`;

/** The requests the tree's scripts and READMEs send to each server that does not serve the model named. */
function scriptRequestsBy(graph: ObjectGraph): Map<GraphObject, { request: ScriptModelRequest; server: RequestServer & { names: readonly string[] } }[]> {
  return graph.once('request-model-not-served:scripts', () => {
    const by = new Map<GraphObject, { request: ScriptModelRequest; server: RequestServer & { names: readonly string[] } }[]>();
    for (const request of graph.scriptModelRequests) {
      const server = refusingServer(graph, request, undefined);
      if (server) by.set(server.object, [...(by.get(server.object) ?? []), { request, server }]);
    }
    return by;
  });
}

/**
 * The deployments of a LiteLLM config in a ConfigMap whose `openai/<name>` (or `hosted_vllm/<name>`) model is sent to
 * an api_base the tree serves with a vLLM server that does not answer to `<name>`: every request the proxy routes there fails.
 */
function litellmProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  if (o.manifest.kind !== 'ConfigMap') return [];
  const ns = graph.namespaceOf(o.manifest);
  return Object.entries(stringMap(o.manifest.data)).flatMap(([key, value]) =>
    litellmBackendRequests(key, value).flatMap((r) => {
      const server = refusingServer(graph, { host: r.host, model: r.model, line: 0 }, ns);
      if (!server) return [];
      return [
        {
          message:
            `data.${key} ${r.field} '${r.written}' makes the LiteLLM proxy ask ${r.host} for model '${r.model}', which reaches ${graph.id(server.object)} (${server.via}); it serves ${quoted(server.names)}, ` +
            `so the requests the proxy routes to this deployment fail: vLLM answers 404 ("The model \`${r.model}\` does not exist.")${commaNameNote(server.names, r.model)}; write the provider prefix and one of the served names (${r.written.split('/')[0]}/${server.names[0]}), or add '${r.model}' to the server's --served-model-name`,
        },
      ];
    }),
  );
}

export const requestModelNotServed: Rule = {
  id: 'request-model-not-served',
  title:
    "a request (a smoke-test Job's curl, an OpenAI client, a benchmark, a README's example, a LiteLLM proxy config's `openai/<name>` model) names a model the vLLM server it is sent to does not serve: vLLM answers 404",
  severity: 'error',
  appliesTo: [...new Set([...CLIENT_KINDS, ...SERVER_KINDS, 'ConfigMap'])],
  premise:
    'a request to an OpenAI-compatible path (/v1/…, KServe\'s /openai/v1/…, or a client\'s base URL ending in /v1; any URL of a benchmark client) names its model in a JSON body (`"model": "X"`), an OpenAI client\'s `model="X"`, or a benchmark client\'s `--model X` (vllm bench serve, benchmark_serving.py, guidellm; not when it passes --served-model-name); ' +
    "the request is read in a paragraph (lines up to a blank one) whose URLs reach one host, in a Job's, CronJob's or Pod's containers (command line, env values, the ConfigMaps its pod reads) or in a script or README of the tree; " +
    "or a LiteLLM proxy config in a ConfigMap (a key `*.yaml` with a model_list, also one a kustomize configMapGenerator makes) whose litellm_params.model is `openai/<name>` or `hosted_vllm/<name>` (LiteLLM sends `<name>` as the request's model) with a literal api_base URL; " +
    "the host is a Service of the tree (`name`, `name.ns`, `name.ns.svc…`) that selects one workload, whose vLLM containers' names the tree tells (--served-model-name, else the model, and --lora-modules adapters), or a KServe InferenceService's (`<isvc>`, `<isvc>-predictor`) whose runtime runs vLLM with names the tree tells (--served-model-name={{.Name}} renders to the service's name); " +
    'an error for a Job, CronJob or Pod of the tree (its request fails) and for a LiteLLM ConfigMap (every request the proxy routes to that deployment fails), a warning on the server for a script or README (the documented request fails). ' +
    "Not judged: a model or host written with a variable or placeholder, names the tree does not tell (a variable, a ConfigMap it lacks, adapters loaded at runtime), a host several servers may answer for (two Services or workloads, a Service and an InferenceService of one name), a host the tree does not serve (localhost after a port-forward, an external address), a script's host of one label that names servers in several namespaces",
  example:
    'a Job whose container runs `curl -sf http://qwen-api:8000/v1/completions` with `"model": "Qwen/Qwen2.5-7B-Instruct"` to a vLLM Deployment started with `--served-model-name, qwen`',
  fix: "send a model name the server serves (its --served-model-name, else its --model as written, or a LoRA adapter of --lora-modules; in a LiteLLM config, litellm_params.model `openai/<served name>`), or add the name to the server's --served-model-name",
  source:
    'vLLM entrypoints/openai/serving_engine.py _check_model and serving_models.py (a request\'s model must be a served model name, else the model path as given, or a LoRA adapter: otherwise 404 "The model `…` does not exist."); ' +
    'vLLM entrypoints/openai/cli_args.py (--served-model-name, nargs +); LiteLLM docs.litellm.ai/docs/proxy/configs and providers/openai_compatible, providers/vllm (litellm_params.model `openai/<name>` / `hosted_vllm/<name>`: the prefix picks the provider, `<name>` is the model sent to api_base); KServe python/huggingfaceserver and the OpenShift AI vLLM ServingRuntime templates (--served-model-name={{.Name}}, rendered by kserve pkg/controller/v1beta1/inferenceservice/utils ReplacePlaceholders)',
  check(o, { graph }) {
    const problems: Problem[] = litellmProblems(o, graph);
    if (CLIENT_KINDS.includes(String(o.manifest.kind))) {
      const ns = graph.namespaceOf(o.manifest);
      for (const { where, text } of clientTexts(graph, o.manifest)) {
        for (const request of modelRequests(text)) {
          const server = refusingServer(graph, request, ns);
          if (!server || server.object === o) continue;
          problems.push({
            message: `${where} (line ${request.line}) sends a request for model '${request.model}' to ${request.host}, which reaches ${graph.id(server.object)} (${server.via}); it serves ${quoted(server.names)}, so the request fails: ${refused(request.model, server.names)}`,
          });
        }
      }
    }
    for (const { request, server } of scriptRequestsBy(graph).get(o) ?? []) {
      problems.push({
        severity: 'warning',
        message: `${request.script}:${request.line} sends a request for model '${request.model}' to ${request.host}, which reaches this ${String(o.manifest.kind)} (${server.via}); it serves ${quoted(server.names)}, so the documented request fails: ${refused(request.model, server.names)}`,
      });
    }
    return problems;
  },
};
