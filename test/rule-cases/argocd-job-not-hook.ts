import { readManifests } from '../../lib/manifests/read-manifests';
import { writeTree } from '../setup/kustomize-build';
import { ruleFound } from '../util';

// kubernetes ValidateJobSpecUpdate: a Job's spec.template is immutable; gitops-engine applyObject applies a plain
// resource (replace with Replace=true) and deletes and creates it only with Force=true; hooks are created on each sync
const APP = (policy: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: warmup, namespace: openshift-gitops}
spec:
  project: default
  source: {repoURL: https://example.com/org/repo.git, path: warmup}
  destination: {server: https://kubernetes.default.svc, namespace: ml}
  syncPolicy: ${policy}
`;
const JOB = (meta: string, spec = '') =>
  `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: warm\n  namespace: ml\n${meta.replace(/^/gm, '  ')}\nspec:\n${spec}  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox@sha256:${'a'.repeat(64)}}]\n`;
const AUTO = '{automated: {selfHeal: true}}';

const found = (app: string, job: string) => {
  const dir = writeTree({ 'apps/warmup.yaml': APP(app), 'warmup/job.yaml': job }, 'job-not-hook-');
  const read = readManifests([dir]);
  return ruleFound('argocd-job-not-hook', read.manifests, { ...read, platform: 'rhoai-3.0' });
};

describe('argocd-job-not-hook', () => {
  test('a plain Job of an automated Application: a warning naming the Application, the immutable template and the hook fix', () => {
    expect(found(AUTO, JOB('labels: {app: warm}'))).toEqual([
      {
        severity: 'warning',
        object: 'Job/ml/warm',
        message: expect.stringMatching(
          /^synced by Application 'warmup' \(automated\) as a plain resource: once its pod template changes in the source, the apply is refused \(Job spec\.template is immutable: "field is immutable"\).*make it a hook \(argocd\.argoproj\.io\/hook: PostSync/,
        ),
      },
    ]);
  });

  test('Replace=true alone: still a warning, saying a replace is refused the same and Force=true is needed', () => {
    const [f] = found(`{automated: {}, syncOptions: [Replace=true]}`, JOB('labels: {app: warm}'));
    expect(f.message).toContain('Replace=true alone replaces it and is refused the same (add Force=true to delete and create it)');
  });

  test.each([
    ['an Argo CD hook', AUTO, JOB('annotations: {argocd.argoproj.io/hook: PostSync, argocd.argoproj.io/hook-delete-policy: BeforeHookCreation}')],
    ['a Helm hook', AUTO, JOB('annotations: {helm.sh/hook: post-install}')],
    ['Force=true,Replace=true on the Job', AUTO, JOB("annotations: {argocd.argoproj.io/sync-options: 'Force=true,Replace=true'}")],
    ['Force=true in the syncOptions', '{automated: {}, syncOptions: [Force=true]}', JOB('labels: {app: warm}')],
    ['ttlSecondsAfterFinished (the finished Job is deleted, the next sync creates it)', AUTO, JOB('labels: {app: warm}', '  ttlSecondsAfterFinished: 300\n')],
    ['a manual sync', '{syncOptions: [CreateNamespace=true]}', JOB('labels: {app: warm}')],
    ['automated sync switched off', '{automated: {enabled: false}}', JOB('labels: {app: warm}')],
  ])('near miss: %s', (_, policy, job) => {
    expect(found(policy, job)).toEqual([]);
  });

  test('near miss: a CronJob (its jobTemplate may change; each run is a new Job)', () => {
    const cron = `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: warm, namespace: ml}\nspec:\n  schedule: '0 3 * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{name: c, image: busybox@sha256:${'a'.repeat(64)}}]\n`;
    expect(found(AUTO, cron)).toEqual([]);
  });
});
