import { ruleFound, severityMessages } from '../util';

const plugin = (values: Record<string, unknown>, chart = 'nvidia-device-plugin') => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'device-plugin', namespace: 'kube-system' },
  spec: { chart: { spec: { chart, sourceRef: { kind: 'HelmRepository', name: 'nvdp' } } }, values },
});
const pod = (spec: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'probe', namespace: 'lab' },
  spec: { containers: [{ name: 'c', image: 'busybox:1.36', resources: { limits: { 'nvidia.com/gpu': 1 } } }], ...spec },
});
const affinity = (key: string, operator: string, values?: string[]) => ({
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] }] },
    },
  },
});

const findings = (...manifests: Record<string, unknown>[]) =>
  severityMessages(
    ruleFound(
      'gpu-label-unpublished',
      manifests.map((manifest) => ({ manifest })),
      { platform: 'kserve' },
    ),
  );

describe('gpu-label-unpublished', () => {
  test('a GFD label in the nodeSelector with the device-plugin chart alone and GFD at its default (off): a warning naming the release', () => {
    expect(findings(plugin({}), pod({ nodeSelector: { 'nvidia.com/gpu.memory': '24576' } }))).toEqual([
      [
        'warning',
        'requires the node label nvidia.com/gpu.memory, which only GPU Feature Discovery (the GPU operator, its own chart, or the device-plugin chart with gfd.enabled: true) publishes; ' +
          "the tree's NVIDIA GPU software is HelmRelease/kube-system/device-plugin (the nvidia-device-plugin chart) with gfd.enabled not set true, and nothing else of the tree labels nodes with it: " +
          "no node carries the label, so the pods stay Pending (\"didn't match Pod's node affinity/selector\"); set gfd.enabled: true in the chart's values, or select by a label the nodes carry",
      ],
    ]);
  });

  test("the GPU operator's nvidia.com/gpu.present required by affinity (Exists): named with its publisher", () => {
    expect(findings(plugin({ gfd: { enabled: false } }), pod(affinity('nvidia.com/gpu.present', 'Exists')))).toEqual([
      ['warning', expect.stringMatching(/^requires the node label nvidia\.com\/gpu\.present, which only the NVIDIA GPU operator publishes/)],
    ]);
  });

  test('near misses: GFD on, a GPU operator or GFD chart beside, a Node labelled in the tree, DoesNotExist, another label, no device-plugin chart', () => {
    const selecting = pod({ nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-L4' } });
    expect(findings(plugin({ gfd: { enabled: true } }), selecting)).toEqual([]);
    expect(findings(plugin({}), plugin({}, 'gpu-operator'), selecting)).toEqual([]);
    expect(findings(plugin({}), plugin({}, 'gpu-feature-discovery'), selecting)).toEqual([]);
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'gpu-1', labels: { 'nvidia.com/gpu.product': 'NVIDIA-L4' } } };
    expect(findings(plugin({}), node, selecting)).toEqual([]);
    expect(findings(plugin({}), pod(affinity('nvidia.com/gpu.present', 'DoesNotExist')))).toEqual([]);
    expect(findings(plugin({}), pod({ nodeSelector: { 'node-role.kubernetes.io/gpu': 'true' } }))).toEqual([]);
    expect(findings(selecting)).toEqual([]);
  });
});
