import { launcherRun } from '../../lib/check/training-launchers';
import { ruleFound, severityMessages } from '../util';

const IMAGE = 'docker.io/huggingface/accelerate@sha256:4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a';

/** An Indexed Job of two pods whose container runs the shell line and requests the GPUs, with the env given. */
const job = (line: string, gpus: number | string, env: Record<string, string> = {}) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'sft', namespace: 'ml' },
  spec: {
    completionMode: 'Indexed',
    completions: 2,
    parallelism: 2,
    template: {
      spec: {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'trainer',
            image: IMAGE,
            command: ['bash', '-c', line],
            env: Object.entries(env).map(([name, value]) => ({ name, value })),
            resources: { limits: { 'nvidia.com/gpu': gpus } },
          },
        ],
      },
    },
  },
});

const findings = (...manifests: Record<string, unknown>[]) =>
  severityMessages(
    ruleFound(
      'accelerate-processes-exceed-gpus',
      manifests.map((manifest) => ({ manifest })),
      { platform: 'kserve' },
    ),
  );

describe('accelerate-processes-exceed-gpus', () => {
  test('--num_processes is the total over --num_machines: 4 over 2 machines is 2 per pod, above its 1 GPU', () => {
    expect(findings(job('accelerate launch --multi_gpu --num_processes 4 --num_machines 2 train.py', 1))).toEqual([
      [
        'error',
        'container \'trainer\': accelerate launch --num_processes 4 --num_machines 2 starts 2 processes on each machine (--num_processes is the total over the machines; --multi_gpu starts them), each on a GPU of its own, and the container requests 1 GPU: the extra local ranks have no GPU of their own, so the launch fails at start (NCCL refuses two ranks on one GPU, "Duplicate GPU detected" or "Multiple ranks detected using the same GPU"; before accelerate 0.33 the rank\'s cuda:<local rank> does not exist, "invalid device ordinal"): request 2 GPUs per pod, or pass --num_processes 2',
      ],
    ]);
  });

  test('a config file decides the launcher; switches between the flags (--debug) and the - spellings are read', () => {
    const line = [
      'accelerate launch --config_file fsdp.yaml --debug --main_process_ip sft-0.workers --main_process_port 29500',
      '--machine_rank ${JOB_COMPLETION_INDEX} --num-processes 4 --num-machines 2 train.py',
    ].join(' \\\n');
    expect(findings(job(line, '1'))).toEqual([
      ['error', expect.stringMatching(/starts 2 processes on each machine .*the config file fsdp\.yaml decides the launcher/)],
    ]);
    // FSDP by flag, spelt with -
    expect(findings(job('accelerate launch --use-fsdp --num_processes=8 --num_machines=2 train.py', 2)).map((f) => f[0])).toEqual(['error']);
  });

  test('with neither flag nor config file accelerate goes multi-GPU only where it sees several GPUs', () => {
    expect(findings(job('accelerate launch --num_processes 8 --num_machines 2 train.py', 2))).toEqual([
      ['error', expect.stringMatching(/starts 4 processes on each machine .*accelerate turns multi-GPU on where it sees more than one GPU \(2\)/)],
    ]);
    // one GPU: the simple launcher runs one process per pod
    expect(findings(job('accelerate launch --num_processes 4 --num_machines 2 train.py', 1))).toEqual([]);
  });

  test('near misses: enough GPUs, --cpu, no GPU request, unknown counts, a config file that may set the machines, NCCL letting ranks share a GPU', () => {
    expect(findings(job('accelerate launch --multi_gpu --num_processes 4 --num_machines 2 train.py', 2))).toEqual([]);
    expect(findings(job('accelerate launch --multi_gpu --num_processes 2 --num_machines 2 train.py', 1))).toEqual([]);
    expect(findings(job('accelerate launch --cpu --num_processes 4 --num_machines 2 train.py', 1))).toEqual([]);
    expect(findings(job('accelerate launch --multi_gpu --num_processes 4 --num_machines 2 train.py', 0))).toEqual([]);
    expect(findings(job('accelerate launch --multi_gpu --num_processes $NPROC --num_machines 2 train.py', 1))).toEqual([]);
    expect(findings(job('accelerate launch --config_file ddp.yaml --num_processes 4 train.py', 1))).toEqual([]);
    expect(findings(job('accelerate launch --multi_gpu --num_processes 4 --num_machines 2 train.py', 1, { NCCL_MULTI_RANK_GPU_ENABLE: '1' }))).toEqual([]);
  });

  test("shm-missing's count of an accelerate launch is per machine too", () => {
    const words = ['accelerate', 'launch', '--multi_gpu', '--num_processes', '4', '--num_machines', '2', 'train.py'];
    expect(launcherRun(words, 1)).toEqual({ launcher: 'accelerate launch', processes: 2, from: '--num_processes=4 over --num_machines=2' });
    expect(launcherRun(['accelerate', 'launch', '--num_processes', '4', 'train.py'], 1)?.processes).toBe(4);
  });
});
