import { ruleFindings } from '../util';

const RULE = 'model-server-loopback-only';
const deployment = (name: string, container: Record<string, unknown>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'ai' },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'server', ...container }] } },
  },
});
const service = (name: string, targetPort: number) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'ai' },
  spec: { selector: { app: name }, ports: [{ port: 80, targetPort }] },
});
const ready = (port: number) => ({ readinessProbe: { httpGet: { path: '/health', port } } });

describe('model-server-loopback-only: a model server on loopback behind a probe or Service', () => {
  test("SGLang's default host behind a Service: an error naming the default, the Service and the fix", () => {
    const sglang = deployment('chat', { image: 'lmsysorg/sglang:latest', command: ['python3', '-m', 'sglang.launch_server', '--model-path', 'org/m'] });
    expect(ruleFindings(RULE, [sglang, service('chat', 30000)])).toEqual([
      expect.stringMatching(
        /^error Deployment\/ai\/chat: container 'server' runs SGLang bound to 127\.0\.0\.1 \(the default of --host\).*Service chat \(to port 30000\).*--host 0\.0\.0\.0/,
      ),
    ]);
  });

  test('llama-server in a derived image with no host: a warning, since the image may set LLAMA_ARG_HOST', () => {
    const own = deployment('gguf', { image: 'registry.example.org/llama:vulkan', command: ['/app/llama-server', '-m', '/m/x.gguf'], ...ready(8080) });
    expect(ruleFindings(RULE, [own])).toEqual([
      expect.stringMatching(/^warning .*llama\.cpp server bound to 127\.0\.0\.1.*unless the image sets LLAMA_ARG_HOST.*readinessProbe on port 8080/),
    ]);
  });

  test('an address written in the container: OLLAMA_HOST on loopback, --host localhost', () => {
    const ollama = deployment('ollama', { image: 'ollama/ollama:0.9.6', env: [{ name: 'OLLAMA_HOST', value: '127.0.0.1:11434' }] });
    expect(ruleFindings(RULE, [ollama, service('ollama', 11434)])).toEqual([
      expect.stringMatching(/^error .*Ollama bound to 127\.0\.0\.1 \(OLLAMA_HOST=127\.0\.0\.1:11434.*OLLAMA_HOST=0\.0\.0\.0:11434/),
    ]);
    const llama = deployment('l', { image: 'ghcr.io/ggml-org/llama.cpp:server', args: ['-m', '/m/x.gguf', '--host', 'localhost'], ...ready(8080) });
    expect(ruleFindings(RULE, [llama])).toEqual([expect.stringMatching(/^error .*bound to localhost \(--host localhost/)]);
  });

  test('near misses: the official images, every address, exec probes only, a Service to another port, TGI and LocalAI defaults', () => {
    expect(ruleFindings(RULE, [deployment('l', { image: 'ghcr.io/ggml-org/llama.cpp:server-cuda', args: ['-m', '/m/x.gguf'], ...ready(8080) })])).toEqual([]);
    expect(ruleFindings(RULE, [deployment('o', { image: 'ollama/ollama:latest', ...ready(11434) }), service('o', 11434)])).toEqual([]);
    const all = deployment('chat', {
      image: 'lmsysorg/sglang:latest',
      command: ['python3', '-m', 'sglang.launch_server', '--model-path', 'org/m', '--host=0.0.0.0'],
    });
    expect(ruleFindings(RULE, [all, service('chat', 30000)])).toEqual([]);
    const execOnly = deployment('chat', {
      image: 'lmsysorg/sglang:latest',
      command: ['python3', '-m', 'sglang.launch_server', '--model-path', 'org/m'],
      livenessProbe: { exec: { command: ['curl', '-f', 'http://127.0.0.1:30000/health'] } },
    });
    expect(ruleFindings(RULE, [execOnly])).toEqual([]);
    const sidecar = deployment('chat', { image: 'lmsysorg/sglang:latest', command: ['python3', '-m', 'sglang.launch_server', '--model-path', 'org/m'] });
    expect(ruleFindings(RULE, [sidecar, service('chat', 8443)])).toEqual([]);
    expect(
      ruleFindings(RULE, [deployment('t', { image: 'ghcr.io/huggingface/text-generation-inference:3.3.4', args: ['--model-id', 'org/m'], ...ready(80) })]),
    ).toEqual([]);
    expect(ruleFindings(RULE, [deployment('a', { image: 'localai/localai:latest-cpu', ...ready(8080) }), service('a', 8080)])).toEqual([]);
  });
});
