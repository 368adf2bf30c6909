import { cliInProcess, writeTree } from '../util';

/** A vLLM Deployment publishing KV cache events on `endpoint`, with POD_IP from the downward API (or `ipEnv`). */
function server(
  endpoint: string,
  ipEnv = '            - name: POD_IP\n              valueFrom:\n                fieldRef:\n                  fieldPath: status.podIP\n',
): string {
  return (
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: decode\n  namespace: serving\nspec:\n  selector:\n    matchLabels: {app: decode}\n  template:\n    metadata:\n      labels: {app: decode}\n    spec:\n' +
    '      containers:\n        - name: vllm\n          image: vllm/vllm-openai:v0.11.0\n          command: ["vllm", "serve"]\n          args:\n            - Qwen/Qwen2.5-1.5B-Instruct\n            - --kv-events-config\n' +
    `            - '{"enable_kv_cache_events":true,"publisher":"zmq","endpoint":"${endpoint}"}'\n          env:\n${ipEnv}`
  );
}

/** The rule's findings on one Deployment, as [severity, message]. */
async function found(manifest: string): Promise<[string, string][]> {
  const dir = writeTree('kv-events-endpoint-', { 'decode.yaml': manifest });
  const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
    .filter((f) => f.rule === 'kv-events-endpoint-not-bound')
    .map((f) => [f.severity, f.message]);
}

describe("kv-events-endpoint-not-bound: vLLM's ZMQ publisher binds only a wildcard endpoint (kv_events.py _socket_setup)", () => {
  test("the pod's own IP from the downward API, or 0.0.0.0: an error naming the wildcard endpoint on the same port", async () => {
    const f = await found(server('tcp://$(POD_IP):5556'));
    expect(f.map(([s]) => s)).toEqual(['error']);
    expect(f[0][1]).toContain('write "endpoint": "tcp://*:5556"');
    expect((await found(server('tcp://0.0.0.0:5557'))).map(([s]) => s)).toEqual(['error']);
  });

  test('near misses: the wildcards vLLM binds (*, ::), ipc://, a subscriber Service vLLM connects to, a variable not from the pod IP, events off', async () => {
    for (const endpoint of ['tcp://*:5556', 'tcp://[::]:5556', 'ipc:///tmp/kv-events', 'tcp://kv-indexer.serving.svc:5557', 'tcp://localhost:5557'])
      expect({ endpoint, found: await found(server(endpoint)) }).toEqual({ endpoint, found: [] });
    expect(await found(server('tcp://$(INDEXER_HOST):5557', '            - name: INDEXER_HOST\n              value: kv-indexer\n'))).toEqual([]);
    expect(await found(server('tcp://$(POD_IP):5556').replace('"enable_kv_cache_events":true', '"enable_kv_cache_events":false'))).toEqual([]);
  });
});
