import { karpenterTypesOf, nodePoolAdmitted, nodePoolTypes } from '../../lib/check/karpenter-shapes';
import type { GraphObject } from '../../lib/check/graph-object';
import type { Loose } from '../../lib/manifests/access';

function nodePool(requirements: Loose[], extra: { labels?: Record<string, string>; taints?: Loose[]; apiVersion?: string } = {}): GraphObject {
  return {
    manifest: {
      apiVersion: extra.apiVersion ?? 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: 'pool' },
      spec: { template: { metadata: { labels: extra.labels ?? {} }, spec: { requirements, taints: extra.taints ?? [] } } },
    },
  };
}

function deployment(pod: Loose, gpus: number): Loose {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'ai' },
    spec: { template: { spec: { ...pod, containers: [{ name: 'c', image: 'x', resources: { limits: { 'nvidia.com/gpu': gpus } } }] } } },
  };
}

const gpuTaint = { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' };
const tolerateGpu = { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] };

describe('Karpenter NodePools as node shapes', () => {
  test('instance types by name, by family, narrowed by GPU name and NotIn', () => {
    expect(
      nodePoolTypes(nodePool([{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['g6.xlarge', 'g5.2xlarge'] }]).manifest)?.map((t) => t.name),
    ).toEqual(['g6.xlarge', 'g5.2xlarge']);
    const g6 = nodePoolTypes(
      nodePool([
        { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['g6', 'g6e'] },
        { key: 'karpenter.k8s.aws/instance-gpu-name', operator: 'In', values: ['l4'] },
        { key: 'node.kubernetes.io/instance-type', operator: 'NotIn', values: ['g6.xlarge'] },
      ]).manifest,
    )!.map((t) => t.name);
    expect(g6).toContain('g6.2xlarge');
    expect(g6).not.toContain('g6.xlarge');
    expect(g6.filter((n) => n.startsWith('g6e.'))).toEqual([]);
  });

  test('no shape from a NodePool that names no type, or one the catalog lacks', () => {
    expect(nodePoolTypes(nodePool([{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }]).manifest)).toBeUndefined();
    expect(
      nodePoolTypes(nodePool([{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['g4dn.xlarge', 'm5.large'] }]).manifest),
    ).toBeUndefined();
    expect(nodePoolTypes(nodePool([{ key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['m5'] }]).manifest)).toBeUndefined();
  });

  test('the pod lands on the NodePools whose taints it tolerates and whose labels its selector allows; all must be known', () => {
    const t4 = nodePool([{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['g4dn.xlarge'] }], { taints: [gpuTaint], labels: { pool: 't4' } });
    const open = nodePool([{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] }], { labels: { pool: 'any' } });
    expect(karpenterTypesOf(deployment(tolerateGpu, 1), [t4]).map((t) => t.name)).toEqual(['g4dn.xlarge']);
    // the taint keeps an intolerant pod off
    expect(karpenterTypesOf(deployment({}, 1), [t4])).toEqual([]);
    // an open NodePool also takes the pod: its shape is unknown, so no verdict
    expect(karpenterTypesOf(deployment(tolerateGpu, 1), [t4, open])).toEqual([]);
    // a selector on the NodePool's label keeps the open one out
    expect(karpenterTypesOf(deployment({ ...tolerateGpu, nodeSelector: { pool: 't4' } }, 1), [t4, open]).map((t) => t.name)).toEqual(['g4dn.xlarge']);
    // v1beta1 is read alike; another group's NodePool is not Karpenter's
    expect(karpenterTypesOf(deployment(tolerateGpu, 1), [{ manifest: { ...t4.manifest, apiVersion: 'karpenter.sh/v1beta1' } }]).map((t) => t.name)).toEqual([
      'g4dn.xlarge',
    ]);
    expect(karpenterTypesOf(deployment(tolerateGpu, 1), [{ manifest: { ...t4.manifest, apiVersion: 'example.com/v1' } }])).toEqual([]);
  });

  test('of a NodePool of several types, those Karpenter may launch for the pod (its GPUs fit)', () => {
    const family = nodePool([{ key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['g4dn'] }]);
    const names = karpenterTypesOf(deployment({}, 4), [family]).map((t) => t.name);
    expect(names).toContain('g4dn.12xlarge');
    expect(names).not.toContain('g4dn.xlarge');
  });

  test("EKS Auto Mode's labels (eks.amazonaws.com/instance-family, -size, -gpu-name) read as the AWS provider's, and a pod that selects the NodePool by karpenter.sh/nodepool", () => {
    const auto = nodePool(
      [
        { key: 'eks.amazonaws.com/instance-family', operator: 'In', values: ['g5'] },
        { key: 'eks.amazonaws.com/instance-size', operator: 'In', values: ['2xlarge', '12xlarge', '48xlarge'] },
        { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] },
      ],
      { taints: [gpuTaint] },
    );
    expect(nodePoolTypes(auto.manifest)?.map((t) => t.name)).toEqual(['g5.2xlarge', 'g5.12xlarge', 'g5.48xlarge']);
    const byName = { ...tolerateGpu, nodeSelector: { 'karpenter.sh/nodepool': 'pool' } };
    expect(karpenterTypesOf(deployment(byName, 4), [auto]).map((t) => t.name)).toEqual(['g5.12xlarge', 'g5.48xlarge']);
    // near misses: another NodePool's name, and a GPU name the family does not hold
    expect(karpenterTypesOf(deployment({ ...tolerateGpu, nodeSelector: { 'karpenter.sh/nodepool': 'other' } }, 4), [auto])).toEqual([]);
    const l4 = nodePool([
      { key: 'eks.amazonaws.com/instance-family', operator: 'In', values: ['g5'] },
      { key: 'eks.amazonaws.com/instance-gpu-name', operator: 'In', values: ['l4'] },
    ]);
    expect(nodePoolTypes(l4.manifest)).toEqual([]);
  });
});

describe('the AWS instance labels of one table, under either prefix', () => {
  const pool = (requirements: Loose[], labels: Record<string, string> = {}): GraphObject => ({
    manifest: {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: 'auto' },
      spec: { template: { metadata: { labels }, spec: { nodeClassRef: { group: 'eks.amazonaws.com', kind: 'NodeClass', name: 'default' }, requirements } } },
    },
  });

  test('category, generation, GPU count (Gt) and CPU narrow a family as Karpenter reads them', () => {
    const names = nodePoolTypes(
      pool([
        { key: 'eks.amazonaws.com/instance-family', operator: 'In', values: ['g5', 'g6', 'g4dn'] },
        { key: 'eks.amazonaws.com/instance-generation', operator: 'Gt', values: ['4'] },
        { key: 'eks.amazonaws.com/instance-gpu-count', operator: 'Gt', values: ['1'] },
        { key: 'karpenter.k8s.aws/instance-cpu', operator: 'Lt', values: ['96'] },
      ]).manifest,
    )!.map((t) => t.name);
    expect(names.sort()).toEqual(['g5.12xlarge', 'g6.12xlarge']);
    expect(
      nodePoolTypes(
        pool([
          { key: 'eks.amazonaws.com/instance-family', operator: 'In', values: ['g6'] },
          { key: 'eks.amazonaws.com/instance-category', operator: 'NotIn', values: ['g'] },
        ]).manifest,
      ),
    ).toEqual([]);
  });

  test("a pod's own selection of an AWS instance label narrows the NodePool's types; the NodePools' requirements and labels fill a label the pod leaves open", () => {
    const mixed = pool([{ key: 'eks.amazonaws.com/instance-family', operator: 'In', values: ['g4dn', 'g6'] }]);
    const names = karpenterTypesOf(deployment({ nodeSelector: { 'eks.amazonaws.com/instance-gpu-name': 'l4' } }, 1), [mixed]).map((t) => t.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => n.startsWith('g6.'))).toBe(true);
    const byName = pool([{ key: 'eks.amazonaws.com/instance-gpu-name', operator: 'In', values: ['t4'] }], { 'nvidia.com/mig.config': 'all-disabled' });
    const admitted = nodePoolAdmitted(deployment({}, 1), [byName]);
    expect(admitted('eks.amazonaws.com/instance-gpu-name')).toEqual(['t4']);
    expect(admitted('nvidia.com/mig.config')).toEqual(['all-disabled']);
    expect(admitted('eks.amazonaws.com/instance-family')).toBeUndefined();
  });
});
