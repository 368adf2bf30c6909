import { cliInProcess, ruleFound, severityMessages, writeTree } from '../util';

/** An LLMInferenceService whose router uses the platform's default gateway, in the version given. */
const service = (version: string) =>
  [
    `apiVersion: serving.kserve.io/${version}`,
    'kind: LLMInferenceService',
    'metadata:',
    '  name: granite',
    '  namespace: llm',
    'spec:',
    '  model:',
    '    uri: hf://ibm-granite/granite-3.3-8b-instruct',
    '    name: ibm-granite/granite-3.3-8b-instruct',
    '  router: {scheduler: {}, gateway: {}, route: {}}',
    '  template:',
    '    containers:',
    '    - name: main',
    '      resources: {limits: {nvidia.com/gpu: "1"}}',
    '',
  ].join('\n');

/** The deprecated-api-version findings of a tree checked as a user would, as [severity, message]. */
async function found(files: Record<string, string>, folder = '.', ...flags: string[]): Promise<[string, string][]> {
  const dir = writeTree('deprecated-api-version-', files);
  const { out } = await cliInProcess(['check', `${dir}/${folder}`, '--json', ...flags]);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
    .filter((f) => f.rule === 'deprecated-api-version')
    .map((f) => [f.severity, f.message]);
}

describe('deprecated-api-version: an LLMInferenceService version is advised only where every plausible platform serves the advice', () => {
  test('no platform mark (upstream KServe assumed): an info saying which platforms store v1alpha2 and which serve v1alpha1 alone, advising no change', async () => {
    const [finding, ...more] = await found({ 'llm.yaml': service('v1alpha1') });
    expect(more).toEqual([]);
    expect(finding[0]).toBe('info');
    expect(finding[1]).toMatch(
      /stored as v1alpha2 .* on upstream KServe >= 0\.17 and OpenShift AI >= 3\.4, while OpenShift AI 3\.0–3\.3 serve v1alpha1 alone and refuse v1alpha2/,
    );
    expect(finding[1]).toMatch(/the platform is only assumed .*so keep v1alpha1 while the tree may run on OpenShift AI 3\.0–3\.3/);
  });

  test('near misses: with --platform the advice is exact (a warning on upstream KServe and 3.4, nothing on 3.0, whose only version it is)', async () => {
    for (const platform of ['kserve', 'rhoai-3.4'])
      expect(await found({ 'llm.yaml': service('v1alpha1') }, '.', '--platform', platform)).toEqual([
        ['warning', expect.stringMatching(/^serving.kserve.io\/v1alpha1 is converted by a webhook on .*: write serving.kserve.io\/v1alpha2 \(/)],
      ]);
    expect(await found({ 'llm.yaml': service('v1alpha1') }, '.', '--platform', 'rhoai-3.0')).toEqual([]);
  });

  test('upstream KServe pinned before 0.17 (v1alpha1 alone): no advice; pinned at 0.17 or later: the exact advice naming the pin', () => {
    const llm = { apiVersion: 'serving.kserve.io/v1alpha1', kind: 'LLMInferenceService', metadata: { name: 'l', namespace: 'n' }, spec: {} };
    const controller = (tag: string) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'kserve-controller-manager', namespace: 'kserve' },
      spec: { template: { spec: { containers: [{ name: 'manager', image: `kserve/kserve-controller:${tag}` }] } } },
    });
    const on = (tag: string) =>
      severityMessages(ruleFound('deprecated-api-version', [{ manifest: llm }, { manifest: controller(tag) }], { platform: 'kserve' }));
    expect(on('v0.16.0')).toEqual([]);
    expect(on('v0.17.1')).toEqual([['warning', expect.stringMatching(/converted by a webhook on upstream KServe 0\.17 \(.*kserve-controller:v0\.17\.1\)/)]]);
  });

  test("an overlay whose base keeps a README that deploys with OpenShift's own oc commands: the base's mark places the tree on OpenShift, and nothing is advised", async () => {
    const tree = (readme: boolean) => ({
      'model/base/kustomization.yaml': 'resources:\n  - llm.yaml\n',
      'model/base/llm.yaml': service('v1alpha1'),
      ...(readme ? { 'model/base/README.md': '# Granite\n\n```bash\noc new-project granite\noc apply -k overlays/gpu\n```\n' } : {}),
      'model/overlays/gpu/kustomization.yaml': 'resources:\n  - ../../base\n',
    });
    expect(await found(tree(true), 'model/overlays/gpu')).toEqual([]);
    // near miss: without it nothing marks the platform, and the info of the assumed platform is said
    expect((await found(tree(false), 'model/overlays/gpu')).map(([severity]) => severity)).toEqual(['info']);
  });
});

describe('v1beta1 fields on a v1beta2 ClusterQueue', () => {
  const queue = (spec: Record<string, unknown>, annotations: Record<string, string> = {}) => ({
    apiVersion: 'kueue.x-k8s.io/v1beta2',
    kind: 'ClusterQueue',
    metadata: { name: 'training', annotations },
    spec: { namespaceSelector: {}, resourceGroups: [], ...spec },
  });
  const on = (manifest: Record<string, unknown>, rule = 'deprecated-api-version') =>
    severityMessages(ruleFound(rule, [{ manifest }], { platform: 'rhoai-3.4' }));

  test('spec.cohort is an unknown field of v1beta2 that a strict apply refuses: one error, naming cohortName, and none from field-unknown', () => {
    expect(on(queue({ cohort: 'shared-pool' }))).toEqual([
      [
        'error',
        "unknown field 'spec.cohort': not in the v1beta2 ClusterQueue schema (Kueue's CRD clusterqueues.kueue.x-k8s.io), which renamed it spec.cohortName, and kubectl apply (strict field validation, its default) and Argo CD's sync refuse the ClusterQueue: write spec.cohortName",
      ],
    ]);
    expect(on(queue({ cohort: 'shared-pool' }), 'field-unknown')).toEqual([]);
    expect(on(queue({ admissionChecks: ['provisioning'] }))).toEqual([
      ['error', expect.stringMatching(/^unknown field 'spec.admissionChecks': .*write spec.admissionChecksStrategy.admissionChecks\[\].name$/)],
    ]);
  });

  test('where Argo CD applies without validation the field is dropped instead, and the queue leaves its cohort', () => {
    expect(on(queue({ cohort: 'shared-pool' }, { 'argocd.argoproj.io/sync-options': 'Validate=false' }))).toEqual([
      [
        'error',
        expect.stringMatching(/^spec.cohort is a v1beta1 field, .*Validate=false, so the API server drops it and the ClusterQueue leaves cohort 'shared-pool'/),
      ],
    ]);
  });

  test('near miss: cohortName', () => {
    expect(on(queue({ cohortName: 'shared-pool' }))).toEqual([]);
  });
});

describe('the v1beta2 field cohortName on a v1beta1 ClusterQueue', () => {
  const queue = (spec: Record<string, unknown>) => ({
    apiVersion: 'kueue.x-k8s.io/v1beta1',
    kind: 'ClusterQueue',
    metadata: { name: 'training' },
    spec: { namespaceSelector: {}, resourceGroups: [], ...spec },
  });
  const on = (manifest: Record<string, unknown>, kueue?: string) =>
    severityMessages(ruleFound('field-unknown', [{ manifest }], { platform: 'kserve', ...(kueue ? { kueue } : {}) }));

  test("field-unknown names v1beta1's spec.cohort, on any Kueue release, and v1beta2 only where Kueue serves it", () => {
    for (const kueue of [undefined, '0.14', '0.16'])
      expect(on(queue({ cohortName: 'shared-pool' }), kueue)).toEqual([
        [
          'error',
          expect.stringMatching(
            /^unknown field 'spec.cohortName': the cohort's name in kueue.x-k8s.io\/v1beta2, which the v1beta1 ClusterQueue schema names spec.cohort, .*: write spec.cohort 'shared-pool' \(or write the ClusterQueue in kueue.x-k8s.io\/v1beta2, only where the cluster's Kueue serves it: 0.15 and later\)$/,
          ),
        ],
      ]);
  });

  test('near miss: spec.cohort', () => {
    expect(on(queue({ cohort: 'shared-pool' }), '0.14')).toEqual([]);
  });
});

describe('a deprecated Kueue version where the Kueue release is only assumed', () => {
  const queue = (version: string) =>
    [
      `apiVersion: kueue.x-k8s.io/${version}`,
      'kind: LocalQueue',
      'metadata:',
      '  name: team-a',
      '  namespace: team-a',
      'spec:',
      '  clusterQueue: gpus',
      '',
    ].join('\n');

  test('no Kueue release told: an info whose advice carries its condition (v1beta2 is refused before Kueue 0.15), never a bare "write v1beta2"', async () => {
    const findings = await found({ 'queue.yaml': queue('v1beta1') });
    expect(findings).toEqual([
      [
        'info',
        expect.stringMatching(
          /^kueue.x-k8s.io\/v1beta1 is deprecated where the cluster runs Kueue 0.16 and later .*Kueue 0.15 and later serve kueue.x-k8s.io\/v1beta2: on such a cluster write kueue.x-k8s.io\/v1beta2, but on an earlier Kueue kueue.x-k8s.io\/v1beta2 is not served .*keep v1beta1 there\. .* is assumed/,
        ),
      ],
    ]);
  });

  test('near miss: with the release stated (--kueue 0.16) the advice is exact, a warning', async () => {
    const findings = await found({ 'queue.yaml': queue('v1beta1') }, '.', '--kueue', '0.16');
    expect(findings).toEqual([['warning', expect.stringMatching(/^kueue.x-k8s.io\/v1beta1 is deprecated on Kueue 0.16: .*write kueue.x-k8s.io\/v1beta2$/)]]);
  });
});
