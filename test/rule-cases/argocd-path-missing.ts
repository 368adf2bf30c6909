import { cliInProcess, writeTree } from '../util';

// the checked folder is a subfolder of a clone of the Applications' repository: Argo CD resolves each source path from
// the repository's root (argo-cd reposerver GenerateManifests, appPath = repoRoot + path), so a path the clone lacks
// fails the Application ("app path does not exist") though it leads out of the checked folder
const app = (name: string, repoURL: string, path: string) =>
  `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: ${name}, namespace: argocd}\nspec:\n  project: default\n` +
  `  source: {repoURL: '${repoURL}', targetRevision: HEAD, path: ${path}}\n` +
  `  destination: {server: https://kubernetes.default.svc, namespace: ${name}}\n  syncPolicy: {automated: {prune: true, selfHeal: true}}\n`;

const REMOTE = 'https://git.example.com/academy/llm-course.git';
/** A clone of the course repository: the lab's solution holds the GitOps folders, the lab folder itself none. */
const course = (apps: Record<string, string>, remote = REMOTE) => ({
  '.git/HEAD': 'ref: refs/heads/main\n',
  '.git/config': `[remote "origin"]\n\turl = ${remote}\n`,
  'labs/lab-7/README.md': '# Lab 7\n',
  'labs/lab-6/solution/kustomization.yaml': 'resources: []\n',
  'labs/lab-7/solution/gitops/apps/kustomization.yaml': 'resources: [chat.yaml]\n',
  'labs/lab-7/solution/gitops/bases/chat/deploy.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: chat, namespace: chat}\nspec:\n  selector: {matchLabels: {app: chat}}\n  template:\n    metadata: {labels: {app: chat}}\n    spec: {containers: [{name: ui, image: "ghcr.io/academy/chat-ui:1.4.2"}]}\n',
  'labs/lab-7/solution/gitops/bases/store/values.yaml':
    '# values for the object store chart\nmode: standalone\nreplicas: 1\npersistence: {enabled: true, size: 2Gi}\n',
  ...apps,
});

const found = async (files: Record<string, string>) => {
  const repo = writeTree('work-tree-paths-', files);
  const report = JSON.parse((await cliInProcess(['check', `${repo}/labs/lab-7/solution`, '--platform', 'kserve', '--json'])).out);
  return report.findings
    .filter((f: { rule: string }) => f.rule === 'argocd-path-missing')
    .map((f: { severity: string; object: string; message: string }) => [f.severity, f.object, f.message]);
};

describe('argocd-path-missing: a checked folder inside a clone of the repository', () => {
  test('an app of apps and its child naming a folder the clone lacks (the solution/ part left out): errors naming the folder meant', async () => {
    const files = course({
      'labs/lab-7/solution/bootstrap/root.yaml': app('lab-apps', REMOTE, 'labs/lab-7/gitops/apps'),
      'labs/lab-7/solution/gitops/apps/chat.yaml': app('chat', REMOTE, 'labs/lab-7/gitops/bases/chat'),
    });
    expect(await found(files)).toEqual([
      [
        'error',
        'Application/argocd/chat',
        expect.stringMatching(
          /^source path 'labs\/lab-7\/gitops\/bases\/chat' is no folder of the repository: the git work tree around the checked folder, its folder labs\/lab-7\/solution of a clone of https:\/\/git\.example\.com\/academy\/llm-course\.git, has no folder labs\/lab-7\/gitops\/bases\/chat \(the tree has labs\/lab-7\/solution\/gitops\/bases\/chat: point the path there\); Argo CD reports "app path does not exist"/,
        ),
      ],
      [
        'error',
        'Application/argocd/lab-apps',
        expect.stringMatching(/has no folder labs\/lab-7\/gitops\/apps \(the tree has labs\/lab-7\/solution\/gitops\/apps/),
      ],
    ]);
  });

  test('a repoURL token a bootstrap script fills, over a path that starts at the clone root: judged as the clone', async () => {
    const files = course({ 'labs/lab-7/solution/bootstrap/root.yaml': app('lab-apps', '<GIT_REPO_URL>', 'labs/lab-7/gitops/apps') });
    expect((await found(files)).map(([s, o]: string[]) => [s, o])).toEqual([['error', 'Application/argocd/lab-apps']]);
  });

  test('near misses: the solution paths, a folder of the clone outside the checked one, a fork, another repository', async () => {
    const fine = course({
      'labs/lab-7/solution/bootstrap/root.yaml': app('lab-apps', REMOTE, 'labs/lab-7/solution/gitops/apps'),
      'labs/lab-7/solution/gitops/apps/chat.yaml': app('chat', '<GIT_REPO_URL>', 'labs/lab-7/solution/gitops/bases/chat'),
      'labs/lab-7/solution/bootstrap/previous.yaml': app('lab-6', REMOTE, 'labs/lab-6/solution'),
    });
    expect(await found(fine)).toEqual([]);
    // a fork's remote, or another repository's URL: the clone does not show that repository
    const root = { 'labs/lab-7/solution/bootstrap/root.yaml': app('lab-apps', REMOTE, 'labs/lab-7/gitops/apps') };
    expect(await found(course(root, 'https://git.example.com/student/llm-course.git'))).toEqual([]);
    const other = { 'labs/lab-7/solution/bootstrap/root.yaml': app('lab-apps', 'https://git.example.com/academy/platform.git', 'labs/lab-7/gitops/apps') };
    expect(await found(course(other))).toEqual([]);
  });

  test('a directory source over a folder holding only a chart values file: an error, Argo CD skips the file and syncs nothing', async () => {
    const files = course({ 'labs/lab-7/solution/bootstrap/store.yaml': app('store', REMOTE, 'labs/lab-7/solution/gitops/bases/store') });
    expect(await found(files)).toEqual([
      [
        'error',
        'Application/argocd/store',
        expect.stringMatching(
          /^directory source 'labs\/lab-7\/solution\/gitops\/bases\/store' holds no object Argo CD reads: its repo server skips values\.yaml/,
        ),
      ],
    ]);
  });
});
