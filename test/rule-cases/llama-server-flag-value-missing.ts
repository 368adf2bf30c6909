import { podWorkload, ruleFindings } from '../util';

/** llama.cpp's server takes the word after an option that takes a value, whatever it is; with none it exits. */
describe('llama-server-flag-value-missing', () => {
  const RULE = 'llama-server-flag-value-missing';
  const server = (args: string[], image = 'ghcr.io/ggml-org/llama.cpp:server-cuda', command?: string[]) =>
    ruleFindings(RULE, [podWorkload('gguf', 'ai', { containers: [{ name: 'server', image, args, ...(command ? { command } : {}) }] })]);

  test('--flash-attn as the last word on a current server image: an error naming the parser message and the values', () => {
    expect(server(['-m', '/models/m.gguf', '--flash-attn'])).toEqual([
      "error Deployment/ai/gguf: container 'server': --flash-attn (container 'server' args) takes a value and is the last word of the command line: " +
        'llama-server\'s parser finds none ("expected value for argument") and the server exits before it loads the model; ' +
        'write its value right after it (--flash-attn takes on, off or auto since the builds of late August 2025; it was a switch before), or drop it',
    ]);
    expect(server(['-m', '/models/m.gguf', '-fa'], 'ghcr.io/ggml-org/llama.cpp:server-b6500')).toHaveLength(1);
  });

  test('a number or choice option followed by another option: refused, an error', () => {
    expect(server(['-m', '/models/m.gguf', '--flash-attn', '--port', '8080'])).toEqual([
      expect.stringMatching(
        /^error .*--flash-attn \(container 'server' args\) takes a value and the word after it, '--port', is taken as its value .*which it refuses \("error while handling argument \\"--flash-attn\\""\)/,
      ),
    ]);
    expect(server(['-m', '/models/m.gguf', '--ctx_size', '-ngl', '99'])).toEqual([expect.stringMatching(/^error .*--ctx_size .*'-ngl'.*refuses/)]);
  });

  test('a text option swallowing an option with a value: an error; swallowing a switch: a warning', () => {
    expect(server(['-m', '/models/m.gguf', '--alias', '--port', '8080'])).toEqual([
      expect.stringMatching(
        /^error .*--alias .*'--port', is taken as its value .*the value meant for --port is then read as an option of its own \("error: invalid argument"\)/,
      ),
    ]);
    expect(server(['-m', '/models/m.gguf', '--alias', '--jinja'])).toEqual([
      expect.stringMatching(/^warning .*--alias .*'--jinja', is taken as its value .*: --jinja never applies and --alias is set to '--jinja'/),
    ]);
  });

  test('llama-server run as the command of any image: judged, --flash-attn aside (the build is unknown)', () => {
    expect(server(['-m', '/models/m.gguf', '--port'], 'registry.example/llm/llama:1', ['/app/llama-server'])).toEqual([
      expect.stringMatching(/^error .*--port .*last word/),
    ]);
    expect(server(['-m', '/models/m.gguf', '--flash-attn'], 'registry.example/llm/llama:1', ['/app/llama-server'])).toEqual([]);
  });

  test.each([
    ['--flash-attn with its value', ['-m', '/models/m.gguf', '--flash-attn', 'on']],
    ['a switch last', ['-m', '/models/m.gguf', '--jinja']],
    ['a negative number as a value', ['-m', '/models/m.gguf', '--seed', '-1', '-ngl', '99']],
    ['an unknown variable after the option', ['-m', '/models/m.gguf', '--ctx-size', '$CTX']],
  ])('near miss, %s: silent', (_, args) => {
    expect(server(args)).toEqual([]);
  });

  test('near miss: --flash-attn last on a build where it was a switch', () => {
    expect(server(['-m', '/models/m.gguf', '--flash-attn'], 'ghcr.io/ggml-org/llama.cpp:server-cuda-b5000')).toEqual([]);
  });
});
