import { ruleFound, severityMessages } from '../util';

const topology = (name: string, apiVersion = 'kueue.x-k8s.io/v1beta1') => ({
  apiVersion,
  kind: 'Topology',
  metadata: { name },
  spec: { levels: [{ nodeLabel: 'kubernetes.io/hostname' }] },
});
const flavor = (topologyName?: string) => ({
  apiVersion: 'kueue.x-k8s.io/v1beta1',
  kind: 'ResourceFlavor',
  metadata: { name: 'racks' },
  spec: { nodeLabels: { pool: 'gpu' }, ...(topologyName ? { topologyName } : {}) },
});
const queue = {
  apiVersion: 'kueue.x-k8s.io/v1beta1',
  kind: 'ClusterQueue',
  metadata: { name: 'batch' },
  spec: { resourceGroups: [{ coveredResources: ['nvidia.com/gpu'], flavors: [{ name: 'racks', resources: [{ name: 'nvidia.com/gpu', nominalQuota: 8 }] }] }] },
};

const findings = (...manifests: Record<string, unknown>[]) =>
  severityMessages(
    ruleFound(
      'kueue-topology-not-found',
      manifests.map((manifest) => ({ manifest })),
      { platform: 'kserve' },
    ),
  );

describe('kueue-topology-not-found', () => {
  test('a flavor naming a Topology the tree does not define beside one it does: error naming the ClusterQueues', () => {
    expect(findings(topology('default'), flavor('racks-topology'), queue)).toEqual([
      [
        'error',
        "spec.topologyName 'racks-topology' names no Topology of the tree (it defines 'default'): Kueue keeps every ClusterQueue using the flavor (ClusterQueue batch) inactive (reason TopologyNotFound) and admits none of its workloads; add Topology 'racks-topology' or name one that exists",
      ],
    ]);
  });

  test('no Topology in the tree at all: a warning, the cluster may have it', () => {
    expect(findings(flavor('default'))).toEqual([['warning', expect.stringContaining('in the tree, which defines none (the cluster may have it)')]]);
  });

  test('near misses: the Topology exists (v1alpha1 or v1beta1), no topologyName, another group', () => {
    expect(findings(topology('default'), flavor('default'), queue)).toEqual([]);
    expect(findings(topology('default', 'kueue.x-k8s.io/v1alpha1'), flavor('default'))).toEqual([]);
    expect(findings(topology('default'), flavor())).toEqual([]);
    expect(findings({ ...flavor('elsewhere'), apiVersion: 'example.com/v1' })).toEqual([]);
  });
});
