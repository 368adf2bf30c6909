import { Loose, strings, text } from '../manifests/access';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { containersOf } from './pods';
import { selectedWorkloads } from './request-servers';
import { workloadVllmLines } from './workload-lines';

/**
 * The first path segments an LLM server serves every route of its API under, with a route of each to show: a request
 * whose path has lost that segment matches none of its routes.
 */
export interface LlmServerRoutes {
  readonly server: string;
  /** A prefix of the route's own a message suggests (/ollama). */
  readonly own: string;
  /** Each prefix (`/api`, `/v1`) with one route under it, as a message shows it. */
  readonly prefixes: Readonly<Record<string, string>>;
}

/**
 * The servers, each from its own routes:
 * - Ollama: server/routes.go (GenerateRoutes: /api/generate, /api/chat, /api/tags, … and the OpenAI routes
 *   /v1/chat/completions, /v1/models; only GET and HEAD / answer outside them).
 * - vLLM: vllm/entrypoints/openai/api_server.py (/v1/models, /v1/chat/completions, /v1/completions; outside /v1 only
 *   /health, /metrics, /tokenize, /version and the like).
 * - TGI: router/src/server.rs (/v1/chat/completions, /v1/completions, /v1/models; its own /generate is also reached as
 *   POST /, so only /v1 is judged).
 * LiteLLM's proxy serves its OpenAI routes with and without /v1 (proxy/proxy_server.py), so stripping /v1 before it
 * does no harm: not listed.
 */
const OLLAMA: LlmServerRoutes = { server: 'Ollama', own: '/ollama', prefixes: { '/api': '/api/tags', '/v1': '/v1/models' } };
const VLLM: LlmServerRoutes = { server: "vLLM's OpenAI server", own: '/vllm', prefixes: { '/v1': '/v1/models' } };
const TGI: LlmServerRoutes = { server: 'Text Generation Inference', own: '/tgi', prefixes: { '/v1': '/v1/chat/completions' } };

const OLLAMA_IMAGE = /(^|\/)ollama\/ollama([:@]|$)/;
const VLLM_IMAGE = /(^|\/)vllm\/vllm-openai([:@]|$)/;
const TGI_IMAGE = /(^|\/)huggingface\/text-generation-inference([:@]|$)/;

/** The LLM server a workload runs, by its containers' images or the programs they start. */
export function llmServerOf(m: Loose): LlmServerRoutes | undefined {
  if (workloadVllmLines(m).some((c) => c.args.invoked)) return VLLM;
  const containers = containersOf(m).filter((c) => !c.init);
  const words = (c: Loose) => [...strings(c.command), ...strings(c.args)].join(' ');
  const image = (c: Loose) => text(c.image) ?? '';
  if (containers.some(({ container: c }) => OLLAMA_IMAGE.test(image(c)) || /(^|\/|\s)ollama serve\b/.test(words(c)))) return OLLAMA;
  if (containers.some(({ container: c }) => VLLM_IMAGE.test(image(c)))) return VLLM;
  if (containers.some(({ container: c }) => TGI_IMAGE.test(image(c)) || /(^|\/|\s)text-generation-launcher\b/.test(words(c)))) return TGI;
  return undefined;
}

/** The LLM servers behind a Service of the tree, each with the workload that runs it. */
export function llmServersBehind(graph: ObjectGraph, service: string, ns: string | undefined): { workload: GraphObject; routes: LlmServerRoutes }[] {
  const found = graph.find('Service', service, ns);
  if (!found) return [];
  return selectedWorkloads(found, graph).flatMap((workload) => {
    const routes = llmServerOf(workload.manifest);
    return routes ? [{ workload, routes }] : [];
  });
}

/** A path prefix without its trailing slashes (`/api/` is `/api`; `/` stays). */
export const prefixOf = (path: string): string => path.replace(/(.)\/+$/, '$1');
