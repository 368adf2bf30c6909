import { severityObjectMessages, treeRuleFound } from '../util';

const RULE = 'argocd-replicas-reset-autoscaler';

/** An Application syncing folder `serve` with the given syncPolicy and extra spec lines. */
const app = (syncPolicy: string, extra = '') =>
  'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: serve, namespace: argocd}\nspec:\n  project: default\n' +
  '  source: {repoURL: https://git.example.com/ml/serving.git, targetRevision: main, path: serve}\n' +
  `  destination: {server: https://kubernetes.default.svc, namespace: llm}\n  syncPolicy: ${syncPolicy}\n${extra}`;

const workload = (kind: string, replicas: string) =>
  `apiVersion: apps/v1\nkind: ${kind}\nmetadata: {name: granite, namespace: llm}\nspec:\n${replicas}  selector: {matchLabels: {app: granite}}\n` +
  '  template:\n    metadata: {labels: {app: granite}}\n    spec: {containers: [{name: vllm, image: "vllm/vllm-openai:v0.10.1"}]}\n';

/** A KEDA ScaledObject over `granite` (no kind: KEDA takes a Deployment). */
const SCALED =
  'apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: granite-queue, namespace: llm}\nspec:\n  scaleTargetRef: {name: granite}\n  minReplicaCount: 1\n  maxReplicaCount: 4\n' +
  '  triggers:\n    - type: prometheus\n      metadata: {serverAddress: "http://prometheus.monitoring:9090", query: "sum(vllm:num_requests_waiting)", threshold: "5"}\n';

const tree = (application: string, kind = 'Deployment', replicas = '  replicas: 3\n', scaler = SCALED) => ({
  'bootstrap/serve.yaml': application,
  'serve/kustomization.yaml': 'resources: [workload.yaml, scaler.yaml]\n',
  'serve/workload.yaml': workload(kind, replicas),
  'serve/scaler.yaml': scaler,
});

const found = async (files: Record<string, string>) => severityObjectMessages(await treeRuleFound(RULE, 'replicas-reset-', files, ['--platform', 'kserve']));

describe(RULE, () => {
  test('selfHeal over a Deployment with replicas that a ScaledObject scales: a warning naming both and the fix', async () => {
    expect(await found(tree(app('{automated: {selfHeal: true}}')))).toEqual([
      [
        'warning',
        'Application/argocd/serve',
        expect.stringMatching(
          /^syncs Deployment 'granite' with spec\.replicas 3, which ScaledObject 'granite-queue' scales .*selfHeal.*flap.*drop spec\.replicas from the workload, or add to the Application an ignoreDifferences entry .*RespectIgnoreDifferences=true$/,
        ),
      ],
    ]);
  });

  test('automated without selfHeal, and an HPA over a StatefulSet: reset on each sync of a new revision', async () => {
    const hpa =
      'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: granite, namespace: llm}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: granite}\n  minReplicas: 1\n  maxReplicas: 3\n';
    const out = await found(tree(app('{automated: {prune: true}}'), 'StatefulSet', '  replicas: 1\n  serviceName: granite\n', hpa));
    expect(out.map(([s, , m]) => [s, /HorizontalPodAutoscaler 'granite' scales.*every sync of a new revision/.test(m)])).toEqual([['warning', true]]);
  });

  test('near misses: no replicas in git, an ignoreDifferences entry for them, argocd-cm ignoring them, a manual sync, another workload', async () => {
    expect(await found(tree(app('{automated: {selfHeal: true}}'), 'Deployment', ''))).toEqual([]);
    const ignoring = '  ignoreDifferences:\n    - {group: apps, kind: Deployment, name: granite, jsonPointers: [/spec/replicas]}\n';
    expect(await found(tree(app('{automated: {selfHeal: true}, syncOptions: [RespectIgnoreDifferences=true]}', ignoring)))).toEqual([]);
    const cm =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: argocd-cm, namespace: argocd}\ndata:\n  resource.customizations.ignoreDifferences.apps_Deployment: |\n    jsonPointers:\n    - /spec/replicas\n';
    expect(await found({ ...tree(app('{automated: {selfHeal: true}}')), 'bootstrap/argocd-cm.yaml': cm })).toEqual([]);
    expect(await found(tree(app('{}')))).toEqual([]);
    expect(await found(tree(app('{automated: {enabled: false, selfHeal: true}}')))).toEqual([]);
    expect(
      await found(tree(app('{automated: {selfHeal: true}}'), 'Deployment', '  replicas: 3\n', SCALED.replace('name: granite}', 'name: embedder}'))),
    ).toEqual([]);
    // an entry naming another Deployment leaves this one's replicas in the diff
    const other = '  ignoreDifferences:\n    - {group: apps, kind: Deployment, name: embedder, jsonPointers: [/spec/replicas]}\n';
    expect((await found(tree(app('{automated: {selfHeal: true}}', other)))).map(([s]) => s)).toEqual(['warning']);
  });
});
