import { runChecks } from '../../lib';

/** An ApplicationSet of namespace gitops in build gitops/apps whose list elements name Applications. */
const set = (name: string, apps: { name: string; path: string }[], line = 1, build = 'gitops/apps') => ({
  file: `${build}/${name}.yaml`,
  line,
  kustomizations: [build],
  manifest: {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name, namespace: 'gitops' },
    spec: {
      generators: [{ list: { elements: apps } }],
      template: {
        metadata: { name: '{{name}}' },
        spec: {
          project: 'default',
          source: { repoURL: 'https://git.example.com/ml.git', path: '{{path}}', targetRevision: 'main' },
          destination: { server: 'https://kubernetes.default.svc', namespace: 'ml-dev' },
        },
      },
    },
  },
});

const plain = (name: string, path: string, build = 'gitops/apps') => ({
  file: `${build}/${name}-app.yaml`,
  line: 1,
  kustomizations: [build],
  manifest: {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'gitops' },
    spec: {
      project: 'default',
      source: { repoURL: 'https://git.example.com/ml.git', path, targetRevision: 'main' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'ml-dev' },
    },
  },
});

const findings = (...objects: ReturnType<typeof set | typeof plain>[]) =>
  runChecks(objects, { platform: 'kserve' })
    .filter((f) => f.rule === 'duplicate-object')
    .map((f) => [f.severity, f.object, f.message]);

describe('duplicate-object: an Application two ApplicationSets, or a set and a plain Application, claim', () => {
  test('two ApplicationSets of one build generate the same Application: reported once, on the later set', () => {
    const generator = set('message-generator', [{ name: 'scoring-dev', path: 'envs/dev/generator' }]);
    const scoring = set('scoring', [
      { name: 'scoring-dev', path: 'envs/dev/scoring' },
      { name: 'scoring-test', path: 'envs/test/scoring' },
    ]);
    expect(findings(generator, scoring)).toEqual([
      [
        'error',
        'Application/gitops/scoring-dev',
        "ApplicationSet/gitops/scoring and ApplicationSet/gitops/message-generator both generate Application 'scoring-dev' (source 'envs/dev/scoring' here); the ApplicationSet controller makes an Application its set's, so whichever set comes second is refused (\"Object gitops/scoring-dev is already owned by another ApplicationSet controller …\", UpdateApplicationError) and its Application never exists: give one template another name (a per-element suffix)",
      ],
    ]);
  });

  test('distinct names, other namespaces, or sets in builds that are alternatives: no finding', () => {
    expect(findings(set('a', [{ name: 'gen-dev', path: 'p' }]), set('b', [{ name: 'scoring-dev', path: 'q' }]))).toEqual([]);
    const other = set('b', [{ name: 'scoring-dev', path: 'q' }]);
    other.manifest.metadata.namespace = 'gitops-2';
    expect(findings(set('a', [{ name: 'scoring-dev', path: 'p' }]), other)).toEqual([]);
    expect(findings(set('a', [{ name: 'scoring-dev', path: 'p' }], 1, 'gitops/dev'), set('b', [{ name: 'scoring-dev', path: 'q' }], 1, 'gitops/prod'))).toEqual(
      [],
    );
  });

  test('one set read by two builds is not two sets', () => {
    const base = set('a', [{ name: 'scoring-dev', path: 'p' }]);
    expect(findings(base, { ...base, kustomizations: ['gitops/apps', 'gitops/base'] })).toEqual([]);
  });

  test('a set generates the name of a plain Application of the build: an error when the specs differ, a warning when they are one', () => {
    expect(findings(set('a', [{ name: 'scoring-dev', path: 'envs/dev/scoring' }]), plain('scoring-dev', 'envs/dev/legacy'))).toEqual([
      [
        'error',
        'Application/gitops/scoring-dev',
        expect.stringMatching(
          /^ApplicationSet\/gitops\/a generates Application 'scoring-dev', the name of the Application declared at gitops\/apps\/scoring-dev-app.yaml:1; .*source 'envs\/dev\/legacy'/,
        ),
      ],
    ]);
    expect(findings(set('a', [{ name: 'scoring-dev', path: 'envs/dev/scoring' }]), plain('scoring-dev', 'envs/dev/scoring'))).toEqual([
      ['warning', 'Application/gitops/scoring-dev', expect.stringMatching(/the same spec here, but the two claim one Application/)],
    ]);
    expect(findings(set('a', [{ name: 'scoring-dev', path: 'p' }]), plain('scoring-test', 'p'))).toEqual([]);
  });
});
