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

  test('no Application syncs the build and the resource carries no sync wave: applied with its Subscription however it is applied, a warning', async () => {
    const found = await findingsOf([
      subscription(undefined),
      doc('dscinitialization.opendatahub.io/v2', 'DSCInitialization', 'default-dsci', undefined, false, 'spec: {}'),
    ]);
    expect(found.map((f) => [f.severity, f.object])).toEqual([['warning', 'DSCInitialization/default-dsci']]);
    expect(found[0].message).toMatch(/is in its build \(.*\) together with Subscription\/redhat-ods-operator\/rhods-operator/);
    expect(found[0].message).toContain('`kubectl apply` of them together fails for it ("no matches for kind DSCInitialization"');
    expect(found[0].message).toContain('fails the dry run of the whole sync');
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

  /** The findings of the rule on a folder of plain manifest files (no kustomization), with files in subfolders as named. */
  async function folderFindings(files: Record<string, string>): Promise<{ severity: string; object: string; message: string }[]> {
    const dir = writeTree('resource-before-operator-folder-', files);
    const { out } = await cliInProcess(['check', dir, '--platform', 'rhoai-3.0', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings
      .filter((f) => f.rule === RULE)
      .map(({ severity, object, message }) => ({ severity, object, message }));
  }
  const OPERATOR_APP = (values = '') => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: pg-operator, namespace: openshift-gitops}
spec:
  project: default
  source: {repoURL: https://cloudnative-pg.github.io/charts, chart: cloudnative-pg, targetRevision: 0.23.0${values}}
  destination: {server: https://kubernetes.default.svc, namespace: cnpg-system}
  syncPolicy: {automated: {prune: true}, syncOptions: [CreateNamespace=true]}
`;
  const PG = `apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: {name: metrics-db, namespace: analytics}
spec:
  instances: 2
  storage: {size: 5Gi}
`;

  test('a folder of Applications holds a database of a kind the operator chart one of them installs: a warning naming that Application', async () => {
    const found = await folderFindings({ 'operators.yaml': OPERATOR_APP(), 'database.yaml': PG });
    expect(found.map((f) => [f.severity, f.object])).toEqual([['warning', 'Cluster/analytics/metrics-db']]);
    expect(found[0].message).toMatch(
      /is in the folder .* together with Application\/openshift-gitops\/pg-operator, whose own sync installs it \(chart cloudnative-pg/,
    );
  });

  test('a Subscription and the Kuadrant it installs in one plain folder: a warning', async () => {
    const sub = `apiVersion: operators.coreos.com/v1alpha1
kind: Subscription
metadata: {name: connectivity, namespace: openshift-operators}
spec: {name: rhcl-operator, channel: stable, source: redhat-operators, sourceNamespace: openshift-marketplace}
`;
    const kuadrant = 'apiVersion: kuadrant.io/v1beta1\nkind: Kuadrant\nmetadata: {name: gateway-policies, namespace: openshift-operators}\nspec: {}\n';
    const found = await folderFindings({ 'subscription.yaml': sub, 'kuadrant.yaml': kuadrant });
    expect(found.map((f) => [f.severity, f.object])).toEqual([['warning', 'Kuadrant/openshift-operators/gateway-policies']]);
    expect(found[0].message).toContain('the Kuadrant operator');
  });

  test('near misses: the database in a folder of its own (applied apart), or a chart whose CRDs the values leave out', async () => {
    expect(await folderFindings({ 'operators/apps.yaml': OPERATOR_APP(), 'databases/db.yaml': PG })).toEqual([]);
    expect(await folderFindings({ 'operators.yaml': OPERATOR_APP(', helm: {valuesObject: {crds: {create: false}}}'), 'database.yaml': PG })).toEqual([]);
  });

  test("near miss: a script of the tree applies the folder's files one by one (the operator first), never the folder", async () => {
    const files = { 'operators.yaml': OPERATOR_APP(), 'database.yaml': PG };
    const steps = '#!/bin/sh\nset -e\nkubectl apply -f operators.yaml\nsleep 120\nkubectl apply -f database.yaml\n';
    expect(await folderFindings({ ...files, 'install.sh': steps })).toEqual([]);
    // the same script applying the whole folder at once keeps the warning
    expect(await folderFindings({ ...files, 'install.sh': '#!/bin/sh\nkubectl apply -f .\n' })).toHaveLength(1);
  });
});

describe(`${RULE}: a script applies the operator, waits for its CRDs, then applies the custom resources`, () => {
  const SUBSCRIPTION =
    'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata: {name: rhods-operator, namespace: redhat-ods-operator}\nspec: {name: rhods-operator, channel: stable-3.x, source: redhat-operators}\n';
  const DSC =
    'apiVersion: datasciencecluster.opendatahub.io/v2\nkind: DataScienceCluster\nmetadata: {name: lab-dsc}\nspec:\n  components:\n    kserve: {managementState: Managed}\n';
  const CRD = 'crd/datascienceclusters.datasciencecluster.opendatahub.io';
  /** The rule's findings (and script-cr-before-crd's) on a tree whose platform/ folder builds the Subscription and the DataScienceCluster, with `files` beside it. */
  async function found(files: Record<string, string>): Promise<string[][]> {
    const dir = writeTree('resource-before-operator-script-', {
      'platform/kustomization.yaml': 'resources:\n  - subscription.yaml\n  - dsc.yaml\n',
      'platform/subscription.yaml': SUBSCRIPTION,
      'platform/dsc.yaml': DSC,
      ...files,
    });
    const { out } = await cliInProcess(['check', dir, '--platform', 'rhoai-3.0', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings
      .filter((f) => f.rule === RULE || f.rule === 'script-cr-before-crd')
      .map((f) => [f.rule, f.severity, f.object, f.message]);
  }
  const makefile = (between: string) => ({ Makefile: `install:\n\toc apply -f platform/subscription.yaml\n${between}\toc apply -f platform/dsc.yaml\n` });

  test('a wait between the two (oc wait for the CRD, a loop until it exists, the rollout of the operator): no finding', async () => {
    expect(await found(makefile(`\toc wait --for condition=established ${CRD} --timeout=300s\n`))).toEqual([]);
    expect(await found(makefile(`\tuntil kubectl get ${CRD.replace('/', ' ')}; do sleep 10; done\n`))).toEqual([]);
    const script = `#!/bin/bash\nset -euo pipefail\noc apply -f platform/subscription.yaml\nkubectl rollout status deployment/rhods-operator -n redhat-ods-operator --timeout=600s\noc apply -f platform/dsc.yaml\n`;
    expect(await found({ 'install.sh': script })).toEqual([]);
  });

  test('near miss: a Makefile applying the custom resource right after the Subscription, with nothing between that waits: a warning naming both lines', async () => {
    expect(await found(makefile(''))).toEqual([
      [
        RULE,
        'warning',
        'DataScienceCluster/lab-dsc',
        'is applied by Makefile:3 (`oc apply -f platform/dsc.yaml`) right after line 2 (`oc apply -f platform/subscription.yaml`) applies what installs its kind, and no command between them waits: ' +
          'the kind datasciencecluster.opendatahub.io/DataScienceCluster comes from Subscription/redhat-ods-operator/rhods-operator, whose operator (the OpenShift AI / Open Data Hub operator) installs the kind, ' +
          'which is not served until the operator has run, so on a new cluster the apply fails ("no matches for kind DataScienceCluster"; "ensure CRDs are installed first"); ' +
          'wait between the two until the CRD exists and is established (`until oc get crd <plural>.datasciencecluster.opendatahub.io; do sleep 10; done`, then `oc wait --for condition=established crd/<plural>.datasciencecluster.opendatahub.io`), or retry the apply in a loop',
      ],
    ]);
  });

  test("near misses: a shell script under set -e with no wait is script-cr-before-crd's error; the build applied whole (-k) before the wait keeps the warning", async () => {
    const script = '#!/bin/bash\nset -e\noc apply -f platform/subscription.yaml\noc apply -f platform/dsc.yaml\n';
    expect((await found({ 'install.sh': script })).map(([rule, severity]) => [rule, severity])).toEqual([['script-cr-before-crd', 'error']]);
    const whole = { Makefile: `install:\n\toc apply -k platform\n\toc wait --for condition=established ${CRD}\n\toc apply -f platform/dsc.yaml\n` };
    const got = await found(whole);
    expect(got.map(([rule, severity, object]) => [rule, severity, object])).toEqual([[RULE, 'warning', 'DataScienceCluster/lab-dsc']]);
    expect(got[0][3]).toMatch(/^is in its build \(.*platform\) together with Subscription\/redhat-ods-operator\/rhods-operator/);
  });
});
