import { readManifests } from '../../lib/manifests/read-manifests';
import { remoteBranchInPath } from '../../lib/manifests/kustomization';
import { writeTree } from '../setup/kustomize-build';
import { fluxKustomization, fluxWorkTree } from '../setup/flux-work-tree';

/** The kustomize-build-fails findings of a kustomization listing one remote resource and a local ConfigMap. */
function findings(entry: string): { severity: string; message: string }[] {
  const dir = writeTree(
    {
      'kustomization.yaml': `resources:\n  - ${entry}\n  - settings.yaml\n`,
      'settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: tools}\ndata: {level: info}\n',
    },
    'remote-branch-',
  );
  return readManifests([dir])
    .errors.filter((e) => e.kind === 'kustomize-build-fails')
    .map((e) => ({ severity: e.severity, message: e.message }));
}

describe('kustomize-build-fails: a remote resource with the branch in its path', () => {
  test('org/repo/main/… without ?ref=: a warning that kustomize reads main/ as a folder of the default branch, with the ?ref= form', () => {
    const [f, ...rest] = findings('github.com/lab-team/platform-kit/main/stacks/monitoring');
    expect(rest).toEqual([]);
    expect(f.severity).toBe('warning');
    expect(f.message).toContain("looks for 'main/stacks/monitoring' there ('main' read as a folder, not the branch)");
    expect(f.message).toContain("write 'github.com/lab-team/platform-kit/stacks/monitoring?ref=main'");
  });

  test('a web page address (tree/<branch>/…): the same warning, naming the page form', () => {
    const [f] = findings('https://github.com/lab-team/platform-kit/tree/release-2/stacks/monitoring');
    expect(f.severity).toBe('warning');
    expect(f.message).toContain('a web page address');
    expect(f.message).toContain("write 'https://github.com/lab-team/platform-kit/stacks/monitoring?ref=release-2'");
  });

  test.each([
    'github.com/lab-team/platform-kit/stacks/monitoring?ref=main',
    'github.com/lab-team/platform-kit/stacks/monitoring',
    'https://github.com/lab-team/platform-kit.git//stacks/monitoring?ref=v1.2.0',
    'github.com/lab-team/platform-kit/mainline/stacks',
  ])('near miss: %s reads what it names', (entry) => {
    expect(findings(entry)).toEqual([]);
    expect(remoteBranchInPath(entry)).toBeUndefined();
  });
});

describe('kustomize-build-fails: two Flux Kustomizations of one namespace and name in one build', () => {
  const files = {
    'cluster/apps/kustomization.yaml': 'resources: [a/ks.yaml, b/ks.yaml]\n',
    'cluster/apps/a/ks.yaml': fluxKustomization('web', './cluster/apps/a/app', '', 'flux-system'),
    'cluster/apps/b/ks.yaml': fluxKustomization('web', './cluster/apps/b/app', '', 'flux-system'),
    'cluster/apps/a/app/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: web}\n',
    'cluster/apps/b/app/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: web}\n',
  };
  const refusals = (dir: string) =>
    readManifests([`${dir}/cluster/apps`])
      .errors.filter((e) => e.kind === 'kustomize-build-fails')
      .map((e) => [e.severity, e.message]);

  test('a Flux Kustomization of the work tree builds the folder: kustomize refuses the build, so that Kustomization applies nothing, an error naming it', () => {
    const dir = fluxWorkTree({ ...files, 'cluster/flux/apps.yaml': fluxKustomization('apps', './cluster/apps', '', 'flux-system') });
    expect(refusals(dir)).toEqual([
      [
        'error',
        expect.stringMatching(
          /^'b\/ks\.yaml' adds Kustomization 'web' in namespace 'flux-system' again .*"may not add resource with an already registered id".* \(Kustomization flux-system\/apps \(path \.\/cluster\/apps, in cluster\/flux\/apps\.yaml\) builds this folder, so Flux applies nothing of it\)$/,
        ),
      ],
    ]);
  });

  test('near miss: nothing of the work tree builds the folder, so no sync fails on it: a warning', () => {
    const dir = fluxWorkTree({ ...files, 'cluster/flux/apps.yaml': fluxKustomization('apps', './cluster/other', '', 'flux-system') });
    expect(refusals(dir)).toEqual([['warning', expect.stringContaining('nothing of the input delivers the checked folder')]]);
  });
});
