import { ruleFound, severityMessages } from '../util';

/** A Deployment on g6.12xlarge nodes (4 L4 GPUs each, lib/catalog/data/instance-types.json) or on nodes a MachineSet labels. */
const deployment = (opts: { gpus?: number; replicas?: number; strategy?: Record<string, unknown>; nodeSelector?: Record<string, string> } = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'llm', namespace: 'serving' },
  spec: {
    ...(opts.replicas === undefined ? {} : { replicas: opts.replicas }),
    ...(opts.strategy ? { strategy: opts.strategy } : {}),
    selector: { matchLabels: { app: 'llm' } },
    template: {
      metadata: { labels: { app: 'llm' } },
      spec: {
        nodeSelector: opts.nodeSelector ?? { 'node.kubernetes.io/instance-type': 'g6.12xlarge' },
        containers: [{ name: 'server', image: 'llama:1', resources: { limits: { 'nvidia.com/gpu': opts.gpus ?? 4 } } }],
      },
    },
  },
});
const machineSet = (replicas: number) => ({
  apiVersion: 'machine.openshift.io/v1beta1',
  kind: 'MachineSet',
  metadata: { name: 'gpu-l4x4', namespace: 'openshift-machine-api' },
  spec: {
    replicas,
    template: { spec: { metadata: { labels: { 'gpu-pool': 'l4x4' } }, providerSpec: { value: { instanceType: 'g6.12xlarge' } } } },
  },
});
const POOL = { 'gpu-pool': 'l4x4' };

function found(objects: unknown[]): [string, string][] {
  return severityMessages(
    ruleFound(
      'rollout-needs-spare-gpu-node',
      objects.map((manifest) => ({ manifest: manifest as Record<string, unknown> })),
      { platform: 'kserve', alone: true },
    ),
  );
}

describe('rollout-needs-spare-gpu-node', () => {
  test('one replica taking all 4 GPUs of a g6.12xlarge, no strategy: a warning naming the resolved surge and the fix', () => {
    expect(found([deployment()])).toEqual([
      [
        'warning',
        'each pod requests 4 nvidia.com/gpu, every GPU of its nodes, and its strategy, RollingUpdate by default, (maxSurge resolving to 1, maxUnavailable to 0) starts a new pod before it stops an old one: each rollout needs another such node with all its GPUs free, or the new pod stays Pending (Insufficient nvidia.com/gpu) while the old one holds the GPUs and the rollout stalls; set spec.strategy.type: Recreate, or rollingUpdate maxSurge: 0 with maxUnavailable: 1',
      ],
    ]);
  });

  test('the only MachineSet the selector matches makes one node for the one replica: an error; two replicas on two nodes too', () => {
    expect(found([deployment({ nodeSelector: POOL }), machineSet(1)])).toEqual([
      [
        'error',
        expect.stringMatching(
          /, but MachineSet\/gpu-l4x4 makes 1 node for its 1 replica and none to spare: every rollout's new pod stays Pending .* the rollout never ends; set spec.strategy.type: Recreate/,
        ),
      ],
    ]);
    expect(found([deployment({ nodeSelector: POOL, replicas: 2 }), machineSet(2)]).map((f) => f[0])).toEqual(['error']);
  });

  test('a spare node, or a MachineAutoscaler that may add one: a warning, not an error', () => {
    expect(found([deployment({ nodeSelector: POOL }), machineSet(2)]).map((f) => f[0])).toEqual(['warning']);
    const autoscaler = {
      apiVersion: 'autoscaling.openshift.io/v1beta1',
      kind: 'MachineAutoscaler',
      metadata: { name: 'gpu', namespace: 'openshift-machine-api' },
      spec: { minReplicas: 1, maxReplicas: 3, scaleTargetRef: { apiVersion: 'machine.openshift.io/v1beta1', kind: 'MachineSet', name: 'gpu-l4x4' } },
    };
    expect(found([deployment({ nodeSelector: POOL }), machineSet(1), autoscaler]).map((f) => f[0])).toEqual(['warning']);
  });

  test('near misses: Recreate, maxSurge 0, maxUnavailable 1, four replicas (25% unavailable is one), fewer GPUs than the node, no node shape', () => {
    expect(found([deployment({ strategy: { type: 'Recreate' } })])).toEqual([]);
    expect(found([deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } })])).toEqual([]);
    expect(found([deployment({ strategy: { rollingUpdate: { maxUnavailable: '100%' } } })])).toEqual([]);
    expect(found([deployment({ replicas: 4 })])).toEqual([]);
    expect(found([deployment({ gpus: 2 })])).toEqual([]);
    expect(found([deployment({ nodeSelector: { disktype: 'ssd' } })])).toEqual([]);
  });

  test('maxSurge 0% with maxUnavailable 0 is made maxUnavailable 1 by the controller: silent; an explicit surge of 2 on three replicas: a warning', () => {
    expect(found([deployment({ strategy: { rollingUpdate: { maxSurge: '0%', maxUnavailable: 0 } } })])).toEqual([]);
    expect(found([deployment({ replicas: 3, strategy: { rollingUpdate: { maxSurge: 2, maxUnavailable: 0 } } })]).map((f) => f[1].split(' starts')[0])).toEqual([
      'each pod requests 4 nvidia.com/gpu, every GPU of its nodes, and its strategy, RollingUpdate by default, (maxSurge resolving to 2, maxUnavailable to 0)',
    ]);
  });
});

describe('rollout-needs-spare-gpu-node: vLLM on GPUs the pod does not request', () => {
  /** A one-replica vLLM Deployment that takes the node's GPUs through a runtime class or the toolkit's env, requesting none. */
  const uncounted = (
    opts: {
      args?: string[];
      strategy?: Record<string, unknown>;
      pod?: Record<string, unknown>;
      env?: Record<string, string>;
      limits?: Record<string, unknown>;
      image?: string;
    } = {},
  ) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'chat', namespace: 'home' },
    spec: {
      ...(opts.strategy ? { strategy: opts.strategy } : {}),
      selector: { matchLabels: { app: 'chat' } },
      template: {
        metadata: { labels: { app: 'chat' } },
        spec: {
          ...(opts.pod ?? { runtimeClassName: 'nvidia' }),
          containers: [
            {
              name: 'vllm',
              image: opts.image ?? 'vllm/vllm-openai:v0.11.0',
              args: opts.args ?? ['--model', 'Qwen/Qwen3-8B'],
              ...(opts.env ? { env: Object.entries(opts.env).map(([name, value]) => ({ name, value })) } : {}),
              ...(opts.limits ? { resources: { limits: opts.limits } } : {}),
            },
          ],
        },
      },
    },
  });

  test('a runtime class, the default strategy, vLLM taking 0.9 of each GPU: a warning naming the start-up refusal and both fixes', () => {
    expect(found([uncounted()])).toEqual([
      [
        'warning',
        "container 'vllm' runs vLLM on the node's GPUs through runtime class 'nvidia' without requesting any (no nvidia.com/gpu), taking 0.9 of each GPU's memory at start, and its strategy, RollingUpdate by default, (maxSurge resolving to 1, maxUnavailable to 0) starts a new pod before it stops an old one: " +
          'the scheduler does not count GPUs nobody requests, so on a node where the old pod runs the new vLLM finds less free memory than it claims and stops at start ("Free memory on device (...) on startup is less than desired GPU memory utilization"), ' +
          'and the rollout stalls with the old pod serving (unless the new pod lands on another GPU node); set spec.strategy.type: Recreate, or request the GPU (resources.limits nvidia.com/gpu: 1) so the scheduler counts it',
      ],
    ]);
  });

  test('NVIDIA_VISIBLE_DEVICES=all and an explicit share above half: the same warning', () => {
    const got = found([uncounted({ pod: {}, env: { NVIDIA_VISIBLE_DEVICES: 'all' }, args: ['--model', 'm', '--gpu-memory-utilization', '0.6'] })]);
    expect(got).toEqual([['warning', expect.stringMatching(/through NVIDIA_VISIBLE_DEVICES without requesting any .*taking 0\.6 of each GPU's memory/)]]);
  });

  test('near misses: Recreate, maxSurge 0, a GPU request, two instances fitting one GPU, no GPU path, no vLLM', () => {
    expect(found([uncounted({ strategy: { type: 'Recreate' } })])).toEqual([]);
    expect(found([uncounted({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } })])).toEqual([]);
    // the requested GPU is counted: the other branch of the rule judges it against the node shape, unknown here
    expect(found([uncounted({ limits: { 'nvidia.com/gpu': 1 } })])).toEqual([]);
    expect(found([uncounted({ args: ['--model', 'm', '--gpu-memory-utilization=0.45'] })])).toEqual([]);
    expect(found([uncounted({ pod: {} })])).toEqual([]);
    expect(found([uncounted({ image: 'ghcr.io/ggml-org/llama.cpp:server-cuda', args: ['--n-gpu-layers', '99', '-m', '/models/q.gguf'] })])).toEqual([]);
  });
});
