import { decidingRule, ignoreRules } from '../../lib/manifests/git-ignored';
import { readManifests } from '../../lib';
import { writeTree } from '../util';

/** Whether a .gitignore text ignores a path relative to its folder, as gitignore(5) says. */
const ignores = (text: string, rel: string) => {
  const rule = decidingRule(ignoreRules(text), rel);
  return rule !== undefined && !rule.negated;
};

describe('gitignore(5) patterns', () => {
  test('a name without a slash matches at any depth; a leading or inner slash anchors it to the folder', () => {
    expect(ignores('*.env\n', 'ngc.env')).toBe(true);
    expect(ignores('*.env\n', 'pocs/cache/ngc.env')).toBe(true);
    expect(ignores('/ngc.env\n', 'pocs/ngc.env')).toBe(false);
    expect(ignores('/ngc.env\n', 'ngc.env')).toBe(true);
    expect(ignores('pocs/*.json\n', 'pocs/ngcdockerconfig.json')).toBe(true);
    expect(ignores('pocs/*.json\n', 'pocs/cache/ngcdockerconfig.json')).toBe(false);
    expect(ignores('**/secrets/*.json\n', 'a/b/secrets/pull.json')).toBe(true);
    expect(ignores('*ngcdockerconfig.json\n', 'no-cache/ngcdockerconfig.json')).toBe(true);
  });

  test('the last matching line wins, `!` re-includes, an ignored folder keeps its files ignored, comments and blanks are no patterns', () => {
    expect(ignores('*.env\n!sample.env\n', 'sample.env')).toBe(false);
    expect(ignores('!sample.env\n*.env\n', 'sample.env')).toBe(true);
    expect(ignores('secrets/\n!secrets/ngc.env\n', 'secrets/ngc.env')).toBe(true);
    expect(ignores('secrets/\n', 'secrets')).toBe(false);
    expect(ignores('# *.env\n\n', 'ngc.env')).toBe(false);
    expect(ignores('\\#notes\n', '#notes')).toBe(true);
  });
});

describe('kustomize-build-fails: a generator file the repository ignores is one each user creates', () => {
  const KUSTOMIZATION =
    'namespace: nim\nsecretGenerator:\n  - name: nim-secrets\n    envs: [ngc.env]\n    options: {disableNameSuffixHash: true}\nresources: [service.yaml]\n';
  const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: nim\nspec:\n  ports: [{port: 8000}]\n';
  const problems = (gitignore?: string) => {
    const dir = writeTree('git-ignored-', {
      'deploy/kustomization.yaml': KUSTOMIZATION,
      'deploy/service.yaml': SERVICE,
      ...(gitignore === undefined ? {} : { '.gitignore': gitignore }),
    });
    return readManifests([dir])
      .errors.filter((e) => /ngc\.env/.test(e.message))
      .map((e) => [e.severity, e.message]);
  };

  test('.gitignore ignores *.env: a warning saying to create the file, naming the line', () => {
    expect(problems('*.env\n')).toEqual([
      [
        'warning',
        expect.stringMatching(
          /lists the file 'ngc\.env', which is not in the tree: create ngc\.env before building \(it is ignored by \.gitignore: .*\.gitignore \(line 1, '\*\.env'\)\)/,
        ),
      ],
    ]);
  });

  test('near misses: no .gitignore, or one that re-includes the file: kustomize refuses the build, an error', () => {
    expect(problems()).toEqual([['error', expect.stringMatching(/lists the file 'ngc\.env', which does not exist .*kustomize build fails/)]]);
    expect(problems('*.env\n!ngc.env\n')).toEqual([['error', expect.stringMatching(/kustomize build fails/)]]);
  });
});
