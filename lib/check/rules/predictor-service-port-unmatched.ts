import { Loose, mapping, mappings, text } from '../../manifests/access';
import type { ObjectGraph } from '../graph';
import { MadePort, PredictorService, predictorServiceNamed } from '../predictor-service';
import type { Platform } from '../platform';
import { Problem, Rule } from '../rule';

/** A Service a route names, the port it asks for and how the port is matched. */
interface Backend {
  readonly field: string;
  readonly name: string;
  readonly namespace?: string;
  /** The port reference as written, and the field holding it. */
  readonly port: { readonly value: string | number; readonly field: string };
  /** How the proxy matches it: the OpenShift router, an Ingress backend, a Gateway API backendRef. */
  readonly by: 'router' | 'ingress' | 'gateway';
}

/** route.openshift.io Route: spec.to and spec.alternateBackends (kind Service, the default), with spec.port.targetPort. */
function routeBackends(m: Loose): Backend[] {
  const spec = mapping(m.spec);
  const target = mapping(spec.port).targetPort;
  if (typeof target !== 'string' && typeof target !== 'number') return [];
  const port = { value: target, field: 'spec.port.targetPort' };
  return [
    { to: mapping(spec.to), field: 'spec.to' },
    ...mappings(spec.alternateBackends).map((to, i) => ({ to, field: `spec.alternateBackends[${i}]` })),
  ].flatMap(({ to, field }) => {
    const name = text(to.name);
    return name && (text(to.kind) ?? 'Service') === 'Service' ? [{ field: `${field}.name`, name, port, by: 'router' as const }] : [];
  });
}

/** networking.k8s.io Ingress: spec.defaultBackend and each rule path's backend, by port.name or port.number. */
function ingressBackends(m: Loose): Backend[] {
  const spec = mapping(m.spec);
  const backends = [
    { b: mapping(spec.defaultBackend), field: 'spec.defaultBackend' },
    ...mappings(spec.rules).flatMap((r, i) =>
      mappings(mapping(r.http).paths).map((p, j) => ({ b: mapping(p.backend), field: `spec.rules[${i}].http.paths[${j}].backend` })),
    ),
  ];
  return backends.flatMap(({ b, field }) => {
    const service = mapping(b.service);
    const name = text(service.name);
    const port = mapping(service.port);
    const value = text(port.name) ?? (typeof port.number === 'number' ? port.number : undefined);
    if (!name || value === undefined) return [];
    return [
      {
        field: `${field}.service.name`,
        name,
        port: { value, field: `${field}.service.port.${typeof value === 'number' ? 'number' : 'name'}` },
        by: 'ingress' as const,
      },
    ];
  });
}

/** gateway.networking.k8s.io HTTPRoute/GRPCRoute backendRefs of kind Service (core group, the defaults), by port number. */
function gatewayBackends(m: Loose): Backend[] {
  return mappings(mapping(m.spec).rules).flatMap((r, i) =>
    mappings(r.backendRefs).flatMap((b, j) => {
      const name = text(b.name);
      const core = (text(b.kind) ?? 'Service') === 'Service' && (text(b.group) ?? '') === '';
      if (!name || !core || typeof b.port !== 'number') return [];
      const field = `spec.rules[${i}].backendRefs[${j}]`;
      return [{ field: `${field}.name`, name, namespace: text(b.namespace), port: { value: b.port, field: `${field}.port` }, by: 'gateway' as const }];
    }),
  );
}

/**
 * Whether the port reference reaches a port of the Service: the OpenShift router keeps the endpoints whose port name
 * or target port number is the Route's targetPort (openshift/router pkg/router/template/template_helper.go
 * endpointsForAlias: PortName or Port equal to PreferPort); an Ingress backend names a Service port by name or number;
 * a Gateway API backendRef gives the Service's port number.
 */
function reaches(b: Backend, p: MadePort): boolean {
  const v = b.port.value;
  if (b.by === 'router') return (p.name !== '' && p.name === String(v)) || String(p.target) === String(v);
  if (b.by === 'ingress') return typeof v === 'number' ? p.port === v : p.name !== '' && p.name === v;
  return p.port === v;
}

const portsSaid = (s: PredictorService) => s.ports.map((p) => `${p.name === '' ? '(unnamed)' : p.name} ${p.port}→${p.target}`).join(', ');

/** What to write instead: the first port as the proxy matches it. */
function fixOf(b: Backend, s: PredictorService): string {
  const p = s.ports[0];
  if (b.by === 'router')
    return p.name ? `'${p.name}' (the Service's port name) or ${p.target} (the pod port)` : `${p.target} (the pod port; the Service's port has no name)`;
  if (b.by === 'ingress') return p.name ? `port.name '${p.name}' or port.number ${p.port}` : `port.number ${p.port}`;
  return `${p.port}`;
}

const EFFECT: Record<Backend['by'], string> = {
  router: 'the router keeps only the endpoints whose port name or target port is the targetPort, finds none and answers 503 (Application is not available)',
  ingress: 'the ingress controller finds no endpoint for the backend and answers 503',
  gateway: 'the backendRef does not resolve (ResolvedRefs False) and the route answers 500',
};

function judge(b: Backend, s: PredictorService): Problem | undefined {
  if (s.ports.some((p) => reaches(b, p))) return undefined;
  const isvc = `InferenceService ${text(mapping(s.isvc.manifest.metadata).name) ?? ''}`;
  return {
    message:
      `${b.port.field} ${typeof b.port.value === 'number' ? b.port.value : `'${b.port.value}'`} matches no port of Service ${s.name}, which KServe makes for ${isvc} in raw deployment mode ` +
      `with the ports ${portsSaid(s)} (the first port is named after the first port of ${s.from}): ${EFFECT[b.by]}; set ${b.port.field} to ${fixOf(b, s)}, or name the runtime container's port to match`,
    failsIn: [s.isvc],
  };
}

const BACKENDS: Record<string, (m: Loose) => Backend[]> = {
  Route: routeBackends,
  Ingress: ingressBackends,
  HTTPRoute: gatewayBackends,
  GRPCRoute: gatewayBackends,
};

function problemsOf(m: Loose, graph: ObjectGraph, platform: Platform): Problem[] {
  const ns = graph.namespaceOf(m);
  return (BACKENDS[String(m.kind)]?.(m) ?? []).flatMap((b) => {
    const s = predictorServiceNamed(graph, b.name, b.namespace ?? ns, platform);
    const p = s && judge(b, s);
    return p ? [p] : [];
  });
}

export const predictorServicePortUnmatched: Rule = {
  id: 'predictor-service-port-unmatched',
  title: 'a Route, Ingress or HTTPRoute reaches the predictor Service KServe makes (<isvc>-predictor) on a port that Service does not have: no endpoints',
  severity: 'error',
  appliesTo: Object.keys(BACKENDS),
  premise:
    "a backend of an OpenShift Route (spec.to, spec.alternateBackends with spec.port.targetPort), an Ingress (port.name or port.number) or a Gateway API HTTPRoute or GRPCRoute (backendRefs port) names `<isvc>-predictor` of an InferenceService of the tree in its namespace, no Service of that name is in the tree, and KServe runs the service in raw deployment mode for certain (its annotation, the tree's default, or a platform without Knative); the predictor's first container is known (the model container merged with a ServingRuntime of the tree, or the first of spec.predictor.containers); KServe's Service then has the ports createDefaultSvc gives it: the first named after the container's first port (unnamed where that port has no name; named `<isvc>-predictor` where the container declares none), port 80, targeting the container port (9081, the agent's, with a batcher or logger), and the container's other ports as they are. " +
    "The reference matches none: the router matches a Route's targetPort against the Service's port names and target port numbers (not the Service's port, 80), an Ingress names a Service port by name or number, a backendRef gives the Service's port number. " +
    'Not judged: Knative modes (Knative makes the Services), an InferenceService with security.opendatahub.io/enable-auth (OpenShift AI rewrites the port to its proxy), a runtime outside the tree',
  example: '`targetPort: http1` on a Route to `chat-predictor`, whose ServingRuntime container declares `containerPort: 8080` without a name',
  fix: "reference the port KServe gives the Service: on a Route the container's first port name or number (targetPort: 8080), on an Ingress port.number 80, on an HTTPRoute port 80; or name the runtime container's port to match",
  source:
    "kserve pkg/controller/v1beta1/inferenceservice/reconcilers/service/service_reconciler.go createDefaultSvc (Name: container.Ports[0].Name, Port: constants.CommonDefaultHttpPort 80, TargetPort the container port; no ports: Name componentMeta.Name, TargetPort InferenceServiceDefaultHttpPort 8080; batcher or logger: InferenceServiceDefaultAgentPort 9081) and its service_reconciler_test.go; opendatahub-io/kserve service_reconciler_ocp.go applyOCPServiceConfig (enable-auth replaces port 80 with the proxy's https port); openshift/router pkg/router/template/template_helper.go endpointsForAlias (a Route's targetPort keeps the endpoints whose PortName or Port equals it; none left, the router answers 503); Gateway API BackendObjectReference (port: the Service port; an unresolved reference sets ResolvedRefs False)",
  check(o, { graph, platform }) {
    return problemsOf(o.manifest, graph, platform);
  },
};
