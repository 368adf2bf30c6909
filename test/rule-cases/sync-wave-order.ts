import { cliInProcess, writeTree } from '../util';

/** A vLLM runtime in wave 4 and the service that names it, in wave 0 (no annotation): one file, as a team writes them. */
const SERVING = [
  'apiVersion: serving.kserve.io/v1alpha1',
  'kind: ServingRuntime',
  'metadata:',
  '  name: granite-rt',
  '  namespace: models',
  '  annotations:',
  '    argocd.argoproj.io/sync-wave: "4"',
  'spec:',
  '  supportedModelFormats: [{name: vLLM, autoSelect: true}]',
  '  containers:',
  '    - name: kserve-container',
  '      image: quay.io/example/vllm@sha256:' + 'a'.repeat(64),
  '---',
  'apiVersion: serving.kserve.io/v1beta1',
  'kind: InferenceService',
  'metadata: {name: granite, namespace: models}',
  'spec:',
  '  predictor:',
  '    model:',
  '      runtime: granite-rt',
  '      modelFormat: {name: vLLM}',
  '      storageUri: oci://quay.io/example/granite@sha256:' + 'b'.repeat(64),
  '',
].join('\n');

/** An Argo CD Application that syncs `path` of the tree's repository. */
const application = (path: string) =>
  [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata: {name: models, namespace: openshift-gitops}',
    'spec:',
    '  project: default',
    `  source: {repoURL: 'https://git.example.com/fleet.git', path: ${path}, targetRevision: main}`,
    '  destination: {server: https://kubernetes.default.svc, namespace: models}',
    '',
  ].join('\n');

/** A PolicyGenerator that wraps the `serving/` folder of its kustomization into an enforced Policy. */
const POLICY_GENERATOR = [
  'apiVersion: policy.open-cluster-management.io/v1',
  'kind: PolicyGenerator',
  'metadata: {name: models}',
  'policyDefaults:',
  '  namespace: openshift-gitops',
  '  remediationAction: enforce',
  '  placement: {placementName: spokes}',
  'policies:',
  '  - name: models-serving',
  '    manifests:',
  '      - path: serving/',
  '',
].join('\n');

/** The sync-wave-order findings of a tree, as [severity, message]. */
async function found(files: Record<string, string>): Promise<[string, string][]> {
  const dir = writeTree('sync-wave-order-', files);
  const { out } = await cliInProcess(['check', dir, '--platform', 'rhoai-3.0', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
    .filter((f) => f.rule === 'sync-wave-order')
    .map((f) => [f.severity, f.message]);
}

describe('sync-wave-order: the deadlock is asserted only where an Argo CD Application of the input syncs the folder', () => {
  test('an Application of the input syncs the kustomization that lists both: an error naming that Application', async () => {
    const findings = await found({
      'apps/models.yaml': application('overlay/serving'),
      'overlay/serving/kustomization.yaml': 'resources:\n  - serving.yaml\n',
      'overlay/serving/serving.yaml': SERVING,
    });
    expect(findings).toEqual([
      ['error', expect.stringMatching(/^sync wave 0 comes before its runtime's \(4\) in Application\/openshift-gitops\/models: Argo CD waits for the service/)],
    ]);
  });

  test('one kustomization lists both and no Application of the input syncs it: a warning phrased as a condition, naming no Application', async () => {
    const findings = await found({
      'overlay/serving/kustomization.yaml': 'resources:\n  - serving.yaml\n',
      'overlay/serving/serving.yaml': SERVING,
    });
    expect(findings).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^sync wave 0 comes before its runtime's \(4\), and the kustomization of \S*overlay\/serving lists both: if Argo CD syncs this folder \(no Application or ApplicationSet of the input does\), it waits for the service/,
        ),
      ],
    ]);
    expect(findings[0][1]).not.toMatch(/the one Application/);
  });

  test("a PolicyGenerator of a parent kustomization's generators wraps the folder into Policies: no finding (the policy framework applies it, with no waves)", async () => {
    const tree = {
      'overlay/kustomization.yaml': 'generators:\n  - policy-generator.yaml\n',
      'overlay/policy-generator.yaml': POLICY_GENERATOR,
      'overlay/serving/kustomization.yaml': 'resources:\n  - ../../base/granite\n',
      'base/granite/kustomization.yaml': 'resources:\n  - serving.yaml\n',
      'base/granite/serving.yaml': SERVING,
    };
    expect(await found(tree)).toEqual([]);
    // near miss: the same tree with an Application that syncs the base itself, which Argo CD then applies by waves
    expect(await found({ ...tree, 'apps/models.yaml': application('base/granite') })).toEqual([
      ['error', expect.stringMatching(/^sync wave 0 comes before its runtime's \(4\) in Application\/openshift-gitops\/models:/)],
    ]);
  });

  test('near miss: a generators file that is no PolicyGenerator leaves the kustomization judged as before (a conditional warning)', async () => {
    const findings = await found({
      'overlay/kustomization.yaml': 'generators:\n  - policy-generator.yaml\n',
      'overlay/policy-generator.yaml': POLICY_GENERATOR.replace('kind: PolicyGenerator', 'kind: SomeOtherGenerator'),
      'overlay/serving/kustomization.yaml': 'resources:\n  - ../../base/granite\n',
      'base/granite/kustomization.yaml': 'resources:\n  - serving.yaml\n',
      'base/granite/serving.yaml': SERVING,
    });
    expect(findings).toEqual([
      [
        'warning',
        expect.stringMatching(/^sync wave 0 comes before its runtime's \(4\), and the kustomization of \S*base\/granite lists both: if Argo CD syncs/),
      ],
    ]);
  });
});
