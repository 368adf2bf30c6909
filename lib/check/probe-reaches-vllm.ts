import { Loose, mapping, strings, text } from '../manifests/access';
import { buildCommandLine, containerPieces } from './command-line';
import { resolvePort, vllmDefaultPort, vllmListenPort } from './vllm-port';
import { VllmArgs } from './vllm-args';
import { isLoopbackHost, localAddressPorts } from './loopback';

/** Programs an exec probe runs to ask an HTTP server on the pod (curl, wget, a Python one-liner, netcat). */
const HTTP_CLIENT = /(^|[\s/;&|(])(curl|wget|python3?|nc|ncat)(\s|$)/;

/**
 * Whether a container's probe asks vLLM's server, so that model loading can make it fail: an httpGet, tcpSocket or
 * grpc probe on the port vLLM listens on (any, when that port is not known here), or an exec probe that calls an
 * HTTP client against the container's own address (on vLLM's port, when both are known). An exec probe running
 * anything else (`ray status`, a file test) and a probe on another port (another container's, a metrics side port)
 * pass or fail whatever vLLM is doing (the kubelet runs exec probes in the container and network probes against the
 * pod's IP: Kubernetes docs, "Configure Liveness, Readiness and Startup Probes").
 */
export function probeReachesVllm(probe: unknown, container: Loose): boolean {
  return probeReachesServer(probe, container, vllmPortOf(container));
}

/** Whether a container's probe asks its server listening on `server` (any port when undefined), as probeReachesVllm judges it. */
export function probeReachesServer(probe: unknown, container: Loose, server: number | undefined): boolean {
  const p = mapping(probe);
  const vllm = server;
  if (p.exec !== undefined) return execCallsVllm(strings(mapping(p.exec).command), vllm);
  const handler = ['httpGet', 'tcpSocket', 'grpc'].find((h) => p[h] !== undefined);
  if (!handler) return false;
  const target = mapping(p[handler]);
  const host = text(target.host);
  if (host && !isLoopbackHost(host)) return false;
  const port = resolvePort(target.port, container);
  return port === undefined || vllm === undefined || port === vllm;
}

/** The port the container's vLLM server listens on, when its command line says (see vllmListenPort). */
function vllmPortOf(container: Loose): number | undefined {
  const pieces = containerPieces(container, 'container');
  const args = VllmArgs.of(buildCommandLine(pieces).words);
  return vllmListenPort(args, vllmDefaultPort(pieces.image))?.port;
}

function execCallsVllm(command: readonly string[], vllm: number | undefined): boolean {
  const script = command.join(' ');
  if (!HTTP_CLIENT.test(script)) return false;
  // the addresses a probe run inside the container reaches the container's own server on
  const ports = localAddressPorts(script);
  if (!ports.length) return false;
  return vllm === undefined || ports.some((p) => p === undefined || p === vllm);
}
