import { cliInProcess, writeTree } from '../util';

// a Helm release whose chart is not in the input (a Flux HelmRelease of an OCIRepository or HelmRepository, an Argo CD
// Application's chart source, a kustomize helmCharts entry of a repository) is said, naming the release and the chart
const OCI_SOURCE =
  'apiVersion: source.toolkit.fluxcd.io/v1beta2\nkind: OCIRepository\nmetadata: {name: app-template, namespace: llm}\n' +
  'spec:\n  interval: 1h\n  url: oci://registry.example.org/charts/app-template\n  ref: {tag: 3.5.1}\n';
const OCI_RELEASE =
  'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: api, namespace: llm}\n' +
  'spec:\n  interval: 1h\n  chartRef: {kind: OCIRepository, name: app-template}\n  values:\n    controllers: {api: {containers: {app: {image: {repository: registry.example.org/api, tag: 1.0.0}}}}}\n';
const REPO_RELEASE =
  'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cache, namespace: flux-system}\n' +
  'spec:\n  interval: 1h\n  targetNamespace: llm\n  chart:\n    spec:\n      chart: keyvalue\n      version: 18.0.0\n' +
  '      sourceRef: {kind: HelmRepository, name: stable}\n';
const ARGO_APP =
  'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: gateway, namespace: argocd}\n' +
  'spec:\n  project: default\n  source: {repoURL: "https://charts.example.org", chart: llm-gateway, targetRevision: 1.2.3, helm: {releaseName: gw}}\n' +
  '  destination: {server: "https://kubernetes.default.svc", namespace: llm}\n  syncPolicy: {syncOptions: [CreateNamespace=true]}\n';

const run = async (files: Record<string, string>) => {
  const r = await cliInProcess(['check', writeTree('unfetched-charts-', files), '--platform', 'kserve', '--json']);
  const findings = JSON.parse(r.out).findings as { rule: string; severity: string; object: string; message: string }[];
  return { code: r.code, notes: findings.filter((f) => f.rule === 'input-not-followed').map((f) => [f.severity, f.message]) };
};

describe('input-not-followed: Helm releases whose chart is not in the input', () => {
  test('a tree of Flux HelmReleases of an OCI artifact and a Helm repository: a note for each, naming release, namespace and source', async () => {
    const { code, notes } = await run({ 'apps/source.yaml': OCI_SOURCE, 'apps/api.yaml': OCI_RELEASE, 'apps/cache.yaml': REPO_RELEASE });
    expect(code).toBe(0);
    expect(notes).toEqual([
      [
        'info',
        "HelmRelease/llm/api installs the chart of OCIRepository llm/app-template (oci://registry.example.org/charts/app-template, tag 3.5.1) as release 'api' into namespace 'llm', a Helm chart not rendered: the chart is not in the input and check fetches no remote chart, so the objects the release makes are not checked (helm template the chart with the release's values and check the output to judge them)",
      ],
      [
        'info',
        "HelmRelease/flux-system/cache installs chart keyvalue 18.0.0 from HelmRepository flux-system/stable (not in the input) as release 'llm-cache' into namespace 'llm', a Helm chart not rendered: the chart is not in the input and check fetches no remote chart, so the objects the release makes are not checked (helm template the chart with the release's values and check the output to judge them)",
      ],
    ]);
  });

  test("an Argo CD Application's chart source from a chart repository: a note naming the chart, its version and the release", async () => {
    const { notes } = await run({ 'app.yaml': ARGO_APP });
    expect(notes).toEqual([
      [
        'info',
        "Application/argocd/gateway installs chart llm-gateway 1.2.3 from https://charts.example.org as release 'gw' into namespace 'llm', a Helm chart not rendered: the chart is not in the input and check fetches no remote chart, so the objects the release makes are not checked (helm template the chart with the release's values and check the output to judge them)",
      ],
    ]);
  });

  test('the table output of such a tree never says "No findings"', async () => {
    const r = await cliInProcess(['check', writeTree('unfetched-charts-', { 'api.yaml': OCI_RELEASE, 'source.yaml': OCI_SOURCE }), '--platform', 'kserve']);
    expect(r.out).not.toMatch(/No findings/);
    expect(r.out).toMatch(/input-not-followed/);
  });

  test('near miss: a HelmRelease whose chart is a folder of the input (a GitRepository path) is rendered, not noted', async () => {
    const chart = {
      'charts/api/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 0.1.0\n',
      'charts/api/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: api-settings}\ndata: {mode: "on"}\n',
      'flux/repo.yaml':
        'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: platform, namespace: llm}\nspec: {interval: 1h, url: "https://git.example.org/platform.git"}\n',
      'flux/release.yaml':
        'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: api, namespace: llm}\n' +
        'spec:\n  interval: 1h\n  chart: {spec: {chart: ./charts/api, sourceRef: {kind: GitRepository, name: platform}}}\n',
    };
    const { notes } = await run(chart);
    expect(notes.filter(([, m]) => m.includes('a Helm chart not rendered'))).toEqual([]);
  });
});
