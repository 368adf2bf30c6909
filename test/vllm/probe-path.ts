import { runChecks } from '../../lib';

type Container = Record<string, unknown>;

const IMAGE = 'vllm/vllm-openai@sha256:5f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0';

const deployment = (container: Container) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'vllm', namespace: 'llm' },
  spec: {
    selector: { matchLabels: { app: 'vllm' } },
    template: { metadata: { labels: { app: 'vllm' } }, spec: { containers: [{ name: 'vllm', image: IMAGE, ...container }] } },
  },
});

const findings = (...manifests: Record<string, unknown>[]) =>
  runChecks(
    manifests.map((manifest) => ({ manifest })),
    { platform: 'kserve' },
  )
    .filter((f) => f.rule === 'vllm-probe-path-not-served')
    .map((f) => f.message);

describe('vllm-probe-path-not-served', () => {
  test('a path vLLM has no route for, on its port: one finding naming every probe on it', () => {
    const probe = { httpGet: { path: '/healthz', port: 8000 } };
    expect(findings(deployment({ args: ['--model', '/models/m'], livenessProbe: probe, readinessProbe: probe }))).toEqual([
      "container 'vllm' livenessProbe.httpGet.path, readinessProbe.httpGet.path: /healthz is no path vLLM's server (listening on 8000) serves: it answers 404, so the kubelet restarts the container over and over; the pod never becomes Ready and gets no traffic; probe /health (200 once the engine is up)",
    ]);
  });

  test('the port comes from the last --port; a probe on another port is not judged', () => {
    const args = ['--model', '/models/m', '--port', '8000', '--port=9000'];
    expect(findings(deployment({ args, readinessProbe: { httpGet: { path: '/ready', port: 9000 } } }))).toEqual([
      expect.stringMatching(/^container 'vllm' readinessProbe.httpGet.path: \/ready is no path vLLM's server \(listening on 9000\) serves/),
    ]);
    expect(findings(deployment({ args, readinessProbe: { httpGet: { path: '/ready', port: 8000 } } }))).toEqual([]);
  });

  test('a /v1 path under --api-key: 401 unless the probe sends an Authorization header', () => {
    const command = ['vllm', 'serve', '/models/m', '--api-key', 'from-env'];
    expect(findings(deployment({ command, readinessProbe: { httpGet: { path: '/v1/models', port: 8000 } } }))).toEqual([
      expect.stringMatching(/vLLM checks an API key on every \/v1 path and the probe on \/v1\/models sends none: it answers 401/),
    ]);
    const withHeader = { httpGet: { path: '/v1/models', port: 8000, httpHeaders: [{ name: 'authorization', value: 'Bearer $(TOKEN)' }] } };
    expect(findings(deployment({ command, readinessProbe: withHeader }))).toEqual([]);
    // without a key, /v1/models answers 200
    expect(findings(deployment({ command: ['vllm', 'serve', '/models/m'], readinessProbe: { httpGet: { path: '/v1/models', port: 8000 } } }))).toEqual([]);
  });

  test('a container that does not visibly start vLLM, tcpSocket and exec probes: not judged', () => {
    expect(
      findings(deployment({ image: 'registry.example.com/api:1', args: ['--port', '8000'], livenessProbe: { httpGet: { path: '/v1/health', port: 8000 } } })),
    ).toEqual([]);
    expect(
      findings(deployment({ args: ['--model', '/m'], livenessProbe: { tcpSocket: { port: 8000 } }, readinessProbe: { exec: { command: ['true'] } } })),
    ).toEqual([]);
  });

  test("an InferenceService is judged on its runtime's container merged with its model's", () => {
    const runtime = {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ServingRuntime',
      metadata: { name: 'vllm', namespace: 'llm' },
      spec: {
        supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
        containers: [
          {
            name: 'kserve-container',
            image: IMAGE,
            command: ['python', '-m', 'vllm.entrypoints.openai.api_server'],
            args: ['--port=8080', '--model=/mnt/models'],
            ports: [{ containerPort: 8080 }],
            readinessProbe: { httpGet: { path: '/v1/health', port: 8080 } },
          },
        ],
      },
    };
    const isvc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'm', namespace: 'llm' },
      spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm', storageUri: 'pvc://models/m' } } },
    };
    expect(findings(runtime, isvc)).toEqual([expect.stringMatching(/^the serving container readinessProbe.httpGet.path: \/v1\/health is no path/)]);
  });

  test("a Knative Service's revision template is judged like a Deployment's pod; a core Service is no workload", () => {
    const knative = (path: string) => ({
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name: 'chat', namespace: 'llm' },
      spec: {
        template: { spec: { containers: [{ name: 'server', image: IMAGE, args: ['--port', '8080'], readinessProbe: { httpGet: { path, port: 8080 } } }] } },
      },
    });
    expect(findings(knative('/'))).toEqual([
      expect.stringMatching(/^container 'server' readinessProbe.httpGet.path: \/ is no path vLLM's server \(listening on 8080\) serves/),
    ]);
    expect(findings(knative('/health'))).toEqual([]);
    // the same shape under a core v1 Service holds no pods: nothing is read from it
    expect(findings({ ...knative('/'), apiVersion: 'v1' })).toEqual([]);
  });
});
