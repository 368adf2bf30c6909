import { finite, Loose, mapping, mappings, text } from '../../manifests/access';
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

function mismatch(m: Loose): Problem[] {
  const config = parsedServeConfig(m);
  const listens = config && finite(mapping(config.http_options).port);
  const container = rayContainer(mapping(mapping(m.spec).rayClusterConfig).headGroupSpec);
  if (listens === undefined || container === undefined) return [];
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

export const rayServePortMismatch: Rule = {
  id: 'ray-serve-port-mismatch',
  title:
    "a RayService whose serveConfigV2 moves Serve's HTTP port (http_options.port) away from the head container's `serve` port (8000 when none is named): KubeRay's serve Service and health check miss it",
  severity: 'error',
  appliesTo: ['RayService'],
  premise:
    "a RayService whose serveConfigV2 parses (not templated) and sets http_options.port to a number, and whose head group's first container (KubeRay's Ray container) declares a port named `serve` with another containerPort, or none (KubeRay then takes 8000): KubeRay builds the serve Service on that port and checks each pod's Serve proxy (/-/healthz) there to label it ray.io/serve=true, while Ray Serve's proxies listen on http_options.port; the worker groups whose Ray container's serve port differs are named too (KubeRay's readiness probe of their proxy fails; not where the group writes its own readinessProbe), a warning where only they differ (the head still serves); not judged: a serveConfigV2 without http_options.port",
  example: 'serveConfigV2 with `port: 9000` under `http_options:` and a head container whose ports name no `serve` port',
  fix: "name the Ray containers' port Serve listens on `serve` (`- name: serve` with `containerPort: 9000`), head and workers, or drop http_options.port so Serve listens on 8000",
  source:
    'ray-project/kuberay ray-operator/controllers/ray/utils/constant.go (ServingPortName "serve", DefaultServingPort 8000, RayContainerIndex 0), utils/util.go FindContainerPort (a named port of the container, else the default), ' +
    "common/service.go BuildServeService (the serve Service exposes the `serve` port of the head container's ports, the default added where none is named; selector ray.io/serve=true), " +
    'rayservice_controller.go updateHeadPodServeLabel (the proxy health check at FindContainerPort(ray container, serve, 8000); a failing check labels the pod ray.io/serve=false), common/pod.go initReadinessProbeHandler (RayService workers: a wget of /-/healthz on the same port); ' +
    'ray-project/ray python/ray/serve/schema.py ServeDeploySchema.http_options (HTTPOptionsSchema port, default 8000)',
  scope: 'object',
  check(o) {
    return mismatch(o.manifest);
  },
};
