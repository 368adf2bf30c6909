import { ruleFound, severityMessages } from '../util';

type Doc = Record<string, unknown>;
const findings = (container: Doc) =>
  severityMessages(
    ruleFound(
      'command-typographic-quote',
      [
        {
          manifest: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: 'w', namespace: 'ai' },
            spec: { template: { spec: { containers: [{ name: 'c', image: 'vllm/vllm-openai:v0.10.1', ...container }] } } },
          },
        },
      ],
      { platform: 'kserve', alone: true },
    ),
  );

describe('command-typographic-quote', () => {
  test('the program between typographic quotes: an error naming the exec that fails', () => {
    expect(findings({ command: ['“/bin/bash”'], args: ['-c', 'vllm serve Qwen/Qwen3-0.6B'] })).toEqual([
      [
        'error',
        'container \'c\': command[0] “/bin/bash” is written between typographic quotes, which YAML keeps as characters of the string: the kubelet execs a file named “/bin/bash”, which does not exist, and the container fails to start (StartError); write "/bin/bash" with straight quotes or none',
      ],
    ]);
  });

  test("an option or a path given to the image's entrypoint: an error; other text: a warning", () => {
    expect(findings({ args: ['‘--model’', 'Qwen/Qwen3-0.6B'] })).toEqual([
      ['error', expect.stringContaining('the program receives ‘--model’ with the quotes')],
    ]);
    expect(findings({ command: ['/bin/sh', '-c', 'echo $0', '“hello”'] })).toEqual([['warning', expect.stringContaining('command[3] “hello”')]]);
  });

  test('near misses: straight quotes, and a typographic quote inside a word (a script that prints it)', () => {
    expect(findings({ command: ['/bin/sh', '-c'], args: ['echo “ready” && vllm serve Qwen/Qwen3-0.6B'] })).toEqual([]);
    expect(findings({ args: ['--model', 'Qwen/Qwen3-0.6B'] })).toEqual([]);
  });
});
