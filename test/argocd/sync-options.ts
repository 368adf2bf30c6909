import { runChecks } from '../../lib';

/** An Application with these sync options. */
const app = (options: string[]) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'serving', namespace: 'openshift-gitops' },
  spec: {
    project: 'default',
    source: { repoURL: 'https://github.com/example-org/gitops.git', path: 'serving', targetRevision: 'main' },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'serving' },
    syncPolicy: { syncOptions: options },
  },
});

const said = (options: string[]) =>
  runChecks([{ manifest: app(options) }], { platform: 'rhoai-3.0' })
    .filter((f) => f.rule === 'argocd-sync-option-unknown')
    .map((f) => [f.severity, f.message]);

describe('argocd-sync-option-unknown: syncOptions entries Argo CD never reads', () => {
  test('Retry=true and syncTimeout=…: no options, each a warning saying where the setting goes', () => {
    expect(said(['Retry=true', 'syncTimeout=10m'])).toEqual([
      ['warning', expect.stringMatching(/'Retry=true' is no sync option, .*retries are spec\.syncPolicy\.retry/)],
      ['warning', expect.stringMatching(/'syncTimeout=10m' is no sync option, .*no per-Application timeout option/)],
    ]);
  });

  test('a known option with a value Argo CD does not act on, or spelt in another case: a warning naming the right form', () => {
    expect(said(['CreateNamespace=yes', 'createNamespace=true'])).toEqual([
      ['warning', expect.stringMatching(/'createNamespace=true' is no sync option \(the option is spelt CreateNamespace, exactly\)/)],
      ['warning', expect.stringMatching(/'CreateNamespace=yes' gives CreateNamespace a value .*it reads CreateNamespace=true, CreateNamespace=false/)],
    ]);
  });

  test('near miss: the documented options, with their values', () => {
    expect(
      said([
        'CreateNamespace=true',
        'ServerSideApply=true',
        'PrunePropagationPolicy=background',
        'Prune=confirm',
        'CreateNamespace=false',
        'SkipDryRunOnMissingResource=true',
        'RespectIgnoreDifferences=true',
      ]),
    ).toEqual([]);
  });
});
