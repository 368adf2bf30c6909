import { readManifests, runChecks } from '../../lib';
import { writeTree } from '../util';

type Doc = Record<string, unknown>;
type Options = Parameters<typeof runChecks>[1];
const profile = (apiVersion: string, kind: string): Doc => ({
  apiVersion,
  kind,
  metadata: { name: 'gpu', namespace: 'redhat-ods-applications' },
  spec: { displayName: 'GPU', enabled: true, identifier: 'nvidia.com/gpu' },
});
const findings = (doc: Doc, options: Options) =>
  runChecks([{ manifest: doc }], { ...options, rules: ['kind-not-served'] }).map((f) => [f.severity, f.message.split(': ')[0]]);

describe('kind-not-served: the 2.x dashboard kinds OpenShift AI 3.0 replaced with HardwareProfile', () => {
  const accelerator = profile('dashboard.opendatahub.io/v1', 'AcceleratorProfile');

  test("on a stated 3.x release: an error, whether the CRD is missing or lingers behind the operator's webhook", () => {
    expect(findings(accelerator, { platform: 'rhoai-3.4' })).toEqual([
      ['error', 'dashboard.opendatahub.io/v1 AcceleratorProfile was removed in OpenShift AI 3.0, where hardware profiles replace it'],
    ]);
    expect(runChecks([{ manifest: accelerator }], { platform: 'rhoai-3.0', rules: ['kind-not-served'] })[0].message).toContain(
      '("dashboard.opendatahub.io/AcceleratorProfile is not supported, please use infrastructure.opendatahub.io/HardwareProfile"); write an infrastructure.opendatahub.io/v1 HardwareProfile',
    );
    expect(findings(profile('dashboard.opendatahub.io/v1alpha1', 'HardwareProfile'), { platform: 'rhoai-3.3' }).map(([s]) => s)).toEqual(['error']);
  });

  test('3.x assumed among candidates that are all 3.x: an error; where 2.x remains possible: a warning', () => {
    expect(findings(accelerator, { platform: 'rhoai-3.0', platformAssumed: true, platformCandidates: ['rhoai-3.0', 'rhoai-3.4'] }).map(([s]) => s)).toEqual([
      'error',
    ]);
    expect(findings(accelerator, { platform: 'rhoai-3.0', platformAssumed: true, platformCandidates: ['rhoai-2', 'rhoai-3.0'] }).map(([s]) => s)).toEqual([
      'warning',
    ]);
  });

  test('on OpenShift AI 2.x, which serves them, and on upstream KServe, which knows nothing of the group: silent', () => {
    expect(findings(accelerator, { platform: 'rhoai-2' })).toEqual([]);
    expect(findings(accelerator, { platform: 'kserve' })).toEqual([]);
    expect(findings(profile('infrastructure.opendatahub.io/v1', 'HardwareProfile'), { platform: 'rhoai-3.4' })).toEqual([]);
  });
});

describe("kind-not-served: eksctl's cluster configuration", () => {
  const clusterConfig = {
    apiVersion: 'eksctl.io/v1alpha5',
    kind: 'ClusterConfig',
    metadata: { name: 'inference', region: 'us-east-1' },
    managedNodeGroups: [{ name: 'gpu', instanceType: 'g4dn.xlarge' }],
  };

  test('a loose file of it is read by eksctl before any API server exists: silent', () => {
    expect(runChecks([{ manifest: clusterConfig, file: 'eks-cluster.yaml' }], { platform: 'kserve', rules: ['kind-not-served'] })).toEqual([]);
  });

  test('delivered by a kustomization it is applied, and no API server serves it: an error saying eksctl reads it', () => {
    const found = runChecks([{ manifest: clusterConfig, file: 'k8s/eks-cluster.yaml', kustomizations: ['k8s'] }], {
      platform: 'kserve',
      rules: ['kind-not-served'],
    });
    expect(found.map((f) => [f.severity, f.message])).toEqual([
      ['error', expect.stringContaining("is the format of eksctl's cluster configuration (eksctl create cluster -f), not an API")],
    ]);
  });
});

describe('kind-not-served: CustomResourceDefinitions the input delivers, and an assumed release', () => {
  const preset = (apiVersion: string): Doc => ({
    apiVersion,
    kind: 'LLMInferenceServiceConfig',
    metadata: { name: 'preset', namespace: 'serving-system' },
    spec: {},
  });
  const crd = (versions: Doc[]): Doc => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'llminferenceserviceconfigs.serving.kserve.io' },
    spec: { group: 'serving.kserve.io', names: { kind: 'LLMInferenceServiceConfig', plural: 'llminferenceserviceconfigs' }, scope: 'Namespaced', versions },
  });
  const run = (docs: Doc[], options: Options) =>
    runChecks(
      docs.map((manifest) => ({ manifest })),
      { ...options, rules: ['kind-not-served'] },
    ).map((f) => [f.severity, f.object, f.message]);

  test('a version a CRD of the input serves is served, on any platform', () => {
    const own = crd([{ name: 'v1alpha2', served: true, storage: true }]);
    expect(run([own, preset('serving.kserve.io/v1alpha2')], { platform: 'rhoai-3.0' })).toEqual([]);
  });

  test('a version the CRD of the input lists but does not serve, or does not list: judged as before', () => {
    const unserved = crd([
      { name: 'v1alpha1', served: true, storage: true },
      { name: 'v1alpha2', served: false, storage: false },
    ]);
    const found = run([unserved, preset('serving.kserve.io/v1alpha2')], { platform: 'rhoai-3.0' });
    expect(found).toEqual([
      [
        'error',
        'LLMInferenceServiceConfig/serving-system/preset',
        expect.stringContaining('serving.kserve.io/v1alpha2 is not served for LLMInferenceServiceConfig on OpenShift AI 3.0'),
      ],
    ]);
  });

  test('a version the assumed release does not serve and another candidate does: a warning naming the assumption', () => {
    const found = run([preset('serving.kserve.io/v1alpha2')], {
      platform: 'rhoai-3.0',
      platformAssumed: true,
      platformCandidates: ['rhoai-3.0', 'rhoai-3.3', 'rhoai-3.4'],
    });
    expect(found).toEqual([
      [
        'warning',
        'LLMInferenceServiceConfig/serving-system/preset',
        expect.stringMatching(
          /is not served .* OpenShift AI 3\.0 .* is assumed, and OpenShift AI 3\.4 .*serves it: state the cluster's release with --platform$/,
        ),
      ],
    ]);
    expect(
      run([preset('serving.kserve.io/v1alpha2')], { platform: 'rhoai-3.0', platformAssumed: true, platformCandidates: ['rhoai-3.0', 'rhoai-3.3'] })[0][0],
    ).toBe('error');
  });
});

describe('kind-not-served: kubeconfig files', () => {
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'lab',
    clusters: [{ name: 'lab', cluster: { server: 'https://api.lab.internal:6443' } }],
    contexts: [{ name: 'lab', context: { cluster: 'lab', user: 'operator' } }],
    users: [{ name: 'operator', user: { exec: { command: 'lab-login' } } }],
  };
  const settings = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'serving' }, data: { LOG: 'info' } };

  test("a loose kubeconfig beside the manifests is the client's file, not an object to apply: silent", () => {
    const found = runChecks(
      [
        { manifest: settings, file: 'k8s/settings.yaml' },
        { manifest: kubeconfig, file: 'k8s/kubeconfig.yaml' },
      ],
      {
        platform: 'kserve',
        rules: ['kind-not-served'],
      },
    );
    expect(found).toEqual([]);
  });

  test('a kubeconfig a kustomization lists is applied, and no API server serves v1 Config: an error saying what the file is', () => {
    const found = runChecks([{ manifest: kubeconfig, file: 'k8s/kubeconfig.yaml', kustomizations: ['k8s'] }], {
      platform: 'kserve',
      rules: ['kind-not-served'],
    });
    expect(found.map((f) => [f.severity, f.message])).toEqual([
      ['error', expect.stringMatching(/^v1 Config is the format of a kubeconfig, .*no matches for kind/)],
    ]);
  });
});

describe("kind-not-served: components' configuration files (Kueue's manager Configuration, the kubelet's)", () => {
  const managerConfig =
    'apiVersion: config.kueue.x-k8s.io/v1beta1\nkind: Configuration\nmanageJobsWithoutQueueName: false\nwaitForPodsReady:\n  enable: true\n';
  const queues = 'apiVersion: kueue.x-k8s.io/v1beta1\nkind: ResourceFlavor\nmetadata:\n  name: standard\n';
  const run = (files: Record<string, string>) => {
    const { manifests, ...delivery } = readManifests([writeTree('component-config-', files)]);
    return runChecks(manifests, { platform: 'rhoai-3.0', rules: ['kind-not-served'], scriptApplied: delivery.scriptApplied }).map((f) => [
      f.severity,
      f.object,
      f.message,
    ]);
  };

  test('a copy kept beside the queues, which the README applies one by one: a note that Kueue reads it, not an error', () => {
    const readme = '# Queues\n\n```bash\nkubectl apply -f flavors.yaml\n```\n';
    expect(run({ 'README.md': readme, 'flavors.yaml': queues, 'manager-config.yaml': managerConfig })).toEqual([
      [
        'info',
        'Configuration/<no name>',
        expect.stringMatching(
          /^config.kueue.x-k8s.io\/v1beta1 Configuration is the format of Kueue's manager configuration file, not an API.*no kustomization, Application or script/,
        ),
      ],
    ]);
    // loose, with nothing that applies anything: the same note
    expect(run({ 'flavors.yaml': queues, 'manager-config.yaml': managerConfig }).map(([s]) => s)).toEqual(['info']);
  });

  test('a script that applies the folder hands it to the API server, which refuses it: an error', () => {
    const script = '#!/bin/sh\nset -e\ncd "$(dirname "$0")"\nkubectl apply -f .\n';
    expect(run({ 'install.sh': script, 'flavors.yaml': queues, 'manager-config.yaml': managerConfig })).toEqual([
      [
        'error',
        'Configuration/<no name>',
        expect.stringMatching(/Kueue's manager configuration file, not an API: .*the apply fails with "no matches for kind"/),
      ],
    ]);
  });
});

describe('kind-not-served: built-in versions only a later Kubernetes serves', () => {
  const doc = (apiVersion: string, kind: string): Doc => ({ apiVersion, kind, metadata: { name: 'gang', namespace: 'batch' }, spec: {} });
  const run = (d: Doc) => runChecks([{ manifest: d }], { platform: 'kserve', rules: ['kind-not-served'] });

  test('scheduling.k8s.io/v1alpha2 PodGroup and Workload: a warning naming Kubernetes 1.36 and the GenericWorkload gate, never Kueue', () => {
    for (const kind of ['PodGroup', 'Workload']) {
      const [f, ...rest] = run(doc('scheduling.k8s.io/v1alpha2', kind));
      expect(rest).toEqual([]);
      expect(f).toMatchObject({ rule: 'kind-not-served', severity: 'warning' });
      expect(f.message).toContain(`scheduling.k8s.io/v1alpha2 ${kind} is served from Kubernetes 1.36`);
      expect(f.message).toContain('GenericWorkload feature gate');
      expect(f.message).not.toContain('kueue');
    }
  });

  test('the same on OpenShift AI 3.x, whose OpenShift releases run Kubernetes 1.32-1.34', () => {
    const [f] = runChecks([{ manifest: doc('scheduling.k8s.io/v1alpha2', 'PodGroup') }], { platform: 'rhoai-3.4', rules: ['kind-not-served'] });
    expect(f.severity).toBe('warning');
    expect(f.message).toContain('Kubernetes 1.34 (OpenShift 4.21) does not serve it');
  });

  test('PodGroup at a version older than any that served it: an error writing v1alpha2', () => {
    const [f] = run(doc('scheduling.k8s.io/v1alpha1', 'PodGroup'));
    expect(f.severity).toBe('error');
    expect(f.message).toContain('served by no Kubernetes release');
    expect(f.message).toContain('write scheduling.k8s.io/v1alpha2');
  });

  test('a removed version of a kind the judged releases serve stays an error (scheduling.k8s.io/v1alpha1 PriorityClass, batch/v1beta1 CronJob)', () => {
    expect(run(doc('scheduling.k8s.io/v1alpha1', 'PriorityClass')).map((f) => f.severity)).toEqual(['error']);
    expect(run(doc('batch/v1beta1', 'CronJob')).map((f) => f.severity)).toEqual(['error']);
  });

  test("Kueue's own Workload is not touched", () => {
    expect(run(doc('kueue.x-k8s.io/v1beta1', 'Workload'))).toEqual([]);
  });
});
