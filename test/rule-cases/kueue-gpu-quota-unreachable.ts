import { ruleFindings } from '../util';

/**
 * kueue-gpu-quota-unreachable: Kueue admits a workload only where every resource fits its flavor's quota
 * (flavorassigner), so a flavor's GPU quota beyond what its CPU quota reaches, at the CPU per GPU the queue's
 * workloads request, is never used by them.
 */
const queue = (cpu: number, gpu: number) => ({
  apiVersion: 'kueue.x-k8s.io/v1beta1',
  kind: 'ClusterQueue',
  metadata: { name: 'research' },
  spec: {
    namespaceSelector: {},
    resourceGroups: [
      {
        coveredResources: ['cpu', 'nvidia.com/gpu'],
        flavors: [
          {
            name: 'gpu',
            resources: [
              { name: 'cpu', nominalQuota: cpu },
              { name: 'nvidia.com/gpu', nominalQuota: gpu },
            ],
          },
        ],
      },
    ],
  },
});
const FLAVOR = { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'ResourceFlavor', metadata: { name: 'gpu' } };
const LOCAL = {
  apiVersion: 'kueue.x-k8s.io/v1beta1',
  kind: 'LocalQueue',
  metadata: { name: 'research', namespace: 'lab' },
  spec: { clusterQueue: 'research' },
};
const job = (name: string, requests: Record<string, string>) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: 'lab', labels: { 'kueue.x-k8s.io/queue-name': 'research' } },
  spec: {
    template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'registry.example.com/x:1', resources: { requests, limits: requests } }] } },
  },
});
const find = (docs: object[]) => ruleFindings('kueue-gpu-quota-unreachable', docs as Record<string, unknown>[]);

describe('kueue-gpu-quota-unreachable', () => {
  test('72 GPUs with 64 CPUs for jobs taking 4 CPU per GPU: a warning saying 16 GPUs are reachable', () => {
    expect(find([FLAVOR, LOCAL, queue(64, 72), job('a', { cpu: '4', 'nvidia.com/gpu': '1' }), job('b', { cpu: '16', 'nvidia.com/gpu': '2' })])).toEqual([
      expect.stringMatching(
        /^warning ClusterQueue\/research: flavor 'gpu': nvidia.com\/gpu nominalQuota 72 with cpu nominalQuota 64.*at least 4 CPU per GPU \(Job\/a: 4 CPU for 1 GPU\).*at most 16 of the 72 GPUs/,
      ),
    ]);
  });

  test('near misses: enough CPU, a workload without a CPU request, no GPU workload on the queue', () => {
    expect(find([FLAVOR, LOCAL, queue(288, 72), job('a', { cpu: '4', 'nvidia.com/gpu': '1' })])).toEqual([]);
    expect(find([FLAVOR, LOCAL, queue(64, 72), job('a', { cpu: '4', 'nvidia.com/gpu': '1' }), job('b', { 'nvidia.com/gpu': '1' })])).toEqual([]);
    expect(find([FLAVOR, LOCAL, queue(64, 72), job('a', { cpu: '4' })])).toEqual([]);
  });
});
