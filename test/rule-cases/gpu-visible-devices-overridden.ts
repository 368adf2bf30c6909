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
});
