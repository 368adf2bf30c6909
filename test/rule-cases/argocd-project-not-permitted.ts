import { spawnSync } from 'child_process';
import * as path from 'path';
import { cliInProcess, writeTree } from '../util';

/**
 * An Application of the checked folder whose source path is another folder of the same git work tree: the folder is
 * rendered as Argo CD renders it and its objects judged against the Application's AppProject (Argo CD
 * controller/sync.go validateSyncPermissions, AppProject.IsGroupKindNamePermitted and IsDestinationPermitted).
 */
const REPO = 'https://git.example.com/ml/serving-stack.git';

function repository(files: Record<string, string>, remote: string | undefined = REPO): string {
  const dir = writeTree('outside-source-', files);
  const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  expect(git('init', '-q').status).toBe(0);
  if (remote) expect(git('remote', 'add', 'origin', remote).status).toBe(0);
  return dir;
}

const app = (source: string, repoURL = REPO) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: serving, namespace: openshift-gitops}
spec:
  project: serving
  source: {repoURL: '${repoURL}', targetRevision: main, ${source}}
  destination: {server: 'https://kubernetes.default.svc', namespace: llm}
`;
const PROJECT = `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: serving, namespace: openshift-gitops}
spec:
  sourceRepos: ['*']
  destinations: [{server: 'https://kubernetes.default.svc', namespace: llm}]
  namespaceResourceWhitelist: [{group: '', kind: ConfigMap}, {group: apps, kind: Deployment}]
`;
const SERVING = {
  'stack/serving/kustomization.yaml': 'resources: [settings.yaml, policy.yaml]\n',
  'stack/serving/settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: b}\n',
  'stack/serving/policy.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: only-gateway}\nspec: {podSelector: {}}\n',
};

async function findings(dir: string): Promise<string[][]> {
  const { code, out, err } = await cliInProcess(['check', path.join(dir, 'argocd'), '--format', 'json', '--platform', 'rhoai-3.0']);
  expect({ code: [0, 1].includes(code), err }).toEqual({ code: true, err: '' });
  const parsed = JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] };
  return parsed.findings.filter((f) => f.rule === 'argocd-project-not-permitted').map((f) => [f.severity, f.object, f.message]);
}

describe('argocd-project-not-permitted: a source path outside the checked folder, in its git work tree', () => {
  test('a kustomization there renders a kind the project does not whitelist: an error naming the object and where it was rendered', async () => {
    const dir = repository({ ...SERVING, 'argocd/app.yaml': app('path: stack/serving'), 'argocd/project.yaml': PROJECT });
    expect(await findings(dir)).toEqual([
      [
        'error',
        'Application/openshift-gitops/serving',
        expect.stringMatching(
          /^delivers NetworkPolicy\/only-gateway \(rendered from stack\/serving, outside the checked folder\), but AppProject 'serving' does not permit it; Argo CD refuses the sync \("resource networking\.k8s\.io:NetworkPolicy is not permitted in project serving"\)/,
        ),
      ],
    ]);
  });

  test('a plain folder: its files, not its subfolders unless directory.recurse', async () => {
    const files = {
      'stack/plain/settings.yaml': SERVING['stack/serving/settings.yaml'],
      'stack/plain/extra/policy.yaml': SERVING['stack/serving/policy.yaml'],
      'argocd/project.yaml': PROJECT,
    };
    expect(await findings(repository({ ...files, 'argocd/app.yaml': app('path: stack/plain') }))).toEqual([]);
    expect(await findings(repository({ ...files, 'argocd/app.yaml': app('path: stack/plain, directory: {recurse: true}') }))).toEqual([
      ['error', 'Application/openshift-gitops/serving', expect.stringContaining('delivers NetworkPolicy/only-gateway (rendered from stack/plain')],
    ]);
  });

  test('near misses: another repository, a path the work tree lacks, a project that whitelists the kind', async () => {
    const other = repository({
      ...SERVING,
      'argocd/app.yaml': app('path: stack/serving', 'https://git.example.com/else/where.git'),
      'argocd/project.yaml': PROJECT,
    });
    expect(await findings(other)).toEqual([]);
    const missing = repository({ ...SERVING, 'argocd/app.yaml': app('path: stack/gone'), 'argocd/project.yaml': PROJECT });
    expect(await findings(missing)).toEqual([]);
    const wide = PROJECT.replace('{group: apps, kind: Deployment}', '{group: networking.k8s.io, kind: NetworkPolicy}');
    expect(await findings(repository({ ...SERVING, 'argocd/app.yaml': app('path: stack/serving'), 'argocd/project.yaml': wide }))).toEqual([]);
  });
});
