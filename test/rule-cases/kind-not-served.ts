import { runChecks } from '../../lib';

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
