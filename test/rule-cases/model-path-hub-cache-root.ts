import { ruleFound, severityObjectMessages } from '../util';

const deployment = (args: string[]) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'llm', namespace: 'ml' },
  spec: {
    selector: { matchLabels: { app: 'llm' } },
    template: { metadata: { labels: { app: 'llm' } }, spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.10.1', args }] } },
  },
});

const findings = (...manifests: Record<string, unknown>[]) =>
  severityObjectMessages(
    ruleFound(
      'model-path-hub-cache-root',
      manifests.map((manifest) => ({ manifest })),
      { platform: 'kserve', alone: true },
    ),
  );

describe('model-path-hub-cache-root', () => {
  test('--model at the root of a hub cache entry: an error naming the snapshot layout and the repository', () => {
    expect(findings(deployment(['--model', '/cache/hub/models--roneneldan--TinyStories-1M']))).toEqual([
      [
        'error',
        'Deployment/ml/llm',
        expect.stringMatching(
          /^container 'vllm' args --model names \/cache\/hub\/models--roneneldan--TinyStories-1M, the root of the Hugging Face hub cache's entry for roneneldan\/TinyStories-1M: .*snapshots\/<revision>\/.*no config.json/,
        ),
      ],
    ]);
  });

  test("its blobs folder, and an InferenceService's custom container", () => {
    expect(findings(deployment(['--model=/cache/models--org--m/blobs'])).map(([, , m]) => /the blobs folder of/.test(m))).toEqual([true]);
    const isvc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'tiny', namespace: 'ml' },
      spec: {
        predictor: { containers: [{ name: 'kserve-container', image: 'vllm/vllm-openai:v0.10.1', args: ['--model', '/mnt/models/hub/models--a--b/'] }] },
      },
    };
    expect(findings(isvc).map(([s]) => s)).toEqual(['error']);
  });

  test('near misses: a snapshot folder, a hub id, a plain folder', () => {
    expect(findings(deployment(['--model', '/cache/hub/models--org--m/snapshots/0123abcd']))).toEqual([]);
    expect(findings(deployment(['--model', 'org/m']))).toEqual([]);
    expect(findings(deployment(['--model', '/models/org--m']))).toEqual([]);
  });
});
