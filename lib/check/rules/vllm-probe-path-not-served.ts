import { Loose, mapping, mappings, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { WORKLOAD_KINDS } from '../pods';
import { MULTI_POD_KINDS } from '../pod-templates';
import { Problem, Rule } from '../rule';
import { VllmArgs } from '../vllm-args';
import { resolvePort, vllmDefaultPort, vllmListenPort } from '../vllm-port';
import { workloadVllmLines } from '../workload-lines';

/**
 * The paths vLLM's OpenAI server answers a GET on with a success: its routes (vllm/entrypoints/openai/api_server.py:
 * /health, /ping, /load, /version, /v1/models; /metrics mounted by mount_metrics; /is_sleeping and /server_info in dev
 * mode) and the pages FastAPI adds (/docs, /docs/oauth2-redirect, /redoc, /openapi.json). Any other path is a 404 (or a
 * 405 for a POST-only route): a probe on it fails, since the kubelet takes only 200-399 as success.
 */
const SERVED_PATHS: ReadonlySet<string> = new Set([
  '/health',
  '/ping',
  '/load',
  '/version',
  '/v1/models',
  '/metrics',
  '/is_sleeping',
  '/server_info',
  '/docs',
  '/docs/oauth2-redirect',
  '/redoc',
  '/openapi.json',
]);

export const PROBES = ['startupProbe', 'livenessProbe', 'readinessProbe'] as const;

/** What the kubelet does on the probe's failures. */
export const CONSEQUENCE: Readonly<Record<(typeof PROBES)[number], string>> = {
  startupProbe: 'the start-up probe never passes and the kubelet restarts the container',
  livenessProbe: 'the kubelet restarts the container over and over',
  readinessProbe: 'the pod never becomes Ready and gets no traffic',
};

/** The path vLLM routes: the query string dropped, a trailing slash dropped (FastAPI redirects it, and the kubelet follows). */
function routedPath(path: string): string {
  const bare = path.split('?')[0];
  return bare.length > 1 ? bare.replace(/\/+$/, '') : bare;
}

/** Whether vLLM checks an API key: --api-key, or VLLM_API_KEY in the container's env (vllm/envs.py). */
function keyChecked(args: VllmArgs, container: Loose): boolean {
  return args.value('--api-key') !== undefined || mappings(container.env).some((e) => e.name === 'VLLM_API_KEY');
}

/** Why vLLM fails a probe's GET, when it does: the path is no route, or a /v1 route behind the API key without one. */
function refusal(get: Loose, keyed: boolean): 'unrouted' | 'unauthorised' | undefined {
  const routed = routedPath(text(get.path) ?? '/');
  if (!SERVED_PATHS.has(routed)) return 'unrouted';
  const authorised = mappings(get.httpHeaders).some((h) => String(h.name).toLowerCase() === 'authorization');
  return keyed && routed.startsWith('/v1/') && !authorised ? 'unauthorised' : undefined;
}

/** The problems of one container that runs vLLM's server: HTTP probes on vLLM's port at a path it does not serve, one per path. */
function probeProblems(container: Loose, args: VllmArgs, where: string): Problem[] {
  // --root-path serves behind a proxy that strips a prefix; a probe may then name the proxy's path
  if (args.value('--root-path') !== undefined) return [];
  const port = vllmListenPort(args, vllmDefaultPort(text(container.image)));
  if (!port) return [];
  const keyed = keyChecked(args, container);
  const failing = new Map<string, { why: 'unrouted' | 'unauthorised'; probes: (typeof PROBES)[number][] }>();
  for (const field of PROBES) {
    const get = mapping(mapping(container[field]).httpGet);
    if (!Object.keys(get).length || resolvePort(get.port, container) !== port.port) continue;
    const why = refusal(get, keyed);
    const path = text(get.path) ?? '/';
    if (why) failing.set(path, { why, probes: [...(failing.get(path)?.probes ?? []), field] });
  }
  return [...failing].map(([path, { why, probes }]) => {
    const fields = probes.map((f) => `${f}.httpGet.path`).join(', ');
    const outcome = probes.map((f) => CONSEQUENCE[f]).join('; ');
    return {
      message:
        why === 'unrouted'
          ? `${where} ${fields}: ${path} is no path vLLM's server (listening on ${port.port}) serves: it answers 404, so ${outcome}; probe /health (200 once the engine is up)`
          : `${where} ${fields}: vLLM checks an API key on every /v1 path and the probe on ${path} sends none: it answers 401, so ${outcome}; probe /health, which needs no key`,
    };
  });
}

/** A Knative Service (serving.knative.dev), whose spec.template is the pod template of its revisions. */
const isKnativeService = (m: Loose) => m.kind === 'Service' && String(m.apiVersion ?? '').startsWith('serving.knative.dev/');

/**
 * A Knative Service's revision pod as a Pod: Knative keeps the user container's HTTP probe paths (the queue-proxy runs or forwards them to it
 * at the same path), so a path vLLM does not serve fails there as under the kubelet.
 */
const knativePod = (m: Loose): Loose => ({ kind: 'Pod', metadata: m.metadata, spec: mapping(mapping(m.spec).template).spec });

function serviceProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  const container = graph.servingContainer(o);
  const args = graph.vllmCommand(o)?.args;
  return container && args?.invoked ? probeProblems(container, args, 'the serving container') : [];
}

export const vllmProbePathNotServed: Rule = {
  id: 'vllm-probe-path-not-served',
  title: "an HTTP probe on vLLM's port at a path vLLM's server does not serve (/v1/health, /healthz), or at a /v1 path without the API key vLLM checks",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS, 'Service'],
  premise:
    "a container that visibly starts vLLM's OpenAI server (its command, or an image whose entrypoint is known), whose port is known (the last --port, else 8000), with an httpGet start-up, liveness or readiness probe on that port: the path (its query and a trailing slash dropped) is none of vLLM's GET routes (/health, /ping, /load, /version, /v1/models, /metrics, dev mode's /is_sleeping and /server_info, FastAPI's /docs, /redoc, /openapi.json), or a /v1 path while --api-key or VLLM_API_KEY is set and the probe sends no Authorization header; " +
    'an InferenceService is judged on its runtime merged with its model container, a Knative Service on its revision template; not judged: --root-path (a proxy may strip a prefix), probes on another port (a sidecar answers there), tcpSocket and exec probes',
  example: '`livenessProbe: {httpGet: {path: /v1/health, port: 8000}}` on a vLLM container',
  fix: 'probe /health (it answers 200 once the engine is up, 503 when it died), which needs no API key',
  source:
    'vLLM vllm/entrypoints/openai/api_server.py (the routes; AuthenticationMiddleware checks the key only on paths starting with /v1); the kubelet counts an HTTP status from 200 to 399 as success (pkg/probe/http/http.go)',
  check(o, { graph }) {
    if (o.manifest.kind === 'InferenceService') return serviceProblems(o, graph);
    if (o.manifest.kind === 'Service' && !isKnativeService(o.manifest)) return [];
    return workloadVllmLines(isKnativeService(o.manifest) ? knativePod(o.manifest) : o.manifest)
      .filter((c) => c.args.invoked)
      .flatMap((c) => probeProblems(c.container, c.args, c.where));
  },
};
