import { Loose, mappings, text } from '../../manifests/access';
import { EnvEntry } from '../command-line';
import { GraphObject } from '../graph-object';
import { knativeMode } from '../kserve-mode';
import { CheckContext, Problem, Rule } from '../rule';
import { vllmDefaultPort, vllmListenPort } from '../vllm-port';
import { workloadVllmLines } from '../workload-lines';

/** The port name Knative reads as HTTP/2 cleartext to the container (knative serving docs "Configuring the container port": h2c or http1). */
const H2C = 'h2c';

/**
 * Caikit's runtime images (caikit-tgis-serving, caikit-nlp, …): their HTTP server (caikit runtime http_server, run by
 * uvicorn, HTTP/1.1 only) listens on RUNTIME_HTTP_PORT, 8080 by caikit's config, unless RUNTIME_HTTP_ENABLED is false.
 */
const CAIKIT_IMAGE = /(^|\/)caikit[\w.-]*([:@]|$)/;
const CAIKIT_HTTP_PORT = 8080;

/** The HTTP/1-only server a container runs on a port: vLLM's OpenAI server (uvicorn), or caikit's HTTP server. */
function http1Server(container: Loose, env: readonly EnvEntry[], vllmPort: number | undefined): { name: string; port: number } | undefined {
  if (vllmPort !== undefined) return { name: "vLLM's OpenAI server (uvicorn, HTTP/1.1 only)", port: vllmPort };
  if (!CAIKIT_IMAGE.test(text(container.image) ?? '')) return undefined;
  const get = (n: string) => env.filter((e) => e.name === n).pop();
  if (get('RUNTIME_HTTP_ENABLED')?.value?.toLowerCase() === 'false') return undefined;
  const set = get('RUNTIME_HTTP_PORT');
  const port = set ? Number(set.value) : CAIKIT_HTTP_PORT;
  return Number.isInteger(port) ? { name: "caikit's HTTP server (uvicorn, HTTP/1.1 only)", port } : undefined;
}

/** How sure it is that Knative fronts the object's pods: an error, a warning, or not at all (raw deployment). */
function knativeFronts(o: GraphObject, ctx: CheckContext): { severity: 'error' | 'warning'; why: string } | undefined {
  const kind = o.manifest.kind;
  const users = kind === 'InferenceService' ? [o] : ctx.graph.servicesOf(o);
  const modes = users.map((i) => knativeMode(i.manifest, ctx.platform, ctx.graph));
  if (modes.includes('certain')) return { severity: 'error', why: 'Knative (the InferenceService runs in Serverless mode)' };
  if (users.length && !modes.includes('assumed')) return undefined;
  // no service of the tree uses the runtime: one that sets no mode runs on the cluster's default
  if (!users.length && !knativeMode({ kind: 'InferenceService', metadata: {} }, ctx.platform, ctx.graph)) return undefined;
  return { severity: 'warning', why: "Knative (where an InferenceService on it runs in Serverless mode, the cluster's default)" };
}

function judge(o: GraphObject, ctx: CheckContext): Problem[] {
  const lines = workloadVllmLines(o.manifest);
  const problems = lines.flatMap((l) => {
    const port = mappings(l.container.ports).find((p) => text(p.name) === H2C);
    if (!port) return [];
    const vllm = l.args.invoked ? vllmListenPort(l.args, vllmDefaultPort(text(l.container.image)))?.port : undefined;
    const server = http1Server(l.container, l.env, vllm);
    if (!server || Number(port.containerPort) !== server.port) return [];
    return [{ where: l.where, port: server.port, server: server.name }];
  });
  if (!problems.length) return [];
  const fronted = knativeFronts(o, ctx);
  if (!fronted) return [];
  return problems.map((p) => ({
    severity: fronted.severity,
    message:
      `${p.where}: port ${p.port} is named ${H2C}, so ${fronted.why} sends requests to it as HTTP/2 cleartext, but ${p.server} listens there: it cannot read the HTTP/2 preface and every request through the route fails (502, or "Invalid HTTP request received"); ` +
      `remove the name (or name it http1); keep ${H2C} for a gRPC or HTTP/2 port`,
  }));
}

export const portH2cOnHttp1Server: Rule = {
  id: 'port-h2c-on-http1-server',
  title: 'a container port named h2c in front of an HTTP/1-only server (vLLM, caikit HTTP) under Knative: every request fails',
  severity: 'error',
  appliesTo: ['ServingRuntime', 'ClusterServingRuntime', 'InferenceService'],
  premise:
    "a container of a ServingRuntime, ClusterServingRuntime or InferenceService names the port h2c, and that port is where an HTTP/1-only server listens: vLLM's OpenAI server (its --port, 8000 by default) or a caikit image's HTTP server (RUNTIME_HTTP_PORT, 8080 by default, unless RUNTIME_HTTP_ENABLED is false). " +
    "An error for an InferenceService, or a runtime an InferenceService of the tree runs in Serverless mode by annotation or the tree's default; a warning when the mode is the cluster's default or no service of the tree uses the runtime; nothing in raw deployment mode (no Knative)",
  example: 'a vLLM runtime started with `--port, "8080"` whose port is `containerPort: 8080` with `name: h2c`, used by a service in Serverless mode',
  fix: 'drop the name (or name the port http1); h2c is for gRPC and other HTTP/2 servers',
  source:
    'knative serving docs "Configuring the container port" (name h2c for HTTP/2 cleartext, http1 or unset for HTTP/1) and pkg/apis/serving/k8s_validation.go (the port names allowed); uvicorn docs (HTTP/1.1 and WebSockets only), which serves vLLM (vllm/entrypoints/openai/api_server.py serve_http) and caikit (caikit/runtime/http_server); opendatahub-io/caikit-tgis-serving caikit-tgis-servingruntime.yaml (HTTP on 8080 unnamed; h2c only on the gRPC variant\'s 8085)',
  check(o, ctx) {
    return judge(o, ctx);
  },
};
