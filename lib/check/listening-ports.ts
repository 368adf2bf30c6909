import { Loose, strings, text } from '../manifests/access';
import { runningServer } from './model-servers';
import { containersOf } from './pods';
import { vllmServings } from './vllm-metrics-port';
import { workloadVllmLines } from './workload-lines';

/** A container whose program, and the ports it listens on, the checks know from its command line. */
export interface KnownListener {
  /** The container as messages name it: `container 'vllm'`. */
  readonly where: string;
  readonly container: Loose;
  /** The program: vLLM, or a model server of model-servers.ts (Triton, TGI, …). */
  readonly program: string;
  /** Whether it is vLLM's OpenAI server (judged here), not a model server of the table (model-server-port-not-served judges those). */
  readonly vllm: boolean;
  readonly ports: readonly { readonly port: number; readonly from: string }[];
}

/**
 * The programs a workload's pod visibly runs and the ports they listen on, as far as the command lines tell: vLLM's
 * OpenAI server (its last --port, else 8000: vllm-metrics-port.ts vllmServings) and the model servers of
 * model-servers.ts whose every port is read from literal words. A command line that starts a program in the
 * background (`&`) may run another listener beside it, so it tells nothing. `every`: each container that serves
 * for the pod's life (the containers, and native sidecars) is one of these, so nothing else of the pod listens.
 */
export function knownListeners(m: Loose): { listeners: KnownListener[]; every: boolean } {
  const lines = workloadVllmLines(m);
  const background = (container: Loose) => lines.some((l) => l.container === container && l.line.words.some((w) => w.word === '&'));
  const vllm = vllmServings(m)
    .filter((s) => !background(s.container))
    .map((s): KnownListener => ({ where: s.where, container: s.container, program: 'vLLM', vllm: true, ports: [s.listen] }));
  const servers = lines
    .filter((c) => !c.args.invoked && !background(c.container))
    .flatMap((c): KnownListener[] => {
      const running = runningServer(c.line, c.env, text(c.container.image));
      if (!running?.known || running.portUnread) return [];
      return [{ where: c.where, container: c.container, program: running.server.name, vllm: false, ports: running.ports }];
    });
  const listeners = [...vllm, ...servers];
  const serving = containersOf(m).filter((c) => !c.init || c.container.restartPolicy === 'Always');
  return { listeners, every: serving.length > 0 && serving.every((c) => listeners.some((l) => l.container === c.container)) };
}

/** How many containers of the workloads run a model server of the table (model-server-port-not-served judges a Service in front of exactly one). */
export function modelServerContainers(workloads: readonly Loose[]): number {
  return workloads.flatMap((m) => workloadVllmLines(m)).filter((c) => !c.args.invoked && runningServer(c.line, c.env, text(c.container.image)) !== undefined)
    .length;
}

/**
 * Platform programs whose upstream manifests declare fewer containerPorts than they listen on, known by their image:
 * the ports they listen on by default, or, for a gateway, every port (its listeners come from the Gateways its control
 * plane pushes, not from its command line).
 */
const PLATFORM_LISTENERS: readonly { image: RegExp; program: string; ports?: readonly number[]; router?: boolean }[] = [
  // istio pilot/cmd/pilot-discovery/app/cmd.go flag defaults: --httpAddr :8080, --grpcAddr :15010, --secureGRPCAddr
  // :15012, --monitoringAddr :15014, --httpsAddr :15017 (istiod's Service exposes 15012 and 15014 undeclared)
  { image: /(^|\/)istio\/pilot(:|@|$)|(^|\/)pilot(:|@|$)/, program: "Istio's istiod (pilot-discovery)", ports: [8080, 15010, 15012, 15014, 15017] },
  // knative serving pkg/networking (BackendHTTPPort 8012, BackendHTTP2Port 8013, BackendHTTPSPort 8112) and
  // cmd/activator: metrics 9090, profiling 8008
  { image: /\/serving\/cmd\/activator(:|@|$)/, program: "Knative's activator", ports: [8008, 8012, 8013, 8112, 9090] },
  // istio pilot-agent `proxy router`: an Istio gateway's Envoy listens on the ports of the Gateway servers istiod
  // pushes to it (pilot/pkg/networking/core/gateway.go), whatever its containerPorts declare
  { image: /(^|\/)proxyv2(:|@|$)/, program: 'an Istio gateway (Envoy started as `router`)', router: true },
];

/**
 * The platform program of the workload's pods (PLATFORM_LISTENERS) that listens on the port beyond what its containers
 * declare, as messages name it; undefined where none does.
 */
export function platformListener(m: Loose, port: number): string | undefined {
  for (const { container } of containersOf(m)) {
    const image = text(container.image) ?? '';
    const words = [...strings(container.command), ...strings(container.args)];
    const known = PLATFORM_LISTENERS.find((p) => p.image.test(image) && (!p.router || words.includes('router')));
    if (known && (known.router || known.ports?.includes(port))) return known.program;
  }
  return undefined;
}
