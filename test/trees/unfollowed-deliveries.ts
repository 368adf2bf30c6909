import * as path from 'path';
import { fluxWorkTree } from '../setup/flux-work-tree';
import { readManifests } from '../../lib/manifests/read-manifests';
import { cliInProcess } from '../util';

const REMOTE = 'https://git.example.com/lab/home-cluster.git';

/** The kind of a read manifest. */
const kindOf = (m: { manifest: unknown }) => (m.manifest as { kind?: string }).kind;

/** The findings of `check <folder> --json`. */
async function findings(folder: string): Promise<{ rule: string; severity: string; object?: string; message: string }[]> {
  const { out } = await cliInProcess(['check', folder, '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; object?: string; message: string }[] }).findings;
}

/**
 * A chart folder that delivers itself: a kustomization listing an Application whose source is this repository at
 * this very folder, as a Helm source with two values files (an app of apps syncs the folder as a kustomize source).
 */
const SELF_DELIVERED = {
  'apps/notes/Chart.yaml': 'apiVersion: v2\nname: notes\nversion: 0.1.0\n',
  'apps/notes/values.yaml': 'image: registry.local/notes:1.0\nreplicas: 1\nmode: __MODE__\n',
  'apps/notes/values-prod.yaml': 'replicas: 3\n',
  'apps/notes/templates/deployment.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: notes, namespace: notes}',
    'spec:',
    '  replicas: {{ .Values.replicas }}',
    '  selector: {matchLabels: {app: notes}}',
    '  template:',
    '    metadata: {labels: {app: notes}}',
    '    spec:',
    '      containers:',
    '        - name: notes',
    '          image: {{ .Values.image }}',
    '          env: [{name: MODE, value: {{ .Values.mode | quote }}}]',
    '',
  ].join('\n'),
  'apps/notes/kustomization.yaml': 'resources:\n  - application.yaml\n',
  'apps/notes/application.yaml': [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata: {name: notes, namespace: argocd}',
    'spec:',
    '  project: default',
    '  source:',
    `    repoURL: ${REMOTE}`,
    '    targetRevision: HEAD',
    '    path: apps/notes',
    '    helm:',
    '      valueFiles: [values.yaml, values-prod.yaml]',
    '  destination: {server: https://kubernetes.default.svc, namespace: notes}',
    '',
  ].join('\n'),
};

describe('a chart folder whose own kustomization lists the Application that delivers it as a Helm source', () => {
  test.each([
    ['the chart folder checked', 'apps/notes'],
    ["the repository's root checked", '.'],
  ])("%s: the chart renders with the Application's values files, once", (_what, checked) => {
    const root = fluxWorkTree(SELF_DELIVERED, REMOTE);
    const read = readManifests([path.join(root, checked)]);
    const deployments = read.manifests.filter((m) => kindOf(m) === 'Deployment');
    expect(deployments.map((m) => [(m.manifest as { spec: { replicas: number } }).spec.replicas, m.helmRendering?.delivery])).toEqual([
      [3, 'Application/argocd/notes'],
    ]);
    expect(read.manifests.filter((m) => kindOf(m) === 'Application').length).toBe(1);
  });

  test('check <chart folder>: the rendered objects are checked (no green on nothing), not with the defaults alone', async () => {
    const root = fluxWorkTree(SELF_DELIVERED, REMOTE);
    const found = await findings(path.join(root, 'apps/notes'));
    expect(found.filter((f) => f.rule === 'unrendered-placeholder').map((f) => [f.object, f.message])).toEqual([
      ['Deployment/notes/notes', expect.stringMatching(/^container 'notes' env MODE holds '__MODE__': a CI pipeline's token/)],
    ]);
    expect(found.some((f) => f.message.includes("rendered with the chart's default values"))).toBe(false);
  });

  test("near miss: a chart folder whose kustomization lists what a plugin renders (a file not there): not built, the chart's warning stands", () => {
    const root = fluxWorkTree(
      { ...SELF_DELIVERED, 'apps/notes/kustomization.yaml': 'resources:\n  - rendered.yaml\n', 'apps/notes/application.yaml': '' },
      REMOTE,
    );
    const read = readManifests([path.join(root, '.')]);
    expect(read.manifests.filter((m) => kindOf(m) === 'Application')).toEqual([]);
    expect(read.charts).toEqual([path.join(root, 'apps/notes')]);
  });
});

/**
 * Each kind of delivery check knows, left unfollowed: the checked folder `deploy/` of a clone holds it, and what it
 * delivers is outside what check reads. Each must leave an input-not-followed note naming it, else its objects go
 * unchecked without a word.
 */
const UNFOLLOWED: [string, string, RegExp][] = [
  [
    'an Argo CD Application syncing a folder of this repository outside the checked folder',
    `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web, namespace: argocd}
spec:
  project: default
  source: {repoURL: '${REMOTE}', targetRevision: HEAD, path: apps/web}
  destination: {server: 'https://kubernetes.default.svc', namespace: web}
`,
    /^Application\/argocd\/web syncs the folder apps\/web of this repository, which lies outside the checked folder: what it deploys is not read, so not checked/,
  ],
  [
    'an Application an ApplicationSet makes, syncing such a folder',
    `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: per-cluster, namespace: argocd}
spec:
  generators: [{clusters: {}}]
  template:
    metadata: {name: '{{name}}-web'}
    spec:
      project: default
      source: {repoURL: '${REMOTE}', targetRevision: HEAD, path: apps/web}
      destination: {server: '{{server}}', namespace: web}
`,
    /\(made by ApplicationSet\/argocd\/per-cluster\) syncs the folder apps\/web of this repository, which lies outside the checked folder/,
  ],
  [
    'an ApplicationSet whose generator check cannot expand',
    `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: from-scm, namespace: argocd}
spec:
  generators: [{scmProvider: {github: {organization: lab}}}]
  template:
    metadata: {name: '{{repository}}'}
    spec:
      project: default
      source: {repoURL: '{{url}}', targetRevision: HEAD, path: deploy}
      destination: {server: 'https://kubernetes.default.svc', namespace: apps}
`,
    /^ApplicationSet\/argocd\/from-scm makes Applications check does not see/,
  ],
  [
    'an Argo CD Application installing a chart from a Helm repository',
    `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: cache, namespace: argocd}
spec:
  project: default
  source: {repoURL: 'https://charts.example.com/stable', chart: cache, targetRevision: 1.2.3}
  destination: {server: 'https://kubernetes.default.svc', namespace: cache}
`,
    /^Application\/argocd\/cache installs chart cache 1\.2\.3 .* a Helm chart not rendered/,
  ],
  [
    'a Flux HelmRelease of a chart from a Helm repository',
    `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: stable, namespace: flux-system}
spec: {interval: 1h, url: 'https://charts.example.com/stable'}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: cache, namespace: cache}
spec:
  interval: 1h
  chart: {spec: {chart: cache, version: 1.2.3, sourceRef: {kind: HelmRepository, name: stable, namespace: flux-system}}}
`,
    /^HelmRelease\/cache\/cache installs chart cache 1\.2\.3 .* a Helm chart not rendered/,
  ],
  [
    'a Flux Kustomization built from an OCI artifact',
    `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: platform, namespace: flux-system}
spec:
  interval: 1h
  path: ./
  prune: true
  sourceRef: {kind: OCIRepository, name: platform}
`,
    /^Kustomization flux-system\/platform is not followed: its source is OCIRepository 'platform', an artifact check does not fetch/,
  ],
];

describe('every delivery check does not follow leaves an input-not-followed note naming it', () => {
  test.each(UNFOLLOWED)('%s', async (_what, delivery, note) => {
    const root = fluxWorkTree(
      { 'deploy/delivery.yaml': delivery, 'apps/web/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web, namespace: web}\ndata: {a: b}\n' },
      REMOTE,
    );
    const notes = (await findings(path.join(root, 'deploy'))).filter((f) => f.rule === 'input-not-followed').map((f) => f.message);
    expect(notes).toEqual(expect.arrayContaining([expect.stringMatching(note)]));
  });

  test('near miss: the same Application checked from the repository root, where its folder is read: no note', async () => {
    const root = fluxWorkTree(
      {
        'deploy/delivery.yaml': UNFOLLOWED[0][1],
        'apps/web/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web, namespace: web}\ndata: {a: b}\n',
      },
      REMOTE,
    );
    expect((await findings(root)).filter((f) => f.rule === 'input-not-followed')).toEqual([]);
  });
});
