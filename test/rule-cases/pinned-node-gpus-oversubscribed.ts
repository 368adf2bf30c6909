import { podWorkload, ruleFindings } from '../util';

const RULE = 'pinned-node-gpus-oversubscribed';
const node = (labels: Record<string, string>, status?: object, name = 'n1') => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels },
  ...(status ? { status } : {}),
});
const pinned = (name: string, pin: object, gpus = 1, replicas?: number) => {
  const d = podWorkload(name, 'ai', {
    ...pin,
    containers: [{ name: 'server', image: 'vllm/vllm-openai:v0.11.1', resources: { limits: { 'nvidia.com/gpu': gpus } } }],
  });
  if (replicas !== undefined) d.spec.replicas = replicas;
  return d;
};
const onN1 = { nodeSelector: { 'kubernetes.io/hostname': 'n1' } };
const slicing = (replicas: number, extra = '') => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'time-slicing', namespace: 'gpu-operator' },
  data: { any: `version: v1\nsharing:\n  timeSlicing:\n${extra}    resources:\n      - name: nvidia.com/gpu\n        replicas: ${replicas}\n` },
});

// kube-scheduler noderesources/fit.go: Insufficient nvidia.com/gpu; k8s-device-plugin time-slicing replicas
describe('pinned-node-gpus-oversubscribed', () => {
  test('a GFD count of 1 and two Deployments pinned by hostname with 1 GPU each: an error on the Node naming both', () => {
    expect(ruleFindings(RULE, [node({ 'nvidia.com/gpu.count': '1' }), pinned('chat', onN1), pinned('embed', onN1)])).toEqual([
      'error Node/n1: the node offers 1 nvidia.com/gpu (label nvidia.com/gpu.count: 1), but the workloads pinned to it request 2: ' +
        'Deployment/ai/chat (nodeSelector kubernetes.io/hostname: 1 pod × 1), Deployment/ai/embed (nodeSelector kubernetes.io/hostname: 1 pod × 1); ' +
        'the scheduler binds pods to the node while its GPUs last, and the rest stay Pending (Insufficient nvidia.com/gpu), with no other node to go to; ' +
        'lower the requests or replicas, pin a workload to another node, or share the GPU (device-plugin time-slicing replicas)',
    ]);
  });

  test('status.allocatable decides, nodeName and a one-host affinity pin too, replicas count', () => {
    const affinity = {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }] }],
          },
        },
      },
    };
    const found = ruleFindings(RULE, [node({}, { allocatable: { 'nvidia.com/gpu': '4' } }), pinned('a', { nodeName: 'n1' }, 2), pinned('b', affinity, 1, 3)]);
    expect(found).toEqual([
      expect.stringMatching(
        /^error Node\/n1: the node offers 4 nvidia\.com\/gpu \(status\.allocatable nvidia\.com\/gpu: 4\), but the workloads pinned to it request 5: Deployment\/ai\/a \(nodeName: 1 pod × 2\), Deployment\/ai\/b \(node affinity kubernetes\.io\/hostname In: 3 pods × 1\)/,
      ),
    ]);
  });

  test('a time-slicing config with 2 replicas below the sum of 3', () => {
    const found = ruleFindings(RULE, [node({ 'nvidia.com/gpu.count': '1' }), slicing(2), pinned('a', onN1), pinned('b', onN1, 1, 2)]);
    expect(found).toEqual([
      expect.stringMatching(
        /offers 2 nvidia\.com\/gpu \(label nvidia\.com\/gpu\.count: 1 × 2 time-slicing replicas\), but the workloads pinned to it request 3/,
      ),
    ]);
  });

  test.each([
    ['no declared capacity', [node({}), pinned('a', onN1), pinned('b', onN1)]],
    ['no Node object at all', [pinned('a', onN1), pinned('b', onN1)]],
    ['time-slicing with 4 replicas', [node({ 'nvidia.com/gpu.count': '1' }), slicing(4), pinned('a', onN1), pinned('b', onN1)]],
    ['GFD replicas label of 2', [node({ 'nvidia.com/gpu.count': '1', 'nvidia.com/gpu.replicas': '2' }), pinned('a', onN1), pinned('b', onN1)]],
    [
      'a time-slicing config that renames the resource (not judged)',
      [node({ 'nvidia.com/gpu.count': '1' }), slicing(4, '    renameByDefault: true\n'), pinned('a', onN1), pinned('b', onN1)],
    ],
    [
      'one pinned to another node',
      [node({ 'nvidia.com/gpu.count': '1' }), pinned('a', onN1), pinned('b', { nodeSelector: { 'kubernetes.io/hostname': 'n2' } })],
    ],
    ['one scaled to zero', [node({ 'nvidia.com/gpu.count': '1' }), pinned('a', onN1), pinned('b', onN1, 1, 0)]],
    [
      'a two-host affinity',
      [
        node({ 'nvidia.com/gpu.count': '1' }),
        pinned('a', onN1),
        pinned('b', {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1', 'n2'] }] }],
              },
            },
          },
        }),
      ],
    ],
    ['the sum fits', [node({ 'nvidia.com/gpu.count': '2' }), pinned('a', onN1), pinned('b', onN1)]],
  ])('%s: silent', (_what, docs) => {
    expect(ruleFindings(RULE, docs)).toEqual([]);
  });

  const isvc = (name: string, pin: object, minReplicas?: number) => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name, namespace: 'ai' },
    spec: {
      predictor: {
        ...pin,
        ...(minReplicas !== undefined ? { minReplicas } : {}),
        maxReplicas: 3,
        model: { modelFormat: { name: 'vLLM' }, resources: { limits: { 'nvidia.com/gpu': 1 } } },
      },
    },
  });

  test('an InferenceService whose predictor is pinned by hostname counts its minReplicas beside a Deployment', () => {
    const found = ruleFindings(RULE, [node({ 'nvidia.com/gpu.count': '1' }), pinned('chat', onN1), isvc('coder', onN1)]);
    expect(found).toEqual([
      expect.stringMatching(
        /^error Node\/n1: the node offers 1 nvidia\.com\/gpu .*request 2: .*InferenceService\/ai\/coder \(nodeSelector kubernetes\.io\/hostname: 1 pod × 1\)/,
      ),
    ]);
  });

  test('near misses: an InferenceService scaled from zero (minReplicas 0), its maxReplicas not counted', () => {
    expect(ruleFindings(RULE, [node({ 'nvidia.com/gpu.count': '1' }), pinned('chat', onN1), isvc('coder', onN1, 0)])).toEqual([]);
    expect(ruleFindings(RULE, [node({ 'nvidia.com/gpu.count': '1' }), isvc('coder', onN1)])).toEqual([]);
  });
});
