import * as YAML from 'yaml';
import { cliInProcess, podWorkload, writeTree } from '../util';

/**
 * shm-missing on plain workloads: each container that starts vLLM's server with tensor parallelism on GPUs is judged
 * by the volumes of its own pod (a LeaderWorkerSet's leader and workers each by their template).
 */
function deployment(name: string, args: string[], resources: object, pod: object = {}, mounts: object[] = []): object {
  return podWorkload(name, 'ai', { ...pod, containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.11.0', args, resources, volumeMounts: mounts }] });
}

async function shmFindings(objects: object[]): Promise<{ severity: string; object: string; message: string }[]> {
  const dir = writeTree('shm-', { 'workloads.yaml': objects.map((o) => YAML.stringify(o)).join('---\n') });
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
  return report.findings.filter((f: { rule: string }) => f.rule === 'shm-missing');
}

const TP2 = ['--model', 'Qwen/Qwen2.5-32B-Instruct', '--tensor-parallel-size', '2'];
const GPUS = { limits: { 'nvidia.com/gpu': '2' } };

describe('shm-missing on Deployments, StatefulSets and LeaderWorkerSets', () => {
  test('fires without the mount, and on a memory-backed /dev/shm smaller than 1 GiB per rank', async () => {
    const small = deployment('small', TP2, GPUS, { volumes: [{ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '512Mi' } }] }, [
      { name: 'shm', mountPath: '/dev/shm' },
    ]);
    const disk = deployment(
      'disk',
      ['--model', 'Qwen/Qwen2.5-32B-Instruct', '--tensor-parallel-size=4'],
      { limits: { 'amd.com/gpu': 4 } },
      { volumes: [{ name: 'shm', emptyDir: {} }] },
      [{ name: 'shm', mountPath: '/dev/shm' }],
    );
    const found = await shmFindings([deployment('bare', TP2, GPUS), small, disk]);
    expect(found.map((f) => [f.object, f.severity])).toEqual([
      ['Deployment/ai/bare', 'warning'],
      ['Deployment/ai/disk', 'warning'],
      ['Deployment/ai/small', 'warning'],
    ]);
    expect(found.find((f) => f.object === 'Deployment/ai/bare')?.message).toMatch(
      /^container 'vllm': tensor parallelism 2 but no memory-backed emptyDir is mounted at \/dev\/shm/,
    );
    expect(found.find((f) => f.object === 'Deployment/ai/disk')?.message).toMatch(/tensor parallelism 4 but no memory-backed emptyDir/);
    expect(found.find((f) => f.object === 'Deployment/ai/small')?.message).toMatch(
      /sizeLimit 512Mi is below 1 GiB per tensor-parallel rank \(2 ranks\); give it at least 2Gi/,
    );
  });

  test("a LeaderWorkerSet's worker template is judged by its own volumes", async () => {
    const template = (volumes: object[], mounts: object[]) => ({
      spec: {
        volumes,
        containers: [
          {
            name: 'vllm',
            image: 'vllm/vllm-openai:v0.11.0',
            command: ['vllm', 'serve', 'Qwen/Qwen2.5-72B-Instruct', '--tensor-parallel-size', '8'],
            resources: { limits: { 'nvidia.com/gpu': '8' } },
            volumeMounts: mounts,
          },
        ],
      },
    });
    const lws = {
      apiVersion: 'leaderworkerset.x-k8s.io/v1',
      kind: 'LeaderWorkerSet',
      metadata: { name: 'big', namespace: 'ai' },
      spec: {
        leaderWorkerTemplate: {
          size: 2,
          leaderTemplate: template([{ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '16Gi' } }], [{ name: 'dshm', mountPath: '/dev/shm' }]),
          workerTemplate: template([], []),
        },
      },
    };
    const found = await shmFindings([lws]);
    expect(found.map((f) => f.message.split(':')[0])).toEqual(["spec.leaderWorkerTemplate.workerTemplate container 'vllm'"]);
  });

  test('near misses: tensor parallelism 1, no GPU requested, hostIPC, a container that does not start vLLM', async () => {
    const found = await shmFindings([
      deployment('tp1', ['--model', 'Qwen/Qwen2.5-7B-Instruct', '--tensor-parallel-size', '1'], { limits: { 'nvidia.com/gpu': '1' } }),
      deployment('cpu', TP2, { limits: { cpu: '16', memory: '64Gi' } }),
      deployment('host-ipc', TP2, GPUS, { hostIPC: true }),
      {
        ...deployment('other', TP2, GPUS),
        spec: {
          selector: { matchLabels: { app: 'other' } },
          template: {
            metadata: { labels: { app: 'other' } },
            spec: { containers: [{ name: 'tgi', image: 'ghcr.io/huggingface/text-generation-inference:3.0', args: ['--num-shard', '2'], resources: GPUS }] },
          },
        },
      },
    ]);
    expect(found).toEqual([]);
  });
});

describe('shm-missing on distributed launchers', () => {
  const job = (name: string, command: string[], gpus: number, env: object[] = [], extra: object = {}) =>
    podWorkload(
      name,
      'ai',
      {
        restartPolicy: 'Never',
        containers: [{ name: 'trainer', image: 'registry.example.com/ml/train:1.0', command, env, resources: { limits: { 'nvidia.com/gpu': gpus } } }],
        ...extra,
      },
      'Job',
    );
  test('torchrun, python -m torch.distributed.run, accelerate launch and deepspeed with several processes per node, by flag or by their GPU default', async () => {
    const found = await shmFindings([
      job('torchrun', ['torchrun', '--nproc-per-node', '4', 'train.py'], 4),
      job('module', ['python', '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node=gpu', 'train.py'], 2),
      job('accelerate', ['accelerate', 'launch', '--multi_gpu', 'train.py'], 8),
      job('deepspeed', ['/bin/bash', '-c', 'pip install -r req.txt && deepspeed train.py --deepspeed ds.json'], 2),
      job('forced', ['torchrun', '--nproc_per_node=2', 'train.py'], 2, [{ name: 'NCCL_P2P_DISABLE', value: '1' }]),
    ]);
    const byObject = [...found].sort((a, b) => a.object.localeCompare(b.object));
    expect(byObject.map((f) => [f.object, f.severity, f.message.replace(/ and no memory-backed.*/, '')])).toEqual([
      ['Job/ai/accelerate', 'warning', "container 'trainer': accelerate launch starts 8 processes (one per requested GPU (8))"],
      ['Job/ai/deepspeed', 'warning', "container 'trainer': deepspeed starts 2 processes (one per requested GPU (2))"],
      ['Job/ai/forced', 'error', "container 'trainer': torchrun starts 2 processes (--nproc_per_node=2)"],
      ['Job/ai/module', 'warning', "container 'trainer': python -m torch.distributed.run starts 2 processes (one per requested GPU (2))"],
      ['Job/ai/torchrun', 'warning', "container 'trainer': torchrun starts 4 processes (--nproc-per-node=4)"],
    ]);
    expect(found.find((f) => f.object === 'Job/ai/forced')?.message).toMatch(
      /its env sets NCCL_P2P_DISABLE=1, so NCCL passes data between these ranks through \/dev\/shm/,
    );
  });

  test('silent on one process, no GPU, NCCL_SHM_DISABLE=1, hostIPC, a large enough /dev/shm, and a module name outside python -m', async () => {
    const mounted = { volumes: [{ name: 'dshm', emptyDir: { medium: 'Memory' } }] };
    const withMount = job('mounted', ['torchrun', '--nproc_per_node=2', 'train.py'], 2, [], mounted);
    withMount.spec.template.spec.containers[0].volumeMounts = [{ name: 'dshm', mountPath: '/dev/shm' }];
    const found = await shmFindings([
      job('default', ['torchrun', 'train.py'], 2),
      job('cpu', ['torchrun', '--nproc_per_node=2', 'train.py'], 0),
      job('noshm', ['torchrun', '--nproc_per_node=2', 'train.py'], 2, [{ name: 'NCCL_SHM_DISABLE', value: '1' }]),
      job('hostipc', ['torchrun', '--nproc_per_node=2', 'train.py'], 2, [], { hostIPC: true }),
      job('echoed', ['echo', 'torch.distributed.run', '--nproc_per_node=2'], 2),
      job('accelerate-config', ['accelerate', 'launch', 'train.py'], 2),
      withMount,
    ]);
    expect(found).toEqual([]);
  });
});
