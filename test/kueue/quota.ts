import { ApiObject, Chart } from 'cdk8s';
import { ExistingGpuNodes, GpuInstanceType, GpuMachineSetScale, KueueQuota, strictChecks } from '../../lib';
import { synthApp, testApp } from '../util';

/** A queued GPU workload as the cluster sees it: a Deployment labelled for a LocalQueue, on one instance type. */
function gpuWorkload(chart: Chart, namespace: string, name: string, o: { pods: number; gpus: number; type: GpuInstanceType; queue?: string }): ApiObject {
  return new ApiObject(chart, `${namespace}-${name}`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { 'kueue.x-k8s.io/queue-name': o.queue ?? 'default' } },
    spec: {
      replicas: o.pods,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          nodeSelector: { 'node.kubernetes.io/instance-type': o.type.name },
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          containers: [
            // an extended resource needs its limit, equal to the request (the API server refuses a request alone)
            {
              name: 'c',
              image: `x@sha256:${'a'.repeat(64)}`,
              resources: { requests: { cpu: '1', memory: '1Gi', 'nvidia.com/gpu': String(o.gpus) }, limits: { 'nvidia.com/gpu': String(o.gpus) } },
            },
          ],
        },
      },
    },
  });
}

/** The message of what synth throws, or '' when it does not. */
function synthError(app: Parameters<typeof synthApp>[0]): string {
  try {
    synthApp(app);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

function setup(replicas: number[] = [1, 1], types = [GpuInstanceType.G6_4XLARGE, GpuInstanceType.G6_12XLARGE]) {
  const app = testApp();
  const chart = new Chart(app, 'c');
  const sets = types.map(
    (t, i) =>
      new GpuMachineSetScale(chart, `ms${i}`, {
        clusterId: 'demo-abc12',
        region: 'us-east-2',
        availabilityZone: 'us-east-2b',
        amiId: 'ami-0123456789abcdef0',
        instanceType: t,
        replicas: replicas[i],
      }),
  );
  const quota = new KueueQuota(chart, 'Q', { machineSets: sets, namespace: 'team-a', clusterQueueName: 'gpus' });
  return { app, chart, sets, quota };
}

describe('KueueQuota', () => {
  test('one ResourceFlavor per instance type, pinned by node label, tolerating and declaring the node taints', () => {
    const m = synthApp(setup().app);
    const flavors = m.filter((x) => x.kind === 'ResourceFlavor');
    expect(flavors.map((f) => f.metadata.name)).toEqual(['cpu-batch', 'nvidia-l4-1gpu', 'nvidia-l4-4gpu']);
    const l4x4 = flavors[2];
    expect(l4x4.spec.nodeLabels).toEqual({ 'node.kubernetes.io/instance-type': 'g6.12xlarge' });
    expect(l4x4.spec.nodeTaints).toEqual([{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }]);
    // the taint's value is kept: the flavor tolerates what the nodes carry
    expect(l4x4.spec.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
  });

  test("nominal quotas are the allocatable capacity of the MachineSets' nodes; the batch flavor has no GPU", () => {
    const m = synthApp(setup([1, 2]).app);
    const cq = m.find((x) => x.kind === 'ClusterQueue');
    const rg = cq.spec.resourceGroups[0];
    expect(rg.coveredResources).toEqual(['cpu', 'memory', 'nvidia.com/gpu']);
    const quota = Object.fromEntries(rg.flavors.map((f: any) => [f.name, Object.fromEntries(f.resources.map((r: any) => [r.name, r.nominalQuota]))]));
    expect(quota['cpu-batch']['nvidia.com/gpu']).toBe('0');
    expect(quota['nvidia-l4-1gpu']['nvidia.com/gpu']).toBe('1');
    expect(quota['nvidia-l4-4gpu']['nvidia.com/gpu']).toBe('8');
    // two g6.12xlarge (48 vCPU, 192 GiB) less OpenShift's dynamic system reservation, worked by hand:
    // CPU 60m + 10m + 2 × 5m + 44 × 2.5m = 190m → 47810m a node; memory 1 + 0.8 + 0.8 + 6.72 + 1.28 = 10.6 GiB
    // (10854.4 MiB) and the 100 MiB eviction threshold → 185653 MiB a node
    expect(quota['nvidia-l4-4gpu'].cpu).toBe('95620m');
    expect(quota['nvidia-l4-4gpu'].memory).toBe('371306Mi');
    expect(cq.spec.namespaceSelector).toEqual({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['team-a'] }] });
  });

  test('a LocalQueue in the namespace points at the ClusterQueue', () => {
    const lq = synthApp(setup().app).find((x) => x.kind === 'LocalQueue');
    expect(lq.metadata).toMatchObject({ name: 'default', namespace: 'team-a' });
    expect(lq.spec.clusterQueue).toBe('gpus');
  });

  test("fails synth when the queued demand exceeds a flavor's quota, once, advising the MachineSet's replicas", () => {
    const { app, chart } = setup([1, 1]);
    gpuWorkload(chart, 'team-a', 'a', { pods: 2, gpus: 4, type: GpuInstanceType.G6_12XLARGE });
    const message = synthError(app);
    expect(message).toMatch(
      /error quota-insufficient ClusterQueue\/gpus: flavor nvidia-l4-4gpu: Deployment\/team-a\/a need more than the nominal quota at full scale \(8 GPU > 4\)/,
    );
    expect(message).toMatch(/raise the replicas of MachineSet demo-abc12-gpu-g6-12xlarge-us-east-2b/);
    expect(message.match(/8 GPU/g)).toHaveLength(1);
  });

  test('fails when a workload asks for an instance type no MachineSet provides', () => {
    const { quota } = setup();
    expect(() =>
      quota.admit({ workload: 'x', instanceType: GpuInstanceType.G6E_XLARGE, pods: 1, gpusPerPod: 1, cpuMillisPerPod: 1, memoryMiBPerPod: 1 }),
    ).toThrow(/no ResourceFlavor for instance type g6e.xlarge/);
  });

  test('flavor names stay unique when two instance types have the same GPU shape', () => {
    const m = synthApp(setup([1, 1], [GpuInstanceType.G6_2XLARGE, GpuInstanceType.G6_4XLARGE]).app);
    expect(m.filter((x) => x.kind === 'ResourceFlavor').map((f) => f.metadata.name)).toEqual([
      'cpu-batch',
      'nvidia-l4-1gpu-g6-2xlarge',
      'nvidia-l4-1gpu-g6-4xlarge',
    ]);
  });

  test('fails without MachineSets', () => {
    expect(() => new KueueQuota(new Chart(testApp(), 'c'), 'Q', { machineSets: [], namespace: 'a' })).toThrow(
      /placements and shares are empty; pass the GpuMachineSetScale or ExistingGpuNodes/,
    );
  });
});

describe('KueueQuota shares of one pool between teams', () => {
  /** A pool of two g6e.12xlarge (4 × L40S each) and a demand of `gpus` one-GPU pods on it. */
  const pool = () => {
    const app = testApp();
    const chart = new Chart(app, 'cluster');
    const nodes = new ExistingGpuNodes(chart, 'L40S', { shape: GpuInstanceType.G6E_12XLARGE, nodeCount: 2 });
    return { app, chart, nodes };
  };

  test('two quotas that each hand out the whole pool fail synth, naming both and the fix', () => {
    const { app, chart, nodes } = pool();
    new KueueQuota(chart, 'A', { placements: [nodes], namespace: 'team-a', clusterQueueName: 'a' });
    new KueueQuota(chart, 'B', { placements: [nodes], namespace: 'team-b', clusterQueueName: 'b' });
    expect(() => synthApp(app)).toThrow(
      /nodes node.kubernetes.io\/instance-type=g6e.12xlarge .* has 2 nodes but the quotas hand out 4: KueueQuota cluster\/A \(all 2 nodes\), KueueQuota cluster\/B \(all 2 nodes\); .*shares: \[\{ placement, nodes \}\]\) adding up to at most 2/,
    );
  });

  test('shares adding up to the pool synthesize; one node too many fails', () => {
    const ok = pool();
    new KueueQuota(ok.chart, 'A', { shares: [{ placement: ok.nodes, nodes: 1 }], namespace: 'team-a', clusterQueueName: 'a' });
    new KueueQuota(ok.chart, 'B', { shares: [{ placement: ok.nodes, nodes: 1 }], namespace: 'team-b', clusterQueueName: 'b' });
    expect(synthApp(ok.app).filter((m) => m.kind === 'ClusterQueue')).toHaveLength(2);
    const over = pool();
    new KueueQuota(over.chart, 'A', { shares: [{ placement: over.nodes, nodes: 2 }], namespace: 'team-a', clusterQueueName: 'a' });
    new KueueQuota(over.chart, 'B', { shares: [{ placement: over.nodes, nodes: 1 }], namespace: 'team-b', clusterQueueName: 'b' });
    expect(() => synthApp(over.app)).toThrow(/has 2 nodes but the quotas hand out 3: KueueQuota cluster\/A \(2 nodes\), KueueQuota cluster\/B \(1 node\)/);
  });

  test('a share must be whole nodes the pool has, and a pool is listed once', () => {
    const { chart, nodes } = pool();
    expect(() => new KueueQuota(chart, 'B', { shares: [{ placement: nodes, nodes: 0.5 }], namespace: 'a' })).toThrow(
      /KueueQuota cluster\/B: shares\[0\].nodes must be a whole number, 1 or more, of the nodes .*, got 0.5/,
    );
    expect(() => new KueueQuota(chart, 'C', { placements: [nodes], shares: [{ placement: nodes, nodes: 1 }], namespace: 'a' })).toThrow(
      /KueueQuota cluster\/C: nodes .* is listed twice \(in placements or shares\); list each pool once/,
    );
  });

  test('in a cohort a queue may borrow what the others hold, up to its borrowing limit; the cohort as a whole must fit', () => {
    // 6 GPUs on a 4-GPU share: the other team's idle 4 GPUs cover it
    const borrow = pool();
    new KueueQuota(borrow.chart, 'A', { shares: [{ placement: borrow.nodes, nodes: 1 }], namespace: 'team-a', clusterQueueName: 'a', cohort: 'ai' });
    new KueueQuota(borrow.chart, 'B', { shares: [{ placement: borrow.nodes, nodes: 1 }], namespace: 'team-b', clusterQueueName: 'b', cohort: 'ai' });
    gpuWorkload(borrow.chart, 'team-a', 'x', { pods: 6, gpus: 1, type: GpuInstanceType.G6E_12XLARGE });
    expect(synthApp(borrow.app).filter((m) => m.kind === 'ClusterQueue')).toHaveLength(2);

    // a borrowing limit of 1 GPU caps it at 5
    const limited = pool();
    new KueueQuota(limited.chart, 'A', {
      shares: [{ placement: limited.nodes, nodes: 1 }],
      namespace: 'team-a',
      clusterQueueName: 'a',
      cohort: 'ai',
      gpuBorrowingLimit: 1,
    });
    new KueueQuota(limited.chart, 'B', { shares: [{ placement: limited.nodes, nodes: 1 }], namespace: 'team-b', clusterQueueName: 'b', cohort: 'ai' });
    gpuWorkload(limited.chart, 'team-a', 'x', { pods: 6, gpus: 1, type: GpuInstanceType.G6E_12XLARGE });
    expect(synthError(limited.app)).toMatch(
      /error quota-insufficient ClusterQueue\/a: flavor nvidia-l40s-4gpu: Deployment\/team-a\/x need more than the nominal quota at full scale \(6 GPU > 4[,)].*even with the 1 GPU it can borrow in cohort 'ai': add nodes to/,
    );

    // without a cohort nothing is lent
    const alone = pool();
    new KueueQuota(alone.chart, 'A', { shares: [{ placement: alone.nodes, nodes: 1 }], namespace: 'team-a', clusterQueueName: 'a' });
    new KueueQuota(alone.chart, 'B', { shares: [{ placement: alone.nodes, nodes: 1 }], namespace: 'team-b', clusterQueueName: 'b' });
    gpuWorkload(alone.chart, 'team-a', 'x', { pods: 5, gpus: 1, type: GpuInstanceType.G6E_12XLARGE });
    expect(synthError(alone.app)).toMatch(
      /error quota-insufficient ClusterQueue\/a: flavor nvidia-l40s-4gpu: Deployment\/team-a\/x need more than the nominal quota at full scale \(5 GPU > 4/,
    );

    // both teams at once need more than the pool, though each fits alone: Kueue admits them in turn, so the
    // cohort warns once (fatal under strict checks), and synth without them passes
    const full = pool();
    strictChecks(full.chart);
    new KueueQuota(full.chart, 'A', { shares: [{ placement: full.nodes, nodes: 1 }], namespace: 'team-a', clusterQueueName: 'a', cohort: 'ai' });
    new KueueQuota(full.chart, 'B', { shares: [{ placement: full.nodes, nodes: 1 }], namespace: 'team-b', clusterQueueName: 'b', cohort: 'ai' });
    gpuWorkload(full.chart, 'team-a', 'x', { pods: 6, gpus: 1, type: GpuInstanceType.G6E_12XLARGE });
    gpuWorkload(full.chart, 'team-b', 'y', { pods: 3, gpus: 1, type: GpuInstanceType.G6E_12XLARGE });
    const message = synthError(full.app);
    expect(
      message.match(
        /warning quota-insufficient .*cohort 'ai' \(a, b\): the workloads of its ClusterQueues need more of flavor nvidia-l40s-4gpu than they hold together \(9 GPU > 8\); each of them fits alone/g,
      ),
    ).toHaveLength(1);
    expect(message).not.toMatch(/error quota-insufficient/);
  });
});

describe('KueueQuota shares of a MachineSet sized by its services', () => {
  test('a share taken before the services exist is judged at synth, against the replicas they need', () => {
    const app = testApp();
    const chart = new Chart(app, 'cluster');
    const ms = new GpuMachineSetScale(chart, 'L4', {
      clusterId: 'demo-abc12',
      region: 'us-east-2',
      availabilityZone: 'us-east-2b',
      amiId: 'ami-0123456789abcdef0',
      instanceType: GpuInstanceType.G6_12XLARGE,
    });
    // no service placed yet: the MachineSet has 0 replicas, and the share must still be accepted here
    const quota = new KueueQuota(chart, 'A', { shares: [{ placement: ms, nodes: 2 }], namespace: 'team-a', clusterQueueName: 'a' });
    const demand = {
      workload: 'InferenceService/team-a/x',
      instanceType: GpuInstanceType.G6_12XLARGE,
      pods: 1,
      gpusPerPod: 4,
      cpuMillisPerPod: 1000,
      memoryMiBPerPod: 1024,
    };
    ms.place(demand);
    quota.admit(demand);
    // one 4-GPU pod needs one node: a share of two promises a node that will not exist
    expect(() => synthApp(app)).toThrow(
      /MachineSet \S+ has 1 node but the quota hands out 2: KueueQuota cluster\/A \(2 nodes\); .*Lower the share to at most 1, or give the pool more nodes/,
    );
  });
});
