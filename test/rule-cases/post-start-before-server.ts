import { runChecks } from '../../lib';

const deployment = (container: Record<string, unknown>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'server', namespace: 'chat' },
  spec: {
    selector: { matchLabels: { app: 'server' } },
    template: { metadata: { labels: { app: 'server' } }, spec: { containers: [{ name: 'server', ...container }] } },
  },
});
const hook = (script: string) => ({ postStart: { exec: { command: ['/bin/sh', '-c', script] } } });
const ollama = (script: string, extra: Record<string, unknown> = {}) => deployment({ image: 'ollama/ollama:0.12.9', lifecycle: hook(script), ...extra });
const findings = (m: Record<string, unknown>) =>
  runChecks([{ manifest: m }], { platform: 'kserve' })
    .filter((f) => f.rule === 'post-start-before-server')
    .map((f) => [f.severity, f.message]);

// Kubernetes docs "Container Lifecycle Hooks" (no order between the hook and the entrypoint; a failed PostStart kills
// the container); ollama cmd/cmd.go checkServerHeartbeat and cmd/start_default.go (the Linux client starts no server)
describe('post-start-before-server', () => {
  test('the Ollama client looping over models as the last command of the hook: an error naming the call', () => {
    expect(findings(ollama('for model in $PRELOAD_MODELS; do ollama run $model ""; done'))).toEqual([
      [
        'error',
        "container 'server' lifecycle.postStart runs `ollama run $model \"\"` at once: the kubelet starts the hook right after the container's entrypoint, in no order with it, so the container's own server is not yet listening; the call fails, the hook exits non-zero, and the kubelet kills the container (FailedPostStartHook) and restarts it, again and again; preload the model outside postStart (a Job, or a step that waits for the Service once the pod is Ready), or wait for the server first in the hook with a bounded loop (`for i in $(seq 60); do curl -sf localhost:<port> && break; sleep 1; done`)",
      ],
    ]);
  });

  test.each([
    ['a single pull', 'ollama pull llama3.2'],
    ['a pull joined by && to what follows', 'ollama pull llama3.2 && echo ready'],
    ['under set -e', 'set -e; ollama pull llama3.2; echo ready'],
  ])('error: %s', (_, script) => {
    expect(findings(ollama(script)).map(([s]) => s)).toEqual(['error']);
  });

  test("curl to localhost at the container's own port is an error; a server that is not Ollama is judged by its containerPorts", () => {
    const server = (url: string) =>
      deployment({ image: 'ghcr.io/example/llm-server:1.0', ports: [{ containerPort: 8000 }], lifecycle: hook(`curl -sf -X POST ${url}/v1/warmup`) });
    expect(findings(server('http://localhost:8000')).map(([s]) => s)).toEqual(['error']);
    expect(findings(server('http://localhost:9000'))).toEqual([]);
  });

  test('a while/until loop that retries the call with no bound: a warning that the pod may start for ever', () => {
    expect(findings(ollama('until ollama pull llama3.2; do sleep 5; done'))).toEqual([
      [
        'warning',
        "container 'server' lifecycle.postStart repeats `ollama pull llama3.2` in a loop with no bound until it succeeds: the container is not Running (nor Ready, nor probed) until the hook returns, so a call that can never succeed (a model name the registry lacks, no network) holds the pod starting for ever with no error; bound the loop (a counter, then exit 1), or preload the model outside postStart",
      ],
    ]);
  });

  test.each([
    ['a loop that polls the server first', 'until curl -sf localhost:11434; do sleep 1; done; ollama pull llama3.2'],
    ['a sleep first', 'sleep 10 && ollama pull llama3.2'],
    ['a retry loop with a counter', 'i=0; while [ $i -lt 30 ]; do ollama pull llama3.2 && break; i=$((i+1)); sleep 2; done'],
    ['a failure the script ignores', 'ollama pull llama3.2 || true'],
    ['a command after the call decides the status', 'ollama pull llama3.2; echo done'],
    ['the hook sent to the background', '(ollama pull llama3.2) &'],
    ['a version query asks no server', 'ollama --version'],
  ])('near miss: %s', (_, script) => {
    expect(findings(ollama(script))).toEqual([]);
  });

  test('near miss: the Ollama client in a container that does not run the Ollama server', () => {
    expect(findings(ollama('ollama pull llama3.2', { command: ['/bin/sh', '-c', 'sleep infinity'] }))).toEqual([]);
    expect(findings(deployment({ image: 'curlimages/curl:8.10.1', lifecycle: hook('ollama pull llama3.2') }))).toEqual([]);
  });
});
