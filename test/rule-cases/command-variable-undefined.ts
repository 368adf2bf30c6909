import { ruleFound, severityMessages } from '../util';

/** The kubelet expands $(NAME) in command and args from the container's env only, and leaves an undefined one as written (expansion expand.go). */
const job = (args: string[], opts: { env?: unknown[]; envFrom?: unknown[]; spec?: Record<string, unknown>; command?: string[] } = {}) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'train', namespace: 'ml' },
  spec: {
    ...opts.spec,
    template: {
      spec: {
        restartPolicy: 'Never',
        containers: [{ name: 'trainer', image: 'trainer:1', command: opts.command ?? ['torchrun'], args, env: opts.env, envFrom: opts.envFrom }],
      },
    },
  },
});
const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rdzv', namespace: 'ml' }, data: { HOST: 'train-0.train' } };

function found(objects: unknown[]): [string, string][] {
  return severityMessages(
    ruleFound(
      'command-variable-undefined',
      objects.map((manifest) => ({ manifest: manifest as Record<string, unknown> })),
      { platform: 'kserve', alone: true },
    ),
  );
}

describe('command-variable-undefined', () => {
  test('JOB_COMPLETION_INDEX in a Job that is not Indexed: a warning naming the literal passed and completionMode', () => {
    expect(found([job(['--node_rank=$(JOB_COMPLETION_INDEX)', 'train.py'], { spec: { completions: 4, parallelism: 4 } })])).toEqual([
      [
        'warning',
        "container 'trainer' command line references $(JOB_COMPLETION_INDEX), which no env entry of the container defines: the kubelet leaves an undefined $(…) as written, so the program receives the literal text '$(JOB_COMPLETION_INDEX)'; the Job controller sets JOB_COMPLETION_INDEX only in the pods of an Indexed Job: set completionMode: Indexed",
      ],
    ]);
  });

  test('a name never defined, and a host name written as a reference: each once, with the env fix', () => {
    const messages = found([
      job(['--master_addr=$(MASTER_HOST)', '--peer=$(worker-0.train)', '--again=$(MASTER_HOST)'], { env: [{ name: 'PORT_BASE', value: '1' }] }),
    ]).map((f) => f[1].split(' which')[0] + ' … ' + f[1].split('; ')[1]);
    expect(messages).toEqual([
      "container 'trainer' command line references $(MASTER_HOST), … define MASTER_HOST in the container's env, or write the value itself",
      "container 'trainer' command line references $(worker-0.train), … define worker-0.train in the container's env, or write the value itself",
    ]);
  });

  test('an envFrom key of the tree, with its prefix, defines the name; an undefined one beside it is still reported', () => {
    const from = [{ prefix: 'RDZV_', configMapRef: { name: 'rdzv' } }];
    expect(found([job(['--master_addr=$(RDZV_HOST)'], { envFrom: from }), configMap])).toEqual([]);
    expect(found([job(['--master_addr=$(HOST)'], { envFrom: from }), configMap]).map((f) => f[1].split(',')[0])).toEqual([
      "container 'trainer' command line references $(HOST)",
    ]);
  });

  test('near misses: defined env, an Indexed Job, $$ escape, service links, a shell script, command substitution, an envFrom source not in the tree, a Volcano Job', () => {
    expect(found([job(['--master_addr=$(MASTER_HOST)'], { env: [{ name: 'MASTER_HOST', value: 'train-0' }] })])).toEqual([]);
    expect(found([job(['--node_rank=$(JOB_COMPLETION_INDEX)'], { spec: { completionMode: 'Indexed', completions: 2 } })])).toEqual([]);
    expect(found([job(['--literal=$$(NOT_A_REF)', '--db=$(POSTGRES_SERVICE_HOST):$(POSTGRES_SERVICE_PORT)'])])).toEqual([]);
    expect(found([job(['torchrun --node_rank=$(RANK_FROM_FILE) train.py'], { command: ['sh', '-c'] })])).toEqual([]);
    expect(found([job(['--out=/ckpt/run-$(date +%s)'])])).toEqual([]);
    expect(found([job(['--master_addr=$(HOST)'], { envFrom: [{ configMapRef: { name: 'elsewhere' } }] })])).toEqual([]);
    const vcjob = { apiVersion: 'batch.volcano.sh/v1alpha1', kind: 'Job', metadata: { name: 'v' }, spec: { tasks: [] } };
    expect(found([vcjob])).toEqual([]);
  });
});

/** A Volcano Job of a master and a worker task running torchrun against the master's host (volcano-sh/volcano job plugins). */
const vcjob = (plugins: Record<string, string[]> | undefined, args: string[], env?: unknown[]) => ({
  apiVersion: 'batch.volcano.sh/v1alpha1',
  kind: 'Job',
  metadata: { name: 'train', namespace: 'ml' },
  spec: {
    minAvailable: 2,
    ...(plugins ? { plugins } : {}),
    tasks: ['master', 'worker-gpu'].map((name) => ({
      name,
      replicas: 1,
      template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'trainer', image: 'trainer:1', command: ['torchrun'], args, env }] } },
    })),
  },
});

describe('command-variable-undefined on a Volcano Job', () => {
  test('a host variable of the svc plugin in a Job without it: one error naming the plugin and every container', () => {
    expect(found([vcjob(undefined, ['--rdzv_endpoint=$(VC_MASTER_HOSTS):29500', 'train.py'])])).toEqual([
      [
        'error',
        "spec.tasks[0].template container 'trainer', spec.tasks[1].template container 'trainer' command line references $(VC_MASTER_HOSTS), which only Volcano's svc plugin injects, and the Job does not run it: the kubelet leaves an undefined $(…) as written, so the program receives the literal text '$(VC_MASTER_HOSTS)'; add svc: [] to spec.plugins",
      ],
    ]);
  });

  test("the env plugin's index, a task name with '-' upper-cased, svc told not to inject hosts, and a name no plugin injects", () => {
    expect(found([vcjob({ svc: [] }, ['--rank=$(VC_TASK_INDEX)'])]).map((f) => f[1].split(', which')[1])).toEqual([
      " only Volcano's env plugin injects, and the Job does not run it: the kubelet leaves an undefined $(…) as written, so the program receives the literal text '$(VC_TASK_INDEX)'; add env: [] to spec.plugins",
    ]);
    expect(found([vcjob({ env: [] }, ['--workers=$(VC_WORKER_GPU_NUM)'])])).toMatchObject([
      ['error', expect.stringMatching(/only Volcano's svc plugin injects.*add svc: \[\] to spec\.plugins$/)],
    ]);
    expect(found([vcjob({ svc: ['--inject-hosts-env=false'] }, ['--master=$(VC_MASTER_HOSTS)'])])).toMatchObject([
      ['error', expect.stringMatching(/drop --inject-hosts-env=false from the svc plugin's arguments$/)],
    ]);
    expect(found([vcjob({ svc: [] }, ['--peer=$(PEER_HOST)'])])).toMatchObject([
      ['warning', expect.stringMatching(/^spec\.tasks\[0\]\.template container 'trainer' command line references \$\(PEER_HOST\).*define PEER_HOST/)],
      ['warning', expect.stringMatching(/^spec\.tasks\[1\]\.template container 'trainer'/)],
    ]);
  });

  test('near misses: the plugins that inject the name, svc brought by a framework plugin, the name in the env', () => {
    expect(found([vcjob({ svc: [], env: [] }, ['--master=$(VC_MASTER_HOSTS)', '--n=$(VC_WORKER_GPU_NUM)', '--rank=$(VK_TASK_INDEX)'])])).toEqual([]);
    // Volcano's job webhook adds svc with pytorch, which itself injects MASTER_ADDR, WORLD_SIZE and RANK
    expect(
      found([vcjob({ pytorch: ['--master=master', '--worker=worker-gpu'] }, ['--hosts=$(VC_MASTER_HOSTS)', '$(MASTER_ADDR)', '$(WORLD_SIZE)', '$(RANK)'])]),
    ).toEqual([]);
    expect(found([vcjob(undefined, ['--master=$(VC_MASTER_HOSTS)'], [{ name: 'VC_MASTER_HOSTS', value: 'train-master-0.train' }])])).toEqual([]);
    // the svc plugin parses its arguments with Go's flag package, which keeps the last value a flag is given
    expect(found([vcjob({ svc: ['--inject-hosts-env=false', '-inject-hosts-env=true'] }, ['--master=$(VC_MASTER_HOSTS)'])])).toEqual([]);
  });
});

/** A LeaderWorkerSet whose leader and worker run a command line (kubernetes-sigs/lws AddLWSVariables adds LWS_* to every container). */
const lws = (args: string[]) => ({
  apiVersion: 'leaderworkerset.x-k8s.io/v1',
  kind: 'LeaderWorkerSet',
  metadata: { name: 'serve', namespace: 'ml' },
  spec: {
    leaderWorkerTemplate: {
      size: 2,
      leaderTemplate: { spec: { containers: [{ name: 'leader', image: 'server:1', command: ['ray-start'], args }] } },
      workerTemplate: { spec: { containers: [{ name: 'worker', image: 'server:1', command: ['ray-start'], args }] } },
    },
  },
});

describe('command-variable-undefined on a LeaderWorkerSet', () => {
  test("the webhook's LWS_* env is defined; a misspelt one is reported on each template", () => {
    expect(found([lws(['--address=$(LWS_LEADER_ADDRESS):6379', '--size=$(LWS_GROUP_SIZE)', '--index=$(LWS_WORKER_INDEX)'])])).toEqual([]);
    expect(found([lws(['--address=$(LWS_LEADER_ADDR):6379'])])).toMatchObject([
      [
        'warning',
        expect.stringMatching(/^spec\.leaderWorkerTemplate\.leaderTemplate container 'leader' command line references \$\(LWS_LEADER_ADDR\), which neither/),
      ],
      ['warning', expect.stringMatching(/^spec\.leaderWorkerTemplate\.workerTemplate container 'worker'/)],
    ]);
  });
});
