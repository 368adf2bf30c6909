import * as YAML from 'yaml';
import { cliInProcess, writeTree } from '../util';

interface Finding {
  readonly severity: string;
  readonly message: string;
}

const REQUIRED = (app: string) => ({
  podAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app } }, topologyKey: 'kubernetes.io/hostname' }],
  },
});

/** Node affinity to the given instance types. */
const onTypes = (types: string[]) => ({
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{ matchExpressions: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: types }] }],
    },
  },
});

/** A Deployment of `replicas` pods of `gpus` GPUs each, labelled app: server, with the affinity given. */
function deployment(replicas: number, gpus: number, affinity: object | undefined): unknown {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'server', namespace: 'ai' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'server' } },
      template: {
        metadata: { labels: { app: 'server' } },
        spec: {
          ...(affinity ? { affinity } : {}),
          containers: [{ name: 'main', image: 'registry.example.com/app:1.0', resources: { limits: { 'nvidia.com/gpu': String(gpus) } } }],
        },
      },
    },
  };
}

/** A PyTorchJob of one Master and `workers` Workers of one GPU each; `masterAffinity` says whether the Master carries the term. */
function pytorchJob(workers: number, masterAffinity: boolean): unknown {
  const term = {
    podAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        {
          labelSelector: { matchExpressions: [{ key: 'training.kubeflow.org/job-name', operator: 'In', values: ['ddp'] }] },
          topologyKey: 'kubernetes.io/hostname',
        },
      ],
    },
  };
  const role = (replicas: number, affinity: boolean) => ({
    replicas,
    template: {
      spec: {
        nodeSelector: { 'node.kubernetes.io/instance-type': 'g6.12xlarge' },
        ...(affinity ? { affinity: term } : {}),
        containers: [{ name: 'pytorch', image: 'registry.example.com/train:1.0', resources: { limits: { 'nvidia.com/gpu': '1' } } }],
      },
    },
  });
  return {
    apiVersion: 'kubeflow.org/v1',
    kind: 'PyTorchJob',
    metadata: { name: 'ddp', namespace: 'ai' },
    spec: { pytorchReplicaSpecs: { Master: role(1, masterAffinity), Worker: role(workers, true) } },
  };
}

async function findings(objects: unknown[]): Promise<Finding[]> {
  const dir = writeTree('pod-affinity-', { 'tree.yaml': objects.map((o) => YAML.stringify(o)).join('---\n') });
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
  return report.findings.filter((f: { rule: string }) => f.rule === 'pod-affinity-gpus-exceed-node');
}

describe('pod-affinity-gpus-exceed-node', () => {
  test('three two-GPU replicas tied to one g6.12xlarge (4 GPUs): an error giving the sum and the shape', async () => {
    const [f, ...rest] = await findings([deployment(3, 2, { ...REQUIRED('server'), ...onTypes(['g6.12xlarge']) })]);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('error');
    expect(f.message).toContain('ties all 3 pods to the node of the first one scheduled, which then needs 6 nvidia.com/gpu at once (3 Deployment × 2 GPU)');
    expect(f.message).toContain('g6.12xlarge has 4');
  });

  test('a Kubeflow job: the operator labels every role with the job name, so Master and Workers share one node', async () => {
    const [f] = await findings([pytorchJob(4, true)]);
    expect(f.severity).toBe('error');
    expect(f.message).toContain('(1 Master × 1 GPU + 4 Worker × 1 GPU)');
  });

  test('some allowed types large enough, some not: a warning naming the small ones', async () => {
    const [f] = await findings([deployment(3, 2, { ...REQUIRED('server'), ...onTypes(['g6.12xlarge', 'g6.48xlarge']) })]);
    expect(f.severity).toBe('warning');
    expect(f.message).toContain('of the allowed types g6.12xlarge has 4');
    expect(f.message).not.toContain('g6.48xlarge');
  });

  test('no node shape: a warning only past 8 GPUs, the most a common GPU node has', async () => {
    const [f] = await findings([deployment(5, 2, REQUIRED('server'))]);
    expect(f.severity).toBe('warning');
    expect(f.message).toContain('no node shape is known');
    expect(await findings([deployment(4, 2, REQUIRED('server'))])).toEqual([]);
  });

  test('near misses: all fit the shape, a role without the term, a selector missing its own pods, one replica, no GPUs', async () => {
    expect(await findings([deployment(2, 2, { ...REQUIRED('server'), ...onTypes(['g6.12xlarge']) })])).toEqual([]);
    expect(await findings([pytorchJob(4, false)])).toEqual([]);
    expect(await findings([deployment(3, 2, { ...REQUIRED('database'), ...onTypes(['g6.12xlarge']) })])).toEqual([]);
    expect(await findings([deployment(1, 8, { ...REQUIRED('server'), ...onTypes(['g6.12xlarge']) })])).toEqual([]);
    expect(await findings([deployment(3, 0, { ...REQUIRED('server'), ...onTypes(['g6.12xlarge']) })])).toEqual([]);
  });
});
