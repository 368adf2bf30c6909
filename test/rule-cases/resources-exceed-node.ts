import { runChecks } from '../../lib';

type Doc = Record<string, unknown>;

const clusterConfig: Doc = {
  apiVersion: 'eksctl.io/v1alpha5',
  kind: 'ClusterConfig',
  metadata: { name: 'inference', region: 'us-east-1' },
  // eksctl's older map form of taints: key: "value:Effect"
  nodeGroups: [{ name: 'gpu', instanceType: 'g4dn.xlarge', labels: { role: 'gpu' }, taints: { 'nvidia.com/gpu': 'true:NoSchedule' } }],
};

const deployment = (memory: string): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'vllm', namespace: 'ai' },
  spec: {
    selector: { matchLabels: { app: 'vllm' } },
    template: {
      metadata: { labels: { app: 'vllm' } },
      spec: {
        nodeSelector: { role: 'gpu' },
        tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
        containers: [
          {
            name: 'vllm',
            image: 'vllm/vllm-openai:v0.10.1',
            resources: { requests: { memory, 'nvidia.com/gpu': '1' }, limits: { memory, 'nvidia.com/gpu': '1' } },
          },
        ],
      },
    },
  },
});

const findings = (memory: string) =>
  runChecks([{ manifest: clusterConfig }, { manifest: deployment(memory) }], { platform: 'kserve', rules: ['resources-exceed-node'] }).map((f) => [
    f.severity,
    f.message,
  ]);

describe('resources-exceed-node on the node group of an eksctl ClusterConfig', () => {
  test("memory above the group's instance type (g4dn.xlarge, 16 GiB): an error naming it; within it: silent", () => {
    expect(findings('24Gi')).toEqual([['error', expect.stringContaining('g4dn.xlarge')]]);
    expect(findings('8Gi')).toEqual([]);
  });
});
