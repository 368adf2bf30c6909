import { runChecks } from '../../lib';

type Doc = Record<string, any>;
const found = (docs: Doc[], platform: 'kserve' | 'rhoai-3.0' = 'kserve') =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform, rules: ['port-h2c-on-http1-server'] },
  ).map((f) => `${f.severity} ${f.object}: ${f.message}`);

const runtime = (container: Doc): Doc => ({
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'ServingRuntime',
  metadata: { name: 'rt', namespace: 'ai' },
  spec: { supportedModelFormats: [{ name: 'vLLM', autoSelect: true }], containers: [{ name: 'kserve-container', ...container }] },
});
const vllm = (port: number, name = 'h2c', args = ['--model', '/mnt/models']): Doc => ({
  image: 'vllm/vllm-openai:v0.10.2',
  args,
  ports: [{ containerPort: port, name }],
});
const caikit = (port: number, env: Doc[] = []): Doc => ({
  image: 'quay.io/opendatahub/caikit-tgis-serving:stable',
  env,
  ports: [{ containerPort: port, name: 'h2c' }],
});
const isvc = (mode?: string): Doc => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'chat', namespace: 'ai', annotations: mode ? { 'serving.kserve.io/deploymentMode': mode } : {} },
  spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'rt', storageUri: 'pvc://w/m' } } },
});

describe('port-h2c-on-http1-server', () => {
  test('vLLM on its default port named h2c, a service of the tree in Serverless mode: an error', () => {
    expect(found([runtime(vllm(8000)), isvc('Serverless')])).toEqual([
      expect.stringMatching(
        /^error ServingRuntime\/ai\/rt: container 'kserve-container': port 8000 is named h2c, so Knative \(the InferenceService runs in Serverless mode\) sends requests to it as HTTP\/2 cleartext, but vLLM's OpenAI server .*remove the name/,
      ),
    ]);
  });

  test("caikit's HTTP port named h2c, no service of the tree: a warning; a service of the mode the cluster defaults to: a warning", () => {
    expect(found([runtime(caikit(8080))])).toEqual([expect.stringMatching(/^warning ServingRuntime\/ai\/rt: .*port 8080 is named h2c.*caikit's HTTP server/)]);
    expect(found([runtime(caikit(8080)), isvc()])).toEqual([
      expect.stringMatching(/^warning ServingRuntime\/ai\/rt: .*Serverless mode, the cluster's default/),
    ]);
  });

  test('near misses: gRPC port, HTTP turned off, another port, unnamed, raw deployment, OpenShift AI 3', () => {
    expect(found([runtime(caikit(8085))])).toEqual([]);
    expect(found([runtime(caikit(8080, [{ name: 'RUNTIME_HTTP_ENABLED', value: 'false' }]))])).toEqual([]);
    expect(found([runtime(vllm(8000, 'h2c', ['--model', '/mnt/models', '--port', '9000']))])).toEqual([]);
    expect(found([runtime(vllm(8000, 'http1'))])).toEqual([]);
    expect(found([runtime(vllm(8000)), isvc('RawDeployment')])).toEqual([]);
    expect(found([runtime(vllm(8000))], 'rhoai-3.0')).toEqual([]);
  });
});
