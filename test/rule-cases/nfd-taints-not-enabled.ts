import { ruleFindings } from '../util';

/** nfd-taints-not-enabled: NodeFeatureRule taints need nfd-master's tainting turned on somewhere the tree shows. */
const rule = (taints: object[]) => ({
  apiVersion: 'nfd.k8s-sigs.io/v1alpha1',
  kind: 'NodeFeatureRule',
  metadata: { name: 'gpu-taint' },
  spec: {
    rules: [
      {
        name: 'gpus',
        taints,
        labels: { 'example.com/gpu': 'true' },
        matchFeatures: [{ feature: 'pci.device', matchExpressions: { vendor: { op: 'In', value: ['10de'] } } }],
      },
    ],
  },
});
const TAINT = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' };
const master = (args: string[]) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'nfd-master', namespace: 'node-feature-discovery' },
  spec: {
    selector: { matchLabels: { app: 'nfd-master' } },
    template: {
      metadata: { labels: { app: 'nfd-master' } },
      spec: { containers: [{ name: 'nfd-master', image: 'registry.k8s.io/nfd/node-feature-discovery:v0.19.0', args }] },
    },
  },
});
const config = (enable: boolean) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'nfd-master-conf', namespace: 'node-feature-discovery' },
  data: { 'nfd-master.conf': `enableTaints: ${enable}\n` },
});
const found = (docs: Record<string, unknown>[]) => ruleFindings('nfd-taints-not-enabled', docs);

describe('nfd-taints-not-enabled', () => {
  test('taints with no enableTaints anywhere, or one set false: a warning naming the rule and the taint', () => {
    expect(found([rule([TAINT])])).toEqual([
      expect.stringMatching(/^warning NodeFeatureRule\/gpu-taint: rule\(s\) 'gpus' set taints \(nvidia\.com\/gpu=present:NoSchedule\).*-enable-taints/),
    ]);
    expect(found([rule([TAINT]), config(false), master(['-enable-taints=false'])])).toHaveLength(1);
  });

  test('near misses: the flag on nfd-master, enableTaints true in its config, a rule with labels only', () => {
    expect(found([rule([TAINT]), master(['-enable-taints'])])).toEqual([]);
    expect(found([rule([TAINT]), config(true)])).toEqual([]);
    expect(found([rule([])])).toEqual([]);
  });
});
