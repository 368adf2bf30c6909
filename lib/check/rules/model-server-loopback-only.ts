import { Loose, mapping, mappings, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { BoundHost, boundHost, loopbackOnly, MODEL_SERVERS, RunningServer, runningServer } from '../model-servers';
import { SERVICE_BACKEND_KINDS } from '../pods';
import { MULTI_POD_KINDS } from '../pod-templates';
import { Problem, Rule } from '../rule';
import { resolvePort } from '../vllm-port';
import { workloadVllmLines } from '../workload-lines';
import { selectedWorkloads } from '../request-servers';
import { PROBES } from './vllm-probe-path-not-served';

/** A container whose model server binds a loopback address. */
interface LoopbackServer {
  readonly where: string;
  readonly container: Loose;
  readonly running: RunningServer;
  readonly bound: BoundHost;
}

function loopbackServers(m: Loose): LoopbackServer[] {
  return workloadVllmLines(m).flatMap((c): LoopbackServer[] => {
    if (c.args.invoked) return [];
    const image = text(c.container.image);
    const running = runningServer(c.line, c.env, image);
    const bound = running && boundHost(running, c.env, image);
    return running && bound && loopbackOnly(bound.host) ? [{ where: c.where, container: c.container, running, bound }] : [];
  });
}

// the host flag binds the HTTP port (Triton's gRPC and metrics ports have addresses of their own)
const opens = (s: LoopbackServer, port: number | undefined) => port !== undefined && s.running.ports.some((p) => p.role === 'http' && p.port === port);

/** The probes of the container that connect to the pod IP (httpGet or tcpSocket with no host) on a port the server opens. */
function probesReaching(s: LoopbackServer): string[] {
  return PROBES.flatMap((field) => {
    const probe = mapping(s.container[field]);
    const handler = probe.httpGet !== undefined ? 'httpGet' : probe.tcpSocket !== undefined ? 'tcpSocket' : undefined;
    if (!handler || text(mapping(probe[handler]).host)) return [];
    const port = resolvePort(mapping(probe[handler]).port, s.container);
    return opens(s, port) ? [`its ${field} on port ${port}`] : [];
  });
}

/** The Services of the tree that select the workload and send a port to one the server opens. */
function servicesReaching(o: GraphObject, graph: ObjectGraph, s: LoopbackServer): string[] {
  return graph.ofKind('Service').flatMap((svc) => {
    if (!selectedWorkloads(svc, graph).some((w) => w.manifest === o.manifest)) return [];
    const ports = mappings(mapping(svc.manifest.spec).ports)
      .map((p) => resolvePort(p.targetPort ?? p.port, s.container))
      .filter((p) => opens(s, p));
    return ports.length ? [`Service ${text(svc.manifest.metadata?.name) ?? '<unnamed>'} (to port ${ports[0]})`] : [];
  });
}

/** How to bind all addresses, in the server's own words. */
function fixOf(s: LoopbackServer): string {
  const spec = s.running.server.host;
  const port = s.running.ports.find((p) => p.role === 'http')?.port;
  if (spec?.envHostPort) return `set ${spec.env?.[0]}=0.0.0.0${port ? `:${port}` : ''}`;
  return `start it with ${spec?.flags[0] ?? '--host'} 0.0.0.0`;
}

function workloadProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  return loopbackServers(o.manifest).flatMap((s): Problem[] => {
    const reaching = [...probesReaching(s), ...servicesReaching(o, graph, s)];
    if (!reaching.length) return [];
    const guess = s.bound.certain ? '' : ` (unless the image sets ${s.running.server.host?.env?.[0] ?? 'another address'}, which the tree does not show)`;
    return [
      {
        ...(s.bound.certain ? {} : { severity: 'warning' as const }),
        message:
          `${s.where} runs ${s.running.server.name} bound to ${s.bound.host} (${s.bound.from})${guess}: it accepts connections from inside its own pod only, ` +
          `but ${reaching.join(' and ')} ${reaching.length > 1 ? 'connect' : 'connects'} to the pod's IP, where nothing listens, so the connections are refused (a probe fails, a Service has no ready endpoint); ${fixOf(s)}`,
      },
    ];
  });
}

export const modelServerLoopbackOnly: Rule = {
  id: 'model-server-loopback-only',
  title: 'a model server (llama.cpp, SGLang, Ollama, LocalAI, TGI, Triton) binds a loopback address while a probe or a Service reaches it on the pod IP',
  severity: 'error',
  appliesTo: [...SERVICE_BACKEND_KINDS, ...MULTI_POD_KINDS],
  premise:
    `a container starts one of ${MODEL_SERVERS.filter((s) => s.host)
      .map((s) => s.name)
      .join(
        ', ',
      )} (its program, or its image's entrypoint given args alone) bound to localhost, 127.0.0.0/8 or ::1: by its host flag or env variable, or by its default where it has one on loopback (llama.cpp's --host 127.0.0.1, SGLang's --host 127.0.0.1, Ollama's OLLAMA_HOST 127.0.0.1:11434); ` +
    "and an httpGet or tcpSocket probe with no host, or a Service selecting the workload, targets a port the server opens. The kubelet's probes and a Service's endpoints connect to the pod's IP, where nothing listens. " +
    "An error when the address is written in the container (a flag, a literal env value) or is a default no image changes (SGLang); a warning when it is the server's default and the image is not the server's own (llama.cpp's and Ollama's images set LLAMA_ARG_HOST=0.0.0.0 and OLLAMA_HOST=0.0.0.0:11434; a derived image may too). A server probed only by exec, or behind no Service, is not judged",
  example: '`command: [python3, -m, sglang.launch_server, --model-path, Qwen/Qwen2.5-7B-Instruct]` behind a Service on port 30000, with no `--host`',
  fix: 'bind all addresses: --host 0.0.0.0 (llama.cpp, SGLang), LLAMA_ARG_HOST=0.0.0.0, OLLAMA_HOST=0.0.0.0:11434, LocalAI ADDRESS=:8080',
  source: `each server's own source, named in lib/check/model-servers.ts: ${MODEL_SERVERS.filter((s) => s.host)
    .map((s) => s.source)
    .join(
      '; ',
    )}; Kubernetes: probes and Service endpoints use the pod IP (kubernetes.io docs, "Configure Liveness, Readiness and Startup Probes": host defaults to the pod IP)`,
  check(o, { graph }) {
    return workloadProblems(o, graph);
  },
};
