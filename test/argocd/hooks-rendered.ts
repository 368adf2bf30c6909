import { treeRuleFound } from '../util';

/**
 * argocd-hook-before-prerequisite on a file of `helm template` output (each document after a `# Source:
 * <chart>/templates/<file>` line): the chart's render is one Application's sync, so a PreSync hook of it that runs as
 * a ServiceAccount the same render creates in the Sync phase finds no account on the first sync, whatever the waves.
 */
const RULE = 'argocd-hook-before-prerequisite';

const ACCOUNT = `---
# Source: ledger/templates/rbac.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: ledger-migrator
  namespace: ledger
  annotations:
    argocd.argoproj.io/sync-wave: "-1"
`;
const job = (hook: string, source = 'ledger/templates/migrate.yaml') => `---
# Source: ${source}
apiVersion: batch/v1
kind: Job
metadata:
  name: ledger-migrate
  namespace: ledger
  annotations:
    argocd.argoproj.io/hook: ${hook}
    argocd.argoproj.io/sync-wave: "0"
spec:
  template:
    spec:
      serviceAccountName: ledger-migrator
      restartPolicy: Never
      containers:
        - name: migrate
          image: quay.io/ledger-co/migrate@sha256:${'c'.repeat(64)}
`;

test("a PreSync hook of a chart's render runs as a ServiceAccount the render creates in the Sync phase (wave -1)", async () => {
  const found = await treeRuleFound(RULE, 'hook-rendered-', { 'rendered/chart.yaml': ACCOUNT + job('PreSync') });
  expect(found.map((f) => [f.severity, f.message.replace(/\(\S*rendered\/chart\.yaml\)/, '(FILE)')])).toEqual([
    [
      'error',
      'PreSync hook Job/ledger/ledger-migrate (the PreSync phase, wave 0) runs as ServiceAccount/ledger/ledger-migrator, which the render of chart ledger (FILE), synced as one Application, creates in the Sync phase, wave -1, after the hook: on the first sync the Job controller cannot create its pod (serviceaccount not found), so the hook never completes; run the hook after it (argocd.argoproj.io/hook: Sync with a later sync-wave) or create ServiceAccount ledger-migrator earlier (an earlier Application, or a lower wave of an earlier phase)',
    ],
  ]);
});

test('near misses: a Sync hook after the account, or loose files with no chart render between them, say nothing', async () => {
  expect(await treeRuleFound(RULE, 'hook-rendered-', { 'rendered/chart.yaml': ACCOUNT + job('Sync') })).toEqual([]);
  // two plain files a reader may apply apart: nothing says one Application syncs both
  const plain = (s: string) => s.replace(/# Source: .*\n/, '');
  expect(await treeRuleFound(RULE, 'hook-rendered-', { 'loose/account.yaml': plain(ACCOUNT), 'loose/job.yaml': plain(job('PreSync')) })).toEqual([]);
  // a hook of another chart's render in the same file is not this render's
  expect(await treeRuleFound(RULE, 'hook-rendered-', { 'rendered/all.yaml': ACCOUNT + job('PreSync', 'tools/templates/migrate.yaml') })).toEqual([]);
});
