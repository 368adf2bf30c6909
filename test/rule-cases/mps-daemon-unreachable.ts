import * as YAML from 'yaml';
import { cliInProcess, podWorkload, writeTree } from '../util';

/**
 * mps-daemon-unreachable: a pod that starts the CUDA MPS control daemon and its clients must share the host's IPC
 * namespace and the pipe directory (CUDA_MPS_PIPE_DIRECTORY, default /tmp/nvidia-mps) on the node.
 */
async function found(objects: object[]): Promise<{ severity: string; object: string; message: string }[]> {
  const dir = writeTree('mps-', { 'tree.yaml': objects.map((o) => YAML.stringify(o)).join('---\n') });
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
  return report.findings.filter((f: { rule: string }) => f.rule === 'mps-daemon-unreachable');
}

const pipes = (host: string, at = '/tmp/nvidia-mps') => ({
  volumes: [{ name: 'pipes', hostPath: { path: host } }],
  mount: [{ name: 'pipes', mountPath: at }],
});
const daemon = (extra: object = {}, host = '/run/mps', env: object[] = []) =>
  podWorkload(
    'mps',
    'ai',
    {
      ...extra,
      volumes: pipes(host).volumes,
      containers: [
        {
          name: 'd',
          image: 'nvcr.io/nvidia/cuda:12.4.1-base-ubuntu22.04',
          command: ['sh', '-c', 'nvidia-cuda-mps-control -d; sleep infinity'],
          env,
          volumeMounts: pipes(host).mount,
        },
      ],
    },
    'DaemonSet',
  );
const client = (extra: object = {}, host: string | null = '/run/mps', env: object[] = []) =>
  podWorkload('job', 'ai', {
    ...extra,
    ...(host ? { volumes: pipes(host).volumes } : {}),
    containers: [
      {
        name: 'c',
        image: 'registry.example.com/c:1',
        resources: { limits: { 'nvidia.com/gpu': '1' } },
        env,
        ...(host ? { volumeMounts: pipes(host).mount } : {}),
      },
    ],
  });

describe('mps-daemon-unreachable', () => {
  test('the daemon without hostIPC while its client sets it: an error on the daemon naming the client', async () => {
    const f = await found([daemon(), client({ hostIPC: true })]);
    expect(f.map((x) => [x.severity, x.object])).toEqual([['error', 'DaemonSet/ai/mps']]);
    expect(f[0].message).toMatch(/without hostIPC: true, while its clients Deployment\/job set it/);
    expect(await found([daemon({ hostIPC: true }), client({ hostIPC: true })])).toEqual([]);
  });

  test('a client naming the pipe directory without hostIPC, under a daemon that sets it: an error on the client', async () => {
    const env = [{ name: 'CUDA_MPS_PIPE_DIRECTORY', value: '/tmp/nvidia-mps' }];
    const f = await found([daemon({ hostIPC: true }), client({}, '/run/mps', env)]);
    expect(f.map((x) => x.object)).toEqual(['Deployment/ai/job']);
    expect(f[0].message).toMatch(/uses CUDA MPS without hostIPC: true/);
  });

  test("a client whose pipe directory is another node path, or none, than the daemon's", async () => {
    const other = await found([daemon({ hostIPC: true }), client({ hostIPC: true }, '/var/mps')]);
    expect(other.map((x) => x.message)).toEqual([expect.stringMatching(/pipe directory \/tmp\/nvidia-mps is the node's \/var\/mps, but .* node's \/run\/mps/)]);
    const none = await found([daemon({ hostIPC: true }), client({ hostIPC: true }, null)]);
    expect(none.map((x) => x.message)).toEqual([expect.stringMatching(/is on no hostPath volume/)]);
    // the pipe directory moved by CUDA_MPS_PIPE_DIRECTORY on both sides, onto the same node path: fine
    const moved = [{ name: 'CUDA_MPS_PIPE_DIRECTORY', value: '/mps/pipes' }];
    const d = daemon({ hostIPC: true }, '/run/mps', moved);
    d.spec.template.spec.containers[0].volumeMounts = [{ name: 'pipes', mountPath: '/mps' }];
    const c = client({ hostIPC: true }, '/run/mps', moved);
    c.spec.template.spec.containers[0].volumeMounts = [{ name: 'pipes', mountPath: '/mps' }];
    expect(await found([d, c])).toEqual([]);
  });

  test("the daemon's pipes on no hostPath: an error on the daemon", async () => {
    const d = daemon({ hostIPC: true });
    d.spec.template.spec.volumes = [{ name: 'pipes', emptyDir: {} }];
    const f = await found([d, client({ hostIPC: true })]);
    expect(f.map((x) => x.object)).toEqual(['DaemonSet/ai/mps']);
    expect(f[0].message).toMatch(/pipe directory \/tmp\/nvidia-mps on no hostPath volume: clients in other pods \(Deployment\/job\)/);
  });

  test("no daemon started by a pod of the tree (the GPU Operator's MPS sharing), or no client: nothing", async () => {
    expect(await found([client({ hostIPC: true }, null)])).toEqual([]);
    expect(await found([daemon()])).toEqual([]);
  });
});
