import { readManifests } from '../../lib/manifests/read-manifests';
import { writeTree } from '../setup/kustomize-build';
import { severityObjectMessages, treeRuleFound } from '../util';

const flux = (name: string, spec = '') =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: ${name}, namespace: flux-system}\nspec:\n  interval: 10m\n  path: ./apps/${name}\n  sourceRef: {kind: GitRepository, name: flux-system}\n${spec}`;
const ENTRY = flux('flux-system').replace('./apps/flux-system', './clusters/home/flux-system');
const kustomization = (entries: string, more = '') => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${entries}${more}`;

/** A cluster folder whose flux-system entry lists `listed` of the cluster's Kustomization files. */
function cluster(listed: string[], extra: Record<string, string> = {}, entryMore = ''): Record<string, string> {
  return {
    'clusters/home/flux-system/gotk-sync.yaml': ENTRY,
    'clusters/home/flux-system/kustomization.yaml': kustomization(['gotk-sync.yaml', ...listed].map((f) => `  - ${f}\n`).join(''), entryMore),
    'clusters/home/web.yaml': flux('web'),
    'clusters/home/db.yaml': flux('db'),
    'clusters/home/gpu.yaml': flux('gpu'),
    ...extra,
  };
}
const warned = (files: Record<string, string>) =>
  readManifests([writeTree(files, 'unlisted-')])
    .errors.filter((e) => e.kind === 'file-not-delivered')
    .map((e) => [e.severity, e.file.replace(/^.*unlisted-[^/]*\//, ''), e.message]);

describe('file-not-delivered', () => {
  test('a Kustomization file the Flux entry does not list, beside two it lists: a warning naming the kustomization and the delivery', () => {
    expect(warned(cluster(['../web.yaml', '../db.yaml']))).toEqual([
      [
        'warning',
        'clusters/home/gpu.yaml',
        expect.stringMatching(
          /^holds Kustomization gpu, beside files that .*clusters\/home\/flux-system\/kustomization.yaml lists, but that kustomization does not list it: Kustomization flux-system \(path \.\/clusters\/home\/flux-system\) builds it, and kustomize applies only what it lists/,
        ),
      ],
    ]);
  });

  test('every unlisted file is named, whatever it holds', () => {
    const out = warned(
      cluster(['../web.yaml'], { 'clusters/home/settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: flux-system}\n' }),
    );
    expect(out.map((o) => o[1]).sort()).toEqual(['clusters/home/db.yaml', 'clusters/home/gpu.yaml', 'clusters/home/settings.yaml']);
  });

  test.each<[string, Record<string, string>]>([
    ['every file listed', cluster(['../web.yaml', '../db.yaml', '../gpu.yaml'])],
    ['the file is a patch the entry names', cluster(['../web.yaml', '../db.yaml'], {}, 'patches:\n  - path: ../gpu.yaml\n')],
    ['the entry names the file in a comment (left out on purpose)', cluster(['../web.yaml', '../db.yaml'], {}, '  # - ../gpu.yaml\n')],
    ['the file holds only suspended Kustomizations', cluster(['../web.yaml', '../db.yaml'], { 'clusters/home/gpu.yaml': flux('gpu', '  suspend: true\n') })],
    [
      'no delivery builds the kustomization (no Flux Kustomization names its folder)',
      { ...cluster(['../web.yaml', '../db.yaml']), 'clusters/home/flux-system/gotk-sync.yaml': flux('flux-system') },
    ],
    [
      'the entry lists only a subfolder, whose own kustomization lists the file',
      {
        'clusters/home/flux-system/gotk-sync.yaml': ENTRY,
        'clusters/home/flux-system/kustomization.yaml': kustomization('  - gotk-sync.yaml\n  - ../apps\n'),
        'clusters/home/apps/kustomization.yaml': kustomization('  - web.yaml\n  - gpu.yaml\n'),
        'clusters/home/apps/web.yaml': flux('web'),
        'clusters/home/apps/gpu.yaml': flux('gpu'),
      },
    ],
    [
      'a script applies the file itself',
      cluster(['../web.yaml', '../db.yaml'], { 'install.sh': '#!/bin/sh\nset -e\nkubectl apply -f clusters/home/gpu.yaml\n' }),
    ],
    [
      'an Argo CD Application reads the folder as a directory source',
      cluster(['../web.yaml', '../db.yaml'], {
        'argocd/home.yaml':
          'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: home, namespace: argocd}\nspec:\n  project: default\n  source: {repoURL: https://example.com/org/home.git, path: clusters/home}\n  destination: {server: https://kubernetes.default.svc, namespace: flux-system}\n',
      }),
    ],
  ])('no warning: %s', (_, files) => {
    expect(warned(files)).toEqual([]);
  });
});

const RULE = 'file-not-delivered';

/** An Application whose path is the `serve` kustomization. */
const APP =
  'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: serve, namespace: argocd}\nspec:\n  project: default\n' +
  '  source: {repoURL: https://git.example.com/ml/serving.git, targetRevision: main, path: serve}\n' +
  '  destination: {server: https://kubernetes.default.svc, namespace: llm}\n  syncPolicy: {automated: {selfHeal: true}}\n';

const DEPLOYMENT =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: router, namespace: llm}\nspec:\n  selector: {matchLabels: {app: router}}\n' +
  '  template:\n    metadata: {labels: {app: router}}\n    spec: {containers: [{name: router, image: "ghcr.io/example/router:0.4.1"}]}\n';
const HPA =
  'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: router, namespace: llm}\nspec:\n' +
  '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: router}\n  minReplicas: 1\n  maxReplicas: 4\n';

const tree = (extra: Record<string, string>, kustomization = 'resources:\n  - deployment.yaml\n') => ({
  'apps/serve.yaml': APP,
  'serve/kustomization.yaml': kustomization,
  'serve/deployment.yaml': DEPLOYMENT,
  ...extra,
});

const found = async (files: Record<string, string>) =>
  severityObjectMessages(await treeRuleFound(RULE, 'own-folder-orphans-', files, ['--platform', 'kserve']));

describe('file-not-delivered: a manifest in the folder of a delivered kustomization that does not list it', () => {
  test('an HPA beside the Deployment the Application builds, left out of resources: a warning naming the file and the kustomization', async () => {
    expect(await found(tree({ 'serve/hpa.yaml': HPA }))).toEqual([
      [
        'warning',
        expect.stringMatching(/serve\/hpa\.yaml$/),
        expect.stringMatching(
          /^holds HorizontalPodAutoscaler router in the folder of .*serve\/kustomization\.yaml, which does not list it in resources or components: .*builds that kustomization, and kustomize applies only what it lists, so this file is never applied/,
        ),
      ],
    ]);
  });

  test('near misses: listed, named as an example, a Flux Kustomization delivering the folder, commented out, applied by a script, nothing delivering the build', async () => {
    expect(await found(tree({ 'serve/hpa.yaml': HPA }, 'resources:\n  - deployment.yaml\n  - hpa.yaml\n'))).toEqual([]);
    expect(await found(tree({ 'serve/hpa.example.yaml': HPA }))).toEqual([]);
    const ks =
      'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: serve, namespace: flux-system}\nspec:\n  interval: 10m\n  path: ./serve\n  prune: true\n  sourceRef: {kind: GitRepository, name: flux-system}\n';
    expect(await found(tree({ 'serve/ks.yaml': ks }))).toEqual([]);
    expect(await found(tree({ 'serve/hpa.yaml': HPA }, 'resources:\n  - deployment.yaml\n  # - hpa.yaml\n'))).toEqual([]);
    expect(await found(tree({ 'serve/hpa.yaml': HPA, 'deploy.sh': '#!/bin/sh\nkubectl apply -f serve/hpa.yaml\n' }))).toEqual([]);
    // a Namespace left out (the namespace rules say it), and a folder the Application reads as a directory source
    expect(await found(tree({ 'serve/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: llm}\n' }))).toEqual([]);
    const directory = APP.replace('path: serve}', 'path: serve, directory: {exclude: kustomization.yaml}}');
    expect(await found(tree({ 'serve/hpa.yaml': HPA, 'apps/serve.yaml': directory }))).toEqual([]);
    const { 'apps/serve.yaml': _app, ...undelivered } = tree({ 'serve/hpa.yaml': HPA });
    expect(await found(undelivered)).toEqual([]);
  });
});
