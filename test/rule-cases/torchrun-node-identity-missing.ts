import { ruleFound, severityMessages } from '../util';

const IMAGE = 'docker.io/pytorch/pytorch@sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';

type Container = Record<string, unknown>;

const pod = (container: Container) => ({ restartPolicy: 'Never', containers: [{ name: 'trainer', image: IMAGE, ...container }] });

/** An Indexed Job of two pods running the container. */
const job = (container: Container) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'train', namespace: 'ml' },
  spec: { completionMode: 'Indexed', completions: 2, parallelism: 2, template: { spec: pod(container) } },
});

const findings = (...manifests: Record<string, unknown>[]) =>
  severityMessages(
    ruleFound(
      'torchrun-node-identity-missing',
      manifests.map((manifest) => ({ manifest })),
      { platform: 'kserve' },
    ),
  );

const bash = (script: string, env: unknown[] = []) => ({ command: ['bash', '-c', script], env });

describe('torchrun-node-identity-missing', () => {
  test('static rendezvous on two nodes with neither node rank nor rank-0 address; plain MASTER_ADDR and RANK named as unread', () => {
    const env = [
      { name: 'MASTER_ADDR', value: 'train-0.train' },
      { name: 'RANK', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
    ];
    expect(findings(job(bash('torchrun --nnodes=2 --nproc_per_node=1 train.py', env)))).toEqual([
      [
        'error',
        "container 'trainer': torchrun runs on up to 2 nodes with the static rendezvous and is given no --node_rank, no --master_addr or --rdzv_endpoint (its env MASTER_ADDR, RANK is not read by torchrun, only its flags and PET_* env): every pod acts as node 0 on its own localhost (127.0.0.1) and waits for the others until the rendezvous times out; pass --node_rank (e.g. $(JOB_COMPLETION_INDEX)) and --master_addr=<rank-0 pod host>, or --rdzv_backend=c10d --rdzv_endpoint=<rank-0 pod host>:<port>, or set PET_NODE_RANK and PET_MASTER_ADDR",
      ],
    ]);
  });

  test('one of the two missing, a range, the count from env (a number as written), the module form, the dashed spelling', () => {
    expect(findings(job(bash('torchrun --nnodes 2 --node_rank=$JOB_COMPLETION_INDEX train.py')))).toEqual([
      ['error', expect.stringMatching(/given no --master_addr or --rdzv_endpoint: /)],
    ]);
    expect(findings(job(bash('torchrun --nnodes=1:4 --master-addr=train-0.train train.py')))).toEqual([
      ['error', expect.stringMatching(/runs on up to 4 nodes with the static rendezvous and is given no --node_rank: /)],
    ]);
    expect(findings(job(bash('torchrun --nnodes=${NNODES} train.py', [{ name: 'NNODES', value: 2 }])))).toHaveLength(1);
    expect(findings(job({ command: ['python', '-m', 'torch.distributed.run', '--nnodes=2', 'train.py'] }))).toHaveLength(1);
    expect(findings(job(bash('torchrun train.py', [{ name: 'PET_NNODES', value: '3' }])))).toEqual([['error', expect.stringMatching(/up to 3 nodes/)]]);
  });

  test('c10d without an endpoint rendezvouses on localhost', () => {
    expect(findings(job(bash('torchrun --nnodes=2 --rdzv_backend=c10d train.py')))).toEqual([
      ['error', expect.stringMatching(/with the c10d rendezvous and is given no --rdzv_endpoint: /)],
    ]);
  });

  test('near misses: identity given by flags or PET_* env, one node, standalone, unknown counts, envFrom the tree lacks, the operators that set PET_* env', () => {
    expect(findings(job(bash('torchrun --nnodes=2 --node_rank=$JOB_COMPLETION_INDEX --master_addr=train-0.train train.py')))).toEqual([]);
    expect(findings(job(bash('torchrun --nnodes=2 --rdzv_backend=c10d --rdzv_endpoint=train-0.train:29400 train.py')))).toEqual([]);
    const pet = [
      { name: 'PET_NODE_RANK', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
      { name: 'PET_MASTER_ADDR', value: 'train-0.train' },
    ];
    expect(findings(job(bash('torchrun --nnodes=2 train.py', pet)))).toEqual([]);
    expect(findings(job(bash('torchrun --nnodes=1 --nproc_per_node=8 train.py')))).toEqual([]);
    expect(findings(job(bash('torchrun --standalone --nnodes=2 train.py')))).toEqual([]);
    expect(findings(job(bash('torchrun --nnodes=$NODES train.py')))).toEqual([]);
    expect(findings(job(bash('torchrun --nnodes=2 train.py')))).toHaveLength(1);
    expect(findings(job({ ...bash('torchrun --nnodes=2 train.py'), envFrom: [{ configMapRef: { name: 'rendezvous' } }] }))).toEqual([]);
    expect(findings(job(bash('torchrun --nnodes=2 --rdzv_backend=$BACKEND train.py')))).toEqual([]);
    const pytorchJob = {
      apiVersion: 'kubeflow.org/v1',
      kind: 'PyTorchJob',
      metadata: { name: 'p', namespace: 'ml' },
      spec: { pytorchReplicaSpecs: { Worker: { replicas: 2, template: { spec: pod(bash('torchrun --nnodes=2 train.py')) } } } },
    };
    expect(findings(pytorchJob)).toEqual([]);
  });
});
