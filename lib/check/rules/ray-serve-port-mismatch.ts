import { finite, Loose, mapping, mappings, stringMap, text } from '../../manifests/access';
import type { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';
import { parsedServeConfig } from '../ray-serve-config';

/** KubeRay's serve port: the Ray container's port of this name, else 8000 (ray-operator/controllers/ray/utils/constant.go ServingPortName, DefaultServingPort). */
const SERVING_PORT_NAME = 'serve';
const DEFAULT_SERVING_PORT = 8000;

/** The Ray container of a group: its first container (utils/constant.go RayContainerIndex = 0). */
const rayContainer = (group: unknown): Loose | undefined => mappings(mapping(mapping(mapping(group).template).spec).containers)[0];

/** The port KubeRay checks a Ray container's Serve proxy on (utils/util.go FindContainerPort(container, serve, 8000)). */
function servePort(container: Loose): { port: number | undefined; named: boolean } {
  const declared = mappings(container.ports).find((p) => text(p.name) === SERVING_PORT_NAME);
  return declared ? { port: finite(declared.containerPort), named: true } : { port: DEFAULT_SERVING_PORT, named: false };
}

/**
 * The worker groups whose pods KubeRay gives a readiness probe of the Serve proxy on their own serve port (common/pod.go
 * initReadinessProbeHandler: RayService workers without a readiness probe of their own), where it is not `listens`.
 */
function unreadyWorkers(m: Loose, listens: number): string[] {
  return mappings(mapping(mapping(m.spec).rayClusterConfig).workerGroupSpecs).flatMap((g, i) => {
    const c = rayContainer(g);
    if (!c || c.readinessProbe !== undefined) return [];
    const { port } = servePort(c);
    return port !== undefined && port !== listens ? [`${text(g.groupName) ?? `workerGroupSpecs[${i}]`} (${port})`] : [];
  });
}

/** The head's serve port is Serve's, a worker group's is not: its pods never pass KubeRay's readiness probe and take no traffic. */
function workersOnly(workers: string[], listens: number): Problem[] {
  if (!workers.length) return [];
  return [
    {
      severity: 'warning',
      message:
        `spec.serveConfigV2 sets http_options.port: ${listens}, and the head names it \`serve\`, but the Ray container of ${workers.join(', ')} does not: ` +
        `the readiness probe KubeRay gives RayService workers checks the Serve proxy (/-/healthz) on that container's serve port, so those workers never become Ready and the serve Service sends them no traffic; ` +
        `give their Ray containers the port \`- name: serve\` with \`containerPort: ${listens}\``,
    },
  ];
}

function mismatch(m: Loose, graph: ObjectGraph): Problem[] {
  const config = parsedServeConfig(m);
  const container = rayContainer(mapping(mapping(m.spec).rayClusterConfig).headGroupSpec);
  if (!config || container === undefined) return [];
  const written = mapping(config.http_options).port;
  if (written === undefined) return defaultPortMissed(m, container, graph);
  const listens = finite(written);
  if (listens === undefined) return [];
  const { port: target, named } = servePort(container);
  if (target === undefined) return [];
  if (target === listens) return workersOnly(unreadyWorkers(m, listens), listens);
  const name = text(mapping(m.metadata).name) ?? '<no name>';
  const head = `the head container '${text(container.name) ?? 'unnamed'}'`;
  const why = named ? `${head} names containerPort ${target} \`serve\`` : `${head} declares no port named \`serve\`, so KubeRay uses ${DEFAULT_SERVING_PORT}`;
  const workers = unreadyWorkers(m, listens);
  const alsoWorkers = workers.length
    ? `; the readiness probe KubeRay gives the worker pods checks the proxy on their own serve port too, so the workers of ${workers.join(', ')} never become Ready`
    : '';
  return [
    {
      message:
        `spec.serveConfigV2 sets http_options.port: ${listens}, but ${why}: the serve Service (${name}-serve-svc) and the operator's proxy health check (/-/healthz) target ${target} while Serve listens on ${listens}, ` +
        `so the head pod is never labelled ready to serve, the Service has no endpoints and the RayService never becomes ready${alsoWorkers}; ` +
        `give the Ray containers the port \`- name: serve\` with \`containerPort: ${listens}\`, or drop http_options.port (Serve then listens on 8000)`,
    },
  ];
}

/**
 * Ports Ray's own processes take on the head (ray python/ray/_private/ray_constants.py: GCS 6379, dashboard 8265, Ray
 * client 10001, the metrics export port 8080 KubeRay names, dashboard agent 52365): a Service on one of them is not
 * meant for Serve.
 */
const RAY_PORTS = new Set([6379, 8265, 10001, 8080, 52365]);

/** The labels a RayService's head pods carry: the template's, and those KubeRay adds (utils/constant.go RayNodeTypeLabelKey, RayClusterServingServiceLabelKey, RayIsRayNodeLabelKey, RayOriginatedFromCRNameLabelKey). */
function headLabels(m: Loose): Record<string, string> {
  const template = mapping(mapping(mapping(mapping(m.spec).rayClusterConfig).headGroupSpec).template);
  return {
    ...stringMap(mapping(template.metadata).labels),
    'ray.io/node-type': 'head',
    'ray.io/serve': 'true',
    'ray.io/is-ray-node': 'yes',
    'ray.io/originated-from-crd': 'RayService',
    'ray.io/originated-from-cr-name': text(mapping(m.metadata).name) ?? '',
  };
}

/** A port of a probe or Service as a number: written so, or the name of a port of the head pod's containers. */
function portNumber(port: unknown, containers: readonly Loose[]): number | undefined {
  if (typeof port === 'number') return port;
  const named = containers.flatMap((c) => mappings(c.ports)).find((p) => text(p.name) === port);
  return named ? finite(named.containerPort) : finite(port);
}

/**
 * Where the tree aims at Serve's HTTP port on another number than the 8000 Serve listens on when serveConfigV2 sets no
 * http_options.port: the head's `serve` port (KubeRay's Service and health check), a probe of the head's Ray container
 * on a Serve proxy path (/-/healthz, /-/routes), a Service of the tree that selects the head pods on a port no
 * container of the pod declares.
 */
function defaultPortMissed(m: Loose, container: Loose, graph: ObjectGraph): Problem[] {
  const head = `the head container '${text(container.name) ?? 'unnamed'}'`;
  const unset = `spec.serveConfigV2 sets no http_options.port, so Ray Serve listens on its default ${DEFAULT_SERVING_PORT}`;
  const fix = (port: number) => `set \`http_options: {port: ${port}}\` in serveConfigV2, or aim at ${DEFAULT_SERVING_PORT}`;
  const { port: target, named } = servePort(container);
  if (named && target !== undefined && target !== DEFAULT_SERVING_PORT) {
    const name = text(mapping(m.metadata).name) ?? '<no name>';
    return [
      {
        message:
          `${unset}, but ${head} names containerPort ${target} \`serve\`: the serve Service (${name}-serve-svc) and the operator's proxy health check (/-/healthz) target ${target}, ` +
          `so the head pod is never labelled ready to serve, the Service has no endpoints and the RayService never becomes ready; ${fix(target)} (containerPort ${DEFAULT_SERVING_PORT} named \`serve\`)`,
      },
    ];
  }
  const containers = mappings(mapping(mapping(mapping(mapping(mapping(m.spec).rayClusterConfig).headGroupSpec).template).spec).containers);
  for (const kind of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    const get = mapping(mapping(container[kind]).httpGet);
    const port = portNumber(get.port, containers);
    if (!text(get.path)?.startsWith('/-/') || port === undefined || port === DEFAULT_SERVING_PORT) continue;
    return [
      {
        message: `${unset}, but ${head}'s ${kind} asks the Serve proxy (${text(get.path)}) on port ${port}: nothing answers there, so the probe fails and ${kind === 'readinessProbe' ? 'the head pod never becomes Ready' : 'the kubelet restarts the head'}; ${fix(port)}`,
      },
    ];
  }
  return serviceMisses(m, containers, graph, `${unset}, but`, fix);
}

/** Services of the tree that select the head pods on a port Serve's default is not and no container of the pod declares: a warning (a process may listen undeclared). */
function serviceMisses(m: Loose, containers: readonly Loose[], graph: ObjectGraph, unset: string, fix: (port: number) => string): Problem[] {
  const labels = headLabels(m);
  const declared = new Set(containers.flatMap((c) => mappings(c.ports)).map((p) => finite(p.containerPort)));
  const ns = graph.namespaceOf(m);
  for (const svc of graph.ofKind('Service')) {
    const selector = stringMap(mapping(svc.manifest.spec).selector);
    const keys = Object.keys(selector);
    if (graph.namespaceOf(svc.manifest) !== ns || !keys.length || !keys.some((k) => k.startsWith('ray.io/') || k in labels)) continue;
    if (keys.some((k) => labels[k] !== selector[k])) continue;
    for (const p of mappings(mapping(svc.manifest.spec).ports)) {
      const port = portNumber(p.targetPort ?? p.port, containers);
      if (port === undefined || port === DEFAULT_SERVING_PORT || RAY_PORTS.has(port) || declared.has(port)) continue;
      return [
        {
          severity: 'warning',
          message: `${unset} Service ${text(mapping(svc.manifest.metadata).name) ?? '<no name>'} selects the head pods on port ${port}, which no container of the head pod declares: its connections are refused; ${fix(port)}`,
        },
      ];
    }
  }
  return [];
}

export const rayServePortMismatch: Rule = {
  id: 'ray-serve-port-mismatch',
  title:
    "a RayService whose Serve HTTP port (http_options.port, 8000 when unset) is not the head container's `serve` port (8000 when none is named), or not the port a probe or Service of the tree aims at: KubeRay's serve Service and health check, or that probe or Service, miss it",
  severity: 'error',
  appliesTo: ['RayService'],
  premise:
    "a RayService whose serveConfigV2 parses (not templated) and sets http_options.port to a number, and whose head group's first container (KubeRay's Ray container) declares a port named `serve` with another containerPort, or none (KubeRay then takes 8000): KubeRay builds the serve Service on that port and checks each pod's Serve proxy (/-/healthz) there to label it ray.io/serve=true, while Ray Serve's proxies listen on http_options.port; the worker groups whose Ray container's serve port differs are named too (KubeRay's readiness probe of their proxy fails; not where the group writes its own readinessProbe), a warning where only they differ (the head still serves). Where serveConfigV2 sets no http_options.port, Serve listens on 8000: an error where the head names another containerPort `serve`, or (no `serve` port named) where a readiness, liveness or startup probe of the head's Ray container asks a Serve proxy path (/-/healthz, /-/routes) on another port; a warning where a Service of the tree in its namespace selects the head pods (its selector is met by the head template's labels and those KubeRay adds: ray.io/node-type head, ray.io/serve, ray.io/originated-from-cr-name) on a port other than 8000 that no container of the head pod declares and Ray's own processes do not take (6379, 8265, 10001, 8080, 52365): a process may listen there undeclared. Not judged: a templated config or port",
  example:
    'serveConfigV2 with `port: 9000` under `http_options:` and a head container whose ports name no `serve` port; or no http_options.port and a head port `- name: serve` with `containerPort: 9000`',
  fix: "name the Ray containers' port Serve listens on `serve` (`- name: serve` with `containerPort: 9000`), head and workers, or drop http_options.port so Serve listens on 8000; where http_options.port is unset, set it to the port the head, probe or Service aims at, or aim them at 8000",
  source:
    'ray-project/kuberay ray-operator/controllers/ray/utils/constant.go (ServingPortName "serve", DefaultServingPort 8000, RayContainerIndex 0), utils/util.go FindContainerPort (a named port of the container, else the default), ' +
    "common/service.go BuildServeService (the serve Service exposes the `serve` port of the head container's ports, the default added where none is named; selector ray.io/serve=true), " +
    'rayservice_controller.go updateHeadPodServeLabel (the proxy health check at FindContainerPort(ray container, serve, 8000); a failing check labels the pod ray.io/serve=false), common/pod.go initReadinessProbeHandler (RayService workers: a wget of /-/healthz on the same port); ' +
    'ray-project/ray python/ray/serve/schema.py ServeDeploySchema.http_options (HTTPOptionsSchema port, default 8000), python/ray/serve/config.py HTTPOptions (port: DEFAULT_HTTP_PORT 8000, python/ray/serve/_private/constants.py); ray python/ray/_private/ray_constants.py (the head ports Ray takes itself)',
  check(o, { graph }) {
    return mismatch(o.manifest, graph);
  },
};
