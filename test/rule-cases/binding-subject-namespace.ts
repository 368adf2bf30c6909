import { spawnSync } from 'child_process';
import { parseAllDocuments } from 'yaml';
import { kubectlBinary } from '../setup/kubectl';
import { severityMessages, treeRuleFound, writeTree } from '../util';

const RULE = 'binding-subject-namespace';

/** A base that names its namespace in its kustomization (`team`), an account without one, a ClusterRoleBinding naming it in team, and an overlay moving it all to `team-dev`. */
function tree(opts: { accountNamespace?: string; runs?: boolean; subject?: string } = {}): Record<string, string> {
  const account = `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: controller\n${opts.accountNamespace ? `  namespace: ${opts.accountNamespace}\n` : ''}`;
  const binding =
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: controller\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\n' +
    `subjects:\n  - kind: ServiceAccount\n    ${opts.subject ?? 'name: controller\n    namespace: team'}\n`;
  const job =
    'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: sync\nspec:\n  template:\n    spec:\n      serviceAccountName: controller\n      restartPolicy: Never\n' +
    '      containers:\n        - name: sync\n          image: quay.io/acme/sync:1.2.0\n';
  return {
    'base/kustomization.yaml': `namespace: team\nresources:\n  - rbac.yaml\n${opts.runs === false ? '' : '  - job.yaml\n'}`,
    'base/rbac.yaml': `${account}---\n${binding}`,
    'base/job.yaml': job,
    'overlays/dev/kustomization.yaml': 'namespace: team-dev\nresources:\n  - ../../base\n',
  };
}

/** The subjects of the ClusterRoleBinding kubectl kustomize builds from the overlay. */
function kubectlSubjects(files: Record<string, string>): unknown {
  const dir = writeTree('binding-subject-kubectl-', files);
  const run = spawnSync(kubectlBinary(), ['kustomize', `${dir}/overlays/dev`], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  const docs = parseAllDocuments(run.stdout).map((d) => d.toJSON() as { kind: string; subjects?: unknown });
  return docs.find((d) => d.kind === 'ClusterRoleBinding')?.subjects;
}

/** The rule's findings on the tree (base and overlay checked together), as [severity, message]. */
const found = async (files: Record<string, string>) => severityMessages(await treeRuleFound(RULE, 'binding-subject-ns-', files, ['--platform', 'kserve']));

describe('binding-subject-namespace after a kustomize namespace: change', () => {
  test("kubectl kustomize leaves the subject in the base's namespace when the account's file names none; the rule says so, an error where pods run as the account", async () => {
    expect(kubectlSubjects(tree())).toEqual([{ kind: 'ServiceAccount', name: 'controller', namespace: 'team' }]);
    // the base builds the account and the subject in team alike: only the overlay's binding is judged
    expect(await found(tree())).toEqual([
      [
        'error',
        "subjects[0] is ServiceAccount 'controller' of namespace 'team', but the kustomize build puts ServiceAccount 'controller' in 'team-dev' and nothing in 'team': kustomize's namespace transformer sets the namespace of subjects named `default` only, and follows an account to its new namespace only where the subject names the namespace the account's own file gives (not one a kustomization's namespace: set), so the binding gives ClusterRole 'view' to an account in 'team', not to the build's account in 'team-dev', where Job sync runs as it and gets none of it; set subjects[0].namespace: team-dev, or write the namespace in the ServiceAccount's own file so that kustomize moves the subject with it",
      ],
    ]);
  });

  test('no pod runs as the account: a warning', async () => {
    expect((await found(tree({ runs: false }))).map(([severity]) => severity)).toEqual(['warning']);
  });

  test("near misses: the account's file names the namespace (kustomize moves the subject), an account the build does not make", async () => {
    expect(kubectlSubjects(tree({ accountNamespace: 'team' }))).toEqual([{ kind: 'ServiceAccount', name: 'controller', namespace: 'team-dev' }]);
    expect(await found(tree({ accountNamespace: 'team' }))).toEqual([]);
    // another system's account (the platform Prometheus), which the build does not make: not judged
    expect(await found(tree({ subject: 'name: prometheus-k8s\n    namespace: openshift-monitoring' }))).toEqual([]);
  });
});

describe("binding-subject-namespace: a User subject written as an account's username", () => {
  const account = (ns: string) => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: batch-runner\n  namespace: ${ns}\n`;
  const binding = (user: string) =>
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: runner-edit\n  namespace: jobs\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: edit\n' +
    `subjects:\n  - kind: User\n    apiGroup: rbac.authorization.k8s.io\n    name: ${user}\n`;
  const files = (accountNs: string, user: string) => ({ 'rbac.yaml': `${account(accountNs)}---\n${binding(user)}` });

  test('the username names namespace jobs, the tree makes the account in batch only: a warning naming the subject to write', async () => {
    expect(await found(files('batch', 'system:serviceaccount:jobs:batch-runner'))).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^subjects\[0\] is User 'system:serviceaccount:jobs:batch-runner', the username of ServiceAccount 'batch-runner' of namespace 'jobs', while the tree makes ServiceAccount 'batch-runner' only in 'batch': .*write the subject as kind: ServiceAccount, name: batch-runner, namespace: batch$/,
        ),
      ],
    ]);
  });

  test("near misses: the username names the account's own namespace; an account the tree does not make; a plain user", async () => {
    expect(await found(files('jobs', 'system:serviceaccount:jobs:batch-runner'))).toEqual([]);
    expect(await found(files('batch', 'system:serviceaccount:jobs:other-runner'))).toEqual([]);
    expect(await found(files('batch', 'alice@example.com'))).toEqual([]);
  });
});
