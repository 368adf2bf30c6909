import { readManifests } from '../../lib/manifests/read-manifests';
import { writeTree } from '../setup/kustomize-build';
import { ruleFound } from '../util';

// kubernetes ttlafterfinished controller deletes a finished Job; argo-cd controller/state.go counts a source object
// missing from the live state as OutOfSync (not a hook's), and appcontroller.go autoSync syncs the same revision again
// only with selfHeal
const APP = (policy: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: weights, namespace: openshift-gitops}
spec:
  project: default
  source: {repoURL: https://example.com/org/repo.git, path: weights}
  destination: {server: https://kubernetes.default.svc, namespace: ml}
  syncPolicy: ${policy}
`;
const JOB = (meta: string, spec = '  ttlSecondsAfterFinished: 600\n') =>
  `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: fetch\n  namespace: ml\n${meta.replace(/^/gm, '  ')}\nspec:\n${spec}  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox@sha256:${'a'.repeat(64)}}]\n`;
const HEAL = '{automated: {selfHeal: true}}';

const found = (app: string, job: string) => {
  const dir = writeTree({ 'apps/weights.yaml': APP(app), 'weights/job.yaml': job }, 'job-ttl-');
  const read = readManifests([dir]);
  return ruleFound('argocd-job-ttl-recreated', read.manifests, { ...read, platform: 'rhoai-3.0' });
};

describe('argocd-job-ttl-recreated', () => {
  test('selfHeal: a warning that the Job is deleted, the Application OutOfSync, and the Job created and run again in a loop', () => {
    expect(found(HEAL, JOB('labels: {app: fetch}'))).toEqual([
      {
        severity: 'warning',
        object: 'Job/ml/fetch',
        message: expect.stringMatching(
          /^synced by Application 'weights' \(automated, selfHeal\) as a plain resource with ttlSecondsAfterFinished 600: 600 s after it finishes, .*OutOfSync, and selfHeal syncs the same revision again .* a loop, .*make it a hook/,
        ),
      },
    ]);
  });

  test('automated without selfHeal: still a warning, the Application OutOfSync until its next sync runs the Job again', () => {
    const [f] = found('{automated: {prune: true}}', JOB('labels: {app: fetch}'));
    expect(f.message).toMatch(/\(automated\) as a plain resource/);
    expect(f.message).toContain('the Application stays OutOfSync (automated sync does not sync the same revision twice without selfHeal)');
  });

  test('IgnoreExtraneous on the Job does not help, and the message says why', () => {
    const [f] = found(HEAL, JOB('annotations: {argocd.argoproj.io/compare-options: IgnoreExtraneous}'));
    expect(f.severity).toBe('warning');
    expect(f.message).toContain('its compare-options IgnoreExtraneous does not help');
  });

  test('a TTL of 0 (deleted as soon as it finishes) is one too', () => {
    expect(found(HEAL, JOB('labels: {app: fetch}', '  ttlSecondsAfterFinished: 0\n'))).toHaveLength(1);
  });

  test.each([
    ['an Argo CD hook', HEAL, JOB('annotations: {argocd.argoproj.io/hook: PostSync, argocd.argoproj.io/hook-delete-policy: HookSucceeded}')],
    ['a Helm hook', HEAL, JOB('annotations: {helm.sh/hook: post-install}')],
    ['no ttlSecondsAfterFinished', HEAL, JOB('labels: {app: fetch}', '')],
    ['a manual sync', '{syncOptions: [CreateNamespace=true]}', JOB('labels: {app: fetch}')],
    ['automated sync switched off', '{automated: {enabled: false, selfHeal: true}}', JOB('labels: {app: fetch}')],
  ])('near miss: %s', (_, policy, job) => {
    expect(found(policy, job)).toEqual([]);
  });

  test('near miss: a Job no Application delivers', () => {
    const dir = writeTree({ 'weights/job.yaml': JOB('labels: {app: fetch}') }, 'job-ttl-alone-');
    const read = readManifests([dir]);
    expect(ruleFound('argocd-job-ttl-recreated', read.manifests, { ...read, platform: 'rhoai-3.0' })).toEqual([]);
  });
});
