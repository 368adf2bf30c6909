import { ruleFindings } from '../util';

const RULE = 'vllm-visible-devices-short';
const deployment = (args: string[], devices: string, kind = 'Deployment', extraEnv: Record<string, string>[] = []) => ({
  apiVersion: 'apps/v1',
  kind,
  metadata: { name: 'llm', namespace: 'ai' },
  spec: {
    selector: { matchLabels: { app: 'llm' } },
    template: {
      metadata: { labels: { app: 'llm' } },
      spec: {
        containers: [
          {
            name: 'vllm',
            image: 'vllm/vllm-openai:v0.11.1',
            command: ['vllm', 'serve'],
            args,
            env: [{ name: 'CUDA_VISIBLE_DEVICES', value: devices }, ...extraEnv],
          },
        ],
      },
    },
  },
});

describe('vllm-visible-devices-short: fewer visible devices than tensor x pipeline parallel size', () => {
  test('one device for TP 4: an error with vLLM refusal and the sizes', () => {
    expect(ruleFindings(RULE, [deployment(['org/m', '--tensor-parallel-size', '4'], '0')])).toEqual([
      expect.stringMatching(
        /^error Deployment\/ai\/llm: container 'vllm': CUDA_VISIBLE_DEVICES=0 .*at most 1 GPU, and its world is 4 .*World size \(4\) is larger than the number of available GPUs \(1\)/,
      ),
    ]);
  });

  test('TP 2 x PP 2 over two devices; UUIDs counted as devices', () => {
    expect(ruleFindings(RULE, [deployment(['org/m', '-tp', '2', '--pipeline-parallel-size', '2'], '0,1')])).toEqual([expect.stringMatching(/world is 4/)]);
    expect(ruleFindings(RULE, [deployment(['org/m', '-tp', '2'], 'GPU-8f3a2b1c-0000-1111-2222-333344445555')])).toEqual([
      expect.stringMatching(/at most 1 GPU/),
    ]);
  });

  test("llm-d ModelService: the role's parallelism.tensor with the container's env", () => {
    const ms = {
      apiVersion: 'llm-d.ai/v1alpha1',
      kind: 'ModelService',
      metadata: { name: 'scout', namespace: 'ai' },
      spec: { decode: { parallelism: { tensor: 8 }, containers: [{ name: 'vllm', env: [{ name: 'CUDA_VISIBLE_DEVICES', value: '0' }] }] } },
    };
    expect(ruleFindings(RULE, [ms])).toEqual([expect.stringMatching(/^error ModelService\/ai\/scout: spec\.decode container 'vllm': .*world is 8/)]);
  });

  test.each([
    ['enough devices', deployment(['org/m', '-tp', '2'], '0,1')],
    ['the Ray backend', deployment(['org/m', '-tp', '4', '--distributed-executor-backend', 'ray'], '0')],
    ['several nodes', deployment(['org/m', '-tp', '4', '--nnodes', '2'], '0,1')],
    ['a Ray address in the env', deployment(['org/m', '-tp', '4'], '0', 'Deployment', [{ name: 'RAY_ADDRESS', value: 'ray-head:6379' }])],
    ['a variable value', deployment(['org/m', '-tp', '4'], '$(GPU_IDS)')],
    ['an empty value (no GPU at all: another failure)', deployment(['org/m', '-tp', '4'], '')],
    ['a variable size', deployment(['org/m', '-tp', '$(TP)'], '0')],
  ])('%s: silent', (_what, doc) => {
    expect(ruleFindings(RULE, [doc])).toEqual([]);
  });
});
