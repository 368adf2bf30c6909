import * as YAML from 'yaml';
import { cliInProcess, podWorkload, writeTree } from '../util';

/** localhost-port-not-served: localhost reaches only the pod's own containers, never a nodePort or a Service port. */
const nodePortService = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'vllm', namespace: 'ai' },
  spec: { type: 'NodePort', selector: { app: 'vllm' }, ports: [{ port: 80, targetPort: 8000, nodePort: 30080 }] },
};

function client(name: string, url: string, pod: object = {}, extra: object[] = []): object {
  return podWorkload(name, 'ai', {
    containers: [{ name: 'client', image: 'registry.example.com/tools/client:1.0', env: [{ name: 'BASE_URL', value: url }] }, ...extra],
    ...pod,
  });
}

async function found(objects: object[]): Promise<[string, string, string][]> {
  const dir = writeTree('localhost-', { 'tree.yaml': [nodePortService, ...objects].map((o) => YAML.stringify(o)).join('---\n') });
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
  return report.findings
    .filter((f: { rule: string }) => f.rule === 'localhost-port-not-served')
    .map((f: { object: string; severity: string; message: string }) => [f.object, f.severity, f.message]);
}

describe('localhost-port-not-served', () => {
  test("an error on a Service's nodePort, a warning on its port that forwards elsewhere", async () => {
    const f = await found([client('by-node-port', 'http://localhost:30080/v1'), client('by-port', 'http://127.0.0.1:80/v1')]);
    expect(f.map(([o, s]) => [o, s])).toEqual([
      ['Deployment/ai/by-node-port', 'error'],
      ['Deployment/ai/by-port', 'warning'],
    ]);
    expect(f[0][2]).toMatch(/^container 'client' env BASE_URL calls localhost:30080, Service vllm's nodePort, and no container of the pod listens on it/);
    expect(f[1][2]).toMatch(/calls localhost:80, the port of Service vllm, which forwards to another port/);
  });

  test('a LeaderWorkerSet template is named by its path', async () => {
    const lws = {
      apiVersion: 'leaderworkerset.x-k8s.io/v1',
      kind: 'LeaderWorkerSet',
      metadata: { name: 'lws', namespace: 'ai' },
      spec: {
        leaderWorkerTemplate: {
          size: 2,
          workerTemplate: { spec: { containers: [{ name: 'w', image: 'registry.example.com/tools/client:1.0', args: ['--endpoint=localhost:30080'] }] } },
        },
      },
    };
    const f = await found([lws]);
    expect(f.map(([, , m]) => m.slice(0, m.indexOf(' calls')))).toEqual(["spec.leaderWorkerTemplate.workerTemplate.spec container 'w' args"]);
  });

  test('silent when a container of the pod listens there, on hostNetwork, on injected sidecar ports and on ports no Service names', async () => {
    const listener = { name: 'proxy', image: 'registry.example.com/tools/proxy:1.0', ports: [{ containerPort: 30080 }] };
    const vllm = { name: 'vllm', image: 'vllm/vllm-openai:v0.11.0', args: ['--model', 'Qwen/Qwen2.5-7B-Instruct', '--port', '80'] };
    expect(
      await found([
        client('declared', 'http://localhost:30080/v1', {}, [listener]),
        client('vllm-port', 'http://localhost:80/v1', {}, [vllm]),
        client('host', 'http://localhost:30080/v1', { hostNetwork: true }),
        client('istio', 'http://localhost:15020/healthz/ready'),
        client('unknown', 'http://localhost:5000/v1'),
        client('service', 'http://vllm.ai.svc:80/v1'),
        client('queue-proxy', 'http://localhost:8022/drain'),
        podWorkload('binds', 'ai', { containers: [{ name: 'proxy', image: 'registry.example.com/tools/proxy:1.0', args: ['--listen', '127.0.0.1:30080'] }] }),
      ]),
    ).toEqual([]);
  });
});

describe('localhost-port-not-served: an allow-list the program compares requests with is no call', () => {
  const withEnv = (name: string, value: string) =>
    podWorkload('api', 'ai', { containers: [{ name: 'api', image: 'registry.example.com/shop/api:2.0', env: [{ name, value }] }] });

  test('CORS allowed origins, trusted origins and a redirect URI naming the nodePort: nothing to say', async () => {
    for (const [name, value] of [
      ['APP_CORS_ALLOWED_ORIGINS', 'http://localhost:4200,http://localhost:30080'],
      ['CSRF_TRUSTED_ORIGINS', 'http://localhost:30080'],
      ['OAUTH_REDIRECT_URI', 'http://localhost:30080/login/callback'],
      ['UI_ORIGIN', 'http://localhost:30080,http://127.0.0.1:30080'],
    ])
      expect(await found([withEnv(name, value)])).toEqual([]);
  });

  test('near miss: one origin in a variable that is only named ORIGIN, or a base URL, is still a call', async () => {
    for (const [name, value] of [
      ['UPSTREAM_ORIGIN', 'http://localhost:30080'],
      ['API_BASE_URL', 'http://localhost:30080/v1'],
    ])
      expect((await found([withEnv(name, value)])).map(([, severity, message]) => [severity, message])).toEqual([
        ['error', expect.stringContaining(`container 'api' env ${name} calls localhost:30080, Service vllm's nodePort`)],
      ]);
  });
});
