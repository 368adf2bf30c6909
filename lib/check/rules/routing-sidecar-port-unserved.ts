import { Loose, mappings, text } from '../../manifests/access';
import { buildCommandLine, containerPieces } from '../command-line';
import { MULTI_POD_KINDS, podTemplatesOf, templateContainers } from '../pod-templates';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { isRoutingSidecar, routingSidecarTarget } from '../routing-sidecar';
import { VllmArgs } from '../vllm-args';
import { ListenPort, vllmDefaultPort, vllmListenPort } from '../vllm-port';

interface PodContainer {
  readonly where: string;
  readonly container: Loose;
  readonly init: boolean;
}

/** The pods of a workload, each as its containers: the one pod of most kinds, each template of a kind of several. */
function podsOf(m: Loose): PodContainer[][] {
  const own = containersOf(m).map((c) => ({ where: `${c.init ? 'init container' : 'container'} '${c.name}'`, container: c.container, init: c.init }));
  if (own.length) return [own];
  return podTemplatesOf(m).map((t) => templateContainers(m, [t]).map((c) => ({ where: c.where, container: c.container, init: c.init })));
}

/** The containers that run beside the app: regular containers, and init containers with restartPolicy Always (native sidecars). */
const running = (c: PodContainer) => !c.init || text(c.container.restartPolicy) === 'Always';

/** Each other running container's verdict on the port: vLLM with the port it listens on, a container declaring ports, or unknown. */
function serverOf(c: PodContainer): { vllm?: ListenPort; declared?: number[] } | undefined {
  const args = VllmArgs.of(buildCommandLine(containerPieces(c.container, c.where)).words);
  if (args.invoked) {
    const vllm = vllmListenPort(args, vllmDefaultPort(text(c.container.image)));
    return vllm ? { vllm } : undefined;
  }
  const declared = mappings(c.container.ports)
    .map((p) => p.containerPort)
    .filter((p): p is number => typeof p === 'number');
  return declared.length ? { declared } : undefined;
}

function podProblems(pod: readonly PodContainer[]): Problem[] {
  const live = pod.filter(running);
  return live
    .filter((c) => isRoutingSidecar(c.container))
    .flatMap((sidecar): Problem[] => {
      const target = routingSidecarTarget(sidecar.container, sidecar.where);
      if (!target) return [];
      const others = live.filter((c) => c !== sidecar && !isRoutingSidecar(c.container)).map((c) => ({ c, server: serverOf(c) }));
      // a container whose port is not known may be the one listening there
      if (!others.length || others.some((o) => !o.server)) return [];
      const vllms = others.filter((o) => o.server?.vllm);
      if (!vllms.length) return [];
      if (others.some((o) => o.server?.vllm?.port === target.port || o.server?.declared?.includes(target.port))) return [];
      const listening = vllms.map((o) => `vLLM in ${o.c.where} listens on ${o.server?.vllm?.port} (${o.server?.vllm?.from})`).join('; ');
      const first = vllms[0].server?.vllm?.port;
      return [
        {
          message:
            `the routing sidecar ${sidecar.where} forwards every request to localhost:${target.port} (${target.from}), but ${listening}: ` +
            `nothing in the pod listens on ${target.port}, so each request the sidecar receives is refused and the decode pod never answers; ` +
            `give the sidecar --vllm-port=${first} (--model-server-port from llm-d-router v0.10) or start vLLM with --port=${target.port}`,
        },
      ];
    });
}

export const routingSidecarPortUnserved: Rule = {
  id: 'routing-sidecar-port-unserved',
  title: "llm-d's routing sidecar forwards to a port vLLM does not listen on: every request through the sidecar is refused",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS.filter((k) => !WORKLOAD_KINDS.includes(k))],
  premise:
    "a pod runs llm-d's routing sidecar (ghcr.io/llm-d/llm-d-routing-sidecar or llm-d-router-disagg-sidecar left to its entrypoint, or a command naming pd-sidecar) as a container or a native sidecar (an init container with restartPolicy: Always), and vLLM beside it; the sidecar forwards to localhost at --model-server-port, else --vllm-port, else its release's default (8001 in llm-d-routing-sidecar and in llm-d-router before v0.10.0, 8200 from v0.10.0; not judged on a tag that is no release or with a --configuration that may set it), and no container of the pod listens there: no vLLM's --port (else 8000) and no other container's containerPort; not judged when another container's port is not known",
  example: '`args: ["-port=8000"]` on image `ghcr.io/llm-d/llm-d-routing-sidecar:v0.2.0` beside vLLM started with `--port`, `"8200"`',
  fix: "give the sidecar --vllm-port (--model-server-port from llm-d-router v0.10) equal to vLLM's --port, or start vLLM on the port the sidecar forwards to",
  source:
    'llm-d/llm-d-routing-sidecar cmd/llm-d-routing-sidecar/main.go and llm-d/llm-d-inference-scheduler cmd/pd-sidecar/main.go (flag "vllm-port", default "8001"; the proxy targets http://localhost:<vllm-port>); llm-d/llm-d-router pkg/sidecar/proxy/options.go (--model-server-port over the deprecated --vllm-port over YAML configuration; defaultVLLMPort 8001, 8200 from v0.10.0, llm-d/llm-d-router#1723); vLLM listens on --port, 8000 by default (vllm/entrypoints/openai/cli_args.py)',
  check(o) {
    return podsOf(o.manifest).flatMap(podProblems);
  },
};
