import { mapping, mappings, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { runningServer } from '../model-servers';
import { Platform } from '../platform';
import { rawDeploymentMode } from '../kserve-mode';
import { predictorModelOf } from '../runtime-selection';
import { Problem, Rule } from '../rule';
import { KSERVE_DEFAULT_PORT } from '../vllm-port';
import { workloadVllmLines } from '../workload-lines';

/** The services of the tree that run on the runtime, and whether each is certainly in raw mode (rawDeploymentMode) and adds no ports of its own. */
function servicesOn(o: GraphObject, graph: ObjectGraph, platform: Platform): { name: string; raw: boolean; ports: boolean }[] {
  return graph.servicesOf(o).map((s) => ({
    name: text(s.manifest.metadata?.name) ?? '',
    raw: rawDeploymentMode(s.manifest, platform, graph),
    ports: mappings(predictorModelOf(s.manifest)?.spec?.ports).length > 0,
  }));
}

/** The container KServe's raw-mode Service targets before the first one (service_reconciler.go createDefaultSvc: constants.TransformerContainerName). */
const TRANSFORMER_CONTAINER = 'transformer-container';

/**
 * Whether another container of the runtime takes the service's traffic, so kserve-container is a backend on localhost
 * (TGIS behind caikit): the transformer-container's first port is the raw-mode Service's target, and Knative routes to
 * the one container that declares ports, so any other container with ports serves when the service is not certainly raw.
 */
function servedByAnother(o: GraphObject, raw: boolean): boolean {
  const others = mappings(mapping(o.manifest.spec).containers).filter((c) => c.name !== 'kserve-container' && mappings(c.ports).length > 0);
  return others.some((c) => c.name === TRANSFORMER_CONTAINER) || (others.length > 0 && !raw);
}

export const runtimeDefaultPortUnserved: Rule = {
  id: 'runtime-default-port-unserved',
  title: "a ServingRuntime's container declares no port, so KServe's Service targets 8080, where its model server (Triton, TGI, TEI, …) does not listen",
  severity: 'error',
  appliesTo: ['ServingRuntime'],
  premise:
    "the runtime is single-model; its kserve-container declares no containerPort and visibly starts a model server of the table other than vLLM (vllm-port-mismatch judges vLLM) whose HTTP port, read from its flags, env and defaults, is not 8080; an error when an InferenceService of the tree runs on it certainly in raw mode (its annotation RawDeployment or Standard, the tree's default, or unset on OpenShift AI 3, which has no Knative) and the server's command line is fully known, a warning otherwise (the mode or the port depends on what the tree does not show). Not judged when every service on the runtime declares its own ports, or when another container of the runtime serves the service's traffic and kserve-container is its localhost backend (caikit in front of TGIS): a transformer-container that declares ports (the raw-mode Service targets its first port), or any other container declaring ports while no service is certainly raw (Knative routes to the one container that declares ports)",
  example: '`command: [tritonserver]` in a ServingRuntime whose kserve-container declares no ports',
  fix: "declare the server's HTTP port as the container's first port (`ports: [{containerPort: 8000, name: http1, protocol: TCP}]` for Triton), or start the server on 8080",
  source:
    'kserve/kserve v0.17.0 pkg/controller/v1beta1/inferenceservice/reconcilers/service/service_reconciler.go createDefaultSvc (targetPort: the first containerPort of the transformer-container, else of the first container, else pkg/constants/constants.go InferenceServiceDefaultHttpPort "8080"); each server\'s port defaults in lib/check/model-servers.ts (Triton --http-port 8000); Knative Serving: only one container of a multi-container pod may declare a port, and it receives the traffic',
  check(o, { graph, platform }) {
    if (mapping(o.manifest.spec).multiModel === true) return [];
    const line = workloadVllmLines(o.manifest).find((c) => c.name === 'kserve-container');
    if (!line || line.args.invoked || mappings(line.container.ports).length > 0) return [];
    const running = runningServer(line.line, line.env, text(line.container.image));
    const http = running?.ports.find((p) => p.role === 'http');
    if (!running || running.portUnread || !http || http.port === KSERVE_DEFAULT_PORT) return [];
    const services = servicesOn(o, graph, platform);
    if (services.length && services.every((s) => s.ports)) return [];
    const raw = services.filter((s) => s.raw && !s.ports);
    if (servedByAnother(o, raw.length > 0)) return [];
    const certain = running.known && raw.length > 0;
    const who = raw.length ? `InferenceService ${raw.map((s) => s.name).join(', ')} (raw deployment)` : 'a service on it';
    const problem: Problem = {
      message: `containers[kserve-container] declares no containerPort, so KServe's Service for ${who} targets ${KSERVE_DEFAULT_PORT}, while ${running.server.name} listens for HTTP on ${http.port} (${http.from})${running.known ? '' : ' (its command line is not fully known)'}: requests through the service are refused; declare ports: [{containerPort: ${http.port}}] first, or start the server on ${KSERVE_DEFAULT_PORT}`,
    };
    return [certain ? problem : { ...problem, severity: 'warning' }];
  },
};
