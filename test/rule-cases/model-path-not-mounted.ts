import { ruleFindings } from '../util';

const RULE = 'model-path-not-mounted';
const deployment = (container: Record<string, unknown>, annotations: Record<string, string> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'srv', namespace: 'ai' },
  spec: {
    selector: { matchLabels: { app: 'srv' } },
    template: { metadata: { labels: { app: 'srv' }, annotations }, spec: { containers: [{ name: 'server', ...container }] } },
  },
});

describe('model-path-not-mounted: a local model path on no volume', () => {
  test("the server's own image: an error naming the path and the mounts", () => {
    expect(
      ruleFindings(RULE, [
        deployment({ image: 'vllm/vllm-openai:v0.11.0', args: ['--model', '/models/m'], volumeMounts: [{ name: 'c', mountPath: '/cache' }] }),
      ]),
    ).toEqual([
      expect.stringMatching(
        /^error Deployment\/ai\/srv: container 'server' runs vLLM with --model \/models\/m, but no volume of the container is mounted there \(it mounts \/cache\).*holds no model/,
      ),
    ]);
    const tgi = deployment({ image: 'ghcr.io/huggingface/text-generation-inference:3.3.4', env: [{ name: 'MODEL_ID', value: '/data/m' }] });
    expect(ruleFindings(RULE, [tgi])).toEqual([expect.stringMatching(/^error .*runs Text Generation Inference with MODEL_ID \/data\/m/)]);
  });

  test('another image: a warning, as it may hold the model', () => {
    expect(
      ruleFindings(RULE, [deployment({ image: 'registry.example.org/chat-with-weights:1', command: ['/app/llama-server', '-m', '/weights/m.gguf'] })]),
    ).toEqual([expect.stringMatching(/^warning .*llama\.cpp server with --model \/weights\/m\.gguf.*only if the image was built with it/)]);
  });

  test('near misses: a mount above the path or at it, a hub id, a KServe-filled pod, a variable', () => {
    expect(
      ruleFindings(RULE, [
        deployment({ image: 'vllm/vllm-openai:v0.11.0', args: ['--model', '/models/m'], volumeMounts: [{ name: 'm', mountPath: '/models/' }] }),
      ]),
    ).toEqual([]);
    expect(
      ruleFindings(RULE, [
        deployment({ image: 'vllm/vllm-openai:v0.11.0', args: ['--model', '/models/m'], volumeMounts: [{ name: 'm', mountPath: '/models/m' }] }),
      ]),
    ).toEqual([]);
    expect(ruleFindings(RULE, [deployment({ image: 'vllm/vllm-openai:v0.11.0', args: ['--model', 'org/m'] })])).toEqual([]);
    expect(
      ruleFindings(RULE, [
        deployment({ image: 'vllm/vllm-openai:v0.11.0', args: ['--model', '/mnt/models'] }, { 'serving.kserve.io/storage-initializer-sourceuri': 's3://b/m' }),
      ]),
    ).toEqual([]);
    expect(ruleFindings(RULE, [deployment({ image: 'vllm/vllm-openai:v0.11.0', args: ['--model', '$(MODEL)'] })])).toEqual([]);
  });
});
