import { Chart } from 'cdk8s';
import { GpuInstanceType, GpuMachineSetScale, KueueQuota } from '../lib';
import { synthApp, testApp } from './util';

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
    expect(l4x4.spec.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
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

  test("fails synth when the admitted demand exceeds a flavor's quota", () => {
    const { app, quota } = setup([1, 1]);
    quota.admit({
      workload: 'InferenceService/team-a/a',
      instanceType: GpuInstanceType.G6_12XLARGE,
      pods: 2,
      gpusPerPod: 4,
      cpuMillisPerPod: 1000,
      memoryMiBPerPod: 1024,
    });
    expect(() => synthApp(app)).toThrow(/flavor nvidia-l4-4gpu has 4 GPU.*need 8 GPU.*short on gpus/);
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
      /placements is empty; pass the GpuMachineSetScale or ExistingGpuNodes/,
    );
  });
});
