import { cliInProcess, writeTree } from '../util';

const RULE = 'argocd-resource-before-operator';

/** A document with a sync wave (none when undefined) and the sync-options annotation when `skip`. */
function doc(apiVersion: string, kind: string, name: string, wave: number | undefined, skip: boolean, extra = ''): string {
  const annotations = [
    ...(wave === undefined ? [] : [`argocd.argoproj.io/sync-wave: "${wave}"`]),
    ...(skip ? ['argocd.argoproj.io/sync-options: SkipDryRunOnMissingResource=true'] : []),
  ];
  return [
    `apiVersion: ${apiVersion}`,
    `kind: ${kind}`,
    'metadata:',
    `  name: ${name}`,
    ...(kind === 'DataScienceCluster' || kind === 'DSCInitialization' ? [] : ['  namespace: redhat-ods-operator']),
    ...(annotations.length ? ['  annotations:', ...annotations.map((a) => `    ${a}`)] : []),
    extra,
  ].join('\n');
}

const subscription = (wave: number | undefined) =>
  doc(
    'operators.coreos.com/v1alpha1',
    'Subscription',
    'rhods-operator',
    wave,
    false,
    'spec:\n  name: rhods-operator\n  channel: stable-3.x\n  source: redhat-operators',
  );

/** The findings of the rule on a kustomize build of these documents. */
async function findingsOf(docs: string[]): Promise<{ severity: string; object: string; message: string }[]> {
  const dir = writeTree('resource-before-operator-', {
    'kustomization.yaml': 'resources:\n  - all.yaml\n',
    'all.yaml': docs.join('\n---\n') + '\n',
  });
  const { out } = await cliInProcess(['check', dir, '--platform', 'rhoai-3.0', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings
    .filter((f) => f.rule === RULE)
    .map(({ severity, object, message }) => ({ severity, object, message }));
}

describe(RULE, () => {
  test('a dashboard kind in the wave of the DataScienceCluster that deploys it: a warning naming the DataScienceCluster', async () => {
    const [f, ...rest] = await findingsOf([
      subscription(0),
      doc('datasciencecluster.opendatahub.io/v2', 'DataScienceCluster', 'default-dsc', 2, true, 'spec: {}'),
      doc('opendatahub.io/v1alpha', 'OdhDashboardConfig', 'odh-dashboard-config', 2, true, 'spec: {}'),
    ]);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('warning');
    expect(f.object).toBe('OdhDashboardConfig/redhat-ods-operator/odh-dashboard-config');
    expect(f.message).toContain('no later than DataScienceCluster/default-dsc (the Sync phase, wave 2)');
    expect(f.message).toContain('no matches for kind OdhDashboardConfig');
    expect(f.message).not.toContain('dry run');
  });

  test("an operator's own kind in an earlier wave than its Subscription: a warning naming the Subscription", async () => {
    const [f, ...rest] = await findingsOf([
      subscription(1),
      doc('dscinitialization.opendatahub.io/v2', 'DSCInitialization', 'default-dsci', 0, true, 'spec: {}'),
    ]);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('warning');
    expect(f.message).toMatch(
      /is synced in the Sync phase, wave 0, no later than Subscription\/redhat-ods-operator\/rhods-operator \(the Sync phase, wave 1\)/,
    );
    expect(f.message).toContain('the OpenShift AI / Open Data Hub operator');
  });

  test('without SkipDryRunOnMissingResource, the message says the dry run fails first', async () => {
    const [f] = await findingsOf([
      subscription(undefined),
      doc('dscinitialization.opendatahub.io/v2', 'DSCInitialization', 'default-dsci', 0, false, 'spec: {}'),
    ]);
    expect(f.message).toContain("Argo CD's dry run already fails the whole sync");
  });

  test('no Application, no wave, but Argo CD sync options on the resource: written for Argo CD, judged', async () => {
    const found = await findingsOf([
      subscription(undefined),
      doc('dscinitialization.opendatahub.io/v2', 'DSCInitialization', 'default-dsci', undefined, true, 'spec: {}'),
    ]);
    expect(found.map((f) => [f.severity, f.object])).toEqual([['warning', 'DSCInitialization/default-dsci']]);
  });

  test('near miss: no Application syncs the build and the resource carries no sync wave: nothing shows Argo CD', async () => {
    expect(
      await findingsOf([
        subscription(undefined),
        doc('dscinitialization.opendatahub.io/v2', 'DSCInitialization', 'default-dsci', undefined, false, 'spec: {}'),
      ]),
    ).toEqual([]);
  });

  test('near misses: a later wave, a kind no listed operator installs, and a CRD of the kind in the same sync', async () => {
    expect(
      await findingsOf([
        subscription(0),
        doc('datasciencecluster.opendatahub.io/v2', 'DataScienceCluster', 'default-dsc', 1, true, 'spec: {}'),
        doc('opendatahub.io/v1alpha', 'OdhDashboardConfig', 'odh-dashboard-config', 2, true, 'spec: {}'),
        doc('example.com/v1', 'Widget', 'w', 0, true, 'spec: {}'),
      ]),
    ).toEqual([]);
    const crd = [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata:',
      '  name: dscinitializations.dscinitialization.opendatahub.io',
      'spec:',
      '  group: dscinitialization.opendatahub.io',
      '  scope: Cluster',
      '  names: {kind: DSCInitialization, plural: dscinitializations}',
      '  versions:',
      '    - name: v2',
      '      served: true',
      '      storage: true',
      '      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}',
    ].join('\n');
    expect(
      await findingsOf([subscription(1), crd, doc('dscinitialization.opendatahub.io/v2', 'DSCInitialization', 'default-dsci', 0, true, 'spec: {}')]),
    ).toEqual([]);
  });
});
