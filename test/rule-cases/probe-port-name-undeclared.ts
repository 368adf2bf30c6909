import { runChecks } from '../../lib';

type Doc = Record<string, unknown>;
const RUNTIME_PROBE = { readinessProbe: { httpGet: { path: '/v2/health/ready', port: 'rest' } } };

const runtime = (kserveContainer: Doc, sidecars: Doc[] = []): Doc => ({
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'ServingRuntime',
  metadata: { name: 'ovms', namespace: 'ai' },
  spec: {
    supportedModelFormats: [{ name: 'openvino_ir', autoSelect: true }],
    containers: [{ name: 'kserve-container', image: 'quay.io/example/ovms:1', ...kserveContainer }, ...sidecars],
  },
});

const service = (model: Doc = {}): Doc => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'resnet', namespace: 'ai' },
  spec: { predictor: { model: { runtime: 'ovms', modelFormat: { name: 'openvino_ir' }, storageUri: 'oci://quay.io/example/resnet:1', ...model } } },
});

const findings = (...manifests: Doc[]) =>
  runChecks(
    manifests.map((manifest) => ({ manifest })),
    { platform: 'kserve', rules: ['probe-port-name-undeclared'] },
  ).map((f) => [f.severity, f.object, f.message.split(':')[0]]);

describe('probe-port-name-undeclared', () => {
  test("a service's model container merged with a runtime that names no such port: an error on the service, none on the runtime", () => {
    expect(findings(runtime(RUNTIME_PROBE), service())).toEqual([
      ['error', 'InferenceService/ai/resnet', "spec.predictor.model (merged with its runtime's kserve-container) readinessProbe.httpGet.port 'rest'"],
    ]);
  });

  test('the service giving the named port in its model container: silent', () => {
    expect(findings(runtime(RUNTIME_PROBE), service({ ports: [{ containerPort: 8888, name: 'rest' }] }))).toEqual([]);
  });

  test('a runtime no service of the tree uses: a warning, since a service could add the port', () => {
    expect(findings(runtime(RUNTIME_PROBE))).toEqual([
      [
        'warning',
        'ServingRuntime/ai/ovms',
        "spec.containers[0] ('kserve-container'), unless each InferenceService using the runtime declares that port name in its model container, readinessProbe.httpGet.port 'rest'",
      ],
    ]);
  });

  test("a runtime's sidecar, which no service patches: an error even when a service uses the runtime", () => {
    const sidecar = {
      name: 'proxy',
      image: 'quay.io/example/proxy:1',
      ports: [{ containerPort: 9000, name: 'grpc' }],
      livenessProbe: { tcpSocket: { port: 'admin' } },
    };
    expect(findings(runtime({ ports: [{ containerPort: 8888, name: 'rest' }], ...RUNTIME_PROBE }, [sidecar]), service())).toEqual([
      ['error', 'ServingRuntime/ai/ovms', "spec.containers[1] ('proxy') livenessProbe.tcpSocket.port 'admin'"],
    ]);
  });

  test('a model container whose runtime is outside the tree: not judged (the runtime may declare the port)', () => {
    expect(findings(service(RUNTIME_PROBE))).toEqual([]);
  });

  test('a placeholder or a number written as text: not judged', () => {
    const pod = (port: string): Doc => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'ai' },
      spec: { containers: [{ name: 'c', image: 'quay.io/example/app:1', readinessProbe: { tcpSocket: { port } } }] },
    });
    expect(findings(pod('8080'), pod('${PORT_NAME}'))).toEqual([]);
  });
});
