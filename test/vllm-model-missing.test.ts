import { runChecks } from '../lib';

type Doc = Record<string, unknown>;
const objects = (container: Doc) =>
  runChecks(
    [{ manifest: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ai' }, spec: { containers: [{ name: 'vllm', ...container }] } } }],
    {
      platform: 'kserve',
    },
  )
    .filter((f) => f.rule === 'vllm-model-missing')
    .map((f) => f.object);

describe('vllm-model-missing and MODEL-like variables', () => {
  const modelPath = [{ name: 'MODEL_PATH', value: '/models/mistral-7b' }];

  test.each([
    ["vLLM's image started by its entrypoint", { image: 'vllm/vllm-openai:v0.10.1', args: ['--port=8000'], env: modelPath }],
    ['an explicit vllm serve command', { image: 'registry.example.com/team/server:1.0', command: ['vllm', 'serve'], args: ['--port=8000'], env: modelPath }],
  ])('%s reads no MODEL_PATH: the default model is served', (_, container) => {
    expect(objects(container)).toEqual(['Pod/ai/p']);
  });

  test.each([
    [
      'an image whose entrypoint is unknown (a wrapper may read it)',
      { image: 'registry.example.com/team/server:1.0', args: ['vllm', 'serve', '--port=8000'], env: modelPath },
    ],
    [
      'a shell script that expands it',
      { image: 'vllm/vllm-openai:v0.10.1', command: ['sh', '-c'], args: ['exec vllm serve "$MODEL_PATH" --port 8000'], env: modelPath },
    ],
    ['the kubelet expanding it', { image: 'vllm/vllm-openai:v0.10.1', args: ['--model', '$(MODEL_PATH)'], env: modelPath }],
  ])('near miss: %s', (_, container) => {
    expect(objects(container)).toEqual([]);
  });
});
