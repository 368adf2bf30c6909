import { Chart, Testing } from 'cdk8s';
import { GpuInstanceType, GpuMachineSetScale, GpuMachineSetScaleProps } from '../../lib';
import { nodesNeeded } from '../../lib/placement/gpu-demand';
import { testApp } from '../util';
import { cpuMsSince, PROMPTLY_MS } from '../setup/promptly';

const base: GpuMachineSetScaleProps = {
  clusterId: 'demo-abc12',
  region: 'us-east-2',
  availabilityZone: 'us-east-2b',
  amiId: 'ami-0123456789abcdef0',
  instanceType: GpuInstanceType.G6_12XLARGE,
};
const demand = (pods: number, gpus: number, cpu = 4000, mem = 16384) => ({
  workload: `w${pods}x${gpus}`,
  instanceType: GpuInstanceType.G6_12XLARGE,
  pods,
  gpusPerPod: gpus,
  cpuMillisPerPod: cpu,
  memoryMiBPerPod: mem,
});

describe('GpuMachineSetScale', () => {
  test('renders an AWS GPU MachineSet whose selector matches its template, with GPU taint and node labels', () => {
    const chart = new Chart(testApp(), 'c');
    new GpuMachineSetScale(chart, 'Nodes', { ...base, replicas: 2 });
    const ms = Testing.synth(chart)[0];
    expect(ms.metadata).toMatchObject({ name: 'demo-abc12-gpu-g6-12xlarge-us-east-2b', namespace: 'openshift-machine-api' });
    expect(ms.spec.replicas).toBe(2);
    for (const [k, v] of Object.entries(ms.spec.selector.matchLabels)) expect(ms.spec.template.metadata.labels[k]).toBe(v);
    expect(ms.spec.template.spec.taints).toEqual([{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }]);
    expect(ms.spec.template.spec.metadata.labels['cluster-api/accelerator']).toBe('nvidia-l4');
    const p = ms.spec.template.spec.providerSpec.value;
    expect(p).toMatchObject({ kind: 'AWSMachineProviderConfig', instanceType: 'g6.12xlarge', ami: { id: 'ami-0123456789abcdef0' } });
    expect(p.placement).toEqual({ availabilityZone: 'us-east-2b', region: 'us-east-2' });
    expect(ms.metadata.annotations['machine.openshift.io/GPU']).toBeUndefined();
  });

  test('derives replicas from the GPU demand placed on it (pods never span nodes)', () => {
    const t = GpuInstanceType.G6_12XLARGE;
    expect(nodesNeeded(t, [])).toBe(0);
    expect(nodesNeeded(t, [demand(1, 4)])).toBe(1);
    expect(nodesNeeded(t, [demand(4, 1)])).toBe(1);
    expect(nodesNeeded(t, [demand(5, 1)])).toBe(2);
    expect(nodesNeeded(t, [demand(1, 3), demand(3, 2)])).toBe(3);
    // CPU binds before GPUs: four 1-GPU pods of 20 cores need two 48-vCPU nodes
    expect(nodesNeeded(t, [demand(4, 1, 20000)])).toBe(2);
    const chart = new Chart(testApp(), 'c');
    const ms = new GpuMachineSetScale(chart, 'Nodes', base);
    ms.place(demand(2, 4));
    expect(Testing.synth(chart)[0].spec.replicas).toBe(2);
  });

  test('places identical pods in bulk: the same node count as first-fit decreasing pod by pod, and a million replicas at once', () => {
    // the textbook first-fit decreasing, one pod at a time: the reference the bulk placement must agree with
    const reference = (t: GpuInstanceType, ds: ReturnType<typeof demand>[]) => {
      const a = t.allocatable;
      const pods = ds.flatMap((d) => Array.from({ length: d.pods }, () => d));
      pods.sort((x, y) => y.gpusPerPod - x.gpusPerPod || y.memoryMiBPerPod - x.memoryMiBPerPod || y.cpuMillisPerPod - x.cpuMillisPerPod);
      const nodes: { g: number; c: number; m: number }[] = [];
      for (const p of pods) {
        let n = nodes.find((x) => x.g >= p.gpusPerPod && x.c >= p.cpuMillisPerPod && x.m >= p.memoryMiBPerPod);
        if (!n) nodes.push((n = { g: a.gpus, c: a.cpuMillis, m: a.memoryMiB }));
        n.g -= p.gpusPerPod;
        n.c -= p.cpuMillisPerPod;
        n.m -= p.memoryMiBPerPod;
      }
      return nodes.length;
    };
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (const t of [GpuInstanceType.G6_12XLARGE, GpuInstanceType.G6E_48XLARGE, GpuInstanceType.P5_48XLARGE]) {
      for (let i = 0; i < 200; i++) {
        const ds = Array.from({ length: 1 + next(4) }, () =>
          demand(
            next(7),
            next(t.gpuCount + 1),
            500 * next(Math.floor(t.allocatable.cpuMillis / 500) + 1),
            1024 * next(Math.floor(t.allocatable.memoryMiB / 1024) + 1),
          ),
        );
        expect({ ds, nodes: nodesNeeded(t, ds) }).toEqual({ ds, nodes: reference(t, ds) });
      }
    }
    const started = process.cpuUsage();
    expect(nodesNeeded(GpuInstanceType.G6_12XLARGE, [demand(1_000_000, 1, 1000, 1024), demand(3, 4)])).toBe(250_003);
    expect(cpuMsSince(started)).toBeLessThan(PROMPTLY_MS);
  });

  test('fails when a single pod cannot fit a node', () => {
    expect(() => nodesNeeded(GpuInstanceType.G6_12XLARGE, [demand(1, 8)])).toThrow(/one pod requests 8 GPU.*more than one g6.12xlarge node can give/);
  });

  test('fails on values that would reach the cluster broken', () => {
    const chart = new Chart(testApp(), 'c');
    expect(() => new GpuMachineSetScale(chart, 'a', { ...base, amiId: 'AMI_ID' })).toThrow(/amiId 'AMI_ID' is not an AMI id/);
    expect(() => new GpuMachineSetScale(chart, 'b', { ...base, clusterId: 'CLUSTER_ID' })).toThrow(/clusterId 'CLUSTER_ID' is not a valid name/);
    expect(() => new GpuMachineSetScale(chart, 'c', { ...base, availabilityZone: 'us-west-2a' })).toThrow(/not a zone of region 'us-east-2'/);
    expect(() => new GpuMachineSetScale(chart, 'd', { ...base, replicas: -1 })).toThrow(/replicas must be a whole number/);
    expect(() => new GpuMachineSetScale(chart, 'e', { ...base, rootVolumeGiB: 50 })).toThrow(/rootVolumeGiB must be a whole number of at least 120/);
    // a Node cannot carry these: the Machines would join without the labels and taints the services rely on
    expect(() => new GpuMachineSetScale(chart, 'f', { ...base, nodeLabels: { 'gpu pool': 'l40s' } })).toThrow(/nodeLabels key 'gpu pool' is not a label key/);
    expect(() => new GpuMachineSetScale(chart, 'g', { ...base, nodeLabels: { 'gpu-pool': 'L40S GPUs' } })).toThrow(
      /nodeLabels value "L40S GPUs" of 'gpu-pool' is not a label value/,
    );
    expect(() => new GpuMachineSetScale(chart, 'h', { ...base, taints: [{ key: 'nvidia.com/gpu', effect: 'Sometimes' as 'NoSchedule' }] })).toThrow(
      /taints\[0\]\.effect "Sometimes" is not a taint effect: use NoSchedule, PreferNoSchedule, NoExecute/,
    );
    expect(() => new GpuMachineSetScale(chart, 'i', { ...base, taints: [{ key: 'nvidia.com/gpu', value: 'yes please', effect: 'NoSchedule' }] })).toThrow(
      /taints\[0\]\.value "yes please" is not a taint value/,
    );
    // near miss: a prefixed key, an empty label value and a known effect are what Nodes carry
    expect(
      () =>
        new GpuMachineSetScale(chart, 'j', {
          ...base,
          nodeLabels: { 'example.com/gpu-pool': '' },
          taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'PreferNoSchedule' }],
        }),
    ).not.toThrow();
  });
});
