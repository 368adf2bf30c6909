import { ruleFound } from '../util';

const pod = (init: object) => ({
  manifest: {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'decode', namespace: 'llm' },
    spec: { initContainers: [{ name: 'first', ...init }], containers: [{ name: 'app', image: 'registry.example.com/app:1' }] },
  },
});

const found = (init: object) => ruleFound('init-container-never-exits', [pod(init)]);

describe('init-container-never-exits: a server as a classic init container', () => {
  test.each([
    [{ image: 'ghcr.io/llm-d/llm-d-routing-sidecar:v0.2.0', args: ['--port=8000'] }, /llm-d's routing sidecar/],
    [{ image: 'ghcr.io/llm-d/llm-d-router-disagg-sidecar:v0.7.0' }, /llm-d's routing sidecar/],
    [{ image: 'docker.io/envoyproxy/envoy:v1.31.0' }, /Envoy/],
    [{ image: 'registry.example.com/base:1', command: ['vllm', 'serve', 'Qwen/Qwen2.5-0.5B-Instruct'] }, /vLLM's OpenAI server \(its command line starts it\)/],
    [{ image: 'registry.example.com/base:1', command: ['python3', '-m', 'sglang.launch_server', '--model-path', 'x'] }, /SGLang/],
  ])('%j: an error', (init, server) => {
    const [f] = found(init);
    expect(f.severity).toBe('error');
    expect(f.object).toBe('Pod/llm/decode');
    expect(f.message).toMatch(server);
    expect(f.message).toMatch(/no restartPolicy: Always: .*Init:0\/1/);
  });

  test.each([
    [{ image: 'ghcr.io/llm-d/llm-d-routing-sidecar:v0.2.0', restartPolicy: 'Always' }],
    [{ image: 'vllm/vllm-openai:v0.10.2', command: ['huggingface-cli', 'download', 'Qwen/Qwen2.5-0.5B-Instruct'] }],
    [{ image: 'registry.example.com/my-proxy-server:1' }],
    [{ image: 'busybox:1.36', command: ['sh', '-c', 'cp /a /b'] }],
  ])('near miss %j', (init) => {
    expect(found(init)).toEqual([]);
  });
});

describe("init-container-never-exits: vLLM's image left to its entrypoint", () => {
  test('args only on vllm/vllm-openai: the entrypoint starts the server', () => {
    const [f] = found({ image: 'vllm/vllm-openai:v0.10.2', args: ['--model=Qwen/Qwen2.5-0.5B-Instruct'] });
    expect(f.message).toMatch(/vLLM's OpenAI server \(its image's entrypoint starts it\)/);
  });
});

describe('init-container-never-exits: a server the init script starts in the background', () => {
  const script = (lines: string[]) => ({ image: 'ollama/ollama:0.6.8', command: ['sh', '-c'], args: [lines.join('\n')] });
  const start = ['ollama serve &', 'PID=$!', 'until ollama list >/dev/null 2>&1; do sleep 1; done', 'ollama pull llama3.2:1b'];

  test.each([['kill $!'], ['kill $PID'], ['kill %1'], ['pkill ollama'], ['killall ollama']])(
    'killed before the script ends (%s): the container exits, no finding',
    (kill) => {
      expect(found(script([...start, kill]))).toEqual([]);
    },
  );

  test('not killed, but the script goes on and ends: the shell exits and the container with it, no finding', () => {
    expect(found(script(start))).toEqual([]);
  });

  test('never killed and waited on: the script stays on the server, the error', () => {
    const [f, ...rest] = found(script([...start, 'wait']));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'error', object: 'Pod/llm/decode' });
    expect(f.message).toMatch(/runs Ollama \(its command line starts it\)/);
  });

  test('a server in the foreground: the error, as before', () => {
    expect(found(script(['ollama serve'])).map((f) => f.severity)).toEqual(['error']);
  });
});
