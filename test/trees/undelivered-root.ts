import * as path from 'path';
import { readManifests } from '../../lib';
import { kubectlBuild, writeTree } from '../setup/kustomize-build';

/**
 * A kustomize root that kustomize refuses (here a resource with generateName only: api/resource "missing
 * metadata.name in object") fails whatever builds it; where the input delivers its roots (Argo CD Applications, Flux
 * Kustomizations) and none of them, no parent kustomization and no script builds this one, no sync fails on it: a
 * warning that says nothing delivers it. Where something does, or the input has no delivery of its own (its roots
 * are applied by hand), an error.
 */

const APP = (name: string, p: string) =>
  `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: ${name}, namespace: openshift-gitops}\nspec:\n  project: default\n  destination: {server: https://kubernetes.default.svc, namespace: ai}\n  source:\n    repoURL: https://github.com/example-org/llm-gitops.git\n    path: ${p}\n`;
const FLUX = (p: string) =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps, namespace: flux-system}\nspec:\n  interval: 10m\n  prune: true\n  sourceRef: {kind: GitRepository, name: flux-system}\n  path: ${p}\n`;
const RUN = 'apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  generateName: quantize-\nspec:\n  pipelineRef: {name: quantize}\n';
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web, namespace: ai}\ndata: {a: b}\n';

const BASE = {
  'apps/web/kustomization.yaml': 'resources: [cm.yaml]\n',
  'apps/web/cm.yaml': CM,
  'pipelines/runs/kustomization.yaml': 'resources: [run.yaml]\n',
  'pipelines/runs/run.yaml': RUN,
};

/** The kustomize-build-fails findings on the runs folder: [severity, whether it says nothing delivers it]. */
function runsRefusal(files: Record<string, string>): [string, boolean][] {
  const dir = writeTree({ ...BASE, ...files }, 'undelivered-root-');
  expect(kubectlBuild(path.join(dir, 'pipelines', 'runs'))).toEqual({ error: expect.stringMatching(/missing metadata.name/) });
  return readManifests([dir])
    .errors.filter((e) => e.kind === 'kustomize-build-fails' && e.file.includes(`${path.sep}runs${path.sep}`))
    .map((e) => [e.severity, /nothing of the input delivers .*pipelines\/runs: no Application, Flux Kustomization/.test(e.message)]);
}

describe('a refused kustomize root that nothing delivers', () => {
  test('Applications deliver other roots, none this one: a warning saying nothing delivers it', () => {
    expect(runsRefusal({ 'argocd/web.yaml': APP('web', 'apps/web') })).toEqual([['warning', true]]);
  });

  test('a Flux Kustomization delivers another root: a warning too', () => {
    expect(runsRefusal({ 'clusters/apps.yaml': FLUX('./apps/web') })).toEqual([['warning', true]]);
  });

  test('near misses: an Application or a Flux Kustomization path names it, a script builds it, it is an overlay, or the input has no delivery of its own: an error', () => {
    expect(runsRefusal({ 'argocd/web.yaml': APP('web', 'apps/web'), 'argocd/runs.yaml': APP('runs', 'pipelines/runs') })).toEqual([['error', false]]);
    expect(runsRefusal({ 'clusters/apps.yaml': FLUX('./pipelines/runs') })).toEqual([['error', false]]);
    // an ApplicationSet whose list elements fill the template's path (applicationset generators/list.go)
    const set = (p: string) =>
      `apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: bootstrap, namespace: openshift-gitops}\nspec:\n  generators:\n    - list:\n        elements:\n          - {name: web, path: apps/web}\n          - {name: runs, path: ${p}}\n` +
      `  template:\n    metadata: {name: '{{name}}'}\n    spec:\n      project: default\n      destination: {server: https://kubernetes.default.svc, namespace: ai}\n      source: {repoURL: https://github.com/example-org/llm-gitops.git, path: '{{path}}'}\n`;
    expect(runsRefusal({ 'argocd/set.yaml': set('pipelines/runs') })).toEqual([['error', false]]);
    expect(runsRefusal({ 'argocd/set.yaml': set('pipelines/other') })).toEqual([['warning', true]]);
    expect(runsRefusal({ 'argocd/web.yaml': APP('web', 'apps/web'), 'deploy.sh': 'oc apply -k pipelines/runs\n' })).toEqual([['error', false]]);
    expect(runsRefusal({})).toEqual([['error', false]]);
    // an overlay (overlays/<name>) is a variant meant to be built: an entry point even where nothing names it
    const dir = writeTree(
      { ...BASE, 'argocd/web.yaml': APP('web', 'apps/web'), 'overlays/prod/kustomization.yaml': 'resources: [run.yaml]\n', 'overlays/prod/run.yaml': RUN },
      'undelivered-root-',
    );
    expect(
      readManifests([dir])
        .errors.filter((e) => e.kind === 'kustomize-build-fails' && e.file.includes('overlays'))
        .map((e) => e.severity),
    ).toEqual(['error']);
  });

  test('the checked folder as the root: a Flux Kustomization of path ./ delivers it (an error); one of another path leaves it undelivered (a warning)', () => {
    const tree = (p: string) =>
      writeTree(
        {
          'kustomization.yaml': 'resources: [run.yaml]\n',
          'run.yaml': RUN,
          'flux/apps.yaml': FLUX(p),
          'apps/web/kustomization.yaml': 'resources: [cm.yaml]\n',
          'apps/web/cm.yaml': CM,
        },
        'undelivered-root-',
      );
    const root = (dir: string) =>
      readManifests([dir])
        .errors.filter((e) => e.kind === 'kustomize-build-fails' && path.dirname(e.file) === dir)
        .map((e) => [e.severity, e.message.includes('nothing of the input delivers the checked folder')]);
    expect(root(tree('./'))).toEqual([['error', false]]);
    expect(root(tree('./apps/web'))).toEqual([['warning', true]]);
  });
});
