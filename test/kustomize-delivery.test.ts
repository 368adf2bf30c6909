import { execFileSync } from 'child_process';
import * as path from 'path';
import { readManifests, runChecks } from '../lib';
import { kubectlBinary } from './setup/kubectl';
import { writeTree } from './setup/scratch';

/**
 * A kustomization kustomize refuses to build is an error where something deploys it (an Application or Flux path, a
 * parent kustomization, a script, the folder checked, or any root when the input delivers nothing at all); a root
 * nothing delivers beside delivered ones (a leftover overlay, an alternative) harms nothing deployed: a warning.
 */

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: "1"\n';
const TREE = {
  'base/kustomization.yaml': 'resources:\n- cm.yaml\n',
  'base/cm.yaml': CM,
  'overlays/a/kustomization.yaml': 'namespace: demo\nresources:\n- ../../base\n',
  'overlays/old/kustomization.yaml': 'namespace: demo\nresources:\n- ../../base\n- gone.yaml\n',
};
const APP = (name: string, p: string) =>
  `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: openshift-gitops\nspec:\n  project: default\n  source:\n    repoURL: https://github.com/example/repo.git\n    path: ${p}\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: demo\n`;
const FLUX = (p: string) =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: old\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ${p}\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: repo\n`;

/** The refusals of the build: [severity, file relative to the tree, message]. */
function refusals(tree: string, paths = [tree]): [string, string, string][] {
  return readManifests(paths)
    .errors.filter((e) => e.kind === 'kustomize-build-fails')
    .map((e) => [e.severity, path.relative(tree, e.file), e.message]);
}

const UNDELIVERED =
  /; no Application, parent kustomization, Flux Kustomization or script of the input delivers .*overlays\/old, so nothing deployed depends on this build/;

describe('a kustomization kustomize refuses, delivered or not', () => {
  test('kubectl kustomize refuses the leftover overlay and builds the delivered one (the premise)', () => {
    const tree = writeTree('delivery-', TREE);
    expect(() => execFileSync(kubectlBinary(), ['kustomize', path.join(tree, 'overlays/old')], { stdio: 'pipe' })).toThrow(/gone.yaml/);
    expect(execFileSync(kubectlBinary(), ['kustomize', path.join(tree, 'overlays/a')], { stdio: 'pipe' }).toString()).toContain('name: cfg');
  });

  test('a root nothing delivers beside one an Application delivers is a warning that says so', () => {
    const tree = writeTree('delivery-', { ...TREE, 'apps/a.yaml': APP('a', 'overlays/a') });
    expect(refusals(tree)).toEqual([['warning', 'overlays/old/kustomization.yaml', expect.stringMatching(UNDELIVERED)]]);
    expect(refusals(tree)[0][2]).toMatch(/^lists 'gone.yaml', which does not exist/);
  });

  test('the build of an undelivered root still fails: its objects are in no delivered build', () => {
    const tree = writeTree('delivery-', { ...TREE, 'apps/a.yaml': APP('a', 'overlays/a') });
    const old = readManifests([tree]).builds.find((b) => b.folder?.endsWith(path.join('overlays', 'old')));
    expect(old?.fails).toBe(true);
  });

  test.each([
    ['an Application path names it', { 'apps/a.yaml': APP('a', 'overlays/a'), 'apps/old.yaml': APP('old', 'overlays/old') }],
    ['a Flux Kustomization path names it', { 'apps/a.yaml': APP('a', 'overlays/a'), 'clusters/old.yaml': FLUX('./overlays/old') }],
    ['a script builds it', { 'apps/a.yaml': APP('a', 'overlays/a'), 'deploy.sh': '#!/bin/sh\nset -e\noc apply -k overlays/old\n' }],
    ['the input delivers nothing at all', {}],
    ['a delivered parent lists it', { 'apps/all.yaml': APP('all', 'overlays'), 'overlays/kustomization.yaml': 'resources:\n- old\n' }],
  ])('an error when %s', (_, extra) => {
    const tree = writeTree('delivery-', { ...TREE, ...extra });
    expect(refusals(tree).map(([severity, file, message]) => [severity, file, UNDELIVERED.test(message)])).toEqual([
      ['error', 'overlays/old/kustomization.yaml', false],
    ]);
  });

  test('an error when it builds the delivery itself (an app of apps applied by hand)', () => {
    const tree = writeTree('delivery-', {
      ...TREE,
      'overlays/old/kustomization.yaml': 'resources:\n- app.yaml\n- gone.yaml\n',
      'overlays/old/app.yaml': APP('a', 'overlays/a'),
    });
    expect(refusals(tree).map(([severity, file]) => [severity, file])).toEqual([['error', 'overlays/old/kustomization.yaml']]);
  });

  test('an error when it is the folder checked', () => {
    const tree = writeTree('delivery-', { ...TREE, 'apps/a.yaml': APP('a', 'overlays/a') });
    expect(refusals(tree, [path.join(tree, 'overlays/old')]).map(([severity]) => severity)).toEqual(['error']);
  });

  test('a base that both a delivered and an undelivered root include stays an error', () => {
    const tree = writeTree('delivery-', {
      ...TREE,
      'base/kustomization.yaml': 'resources:\n- cm.yaml\n- missing.yaml\n',
      'overlays/old/kustomization.yaml': 'namespace: demo\nresources:\n- ../../base\n',
      'apps/a.yaml': APP('a', 'overlays/a'),
    });
    expect(refusals(tree).map(([severity, file]) => [severity, file])).toEqual([['error', 'base/kustomization.yaml']]);
  });

  test('a parent nothing delivers delivers nothing: a warning naming the parent', () => {
    const tree = writeTree('delivery-', { ...TREE, 'apps/a.yaml': APP('a', 'overlays/a'), 'overlays/kustomization.yaml': 'resources:\n- old\n' });
    expect(refusals(tree)).toEqual([['warning', 'overlays/old/kustomization.yaml', expect.stringMatching(/delivers \S*overlays, so nothing deployed/)]]);
  });

  test('a base that only undelivered roots include is a warning', () => {
    const tree = writeTree('delivery-', {
      ...TREE,
      'base/kustomization.yaml': 'resources:\n- cm.yaml\n- missing.yaml\n',
      'overlays/old/kustomization.yaml': 'namespace: demo\nresources:\n- ../../base\n',
      'apps/a.yaml': APP('a', 'elsewhere/a'),
    });
    expect(refusals(tree).map(([severity, file]) => [severity, file])).toEqual([['warning', 'base/kustomization.yaml']]);
  });
});

describe('the objects of a root nothing delivers', () => {
  // two containers of one name: the API server refuses the Pod wherever it is applied
  const POD =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: registry.example.com/c:1.0\n  - name: c\n    image: registry.example.com/c:1.0\n';
  const PODS = {
    'alt/kustomization.yaml': 'namespace: demo\nresources:\n- pod.yaml\n',
    'alt/pod.yaml': POD,
    'overlays/a/kustomization.yaml': 'namespace: demo\nresources:\n- ../../base\n',
    'base/kustomization.yaml': 'resources:\n- cm.yaml\n',
    'base/cm.yaml': CM,
  };
  const findings = (tree: string) => runChecks(readManifests([tree]).manifests, { rules: ['pod-spec-invalid'] }).map((f) => [f.severity, f.object, f.message]);

  test('their errors are warnings naming the root nothing delivers', () => {
    const tree = writeTree('delivery-', { ...PODS, 'apps/a.yaml': APP('a', 'overlays/a') });
    expect(findings(tree)).toEqual([
      [
        'warning',
        'Pod/demo/p',
        expect.stringMatching(
          /Duplicate value.*\(only \S*alt builds it, which no Application, parent kustomization, Flux Kustomization or script of the input delivers\)$/,
        ),
      ],
    ]);
  });

  test.each([
    ['an Application delivers the root', { 'apps/a.yaml': APP('a', 'overlays/a'), 'apps/alt.yaml': APP('alt', 'alt') }],
    ['the input delivers nothing', {}],
  ])('near miss: errors when %s', (_, extra) => {
    const tree = writeTree('delivery-', { ...PODS, ...extra });
    expect(findings(tree).map(([severity, object]) => [severity, object])).toEqual([['error', 'Pod/demo/p']]);
  });

  test('an object a delivered root builds the same as an undelivered one built first stays delivered', () => {
    // 'alt' sorts before 'overlays': its build of the shared base comes first and the delivered root's copy is dropped
    const tree = writeTree('delivery-', {
      ...PODS,
      'alt/kustomization.yaml': 'namespace: demo\nresources:\n- ../base\n- pod.yaml\n',
      'base/kustomization.yaml': 'resources:\n- pod.yaml\n',
      'base/pod.yaml': POD.replace('name: p\n', 'name: shared\n'),
      'apps/a.yaml': APP('a', 'overlays/a'),
    });
    expect(findings(tree).map(([severity, object]) => [severity, object])).toEqual([
      ['error', 'Pod/demo/shared'],
      ['warning', 'Pod/demo/p'],
    ]);
  });
});
