import { Loose, text } from '../manifests/access';
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
