import { finite, Loose, mapping, mappings, text } from '../../manifests/access';
import { Problem, Rule } from '../rule';
import { parsedServeConfig } from '../ray-serve-config';

/** KubeRay's serve port: the Ray container's port of this name, else 8000 (ray-operator/controllers/ray/utils/constant.go ServingPortName, DefaultServingPort). */
const SERVING_PORT_NAME = 'serve';
const DEFAULT_SERVING_PORT = 8000;

/** The Ray container of the head group: the first container (utils/constant.go RayContainerIndex = 0). */
function headContainer(m: Loose): Loose | undefined {
  const head = mapping(mapping(m.spec).rayClusterConfig).headGroupSpec;
  return mappings(mapping(mapping(mapping(head).template).spec).containers)[0];
}

function mismatch(m: Loose): Problem[] {
  const config = parsedServeConfig(m);
  const listens = config && finite(mapping(config.http_options).port);
  const container = headContainer(m);
  if (listens === undefined || container === undefined) return [];
  const declared = mappings(container.ports).find((p) => text(p.name) === SERVING_PORT_NAME);
  const target = declared ? finite(declared.containerPort) : DEFAULT_SERVING_PORT;
  if (target === undefined || target === listens) return [];
  const name = text(mapping(m.metadata).name) ?? '<no name>';
  const head = `the head container '${text(container.name) ?? 'unnamed'}'`;
  const why = declared
    ? `${head} names containerPort ${target} \`serve\``
    : `${head} declares no port named \`serve\`, so KubeRay uses ${DEFAULT_SERVING_PORT}`;
  return [
    {
      message:
        `spec.serveConfigV2 sets http_options.port: ${listens}, but ${why}: the serve Service (${name}-serve-svc) and the operator's proxy health check (/-/healthz) target ${target} while Serve listens on ${listens}, ` +
        `so the head pod is never labelled ready to serve, the Service has no endpoints and the RayService never becomes ready; ` +
        `give the head container the port \`- name: serve\` with \`containerPort: ${listens}\`, or drop http_options.port (Serve then listens on 8000)`,
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
    "a RayService whose serveConfigV2 parses (not templated) and sets http_options.port to a number, and whose head group's first container (KubeRay's Ray container) declares a port named `serve` with another containerPort, or none (KubeRay then takes 8000): KubeRay builds the serve Service on that port and checks each pod's Serve proxy (/-/healthz) there to label it ray.io/serve=true, while Ray Serve's proxies listen on http_options.port; not judged: a serveConfigV2 without http_options.port, worker groups' ports",
  example: 'serveConfigV2 with `port: 9000` under `http_options:` and a head container whose ports name no `serve` port',
  fix: 'name the head container port Serve listens on `serve` (`- name: serve` with `containerPort: 9000`), or drop http_options.port so Serve listens on 8000',
  source:
    'ray-project/kuberay ray-operator/controllers/ray/utils/constant.go (ServingPortName "serve", DefaultServingPort 8000, RayContainerIndex 0), utils/util.go FindContainerPort (a named port of the container, else the default), ' +
    "common/service.go BuildServeService (the serve Service exposes the `serve` port of the head container's ports, the default added where none is named; selector ray.io/serve=true), " +
    'rayservice_controller.go updateHeadPodServeLabel (the proxy health check at FindContainerPort(ray container, serve, 8000); a failing check labels the pod ray.io/serve=false); ' +
    'ray-project/ray python/ray/serve/schema.py ServeDeploySchema.http_options (HTTPOptionsSchema port, default 8000)',
  scope: 'object',
  check(o) {
    return mismatch(o.manifest);
  },
};
