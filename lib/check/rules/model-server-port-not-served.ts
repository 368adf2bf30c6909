import { Loose, mapping, mappings, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { MODEL_SERVERS, pathAmong, RunningServer, runningServer } from '../model-servers';
import { containersOf, SERVICE_BACKEND_KINDS } from '../pods';
import { MULTI_POD_KINDS } from '../pod-templates';
import { Problem, Rule } from '../rule';
import { resolvePort } from '../vllm-port';
import { workloadVllmLines } from '../workload-lines';
import { annotatedScrapeProblems, metricsPort, unservedScrape, vllmServings } from '../vllm-metrics-port';
import { selectedWorkloads } from '../request-servers';
import { CONSEQUENCE, PROBES } from './vllm-probe-path-not-served';

/** One container that runs a model server of the table, and the ports the other containers of its pod declare. */
interface ServerContainer {
  readonly where: string;
  readonly container: Loose;
  readonly running: RunningServer;
  readonly others: ReadonlySet<number>;
}

function serverContainers(m: Loose): ServerContainer[] {
  const all = containersOf(m);
  return workloadVllmLines(m).flatMap((c): ServerContainer[] => {
    if (c.args.invoked) return []; // vLLM: vllm-port-mismatch and vllm-probe-path-not-served judge it
    const running = runningServer(c.line, c.env, text(c.container.image));
    if (!running) return [];
    const others = new Set(
      all
        .filter((o) => o.container !== c.container && (!o.init || o.container.restartPolicy === 'Always'))
        .flatMap((o) => mappings(o.container.ports).map((p) => p.containerPort))
        .filter((p): p is number => typeof p === 'number'),
    );
    return [{ where: c.where, container: c.container, running, others }];
  });
}

const portsWords = (r: RunningServer) => r.ports.map((p) => `${p.role} ${p.port} (${p.from})`).join(', ');
const severityOf = (r: RunningServer): Pick<Problem, 'severity'> => (r.known ? {} : { severity: 'warning' });
const assumed = (r: RunningServer) => (r.known ? '' : " (its command line is not fully known: the ports are the server's defaults as far as the tree shows)");

/** The finding on one probe of a server container, if it misses: a port the server does not open, its metrics port, or a POST-only path. */
function probeProblem(s: ServerContainer, field: (typeof PROBES)[number]): Problem | undefined {
  const probe = mapping(s.container[field]);
  const handler = probe.httpGet !== undefined ? 'httpGet' : probe.tcpSocket !== undefined ? 'tcpSocket' : undefined;
  if (!handler) return undefined;
  const port = resolvePort(mapping(probe[handler]).port, s.container);
  if (port === undefined || s.others.has(port)) return undefined;
  const { server } = s.running;
  const opened = s.running.ports.find((p) => p.port === port);
  // a port the tree does not let us read may be the one the probe names
  if (!opened && s.running.portUnread) return undefined;
  const paths = server.healthPaths.filter((p) => !p.endsWith('/') || p === '/');
  const health = (field === 'readinessProbe' ? paths.find((p) => p.includes('ready')) : undefined) ?? paths[0] ?? '/';
  const http = s.running.ports.find((p) => p.role === 'http');
  const at = `${s.where} ${field}.${handler}`;
  if (!opened) {
    return {
      ...severityOf(s.running),
      message: `${at} checks port ${port}, where ${server.name} does not listen: it opens ${portsWords(s.running)}${assumed(s.running)}; the connection is refused, so ${CONSEQUENCE[field]}; probe ${http ? `${health} on ${http.port}` : 'a port the server opens'}`,
    };
  }
  if (handler !== 'httpGet') return undefined;
  const path = text(mapping(probe.httpGet).path) ?? '/';
  if (opened.role === 'metrics' && !pathAmong(path, ['/metrics'])) {
    return {
      message: `${at} asks ${path} on port ${port}, ${server.name}'s metrics port (${opened.from}), which serves only /metrics: it answers 404, so ${CONSEQUENCE[field]}; probe ${health} on the HTTP port${http ? ` ${http.port}` : ''}`,
    };
  }
  if (opened.role === 'http' && pathAmong(path, server.postOnly) && !pathAmong(path, server.healthPaths)) {
    return {
      message: `${at} asks GET ${path} on port ${port}, which ${server.name} routes for POST only: it answers 405, so ${CONSEQUENCE[field]}; probe ${health}`,
    };
  }
  return undefined;
}

function workloadProblems(m: Loose): Problem[] {
  const probes = serverContainers(m).flatMap((s) => PROBES.map((f) => probeProblem(s, f)).filter((p): p is Problem => p !== undefined));
  return [...probes, ...annotatedScrapeProblems(m)];
}

/** A Service port for metrics whose target is a port the one vLLM server it selects does not open. */
function vllmMetricsProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  const servings = selectedWorkloads(o, graph).flatMap((w) => vllmServings(w.manifest).map((s) => ({ w, s })));
  // the Service may select one workload built by several roots (a base and its overlay): each copy must miss the port
  return mappings(mapping(o.manifest.spec).ports).flatMap((p, i): Problem[] => {
    const found = servings.map(({ w, s }) => {
      const target = resolvePort(p.targetPort ?? p.port, s.container);
      const name = `${w.manifest.kind} ${text(w.manifest.metadata?.name) ?? '<unnamed>'}`;
      if (target === undefined || !metricsPort(p, s.container)) return undefined;
      return unservedScrape(s, target, `spec.ports[${i}] targets ${name} on`, 'a ServiceMonitor or scrape job on this Service port gets no answer');
    });
    // the scrape meets the workload's pods: latent while none of its copies runs one
    return found.length && found.every((f) => f !== undefined) && new Set(servings.map(({ w }) => w.manifest.metadata?.name)).size === 1
      ? [{ ...found[0], failsIn: servings.map(({ w }) => w) }]
      : [];
  });
}

/** A Service port whose target is a port the selected workload's model server does not open (and no other container declares). */
function serviceProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  const servers = selectedWorkloads(o, graph).flatMap((w) => serverContainers(w.manifest).map((s) => ({ w, s })));
  if (servers.length !== 1) return []; // one server behind the Service: with several, a port may be another's
  const { w, s } = servers[0];
  return mappings(mapping(o.manifest.spec).ports).flatMap((p, i): Problem[] => {
    const target = resolvePort(p.targetPort ?? p.port, s.container);
    if (target === undefined || s.others.has(target) || s.running.portUnread || s.running.ports.some((sp) => sp.port === target)) return [];
    const name = text(w.manifest.metadata?.name) ?? '<unnamed>';
    return [
      {
        ...severityOf(s.running),
        // the connections refused are the workload's pods': latent while it runs none
        failsIn: [w],
        message: `spec.ports[${i}] targets ${target} on ${w.manifest.kind} ${name}, whose ${s.where} runs ${s.running.server.name}, which opens ${portsWords(s.running)}${assumed(s.running)}: connections to the port are refused; set targetPort to the port the server opens for it, or start the server on ${target}`,
      },
    ];
  });
}

export const modelServerPortNotServed: Rule = {
  id: 'model-server-port-not-served',
  title:
    'a probe or Service targets a port a model server or LLM proxy (Triton, TGI, TEI, llama.cpp, Ollama, SGLang, LocalAI, LiteLLM) does not open, its metrics port, or a path it serves only for POST; or metrics are scraped from vLLM on a port other than its API port',
  severity: 'error',
  appliesTo: [...SERVICE_BACKEND_KINDS, ...MULTI_POD_KINDS, 'Service'],
  premise:
    `a container whose command starts one of ${MODEL_SERVERS.map((s) => s.name).join(', ')} (or whose image's entrypoint does, given args alone), its ports read from its flags, env and defaults: ` +
    "an httpGet or tcpSocket probe on a port the server does not open and no other container of the pod declares; an httpGet on Triton's metrics port at a path other than /metrics; a GET on a path the server routes for POST only (TGI's /, TEI's /embed; TEI answers GET / as health); a Service selecting one such workload whose targetPort the server does not open. " +
    'An error when the command line is fully known; a warning when a port comes from a derived image (which may set PORT) or from words a container may not read. vLLM is judged by vllm-port-mismatch and vllm-probe-path-not-served, ' +
    'except its metrics: vLLM serves /metrics on its API port (its last --port, else 8000) and opens no other, so a pod annotation prometheus.io/port or a Service port for metrics (named or targeting a port named metrics or prom…) selecting one vLLM server at another port, which no other container of the pod declares, is an error (a warning when another container declares no ports); not judged when --port comes from a variable, --uds or --headless',
  example: '`command: [tritonserver, --model-repository=/repo]` with `livenessProbe: {httpGet: {path: /v2/health/live, port: 8002}`',
  fix: "probe the server's health path on its HTTP port (Triton /v2/health/ready on 8000, TGI and TEI /health on --port), and point the Service at the ports the server opens",
  source: `each server's own source, named in lib/check/model-servers.ts: ${MODEL_SERVERS.map((s) => s.source).join('; ')}; vllm-project/vllm vllm/entrypoints/openai/api_server.py (mount_metrics: /metrics on the API server's app); Prometheus' example kubernetes-pods job (documentation/examples/prometheus-kubernetes.yml: the prometheus.io/port annotation replaces the scraped address's port)`,
  check(o, { graph }) {
    return o.manifest.kind === 'Service' ? [...serviceProblems(o, graph), ...vllmMetricsProblems(o, graph)] : workloadProblems(o.manifest);
  },
};
