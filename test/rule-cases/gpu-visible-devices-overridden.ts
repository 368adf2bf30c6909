import { podWorkload, ruleFindings } from '../util';

const RULE = 'gpu-visible-devices-overridden';
const deployment = (env: Record<string, string>, resources: Record<string, unknown> = { limits: { 'nvidia.com/gpu': '1' } }, kind = 'Deployment') =>
  podWorkload(
    'llm',
    'ai',
    { containers: [{ name: 'server', image: 'vllm/vllm-openai:v0.11.1', env: Object.entries(env).map(([name, value]) => ({ name, value })), resources }] },
    kind,
  );

describe('gpu-visible-devices-overridden: NVIDIA_VISIBLE_DEVICES set beside a GPU request', () => {
  test('all, with CUDA_VISIBLE_DEVICES=0: a warning naming both and the allocation', () => {
    expect(ruleFindings(RULE, [deployment({ NVIDIA_VISIBLE_DEVICES: 'all', CUDA_VISIBLE_DEVICES: '0' })])).toEqual([
      expect.stringMatching(
        /^warning Deployment\/ai\/llm: container 'server': env NVIDIA_VISIBLE_DEVICES=all beside a request of 1 nvidia\.com\/gpu: .*every GPU of the node.*CUDA_VISIBLE_DEVICES=0 .*same device/,
      ),
    ]);
  });

  test('a fixed list, the GPU count from requests', () => {
    expect(ruleFindings(RULE, [deployment({ NVIDIA_VISIBLE_DEVICES: '2,3' }, { requests: { 'nvidia.com/gpu': 2 } }, 'StatefulSet')])).toEqual([
      expect.stringMatching(/^warning StatefulSet\/ai\/llm: .*the node's GPUs 2,3, not the 2 it was allotted/),
    ]);
  });

  test('an InferenceService predictor model', () => {
    const isvc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'chat', namespace: 'ai' },
      spec: {
        predictor: {
          model: {
            modelFormat: { name: 'huggingface' },
            env: [{ name: 'NVIDIA_VISIBLE_DEVICES', value: 'all' }],
            resources: { limits: { 'nvidia.com/gpu': '1' } },
          },
        },
      },
    };
    expect(ruleFindings(RULE, [isvc])).toEqual([
      expect.stringMatching(/^warning InferenceService\/ai\/chat: spec\.predictor\.model: env NVIDIA_VISIBLE_DEVICES=all/),
    ]);
  });

  test.each([
    ['no GPU request (a monitoring agent)', deployment({ NVIDIA_VISIBLE_DEVICES: 'all' }, {})],
    ['void', deployment({ NVIDIA_VISIBLE_DEVICES: 'void' })],
    ['none', deployment({ NVIDIA_VISIBLE_DEVICES: 'none' })],
    ['a reference', deployment({ NVIDIA_VISIBLE_DEVICES: '$(GPUS)' })],
    ['CUDA_VISIBLE_DEVICES alone', deployment({ CUDA_VISIBLE_DEVICES: '0' })],
    ['a zero request', deployment({ NVIDIA_VISIBLE_DEVICES: 'all' }, { limits: { 'nvidia.com/gpu': 0 } })],
  ])('%s: silent', (_what, doc) => {
    expect(ruleFindings(RULE, [doc])).toEqual([]);
  });

  describe('no GPU request, under the nvidia runtime class: an error', () => {
    const pod = (
      env: Record<string, string>,
      over: { kind?: string; namespace?: string; image?: string; runtimeClassName?: string; resources?: object } = {},
    ) =>
      podWorkload(
        'embed',
        over.namespace ?? 'ai',
        {
          ...(over.runtimeClassName === '' ? {} : { runtimeClassName: over.runtimeClassName ?? 'nvidia' }),
          containers: [
            {
              name: 'server',
              image: over.image ?? 'ghcr.io/acme/embedder:1.0',
              env: Object.entries(env).map(([name, value]) => ({ name, value })),
              resources: over.resources ?? { limits: { cpu: '2' } },
            },
          ],
        },
        over.kind ?? 'Deployment',
      );

    test('all, on a Deployment: an error naming the runtime class and the fix', () => {
      expect(ruleFindings(RULE, [pod({ NVIDIA_VISIBLE_DEVICES: 'all' })])).toEqual([
        "error Deployment/ai/embed: container 'server': env NVIDIA_VISIBLE_DEVICES=all with runtimeClassName nvidia and no nvidia.com/gpu request: " +
          'the NVIDIA runtime mounts every GPU of the node into the container, while the scheduler counts none for it and gives those GPUs to other pods, ' +
          "so the container computes on GPUs allotted to others (their memory runs out, CUDA fails, they crash loop): request nvidia.com/gpu in the container's resources.limits and drop NVIDIA_VISIBLE_DEVICES",
      ]);
    });

    test('GPU indexes under nvidia-cdi', () => {
      expect(ruleFindings(RULE, [pod({ NVIDIA_VISIBLE_DEVICES: '0,1' }, { runtimeClassName: 'nvidia-cdi', kind: 'StatefulSet' })])).toEqual([
        expect.stringMatching(
          /^error StatefulSet\/ai\/embed: container 'server': env NVIDIA_VISIBLE_DEVICES=0,1 with runtimeClassName nvidia-cdi .*the node's GPUs 0,1 into/,
        ),
      ]);
    });

    test('a DaemonSet of another image: a warning that says it may only read GPU state', () => {
      expect(ruleFindings(RULE, [pod({ NVIDIA_VISIBLE_DEVICES: 'all' }, { kind: 'DaemonSet' })])).toEqual([
        expect.stringMatching(/^warning DaemonSet\/ai\/embed: .*as a DaemonSet it may be a node agent that only reads GPU state/),
      ]);
    });

    test("a RayCluster worker group's container is named by its template path", () => {
      const ray = {
        apiVersion: 'ray.io/v1',
        kind: 'RayCluster',
        metadata: { name: 'rc', namespace: 'ai' },
        spec: {
          headGroupSpec: { template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.49.1' }] } } },
          workerGroupSpecs: [
            {
              groupName: 'gpu',
              template: {
                spec: {
                  runtimeClassName: 'nvidia',
                  containers: [{ name: 'ray-worker', image: 'rayproject/ray:2.49.1-gpu', env: [{ name: 'NVIDIA_VISIBLE_DEVICES', value: 'all' }] }],
                },
              },
            },
          ],
        },
      };
      expect(ruleFindings(RULE, [ray])).toEqual([
        expect.stringMatching(/^error RayCluster\/ai\/rc: spec\.workerGroupSpecs\[0\]\.template container 'ray-worker': env NVIDIA_VISIBLE_DEVICES=all/),
      ]);
    });

    test.each([
      ['the device plugin', pod({ NVIDIA_VISIBLE_DEVICES: 'all' }, { kind: 'DaemonSet', image: 'nvcr.io/nvidia/k8s-device-plugin:v0.17.4' })],
      ['the DCGM exporter', pod({ NVIDIA_VISIBLE_DEVICES: 'all' }, { kind: 'DaemonSet', image: 'nvcr.io/nvidia/k8s/dcgm-exporter:4.2.3-4.1.1-ubuntu22.04' })],
      [
        'an operand of the GPU Operator',
        pod({ NVIDIA_VISIBLE_DEVICES: 'all' }, { kind: 'DaemonSet', image: 'nvcr.io/nvidia/cloud-native/gpu-operator-validator:v25.3.0' }),
      ],
      ['a pod in the gpu-operator namespace', pod({ NVIDIA_VISIBLE_DEVICES: 'all' }, { namespace: 'gpu-operator' })],
      ['a pod in nvidia-gpu-operator', pod({ NVIDIA_VISIBLE_DEVICES: 'all' }, { namespace: 'nvidia-gpu-operator' })],
      ['void', pod({ NVIDIA_VISIBLE_DEVICES: 'void' })],
      [
        'a pod claiming GPUs by dynamic resource allocation',
        (() => {
          const d = pod({ NVIDIA_VISIBLE_DEVICES: 'all' });
          d.spec.template.spec.resourceClaims = [{ name: 'gpu', resourceClaimTemplateName: 'one-gpu' }];
          return d;
        })(),
      ],
      ['none', pod({ NVIDIA_VISIBLE_DEVICES: 'none' })],
      ['no runtime class (the default runtime is unknown)', pod({ NVIDIA_VISIBLE_DEVICES: 'all' }, { runtimeClassName: '' })],
      [
        'a MIG slice requested (judged as a request, not here)',
        pod({ NVIDIA_VISIBLE_DEVICES: 'all' }, { resources: { limits: { 'nvidia.com/mig-1g.10gb': 1 } } }),
      ],
    ])('%s: silent', (_what, doc) => {
      expect(ruleFindings(RULE, [doc])).toEqual([]);
    });
  });
});
