import { mapping, mappings, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { poolSelector, serversAtHost, workloadsSelected } from '../request-servers';
import { commaNameNote, workloadServedNames, workloadSimulates } from '../served-names';
import { Problem, Rule } from '../rule';

/**
 * A header that carries the request's model: `x-model-id`, `x-model-name`, and `X-Gateway-Model-Name`, which the
 * Gateway API Inference Extension's body-based router sets from the body's "model" (gateway-api-inference-extension
 * pkg/bbr/handlers/request.go, modelHeader).
 */
const MODEL_HEADER = /^(x-)?([\w]+-)*model(-(id|name))?$/i;

/**
 * A header value that is a gateway's routing identity of a model, not the name its server answers to
 * (`publishers/<namespace>/models/<name>`, which KServe's LLMInferenceService model routing matches): not judged.
 */
const ROUTING_IDENTITY = /^publishers\/[^/]+\/models\//;

/** The InferencePool groups of the Gateway API Inference Extension (v1alpha2's x-k8s.io, v1's k8s.io). */
const POOL_GROUPS = ['inference.networking.x-k8s.io', 'inference.networking.k8s.io'];

/** The names every backend of a route rule serves, by backend; undefined when one backend or its names are not known here. */
function backendNames(graph: ObjectGraph, route: GraphObject, rule: Record<string, unknown>): { backend: string; names: string[] }[] | undefined {
  const ns = graph.namespaceOf(route.manifest);
  const refs = mappings(rule.backendRefs);
  if (!refs.length) return undefined;
  const out: { backend: string; names: string[] }[] = [];
  for (const ref of refs) {
    const name = text(ref.name);
    const kind = text(ref.kind) ?? 'Service';
    const group = text(ref.group) ?? '';
    const at = text(ref.namespace) ?? ns;
    if (!name) return undefined;
    let servers: { names?: readonly string[]; simulates?: boolean }[];
    if (kind === 'Service' && group === '') {
      servers = serversAtHost(graph, name, at);
    } else if (kind === 'InferencePool' && POOL_GROUPS.includes(group)) {
      const pool = graph.find('InferencePool', name, at);
      const workloads = pool ? workloadsSelected(graph, graph.namespaceOf(pool.manifest), poolSelector(pool)).workloads : [];
      servers = workloads.map((w) => ({ names: workloadServedNames(w.manifest), simulates: workloadSimulates(w.manifest) }));
    } else return undefined;
    if (!servers.length || servers.some((s) => !s.names || s.simulates)) return undefined;
    out.push({ backend: `${kind} ${at ? `${at}/` : ''}${name}`, names: servers.flatMap((s) => [...(s.names ?? [])]) });
  }
  return out;
}

/** The model names a rule's matches require in a model header, each with where it is written. */
function modelsMatched(rule: Record<string, unknown>, i: number): { model: string; header: string; field: string }[] {
  return mappings(rule.matches).flatMap((match, j) =>
    mappings(match.headers).flatMap((h, k) => {
      const header = text(h.name) ?? '';
      const value = text(h.value);
      // Exact is the default type (gateway-api apis/v1 httproute_types.go HTTPHeaderMatch.Type); a RegularExpression names no one model
      if (!value || !MODEL_HEADER.test(header) || (text(h.type) ?? 'Exact') !== 'Exact' || ROUTING_IDENTITY.test(value)) return [];
      return [{ model: value, header, field: `spec.rules[${i}].matches[${j}].headers[${k}]` }];
    }),
  );
}

export const routeModelNotServed: Rule = {
  id: 'route-model-not-served',
  title:
    'an HTTPRoute rule matches a model header (x-model-id, X-Gateway-Model-Name) and sends it to backends none of which serves that model: vLLM answers 404',
  severity: 'warning',
  appliesTo: ['HTTPRoute'],
  premise:
    "an HTTPRoute rule whose match requires a header naming the model (x-model-id, x-model-name, X-Gateway-Model-Name, set from the body by the Inference Extension's body-based router) to equal a value (type Exact, the default), " +
    'and whose every backendRef is a Service of the tree selecting workloads (or an InferenceService KServe makes it for) or an InferencePool of the tree selecting workloads, each running vLLM with names the tree tells (--served-model-name, else the model, and --lora-modules adapters); ' +
    "none serves the value. A warning: the header is the client's, and the body's model may differ from it. Not judged: a backend or names the tree does not tell, llm-d's simulator (it loads adapters whenever asked), a RegularExpression match",
  example:
    'a rule matching header `x-model-id` equal to `meta-llama/Llama-3.1-8B-Instruct` whose backend Service selects a vLLM Deployment run with `--served-model-name` `qwen-chat`',
  fix: "match the name the backend serves (its --served-model-name, else its --model as written), send the rule to the backend that serves the model, or add the name to the backend's --served-model-name",
  source:
    'vLLM entrypoints/openai/serving_engine.py _check_model (a model not among --served-model-name, else the model, nor a LoRA adapter: 404 "The model `…` does not exist."); ' +
    'Gateway API apis/v1 httproute_types.go (HTTPRouteMatch.Headers, HTTPHeaderMatch.Type defaulting to Exact; every backendRef of a rule receives the matched requests); ' +
    'gateway-api-inference-extension body-based routing (pkg/bbr: the body\'s "model" copied into X-Gateway-Model-Name for header matches)',
  check(o, { graph }) {
    const problems: Problem[] = [];
    mappings(mapping(o.manifest.spec).rules).forEach((rule, i) => {
      const wanted = modelsMatched(rule, i);
      if (!wanted.length) return;
      const backends = backendNames(graph, o, rule);
      if (!backends) return;
      const served = new Set(backends.flatMap((b) => b.names));
      const list = backends.map((b) => `${b.backend} serves ${b.names.map((n) => `'${n}'`).join(', ')}`).join('; ');
      for (const w of wanted.filter((x) => !served.has(x.model)))
        problems.push({
          message:
            `${w.field} routes requests whose ${w.header} is '${w.model}', but ${list}: a request whose body names that model (as the header says) gets 404 from vLLM ("The model \`${w.model}\` does not exist.")${commaNameNote([...served], w.model)}; ` +
            `match a served name, route to the server of '${w.model}', or add it to --served-model-name`,
        });
    });
    return problems;
  },
};
