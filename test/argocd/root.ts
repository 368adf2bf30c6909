import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runChecks } from '../../lib';
import { globMatch, selects } from '../../lib/check/argocd/directory-source';
import { gitCheckoutOf, remoteUrls } from '../../lib/manifests/git-checkout';
import { readManifests } from '../../lib/manifests/read-manifests';
import { writeTree } from '../setup/kustomize-build';

const SERVICE = `apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: ai}\nspec:\n  ports: [{port: 80}]\n`;
const APP = (name: string, source: string, repoURL = 'https://github.com/example-org/llm-gitops.git') =>
  `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: ${name}, namespace: openshift-gitops}\nspec:\n  project: default\n  destination: {server: https://kubernetes.default.svc, namespace: ai}\n  source:\n    repoURL: ${repoURL}\n${source.replace(/^/gm, '    ')}\n`;
const GIT_CONFIG = (url?: string) =>
  `[core]\n\trepositoryformatversion = 0\n\tbare = false\n${url ? `[remote "origin"]\n\turl = ${url}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n` : ''}[branch "main"]\n\tremote = origin\n`;

/** The argocd-path-missing findings of the paths, as the check command reads them: [severity, object, message]. */
function pathFindings(...paths: string[]): string[][] {
  const { manifests, folders, charts, leftOut, unread, checkouts } = readManifests(paths);
  return runChecks(manifests, { platform: 'rhoai-3.0', folders, charts, leftOut, unread, checkouts })
    .filter((f) => f.rule === 'argocd-path-missing' || f.rule === 'argocd-path-not-in-input')
    .map((f) => [f.severity, f.object, f.message]);
}

/** The findings with the current folder at `dir`, checked as `.`. */
function fromInside(dir: string): string[][] {
  const before = process.cwd();
  process.chdir(dir);
  try {
    return pathFindings('.');
  } finally {
    process.chdir(before);
  }
}

// Argo CD looks a source's path up in the checkout of that source's repoURL (reposerver GenerateManifests): a path of
// another repository, or of a part of this one the input does not hold, says nothing of the checked tree
describe('argocd-path-missing judges only the paths the checked tree holds', () => {
  test("an Application of another repository: its path is that repository's, not judged; of this one, a warning (the tree may be a part of the repository), an error in its git clone", () => {
    const tree = (repoURL: string, git: Record<string, string> = {}) =>
      writeTree(
        {
          'apps.yaml': APP('dev', 'path: guestbook/dev') + '---\n' + APP('prod', 'path: guestbook/prod', repoURL),
          'guestbook/dev/service.yaml': SERVICE,
          ...git,
        },
        'argocd-other-repo-',
      );
    expect(pathFindings(tree('https://github.com/other-team/deployments.git'))).toEqual([]);
    const copy = tree('https://github.com/example-org/llm-gitops.git');
    expect(pathFindings(copy)).toEqual([
      [
        'warning',
        'Application/openshift-gitops/prod',
        `source path 'guestbook/prod' is not in the checked input (read from ${copy}, which holds the repository's other Application paths, taken as the repository's root; ` +
          'no git work tree of the repository is checked, so the folder may exist in the part of the repository left out): if the repository has no such folder, ' +
          'Argo CD reports "app path does not exist"; point it at a folder of the repository, or check the repository\'s clone to judge it',
      ],
    ]);
    const clone = tree('https://github.com/example-org/llm-gitops.git', {
      '.git/config': GIT_CONFIG('https://github.com/example-org/llm-gitops.git'),
      '.git/HEAD': 'ref: refs/heads/main\n',
    });
    expect(pathFindings(clone)).toEqual([
      [
        'error',
        'Application/openshift-gitops/prod',
        `source path 'guestbook/prod' holds no object of the checked tree (read from ${clone}, the root of a git clone of https://github.com/example-org/llm-gitops.git); Argo CD reports "app path does not exist": point it at a folder of the tree`,
      ],
    ]);
  });

  // an export of the whole repository (no .git): a README at the top, and another Application at the same revision
  // whose folder is there, tell that nothing of that revision was left out
  describe('a top folder holding a README and the other Applications’ folders: the whole repository at their revision', () => {
    const exported = (apps: string, readme = true) =>
      writeTree(
        {
          'apps.yaml': apps,
          'guestbook/dev/service.yaml': SERVICE,
          ...(readme ? { 'README.md': '# llm-gitops\n\nArgo CD Applications of the serving platform.\n' } : {}),
        },
        'argocd-export-',
      );
    const reading = (tree: string) =>
      `read from ${tree}, which holds the repository's other Application paths, taken as the whole repository at revision 'main': it holds README.md, and path 'guestbook/dev' of Application/openshift-gitops/dev at that revision is a folder of it`;

    test('each Application whose folder is missing at that revision is an error of its own', () => {
      const tree = exported(
        [
          APP('dev', 'targetRevision: main\npath: guestbook/dev'),
          APP('prod', 'targetRevision: main\npath: guestbook/prod'),
          APP('staging', 'targetRevision: main\npath: staging'),
        ].join('---\n'),
      );
      expect(pathFindings(tree)).toEqual([
        [
          'error',
          'Application/openshift-gitops/prod',
          `source path 'guestbook/prod' holds no object of the checked tree (${reading(tree)}); Argo CD reports "app path does not exist": point it at a folder of the tree`,
        ],
        [
          'error',
          'Application/openshift-gitops/staging',
          `source path 'staging' holds no object of the checked tree (${reading(tree)}); Argo CD reports "app path does not exist": point it at a folder of the tree`,
        ],
      ]);
    });

    test('near miss: an Application at another revision, or a top folder with no README, may name a folder the export lacks: a warning', () => {
      const otherRevision = exported(
        [APP('dev', 'targetRevision: main\npath: guestbook/dev'), APP('prod', 'targetRevision: release-1.2\npath: guestbook/prod')].join('---\n'),
      );
      expect(pathFindings(otherRevision).map(([severity, object]) => [severity, object])).toEqual([['warning', 'Application/openshift-gitops/prod']]);
      const noReadme = exported(
        [APP('dev', 'targetRevision: main\npath: guestbook/dev'), APP('prod', 'targetRevision: main\npath: guestbook/prod')].join('---\n'),
        false,
      );
      expect(pathFindings(noReadme).map(([severity, object]) => [severity, object])).toEqual([['warning', 'Application/openshift-gitops/prod']]);
    });

    test('near miss: the README draws the missing folder in its layout (a copy of some folders keeps the README naming the others): a warning', () => {
      const apps = [APP('dev', 'targetRevision: main\npath: guestbook/dev'), APP('prod', 'targetRevision: main\npath: guestbook/prod')].join('---\n');
      const copy = writeTree(
        {
          'apps.yaml': apps,
          'guestbook/dev/service.yaml': SERVICE,
          'README.md': '# llm-gitops\n\n```\nguestbook/\n├── dev/\n└── prod/\n```\n\nThe prod namespace is `prod`.\n',
        },
        'argocd-export-',
      );
      expect(pathFindings(copy).map(([severity, object]) => [severity, object])).toEqual([['warning', 'Application/openshift-gitops/prod']]);
      // a one-folder path written as a word (a namespace of that name) names no folder: the error stays
      const word = writeTree(
        {
          'apps.yaml': [APP('dev', 'targetRevision: main\npath: guestbook/dev'), APP('prod', 'targetRevision: main\npath: prod')].join('---\n'),
          'guestbook/dev/service.yaml': SERVICE,
          'README.md': '# llm-gitops\n\nwatch oc -n prod get pods\n',
        },
        'argocd-export-',
      );
      expect(pathFindings(word).map(([severity, object]) => [severity, object])).toEqual([['error', 'Application/openshift-gitops/prod']]);
    });

    test('near miss: no Application path of the repository names a folder of the tree: the root is not established, a warning', () => {
      const none = exported([APP('prod', 'targetRevision: main\npath: guestbook/prod'), APP('staging', 'targetRevision: main\npath: staging')].join('---\n'));
      expect(pathFindings(none).map(([severity]) => severity)).toEqual(['warning']);
    });
  });

  test('a subfolder checked alone: a path into a sibling folder above it is outside the input; checked from above, a missing folder is said', () => {
    const dir = writeTree(
      {
        'examples/one/apps.yaml': APP('two', 'path: examples/two/guestbook') + '---\n' + APP('one', 'path: examples/one/guestbook'),
        'examples/one/guestbook/service.yaml': SERVICE,
      },
      'argocd-sibling-',
    );
    expect(pathFindings(path.join(dir, 'examples', 'one'))).toEqual([]);
    expect(pathFindings(path.join(dir, 'examples')).map((f) => f.slice(0, 2))).toEqual([['warning', 'Application/openshift-gitops/two']]);
  });

  test('a path whose trailing folders match several folders of the input names none of them for sure: no duplicate-object across them', () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: ai}\ndata: {k: v}\n';
    const files = { 'app.yaml': APP('dev', 'path: guestbook/dev'), 'a/guestbook/dev/cm.yaml': cm, 'b/guestbook/dev/cm.yaml': cm.replace('k: v', 'k: w') };
    const duplicates = (dir: string) => {
      const { manifests, folders, charts, leftOut, unread, checkouts } = readManifests([dir]);
      return runChecks(manifests, { platform: 'rhoai-3.0', folders, charts, leftOut, unread, checkouts }).filter((f) => f.rule === 'duplicate-object');
    };
    expect(duplicates(writeTree(files, 'argocd-trailing-'))).toEqual([]);
    // one folder holding the two declarations: what the Application syncs, said
    const one = { 'app.yaml': files['app.yaml'], 'a/guestbook/dev/cm.yaml': cm, 'a/guestbook/dev/cm-copy.yaml': cm.replace('k: v', 'k: w') };
    expect(duplicates(writeTree(one, 'argocd-trailing-')).map((f) => f.severity)).toEqual(['warning']);
  });
});

// a README's "fork this repository and replace <your-username>" leaves a placeholder repoURL: once filled it names the
// tree's own repository, so a path starting in the tree's folders is judged there; one starting elsewhere is another's
describe("argocd-path-missing takes a placeholder repoURL as the tree's own repository where the tree holds its paths", () => {
  const forkTree = (repoURL: string, files: Record<string, string> = {}) =>
    writeTree(
      {
        'serving/apps/models.yaml': APP('models', 'path: serving/base', repoURL),
        'platform/app.yaml': APP('platform', 'path: storage/platform/rhoai', 'https://github.com/<your-username>/storage.git'),
        'serving/cluster/service.yaml': SERVICE,
        ...files,
      },
      'argocd-placeholder-',
    );

  test.each([
    ['https://github.com/<your-username>/llm-gitops.git'],
    ["'${REPO_URL}'"],
    ["'{{ .Values.repoURL }}'"],
    ['https://github.com/{ GITHUB_ORG }/llm-gitops.git'],
  ])(
    'repoURL %s: the missing serving/base is a warning (no clone: the tree may be a part of the fork); storage/… of the other placeholder repository is not judged',
    (repoURL) => {
      const dir = forkTree(repoURL);
      const shown = repoURL.replace(/^'|'$/g, '');
      expect(pathFindings(dir)).toEqual([
        [
          'warning',
          'Application/openshift-gitops/models',
          `source path 'serving/base' is not in the checked input (read from ${dir}, which holds the path's first folder: repoURL '${shown}' is a placeholder, taken as this tree's repository, taken as the repository's root; ` +
            'no git work tree of the repository is checked, so the folder may exist in the part of the repository left out): if the repository has no such folder, ' +
            'Argo CD reports "app path does not exist"; point it at a folder of the repository, or check the repository\'s clone to judge it',
        ],
      ]);
    },
  );

  test("near miss: the same Applications naming a real, different repository are that repository's: not judged", () => {
    expect(pathFindings(forkTree('https://github.com/other-team/llm-gitops.git'))).toEqual([]);
  });

  test('a git clone: judged where its remote can be the filled URL, or it has none (paths of the other placeholder stay unjudged); a clone of a repository of another name says nothing', () => {
    const clone = (remote?: string) =>
      forkTree('https://github.com/<your-username>/llm-gitops.git', { '.git/config': GIT_CONFIG(remote), '.git/HEAD': 'ref: refs/heads/main\n' });
    const apps = (dir: string) => pathFindings(dir).map((f) => f[1]);
    expect(apps(clone('git@github.com:example-org/llm-gitops.git'))).toEqual(['Application/openshift-gitops/models']);
    expect(apps(clone())).toEqual(['Application/openshift-gitops/models']);
    expect(apps(clone('https://github.com/example-org/inference-platform.git'))).toEqual([]);
  });
});

describe("argocd-path-missing judges a path whose first folder is absent once the repository's root is known", () => {
  test('the repository checked as `.` (the current folder): path . selecting nothing and a missing first folder are both said', () => {
    const dir = writeTree(
      {
        'apps/web.yaml': APP('web', "path: .\ndirectory: {include: 'a.yaml'}"),
        'apps/serving.yaml': APP('serving', 'path: gitops/serving'),
        'apps/grafana.yaml': APP('grafana', 'path: monitoring/grafana'),
        'gitops/serving/service.yaml': SERVICE,
      },
      'argocd-root-',
    );
    expect(fromInside(dir)).toEqual([
      [
        'error',
        'Application/openshift-gitops/web',
        expect.stringContaining(
          "directory source '.' (directory.recurse false, include 'a.yaml') selects none of the 4 manifest file(s) below it (apps/grafana.yaml, apps/serving.yaml, apps/web.yaml, …)",
        ),
      ],
      [
        'warning',
        'Application/openshift-gitops/grafana',
        expect.stringContaining(
          "source path 'monitoring/grafana' is not in the checked input (read from the checked folder, which holds the repository's other Application paths, taken as the repository's root;",
        ),
      ],
    ]);
    // the same tree given by its path reads the same
    expect(pathFindings(dir).map((f) => f[1])).toEqual(['Application/openshift-gitops/web', 'Application/openshift-gitops/grafana']);
  });

  test('near miss: path . whose include names a file at the root, checked as `.`', () => {
    const dir = writeTree({ 'apps/web.yaml': APP('web', "path: .\ndirectory: {include: 'a.yaml'}"), 'a.yaml': SERVICE }, 'argocd-root-');
    expect(fromInside(dir)).toEqual([]);
  });

  test('a folder holding .git (no remote) is the root: a lone path whose first folder is absent is an error; without .git it is not judged', () => {
    const files = { 'apps/grafana.yaml': APP('grafana', 'path: monitoring/grafana'), 'gitops/serving/service.yaml': SERVICE };
    const repo = writeTree({ ...files, '.git/config': GIT_CONFIG(), '.git/HEAD': 'ref: refs/heads/main\n' }, 'argocd-root-');
    expect(pathFindings(repo)).toEqual([
      [
        'error',
        'Application/openshift-gitops/grafana',
        expect.stringContaining(`source path 'monitoring/grafana' holds no object of the checked tree (read from ${repo}, which holds .git)`),
      ],
    ]);
    // the same files without .git may be a subfolder of the repository: nothing says where monitoring/ would be
    expect(pathFindings(writeTree(files, 'argocd-root-'))).toEqual([]);
  });

  test("a subfolder of a clone whose remote is the Application's repoURL: paths into it are judged there, others in the clone", () => {
    const repo = writeTree(
      {
        '.git/config': GIT_CONFIG('git@github.com:example-org/llm-gitops.git'),
        'gitops/apps/serving.yaml': APP('serving', 'path: gitops/serve'),
        'gitops/apps/serving-ok.yaml': APP('serving-ok', 'path: gitops/serving'),
        'gitops/apps/elsewhere.yaml': APP('elsewhere', 'path: platform/queues'),
        'gitops/serving/service.yaml': SERVICE,
      },
      'argocd-root-',
    );
    const sub = path.join(repo, 'gitops');
    expect(pathFindings(sub)).toEqual([
      [
        'error',
        'Application/openshift-gitops/elsewhere',
        `source path 'platform/queues' is no folder of the repository: the git work tree around the checked folder, its folder gitops of a clone of git@github.com:example-org/llm-gitops.git, has no folder platform/queues; Argo CD reports "app path does not exist"`,
      ],
      [
        'error',
        'Application/openshift-gitops/serving',
        `source path 'gitops/serve' holds no object of the checked tree (read from the repository's root: ${sub} is its folder gitops in a git clone of git@github.com:example-org/llm-gitops.git); Argo CD reports "app path does not exist": point it at a folder of the tree`,
      ],
    ]);
    // once the clone has the folder, the path outside the checked folder is there
    fs.mkdirSync(path.join(repo, 'platform', 'queues'), { recursive: true });
    expect(pathFindings(sub).map((f) => f[1])).toEqual(['Application/openshift-gitops/serving']);
  });

  test("a subfolder of a clone whose remote is a mirror of the Application's repository: a path at the work tree's root is there, not left out; one the work tree lacks is missing", () => {
    const repo = writeTree(
      {
        '.git/config': GIT_CONFIG('/srv/git-mirrors/example-org+llm-gitops/repo'),
        'gitops/platform/serving.yaml': APP('serving', 'path: platform/serving'),
        'gitops/platform/queues.yaml': APP('queues', 'path: platform/queue'),
        'platform/serving/service.yaml': SERVICE,
        'platform/queues/service.yaml': SERVICE,
      },
      'argocd-root-',
    );
    // the checked folder gitops/platform ends as the paths start: without the work tree, both were taken as left out
    const findings = pathFindings(path.join(repo, 'gitops', 'platform'));
    expect(findings.map((f) => [f[0], f[1]])).toEqual([['error', 'Application/openshift-gitops/queues']]);
    expect(findings[0][2]).toContain(
      "source path 'platform/queue' is no folder of the repository: the git work tree around the checked folder, its folder gitops/platform of a clone of /srv/git-mirrors/example-org+llm-gitops/repo, has no folder platform/queue",
    );
  });
  test('a clone whose remote is another repository (a mirror, or the Applications point elsewhere) tells nothing: a lone path is not judged', () => {
    const repo = writeTree(
      {
        '.git/config': GIT_CONFIG('https://github.com/someone/else.git'),
        'apps/grafana.yaml': APP('grafana', 'path: monitoring/grafana'),
        'gitops/serving/service.yaml': SERVICE,
      },
      'argocd-root-',
    );
    expect(pathFindings(repo)).toEqual([]);
  });

  test('a real git clone: its remote is read from .git/config', () => {
    const repo = writeTree({ 'apps/grafana.yaml': APP('grafana', 'path: monitoring/grafana'), 'deploy/service.yaml': SERVICE }, 'argocd-root-');
    execFileSync('git', ['init', '-q', repo]);
    execFileSync('git', ['-C', repo, 'remote', 'add', 'origin', 'https://github.com/Example-Org/llm-gitops']);
    expect(gitCheckoutOf(path.join(repo, 'deploy'))).toEqual({
      folder: path.join(repo, 'deploy'),
      within: 'deploy',
      remotes: ['https://github.com/Example-Org/llm-gitops'],
    });
    expect(pathFindings(repo).map((f) => f[2])).toEqual([
      expect.stringContaining(`(read from ${repo}, the root of a git clone of https://github.com/Example-Org/llm-gitops)`),
    ]);
  });
});

describe('where a checked folder sits in its git work tree', () => {
  test('a linked work tree: .git is a file naming the git directory, whose commondir holds the config', () => {
    const dir = writeTree(
      {
        'store/config': GIT_CONFIG('https://example.com/a.git'),
        'store/worktrees/wt/commondir': '../..\n',
        'wt/.git': 'gitdir: ../store/worktrees/wt\n',
        'wt/deploy/service.yaml': SERVICE,
      },
      'git-checkout-',
    );
    expect(gitCheckoutOf(path.join(dir, 'wt', 'deploy'))).toEqual({
      folder: path.join(dir, 'wt', 'deploy'),
      within: 'deploy',
      remotes: ['https://example.com/a.git'],
    });
  });

  test('remote URLs of a config: every [remote] section, nothing from others', () => {
    expect(remoteUrls('[remote "origin"]\n\turl = https://a/x.git\n[branch "main"]\n\turl = nope\n[remote "mirror"]\n  url = "git@b:y.git"\n')).toEqual([
      'https://a/x.git',
      'git@b:y.git',
    ]);
  });

  test('outside any work tree: nothing', () => {
    const dir = writeTree({ 'a/service.yaml': SERVICE }, 'git-checkout-');
    fs.mkdirSync(path.join(dir, 'b'));
    // the temporary folder is outside the project's repository
    expect(gitCheckoutOf(path.join(dir, 'b'))).toBeUndefined();
  });
});

// Cases after argo-cd util/glob/glob_test.go (Test_Match, Test_GlobCacheKeyIncludesSeparators) and
// reposerver/repository/repository_test.go (TestFindManifests_Exclude_NothingMatches): Match compiles the pattern with no
// separator, so `*` crosses `/` and an include of one file name matches that path only, relative to source.path.
describe('include/exclude globs as argo-cd util/glob Match reads them', () => {
  test.each([
    ['hello', 'hello', true],
    ['hell', 'hello', false],
    ['hell*', 'hello', true],
    ['h*', 'hello', true],
    ['e*', 'hello', false],
    ['e[[a*', 'e[[a*', false],
    ['a*b', 'a/b', true],
  ])('glob %s on %s: %s', (pattern, value, expected) => {
    expect(globMatch(pattern, value)).toBe(expected);
  });

  test("an unbraced single file name selects that file at source.path only; '*.yaml' matches at any depth once recurse walks there", () => {
    const files = ['a.yaml', 'sub/a.yaml', 'b.yaml'];
    expect(files.filter((f) => selects({ recurse: true, include: 'a.yaml' }, f))).toEqual(['a.yaml']);
    expect(files.filter((f) => selects({ recurse: true, include: '*.yaml' }, f))).toEqual(files);
    expect(files.filter((f) => selects({ recurse: false, include: '*.yaml' }, f))).toEqual(['a.yaml', 'b.yaml']);
    expect(files.filter((f) => selects({ recurse: true, exclude: 'nothing.yaml' }, f))).toEqual(files);
  });
});

describe('a source path holding a placeholder names a folder only once it is filled', () => {
  test('serving/overlays/${OVERLAY} under a placeholder repoURL is not judged; the same path written out is', () => {
    const tree = (p: string) =>
      writeTree({ 'apps/models.yaml': APP('models', `path: ${p}`, "'${REPO_URL}'"), 'serving/overlays/dev/service.yaml': SERVICE }, 'argocd-path-template-');
    expect(pathFindings(tree("'serving/overlays/${OVERLAY}'"))).toEqual([]);
    expect(pathFindings(tree('serving/overlays/prod')).map((f) => f[0])).toEqual(['warning']);
  });
});
