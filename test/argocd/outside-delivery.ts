import { spawnSync } from 'child_process';
import * as path from 'path';
import { cliInProcess, writeTree } from '../util';

/**
 * A folder an Argo CD Application of the same repository syncs, checked alone while the Application lives elsewhere in
 * the work tree: the Application is read as the folder's delivery (its sync options, retry, destination), and the
 * Argo CD rules judge the folder as they would with the Application inside; nothing is said on the Application itself.
 */
const REPO = 'https://git.example.com/platform/gpu-stack.git';

/** A work tree made with git: `git init`, and `origin` set to `remote` unless none is given. */
function repository(files: Record<string, string>, remote: string | undefined = REPO): string {
  const dir = writeTree('outside-delivery-', files);
  const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  expect(git('init', '-q').status).toBe(0);
  if (remote) expect(git('remote', 'add', 'origin', remote).status).toBe(0);
  return dir;
}

/** An Application syncing `folder` of `repoURL`; `policy` its syncPolicy entries (YAML flow). */
const application = (name: string, folder: string, policy: string, repoURL = REPO) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: ${name}, namespace: openshift-gitops}
spec:
  project: default
  source: {repoURL: '${repoURL}', targetRevision: main, path: ${folder}}
  destination: {server: 'https://kubernetes.default.svc'}
  syncPolicy: {${policy}}
`;

/** The LeaderWorkerSet operator's Namespace, OperatorGroup and Subscription, and its operand, in one kustomization. */
const OPERATOR = {
  'operators/lws/kustomization.yaml': 'resources: [namespace.yaml, operator-group.yaml, subscription.yaml, operand.yaml]\n',
  'operators/lws/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: openshift-lws-operator}\n',
  'operators/lws/operator-group.yaml':
    'apiVersion: operators.coreos.com/v1\nkind: OperatorGroup\nmetadata: {name: lws, namespace: openshift-lws-operator}\nspec: {targetNamespaces: [openshift-lws-operator]}\n',
  'operators/lws/subscription.yaml':
    'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata: {name: leader-worker-set, namespace: openshift-lws-operator}\n' +
    'spec: {channel: stable-v1.0, name: leader-worker-set, source: redhat-operators, sourceNamespace: openshift-marketplace}\n',
  'operators/lws/operand.yaml':
    'apiVersion: operator.openshift.io/v1\nkind: LeaderWorkerSetOperator\nmetadata: {name: cluster}\nspec: {managementState: Managed}\n',
};

const AUTO = 'automated: {prune: true}';

interface Checked {
  readonly findings: { rule: string; severity: string; object: string; message: string; file?: string }[];
  readonly delivery?: string[];
}

async function check(dir: string, folder = 'operators/lws'): Promise<Checked> {
  const { code, out, err } = await cliInProcess(['check', path.join(dir, folder), '--format', 'json', '--platform', 'rhoai-3.0']);
  expect({ code: [0, 1].includes(code), err }).toEqual({ code: true, err: '' });
  return JSON.parse(out) as Checked;
}

const argoFindings = (c: Checked) => c.findings.filter((f) => f.rule.startsWith('argocd-'));

/** What the operand beside its Subscription is where no Application's sync is judged: a plain apply of the build. */
const KUBECTL_APPLY_WARNING = [['argocd-resource-before-operator', 'warning', 'LeaderWorkerSetOperator/cluster']];

describe('an Application outside the checked folder that syncs it', () => {
  test('its sync lacks SkipDryRunOnMissingResource: the operand beside its Subscription is an error, said on the operand', async () => {
    const dir = repository({ ...OPERATOR, 'apps/lws.yaml': application('lws', 'operators/lws', AUTO) });
    const checked = await check(dir);
    expect(argoFindings(checked).map((f) => [f.rule, f.severity, f.object])).toEqual([
      ['argocd-dry-run-missing-kind', 'error', 'LeaderWorkerSetOperator/cluster'],
    ]);
    const [finding] = argoFindings(checked);
    expect(finding.message).toMatch(
      /^Application\/openshift-gitops\/lws \(.*apps\/lws\.yaml:1, outside the checked folder, the Application that syncs it\) syncs LeaderWorkerSetOperator\/cluster/,
    );
    expect(finding.message).toContain('Subscription/openshift-lws-operator/leader-worker-set');
    expect(finding.file).toContain('operators/lws/operand.yaml');
    expect(checked.delivery).toEqual([
      expect.stringMatching(
        /operators\/lws is synced by Application openshift-gitops\/lws \(.*apps\/lws\.yaml:1\), outside the checked folder: judged as its delivery \(syncOptions none; retry none; destination namespace none; automated\)$/,
      ),
    ]);
  });

  test('near miss: the Application names SkipDryRunOnMissingResource=true, no finding; still said as the delivery', async () => {
    const dir = repository({
      ...OPERATOR,
      'apps/lws.yaml': application('lws', 'operators/lws', `${AUTO}, syncOptions: [SkipDryRunOnMissingResource=true], retry: {limit: 5}`),
    });
    const checked = await check(dir);
    expect(argoFindings(checked)).toEqual([]);
    expect(checked.delivery).toEqual([expect.stringContaining('syncOptions SkipDryRunOnMissingResource=true; retry set')]);
  });

  test('no Application syncs the folder (another path, another repository): no Argo CD finding and no delivery', async () => {
    for (const app of [application('lws', 'operators/other', AUTO), application('lws', 'operators/lws', AUTO, 'https://git.example.com/someone/else.git')]) {
      const checked = await check(repository({ ...OPERATOR, 'apps/lws.yaml': app }));
      // the folder is judged as applied whole, with no Application: the operand beside its Subscription is the
      // warning of a plain apply, and nothing names an Application
      expect(argoFindings(checked).map((f) => [f.rule, f.severity, f.object])).toEqual(KUBECTL_APPLY_WARNING);
      expect(argoFindings(checked)[0].message).toContain('`kubectl apply` of them together fails');
      expect(checked.delivery).toBeUndefined();
    }
  });

  test('a work tree with no remote: the path from its root tells the Application syncs the folder', async () => {
    const checked = await check(repository({ ...OPERATOR, 'apps/lws.yaml': application('lws', 'operators/lws', AUTO) }, undefined));
    expect(argoFindings(checked).map((f) => f.rule)).toEqual(['argocd-dry-run-missing-kind']);
  });

  test('nothing is said on the Application itself (an unknown sync option of it stays unsaid)', async () => {
    const dir = repository({
      ...OPERATOR,
      'apps/lws.yaml': application('lws', 'operators/lws', `${AUTO}, syncOptions: [SkipDryRunOnMissingResource=true, Prune=sometimes]`),
    });
    const checked = await check(dir);
    expect(checked.findings.filter((f) => f.object.startsWith('Application/'))).toEqual([]);
    // the operand beside its Subscription, with no retry to apply it again once the operator has run: said on the operand
    expect(argoFindings(checked).map((f) => [f.rule, f.severity, f.object])).toEqual([
      ['argocd-resource-before-operator', 'warning', 'LeaderWorkerSetOperator/cluster'],
    ]);
    expect(checked.delivery).toHaveLength(1);
  });

  test('the Application syncs a kustomization root inside the checked folder: judged there', async () => {
    const dir = repository({ ...OPERATOR, 'apps/lws.yaml': application('lws', 'operators/lws', AUTO) });
    const checked = await check(dir, 'operators');
    expect(argoFindings(checked).map((f) => [f.rule, f.object])).toEqual([['argocd-dry-run-missing-kind', 'LeaderWorkerSetOperator/cluster']]);
    expect(checked.delivery).toEqual([expect.stringMatching(/operators\/lws is synced by Application openshift-gitops\/lws/)]);
  });

  test('two Applications sync the folder with different options: neither is taken, the note says so', async () => {
    const dir = repository({
      ...OPERATOR,
      'apps/lws.yaml': application('lws', 'operators/lws', AUTO),
      'clusters/edge/lws.yaml': application('lws-edge', 'operators/lws', `${AUTO}, syncOptions: [SkipDryRunOnMissingResource=true]`),
    });
    const checked = await check(dir);
    // neither Application's sync is judged: the folder is judged as applied whole
    expect(argoFindings(checked).map((f) => [f.rule, f.severity, f.object])).toEqual(KUBECTL_APPLY_WARNING);
    expect(checked.delivery).toEqual([
      expect.stringContaining('is synced by 2 Applications outside the checked folder with different sync policies or destinations: none is judged'),
    ]);
  });

  test('an ApplicationSet git directory generator outside the folder makes the Application that syncs it', async () => {
    const set = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: operators, namespace: openshift-gitops}
spec:
  generators:
    - git: {repoURL: '${REPO}', revision: main, directories: [{path: 'operators/*'}]}
  template:
    metadata: {name: '{{path.basename}}'}
    spec:
      project: default
      source: {repoURL: '${REPO}', targetRevision: main, path: '{{path}}'}
      destination: {server: 'https://kubernetes.default.svc'}
      syncPolicy: {automated: {selfHeal: true}}
`;
    const checked = await check(repository({ ...OPERATOR, 'bootstrap/operators.yaml': set }));
    expect(argoFindings(checked).map((f) => [f.rule, f.object])).toEqual([['argocd-dry-run-missing-kind', 'LeaderWorkerSetOperator/cluster']]);
    expect(checked.delivery).toEqual([expect.stringContaining('generated by ApplicationSet/openshift-gitops/operators')]);
  });

  describe('an ApplicationSet whose git directories path has a wildcard in the middle (path.Match: `*` one folder)', () => {
    const set = (pattern: string) => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: usecases, namespace: openshift-gitops}
spec:
  goTemplate: true
  generators:
    - git: {repoURL: '${REPO}', revision: main, directories: [{path: '${pattern}'}]}
  template:
    metadata: {name: 'usecase-{{ index .path.segments 1 }}', namespace: openshift-gitops}
    spec:
      project: default
      source: {repoURL: '${REPO}', targetRevision: main, path: '{{ .path.path }}'}
      destination: {server: 'https://kubernetes.default.svc'}
      syncPolicy: {automated: {selfHeal: true}}
`;
    const tree = (pattern: string) => ({
      ...Object.fromEntries(Object.entries(OPERATOR).map(([f, t]) => [f.replace('operators/lws/', 'usecases/lws/profiles/minimal/'), t])),
      'components/argocd/usecases.yaml': set(pattern),
    });

    test.each([
      ['a URL remote', REPO],
      ['a clone of a local mirror whose folder names the repository', '/srv/mirrors/platform+gpu-stack/repo'],
    ])('%s: the generated Application is the delivery', async (_, remote) => {
      const checked = await check(repository(tree('usecases/*/profiles/minimal'), remote), 'usecases/lws/profiles/minimal');
      expect(checked.delivery).toEqual([expect.stringContaining('is synced by Application openshift-gitops/usecase-lws (')]);
      expect(argoFindings(checked).map((f) => f.rule)).toEqual(['argocd-dry-run-missing-kind']);
    });

    test('near miss: `*` does not cross a folder, so `usecases/*/minimal` matches no deeper folder: no delivery', async () => {
      const checked = await check(repository(tree('usecases/*/minimal')), 'usecases/lws/profiles/minimal');
      expect(checked.delivery ?? []).toEqual([]);
    });
  });

  test('a Subscription in an earlier wave than its Namespace, the Application outside: the wave order is judged', async () => {
    const early = OPERATOR['operators/lws/subscription.yaml'].replace(
      'namespace: openshift-lws-operator}',
      "namespace: openshift-lws-operator, annotations: {argocd.argoproj.io/sync-wave: '-15'}}",
    );
    const dir = repository({
      ...OPERATOR,
      'operators/lws/subscription.yaml': early,
      'apps/lws.yaml': application('lws', 'operators/lws', `${AUTO}, syncOptions: [SkipDryRunOnMissingResource=true]`),
    });
    expect(argoFindings(await check(dir)).map((f) => [f.rule, f.severity, f.object])).toEqual([
      ['argocd-namespace-wave-order', 'error', 'Subscription/openshift-lws-operator/leader-worker-set'],
    ]);
  });
});
