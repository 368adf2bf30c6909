import { runChecks } from '../../lib';
import { ruleFound, severityMessages } from '../util';

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

describe('vllm-model-missing on images named after vLLM under other registries', () => {
  const findings = (container: Doc) =>
    severityMessages(
      ruleFound(
        'vllm-model-missing',
        [{ manifest: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ai' }, spec: { containers: [{ name: 'vllm', ...container }] } } }],
        { platform: 'kserve' },
      ),
    );
  const modelPath = [{ name: 'MODEL_PATH', value: '/models/mistral-7b' }];

  test('vllm-openai under another organisation, bare or by digest, is the server image: no model is an error', () => {
    expect(findings({ image: 'ghcr.io/acme/vllm-openai:v0.9.2', env: modelPath })).toEqual([
      ['error', expect.stringContaining("starts vLLM's server with no model")],
    ]);
    expect(findings({ image: 'mirror.example.com/ml/vllm-openai', args: ['--port=8000'] }).map((f) => f[0])).toEqual(['error']);
  });

  test('a repository named vllm, entrypoint unknown, no command, args or MODEL-like variable: a warning that says what it assumed', () => {
    expect(findings({ image: 'ghcr.io/acme/vllm:latest', env: [{ name: 'PORT', value: '8000' }] })).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^container 'vllm' runs ghcr\.io\/acme\/vllm:latest with no command and no args, and its entrypoint is not known here: if it is vLLM's OpenAI server .*it names no model and vLLM serves its default model; pass the model in args/,
        ),
      ],
    ]);
  });

  test("a wrapper image (not vLLM's own, not Red Hat's) given MODEL: its entrypoint may read it (substratusai/vllm passes --model $MODEL), no finding (it was a warning)", () => {
    expect(
      findings({
        image: 'substratusai/vllm:v0.5.3.post1',
        env: [
          { name: 'MODEL', value: 'acme/chat-7b' },
          { name: 'PORT', value: '8080' },
        ],
      }),
    ).toEqual([]);
    expect(findings({ image: 'ghcr.io/acme/vllm:latest', env: modelPath })).toEqual([]);
  });

  test("Red Hat's build (quay.io/modh/vllm), whose entrypoint is vLLM's server, given MODEL_PATH: still the error, vLLM reads no such variable", () => {
    expect(findings({ image: 'quay.io/modh/vllm:rhoai-2.22-cuda', env: modelPath })).toEqual([
      ['error', expect.stringContaining("starts vLLM's server with no model")],
    ]);
  });

  test.each([
    ['args given (judged by what they say)', { image: 'ghcr.io/acme/vllm:latest', args: ['--model', '/models/m'] }],
    ['another repository name', { image: 'ghcr.io/acme/vllm-tools:latest', env: modelPath }],
    ['a command given', { image: 'ghcr.io/acme/vllm:latest', command: ['vllm', 'serve', '/models/m'] }],
  ])('near miss: %s', (_, container) => {
    expect(findings(container)).toEqual([]);
  });
});
