import { runChecks } from '../../lib';
import { cliInProcess, writeTree } from '../util';
import { repoUrlError } from '../../lib/check/argocd/repo-url';
import { unfilledPlaceholder } from '../../lib/check/template-syntax';

/**
 * What Argo CD can fetch a source from: argo-cd util/argo/argo.go validateRepo refuses an empty repoURL; util/git
 * clones a URL or scp-like user@host:path (git.go IsSSHURL, cases of git_test.go TestIsSSHURL); util/helm pulls a
 * chart from a repository URL or an OCI registry written without scheme (IsHelmOciRepo, helm_test.go cases).
 */
describe('repoUrlError', () => {
  test.each([
    ['https://github.com/argoproj/argocd-example-apps.git', undefined],
    ['http://gitea.local:3000/org/repo', undefined],
    ['git@github.com:argoproj/argo-cd.git', undefined],
    ['ssh://git@github.com/argoproj/argo-cd.git', undefined],
    ['git://git.example.com/repo.git', undefined],
    ['oci://ghcr.io/org/manifests', undefined],
    ['{{ REPO_URL }}', undefined],
    ['${GIT_REPO}', undefined],
  ])('git source %s', (repoURL, expected) => {
    expect(repoUrlError({ repoURL, path: 'apps' })).toBe(expected);
  });
  test.each([
    ['{ REPO_URL }', /holds '\{ REPO_URL \}', a placeholder that nothing fills/],
    ['https://github.com/{org}/gitops.git', /holds '\{org\}'/],
    ['<repo>', /holds '<repo>'/],
    ['', /is empty: Argo CD marks the Application InvalidSpecError/],
    ['github.com/org/repo', /'github.com\/org\/repo' is not a URL Argo CD can fetch from/],
    ['https://github.com/org/my repo.git', /holds a space/],
  ])('git source %s is refused', (repoURL, expected) => {
    expect(repoUrlError({ repoURL, path: 'apps' })).toMatch(expected);
  });
  test('a missing repoURL is empty; an unquoted { NAME } reads as a mapping and is still the placeholder', () => {
    expect(repoUrlError({ path: 'apps' })).toMatch(/is empty/);
    expect(repoUrlError({ repoURL: { REPO_URL: null }, path: 'apps' })).toMatch(/holds '\{ REPO_URL \}'/);
    // an unquoted {{ X }} is a template a renderer fills
    expect(repoUrlError({ repoURL: { '{ REPO_URL }': null }, path: 'apps' })).toBeUndefined();
  });
  test('a chart source takes a Helm repository URL or an OCI registry reference without scheme; a bare word is no registry', () => {
    expect(repoUrlError({ repoURL: 'https://charts.bitnami.com/bitnami', chart: 'redis' })).toBeUndefined();
    expect(repoUrlError({ repoURL: 'registry-1.docker.io/bitnamicharts', chart: 'redis' })).toBeUndefined();
    expect(repoUrlError({ repoURL: 'localhost:5000/charts', chart: 'redis' })).toBeUndefined();
    expect(repoUrlError({ repoURL: 'charts', chart: 'redis' })).toMatch(/'charts' is not a URL/);
  });
});

describe('unfilledPlaceholder', () => {
  test('single braces and angle brackets are slots; ${X}, {{ X }} and JSON are not', () => {
    expect(['{ REPO_URL }', '{REPO_URL}', 'x/<org>/y', 'https://h/{team}/r'].map(unfilledPlaceholder)).toEqual([
      '{ REPO_URL }',
      '{REPO_URL}',
      '<org>',
      '{team}',
    ]);
    expect(['{{ REPO_URL }}', '${REPO_URL}', 'https://github.com/org/repo', '{"a": 1}', 'a < b > c'].map(unfilledPlaceholder)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('argocd-repo-url-invalid', () => {
  const app = (name: string, source: Record<string, unknown>) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'openshift-gitops' },
    spec: { project: 'default', source, destination: { server: 'https://kubernetes.default.svc', namespace: 'ai' } },
  });
  const found = (docs: unknown[]) =>
    runChecks(docs.map((manifest) => ({ manifest })) as any, { platform: 'kserve' })
      .filter((f) => f.rule === 'argocd-repo-url-invalid')
      .map((f) => [f.severity, f.message]);
  test('an ApplicationSet template is judged once, its generated Applications not again', () => {
    const set = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'teams', namespace: 'openshift-gitops' },
      spec: {
        generators: [{ list: { elements: [{ team: 'a' }, { team: 'b' }] } }],
        template: {
          metadata: { name: 'team-{{team}}' },
          spec: { project: 'default', source: { repoURL: '{ REPO_URL }', path: 'teams/{{team}}' }, destination: { namespace: '{{team}}' } },
        },
      },
    };
    expect(found([set])).toEqual([['error', expect.stringMatching(/^spec\.template\.spec\.source\.repoURL holds '\{ REPO_URL \}'/)]]);
  });
  test('sources[] replaces source: an empty source beside a full sources[] is not read', () => {
    const both = { ...app('both', { repoURL: '' }) };
    (both.spec as any).sources = [{ repoURL: 'https://github.com/org/repo.git', path: 'apps' }];
    expect(found([both])).toEqual([]);
    expect(found([app('root', { repoURL: '', path: 'apps' })])).toEqual([['error', expect.stringMatching(/^spec\.source\.repoURL is empty/)]]);
  });
});

/**
 * A `<TOKEN>` repoURL that a script of the tree replaces with sed before `kubectl apply -f -`: the applied object is
 * filled; an Application that syncs the same file from git applies it raw, so the finding stays and names that parent.
 */
describe('repoURL placeholders a script fills with sed', () => {
  const APPLICATION = (name: string, appPath: string, automated: boolean) =>
    `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: <GIT_REMOTE>\n    targetRevision: main\n    path: ${appPath}\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: serving\n` +
    (automated ? '  syncPolicy:\n    automated:\n      selfHeal: true\n' : '');
  const SCRIPT =
    '#!/bin/bash\nset -e\nDIR="$(dirname "$0")/.."\nsed -e "s#<GIT_REMOTE>#${GIT_REMOTE}#g" "$DIR/bootstrap/root.yaml" | kubectl apply -f -\nfor f in "$DIR"/deploy/children/*.yaml; do\n  sed "s#<GIT_REMOTE>#${GIT_REMOTE}#g" "$f" | kubectl apply -f -\ndone\n';
  const APPLICATION_OBJECT = {
    manifest: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'root', namespace: 'argocd' },
      spec: { project: 'default', source: { repoURL: '<GIT_REMOTE>', path: 'deploy/llm' }, destination: { namespace: 'serving' } },
    },
  };
  async function repoFindings(files: Record<string, string>): Promise<string[]> {
    const dir = writeTree('argocd-sed-', files);
    const { out } = await cliInProcess(['check', dir, '--format', 'json', '--platform', 'rhoai-3.0']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings
      .filter((f) => f.rule === 'argocd-repo-url-invalid')
      .map((f) => `${f.severity} ${f.object}: ${f.message}`);
  }

  test('the root the script fills and applies: no finding; children the root syncs from git: an error naming it', async () => {
    const f = await repoFindings({
      'scripts/bootstrap.sh': SCRIPT,
      'bootstrap/root.yaml': APPLICATION('root', 'deploy/children', true),
      'deploy/children/llm.yaml': APPLICATION('llm', 'deploy/llm', false),
      'deploy/llm/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: serving\n',
    });
    expect(f).toEqual([
      expect.stringMatching(
        /^error Application\/argocd\/llm: spec.source.repoURL holds '<GIT_REMOTE>', which a script fills \(scripts\/bootstrap.sh \(line 6\) renders it with sed \(replacing '<GIT_REMOTE>'\) before applying it\), but Application 'root' syncs this file from git as it is written \(Argo CD runs no sed\), and its automated sync re-applies the raw file/,
      ),
    ]);
  });

  test("the rule reads the tokens the reader found the sed to fill, not the words of the template's reason", () => {
    const root = { ...APPLICATION_OBJECT, file: 'bootstrap/root.yaml' };
    const found = (extra: Record<string, unknown>) =>
      runChecks([{ ...root, ...extra }], { platform: 'kserve' }).filter((f) => f.rule === 'argocd-repo-url-invalid').length;
    expect(found({ template: 'deploy.sh (line 2) renders it with sed before applying it', sedFills: ['<GIT_REMOTE>'] })).toBe(0);
    // near misses: a reason naming the token while the reader found no sed filling it, and a sed filling another token
    expect(found({ template: "deploy.sh (line 2) renders it with sed (replacing '<GIT_REMOTE>') before applying it" })).toBe(1);
    expect(found({ template: 'deploy.sh (line 2) renders it with sed before applying it', sedFills: ['<REPO>'] })).toBe(1);
  });

  test('a sed that replaces another token fills nothing: the placeholder is still reported as unfilled', async () => {
    const f = await repoFindings({
      'scripts/bootstrap.sh': SCRIPT.split('<GIT_REMOTE>').join('<REPO>'),
      'bootstrap/root.yaml': APPLICATION('root', 'deploy/llm', true),
      'deploy/llm/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: serving\n',
    });
    expect(f).toEqual([expect.stringMatching(/^error Application\/argocd\/root: spec.source.repoURL holds '<GIT_REMOTE>', a placeholder that nothing fills/)]);
  });
});
