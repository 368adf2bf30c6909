import { readManifests } from '../../lib';
import { ruleFound, severityMessages, writeTree } from '../util';

type Doc = Record<string, unknown>;

/** An eksctl cluster configuration: a small system group and a tainted T4 group labelled role=gpu. */
const clusterConfig: Doc = {
  apiVersion: 'eksctl.io/v1alpha5',
  kind: 'ClusterConfig',
  metadata: { name: 'inference', region: 'us-east-1' },
  managedNodeGroups: [
    { name: 'system', instanceType: 't3.medium', labels: { role: 'system' } },
    {
      name: 'gpu-spot',
      instanceTypes: ['g4dn.xlarge'],
      labels: { role: 'gpu' },
      taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
    },
  ],
};

const deployment = (pod: Doc, gpus: number): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'vllm', namespace: 'ai' },
  spec: {
    selector: { matchLabels: { app: 'vllm' } },
    template: {
      metadata: { labels: { app: 'vllm' } },
      spec: {
        ...pod,
        containers: [
          {
            name: 'vllm',
            image: 'vllm/vllm-openai:v0.10.1',
            resources: { requests: { 'nvidia.com/gpu': String(gpus) }, limits: { 'nvidia.com/gpu': String(gpus) } },
          },
        ],
      },
    },
  },
});
const TOLERATES = { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }] };

const findings = (docs: Doc[], leftOut: Doc[] = []) =>
  severityMessages(
    ruleFound(
      'gpu-count-exceeds-node',
      docs.map((manifest) => ({ manifest })),
      { platform: 'kserve', alone: true, leftOut: leftOut.map((manifest) => ({ manifest, file: 'eks-cluster.yaml' })) },
    ),
  );

describe('gpu-count-exceeds-node on the node groups of an eksctl ClusterConfig', () => {
  test("a pod that selects a group's labels and tolerates its taints is judged on its instance type", () => {
    expect(findings([clusterConfig, deployment({ nodeSelector: { role: 'gpu' }, ...TOLERATES }, 2)])).toEqual([
      ['error', expect.stringContaining('g4dn.xlarge')],
    ]);
    expect(findings([clusterConfig, deployment({ nodeSelector: { role: 'gpu' }, ...TOLERATES }, 1)])).toEqual([]);
  });

  test('a ClusterConfig no kustomization lists (eksctl reads it) counts the same', () => {
    expect(findings([deployment({ nodeSelector: { role: 'gpu' }, ...TOLERATES }, 2)], [clusterConfig]).map(([s]) => s)).toEqual(['error']);
  });

  test("the group's name label, as eksctl and EKS set it, selects it too", () => {
    const selector = { nodeSelector: { 'eks.amazonaws.com/nodegroup': 'gpu-spot' }, ...TOLERATES };
    expect(findings([clusterConfig, deployment(selector, 4)]).map(([s]) => s)).toEqual(['error']);
  });

  test('no shape from a group the pod cannot land on (its taint not tolerated, its labels not selected) or when the pod selects nothing', () => {
    const unknown = [['info', expect.stringContaining('no node shape is known')]];
    expect(findings([clusterConfig, deployment({ nodeSelector: { role: 'gpu' } }, 2)])).toEqual(unknown);
    expect(findings([clusterConfig, deployment({ nodeSelector: { role: 'batch' }, ...TOLERATES }, 2)])).toEqual(unknown);
    expect(findings([clusterConfig, deployment(TOLERATES, 2)])).toEqual(unknown);
  });
});

describe('gpu-count-exceeds-node: a node pool of the Terraform the pod pins by name', () => {
  const tf =
    'resource "google_container_node_pool" "l4" {\n  name    = "mira-l4"\n  cluster = "mira"\n  node_config {\n    machine_type = "g2-standard-8"\n  }\n}\n';
  const job = (gpus: number) =>
    `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: eval\n  namespace: ml\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      nodeSelector:\n        cloud.google.com/gke-nodepool: mira-l4\n` +
    `      containers:\n      - name: e\n        image: registry.example.com/eval:1.0.0\n        resources:\n          limits:\n            nvidia.com/gpu: ${gpus}\n`;
  const judged = (gpus: number) => {
    const read = readManifests([writeTree('gpu-count-terraform-', { 'infra/pools.tf': tf, 'job.yaml': job(gpus) })]);
    return severityMessages(ruleFound('gpu-count-exceeds-node', read.manifests, { platform: 'kserve', alone: true, ...read }));
  };

  test('two GPUs on a pool of g2-standard-8 (one L4): an error; one GPU fits', () => {
    expect(judged(2)).toEqual([['error', expect.stringMatching(/2 nvidia\.com\/gpu .*g2-standard-8/)]]);
    expect(judged(1)).toEqual([]);
  });
});
