import { readManifests } from '../../lib/manifests/read-manifests';
import { remoteBranchInPath } from '../../lib/manifests/kustomization';
import { writeTree } from '../setup/kustomize-build';

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
