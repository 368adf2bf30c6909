import { runChecks } from '../lib';

/**
 * argocd-hook-before-prerequisite on objects built together (one kustomization root, which one Application syncs): the
 * phase and wave of each hook against those of what it needs, as gitops-engine orders a sync (PreSync, Sync, PostSync;
 * waves within each; Helm's pre-install/post-install hooks mapped to PreSync/PostSync).
 */
const ROOT = 'gitops/models';

function annotated(annotations: Record<string, string>) {
  return Object.keys(annotations).length ? { annotations } : {};
}

function job(annotations: Record<string, string>, pod: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'download', namespace: 'models', ...annotated(annotations) },
    spec: {
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'c', image: `quay.io/org/tool@sha256:${'b'.repeat(64)}`, envFrom: [{ secretRef: { name: 'creds' } }] }],
          volumes: [{ name: 'm', persistentVolumeClaim: { claimName: 'weights' } }],
          ...pod,
        },
      },
    },
  };
}

const claim = (annotations: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'weights', namespace: 'models', ...annotated(annotations) },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
});
const secret = (annotations: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'creds', namespace: 'models', ...annotated(annotations) },
  stringData: { AWS_ACCESS_KEY_ID: 'from-vault' },
});
const namespace = (annotations: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'models', ...annotated(annotations) },
});

/** The kinds of what the rule finds the hooks need too late, for objects built in one root. */
function hooks(objects: any[]): string[] {
  return runChecks(
    objects.map((manifest) => ({ manifest, kustomizations: [ROOT] })),
    { platform: 'rhoai-3.4' },
  )
    .filter((f) => f.rule === 'argocd-hook-before-prerequisite')
    .map((f) => /(?:is created in|mounts|runs as|reads \([^)]*\)) (\w+)\//.exec(f.message)?.[1] ?? f.message);
}

describe('argocd-hook-before-prerequisite', () => {
  test('a PreSync hook needs its Namespace, claim and Secret before the Sync phase that creates them', () => {
    expect(hooks([namespace(), claim(), secret(), job({ 'argocd.argoproj.io/hook': 'PreSync' })])).toEqual(['Namespace', 'PersistentVolumeClaim', 'Secret']);
  });

  test('what is created in an earlier phase, or an earlier wave of the same phase, is there in time', () => {
    const presync = { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/sync-wave': '-2' };
    expect(hooks([namespace(presync), claim(presync), secret(presync), job({ 'argocd.argoproj.io/hook': 'PreSync' })])).toEqual([]);
    // a Sync hook in the wave of the plain resources: kind order creates the Namespace, Secret and claim first
    expect(hooks([namespace(), claim(), secret(), job({ 'argocd.argoproj.io/hook': 'Sync' })])).toEqual([]);
    // but a Sync hook in an earlier wave than the Secret runs before it
    expect(hooks([namespace(), claim(), secret({ 'argocd.argoproj.io/sync-wave': '1' }), job({ 'argocd.argoproj.io/hook': 'Sync' })])).toEqual(['Secret']);
    expect(hooks([namespace(), claim(), secret(), job({ 'argocd.argoproj.io/hook': 'PostSync' })])).toEqual([]);
  });

  test("the earliest of a hook's phases counts; Skip and SyncFail hooks never run before the sync", () => {
    expect(hooks([claim(), secret(), job({ 'argocd.argoproj.io/hook': 'PostSync,PreSync' })])).toEqual(['PersistentVolumeClaim', 'Secret']);
    expect(hooks([namespace(), claim(), secret(), job({ 'argocd.argoproj.io/hook': 'Skip' })])).toEqual([]);
    expect(hooks([namespace(), claim(), secret(), job({ 'argocd.argoproj.io/hook': 'SyncFail' })])).toEqual([]);
  });

  test("Helm's hooks as Argo CD maps them: pre-install runs as PreSync, its hook-weight is the wave; Argo CD's own annotation wins", () => {
    expect(hooks([claim(), secret(), job({ 'helm.sh/hook': 'pre-install' })])).toEqual(['PersistentVolumeClaim', 'Secret']);
    expect(
      hooks([claim({ 'helm.sh/hook': 'pre-install', 'helm.sh/hook-weight': '-5' }), secret(), job({ 'helm.sh/hook': 'pre-install,pre-upgrade' })]),
    ).toEqual(['Secret']);
    expect(hooks([claim(), secret(), job({ 'helm.sh/hook': 'post-install' })])).toEqual([]);
    expect(hooks([claim(), secret(), job({ 'argocd.argoproj.io/hook': 'Sync', 'helm.sh/hook': 'pre-install' })])).toEqual([]);
  });

  test('optional references, the default ServiceAccount and objects built elsewhere are not prerequisites here', () => {
    const optional = job(
      { 'argocd.argoproj.io/hook': 'PreSync' },
      { containers: [{ name: 'c', image: 'x', envFrom: [{ secretRef: { name: 'creds', optional: true } }] }], volumes: [], serviceAccountName: 'default' },
    );
    expect(hooks([secret(), optional])).toEqual([]);
    const account = job({ 'argocd.argoproj.io/hook': 'PreSync' }, { containers: [{ name: 'c', image: 'x' }], volumes: [], serviceAccountName: 'downloader' });
    expect(hooks([{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'downloader', namespace: 'models' } }, account])).toEqual(['ServiceAccount']);
    // OpenShift Pipelines makes `pipeline` in every namespace: it is there before the sync, whatever the build also declares
    const tekton = job({ 'argocd.argoproj.io/hook': 'PreSync' }, { containers: [{ name: 'c', image: 'x' }], volumes: [], serviceAccountName: 'pipeline' });
    expect(hooks([{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'pipeline', namespace: 'models' } }, tekton])).toEqual([]);
    // the Secret of another build is another Application's: its order is not this sync's
    const elsewhere = runChecks(
      [
        { manifest: secret(), kustomizations: ['gitops/secrets'] },
        { manifest: job({ 'argocd.argoproj.io/hook': 'PreSync' }, { volumes: [] }), kustomizations: [ROOT] },
      ],
      { platform: 'rhoai-3.4' },
    ).filter((f) => f.rule === 'argocd-hook-before-prerequisite');
    expect(elsewhere).toEqual([]);
  });
});
