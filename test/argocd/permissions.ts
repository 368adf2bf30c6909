import { isDestinationPermitted, isGroupKindNamePermitted, isSourcePermitted } from '../../lib/check/argocd/app-project';
import { destinationError, destinationOf } from '../../lib/check/argocd/application';
import { normalizeGitUrl, sameGitUrl } from '../../lib/check/argocd/git-url';
import { globMatch, pathMatch } from '../../lib/check/argocd/glob';
import { cpuMsSince, PROMPTLY_MS } from '../setup/promptly';

/**
 * Argo CD's AppProject permission logic as ported into lib/check/argocd. The cases are those of Argo CD's own tests
 * (pkg/apis/application/v1alpha1/types_test.go: TestAppProject_IsSourcePermitted, …IsNegatedSourcePermitted,
 * …IsDestinationPermitted, …IsNegatedDestinationPermitted, …IsGroupKindPermitted, TestGlobMatch; util/git/git_test.go
 * TestSameURL), so the port decides as Argo CD does.
 */
const project = (spec: Record<string, unknown>) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'p' }, spec });

describe('source repositories (IsSourcePermitted)', () => {
  const cases: [string[], string, boolean][] = [
    [['*'], 'https://github.com/argoproj/test.git', true],
    [['https://github.com/argoproj/test.git'], 'https://github.com/argoproj/test.git', true],
    [['ssh://git@GITHUB.com:argoproj/test'], 'ssh://git@github.com:argoproj/test', true],
    [['https://github.com/argoproj/*'], 'https://github.com/argoproj/argoproj.git', true],
    [['https://github.com/test1/test.git', 'https://github.com/test2/test.git'], 'https://github.com/test2/test.git', true],
    [['https://github.com/argoproj/test1.git'], 'https://github.com/argoproj/test2.git', false],
    [['https://github.com/argoproj/*.git'], 'https://github.com/argoproj1/test2.git', false],
    [['https://github.com/argoproj/foo'], 'https://github.com/argoproj/foo1', false],
    [['https://gitlab.com/group/*'], 'https://gitlab.com/group/repo/owner', false],
    [['https://gitlab.com/group/*/*'], 'https://gitlab.com/group/repo/owner', true],
    [['https://gitlab.com/group/*/*/*'], 'https://gitlab.com/group/sub-group/repo/owner', true],
    [['https://gitlab.com/group/**'], 'https://gitlab.com/group/sub-group/repo/owner', true],
    // deny patterns
    [['!https://github.com/argoproj/test.git'], 'https://github.com/argoproj/test.git', false],
    [['!ssh://git@GITHUB.com:argoproj/test'], 'ssh://git@github.com:argoproj/test', false],
    [['!https://github.com/argoproj/*'], 'https://github.com/argoproj/argoproj.git', false],
    [['https://github.com/test1/test.git', '!https://github.com/test2/test.git'], 'https://github.com/test2/test.git', false],
    [['!https://github.com/argoproj/foo*'], 'https://github.com/argoproj/foo1', false],
    [['!https://gitlab.com/group/*/*'], 'https://gitlab.com/group/repo/owner', false],
    [['!https://gitlab.com/group/**'], 'https://gitlab.com/group/sub-group/repo/owner', false],
    [['https://github.com/argoproj/test1.git', '*'], 'https://github.com/argoproj/test2.git', true],
    [['!https://github.com/argoproj/*.git', '*'], 'https://github.com/argoproj1/test2.git', true],
    // normalisation: case, .git suffix, scp-style SSH
    [['https://GitHub.com/Example-Org/LLM-GitOps'], 'https://github.com/example-org/llm-gitops.git', true],
    [['git@github.com:example-org/llm-gitops.git'], 'ssh://git@github.com/example-org/llm-gitops', true],
    [[], 'https://github.com/example-org/llm-gitops.git', false],
  ];
  test.each(cases)('%j permits %s: %s', (repos, src, permitted) => {
    expect(isSourcePermitted(project({ sourceRepos: repos }), src)).toBe(permitted);
  });
});

describe('destinations (IsDestinationPermitted)', () => {
  type D = { server?: string; name?: string; namespace: string };
  const K = 'https://kubernetes.default.svc';
  const cases: [string, D[], D, boolean][] = [
    ['server and namespace match', [{ server: K, namespace: 'default' }], { server: K, namespace: 'default' }, true],
    ['namespace does not match', [{ server: K, namespace: 'default' }], { server: K, namespace: 'kube-system' }, false],
    ['server does not match', [{ server: 'https://my-cluster', namespace: 'default' }], { server: K, namespace: 'default' }, false],
    ['wildcard namespace', [{ server: K, namespace: '*' }], { server: K, namespace: 'kube-system' }, true],
    ['wildcard server', [{ server: 'https://*.default.svc', namespace: 'default' }], { server: K, namespace: 'default' }, true],
    ['server prefix that differs', [{ server: 'https://team1-*', namespace: 'default' }], { server: 'https://test2-dev-cluster', namespace: 'default' }, false],
    ['namespace prefix', [{ server: K, namespace: 'test-*' }], { server: K, namespace: 'test-foo' }, true],
    ['namespace prefix, value without it', [{ server: K, namespace: 'test-*' }], { server: K, namespace: 'test' }, false],
    ['all', [{ server: '*', namespace: '*' }], { server: K, namespace: 'test' }, true],
    ['by name', [{ server: '', name: 'test', namespace: '*' }], { name: 'test', namespace: 'test' }, true],
    ['by another name', [{ server: '', name: 'test2', namespace: '*' }], { name: 'test', namespace: 'test' }, false],
    [
      'negated set of namespaces on another cluster',
      [
        { name: 'host-cluster', server: K, namespace: '!{kube-system,argocd}' },
        { name: 'destination-cluster-01', server: 'https://eks-cluster-endpoint.ap-southeast-1.eks.amazonaws.com', namespace: '*' },
      ],
      { server: 'https://eks-cluster-endpoint.ap-southeast-1.eks.amazonaws.com', namespace: 'kube-system' },
      true,
    ],
    // deny patterns
    ['denied server', [{ server: `!${K}`, namespace: 'default' }], { server: K, namespace: 'default' }, false],
    ['denied other namespace', [{ server: K, namespace: '!default' }], { server: K, namespace: 'kube-system' }, true],
    ['denied other server', [{ server: '!https://my-cluster', namespace: 'default' }], { server: K, namespace: 'default' }, true],
    ['denied server, any namespace', [{ server: `!${K}`, namespace: '*' }], { server: K, namespace: 'kube-system' }, false],
    ['denied server pattern', [{ server: '!https://*.default.svc', namespace: 'default' }], { server: K, namespace: 'default' }, false],
    [
      'denied other server pattern',
      [{ server: '!https://team1-*', namespace: 'default' }],
      { server: 'https://test2-dev-cluster', namespace: 'default' },
      true,
    ],
    ['denied namespace pattern', [{ server: K, namespace: '!test-*' }], { server: K, namespace: 'test-foo' }, false],
    ['denied namespace pattern, other value', [{ server: K, namespace: '!test-*' }], { server: K, namespace: 'test' }, true],
    ['denied name', [{ server: '', name: '!test', namespace: '*' }], { name: 'test', namespace: 'test' }, false],
    ['denied other name', [{ server: '', name: '!test2', namespace: '*' }], { name: 'test', namespace: 'test' }, true],
    [
      'allowed then denied namespace',
      [
        { server: '*', namespace: 'kube-system' },
        { server: '*', namespace: '!kube-system' },
      ],
      { server: K, namespace: 'kube-system' },
      false,
    ],
    [
      'all then denied namespace',
      [
        { server: '*', namespace: '*' },
        { server: '*', namespace: '!kube-system' },
      ],
      { server: K, namespace: 'kube-system' },
      false,
    ],
    [
      'allowed then denied server',
      [
        { server: K, namespace: '*' },
        { server: `!${K}`, namespace: '*' },
      ],
      { server: K, namespace: 'kube-system' },
      false,
    ],
    [
      'all then denied server for one namespace',
      [
        { server: '*', namespace: '*' },
        { server: `!${K}`, namespace: 'kube-system' },
      ],
      { server: K, namespace: 'kube-system' },
      false,
    ],
    [
      'three entries, denied namespace',
      [
        { server: '*', namespace: '*' },
        { server: `!${K}`, namespace: 'kube-system' },
        { server: '*', namespace: '!kube-system' },
      ],
      { server: K, namespace: 'kube-system' },
      false,
    ],
    [
      'three entries, other namespace',
      [
        { server: '*', namespace: '*' },
        { server: `!${K}`, namespace: 'kube-system' },
        { server: '*', namespace: '!kube-system' },
      ],
      { server: K, namespace: 'default' },
      true,
    ],
    [
      'three entries, other server, denied namespace',
      [
        { server: '*', namespace: '*' },
        { server: `!${K}`, namespace: 'kube-system' },
        { server: '*', namespace: '!kube-system' },
      ],
      { server: 'https://test-dev-cluster', namespace: 'kube-system' },
      false,
    ],
    [
      'name allowed and denied',
      [
        { server: '', name: 'test', namespace: '*' },
        { server: '', name: '!test', namespace: '*' },
      ],
      { name: 'test', namespace: 'test' },
      false,
    ],
    [
      'denied server for another namespace',
      [
        { server: '*', namespace: 'test' },
        { server: '!https://test-server', namespace: 'other' },
      ],
      { server: 'https://test-server', namespace: 'test' },
      true,
    ],
    [
      'denied namespace on another server',
      [
        { server: '*', namespace: '*' },
        { server: 'https://test-server', namespace: '!other' },
      ],
      { server: 'https://other-test-server', namespace: 'other' },
      true,
    ],
    // an empty destination namespace matches only a pattern that matches "" (the step-05 cluster app's defect)
    ['no namespace against named ones', [{ server: K, namespace: 'private-ai' }], { server: K, namespace: '' }, false],
    ['no namespace against *', [{ server: K, namespace: '*' }], { server: K, namespace: '' }, true],
    ['no namespace against an empty one', [{ server: K } as D], { server: K, namespace: '' }, true],
    // the in-cluster cluster is known by its server and its name
    ['in-cluster by name against its server', [{ server: K, namespace: 'ai' }], { name: 'in-cluster', namespace: 'ai' }, true],
  ];
  test.each(cases)('%s', (_, destinations, dst, permitted) => {
    expect(isDestinationPermitted(project({ destinations }), dst)).toBe(permitted);
  });

  test('a cluster known only by a name the project does not use cannot be judged', () => {
    expect(isDestinationPermitted(project({ destinations: [{ server: 'https://api.prod:6443', namespace: 'ai' }] }), { name: 'prod', namespace: 'ai' })).toBe(
      undefined,
    );
  });
});

describe('kinds (IsGroupKindNamePermitted)', () => {
  test("Argo CD's cases", () => {
    const p1 = project({ namespaceResourceWhitelist: [], namespaceResourceBlacklist: [{ group: 'apps', kind: 'Deployment' }] });
    expect(isGroupKindNamePermitted(p1, 'apps', 'ReplicaSet', '', true)).toBe(false);
    expect(isGroupKindNamePermitted(p1, 'apps', 'Deployment', '', true)).toBe(false);
    const p2 = project({
      namespaceResourceWhitelist: [{ group: 'apps', kind: 'ReplicaSet' }],
      namespaceResourceBlacklist: [{ group: 'apps', kind: 'Deployment' }],
    });
    expect(isGroupKindNamePermitted(p2, 'apps', 'ReplicaSet', '', true)).toBe(true);
    expect(isGroupKindNamePermitted(p2, 'apps', 'Action', '', true)).toBe(false);
    const p3 = project({ clusterResourceBlacklist: [{ group: '', kind: 'Namespace' }] });
    expect(isGroupKindNamePermitted(p3, '', 'Namespace', '', false)).toBe(false);
    const p4 = project({ clusterResourceWhitelist: [{ group: '*', kind: '*' }], clusterResourceBlacklist: [{ group: '*', kind: '*' }] });
    expect(isGroupKindNamePermitted(p4, '', 'Namespace', '', false)).toBe(false);
    expect(isGroupKindNamePermitted(p4, 'apps', 'Action', '', true)).toBe(true);
    const p5 = project({ clusterResourceWhitelist: [], namespaceResourceWhitelist: [{ group: '*', kind: '*' }] });
    expect(isGroupKindNamePermitted(p5, '', 'Namespace', '', false)).toBe(false);
    expect(isGroupKindNamePermitted(p5, 'apps', 'Action', '', true)).toBe(true);
    const p6 = project({});
    expect(isGroupKindNamePermitted(p6, '', 'Namespace', '', false)).toBe(false);
    expect(isGroupKindNamePermitted(p6, 'apps', 'Action', '', true)).toBe(true);
    const p7 = project({ clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: 'team1-*' }] });
    expect(isGroupKindNamePermitted(p7, '', 'Namespace', 'other-namespace', false)).toBe(false);
    expect(isGroupKindNamePermitted(p7, '', 'Namespace', 'team1-namespace', false)).toBe(true);
  });

  test('group and kind patterns are filepath.Match patterns', () => {
    const p = project({
      namespaceResourceWhitelist: [
        { group: 'serving.kserve.io', kind: '*Service' },
        { group: 'kueue.x-k8s.io', kind: '[LW]ocalQueue' },
      ],
    });
    expect(isGroupKindNamePermitted(p, 'serving.kserve.io', 'InferenceService', '', true)).toBe(true);
    expect(isGroupKindNamePermitted(p, 'serving.kserve.io', 'ServingRuntime', '', true)).toBe(false);
    expect(isGroupKindNamePermitted(p, 'kueue.x-k8s.io', 'LocalQueue', '', true)).toBe(true);
    expect(isGroupKindNamePermitted(p, 'kueue.x-k8s.io', 'ClusterQueue', '', true)).toBe(false);
  });
});

describe('patterns', () => {
  test("globMatch (Argo CD's TestGlobMatch)", () => {
    expect(globMatch('foo', 'foo', false)).toBe(true);
    expect(globMatch('foo*', 'foobar', false)).toBe(true);
    expect(globMatch('foo*', 'bar', false)).toBe(false);
    expect(globMatch('*', 'anything', false)).toBe(true);
    expect(globMatch('!foo', 'foo', true)).toBe(false);
    expect(globMatch('!foo', 'bar', true)).toBe(true);
    expect(globMatch('!foo', 'foo', false)).toBe(false);
    expect(globMatch('!foo', '!foo', false)).toBe(true);
  });

  test('gobwas/glob syntax: separators, **, classes, alternatives, escapes; a broken pattern matches nothing', () => {
    expect(globMatch('a/*', 'a/b/c', false, '/')).toBe(false);
    expect(globMatch('a/**', 'a/b/c', false, '/')).toBe(true);
    expect(globMatch('a/*', 'a/b/c', false)).toBe(true);
    expect(globMatch('team-[bc]', 'team-c', false)).toBe(true);
    expect(globMatch('team-[!bc]', 'team-c', false)).toBe(false);
    expect(globMatch('team-[a-c]?', 'team-b1', false)).toBe(true);
    expect(globMatch('{llm,ai}-*', 'ai-dev', false)).toBe(true);
    expect(globMatch('\\*', '*', false)).toBe(true);
    expect(globMatch('\\*', 'x', false)).toBe(false);
    expect(globMatch('team-[bc', 'team-b', false)).toBe(false);
    expect(globMatch('{a,b', 'a', false)).toBe(false);
    expect(globMatch('', '', false)).toBe(true);
  });

  test('a pattern of many stars against a long value is decided at once (no backtracking)', () => {
    const started = process.cpuUsage();
    expect(globMatch('*a*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(5000), false)).toBe(false);
    expect(globMatch('**a**a**a**a**a**a**a**a**c', `${'a'.repeat(5000)}c`, false, '/')).toBe(true);
    expect(pathMatch('*a*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(5000))).toBe(false);
    expect(cpuMsSince(started)).toBeLessThan(PROMPTLY_MS);
  });

  test('filepath.Match syntax', () => {
    expect(pathMatch('*', 'InferenceService')).toBe(true);
    expect(pathMatch('', '')).toBe(true);
    expect(pathMatch('', 'apps')).toBe(false);
    expect(pathMatch('[^C]*Queue', 'LocalQueue')).toBe(true);
    expect(pathMatch('[^C]*Queue', 'ClusterQueue')).toBe(false);
    expect(pathMatch('[', 'x')).toBe(false);
    expect(pathMatch('[a-c]ueue.x-k8s.io', 'kueue.x-k8s.io')).toBe(false);
    expect(pathMatch('[j-l]ueue.x-k8s.io', 'kueue.x-k8s.io')).toBe(true);
    expect(pathMatch('[^j-l]ueue.x-k8s.io', 'kueue.x-k8s.io')).toBe(false);
    expect(pathMatch('Local\\*', 'Local*')).toBe(true);
    expect(pathMatch('Local\\*', 'LocalQueue')).toBe(false);
    expect(pathMatch('[\\]]x', ']x')).toBe(true);
    expect(pathMatch('a?c', 'abc')).toBe(true);
    expect(pathMatch('a?c', 'a/c')).toBe(false);
    // malformed: a range that runs backwards, an unfinished escape, an empty class
    expect(pathMatch('[z-a]', 'b')).toBe(false);
    expect(pathMatch('ab\\', 'ab')).toBe(false);
    expect(pathMatch('[]', '')).toBe(false);
  });
});

describe("Git URLs (util/git NormalizeGitURL, SameURL: Argo CD's TestSameURL)", () => {
  const same: [string, string][] = [
    ['git@GITHUB.com:argoproj/test', 'git@github.com:argoproj/test.git'],
    ['git@GITHUB.com:test', 'git@github.com:test.git'],
    ['https://GITHUB.com/argoproj/test', 'https://github.com/argoproj/test.git'],
    ['https://github.com/FOO', 'https://github.com/foo'],
    ['https://github.com:4443/TEST', 'https://github.com:4443/TEST.git'],
    ['ssh://git@GITHUB.com/argoproj/test', 'git@github.com:argoproj/test.git'],
    ['ssh://git@github.com/test', 'git@github.com:test.git'],
    [' https://github.com/argoproj/test ', 'https://github.com/argoproj/test.git'],
    ['\thttps://github.com/argoproj/test\n', 'https://github.com/argoproj/test.git'],
    ['https://dev.azure.com/1234/myproj/_git/myrepo', 'https://dev.azure.com/1234/myproj/_git/myrepo'],
  ];
  test.each(same)('%j is %j', (a, b) => expect(sameGitUrl(a, b)).toBe(true));

  test('different repositories differ; an unparsable URL normalises to nothing', () => {
    expect(sameGitUrl('https://github.com/argoproj/test1', 'https://github.com/argoproj/test2')).toBe(false);
    expect(normalizeGitUrl('git@github.com:example-org/llm-gitops.git')).toBe('git@github.com/example-org/llm-gitops');
    expect(normalizeGitUrl('ssh://git@github.com:argoproj/test')).toBe('');
    expect(normalizeGitUrl('https://github.com/%zz')).toBe('');
  });
});

describe("an Application's destination (util/argo GetDestinationServer)", () => {
  const app = (destination: Record<string, string>) => ({
    manifest: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a' }, spec: { destination } },
  });
  test('both server and name, or neither, are refused before any project is consulted', () => {
    expect(destinationError(app({ server: 'https://kubernetes.default.svc', name: 'in-cluster', namespace: 'ai' }))).toBe(
      "application destination can't have both name and server defined: in-cluster https://kubernetes.default.svc",
    );
    expect(destinationError(app({ namespace: 'ai' }))).toBe('Destination server missing from app spec');
    expect(destinationError(app({ name: 'prod', namespace: 'ai' }))).toBeUndefined();
  });

  test("the server's trailing slash is trimmed before it is matched", () => {
    const dst = destinationOf(app({ server: 'https://kubernetes.default.svc/', namespace: 'ai' }));
    expect(dst).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'ai' });
    expect(isDestinationPermitted(project({ destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'ai' }] }), dst)).toBe(true);
  });
});
