import { ruleFound } from '../util';

type Doc = Record<string, unknown>;

/** A ServingRuntime whose container declares the ports given. */
const runtime = (ports: Doc[]): Doc => ({
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'ServingRuntime',
  metadata: { name: 'vllm', namespace: 'ai' },
  spec: {
    supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
    containers: [{ name: 'kserve-container', image: 'quay.io/example/vllm:v0.11.0', args: ['--port=8080'], ports }],
  },
});

/** An InferenceService chat in raw deployment mode on that runtime, with annotations and predictor fields added. */
const isvc = (annotations: Record<string, string> = {}, predictor: Doc = {}): Doc => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'chat', namespace: 'ai', annotations: { 'serving.kserve.io/deploymentMode': 'RawDeployment', ...annotations } },
  spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm', storageUri: 'pvc://models/chat' }, ...predictor } },
});

/** A custom predictor (spec.predictor.containers) with the ports given. */
const custom = (ports?: Doc[]): Doc => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'chat', namespace: 'ai', annotations: { 'serving.kserve.io/deploymentMode': 'RawDeployment' } },
  spec: { predictor: { containers: [{ name: 'kserve-container', image: 'quay.io/example/server:1.0', ...(ports ? { ports } : {}) }] } },
});

const route = (targetPort?: string | number): Doc => ({
  apiVersion: 'route.openshift.io/v1',
  kind: 'Route',
  metadata: { name: 'chat', namespace: 'ai' },
  spec: { to: { kind: 'Service', name: 'chat-predictor' }, ...(targetPort === undefined ? {} : { port: { targetPort } }) },
});

const ingress = (port: Doc): Doc => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'chat', namespace: 'ai' },
  spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'chat-predictor', port } } }] } }] },
});

const httpRoute = (port: number): Doc => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'chat', namespace: 'ai' },
  spec: { parentRefs: [{ name: 'edge' }], rules: [{ backendRefs: [{ name: 'chat-predictor', port }] }] },
});

const found = (...docs: Doc[]) =>
  ruleFound(
    'predictor-service-port-unmatched',
    docs.map((manifest) => ({ manifest })),
    { platform: 'rhoai-3.0' },
  ).map((f) => [f.severity, f.object, f.message]);

const UNNAMED = [{ containerPort: 8080, protocol: 'TCP' }];
const NAMED = [{ name: 'http', containerPort: 8080, protocol: 'TCP' }];

// kserve reconcilers/service/service_reconciler.go createDefaultSvc: the first port is named after the container's
// first port, port 80, targeting the container port; the router matches a Route's targetPort against the endpoints'
// port names and ports (openshift/router template_helper.go endpointsForAlias)
describe('predictor-service-port-unmatched: a Route to <isvc>-predictor', () => {
  test("targetPort http1 where the runtime's port has no name: an error naming the Service's ports and the fix", () => {
    expect(found(runtime(UNNAMED), isvc(), route('http1'))).toEqual([
      [
        'error',
        'Route/ai/chat',
        "spec.port.targetPort 'http1' matches no port of Service chat-predictor, which KServe makes for InferenceService chat in raw deployment mode " +
          'with the ports (unnamed) 80→8080 (the first port is named after the first port of the container of ServingRuntime vllm): the router keeps ' +
          'only the endpoints whose port name or target port is the targetPort, finds none and answers 503 (Application is not available); ' +
          "set spec.port.targetPort to 8080 (the pod port; the Service's port has no name), or name the runtime container's port to match",
      ],
    ]);
  });

  test("targetPort 80, the Service's port rather than the pod's: the router matches target ports, so an error", () => {
    const [[severity, , message]] = found(runtime(NAMED), isvc(), route(80));
    expect(severity).toBe('error');
    expect(message).toContain("set spec.port.targetPort to 'http' (the Service's port name) or 8080 (the pod port)");
  });

  test('with a logger the first port targets the agent (9081): targetPort 8080 reaches nothing', () => {
    const [[, , message]] = found(runtime(UNNAMED), isvc({}, { logger: { mode: 'all' } }), route(8080));
    expect(message).toContain('with the ports (unnamed) 80→9081');
  });

  test('near misses: the port name, the pod port, no spec.port, a name the merged container gives', () => {
    expect(found(runtime(NAMED), isvc(), route('http'))).toEqual([]);
    expect(found(runtime(UNNAMED), isvc(), route(8080))).toEqual([]);
    expect(found(runtime(UNNAMED), isvc(), route('8080'))).toEqual([]);
    expect(found(runtime(UNNAMED), isvc(), route())).toEqual([]);
    expect(found(runtime([]), isvc({}, { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm', ports: NAMED } }), route('http'))).toEqual([]);
  });

  test('not judged: Knative mode, OpenShift AI auth, a runtime outside the tree, a Service of that name in the tree', () => {
    expect(found(runtime(UNNAMED), isvc({ 'serving.kserve.io/deploymentMode': 'Serverless' }), route('http1'))).toEqual([]);
    expect(found(runtime(UNNAMED), isvc({ 'security.opendatahub.io/enable-auth': 'true' }), route('http1'))).toEqual([]);
    expect(found(isvc(), route('http1'))).toEqual([]);
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'chat-predictor', namespace: 'ai' }, spec: { ports: [{ port: 80 }] } };
    expect(found(runtime(UNNAMED), isvc(), service, route('http1'))).toEqual([]);
  });
});

// service_reconciler_test.go: a container without ports gives the port named after the Service (default-predictor),
// 80 → 8080
describe('predictor-service-port-unmatched: a custom predictor without ports, an Ingress and an HTTPRoute', () => {
  test("an Ingress's port.name http where the port is named chat-predictor: an error", () => {
    const [[severity, object, message]] = found(custom(), ingress({ name: 'http' }));
    expect([severity, object]).toEqual(['error', 'Ingress/ai/chat']);
    expect(message).toContain(
      "spec.rules[0].http.paths[0].backend.service.port.name 'http' matches no port of Service chat-predictor, which KServe makes for InferenceService chat in raw deployment mode with the ports chat-predictor 80→8080",
    );
    expect(message).toContain("set spec.rules[0].http.paths[0].backend.service.port.name to port.name 'chat-predictor' or port.number 80");
  });

  test('an HTTPRoute on the pod port 8080: an error, a backendRef names the Service port', () => {
    const [[, , message]] = found(custom(UNNAMED), httpRoute(8080));
    expect(message).toContain('spec.rules[0].backendRefs[0].port 8080 matches no port of Service chat-predictor');
    expect(message).toContain('the backendRef does not resolve (ResolvedRefs False)');
  });

  test("near misses: the Service's port number or name, a second container port (its own number)", () => {
    expect(found(custom(), ingress({ number: 80 }))).toEqual([]);
    expect(found(custom(), ingress({ name: 'chat-predictor' }))).toEqual([]);
    expect(found(custom(), route('chat-predictor'))).toEqual([]);
    expect(found(custom(UNNAMED), httpRoute(80))).toEqual([]);
    expect(found(custom([...NAMED, { name: 'metrics', containerPort: 9090 }]), httpRoute(9090))).toEqual([]);
  });
});
