import * as YAML from 'yaml';
import { runChecks } from '../../lib';
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

  test('a release and its source that give no namespace (a Flux targetNamespace places them): the note invents none', async () => {
    const unplaced = (t: string) => t.replace(', namespace: llm}', '}');
    const { notes } = await run({ 'apps/source.yaml': unplaced(OCI_SOURCE), 'apps/api.yaml': unplaced(OCI_RELEASE) });
    expect(notes).toEqual([
      [
        'info',
        "HelmRelease/api installs the chart of OCIRepository app-template (oci://registry.example.org/charts/app-template, tag 3.5.1) as release 'api', a Helm chart not rendered: the chart is not in the input and check fetches no remote chart, so the objects the release makes are not checked (helm template the chart with the release's values and check the output to judge them)",
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

describe('input-not-followed: ApplicationSets whose generators check cannot expand offline', () => {
  /** An ApplicationSet of Go templates with the given generators (YAML lines at the list's indentation) delivering into `namespace`. */
  const appSet = (generators: string, namespace = 'shop') =>
    [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: ApplicationSet',
      'metadata: {name: shops, namespace: argocd}',
      'spec:',
      '  goTemplate: true',
      '  generators:',
      generators,
      '  template:',
      "    metadata: {name: 'shop-{{ .name }}'}",
      '    spec:',
      '      project: default',
      "      source: {repoURL: 'https://git.example.org/team/shops.git', targetRevision: main, path: 'shops/{{ .name }}'}",
      `      destination: {server: "https://kubernetes.default.svc", namespace: '${namespace}'}`,
      '',
    ].join('\n');
  const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n';
  /** A Deployment of namespace shop reading a ConfigMap the tree does not hold. */
  const WEB =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n' +
    '      containers:\n        - name: web\n          image: quay.io/acme/web:1.0\n          envFrom: [{configMapRef: {name: web-settings}}]\n';
  const SCM = '    - scmProvider:\n        github: {organization: acme-shops}';
  const findings = async (files: Record<string, string>) => {
    const r = await cliInProcess(['check', writeTree('appset-unexpanded-', files), '--platform', 'kserve', '--json']);
    return JSON.parse(r.out).findings as { rule: string; severity: string; object: string; message: string }[];
  };

  test('an SCM provider generator: one note naming the ApplicationSet and why; the ConfigMap missing from its namespace is not said as an error', async () => {
    const got = await findings({ 'argocd/shops.yaml': appSet(SCM), 'shop/ns.yaml': NAMESPACE, 'shop/web.yaml': WEB });
    expect(got.filter((f) => f.rule === 'input-not-followed').map((f) => [f.severity, f.object, f.message])).toEqual([
      [
        'info',
        'ApplicationSet/argocd/shops',
        "ApplicationSet/argocd/shops makes Applications check does not see: its scmProvider generator lists the repositories of a Git hosting service, which check cannot expand offline, so the Applications it generates into namespace 'shop', and what they deliver, are not checked (absent objects there are said as warnings at most)",
      ],
    ]);
    expect(got.filter((f) => f.rule === 'pod-reference-not-found' && f.severity === 'error')).toEqual([]);
  });

  test('a clusters generator selecting by labels, a pull request generator inside a matrix, a git generator on another repository: each said with its reason', async () => {
    const why = async (generators: string) =>
      (await findings({ 'argocd/shops.yaml': appSet(generators) }))
        .filter((f) => f.rule === 'input-not-followed')
        .map((f) => f.message.split(': ')[1].split(', which')[0]);
    expect(await why('    - clusters:\n        selector: {matchLabels: {tier: shops}}')).toEqual([
      'its clusters generator selects by labels the cluster Secrets the live Argo CD holds',
    ]);
    expect(
      await why('    - matrix:\n        generators:\n          - list: {elements: [{name: a}]}\n          - pullRequest: {github: {owner: acme, repo: shops}}'),
    ).toEqual(['its pullRequest generator lists the open pull requests of a Git hosting service']);
    expect(
      await why("    - git:\n        repoURL: 'https://git.example.org/other/catalog.git'\n        revision: main\n        directories: [{path: 'shops/*'}]"),
    ).toEqual(['its git generator reads https://git.example.org/other/catalog.git, a repository the input does not show']);
  });

  test('a run of chosen rules says the note where it names input-not-followed, and only there', () => {
    const notes = (rules: string[]) => runChecks([{ manifest: YAML.parse(appSet(SCM)) }], { platform: 'kserve', rules }).map((f) => [f.rule, f.object]);
    expect(notes(['input-not-followed'])).toEqual([['input-not-followed', 'ApplicationSet/argocd/shops']]);
    expect(notes(['pod-reference-not-found'])).toEqual([]);
  });

  test('near miss: a list generator is expanded: no note, and the missing ConfigMap stays an error', async () => {
    const got = await findings({ 'argocd/shops.yaml': appSet('    - list:\n        elements: [{name: a}]'), 'shop/ns.yaml': NAMESPACE, 'shop/web.yaml': WEB });
    expect(got.filter((f) => f.rule === 'input-not-followed')).toEqual([]);
    expect(got.filter((f) => f.rule === 'pod-reference-not-found').map((f) => f.severity)).toEqual(['error']);
  });

  test('near miss: an SCM generator delivering into another namespace leaves the absence in shop an error', async () => {
    const got = await findings({ 'argocd/shops.yaml': appSet(SCM, 'storefront'), 'shop/ns.yaml': NAMESPACE, 'shop/web.yaml': WEB });
    expect(got.filter((f) => f.rule === 'input-not-followed').map((f) => f.object)).toEqual(['ApplicationSet/argocd/shops']);
    expect(got.filter((f) => f.rule === 'pod-reference-not-found').map((f) => f.severity)).toEqual(['error']);
  });
});

describe("input-not-followed: packaging tools' configuration files (zarf.yaml, uds-bundle.yaml)", () => {
  const files = {
    'zarf.yaml': 'kind: ZarfPackageConfig\nmetadata:\n  name: lab-operator\ncomponents: []\n',
    'bundle/uds-bundle.yaml': 'kind: UDSBundle\nmetadata:\n  name: lab\n  version: 0.1.0\npackages: []\n',
  };
  test('with --allow-empty: a note for each, never unreadable-input; without it, no objects (exit 2) all the same', async () => {
    const dir = writeTree('tool-config-', files);
    const r = await cliInProcess(['check', dir, '--platform', 'kserve', '--json', '--allow-empty']);
    const findings = JSON.parse(r.out).findings as { rule: string; severity: string; message: string }[];
    expect(findings.map((f) => [f.rule, f.severity, f.message])).toEqual([
      [
        'input-not-followed',
        'info',
        "document 1 (a UDSBundle) is the uds CLI's bundle configuration (uds-bundle.yaml, read by uds create), never applied to a cluster: skipped",
      ],
      [
        'input-not-followed',
        'info',
        "document 1 (a ZarfPackageConfig) is the zarf CLI's package configuration (zarf.yaml, read by zarf package create), never applied to a cluster: skipped",
      ],
    ]);
    expect((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).code).toBe(2);
  });

  test('near miss: another kind with no apiVersion is still refused', async () => {
    const dir = writeTree('tool-config-', { 'app.yaml': 'kind: ConfigMap\nmetadata:\n  name: lab\ndata: {}\n' });
    const r = await cliInProcess(['check', dir, '--platform', 'kserve', '--json', '--allow-empty']);
    const findings = JSON.parse(r.out).findings as { rule: string; severity: string; message: string }[];
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['unreadable-input', 'error']]);
  });
});
