import { runChecks } from '../../lib';
import { readManifests } from '../../lib/manifests/read-manifests';
import { writeTree } from '../util';

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

describe('argocd-hook-before-prerequisite: a namespace the OpenShift AI operator creates itself', () => {
  const APPS = 'redhat-ods-applications';
  const wave = (w: number, hook?: string) => ({ ...(hook ? { 'argocd.argoproj.io/hook': hook } : {}), 'argocd.argoproj.io/sync-wave': String(w) });
  const waitJob = (namespace: string, annotations: Record<string, string>) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'wait-for-operator', namespace, annotations },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } },
  });
  const ns = (name: string, annotations: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, annotations } });
  const subscription = (annotations: Record<string, string>) => ({
    apiVersion: 'operators.coreos.com/v1alpha1',
    kind: 'Subscription',
    metadata: { name: 'rhods-operator', namespace: 'redhat-ods-operator', annotations },
    spec: { name: 'rhods-operator', channel: 'stable-2.22', source: 'redhat-operators', sourceNamespace: 'openshift-marketplace' },
  });
  function found(objects: any[], platform: 'rhoai-2' | 'kserve' = 'rhoai-2', root = ROOT) {
    return runChecks(
      objects.map((manifest) => ({ manifest, kustomizations: [root] })),
      { platform },
    )
      .filter((f) => f.rule === 'argocd-hook-before-prerequisite')
      .map((f) => ({ severity: f.severity, message: f.message }));
  }

  test('a Sync hook after the Subscription, before the Namespace object: a warning that names the operator and the retry', () => {
    const [f, ...rest] = found([subscription(wave(5)), waitJob(APPS, wave(8, 'Sync')), ns(APPS, wave(10))]);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('warning');
    expect(f.message).toContain(
      'the operator Subscription/redhat-ods-operator/rhods-operator installs (the Sync phase, wave 5) creates Namespace redhat-ods-applications itself',
    );
    expect(f.message).toContain('which the input does not hold');
  });

  test('the operator installed outside the sync (an instance-only build) on an OpenShift AI platform: a warning; on upstream KServe: an error', () => {
    expect(found([waitJob(APPS, wave(8, 'Sync')), ns(APPS, wave(10))]).map((f) => f.severity)).toEqual(['warning']);
    expect(found([waitJob(APPS, wave(8, 'Sync')), ns(APPS, wave(10))], 'kserve').map((f) => f.severity)).toEqual(['error']);
  });

  test('a PreSync hook before the Sync-phase Subscription, or a hook in the wave of the Subscription: the operator is not there yet, an error', () => {
    expect(found([subscription(wave(0)), waitJob(APPS, wave(10, 'PreSync')), ns(APPS, wave(0))]).map((f) => f.severity)).toEqual(['error']);
    expect(found([subscription(wave(5)), waitJob(APPS, wave(5, 'Sync')), ns(APPS, wave(10))]).map((f) => f.severity)).toEqual(['error']);
  });

  test("the operator's namespaces are its DSCInitialization's: another namespace it does not create stays an error", () => {
    const dsci = {
      apiVersion: 'dscinitialization.opendatahub.io/v1',
      kind: 'DSCInitialization',
      metadata: { name: 'default-dsci' },
      spec: { applicationsNamespace: 'ai-apps', monitoring: { managementState: 'Managed', namespace: 'ai-monitoring' } },
    };
    expect(found([dsci, subscription(wave(5)), waitJob('ai-apps', wave(8, 'Sync')), ns('ai-apps', wave(10))]).map((f) => f.severity)).toEqual(['warning']);
    expect(found([dsci, subscription(wave(5)), waitJob('ai-monitoring', wave(8, 'Sync')), ns('ai-monitoring', wave(10))]).map((f) => f.severity)).toEqual([
      'warning',
    ]);
    expect(found([subscription(wave(5)), waitJob('redhat-ods-operator', wave(8, 'Sync')), ns('redhat-ods-operator', wave(10))]).map((f) => f.severity)).toEqual(
      ['error'],
    );
  });

  test('whether the Application retries is said: syncPolicy.retry with a limit converges, none stays failed', () => {
    const app = (syncPolicy: Record<string, unknown>) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'rhoai', namespace: 'openshift-gitops' },
      spec: {
        project: 'default',
        source: { repoURL: 'https://github.com/example-org/gitops.git', targetRevision: 'main', path: 'rhoai' },
        destination: { server: 'https://kubernetes.default.svc' },
        syncPolicy,
      },
    });
    const delivered = (policy: Record<string, unknown>) =>
      runChecks(
        [
          { manifest: app(policy), file: 'apps/rhoai.yaml' },
          ...[subscription(wave(5)), waitJob(APPS, wave(8, 'Sync')), ns(APPS, wave(10))].map((manifest) => ({ manifest, kustomizations: ['rhoai'] })),
        ],
        { platform: 'rhoai-2', folders: ['rhoai'] },
      ).filter((f) => f.rule === 'argocd-hook-before-prerequisite');
    const retried = delivered({ automated: {}, retry: { limit: 5 } });
    expect(retried.map((f) => f.severity)).toEqual(['warning']);
    expect(retried[0].message).toContain('the Application retries (syncPolicy.retry), so a later attempt converges');
    expect(delivered({ automated: {} })[0]?.message).toContain('the Application does not retry');
  });

  test('a root that builds a base alike to an earlier root still holds its objects: the Namespace the reader kept once counts for both', () => {
    const shared = { manifest: ns('redhat-ods-operator', {}), kustomizations: ['overlays/a'], alsoBuiltBy: ['overlays/b'] };
    const hook = { manifest: waitJob('redhat-ods-operator', { 'argocd.argoproj.io/hook': 'PreSync' }), kustomizations: ['overlays/b'] };
    const findings = runChecks([shared, hook], { platform: 'rhoai-2' }).filter((f) => f.rule === 'argocd-hook-before-prerequisite');
    expect(findings.map((f) => [f.severity, f.object])).toEqual([['error', 'Job/redhat-ods-operator/wait-for-operator']]);
    expect(
      runChecks([{ ...shared, alsoBuiltBy: undefined }, hook], { platform: 'rhoai-2' }).filter((f) => f.rule === 'argocd-hook-before-prerequisite'),
    ).toEqual([]);
  });
});

describe('argocd-hook-before-prerequisite on two roots that build one base alike', () => {
  test("the second root still creates the base Namespace in its Sync phase: its own PreSync hook is judged as the first root's", () => {
    const hook =
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: fix-scale\n  namespace: operator-ns\n  annotations: {argocd.argoproj.io/hook: PreSync}\n';
    const dir = writeTree('hook-roots-', {
      'base/kustomization.yaml': 'resources:\n  - namespace.yaml\n',
      'base/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: operator-ns}\n',
      'first/kustomization.yaml': 'resources:\n  - ../base\n',
      'second/kustomization.yaml': 'resources:\n  - ../base\n  - hook.yaml\n',
      'second/hook.yaml': hook,
    });
    const read = readManifests([dir]);
    const findings = runChecks(read.manifests, { platform: 'rhoai-2' }).filter((f) => f.rule === 'argocd-hook-before-prerequisite');
    expect(findings.map((f) => [f.severity, f.object])).toEqual([['error', 'ServiceAccount/operator-ns/fix-scale']]);
    expect(read.manifests.filter((m) => (m.manifest as any).kind === 'Namespace').map((m) => m.alsoBuiltBy?.length)).toEqual([1]);
  });
});
