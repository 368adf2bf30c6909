import { execFileSync } from 'child_process';
import * as path from 'path';
import { readManifests } from '../../lib';
import { argoBuildOptions, loadRestrictor } from '../../lib/manifests/argocd-build-options';
import { kubectlBinary } from '../setup/kubectl';
import { writeTree } from '../util';

/**
 * Argo CD's kustomize build options (argocd-cm `kustomize.buildOptions`, or an ArgoCD resource's
 * `spec.kustomizeBuildOptions`) in the input: the reader builds as Argo CD's repo server does, checked against
 * `kubectl kustomize --load-restrictor LoadRestrictionsNone`.
 */

const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: v\n`;
const ARGOCD_CM = (flags: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\n  namespace: argocd\ndata:\n  kustomize.buildOptions: "${flags}"\n`;
const ARGOCD_CR = (flags: string) =>
  `apiVersion: argoproj.io/v1beta1\nkind: ArgoCD\nmetadata:\n  name: openshift-gitops\n  namespace: openshift-gitops\nspec:\n  kustomizeBuildOptions: "${flags}"\n`;

/** An overlay that lists files of a sibling folder, as app-of-apps trees list their Applications. */
const OVERLAY = {
  'gitops/apps/one.yaml': CM('one'),
  'gitops/apps/two.yaml': CM('two'),
  'gitops/apps/three.yaml': CM('three'),
  'gitops/apps/four.yaml': CM('four'),
  'gitops/apps/label.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n  labels:\n    patched: "yes"\n',
  'gitops/overlays/all/kustomization.yaml':
    'resources:\n  - ../../apps/one.yaml\n  - ../../apps/two.yaml\n  - ../../apps/three.yaml\n  - ../../apps/four.yaml\npatches:\n  - path: ../../apps/label.yaml\n',
};

function kubectlKustomize(dir: string, flags: string[]): { names: string[] } | { error: string } {
  try {
    const out = execFileSync(kubectlBinary(), ['kustomize', ...flags, dir], { encoding: 'utf8', stdio: 'pipe' });
    return { names: [...out.matchAll(/^ {2}name: (\S+)$/gm)].map((m) => m[1]).sort() };
  } catch (e) {
    return { error: String((e as { stderr?: string }).stderr ?? e) };
  }
}

describe("Argo CD's kustomize build options", () => {
  test('an argocd-cm with --load-restrictor LoadRestrictionsNone: the overlay builds as kubectl kustomize builds it with that flag', () => {
    const tree = writeTree('argo-options-', { ...OVERLAY, 'bootstrap/argocd-cm.yaml': ARGOCD_CM('--load-restrictor LoadRestrictionsNone') });
    const { manifests, errors } = readManifests([tree]);
    const overlay = path.join(tree, 'gitops/overlays/all');
    const built = manifests.filter((m) => m.kustomizations?.[0] === overlay).map((m) => String((m.manifest as { metadata: { name: string } }).metadata.name));
    expect(built.sort()).toEqual(['four', 'one', 'three', 'two']);
    expect(kubectlKustomize(overlay, ['--load-restrictor', 'LoadRestrictionsNone'])).toEqual({ names: ['four', 'one', 'three', 'two'] });
    // the patch file outside the folder was applied too
    const one = manifests.find((m) => m.kustomizations?.[0] === overlay && (m.manifest as { metadata: { name: string } }).metadata.name === 'one');
    expect((one?.manifest as { metadata: { labels?: Record<string, string> } }).metadata.labels).toEqual({ patched: 'yes' });
    expect(errors.filter((e) => e.severity === 'error')).toEqual([]);
    expect(errors).toContainEqual({
      file: path.join(tree, 'bootstrap/argocd-cm.yaml'),
      severity: 'info',
      message: expect.stringContaining(
        "ConfigMap argocd-cm (data.kustomize.buildOptions) sets Argo CD's kustomize build options '--load-restrictor LoadRestrictionsNone': check builds the kustomizations with --load-restrictor LoadRestrictionsNone",
      ),
    });
  });

  test('without the options, kubectl refuses the overlay and the reader says so once, naming the count and the first files', () => {
    const tree = writeTree('argo-options-', OVERLAY);
    const overlay = path.join(tree, 'gitops/overlays/all');
    expect(kubectlKustomize(overlay, [])).toEqual({ error: expect.stringContaining('is not in or below') });
    const refusals = readManifests([tree]).errors.filter((e) => e.kind === 'kustomize-build-fails');
    expect(refusals).toHaveLength(1);
    expect(refusals[0].message).toMatch(
      /^lists 5 files outside the kustomization's folder \('\.\.\/\.\.\/apps\/one\.yaml', '\.\.\/\.\.\/apps\/two\.yaml', '\.\.\/\.\.\/apps\/three\.yaml' and 2 more; the first is /,
    );
  });

  test('an ArgoCD resource (spec.kustomizeBuildOptions, with =) lifts the restrictor; --enable-helm is named as not applied', () => {
    const tree = writeTree('argo-options-', { ...OVERLAY, 'bootstrap/argocd.yaml': ARGOCD_CR('--load-restrictor=LoadRestrictionsNone --enable-helm') });
    const { errors } = readManifests([tree]);
    expect(errors.filter((e) => e.severity === 'error')).toEqual([]);
    const note = errors.find((e) => e.severity === 'info')?.message;
    expect(note).toMatch(/^ArgoCD openshift-gitops \(spec\.kustomizeBuildOptions\) sets/);
    expect(note).toContain(
      'not applied by check: --enable-helm: Helm charts of kustomizations (helmCharts) that Argo CD pulls from a chart repository are not fetched',
    );
  });

  test('options without the load restrictor leave the refusal, and the note says none is applied', () => {
    const tree = writeTree('argo-options-', { ...OVERLAY, 'bootstrap/argocd-cm.yaml': ARGOCD_CM('--enable-alpha-plugins --enable-exec') });
    const { errors } = readManifests([tree]);
    expect(errors.filter((e) => e.kind === 'kustomize-build-fails')).toHaveLength(1);
    const note = errors.find((e) => e.severity === 'info')?.message;
    expect(note).toContain('check applies none of them to its own build; not applied by check: --enable-alpha-plugins');
    expect(note).toContain('--enable-exec: exec plugins run in Argo CD');
  });

  test("a version's options (kustomize.buildOptions.<version>) go to the roots of the Applications naming that version only", () => {
    const cm = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata:\n  kustomize.buildOptions.v5.4.3: --load-restrictor LoadRestrictionsNone\n`;
    const app = `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: all\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: https://github.com/example/gitops.git\n    path: gitops/overlays/all\n    kustomize:\n      version: v5.4.3\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: argocd\n`;
    const minimal = { 'gitops/overlays/minimal/kustomization.yaml': 'resources:\n  - ../../apps/one.yaml\n' };
    const tree = writeTree('argo-options-', { ...OVERLAY, ...minimal, 'bootstrap/argocd-cm.yaml': cm, 'bootstrap/app.yaml': app });
    const { errors } = readManifests([tree]);
    expect(errors.filter((e) => e.kind === 'kustomize-build-fails').map((e) => path.relative(tree, e.file))).toEqual([
      'gitops/overlays/minimal/kustomization.yaml',
    ]);
    expect(errors.find((e) => e.severity === 'info')?.message).toBe(
      "ConfigMap argocd-cm (data.kustomize.buildOptions.v5.4.3) sets Argo CD's kustomize build options '--load-restrictor LoadRestrictionsNone' for Applications with kustomize.version v5.4.3: check builds the kustomizations with --load-restrictor LoadRestrictionsNone where these options give it, as Argo CD builds its Applications",
    );
  });

  test('the flag is read in both spellings, and an ArgoCD of another group or a ConfigMap of another name is not Argo CD', () => {
    expect(loadRestrictor('--enable-helm --load-restrictor LoadRestrictionsNone')).toBe('LoadRestrictionsNone');
    expect(loadRestrictor('--load-restrictor=LoadRestrictionsRootOnly')).toBe('LoadRestrictionsRootOnly');
    expect(loadRestrictor('--enable-helm')).toBeUndefined();
    const at = (manifest: unknown) => [{ file: 'f.yaml', index: 0, line: 1, manifest }];
    expect(
      argoBuildOptions(at({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other-cm' }, data: { 'kustomize.buildOptions': '--enable-helm' } })),
    ).toBeUndefined();
    expect(
      argoBuildOptions(at({ apiVersion: 'example.com/v1', kind: 'ArgoCD', metadata: { name: 'x' }, spec: { kustomizeBuildOptions: '--enable-helm' } })),
    ).toBeUndefined();
    expect(
      argoBuildOptions(
        at({
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'ArgoCD',
          metadata: { name: 'x' },
          spec: { extraConfig: { 'kustomize.buildOptions': '--load-restrictor LoadRestrictionsNone' } },
        }),
      ),
    ).toEqual({
      flags: '--load-restrictor LoadRestrictionsNone',
      versions: {},
      from: "ArgoCD x (spec.extraConfig['kustomize.buildOptions'])",
      file: 'f.yaml',
    });
  });
});

// a script of the repository that builds a root with `--load-restrictor LoadRestrictionsNone` builds it as kubectl
// kustomize does with that flag; kubectl apply -k and Argo CD (without kustomize.buildOptions) still refuse it
describe("a script's kustomize build with the load restrictor lifted", () => {
  const APP = `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: all, namespace: argocd}\nspec:\n  project: default\n  source: {repoURL: 'https://example.com/org/gitops.git', path: gitops/overlays/all}\n  destination: {server: 'https://kubernetes.default.svc', namespace: ai}\n`;
  const refusals = (tree: string, folder = tree) => readManifests([folder]).errors.filter((e) => e.kind === 'kustomize-build-fails');
  const built = (folder: string) =>
    readManifests([folder])
      .manifests.filter((m) => m.kustomizations?.length)
      .map((m) => String((m.manifest as { metadata: { name: string } }).metadata.name))
      .sort();

  test.each([
    ['written out', 'kustomize build gitops/overlays/all --load-restrictor LoadRestrictionsNone | kubectl apply -f -'],
    ['with =', 'kustomize build --load-restrictor=LoadRestrictionsNone gitops/overlays/all > all.yaml'],
    ["kustomize v3's spelling", 'kustomize build gitops/overlays/all --load_restrictor none > all.yaml'],
    [
      'held in a variable the script computes',
      'flag=$(kustomize build --help | grep -q load-restrictor && echo "--load-restrictor LoadRestrictionsNone" || echo "--load_restrictor none")\nkustomize build gitops/overlays/all ${flag} > all.yaml',
    ],
  ])('a script of the tree, the flag %s: the overlay is built, nothing refused', (_, line) => {
    const tree = writeTree('script-restrictor-', { ...OVERLAY, 'scripts/render.sh': `#!/bin/bash\nset -e\n${line}\n` });
    expect(refusals(tree)).toEqual([]);
    expect(built(tree)).toEqual(['four', 'one', 'three', 'two']);
  });

  test("a guide of the repository's docs above the checked folder builds it so: the folder checked alone is built", () => {
    const tree = writeTree('script-restrictor-', {
      ...OVERLAY,
      'docs/release.md': '# Release\n\n```sh\nkustomize build gitops/overlays/all --load-restrictor LoadRestrictionsNone > all.yaml\n```\n',
    });
    execFileSync('git', ['init', '-q', tree]);
    const overlay = path.join(tree, 'gitops/overlays/all');
    expect(refusals(tree, overlay)).toEqual([]);
    expect(built(overlay)).toEqual(['four', 'one', 'three', 'two']);
  });

  test.each([
    ['an Argo CD Application syncs it and no argocd-cm sets the build option', { 'gitops/app.yaml': APP }],
    ['kubectl apply -k builds it too', { Makefile: 'deploy:\n\tkubectl apply -k gitops/overlays/all\n' }],
    ['the flag is on another command', { 'scripts/other.sh': 'kustomize build gitops/base --load-restrictor LoadRestrictionsNone\n' }],
  ])('near miss of the lift: %s, the refusal stays', (_, files: Record<string, string>) => {
    const lifting = { 'scripts/render.sh': 'kustomize build gitops/overlays/all --load-restrictor LoadRestrictionsNone > all.yaml\n' };
    const tree = writeTree('script-restrictor-', { ...OVERLAY, ...(files['scripts/other.sh'] ? {} : lifting), ...files });
    expect(refusals(tree).map((e) => e.message)).toEqual([expect.stringMatching(/^lists 5 files outside the kustomization's folder/)]);
  });
});
