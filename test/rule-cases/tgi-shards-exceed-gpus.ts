import { ruleFindings } from '../util';

const RULE = 'tgi-shards-exceed-gpus';
const tgi = (container: Record<string, unknown>, gpus?: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'tgi', namespace: 'text' },
  spec: {
    selector: { matchLabels: { app: 'tgi' } },
    template: {
      metadata: { labels: { app: 'tgi' } },
      spec: {
        containers: [
          {
            name: 'launcher',
            image: 'ghcr.io/huggingface/text-generation-inference:3.3.4',
            ...container,
            ...(gpus === undefined ? {} : { resources: { limits: { 'nvidia.com/gpu': gpus } } }),
          },
        ],
      },
    },
  },
});

describe('tgi-shards-exceed-gpus: more TGI shards than GPUs', () => {
  test('NUM_SHARD, or --num-shard, above the GPU limit: an error naming both counts', () => {
    expect(ruleFindings(RULE, [tgi({ env: [{ name: 'NUM_SHARD', value: '4' }] }, 2)])).toEqual([
      expect.stringMatching(
        /^error Deployment\/text\/tgi: container 'launcher' runs TGI with NUM_SHARD=4 but is given 2 nvidia\.com\/gpu.*Each process is one gpu/,
      ),
    ]);
    expect(ruleFindings(RULE, [tgi({ args: ['--model-id', 'org/model', '--num-shard=2'] }, 1)])).toEqual([
      expect.stringMatching(/runs TGI with --num-shard 2 but is given 1/),
    ]);
    const launcher = tgi({ image: 'registry.example.org/tgi:1', command: ['text-generation-launcher'], args: ['--num-shard', '8'] }, 4);
    expect(ruleFindings(RULE, [launcher])).toHaveLength(1);
  });

  test('near misses: shards within the GPUs, the argument winning over the env, a variable, no GPU given, another server', () => {
    expect(ruleFindings(RULE, [tgi({ env: [{ name: 'NUM_SHARD', value: '2' }] }, 2)])).toEqual([]);
    expect(ruleFindings(RULE, [tgi({ args: ['--num-shard', '2'], env: [{ name: 'NUM_SHARD', value: '8' }] }, 2)])).toEqual([]);
    expect(ruleFindings(RULE, [tgi({ env: [{ name: 'NUM_SHARD', value: '$(SHARDS)' }] }, 1)])).toEqual([]);
    expect(ruleFindings(RULE, [tgi({ env: [{ name: 'NUM_SHARD', value: '2' }] })])).toEqual([]);
    expect(ruleFindings(RULE, [tgi({ image: 'vllm/vllm-openai:v0.11.1', env: [{ name: 'NUM_SHARD', value: '4' }] }, 1)])).toEqual([]);
  });
});
