import { writeTree } from '../setup/kustomize-build';
import { cliInProcess } from '../util';

/**
 * Argo CD gives every namespaced object without a namespace the Application's destination namespace before it applies
 * it (gitops-engine pkg/sync/sync_context.go), a kustomize source's too unless its kustomization set one; references
 * are resolved in that namespace. A namespace nothing creates fails the first sync (argocd-namespace-not-created).
 */

const app = (name: string, path: string, namespace: string, extra = '') =>
  `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: openshift-gitops\nspec:\n  project: default\n` +
  `  source:\n    repoURL: https://github.com/example-org/ml-gitops.git\n    targetRevision: main\n    path: ${path}\n` +
  `  destination:\n    server: https://kubernetes.default.svc\n    namespace: ${namespace}\n${extra}`;
const runtime = (namespace?: string) =>
  `apiVersion: serving.kserve.io/v1alpha1\nkind: ServingRuntime\nmetadata:\n  name: tf-runtime\n${namespace ? `  namespace: ${namespace}\n` : ''}` +
  `spec:\n  supportedModelFormats: [{name: tensorflow, autoSelect: true}]\n  containers:\n    - name: kserve-container\n      image: docker.io/tensorflow/serving:2.14.1\n`;
const SERVICE =
  'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: sentiment\n  namespace: team-a\nspec:\n  predictor:\n    model:\n      modelFormat: {name: tensorflow}\n      runtime: tf-runtime\n      storageUri: s3://models/sentiment/\n';
const namespace = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;

async function findings(files: Record<string, string>, rule: string): Promise<{ severity: string; object: string; message: string }[]> {
  const r = await cliInProcess(['check', writeTree(files, 'argocd-dest-ns-'), '--platform', 'rhoai-3.0', '--json']);
  return (JSON.parse(r.out).findings as { rule: string; severity: string; object: string; message: string }[]).filter((f) => f.rule === rule);
}

/** Runtimes in one Application's folder, the service in another's (team-a, with its Namespace). */
const serving = (runtimeDestination: string, runtimeFiles: Record<string, string> = { 'gitops/runtimes/runtime.yaml': runtime() }) => ({
  'apps/runtimes.yaml': app('runtimes', 'gitops/runtimes', runtimeDestination, '  syncPolicy:\n    syncOptions: [CreateNamespace=true]\n'),
  'apps/services.yaml': app('services', 'gitops/services', 'team-a'),
  'gitops/services/namespace.yaml': namespace('team-a'),
  'gitops/services/service.yaml': SERVICE,
  ...runtimeFiles,
});

describe('namespace-less objects take the destination namespace of the Application that syncs them', () => {
  test('a runtime synced into team-b is not found by a service in team-a', async () => {
    expect(await findings(serving('team-b'), 'runtime-not-found')).toEqual([
      expect.objectContaining({
        severity: 'error',
        object: 'InferenceService/team-a/sentiment',
        message: expect.stringMatching(/no ServingRuntime of that name in namespace 'team-a' \(there is one in (namespace )?'team-b'/),
      }),
    ]);
  });

  test('synced into team-a, it is found', async () => {
    expect(await findings(serving('team-a'), 'runtime-not-found')).toEqual([]);
  });

  test("a kustomize source's namespace wins over the destination", async () => {
    const files = serving('team-b', {
      'gitops/runtimes/kustomization.yaml': 'namespace: team-a\nresources: [runtime.yaml]\n',
      'gitops/runtimes/runtime.yaml': runtime(),
    });
    expect(await findings(files, 'runtime-not-found')).toEqual([]);
    const without = serving('team-b', { 'gitops/runtimes/kustomization.yaml': 'resources: [runtime.yaml]\n', 'gitops/runtimes/runtime.yaml': runtime() });
    expect(await findings(without, 'runtime-not-found')).toEqual([expect.objectContaining({ severity: 'error' })]);
  });

  test('a folder two Applications sync into different namespaces keeps no single namespace (matched anywhere, as before)', async () => {
    const files = { ...serving('team-b'), 'apps/runtimes-a.yaml': app('runtimes-a', 'gitops/runtimes', 'team-a') };
    expect(await findings(files, 'runtime-not-found')).toEqual([]);
  });

  test('a namespace-less copy and a namespaced copy of one Service in a directory source are one object there: duplicate-object', async () => {
    const svc = (ns: string, port: number) =>
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: chat-ui\n${ns}spec:\n  selector: {app: chat-ui}\n  ports: [{port: ${port}}]\n`;
    const files = (destination: string) => ({
      'apps/chat.yaml': app('chat', 'chat', destination, '  syncPolicy:\n    syncOptions: [CreateNamespace=true]\n'),
      'chat/deploy.yaml': svc('', 8080),
      'chat/network.yaml': svc('  namespace: chat\n', 80),
    });
    expect(await findings(files('chat'), 'duplicate-object')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(/^is declared twice \(also at .*chat\/deploy\.yaml:1\) in what Application\/openshift-gitops\/chat syncs/),
      }),
    ]);
    expect(await findings(files('chat-staging'), 'duplicate-object')).toEqual([]);
  });
});

describe('argocd-namespace-not-created', () => {
  test('CreateNamespace=true creates the destination namespace; a platform namespace exists', async () => {
    expect(await findings(serving('team-b'), 'argocd-namespace-not-created')).toEqual([]);
    const files = { ...serving('team-a'), 'apps/runtimes.yaml': app('runtimes', 'gitops/runtimes', 'redhat-ods-applications') };
    expect(await findings(files, 'argocd-namespace-not-created')).toEqual([]);
  });

  test("Argo CD's own namespace exists where it runs: argocd, the syncing Application's namespace, an ArgoCD instance's", async () => {
    const child = (ns: string) =>
      `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: child\n  namespace: ${ns}\nspec:\n  project: default\n` +
      '  source:\n    repoURL: https://github.com/example-org/ml-gitops.git\n    path: gitops/services\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: team-a\n';
    const tree = (ns: string, extra: Record<string, string> = {}) => ({
      ...serving('team-a'),
      'apps/root.yaml': app('root', 'gitops/apps', 'team-a'),
      'gitops/apps/child.yaml': child(ns),
      'gitops/apps/namespace.yaml': namespace('team-apps'),
      ...extra,
    });
    // upstream Argo CD's namespace, and the namespace the root Application itself is reconciled in
    expect(await findings(tree('argocd'), 'argocd-namespace-not-created')).toEqual([]);
    expect(await findings(tree('openshift-gitops'), 'argocd-namespace-not-created')).toEqual([]);
    const instance = 'apiVersion: argoproj.io/v1beta1\nkind: ArgoCD\nmetadata:\n  name: gitops\n  namespace: team-gitops\nspec: {}\n';
    expect(await findings(tree('team-gitops', { 'bootstrap/argocd.yaml': instance }), 'argocd-namespace-not-created')).toEqual([]);
    // near miss: a child Application placed in a namespace where no Argo CD runs is judged as any object
    expect((await findings(tree('team-gitops'), 'argocd-namespace-not-created')).map((f) => f.message.split(',')[0])).toEqual([
      "syncs Application/team-gitops/child into namespace 'team-gitops'",
    ]);
  });

  test('without it, an error where the Application syncs a Namespace itself, just not this one, naming the object and the fix', async () => {
    const files = {
      ...serving('team-a'),
      'apps/runtimes.yaml': app('runtimes', 'gitops/runtimes', 'team-b'),
      'gitops/runtimes/namespace.yaml': namespace('team-runtimes'),
    };
    expect(await findings(files, 'argocd-namespace-not-created')).toEqual([
      expect.objectContaining({
        severity: 'error',
        object: 'Application/openshift-gitops/runtimes',
        message: expect.stringMatching(
          /^syncs ServingRuntime\/tf-runtime into namespace 'team-b' \(the destination namespace, which it gives namespace-less objects\), which nothing creates: .*namespaces "team-b" not found.*set CreateNamespace=true/,
        ),
      }),
    ]);
  });

  test('a warning where only another Application syncs a Namespace (this one may be a project made on the cluster)', async () => {
    const files = { ...serving('team-a'), 'apps/runtimes.yaml': app('runtimes', 'gitops/runtimes', 'team-b') };
    expect(await findings(files, 'argocd-namespace-not-created')).toEqual([
      expect.objectContaining({ severity: 'warning', object: 'Application/openshift-gitops/runtimes' }),
    ]);
  });

  test('nothing where the tree holds no Namespace at all; a warning where it holds the Namespace in a folder no Application syncs', async () => {
    const bare = {
      'apps/runtimes.yaml': app('runtimes', 'gitops/runtimes', 'team-b'),
      'gitops/runtimes/runtime.yaml': runtime(),
    };
    // no Namespace anywhere: the tree leaves namespaces to others (dashboard projects), nothing is said
    expect(await findings(bare, 'argocd-namespace-not-created')).toEqual([]);
    const byHand = { ...bare, 'bootstrap/namespace.yaml': namespace('team-b') };
    expect(await findings(byHand, 'argocd-namespace-not-created')).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/the one at .*bootstrap\/namespace\.yaml:1 is synced by none/) }),
    ]);
  });

  test('an object with its own namespace that nothing creates is said too; an Application with a chart source is not judged', async () => {
    const files = {
      'apps/runtimes.yaml': app('runtimes', 'gitops/runtimes', 'team-a', '  syncPolicy:\n    syncOptions: [CreateNamespace=true]\n'),
      'gitops/runtimes/runtime.yaml': runtime('team-c'),
      'gitops/runtimes/namespace.yaml': namespace('team-a'),
    };
    // a namespace the object names itself may be an operator's or another team's: a warning, even though this
    // Application makes its own destination namespace
    expect(await findings(files, 'argocd-namespace-not-created')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(/^syncs ServingRuntime\/team-c\/tf-runtime into namespace 'team-c', which nothing creates/),
      }),
    ]);
    // the model registry's namespace is the OpenShift AI operator's
    expect(await findings({ ...files, 'gitops/runtimes/runtime.yaml': runtime('rhoai-model-registries') }, 'argocd-namespace-not-created')).toEqual([]);
    const chart = {
      ...files,
      'apps/runtimes.yaml': app('runtimes', 'gitops/runtimes', 'team-a').replace(
        '  destination:',
        '  sources:\n    - repoURL: https://charts.example.com\n      chart: namespaces\n      targetRevision: 1.0.0\n    - repoURL: https://github.com/example-org/ml-gitops.git\n      path: gitops/runtimes\n  destination:',
      ),
    };
    expect(await findings(chart, 'argocd-namespace-not-created')).toEqual([]);
  });

  test('an Application with CreateNamespace=true creates its destination namespace whatever its source (a remote chart)', async () => {
    const files = {
      'apps/proxies.yaml': app('proxies', 'gitops/proxies', 'team-a'),
      'gitops/proxies/runtime.yaml': runtime('tracking'),
      'gitops/proxies/namespace.yaml': namespace('team-a'),
      // gitops-engine creates spec.destination.namespace before it applies the chart's objects
      'apps/tracking.yaml':
        'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: tracking\n  namespace: openshift-gitops\nspec:\n  project: default\n' +
        '  source:\n    repoURL: https://community-charts.github.io/helm-charts\n    chart: mlflow\n    targetRevision: 0.7.19\n' +
        '  destination:\n    server: https://kubernetes.default.svc\n    namespace: tracking\n  syncPolicy:\n    syncOptions: [CreateNamespace=true]\n',
    };
    expect(await findings(files, 'argocd-namespace-not-created')).toEqual([]);
    // near miss: the same chart Application without the option creates nothing
    const without = { ...files, 'apps/tracking.yaml': files['apps/tracking.yaml'].replace('  syncPolicy:\n    syncOptions: [CreateNamespace=true]\n', '') };
    expect(await findings(without, 'argocd-namespace-not-created')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(/^syncs ServingRuntime\/tracking\/tf-runtime into namespace 'tracking', which nothing creates/),
      }),
    ]);
  });

  test('a source the input does not show, into a destination nothing creates: a warning (the source may hold the Namespace)', async () => {
    const remote = (extra = '', namespace = 'rag') => ({
      'apps/rag.yaml':
        'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: rag\n  namespace: openshift-gitops\nspec:\n  project: default\n' +
        '  source:\n    repoURL: https://github.com/example-org/rag-app.git\n    targetRevision: main\n    path: deploy/helm/rag\n' +
        `  destination:\n    server: https://kubernetes.default.svc\n    namespace: ${namespace}\n${extra}`,
    });
    expect(await findings(remote(), 'argocd-namespace-not-created')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        object: 'Application/openshift-gitops/rag',
        message: expect.stringMatching(
          /^syncs a source the input does not show into destination namespace 'rag', which nothing of the input creates .*namespaces "rag" not found.*CreateNamespace=true/,
        ),
      }),
    ]);
    // near misses: the option set, a Namespace of the tree, a platform namespace, Argo CD's own
    expect(await findings(remote('  syncPolicy:\n    syncOptions: [CreateNamespace=true]\n'), 'argocd-namespace-not-created')).toEqual([]);
    expect(await findings({ ...remote(), 'gitops/ns/namespace.yaml': namespace('rag') }, 'argocd-namespace-not-created')).toEqual([]);
    expect(await findings(remote('', 'redhat-ods-applications'), 'argocd-namespace-not-created')).toEqual([]);
    expect(await findings(remote('', 'openshift-gitops'), 'argocd-namespace-not-created')).toEqual([]);
  });

  test('a namespace nothing creates is said once, naming the other Applications (environment folders of one tree)', async () => {
    const env = (e: string) => ({
      [`apps/${e}/proxies.yaml`]: app('proxies', `gitops/${e}/proxies`, 'team-a'),
      [`gitops/${e}/proxies/runtime.yaml`]: runtime('tracking'),
      [`gitops/${e}/proxies/namespace.yaml`]: namespace('team-a'),
    });
    const result = await findings({ ...env('aws'), ...env('gcp'), ...env('local') }, 'argocd-namespace-not-created');
    expect(result).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(
          /into namespace 'tracking', which nothing creates: .*; 2 more Applications sync into it: Application\/openshift-gitops\/proxies at .*apps\/gcp\/proxies\.yaml:1, Application\/openshift-gitops\/proxies at .*apps\/local\/proxies\.yaml:1$/,
        ),
      }),
    ]);
  });
});

describe('argocd-namespace-not-created: a source of the input that selects nothing is seen, not hidden', () => {
  test("a directory source that does not recurse into its subfolders is named as the input's own", async () => {
    const dir = writeTree(
      {
        'argocd/app.yaml': [
          'apiVersion: argoproj.io/v1alpha1',
          'kind: Application',
          'metadata: {name: demo, namespace: argocd}',
          'spec:',
          '  project: default',
          '  source: {repoURL: https://github.com/acme-llm/gpu-demo, targetRevision: HEAD, path: k8s}',
          '  destination: {server: https://kubernetes.default.svc, namespace: gpu-demo}',
          '',
        ].join('\n'),
        'k8s/serving/pod.yaml':
          'apiVersion: v1\nkind: Pod\nmetadata: {name: server}\nspec:\n  containers: [{name: app, image: quay.io/acme/app@sha256:' + 'b'.repeat(64) + '}]\n',
      },
      'unrecursed-source-',
    );
    const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
    const found = (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings.filter(
      (f) => f.rule === 'argocd-namespace-not-created',
    );
    expect(found.map((f) => [f.severity, f.message.split(', which')[0]])).toEqual([
      ['warning', "syncs a folder of the input whose objects its source settings leave out into destination namespace 'gpu-demo'"],
    ]);
  });
});
