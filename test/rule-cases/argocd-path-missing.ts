import * as path from 'path';
import { runChecks } from '../../lib';
import { readManifests } from '../../lib/manifests/read-manifests';
import { writeTree } from '../setup/kustomize-build';

const REPO = 'https://github.com/example-org/llm-gitops.git';
const GIT = {
  '.git/config': `[core]\n\trepositoryformatversion = 0\n\tbare = false\n[remote "origin"]\n\turl = ${REPO}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n`,
  '.git/HEAD': 'ref: refs/heads/main\n',
};
const CHART = {
  'charts/server/Chart.yaml': 'apiVersion: v2\nname: server\nversion: 0.1.0\n',
  'charts/server/values.yaml': 'replicas: 1\n',
  'charts/server/templates/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: {{ .Release.Name }}}\nspec:\n  ports: [{port: 80}]\n',
};

/** An Application of the chart with these helm settings, and a second source `ref: values` of the same repository when asked. */
function app(helm: string, ref = true): string {
  const chart = `  - repoURL: ${REPO}\n    targetRevision: main\n    path: charts/server\n    helm:\n${helm.replace(/^/gm, '      ')}\n`;
  const values = ref ? `  - repoURL: ${REPO}\n    targetRevision: main\n    ref: values\n` : '';
  return `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: server, namespace: argocd}\nspec:\n  project: default\n  destination: {server: https://kubernetes.default.svc, namespace: ai}\n  sources:\n${chart}${values}`;
}

/** The argocd-path-missing findings of a tree, as the check command reads it: [severity, message]. */
function findings(files: Record<string, string>): string[][] {
  const dir = writeTree(files, 'argocd-value-files-');
  const { manifests, folders, charts, leftOut, unread, checkouts } = readManifests([dir]);
  return runChecks(manifests, { platform: 'rhoai-3.0', folders, charts, leftOut, unread, checkouts })
    .filter((f) => f.rule === 'argocd-path-missing')
    .map((f) => [f.severity, f.message.replace(dir + path.sep, '')]);
}

describe('argocd-path-missing: Helm value files', () => {
  test("a `$values/` file is looked up from the ref repository's root, whatever the ref source's path: an error naming the file that is there", () => {
    const tree = { ...GIT, ...CHART, 'values/server/prod.yaml': 'replicas: 2\n', 'apps/server.yaml': app('valueFiles: [$values/server/prod.yaml]') };
    expect(findings(tree)).toEqual([
      [
        'error',
        expect.stringMatching(
          /^helm\.valueFiles '\$values\/server\/prod\.yaml' names server\/prod\.yaml from the root of source ref 'values' \(https:\/\/github\.com\/example-org\/llm-gitops\.git\), a git work tree of the input, and no such file is there: .*ComparisonError.*write '\$values\/values\/server\/prod\.yaml'/,
        ),
      ],
    ]);
  });

  test('near misses: the file at the root, ignoreMissingValueFiles, a ref the sources lack, a glob, no work tree of the repository', () => {
    const base = { ...GIT, ...CHART, 'values/server/prod.yaml': 'replicas: 2\n' };
    expect(findings({ ...base, 'apps/server.yaml': app('valueFiles: [$values/values/server/prod.yaml]') })).toEqual([]);
    expect(findings({ ...base, 'apps/server.yaml': app('ignoreMissingValueFiles: true\nvalueFiles: [$values/server/prod.yaml]') })).toEqual([]);
    expect(findings({ ...base, 'apps/server.yaml': app('valueFiles: [$config/server/prod.yaml]') })).toEqual([]);
    expect(findings({ ...base, 'apps/server.yaml': app('valueFiles: [$values/server/*.yaml]') })).toEqual([]);
    // without .git the input may be a part of the repository: the file may be in what was left out
    const { ['.git/config']: _c, ['.git/HEAD']: _h, ...copy } = base;
    expect(findings({ ...copy, 'apps/server.yaml': app('valueFiles: [$values/server/prod.yaml]') })).toEqual([]);
  });

  test("a plain entry is relative to the source's path: missing there, an error; present, or the repository's root named with /, silent", () => {
    const base = { ...GIT, ...CHART, 'charts/server/values-prod.yaml': 'replicas: 2\n' };
    expect(findings({ ...base, 'apps/server.yaml': app('valueFiles: [values-production.yaml]', false) })).toEqual([
      [
        'error',
        expect.stringMatching(/^helm\.valueFiles 'values-production\.yaml' names charts\/server\/values-production\.yaml from source path 'charts\/server'/),
      ],
    ]);
    expect(findings({ ...base, 'apps/server.yaml': app('valueFiles: [values-prod.yaml]', false) })).toEqual([]);
    expect(findings({ ...base, 'apps/server.yaml': app('valueFiles: [/charts/server/values-prod.yaml]', false) })).toEqual([]);
  });
});
