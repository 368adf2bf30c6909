import { runChecks } from '../../lib';
import { Platform } from '../../lib/check/platform';

const application = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'serving', namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': '3' } },
  spec: {
    project: 'default',
    source: { repoURL: 'https://example.com/org/repo.git', path: 'serving' },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'serving' },
  },
};
const commandNamed = (platform: Platform) =>
  runChecks([{ manifest: application }], { platform, rules: ['argocd-wave-ignored'] }).map((f) => /applied by hand \(([^)]+)\)/.exec(f.message)?.[1]);

describe('argocd-wave-ignored', () => {
  test('an Application applied by hand: the command named follows the platform, oc on OpenShift, kubectl elsewhere', () => {
    expect(commandNamed('rhoai-3.0')).toEqual(['oc apply']);
    expect(commandNamed('kserve')).toEqual(['kubectl apply']);
  });
});
