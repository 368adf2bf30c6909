import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { modelRequests } from '../../manifests/model-requests';
import { serversAtHost } from '../request-servers';
import { selectorMatches } from '../argocd/label-selector';
import { buildCommandLine, containerPieces } from '../command-line';
import { inferencePools, poolGroup, poolIn, poolName } from '../epp-pools';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { containersOf, podLabelsOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { POOL_GROUP_ALPHA } from '../../catalog/epp-releases';

/** vLLM's demo server: the module run with `python -m`, or its file. */
const DEMO_MODULE = 'vllm.entrypoints.api_server';
const DEMO_FILE = /(^|\/)vllm\/entrypoints\/api_server\.py$/;

/** Whether the words run the demo server (not the OpenAI one, vllm.entrypoints.openai.api_server). */
function runsDemoServer(words: readonly string[]): boolean {
  return words.some((w, i) => (w === DEMO_MODULE && words[i - 1] === '-m') || DEMO_FILE.test(w));
}

/** The OpenAI-style paths a container's own probes ask: the demo server answers them 404. */
function openAiProbes(container: Loose): string[] {
  return ['startupProbe', 'readinessProbe', 'livenessProbe'].flatMap((k) => {
    const path = text(mapping(mapping(container[k]).httpGet).path);
    return path && /^\/(openai\/)?v1\//.test(path) ? [`${k} ${path}`] : [];
  });
}

/** The InferencePools of the tree that select the workload's pods: the picker and the gateway send them OpenAI requests. */
function selectingPools(graph: ObjectGraph, o: GraphObject): GraphObject[] {
  const labels = Object.fromEntries(Object.entries(podLabelsOf(o.manifest)).map(([k, v]) => [k, String(v)]));
  if (!Object.keys(labels).length) return [];
  const ns = graph.namespaceOf(o.manifest);
  return inferencePools(graph).filter((p) => {
    const selector = mapping(mapping(p.manifest.spec).selector);
    // v1alpha2 pools give the labels as a plain map; v1 as matchLabels
    const asSelector = poolGroup(p) === POOL_GROUP_ALPHA ? { matchLabels: selector } : selector;
    const matchLabels = mapping(mapping(asSelector).matchLabels);
    return Object.keys(matchLabels).length > 0 && poolIn(graph, p, [ns]) && selectorMatches(asSelector, labels) === true;
  });
}

/** The Services of the workload's namespace whose selector picks its pods. */
function selectingServices(graph: ObjectGraph, o: GraphObject, labels: Readonly<Record<string, string>>): string[] {
  const ns = graph.namespaceOf(o.manifest);
  return graph
    .ofKind('Service')
    .filter((svc) => graph.namespaceOf(svc.manifest) === ns)
    .filter((svc) => {
      const selector = Object.entries(mapping(mapping(svc.manifest.spec).selector));
      return selector.length > 0 && selector.every(([k, v]) => labels[k] === String(v));
    })
    .map((svc) => text(mapping(svc.manifest.metadata).name) ?? '');
}

/** Whether a path match of an HTTPRoute rule asks for OpenAI routes (/v1/…, KServe's /openai/v1/…). */
const OPENAI_PATH = /^\/(openai\/)?v1(\/|$)/;

/** The HTTPRoutes of the namespace whose rules match an OpenAI path and send it to a Service that selects the pods. */
function openAiRoutes(graph: ObjectGraph, o: GraphObject): string[] {
  const labels = Object.fromEntries(Object.entries(podLabelsOf(o.manifest)).map(([k, v]) => [k, String(v)]));
  if (!Object.keys(labels).length) return [];
  const services = new Set(selectingServices(graph, o, labels));
  const ns = graph.namespaceOf(o.manifest);
  return graph
    .ofKind('HTTPRoute')
    .filter((r) => graph.namespaceOf(r.manifest) === ns)
    .flatMap((r) =>
      mappings(mapping(r.manifest.spec).rules).flatMap((rule) => {
        const path = mappings(rule.matches)
          .map((m) => text(mapping(m.path).value))
          .find((v) => v !== undefined && OPENAI_PATH.test(v));
        const backend = mappings(rule.backendRefs).find((b) => (b.kind === undefined || b.kind === 'Service') && services.has(text(b.name) ?? ''));
        return path && backend
          ? [`HTTPRoute '${text(mapping(r.manifest.metadata).name) ?? ''}', which sends ${path} to Service '${text(backend.name) ?? ''}'`]
          : [];
      }),
    );
}

/** The kinds whose pods send requests read here: a smoke test or benchmark run once or on a schedule. */
const CLIENT_KINDS = ['Job', 'CronJob', 'Pod'];

/**
 * The OpenAI-style requests (model-requests.ts: a /v1 path with a model named) of the tree's scripts and READMEs, and of
 * its Jobs' and Pods' command lines, whose host reaches the workload through a Service of the tree.
 */
function openAiClients(graph: ObjectGraph, o: GraphObject): string[] {
  const reaches = (host: string, ns: string | undefined) => serversAtHost(graph, host, ns).some((s) => s.object === o);
  const scripts = graph.scriptModelRequests.filter((r) => reaches(r.host, undefined)).map((r) => `${r.script}:${r.line}, a request to ${r.host}`);
  const jobs = CLIENT_KINDS.flatMap((k) => graph.ofKind(k)).flatMap((client) => {
    const ns = graph.namespaceOf(client.manifest);
    const line = containersOf(client.manifest)
      .map(({ container }) => [...strings(container.command), ...strings(container.args)].join(' '))
      .join('\n');
    return modelRequests(line)
      .filter((r) => reaches(r.host, ns))
      .slice(0, 1)
      .map((r) => `${graph.id(client)}, a request to ${r.host}`);
  });
  return [...scripts, ...jobs];
}

/** What sends the demo server OpenAI-style traffic, in words; none when nothing in the tree does. */
function openAiSenders(o: GraphObject, graph: ObjectGraph, container: Loose): string[] {
  const kind = String(o.manifest.kind);
  const runtime =
    kind === 'ServingRuntime' || kind === 'ClusterServingRuntime' ? [`the KServe ${kind} serving it (clients of a KServe vLLM runtime call /v1/…)`] : [];
  const probes = openAiProbes(container).map((p) => `its ${p}`);
  const pools = selectingPools(graph, o).map(
    (p) => `InferencePool '${poolName(p)}', whose endpoint picker and gateway send /v1/… requests to the pods it selects`,
  );
  return [...runtime, ...probes, ...pools, ...openAiRoutes(graph, o), ...openAiClients(graph, o)];
}

export const vllmDemoServerOpenai: Rule = {
  id: 'vllm-demo-server-openai',
  title:
    "a container runs vLLM's demo server (python -m vllm.entrypoints.api_server), which serves only /generate and /health, while the tree sends it OpenAI-style /v1 requests",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS.filter((k) => k !== 'InferenceService' && k !== 'LLMInferenceService'), 'ServingRuntime', 'ClusterServingRuntime'],
  premise:
    "a container whose command line (its command and args, a shell script's words) runs vLLM's demo module vllm.entrypoints.api_server (`python -m vllm.entrypoints.api_server`, or the file vllm/entrypoints/api_server.py; not vllm.entrypoints.openai.api_server or `vllm serve`), and the tree sends it OpenAI-style traffic: the container is a KServe ServingRuntime's, a probe of its own asks a /v1/… (or /openai/v1/…) path, or an InferencePool of the tree selects its pods (the endpoint picker and the gateway route /v1/completions and /v1/chat/completions to them), or an HTTPRoute of its namespace matches a /v1/… path and sends it to a Service selecting its pods, or a request to a /v1/… path naming a model (a script's or README's curl or OpenAI client, a Job's or Pod's command line) reaches it through a Service of the tree",
  example: '`command: ["python3", "-m", "vllm.entrypoints.api_server"]` in a Deployment whose readinessProbe asks `path: /v1/models`',
  fix: 'run the OpenAI-compatible server (`vllm serve <model>`, or python3 -m vllm.entrypoints.openai.api_server) with the same options, or send the demo server its own /generate requests',
  source:
    'vllm-project/vllm vllm/entrypoints/api_server.py (its docstring: "NOTE: This API server is used only for demonstrating usage of AsyncEngine and simple performance benchmarks. It is not intended for production use. For production use, we recommend using our OpenAI compatible server."; its routes: /health and /generate only); vllm/entrypoints/openai/api_server.py (the /v1 routes); gateway-api-inference-extension (the InferencePool\'s pods receive the OpenAI API requests the gateway routes)',
  check(o, { graph }) {
    const runtime = o.manifest.kind === 'ServingRuntime' || o.manifest.kind === 'ClusterServingRuntime';
    const containers = runtime
      ? mappings(mapping(o.manifest.spec).containers).map((c) => ({ name: text(c.name) ?? '', container: c, init: false }))
      : containersOf(o.manifest);
    return containers.flatMap(({ name, container, init }): Problem[] => {
      if (init) return [];
      const words = buildCommandLine(containerPieces(container, `container '${name}'`)).words.map((w) => w.word);
      if (!runsDemoServer(words)) return [];
      const senders = openAiSenders(o, graph, container);
      if (!senders.length) return [];
      return [
        {
          message:
            `container '${name}' runs vLLM's demo server (${DEMO_MODULE}), which serves only /generate and /health ("not intended for production use"), ` +
            `but OpenAI-style requests reach it (${senders.join('; ')}): every /v1/… request is answered 404; ` +
            'run the OpenAI-compatible server (`vllm serve <model>` or python3 -m vllm.entrypoints.openai.api_server) with the same options',
        },
      ];
    });
  },
};
