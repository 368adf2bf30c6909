import { ruleFindings } from '../util';

/**
 * gpu-operator-device-plugin-default-unset: the GPU operator runs the config-manager with DEFAULT_CONFIG from
 * devicePlugin.config.default and FALLBACK_STRATEGIES=empty (NVIDIA/gpu-operator controllers/object_controls.go), so an
 * unlabelled node gets the empty config (k8s-device-plugin cmd/config-manager main.go updateConfigName).
 */
const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gpu-system' } };
const configMap = (keys: string[]) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'sharing', namespace: 'gpu-system' },
  data: Object.fromEntries(keys.map((k) => [k, 'version: v1\nsharing:\n  timeSlicing:\n    resources:\n      - name: nvidia.com/gpu\n        replicas: 2\n'])),
});
const release = (config: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'gpu-operator', namespace: 'gpu-system' },
  spec: {
    interval: '30m',
    chart: { spec: { chart: 'gpu-operator', sourceRef: { kind: 'HelmRepository', name: 'nvidia' } } },
    values: { devicePlugin: { config } },
    ...extra,
  },
});
const found = (...docs: Record<string, unknown>[]) => ruleFindings('gpu-operator-device-plugin-default-unset', docs);

describe('gpu-operator-device-plugin-default-unset', () => {
  test('a single config and no default: an error naming the config to make the default', () => {
    expect(found(namespace, configMap(['any']), release({ name: 'sharing' }))).toEqual([
      expect.stringMatching(
        /^error HelmRelease\/gpu-system\/gpu-operator: values\.devicePlugin\.config\.name is 'sharing' with no devicePlugin\.config\.default, and ConfigMap 'sharing' .*holds 'any': .*FALLBACK_STRATEGIES=empty.*no time-slicing or MPS sharing.*set values\.devicePlugin\.config\.default to 'any'/,
      ),
    ]);
  });

  test('several configs, or a ConfigMap not in the tree: a warning', () => {
    expect(found(namespace, configMap(['a100', 'h100']), release({ name: 'sharing' }))).toEqual([expect.stringMatching(/^warning .*holds 'a100', 'h100'/)]);
    expect(found(namespace, release({ name: 'sharing' }))).toEqual([expect.stringMatching(/^warning .*ConfigMap 'sharing' is not in the tree/)]);
  });

  test("the chart's own ConfigMap (config.create with data) is read for its configs", () => {
    expect(found(namespace, release({ name: 'sharing', create: true, data: { shared: 'version: v1' } }))).toEqual([
      expect.stringMatching(/^error .*values\.devicePlugin\.config\.data holds 'shared'/),
    ]);
  });

  test.each([
    ['a default set', [namespace, configMap(['any']), release({ name: 'sharing', default: 'any' })]],
    ['no config named', [namespace, release({})]],
    ['values from elsewhere', [namespace, configMap(['any']), release({ name: 'sharing' }, { valuesFrom: [{ kind: 'ConfigMap', name: 'more-values' }] })]],
    [
      'an object labelling nodes with the config',
      [
        namespace,
        configMap(['any']),
        release({ name: 'sharing' }),
        {
          apiVersion: 'machine.openshift.io/v1beta1',
          kind: 'MachineSet',
          metadata: { name: 'gpu', namespace: 'openshift-machine-api' },
          spec: { template: { spec: { metadata: { labels: { 'nvidia.com/device-plugin.config': 'any' } } } } },
        },
      ],
    ],
  ])('near miss: %s', (_, docs) => {
    expect(found(...(docs as Record<string, unknown>[]))).toEqual([]);
  });
});
