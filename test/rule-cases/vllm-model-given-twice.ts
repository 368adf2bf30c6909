import { ruleFound } from '../util';

/** A Deployment whose one container runs the shell line given, on the image given. */
const deployment = (image: string, line: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'chat', namespace: 'llm' },
  spec: {
    selector: { matchLabels: { app: 'chat' } },
    template: {
      metadata: { labels: { app: 'chat' } },
      spec: { containers: [{ name: 'server', image, command: ['/bin/sh', '-c'], args: [line] }] },
    },
  },
});
const found = (image: string, line: string) =>
  ruleFound('vllm-model-given-twice', [{ manifest: deployment(image, line) }], { platform: 'kserve', alone: true }).map(
    (f) => `${f.severity} ${f.object}: ${f.message}`,
  );

describe('vllm-model-given-twice', () => {
  test('a positional and --model on a release that moves --model: the positional is left over, argparse refuses it', () => {
    expect(found('vllm/vllm-openai:v0.19.0', 'vllm serve vllm.entrypoints.openai.api_server --model org/chat-7b --port 8000')).toEqual([
      expect.stringMatching(
        /^error Deployment\/llm\/chat: container 'server': `vllm serve vllm\.entrypoints\.openai\.api_server` .* also gives --model org\/chat-7b .*unrecognized arguments: vllm\.entrypoints\.openai\.api_server.*server exits.*`vllm serve org\/chat-7b …`/,
      ),
    ]);
  });

  test('on a release that refuses --model under vllm serve, and on one the image does not tell: both ways said', () => {
    expect(found('vllm/vllm-openai:v0.8.5', 'vllm serve org/chat-7b --model=org/chat-7b')).toEqual([
      expect.stringMatching(/^error .*refuses --model under `vllm serve`.*server exits/),
    ]);
    expect(found('registry.example.com/serving/chat-server:3', 'vllm serve org/chat-7b --model org/other-7b')[0]).toMatch(
      /from 0\.11\.1 on .*unrecognized arguments: org\/chat-7b.*releases 0\.6\.0 to 0\.11\.0 refuse it outright/,
    );
  });

  test('near misses: the model given once either way, a variable in front, a release before 0.6.0', () => {
    expect(found('vllm/vllm-openai:v0.19.0', 'vllm serve org/chat-7b --port 8000')).toEqual([]);
    expect(found('vllm/vllm-openai:v0.19.0', 'vllm serve --model org/chat-7b --port 8000')).toEqual([]);
    expect(found('vllm/vllm-openai:v0.19.0', 'vllm serve $MODEL --model org/chat-7b')).toEqual([]);
    expect(found('vllm/vllm-openai:v0.5.4', 'vllm serve org/chat-7b --model org/other-7b')).toEqual([]);
  });
});
