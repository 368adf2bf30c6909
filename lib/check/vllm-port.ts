import { Loose, mapping, mappings, text } from '../manifests/access';
import { OPENDATAHUB_VLLM_IMAGE } from './command-line';
import { pythonInt, VllmArgs } from './vllm-args';

/** vLLM's OpenAI server port when no --port is given (vllm/entrypoints/openai/cli_args.py, FrontendArgs.port). */
export const VLLM_DEFAULT_PORT = 8000;

/**
 * The port KServe routes an InferenceService to when its serving container declares no containerPort
 * (pkg/constants: InferenceServiceDefaultHttpPort = "8080"; Knative Serving's default containerPort is 8080 too).
 */
export const KSERVE_DEFAULT_PORT = 8080;

/** A port and where it comes from, for messages. */
export interface PlacedPort {
  readonly port: number;
  readonly from: string;
}

/** vLLM's port when no --port is given: 8000, except on Open Data Hub's images, whose builds differ (an adapter entrypoint, a PORT variable): no verdict there. */
export function vllmDefaultPort(image: string | undefined): PlacedPort | undefined {
  return OPENDATAHUB_VLLM_IMAGE.test(image ?? '') ? undefined : { port: VLLM_DEFAULT_PORT, from: "vLLM's default, no --port given" };
}

/** The port vLLM listens on: given by --port, or the entrypoint's default. */
export interface ListenPort extends PlacedPort {
  readonly given: boolean;
}

/** Something that must reach vLLM on a port: the Service's target, or a probe. */
export interface PortTarget extends PlacedPort {
  /** How a message names it: `the readinessProbe`, `KServe's Service`. */
  readonly what: string;
  /** What it does with the port: `checks`, `targets`, `forwards to`. */
  readonly verb: string;
  /** What happens when it misses vLLM. */
  readonly consequence: string;
  /** The field to change to move it to another port. */
  readonly lever: string;
  /** A kubelet probe, which knocks on the pod's IP (any container of the pod may answer). */
  readonly probe?: boolean;
}

/**
 * The TCP port vLLM's OpenAI server listens on, from its arguments: the last --port (argparse keeps it), else
 * `unset` (the caller knows the default of the entrypoint). Undefined when it cannot be known or there is none: the
 * command line does not visibly start vLLM's server, --port comes from a variable, an env hook that may not reach vLLM
 * or an unread --config file, --uds is given (vLLM then ignores host and port, cli_args.py) or --headless (no API
 * server), or the value is no port.
 */
export function vllmListenPort(args: VllmArgs, unset: PlacedPort | undefined): ListenPort | undefined {
  if (!args.invoked || args.value('--uds') !== undefined || args.enabled('--headless') || args.unknown('--port')) return undefined;
  const given = args.occurrences('--port');
  const last = given[given.length - 1];
  if (!last) return unset && { ...unset, given: false };
  const port = pythonInt(last.value);
  return port !== undefined && port > 0 && port < 65536 ? { port, from: `--port=${last.value} in ${last.from}`, given: true } : undefined;
}

/** A probe's or a Service's port resolved against the container's ports: a number, or a port name; undefined otherwise. */
export function resolvePort(port: unknown, container: Loose): number | undefined {
  if (typeof port === 'number') return Number.isInteger(port) ? port : undefined;
  const name = text(port);
  if (!name) return undefined;
  const found = mappings(container.ports).find((p) => p.name === name);
  return typeof found?.containerPort === 'number' ? found.containerPort : undefined;
}

const PROBES: readonly [field: 'readinessProbe' | 'startupProbe' | 'livenessProbe', consequence: string][] = [
  ['readinessProbe', 'the pod never becomes Ready'],
  ['startupProbe', 'the start-up probe never passes and the kubelet restarts the container'],
  ['livenessProbe', 'the kubelet restarts the container over and over'],
];

/** The container's probes that knock on a TCP port (httpGet, tcpSocket), with the port resolved; a probe whose port does not resolve is left out. */
export function probeTargets(container: Loose, where: string): PortTarget[] {
  return PROBES.flatMap(([field, consequence]) => {
    const probe = mapping(container[field]);
    const handler = probe.httpGet !== undefined ? 'httpGet' : probe.tcpSocket !== undefined ? 'tcpSocket' : undefined;
    if (!handler) return [];
    const written = mapping(probe[handler]).port;
    const port = resolvePort(written, container);
    if (port === undefined) return [];
    const named = typeof written === 'string' ? ` (the port named ${written})` : '';
    const lever = `${where}.${field}.${handler}.port`;
    return [{ port, what: `the ${field}`, verb: 'checks', from: `${lever}${named}`, consequence, lever, probe: true }];
  });
}

/**
 * The port KServe's Service of an InferenceService's predictor targets: the serving container's first containerPort,
 * else 8080 (pkg/controller/v1beta1/inferenceservice/reconcilers/service/service_reconciler.go, createDefaultSvc:
 * TargetPort is Ports[0].ContainerPort, or InferenceServiceDefaultHttpPort when the container declares none).
 */
export function kserveServiceTarget(container: Loose, where: string): PortTarget {
  const first = mappings(container.ports)[0];
  const declared = typeof first?.containerPort === 'number' ? first.containerPort : undefined;
  return {
    port: declared ?? KSERVE_DEFAULT_PORT,
    what: "KServe's Service",
    verb: 'targets',
    from: declared !== undefined ? `${where}.ports[0].containerPort` : `KServe's default, ${where} declaring no containerPort`,
    consequence: 'requests to the service are refused',
    lever: declared !== undefined ? `${where}.ports[0].containerPort` : `a containerPort in ${where}.ports`,
  };
}

/**
 * The ports the pod's other containers declare: native sidecars (initContainers with restartPolicy Always) and
 * further containers. A probe knocks on the pod's IP, so a probe on such a port is answered by that container (the
 * routing sidecar of a decode pod listens on 8000 and forwards to vLLM on 8001), not refused.
 */
export function sidecarPorts(pod: Loose, serving: Loose): Set<number> {
  const sidecars = [
    ...mappings(pod.containers).filter((c) => c !== serving && c.name !== serving.name),
    ...mappings(pod.initContainers).filter((c) => c.restartPolicy === 'Always'),
  ];
  return new Set(sidecars.flatMap((c) => mappings(c.ports).map((p) => p.containerPort)).filter((p): p is number => typeof p === 'number'));
}

/** The targets that miss vLLM's port; probes on a port another container of the pod serves reach that container instead. */
export function missedTargets(vllm: PlacedPort, targets: readonly PortTarget[], answered: ReadonlySet<number> = new Set()): PortTarget[] {
  return targets.filter((t) => t.port !== vllm.port && !(t.probe && answered.has(t.port)));
}

/**
 * How to make them agree: move vLLM to the one port the targets share (`argsPlace` names where to add --port when
 * none is given), or move the targets to vLLM's port.
 */
export function agreeWords(vllm: ListenPort, missed: readonly PortTarget[], argsPlace: string): string {
  const ports = [...new Set(missed.map((t) => t.port))];
  const levers = `set ${missed.map((t) => t.lever).join(' and ')} to ${vllm.port}`;
  if (ports.length > 1) return `${levers}, where vLLM listens`;
  const move = vllm.given ? `set --port=${ports[0]} in ${vllm.from.replace(/^--port=\S+ in /, '')}` : `add --port=${ports[0]} to ${argsPlace}`;
  return `${move}, or ${levers}`;
}

/** `KServe's Service targets 8080 (…) and the readinessProbe checks 8080 (…): requests … and the pod never becomes Ready`. */
export function missedWords(missed: readonly PortTarget[]): string {
  const parts = missed.map((t) => `${t.what} ${t.verb} ${t.port} (${t.from})`);
  const consequences = [...new Set(missed.map((t) => t.consequence))];
  return `${parts.join(' and ')}: ${consequences.join(', and ')}`;
}
