import { ruleFound, severityMessages } from '../util';

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
const findings = (m: Record<string, unknown>) => severityMessages(ruleFound('post-start-before-server', [{ manifest: m }], { platform: 'kserve' }));

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

  // kubelet kuberuntime_manager.go SyncPod starts the containers one by one in spec order; startContainer runs each
  // one's PostStart handler to its end before the loop moves on
  describe('a hook that calls another container of the pod on localhost', () => {
    const server = { name: 'ollama', image: 'ollama/ollama:0.12.9', ports: [{ containerPort: 11434 }] };
    const loader = (script: string) => ({ name: 'preload', image: 'curlimages/curl:8.10.1', command: ['sleep', 'infinity'], lifecycle: hook(script) });
    const pod = (containers: Record<string, unknown>[], initContainers: Record<string, unknown>[] = []) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'chat', namespace: 'chat' },
      spec: { initContainers, containers },
    });
    const pull = 'curl -sf -X POST http://localhost:11434/api/pull -d \'{"name": "llama3.2"}\'';

    test('listed after the hooked container: it does not exist while the hook runs, an error', () => {
      const found = findings(pod([loader(pull), server]));
      expect(found).toEqual([['error', expect.stringContaining("which asks container 'ollama', listed after it")]]);
      expect(found[0][1]).toContain('the call always fails');
      // an unbounded loop waiting for it never returns, so the later container never starts
      expect(findings(pod([loader(`until ${pull}; do sleep 2; done`), server]))).toEqual([
        ['error', expect.stringContaining("the loop waits for ever, and container 'ollama' never starts")],
      ]);
      // the Ollama client beside an Ollama server container listed after it
      expect(findings(pod([{ ...loader('ollama pull llama3.2'), image: 'ollama/ollama:0.12.9' }, server])).map(([v]) => v)).toEqual(['error']);
    });

    test('listed before it: its server races the hook, a warning', () => {
      expect(findings(pod([server, loader(pull)]))).toEqual([['warning', expect.stringContaining("which asks container 'ollama', started just before it")]]);
      // a startup probe on a regular container holds nothing
      expect(findings(pod([{ ...server, startupProbe: { httpGet: { path: '/', port: 11434 } } }, loader(pull)])).map(([v]) => v)).toEqual(['warning']);
    });

    test("near misses: the earlier server is waited for, the port is no container's, the hook polls first", () => {
      const waiting = { ...server, lifecycle: hook('until curl -sf localhost:11434; do sleep 1; done') };
      expect(findings(pod([waiting, loader(pull)]))).toEqual([]);
      // a sidecar with a startup probe: the kubelet starts the containers once it is started
      const sidecar = { ...server, restartPolicy: 'Always', startupProbe: { httpGet: { path: '/', port: 11434 } } };
      expect(findings(pod([loader(pull)], [sidecar]))).toEqual([]);
      expect(findings(pod([server, loader(pull.replace('11434', '8080'))]))).toEqual([]);
      expect(findings(pod([server, loader(`for i in $(seq 60); do curl -sf localhost:11434 && break; sleep 1; done; ${pull}`)]))).toEqual([]);
    });
  });
});
