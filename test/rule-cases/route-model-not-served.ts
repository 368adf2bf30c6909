import { runChecks } from '../../lib';

type Doc = Record<string, unknown>;

const server = (name: string, served: string, labels: Record<string, string> = { app: name }): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'llm' },
  spec: {
    selector: { matchLabels: labels },
    template: {
      metadata: { labels },
      spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.10.1', args: ['--model', '/models/m', '--served-model-name', served] }] },
    },
  },
});
const service = (name: string): Doc => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'llm' },
  spec: { selector: { app: name }, ports: [{ port: 8000 }] },
});
const route = (headers: Doc[], backendRefs: Doc[]): Doc => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'chat', namespace: 'llm' },
  spec: { parentRefs: [{ name: 'gw' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/v1' }, headers }], backendRefs }] },
});
const pool = (name: string, selector: Record<string, string>): Doc => ({
  apiVersion: 'inference.networking.k8s.io/v1',
  kind: 'InferencePool',
  metadata: { name, namespace: 'llm' },
  spec: { selector: { matchLabels: selector }, targetPorts: [{ number: 8000 }], endpointPickerRef: { name: `${name}-epp`, port: { number: 9002 } } },
});

const findings = (...docs: Doc[]) =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform: 'kserve' },
  )
    .filter((f) => f.rule === 'route-model-not-served')
    .map((f) => [f.severity, f.object, f.message]);

const header = (name: string, value: string, type?: string): Doc => ({ name, value, ...(type ? { type } : {}) });

describe('route-model-not-served', () => {
  test('a model header routed to a Service whose vLLM serves another name', () => {
    expect(findings(route([header('x-model-id', 'llama-8b')], [{ name: 'qwen', port: 8000 }]), service('qwen'), server('qwen', 'qwen-7b'))).toEqual([
      [
        'warning',
        'HTTPRoute/llm/chat',
        "spec.rules[0].matches[0].headers[0] routes requests whose x-model-id is 'llama-8b', but Service llm/qwen serves 'qwen-7b': a request whose body names that model (as the header says) gets 404 from vLLM " +
          '("The model `llama-8b` does not exist."); match a served name, route to the server of \'llama-8b\', or add it to --served-model-name',
      ],
    ]);
  });

  test("X-Gateway-Model-Name to an InferencePool, whose LeaderWorkerSet's workers serve another name", () => {
    const lws: Doc = {
      apiVersion: 'leaderworkerset.x-k8s.io/v1',
      kind: 'LeaderWorkerSet',
      metadata: { name: 'decode', namespace: 'llm' },
      spec: {
        leaderWorkerTemplate: {
          size: 2,
          workerTemplate: {
            metadata: { labels: { 'llm-d.ai/model': 'ds' } },
            spec: {
              containers: [
                {
                  name: 'vllm',
                  image: 'vllm/vllm-openai:v0.10.1',
                  command: ['sh', '-c', 'vllm serve deepseek-ai/DeepSeek-V3 --served-model-name deepseek3 --port 8000'],
                },
              ],
            },
          },
        },
      },
    };
    const r = route([header('X-Gateway-Model-Name', 'random/model')], [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'ds' }]);
    expect(findings(r, pool('ds', { 'llm-d.ai/model': 'ds' }), lws)).toEqual([
      [
        'warning',
        'HTTPRoute/llm/chat',
        expect.stringMatching(
          /^spec\.rules\[0\]\.matches\[0\]\.headers\[0\] routes requests whose X-Gateway-Model-Name is 'random\/model', but InferencePool llm\/ds serves 'deepseek3'/,
        ),
      ],
    ]);
  });

  test('near misses: the name served, another header, a regular expression, a backend not in the tree, one of two backends serving it, a routing identity', () => {
    const backend = [{ name: 'qwen', port: 8000 }];
    const tree = [service('qwen'), server('qwen', 'qwen-7b')];
    expect(findings(route([header('x-model-id', 'qwen-7b')], backend), ...tree)).toEqual([]);
    expect(findings(route([header('x-tenant', 'llama-8b')], backend), ...tree)).toEqual([]);
    expect(findings(route([header('x-model-id', 'llama-.*', 'RegularExpression')], backend), ...tree)).toEqual([]);
    expect(findings(route([header('x-model-id', 'llama-8b')], [{ name: 'elsewhere', port: 8000 }]), ...tree)).toEqual([]);
    const two = [service('llama'), server('llama', 'llama-8b')];
    expect(findings(route([header('x-model-id', 'llama-8b')], [...backend, { name: 'llama', port: 8000 }]), ...tree, ...two)).toEqual([]);
    expect(findings(route([header('x-gateway-model-name', 'publishers/llm/models/qwen')], backend), ...tree)).toEqual([]);
  });
});
