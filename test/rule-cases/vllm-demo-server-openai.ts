import { runChecks } from '../../lib';

const RULE = 'vllm-demo-server-openai';
type Doc = Record<string, any>;

const deployment = (command: string[], extra: Doc = {}): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'writer', namespace: 'ai' },
  spec: {
    selector: { matchLabels: { app: 'writer' } },
    template: {
      metadata: { labels: { app: 'writer' } },
      spec: { containers: [{ name: 'server', image: 'vllm/vllm-openai:v0.10.1', command, args: ['--model=org/m', '--port=8000'], ...extra }] },
    },
  },
});
const DEMO = ['python3', '-m', 'vllm.entrypoints.api_server'];
const pool = (selector: Doc, apiVersion = 'inference.networking.k8s.io/v1'): Doc => ({
  apiVersion,
  kind: 'InferencePool',
  metadata: { name: 'writer-pool', namespace: 'ai' },
  spec: { selector, targetPorts: [{ number: 8000 }], endpointPickerRef: { name: 'writer-epp', port: { number: 9002 } } },
});
const found = (docs: Doc[]) =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform: 'kserve', rules: [RULE] },
  ).map((f) => `${f.severity} ${f.object}: ${f.message}`);

describe("vllm-demo-server-openai: vLLM's demo server sent OpenAI-style traffic", () => {
  test('a readiness probe on /v1/models: an error naming the probe, the 404 and the OpenAI server', () => {
    expect(found([deployment(DEMO, { readinessProbe: { httpGet: { path: '/v1/models', port: 8000 } } })])).toEqual([
      "error Deployment/ai/writer: container 'server' runs vLLM's demo server (vllm.entrypoints.api_server), which serves only /generate and /health (\"not intended for production use\"), " +
        'but OpenAI-style requests reach it (its readinessProbe /v1/models): every /v1/… request is answered 404; ' +
        'run the OpenAI-compatible server (`vllm serve <model>` or python3 -m vllm.entrypoints.openai.api_server) with the same options',
    ]);
  });

  test('an InferencePool selecting its pods (v1 matchLabels, v1alpha2 a plain map), a shell line, a KServe runtime', () => {
    expect(found([deployment(DEMO), pool({ matchLabels: { app: 'writer' } })])).toEqual([
      expect.stringContaining("InferencePool 'writer-pool', whose endpoint picker"),
    ]);
    expect(found([deployment(DEMO), pool({ app: 'writer' }, 'inference.networking.x-k8s.io/v1alpha2')])).toHaveLength(1);
    const shell = deployment(['/bin/sh', '-c', 'python3 -m vllm.entrypoints.api_server --model org/m --port 8000'], {
      livenessProbe: { httpGet: { path: '/v1/models', port: 8000 } },
    });
    expect(found([shell])).toEqual([expect.stringContaining('its livenessProbe /v1/models')]);
    const runtime = {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ServingRuntime',
      metadata: { name: 'demo', namespace: 'ai' },
      spec: { supportedModelFormats: [{ name: 'vLLM' }], containers: [{ name: 'kserve-container', image: 'vllm/vllm-openai:v0.10.1', command: DEMO }] },
    };
    expect(found([runtime])).toEqual([expect.stringContaining('the KServe ServingRuntime serving it')]);
  });

  test('an HTTPRoute sending /v1 to a Service that selects its pods: an error naming the route; a route of another path: silent', () => {
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'writer-svc', namespace: 'ai' },
      spec: { selector: { app: 'writer' }, ports: [{ port: 8000 }] },
    };
    const route = (path: string): Doc => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'writer-route', namespace: 'ai' },
      spec: { rules: [{ matches: [{ path: { type: 'PathPrefix', value: path } }], backendRefs: [{ name: 'writer-svc', port: 8000 }] }] },
    });
    expect(found([deployment(DEMO), service, route('/v1')])).toEqual([
      expect.stringContaining("(HTTPRoute 'writer-route', which sends /v1 to Service 'writer-svc')"),
    ]);
    expect(found([deployment(DEMO), service, route('/generate')])).toEqual([]);
  });

  test("a smoke-test Job's curl to /v1/completions through the Service: an error naming the Job", () => {
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'writer-svc', namespace: 'ai' },
      spec: { selector: { app: 'writer' }, ports: [{ port: 8000 }] },
    };
    const job = (path: string): Doc => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'smoke', namespace: 'ai' },
      spec: {
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [
              {
                name: 'curl',
                image: 'curlimages/curl:8.8.0',
                command: ['sh', '-c', `curl -sf http://writer-svc:8000${path} -d '{"model": "org/m", "prompt": "hi"}'`],
              },
            ],
          },
        },
      },
    });
    expect(found([deployment(DEMO), service, job('/v1/completions')])).toEqual([expect.stringContaining('(Job/ai/smoke, a request to writer-svc)')]);
    expect(found([deployment(DEMO), service, job('/generate')])).toEqual([]);
  });

  test('near misses: the OpenAI server, the demo server probed on /health, a pool selecting other pods', () => {
    const probe = { readinessProbe: { httpGet: { path: '/v1/models', port: 8000 } } };
    expect(found([deployment(['python3', '-m', 'vllm.entrypoints.openai.api_server'], probe)])).toEqual([]);
    expect(found([deployment(DEMO, { readinessProbe: { httpGet: { path: '/health', port: 8000 } } })])).toEqual([]);
    expect(found([deployment(DEMO), pool({ matchLabels: { app: 'other' } })])).toEqual([]);
  });
});
