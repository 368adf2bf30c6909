import * as path from 'path';
import { readManifests } from '../../lib';
import { writeTree } from '../util';

/**
 * A kustomization root that only Flux builds: kustomize-controller builds with LoadRestrictionsNone inside the source
 * (fluxcd/pkg kustomize/kustomize_generator.go SecureBuild), so files outside the root's folder are built; where
 * `kubectl apply -k`, a script or Argo CD (restrictor kept unless its build options lift it) builds it too, the refusal stays.
 */

const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: infra\ndata:\n  k: v\n`;
const FLUX = (name: string, folder: string) =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  path: ./${folder}\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`;
const APP = (folder: string) =>
  `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: entry\n  namespace: argocd\nspec:\n  project: default\n  destination:\n    server: https://kubernetes.default.svc\n  source:\n    repoURL: https://git.example.com/platform.git\n    path: ${folder}\n`;

/** A cluster's entry folder that lists the files of the folder above it, as Flux-bootstrapped trees do. */
const ENTRY = {
  'clusters/edge/settings.yaml': CM('settings'),
  'clusters/edge/limits.yaml': CM('limits'),
  'clusters/edge/flux-system/kustomization.yaml': 'resources:\n  - gotk-sync.yaml\n  - ../settings.yaml\n  - ../limits.yaml\n',
  'clusters/edge/flux-system/gotk-sync.yaml': FLUX('flux-system', 'clusters/edge/flux-system'),
};

const refusals = (tree: string) => readManifests([tree]).errors.filter((e) => e.kind === 'kustomize-build-fails' && e.severity === 'error');

describe('the load restrictor of roots Flux builds', () => {
  test('a root only a Flux Kustomization builds may list ../ files: built, no refusal', () => {
    const tree = writeTree('flux-restrictor-', ENTRY);
    const { manifests } = readManifests([tree]);
    expect(refusals(tree)).toEqual([]);
    const entry = path.join(tree, 'clusters/edge/flux-system');
    const built = manifests.filter((m) => m.kustomizations?.[0] === entry).map((m) => (m.manifest as { metadata: { name: string } }).metadata.name);
    expect(built.sort()).toEqual(['flux-system', 'limits', 'settings']);
  });

  test('the same root also built by an Argo CD Application, or by a script running kubectl apply -k: refused', () => {
    const byArgo = writeTree('flux-restrictor-', { ...ENTRY, 'argocd/entry.yaml': APP('clusters/edge/flux-system') });
    expect(refusals(byArgo)).toEqual([expect.objectContaining({ message: expect.stringMatching(/^lists 2 files outside the kustomization's folder/) })]);
    const byScript = writeTree('flux-restrictor-', { ...ENTRY, 'bootstrap.sh': '#!/bin/sh\nkubectl apply -k clusters/edge/flux-system\n' });
    expect(refusals(byScript)).toHaveLength(1);
  });

  test("Argo CD's build options lifting the restrictor with Flux: no refusal", () => {
    const tree = writeTree('flux-restrictor-', {
      ...ENTRY,
      'argocd/entry.yaml': APP('clusters/edge/flux-system'),
      'argocd/argocd-cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\n  namespace: argocd\ndata:\n  kustomize.buildOptions: "--load-restrictor LoadRestrictionsNone"\n',
    });
    expect(refusals(tree)).toEqual([]);
  });
});
