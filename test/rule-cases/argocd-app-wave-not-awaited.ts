import { Found, treeRuleFound } from '../util';

// gitops-engine pkg/health/health.go: no built-in health for argoproj.io/Application (health_test.go TestApplication),
// so pkg/sync/sync_context.go Sync counts a child Application's task done as soon as it is applied, and the parent's
// next wave starts at once; argocd-cm's resource.customizations.health.argoproj.io_Application restores a health.
const REPO = 'https://git.example.com/platform/fleet.git';
const RULE = 'argocd-app-wave-not-awaited';

/** A child Application: its wave, its source (YAML flow) and its syncPolicy entries (YAML flow). */
const child = (name: string, wave: string | undefined, source: string, policy = 'automated: {prune: true}') => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd${wave === undefined ? '' : `\n  annotations: {argocd.argoproj.io/sync-wave: "${wave}"}`}
spec:
  project: default
  source: {${source}}
  destination: {server: https://kubernetes.default.svc, namespace: ${name}}
  syncPolicy: {${policy}}
`;
const path = (p: string) => `repoURL: ${REPO}, targetRevision: main, path: ${p}`;
const ROOT = child('fleet-root', undefined, path('apps'));
const KUEUE_CHART = 'repoURL: registry.k8s.io/kueue/charts, chart: kueue, targetRevision: 0.13.4';
const SKIP = 'automated: {prune: true}, syncOptions: [SkipDryRunOnMissingResource=true]';
const QUEUE = `apiVersion: kueue.x-k8s.io/v1beta1
kind: ClusterQueue
metadata: {name: team-a}
spec:
  namespaceSelector: {}
  resourceGroups: [{coveredResources: [nvidia.com/gpu], flavors: [{name: h100, resources: [{name: nvidia.com/gpu, nominalQuota: 8}]}]}]
`;
/** argocd-cm with the data entries given (YAML block lines, indented by two). */
const argocdCm = (data: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-cm, namespace: argocd}
data:
  timeout.reconciliation: 180s
${data}`;
const HEALTH_LUA = `hs = {}
hs.status = "Progressing"
if obj.status ~= nil and obj.status.health ~= nil then
  hs.status = obj.status.health.status
end
return hs
`;
const indent = (s: string, n: number) =>
  s
    .split('\n')
    .map((l) => (l ? ' '.repeat(n) + l : l))
    .join('\n');

/** The app-of-apps: the kueue chart at wave 0, the quotas at wave 1 with the policy given, and more files. */
const tree = (policy: string, more: Record<string, string> = {}, quotasWave = '1') => ({
  'root.yaml': ROOT,
  'apps/kueue.yaml': child('kueue', '0', KUEUE_CHART),
  'apps/quotas.yaml': child('quotas', quotasWave, path('quotas'), policy),
  'quotas/cluster-queue.yaml': QUEUE,
  ...more,
});
const found = (files: Record<string, string>, rule = RULE): Promise<Found[]> => treeRuleFound(rule, 'app-wave-', files, ['--platform', 'rhoai-3.0']);

const LEAD =
  'is in sync-wave 1 of Application/argocd/fleet-root, after Application/argocd/kueue (wave 0) whose own sync installs kueue.x-k8s.io/ClusterQueue ' +
  '(chart kueue, which installs Kueue and its CRDs); but Argo CD has no health check of its own for an Application (none since 1.8) and ';
const FIX =
  'give Applications the documented health check (argocd-cm resource.customizations.health.argoproj.io_Application; ' +
  "an ArgoCD resource's spec.resourceHealthChecks; the argo-cd chart's configs.cm), " +
  'or let this Application converge alone: SkipDryRunOnMissingResource=true in syncPolicy.syncOptions and a syncPolicy.retry (limit -1)';
const APPLY_FAILS =
  'so its sync skips the dry run (SkipDryRunOnMissingResource=true) but applies ClusterQueue/team-a before the kind is served, which fails ("no matches for kind ClusterQueue"), ' +
  'and with no syncPolicy.retry Argo CD does not sync the same revision again ("Skipping auto-sync: failed previous sync attempt"); ';

describe('argocd-app-wave-not-awaited', () => {
  test('argocd-cm in the repository without the Application health check, the later child skips the dry run and does not retry: a warning on it', async () => {
    expect(await found(tree(SKIP, { 'argocd/argocd-cm.yaml': argocdCm('') }))).toEqual([
      {
        severity: 'warning',
        object: 'Application/argocd/quotas',
        message:
          LEAD +
          'the Argo CD configuration the repository holds (ConfigMap argocd-cm) gives Applications no health check: ' +
          "fleet-root's sync counts kueue healthy as soon as the object exists and creates this Application at once, " +
          APPLY_FAILS +
          FIX,
      },
    ]);
  });

  test('no Argo CD configuration in the repository: the health of Applications is said unknown, not asserted', async () => {
    const out = await found(tree(SKIP));
    expect(out.map((f) => f.severity)).toEqual(['warning']);
    expect(out[0].message).toContain(
      "the repository does not hold the Argo CD instance's configuration, so whether it gives Applications a health check is unknown: without one, fleet-root's sync counts kueue healthy",
    );
  });

  test('the earlier child installs the kind through an OLM Subscription, nothing retries, argocd-cm lacks the check: an error (OLM installs the CRDs minutes later)', async () => {
    const files = {
      'root.yaml': ROOT,
      'apps/gpu-operator.yaml': child('gpu-operator', '-1', path('operator')),
      'apps/gpu-config.yaml': child('gpu-config', '3', path('config'), SKIP),
      'operator/subscription.yaml': `apiVersion: operators.coreos.com/v1alpha1
kind: Subscription
metadata: {name: gpu-operator-certified, namespace: nvidia-gpu-operator}
spec: {channel: stable, name: gpu-operator-certified, source: certified-operators, sourceNamespace: openshift-marketplace}
`,
      'config/cluster-policy.yaml': `apiVersion: nvidia.com/v1
kind: ClusterPolicy
metadata: {name: gpu-cluster-policy}
spec: {driver: {enabled: true}}
`,
      'argocd/argocd-cm.yaml': argocdCm(''),
    };
    const out = await found(files);
    expect(out.map((f) => [f.severity, f.object])).toEqual([['error', 'Application/argocd/gpu-config']]);
    expect(out[0].message).toMatch(
      /^is in sync-wave 3 of Application\/argocd\/fleet-root, after Application\/argocd\/gpu-operator \(wave -1\) whose own sync installs nvidia.com\/ClusterPolicy \(Subscription\/nvidia-gpu-operator\/gpu-operator-certified\); /,
    );
    expect(out[0].message).toContain(
      "applies ClusterPolicy/gpu-cluster-policy before the kind is served (OLM installs the CRDs only once it has run the Subscription's install plan, minutes later), which fails",
    );
  });

  test('the dry run not skipped and a retry of limit 5 with the default backoff: a warning saying the retries last about 2.6 min', async () => {
    const out = await found(tree('automated: {prune: true}, retry: {limit: 5}', { 'argocd/argocd-cm.yaml': argocdCm('') }));
    expect(out.map((f) => f.severity)).toEqual(['warning']);
    expect(out[0].message).toContain(
      'so its dry run fails on ClusterQueue/team-a while the kind is not served ("the server could not find the requested resource") and nothing of it is applied; ' +
        'its syncPolicy.retry (limit 5, about 2.6 min in all) tries again, so the sync passes if the CRDs arrive in time, else it stops for this revision; ',
    );
  });

  test('a retry backoff of 10s, factor 3, at most 1m, limit 4: 10 + 30 + 60 + 60 s, said as about 2.7 min', async () => {
    const policy = 'automated: {prune: true}, retry: {limit: 4, backoff: {duration: 10s, factor: 3, maxDuration: 1m}}';
    const out = await found(tree(policy, { 'argocd/argocd-cm.yaml': argocdCm('') }));
    expect(out[0].message).toContain('(limit 4, about 2.7 min in all)');
  });

  test('an ArgoCD resource without an Application health check is the configuration the message names', async () => {
    const argocd = `apiVersion: argoproj.io/v1beta1
kind: ArgoCD
metadata: {name: openshift-gitops, namespace: openshift-gitops}
spec:
  resourceHealthChecks:
    - {group: kueue.x-k8s.io, kind: ClusterQueue, check: "return {status = 'Healthy'}"}
`;
    const out = await found(tree(SKIP, { 'argocd/argocd.yaml': argocd }));
    expect(out[0].message).toContain(
      'the Argo CD configuration the repository holds (ArgoCD/openshift-gitops/openshift-gitops) gives Applications no health check',
    );
  });

  test('near miss: argocd-cm gives the check, split key or the resource.customizations block (a wildcard kind too)', async () => {
    const split = `  resource.customizations.health.argoproj.io_Application: |\n${indent(HEALTH_LUA, 4)}`;
    const block = `  resource.customizations: |\n    argoproj.io/Application:\n      health.lua: |\n${indent(HEALTH_LUA, 8)}`;
    const wildcard = `  resource.customizations: |\n    argoproj.io/*:\n      health.lua: |\n${indent(HEALTH_LUA, 8)}`;
    for (const data of [split, block, wildcard]) expect(await found(tree(SKIP, { 'argocd/argocd-cm.yaml': argocdCm(data) }))).toEqual([]);
    // a block that customises another kind gives Applications nothing
    const other = `  resource.customizations: |\n    argoproj.io/Rollout:\n      health.lua: |\n${indent(HEALTH_LUA, 8)}`;
    expect(await found(tree(SKIP, { 'argocd/argocd-cm.yaml': argocdCm(other) }))).toHaveLength(1);
  });

  test('near miss: an ArgoCD resource gives it (resourceHealthChecks, resourceCustomizations, extraConfig)', async () => {
    const cr = (spec: string) => `apiVersion: argoproj.io/v1beta1
kind: ArgoCD
metadata: {name: openshift-gitops, namespace: openshift-gitops}
spec:
${spec}`;
    const checks = `  resourceHealthChecks:\n    - group: argoproj.io\n      kind: Application\n      check: |\n${indent(HEALTH_LUA, 8)}`;
    const customizations = `  resourceCustomizations: |\n    argoproj.io/Application:\n      health.lua: |\n${indent(HEALTH_LUA, 8)}`;
    const extra = `  extraConfig:\n    resource.customizations.health.argoproj.io_Application: |\n${indent(HEALTH_LUA, 6)}`;
    for (const spec of [checks, customizations, extra]) expect(await found(tree(SKIP, { 'argocd/argocd.yaml': cr(spec) }))).toEqual([]);
  });

  test("near miss: the argo-cd chart's values give it (configs.cm); values files the check does not read make it unknown", async () => {
    const argo = (helm: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: argo-cd, namespace: argocd}
spec:
  project: default
  source:
    repoURL: https://argoproj.github.io/argo-helm
    chart: argo-cd
    targetRevision: 7.7.0
    helm:
${helm}
  destination: {server: https://kubernetes.default.svc, namespace: argocd}
`;
    const values = `      valuesObject:\n        configs:\n          cm:\n            resource.customizations.health.argoproj.io_Application: |\n${indent(HEALTH_LUA, 14)}`;
    expect(await found(tree(SKIP, { 'bootstrap/argo-cd.yaml': argo(values) }))).toEqual([]);
    const out = await found(tree(SKIP, { 'bootstrap/argo-cd.yaml': argo('      valueFiles: [values-prod.yaml]') }));
    expect(out[0].message).toContain(
      'and the check does not read the values of Application/argocd/argo-cd (chart argo-cd), so whether they give Applications a health check is unknown: without one, ',
    );
  });

  test('near miss: a kustomize patch of argocd-cm over the published install, or a script that patches it', async () => {
    const kustomization = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: argocd
resources:
  - https://raw.githubusercontent.com/argoproj/argo-cd/v2.13.1/manifests/install.yaml
patches:
  - path: argocd-cm.yaml
`;
    const patch = argocdCm(`  resource.customizations.health.argoproj.io_Application: |\n${indent(HEALTH_LUA, 4)}`);
    expect(await found(tree(SKIP, { 'bootstrap/kustomization.yaml': kustomization, 'bootstrap/argocd-cm.yaml': patch }))).toEqual([]);
    // a patch of other settings is the configuration, without the check
    const other = await found(tree(SKIP, { 'bootstrap/kustomization.yaml': kustomization, 'bootstrap/argocd-cm.yaml': argocdCm('') }));
    expect(other[0].message).toContain('the Argo CD configuration the repository holds (ConfigMap argocd-cm) gives Applications no health check');
    const script = `#!/usr/bin/env bash
set -euo pipefail
kubectl apply -n argocd -f https://raw.githubusercontent.com/argoproj/argo-cd/v2.13.1/manifests/install.yaml
kubectl -n argocd patch configmap argocd-cm --type merge -p '{"data":{"resource.customizations.health.argoproj.io_Application":"hs = {}\\nhs.status = \\"Progressing\\"\\nreturn hs"}}'
`;
    expect(await found(tree(SKIP, { 'scripts/bootstrap.sh': script }))).toEqual([]);
    // the published install alone ships argocd-cm without it
    const bare = await found(tree(SKIP, { 'scripts/bootstrap.sh': script.split('\n').slice(0, 3).join('\n') + '\n' }));
    expect(bare[0].message).toContain(
      "the Argo CD configuration the repository holds (Argo CD's published manifests (https://raw.githubusercontent.com/argoproj/argo-cd/v2.13.1/manifests/install.yaml)) gives Applications no health check",
    );
  });

  test('near miss: the later child skips the dry run and retries, or retries without limit', async () => {
    expect(await found(tree('automated: {prune: true}, syncOptions: [SkipDryRunOnMissingResource=true], retry: {limit: 5}'))).toEqual([]);
    expect(await found(tree('automated: {prune: true}, retry: {limit: -1}'))).toEqual([]);
  });

  test('near miss: children of one wave (unordered: argocd-dry-run-missing-kind judges them), a later child that needs nothing of the earlier one, a manual sync', async () => {
    expect(await found(tree(SKIP, {}, '0'))).toEqual([]);
    const unrelated = tree(SKIP, {
      'quotas/cluster-queue.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: quotas, namespace: quotas}\ndata: {a: b}\n',
    });
    expect(await found(unrelated)).toEqual([]);
    expect(await found(tree('syncOptions: [SkipDryRunOnMissingResource=true]'))).toEqual([]);
  });

  test('near miss: a single Application that installs nothing and syncs the ClusterQueue', async () => {
    expect(await found({ 'apps/quotas.yaml': child('quotas', '1', path('quotas'), SKIP), 'quotas/cluster-queue.yaml': QUEUE })).toEqual([]);
  });

  test('neither the dry run skipped nor a retry: argocd-dry-run-missing-kind says it (an error), this rule is silent', async () => {
    const files = tree('automated: {prune: true}');
    expect(await found(files)).toEqual([]);
    expect((await found(files, 'argocd-dry-run-missing-kind')).map((f) => [f.severity, f.object])).toEqual([['error', 'Application/argocd/quotas']]);
  });

  test("argocd-wave-ignored leaves the parent to this rule's finding on the dependent child, and keeps it where no child depends on another", async () => {
    expect(await found(tree(SKIP), 'argocd-wave-ignored')).toEqual([]);
    const unrelated = tree(SKIP, {
      'quotas/cluster-queue.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: quotas, namespace: quotas}\ndata: {a: b}\n',
    });
    expect((await found(unrelated, 'argocd-wave-ignored')).map((f) => f.object)).toEqual(['Application/argocd/fleet-root']);
  });
});
