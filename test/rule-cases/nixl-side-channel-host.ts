import * as YAML from 'yaml';
import { cliInProcess, podWorkload, writeTree } from '../util';

const nixl = (role: string) => ['--model', 'Qwen/Qwen2.5-0.5B-Instruct', '--kv-transfer-config', `{"kv_connector":"NixlConnector","kv_role":"${role}"}`];
const server = (name: string, role: string, extra: Record<string, unknown> = {}) => ({ name, image: 'vllm/vllm-openai:v0.10.1', args: nixl(role), ...extra });

async function findings(pods: Record<string, Record<string, unknown>>): Promise<{ severity: string; object: string; message: string }[]> {
  const objects = Object.entries(pods).map(([name, pod]) => podWorkload(name, 'pd', pod));
  const dir = writeTree('nixl-', { 'tree.yaml': objects.map((o) => YAML.stringify(o)).join('---\n') });
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
  return report.findings.filter((f: { rule: string }) => f.rule === 'nixl-side-channel-host');
}

describe('nixl-side-channel-host', () => {
  test('kv_both servers in two workloads: each is an error naming the other', async () => {
    const found = await findings({ a: { containers: [server('vllm', 'kv_both')] }, b: { containers: [server('vllm', 'kv_both')] } });
    expect(found.map((f) => [f.severity, f.object.replace(/^\w+\//, '')])).toEqual([
      ['error', 'pd/a'],
      ['error', 'pd/b'],
    ]);
    expect(found[0].message).toMatch(/its peer .* of \w+ 'b' runs in another pod/);
  });

  test("several StormServices with prefill and decode roles: each names a peer of its own, not another object's", async () => {
    const role = (name: string) => ({ name, replicas: 1, template: { spec: { containers: [server(name, 'kv_both')] } } });
    const storm = (name: string) => ({
      apiVersion: 'orchestration.aibrix.ai/v1alpha1',
      kind: 'StormService',
      metadata: { name, namespace: 'pd' },
      spec: { replicas: 1, template: { spec: { roles: [role('prefill'), role('decode')] } } },
    });
    const dir = writeTree('nixl-storm-', { 'one.yaml': YAML.stringify(storm('one-p-one-d')), 'two.yaml': YAML.stringify(storm('pool-p-d')) });
    const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
    const found: { object: string; message: string }[] = report.findings.filter((f: { rule: string }) => f.rule === 'nixl-side-channel-host');
    expect(found).toHaveLength(4);
    for (const f of found) {
      const own = f.object.split('/').pop();
      expect(f.message).toContain(`of StormService '${own}' runs in another pod`);
    }
    const decode = found.find((f) => f.object === 'StormService/pd/pool-p-d' && f.message.includes("container 'prefill' runs"));
    expect(decode?.message).toMatch(/its peer spec\.template\.spec\.roles\[1\]\.template container 'decode'/);
  });

  test('no peer in the tree, or an envFrom source that may set it: a warning naming the assumption', async () => {
    const [alone] = await findings({ a: { containers: [server('vllm', 'kv_producer')] } });
    expect(alone.severity).toBe('warning');
    expect(alone.message).toContain('no peer of it is in the tree');
    const [from] = await findings({
      a: { containers: [server('vllm', 'kv_producer', { envFrom: [{ configMapRef: { name: 'nixl' } }] })] },
      b: { containers: [server('vllm', 'kv_consumer')] },
    });
    expect(from.severity).toBe('warning');
    expect(from.message).toContain('unless the envFrom source');
  });

  test('quiet: peers in one pod (shared localhost), a consumer alone, the host set in the script, another connector', async () => {
    expect(await findings({ a: { containers: [server('prefill', 'kv_producer'), server('decode', 'kv_consumer')] } })).toEqual([]);
    expect(await findings({ a: { containers: [server('vllm', 'kv_consumer')] } })).toEqual([]);
    const script = `VLLM_NIXL_SIDE_CHANNEL_HOST=$(hostname -i) exec vllm serve Qwen/Qwen2.5-0.5B-Instruct --kv-transfer-config '{"kv_connector":"NixlConnector","kv_role":"kv_both"}'`;
    expect(
      await findings({
        a: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.10.1', command: ['/bin/sh', '-c', script] }] },
        b: {
          containers: [server('vllm', 'kv_both', { env: [{ name: 'VLLM_NIXL_SIDE_CHANNEL_HOST', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }] })],
        },
      }),
    ).toEqual([]);
    const lmcache = ['--model', 'Qwen/Qwen2.5-0.5B-Instruct', '--kv-transfer-config', '{"kv_connector":"LMCacheConnectorV1","kv_role":"kv_both"}'];
    expect(await findings({ a: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.10.1', args: lmcache }] } })).toEqual([]);
  });
});
