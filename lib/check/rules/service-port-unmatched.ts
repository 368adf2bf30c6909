import { mapping, mappings, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { containersOf } from '../pods';
import { selectedWorkloads } from '../request-servers';
import { knownListeners, modelServerContainers, platformListener } from '../listening-ports';
import { Problem, Rule } from '../rule';
import { MANAGER_DEFAULT_METRICS_PORT, workloadBoundPorts } from '../bound-ports';

/**
 * The ports the workload's serving containers declare, by number and by name: its containers and its native sidecars (init containers with restartPolicy Always, which run beside them for
 * the pod's life: KEP-753, Kubernetes 1.29+), not the init containers that run to completion before them.
 */
function declaredPorts(w: GraphObject): { numbers: Set<number>; names: Set<string> } {
  const containers = containersOf(w.manifest).filter((c) => !c.init || c.container.restartPolicy === 'Always');
  const ports = containers.flatMap((c) => mappings(c.container.ports));
  return {
    numbers: new Set(ports.map((p) => p.containerPort).filter((p): p is number => typeof p === 'number')),
    names: new Set(ports.map((p) => text(p.name)).filter((p): p is string => p !== undefined)),
  };
}

/** A target port as a number, when it is one (a number, or a string of digits). */
function numberOf(target: unknown): number | undefined {
  return typeof target === 'number' ? target : typeof target === 'string' && /^\d+$/.test(target) ? Number(target) : undefined;
}

/**
 * A number the Service targets on a workload. A containerPort is informational (Kubernetes API, Container.ports: "Not
 * specifying a port here DOES NOT prevent that port from being exposed"), and a numeric targetPort reaches the pod's
 * IP at that port whatever the containers declare: the Service misses only where nothing listens there. That is
 * certain where every serving container's program and ports are known (vLLM, listening-ports.ts) and none is the
 * number: an error. Otherwise a number none of the containers declares is a warning (the program may listen there
 * undeclared); a declared one is no finding. A model server of the table is model-server-port-not-served's to judge
 * where the Service selects one.
 */
function numberProblem(where: string, number: number, w: GraphObject, graph: ObjectGraph, modelServers: number): Problem | undefined {
  const { listeners, every } = knownListeners(w.manifest);
  if (listeners.some((l) => l.ports.some((p) => p.port === number))) return undefined;
  // a platform program listening beyond its declared ports (istiod, Knative's activator, an Istio gateway)
  if (platformListener(w.manifest, number) !== undefined) return undefined;
  const declared = declaredPorts(w);
  const bound = workloadBoundPorts(graph, w.manifest);
  // a port a container binds by its flags or configuration file is listened on, declared or not
  if (bound.some((b) => b.ports.some((p) => p.port === number))) return undefined;
  const moved = movedMetricsProblem(where, number, w, graph, bound, declared.numbers);
  if (moved) return moved;
  const only = [...declared.numbers].sort((a, b) => a - b).join(', ');
  if (every && !(modelServers === 1 && listeners.some((l) => !l.vllm))) {
    const runs = listeners.map((l) => `${l.where} runs ${l.program}, which listens on ${l.ports.map((p) => `${p.port} (${p.from})`).join(', ')}`).join('; ');
    const to = listeners.length === 1 && listeners[0].ports.length === 1 ? ` ${listeners[0].ports[0].port}` : ' the port the server listens on';
    return {
      failsIn: [w],
      message: `${where} is ${number}, but in ${graph.id(w)}, which the selector picks, ${runs}${declared.numbers.has(number) ? `, and its containerPort ${number} is a declaration, which opens no port` : ''}: nothing listens on ${number}, so the Service's connections are refused; set targetPort to${to}, or start the server on ${number}`,
    };
  }
  if (!declared.numbers.size || declared.numbers.has(number)) return undefined;
  return {
    message: `${where} is ${number}, but the containers of ${graph.id(w)} that the selector picks declare only ${only}; a containerPort is informational and the Service reaches whatever listens on ${number} in the pod, so check which port the program listens on: if nothing listens on ${number}, connections are refused; target that port, or correct the declaration`,
    severity: 'warning',
  };
}

/**
 * The Service targets controller-runtime's default metrics port (8080) while the manager binds its metrics elsewhere
 * (its --metrics-bind-address flag or the metrics.bindAddress of the configuration file it loads): certain where every
 * serving container binds its ports by such settings (no other program of the pod, a proxy sidecar, may listen there)
 * and none declares the number. The finding quotes the settings.
 */
function movedMetricsProblem(
  where: string,
  number: number,
  w: GraphObject,
  graph: ObjectGraph,
  bound: ReturnType<typeof workloadBoundPorts>,
  declared: ReadonlySet<number>,
): Problem | undefined {
  if (number !== MANAGER_DEFAULT_METRICS_PORT || declared.has(number) || !bound.length || bound.some((b) => !b.ports.length)) return undefined;
  const metrics = bound.flatMap((b) => b.ports.filter((p) => p.role === 'metrics').map((p) => ({ ...p, name: text(b.container.name) ?? 'unnamed' })));
  if (!metrics.length) return undefined;
  const binds = bound
    .map((b) => `container '${text(b.container.name) ?? 'unnamed'}' binds ${b.ports.map((p) => `${p.role} to ${p.port} (${p.from})`).join(', ')}`)
    .join('; ');
  return {
    failsIn: [w],
    message: `${where} is ${number}, but in ${graph.id(w)}, which the selector picks, ${binds}: the manager's metrics listen on ${metrics[0].port}, not on ${number} (controller-runtime's default, which the setting replaces), and no container declares or binds ${number}, so the Service's connections are refused; set targetPort to ${metrics[0].port}`,
  };
}

/**
 * A named target port a selected workload does not declare. The endpoint controller resolves a named port pod by pod
 * (podutil.FindPort) and leaves out a pod that lacks it, so where other selected workloads declare the name, the Service
 * has endpoints on theirs: a note that this workload gets none. Where none declares it, the Service has no endpoint.
 */
function namedPortMissing(where: string, target: string, w: GraphObject, servers: readonly GraphObject[], graph: ObjectGraph): Problem {
  if (servers.length) {
    return {
      severity: 'info',
      message: `${where} names the port '${target}', which no container of ${graph.id(w)} that the selector picks declares, while ${servers.map((s) => graph.id(s)).join(', ')} declare${servers.length === 1 ? 's' : ''} it: the Service's endpoints are those pods, and ${graph.id(w)}'s pods get none for this port; if they should serve it, name a containerPort '${target}', else keep them out of the selector`,
    };
  }
  return {
    // the connections refused are to the workload's pods: latent while it runs none
    failsIn: [w],
    message: `${where} names the port '${target}', which no container of ${graph.id(w)} that the selector picks declares: the Service gets no endpoint for it and its clients' connections are refused; name a containerPort '${target}' or target the number`,
  };
}

function portProblems(service: GraphObject, graph: ObjectGraph): Problem[] {
  const workloads = selectedWorkloads(service, graph);
  if (!workloads.length) return [];
  const declared = workloads.map(declaredPorts);
  const modelServers = modelServerContainers(workloads.map((w) => w.manifest));
  const ports = mappings(mapping(service.manifest.spec).ports);
  const out: Problem[] = [];
  for (const [i, port] of ports.entries()) {
    const target = port.targetPort ?? port.port;
    const where = `spec.ports[${i}]${port.targetPort === undefined ? '.port (the target when targetPort is unset)' : '.targetPort'}`;
    const number = numberOf(target);
    const servers = workloads.filter((_, k) => typeof target === 'string' && declared[k].names.has(target));
    for (const [k, w] of workloads.entries()) {
      if (typeof target === 'string' && number === undefined && !declared[k].names.has(target)) out.push(namedPortMissing(where, target, w, servers, graph));
      const p = number === undefined ? undefined : numberProblem(where, number, w, graph, modelServers);
      if (p) out.push(p);
    }
  }
  return out;
}

export const servicePortUnmatched: Rule = {
  id: 'service-port-unmatched',
  title:
    "a Service's target port that the pods it selects do not serve: a named port none declares (no endpoints), or a number their program does not listen on or they do not declare",
  severity: 'error',
  appliesTo: ['Service'],
  premise:
    'the Service has a selector and the tree holds the Deployments, StatefulSets, DaemonSets, ReplicaSets or Pods it selects in its namespace (a Service selects pods of its own namespace only; a manifest that gives none lands in the namespace it is applied into, so a Service left unset and a workload pinned to a namespace, or the reverse, are not compared); a named targetPort no selected container declares is an error (the endpoints controller finds no port of that name); where some selected workloads declare it and others do not, a note on those that do not (the name is resolved pod by pod: the Service has endpoints on the pods that declare it); hook Pods (helm.sh/hook, such as the `helm test` pods of a chart, or argocd.argoproj.io/hook) are no backends of any Service, as they run to completion; ' +
    "a number is judged against what listens, not what is declared (a containerPort is informational): an error where every serving container of the workload runs a program whose ports the check knows from its command line (vLLM's OpenAI server: its last --port, else 8000, read from the script a ConfigMap of the tree shows the container where its command runs one; with nothing started in the background) and none listens on the number, whether or not a container declares it; " +
    "an error where the number is 8080, controller-runtime's default metrics port, and every serving container binds its ports by flags or a configuration file, one binding its metrics elsewhere (--metrics-bind-address, or metrics.bindAddress of the controller-runtime configuration file its --config flag loads from a ConfigMap of the tree), none declaring or binding 8080; " +
    "a warning where a program is not known and no container declares the number (the program may listen there undeclared); no finding for a declared number, nor for a port a container binds by its flags (--metrics-bind-address, --metrics-addr, --health-probe-bind-address, --port, --listen-address) or by that configuration file (metrics.bindAddress, health.healthProbeBindAddress, webhook.port), nor for a number a platform program listens on beyond its declared ports (Istio's istiod: 8080, 15010, 15012, 15014, 15017; Knative's activator: 8008, 8012, 8013, 8112, 9090; an Istio gateway, Envoy started as `router`, on any port its Gateways configure); a model server of model-server-port-not-served's table (Triton, TGI, TEI, llama.cpp, Ollama, SGLang) in front of which the Service is alone is judged by that rule",
  example: '`targetPort: metrics` on a Service whose selected Deployment declares only the port `name: http`',
  fix: 'target the port the program listens on (by number, or by the name of a containerPort that declares it), or start the program on the port the Service targets; keep containerPort in step with the program',
  source:
    "Kubernetes endpointslice controller (pkg/controller/endpointslice, podutil.FindPort; the pods listed are those of the Service's namespace): a named targetPort resolves through each pod's own container ports and a pod without it gets no endpoint, while pods that have it do; helm pkg/release/hook.go (test and install hooks: pods that run to completion); a numeric one is used as is; Kubernetes API reference, Container.ports: \"Not specifying a port here DOES NOT prevent that port from being exposed\"; vLLM listens on --port, 8000 by default (vllm/entrypoints/openai/cli_args.py); controller-runtime pkg/manager (Options.Metrics.BindAddress, HealthProbeBindAddress, WebhookServer port), pkg/metrics/server (DefaultBindAddress :8080), pkg/config/v1alpha1 ControllerManagerConfigurationSpec (metrics.bindAddress, health.healthProbeBindAddress, webhook.port) and kubebuilder's scaffold cmd/main.go (--metrics-bind-address, --health-probe-bind-address; --config loading the file); istio pilot/cmd/pilot-discovery/app/cmd.go (the listen address defaults of istiod) and pilot/pkg/networking/core/gateway.go (the listeners of a gateway, from its Gateways); knative serving pkg/networking BackendHTTPPort, BackendHTTP2Port, BackendHTTPSPort (the ports of the activator)",
  check(o, { graph }) {
    // Knative's serving.knative.dev Service is another kind
    if (o.manifest.apiVersion !== 'v1') return [];
    return portProblems(o, graph);
  },
};
