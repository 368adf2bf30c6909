import { Loose, mapping, mappings, text } from '../manifests/access';
import { containersOf } from './pods';
import { Problem } from './rule';
import { ListenPort, resolvePort, VLLM_DEFAULT_PORT, vllmListenPort } from './vllm-port';
import { workloadVllmLines } from './workload-lines';
import { PROMETHEUS_PORT_ANNOTATION } from '../k8s/keys';

/** A container that visibly serves vLLM's API on a known port, with what else of its pod may listen. */
export interface VllmServing {
  readonly where: string;
  readonly container: Loose;
  readonly listen: ListenPort;
  /** The ports the pod's other containers declare. */
  readonly others: ReadonlySet<number>;
  /** Another container of the pod declares no port: it may listen anywhere. */
  readonly undeclared: boolean;
}

/**
 * The containers of a workload that serve vLLM's OpenAI API on a known port: the last --port, else 8000 where the
 * program is `vllm serve` or the api_server module (vllm/entrypoints/openai/cli_args.py); vLLM serves /metrics on that
 * same port (api_server.py mounts the Prometheus app on the API server) and opens no metrics port of its own.
 */
export function vllmServings(m: Loose): VllmServing[] {
  const all = containersOf(m).filter((o) => !o.init || o.container.restartPolicy === 'Always');
  return workloadVllmLines(m).flatMap((c): VllmServing[] => {
    const listen = vllmListenPort(c.args, { port: VLLM_DEFAULT_PORT, from: "vLLM's default, no --port given" });
    if (!listen) return [];
    const others = all.filter((o) => o.container !== c.container);
    const ports = new Set(others.flatMap((o) => mappings(o.container.ports).map((p) => p.containerPort)).filter((p): p is number => typeof p === 'number'));
    return [{ where: c.where, container: c.container, listen, others: ports, undeclared: others.some((o) => !mappings(o.container.ports).length) }];
  });
}

/** The annotations of a workload's pods: its pod template's, or a Pod's own. */
function podAnnotations(m: Loose): Record<string, unknown> {
  const template = mapping(mapping(m.spec).template);
  return mapping(mapping(m.kind === 'Pod' ? m.metadata : template.metadata).annotations);
}

/** The finding on a scrape of a port vLLM does not open: an error unless another container of the pod may open it. */
export function unservedScrape(s: VllmServing, port: number, what: string, consequence: string): Problem | undefined {
  if (port === s.listen.port || s.others.has(port)) return undefined;
  const doubt = s.undeclared ? ' (unless another container of the pod, which declares no ports, listens there)' : '';
  return {
    ...(s.undeclared ? { severity: 'warning' as const } : {}),
    message:
      `${what} port ${port} for metrics, but ${s.where} runs vLLM, which serves /metrics on its API port ${s.listen.port} (${s.listen.from}) and opens no other${doubt}: ` +
      `${consequence}; scrape port ${s.listen.port}`,
  };
}

/** A workload whose pod annotation prometheus.io/port names a port its vLLM server does not open. */
export function annotatedScrapeProblems(m: Loose): Problem[] {
  const raw = podAnnotations(m)[PROMETHEUS_PORT_ANNOTATION];
  const port = typeof raw === 'number' ? raw : Number(text(raw));
  if (!Number.isInteger(port)) return [];
  const servings = vllmServings(m);
  if (servings.length !== 1) return [];
  const p = unservedScrape(
    servings[0],
    port,
    'the pod annotation prometheus.io/port names',
    "Prometheus' kubernetes-pods job scrapes the annotated port, the connection is refused and vLLM's metrics (and an autoscaler fed by them) are empty",
  );
  return p ? [p] : [];
}

/** Whether a Service port is for metrics: its name, or the named container port it targets, says so. */
export function metricsPort(servicePort: Loose, container: Loose): boolean {
  const named = [text(servicePort.name), typeof servicePort.targetPort === 'string' ? servicePort.targetPort : undefined];
  const target = resolvePort(servicePort.targetPort ?? servicePort.port, container);
  const declared = mappings(container.ports).find((p) => p.containerPort === target);
  return [...named, text(declared?.name)].some((n) => n !== undefined && /metric|prom/i.test(n));
}
