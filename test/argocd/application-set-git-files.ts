import { fileParams, filesOfGenerator, flattenParams, lsFilesMatch, objectsOfGitFile, printed } from '../../lib/check/argocd/git-files';

describe('git files generator (argo-cd applicationset/generators/git.go, cases of git_test.go TestGitGenerateParamsFromFiles)', () => {
  test('test YAML array: one set per object; goTemplate keeps the objects nested and adds a path object', () => {
    const file = '- cluster: {name: production}\n- cluster: {name: staging}\n';
    expect(objectsOfGitFile(file)).toEqual([{ cluster: { name: 'production' } }, { cluster: { name: 'staging' } }]);
    expect(fileParams('cluster-config/production/config.yaml', { cluster: { name: 'staging' } }, true)).toEqual({
      cluster: { name: 'staging' },
      path: {
        path: 'cluster-config/production',
        basename: 'production',
        filename: 'config.yaml',
        basenameNormalized: 'production',
        filenameNormalized: 'config.yaml',
        segments: ['cluster-config', 'production'],
      },
    });
  });

  test('pathParamPrefix puts the path parameters under <prefix>.path; an empty file is one set of path parameters', () => {
    expect(objectsOfGitFile('')).toEqual([{}]);
    expect(fileParams('envs/Dev_1.yaml', {}, false, 'cfg')).toEqual({
      'cfg.path': 'envs',
      'cfg.path.basename': 'envs',
      'cfg.path.filename': 'Dev_1.yaml',
      'cfg.path.basenameNormalized': 'envs',
      'cfg.path.filenameNormalized': 'dev-1.yaml',
      'cfg.path[0]': 'envs',
    });
  });

  test('flatten (jeremywohl/flatten DotStyle): list items by index, empty objects leave no key; numbers print as Go prints a float64', () => {
    expect(flattenParams({ a: [{ b: 'x' }, 'y'], e: {}, n: null, t: true })).toEqual({ 'a.0.b': 'x', 'a.1': 'y', n: '<nil>', t: 'true' });
    expect([printed(123), printed(0.5), printed(1000000), printed(123456), printed(0.00001)]).toEqual(['123', '0.5', '1e+06', '123456', '1e-05']);
  });

  test('git ls-files pathspecs: `*` crosses folders (the default, greedy globbing); a plain path names a file or a folder above files', () => {
    expect(lsFilesMatch('apps/*.yaml', 'apps/a/b.yaml')).toBe(true);
    expect(lsFilesMatch('cluster-charts/*/*/values.yaml', 'cluster-charts/c1/mychart/charts/sub/values.yaml')).toBe(true);
    expect(lsFilesMatch('apps/*.yaml', 'other/apps/a.yaml')).toBe(false);
    expect(lsFilesMatch('apps', 'apps/dev/config.json')).toBe(true);
    expect(lsFilesMatch('app', 'apps/dev/config.json')).toBe(false);
    expect(lsFilesMatch('envs/[!p]*.json', 'envs/dev.json')).toBe(true);
    expect(lsFilesMatch('envs/[!p]*.json', 'envs/prod.json')).toBe(false);
  });

  test('an exclude item removes what it lists whatever the order; the files are sorted', () => {
    const files = ['b/config.json', 'a/config.json', 'a/skip/config.json'];
    expect(
      filesOfGenerator(
        [
          { path: 'a/skip/*', exclude: true },
          { path: '*/config.json', exclude: false },
        ],
        files,
      ),
    ).toEqual(['a/config.json', 'b/config.json']);
  });
});
