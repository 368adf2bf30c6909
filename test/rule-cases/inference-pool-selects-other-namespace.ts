import { runChecks } from '../../lib';

/** inference-pool-selects-other-namespace: the endpoint picker caches the pods of its pool's namespace only (GIE defaultManagerOptions). */
const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const server = (ns: string | undefined, app = 'chat-vllm') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'chat-vllm', ...(ns ? { namespace: ns } : {}) },
  spec: {
    selector: { matchLabels: { app } },
    template: { metadata: { labels: { app, tier: 'model' } }, spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.10.1' }] } },
  },
});
const pool = (ns: string, selector: Record<string, unknown>, apiVersion = 'inference.networking.k8s.io/v1') => ({
  apiVersion,
  kind: 'InferencePool',
  metadata: { name: 'chat', namespace: ns },
  spec: { selector, targetPorts: [{ number: 8000 }], endpointPickerRef: { name: 'chat-epp', port: { number: 9002 } } },
});
const found = (manifests: Record<string, unknown>[]) =>
  runChecks(
    manifests.map((manifest) => ({ manifest })),
    { platform: 'kserve', rules: ['inference-pool-selects-other-namespace'] },
  ).map((f) => [f.rule, f.severity, f.object, f.message]);

describe('inference-pool-selects-other-namespace', () => {
  test("pods of another namespace only: an error where the tree holds the pool's namespace whole, naming the workload and both namespaces", () => {
    expect(found([namespace('gateway'), namespace('models'), server('models'), pool('gateway', { matchLabels: { app: 'chat-vllm' } })])).toEqual([
      [
        'inference-pool-selects-other-namespace',
        'error',
        'InferencePool/gateway/chat',
        expect.stringMatching(
          /^spec\.selector app=chat-vllm matches the pods of Deployment\/models\/chat-vllm, in namespace 'models', and none in the pool's namespace 'gateway', which the tree holds whole: .*no endpoints.*put the InferencePool and its endpoint picker in 'models'/,
        ),
      ],
    ]);
  });

  test("a namespace the tree does not create, and v1alpha2's plain label map: an error, since no pool of 'models' selects the tree's servers", () => {
    expect(found([server('models'), pool('default', { app: 'chat-vllm' }, 'inference.networking.x-k8s.io/v1alpha2')])).toEqual([
      [
        'inference-pool-selects-other-namespace',
        'error',
        'InferencePool/default/chat',
        "spec.selector app=chat-vllm matches the pods of Deployment/models/chat-vllm, in namespace 'models', and none in the pool's namespace 'default', and no InferencePool of 'models' selects them: the endpoint picker watches pods of the pool's namespace only, so the model servers the tree runs for this pool are never its endpoints, and requests routed to it fail for want of one; put the InferencePool and its endpoint picker in 'models', or run the model servers in 'default'",
      ],
    ]);
  });

  test("a pool of the servers' own namespace selects them too: a warning, the other pool may be meant for pods delivered elsewhere", () => {
    const own = { ...pool('models', { matchLabels: { app: 'chat-vllm' } }), metadata: { name: 'chat-local', namespace: 'models' } };
    expect(found([server('models'), own, pool('default', { matchLabels: { app: 'chat-vllm' } })])).toEqual([
      [
        'inference-pool-selects-other-namespace',
        'warning',
        'InferencePool/default/chat',
        "spec.selector app=chat-vllm matches the pods of Deployment/models/chat-vllm, in namespace 'models', and none in the pool's namespace 'default': the endpoint picker watches pods of the pool's namespace only, so the pool has no endpoints and every request routed to it fails (unless pods delivered elsewhere into the namespace carry these labels); put the InferencePool and its endpoint picker in 'models', or run the model servers in 'default'",
      ],
    ]);
  });

  test('near misses: pods in the pool namespace, a workload without namespace, labels nobody carries, no selector', () => {
    expect(found([server('models'), pool('models', { matchLabels: { app: 'chat-vllm' } })])).toEqual([]);
    expect(found([server(undefined), pool('gateway', { matchLabels: { app: 'chat-vllm' } })])).toEqual([]);
    expect(found([server('models'), pool('gateway', { matchLabels: { app: 'code-vllm' } })])).toEqual([]);
    expect(found([server('models'), server('gateway', 'other'), pool('gateway', { matchLabels: { tier: 'model', app: 'other' } })])).toEqual([]);
    expect(found([server('models'), pool('gateway', {})])).toEqual([]);
  });
});
