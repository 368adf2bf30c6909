import * as path from 'path';
import * as YAML from 'yaml';
import { readManifests, runChecks } from '../../lib';
import { ruleFindings, treeRuleFound, writeTree } from '../util';

/**
 * gpu-operator-configmap-missing: ClusterPolicy fields and gpu-operator chart values naming ConfigMaps of the
 * operator's namespace (NVIDIA/gpu-operator api/nvidia/v1 clusterpolicy_types.go; controllers/object_controls.go
 * createConfigMapVolumeMounts reads them in the operator namespace).
 */
const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const configMap = (name: string, ns: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { 'a.repo': '[a]' } });
const release = (values: Record<string, unknown>, targetNamespace = 'gpu-system') => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'gpu-operator', namespace: 'flux-system' },
  spec: { interval: '30m', targetNamespace, chart: { spec: { chart: 'gpu-operator', sourceRef: { kind: 'HelmRepository', name: 'nvidia' } } }, values },
});
const policy = (spec: Record<string, unknown>) => ({ apiVersion: 'nvidia.com/v1', kind: 'ClusterPolicy', metadata: { name: 'gpu-cluster-policy' }, spec });
const subscription = {
  apiVersion: 'operators.coreos.com/v1alpha1',
  kind: 'Subscription',
  metadata: { name: 'gpu-operator-certified', namespace: 'nvidia-gpu-operator' },
  spec: { name: 'gpu-operator-certified', channel: 'stable', source: 'certified-operators', sourceNamespace: 'openshift-marketplace' },
};
const found = (...docs: Record<string, unknown>[]) => ruleFindings('gpu-operator-configmap-missing', docs);
const repoConfig = { driver: { repoConfig: { configMapName: 'yum-mirrors' } } };

describe('gpu-operator-configmap-missing', () => {
  test('chart values naming a repo ConfigMap the target namespace lacks: an error naming the field, the namespace and the fix', () => {
    expect(found(namespace('gpu-system'), release(repoConfig))).toEqual([
      expect.stringMatching(
        /^error HelmRelease\/flux-system\/gpu-operator: values\.driver\.repoConfig\.configMapName names ConfigMap 'yum-mirrors', which the GPU operator reads in its own namespace 'gpu-system'; the tree creates that namespace \(Namespace gpu-system\) .*the driver's pods .*never start; add ConfigMap 'yum-mirrors' to namespace 'gpu-system'/,
      ),
    ]);
  });

  test("a Flux variable's default as the target namespace is read as written, and said", () => {
    expect(found(namespace('gpu-system'), release(repoConfig, '${ns_name:=gpu-system}'))).toEqual([
      expect.stringMatching(/namespace 'gpu-system' \(the default of \$\{ns_name:=gpu-system\}\)/),
    ]);
  });

  test("a ClusterPolicy: the Subscription's namespace is the operator's; every field of the table is read", () => {
    const spec = {
      devicePlugin: { config: { name: 'plugin-config' } },
      dcgmExporter: { config: { name: 'metrics' } },
      migManager: { config: { name: 'mig-layouts' } },
    };
    const named = found(namespace('nvidia-gpu-operator'), subscription, policy(spec)).map((f) => /^\w+ \S+ spec\.[\w.]+ names ConfigMap '[\w-]+'/.exec(f)?.[0]);
    expect(named.sort()).toEqual([
      "error ClusterPolicy/gpu-cluster-policy: spec.dcgmExporter.config.name names ConfigMap 'metrics'",
      "error ClusterPolicy/gpu-cluster-policy: spec.devicePlugin.config.name names ConfigMap 'plugin-config'",
      "error ClusterPolicy/gpu-cluster-policy: spec.migManager.config.name names ConfigMap 'mig-layouts'",
    ]);
  });

  test.each([
    ['the ConfigMap in the namespace', [namespace('gpu-system'), configMap('yum-mirrors', 'gpu-system'), release(repoConfig)]],
    ['a namespace the tree does not create', [release(repoConfig)]],
    ['the driver turned off', [namespace('gpu-system'), release({ driver: { enabled: false, repoConfig: { configMapName: 'yum-mirrors' } } })]],
    [
      'the chart creating it',
      [namespace('gpu-system'), release({ devicePlugin: { config: { name: 'plugin-config', create: true, data: { any: 'version: v1' } } } })],
    ],
    ["the operator's own default", [namespace('gpu-system'), release({ migManager: { config: { name: 'default-mig-parted-config' } } })]],
    ['a ClusterPolicy whose operator namespace is unknown', [namespace('gpu-system'), policy(repoConfig)]],
  ])('near miss: %s', (_, docs) => {
    expect(found(...(docs as Record<string, unknown>[]))).toEqual([]);
  });

  test('the ConfigMap in another namespace: still an error, naming where it is', () => {
    expect(found(namespace('gpu-system'), configMap('yum-mirrors', 'default'), release(repoConfig))).toEqual([
      expect.stringMatching(/\(the tree has one in namespace default: the operator reads its own namespace's only\)/),
    ]);
  });

  test('configuration files beside it that no object carries (a ConfigMap a command may make of them): a warning that says so', () => {
    const root = writeTree('gpu-cm-', {
      'gpu/operator.yaml': YAML.stringify(namespace('gpu-system')) + '---\n' + YAML.stringify(release({ devicePlugin: { config: { name: 'plugin-config' } } })),
      'gpu/configs/sharing.yaml': 'version: v1\nsharing:\n  mps:\n    resources:\n      - name: nvidia.com/gpu\n        replicas: 4\n',
    });
    const read = readManifests([path.join(root, 'gpu')]);
    const findings = runChecks(read.manifests, { platform: 'kserve', rules: ['gpu-operator-configmap-missing'], ...read });
    expect(findings.map((f) => f.severity)).toEqual(['warning']);
    expect(findings[0].message).toMatch(
      /\(the tree holds configuration files no object carries, .*gpu\/configs\/sharing\.yaml: if a command makes the ConfigMap from them, check does not see it/,
    );
  });
  test('an umbrella chart wrapping gpu-operator, not rendered: its values under the dependency name a ConfigMap its namespace lacks', async () => {
    const tree = (configMap: boolean) => ({
      'gpu/Chart.yaml':
        'apiVersion: v2\nname: lab-gpu\nversion: 1.0.0\ndependencies:\n  - name: gpu-operator\n    version: v25.3.0\n    repository: https://helm.ngc.nvidia.com/nvidia\n',
      'gpu/values.yaml': 'gpu-operator:\n  devicePlugin:\n    config:\n      name: time-slicing\n      default: any\n',
      ...(configMap
        ? { 'gpu/templates/time-slicing.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: time-slicing\ndata:\n  any: "version: v1"\n' }
        : {}),
      'apps/gpu.yaml':
        'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: lab-gpu, namespace: argocd}\nspec:\n  project: default\n' +
        '  source: {repoURL: https://git.example.com/lab/cluster.git, targetRevision: main, path: gpu}\n' +
        '  destination: {server: https://kubernetes.default.svc, namespace: gpu-operator}\n  syncPolicy: {syncOptions: [CreateNamespace=true]}\n',
    });
    expect(await treeRuleFound('gpu-operator-configmap-missing', 'umbrella-cm-', tree(false))).toEqual([
      {
        severity: 'error',
        object: 'Application/argocd/lab-gpu',
        message: expect.stringMatching(
          /^values\.gpu-operator\.devicePlugin\.config\.name names ConfigMap 'time-slicing', which the GPU operator reads in its own namespace 'gpu-operator'/,
        ),
      },
    ]);
    expect(await treeRuleFound('gpu-operator-configmap-missing', 'umbrella-cm-', tree(true))).toEqual([]);
  });
});
