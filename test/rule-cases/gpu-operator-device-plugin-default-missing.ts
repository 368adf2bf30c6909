import { ruleFound, severityMessages, treeRuleFound } from '../util';

const configMap = (data: Record<string, string>, namespace = 'gpu-operator') => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'time-slicing', namespace },
  data,
});
const SLICED = 'version: v1\nsharing:\n  timeSlicing:\n    resources:\n      - name: nvidia.com/gpu\n        replicas: 4\n';
const release = (config: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'gpu-operator', namespace: 'gpu-operator' },
  spec: { chart: { spec: { chart: 'gpu-operator', sourceRef: { kind: 'HelmRepository', name: 'nvidia' } } }, values: { devicePlugin: { config } }, ...extra },
});

const findings = (...manifests: Record<string, unknown>[]) =>
  severityMessages(
    ruleFound(
      'gpu-operator-device-plugin-default-missing',
      manifests.map((manifest) => ({ manifest })),
      { platform: 'kserve' },
    ),
  );

const umbrella = (values: string, app = '') => ({
  'gpu/Chart.yaml':
    'apiVersion: v2\nname: lab-gpu\nversion: 1.0.0\ndependencies:\n  - name: gpu-operator\n    alias: operator\n    version: v25.3.0\n    repository: https://helm.ngc.nvidia.com/nvidia\n',
  'gpu/values.yaml': values,
  'gpu/templates/time-slicing.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: time-slicing\ndata:\n  a100: |-\n${SLICED.replace(/^/gm, '    ')}`,
  'apps/gpu.yaml':
    'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: lab-gpu, namespace: argocd}\nspec:\n  project: default\n' +
    `  source:\n    repoURL: https://git.example.com/lab/cluster.git\n    targetRevision: main\n    path: gpu\n${app}` +
    '  destination: {server: https://kubernetes.default.svc, namespace: gpu-operator}\n  syncPolicy: {syncOptions: [CreateNamespace=true]}\n',
});

describe('gpu-operator-device-plugin-default-missing', () => {
  test('a release whose default is no key of the ConfigMap of its namespace: error naming the keys', () => {
    expect(findings(release({ name: 'time-slicing', default: 'any' }), configMap({ a100: SLICED, h100: SLICED }))).toEqual([
      [
        'error',
        "values.devicePlugin.config.default is 'any', but ConfigMap 'time-slicing' holds 'a100', 'h100': the device plugin's config-manager cannot select 'any' for a node without the nvidia.com/device-plugin.config label, " +
          "so its init container fails and the device plugin pod never starts (no nvidia.com/gpu advertised); set the default to one of 'a100', 'h100', or add 'any' to the ConfigMap",
      ],
    ]);
    expect(findings(release({ name: 'time-slicing', default: 'any', create: true, data: { a100: SLICED } }))).toEqual([
      ['error', expect.stringContaining("but values.devicePlugin.config.data holds 'a100'")],
    ]);
  });

  test("an umbrella chart wrapping gpu-operator under an alias: its values (the Application's over the chart's) are judged though the dependency is not rendered", async () => {
    const values = 'operator:\n  devicePlugin:\n    config:\n      name: time-slicing\n      default: any\n';
    expect(await treeRuleFound('gpu-operator-device-plugin-default-missing', 'umbrella-default-', umbrella(values))).toEqual([
      {
        severity: 'error',
        object: 'Application/argocd/lab-gpu',
        message: expect.stringMatching(/^values\.operator\.devicePlugin\.config\.default is 'any', but ConfigMap 'time-slicing' \(.*\) holds 'a100'/),
      },
    ]);
    const fixedByApp = umbrella(values, '    helm:\n      valuesObject:\n        operator: {devicePlugin: {config: {default: a100}}}\n');
    expect(await treeRuleFound('gpu-operator-device-plugin-default-missing', 'umbrella-default-', fixedByApp)).toEqual([]);
  });

  test('near misses: the default a key, no default, the ConfigMap not in the tree, values from elsewhere, the device plugin off', () => {
    expect(findings(release({ name: 'time-slicing', default: 'a100' }), configMap({ a100: SLICED }))).toEqual([]);
    expect(findings(release({ name: 'time-slicing' }), configMap({ a100: SLICED }))).toEqual([]);
    expect(findings(release({ name: 'time-slicing', default: 'any' }))).toEqual([]);
    expect(findings(release({ name: 'time-slicing', default: 'any' }), configMap({ a100: SLICED }, 'other'))).toEqual([]);
    expect(
      findings(release({ name: 'time-slicing', default: 'any' }, { valuesFrom: [{ kind: 'ConfigMap', name: 'v' }] }), configMap({ a100: SLICED })),
    ).toEqual([]);
    const off = release({ name: 'time-slicing', default: 'any' });
    (off.spec.values as Record<string, Record<string, unknown>>).devicePlugin.enabled = false;
    expect(findings(off, configMap({ a100: SLICED }))).toEqual([]);
  });
});
