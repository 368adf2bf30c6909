import * as path from 'path';
import { readManifests } from '../../lib';
import { cliInProcess, writeTree } from '../util';

/**
 * Dot-folders: rendered manifests are often kept in one (`.k8s/` of kubenix, cdk8s or `helm template` output), so
 * they are read as any folder; those that by convention hold CI or tool settings and caches (.git, .github,
 * .terraform, …) are not, and an input whose only YAML files are there is refused naming the folder.
 */

const POD = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: app\n      image: busybox:1.36\n`;
const names = (tree: string) =>
  readManifests([tree])
    .manifests.map((m) => (m.manifest as { metadata: { name: string } }).metadata.name)
    .sort();

describe('dot-folders', () => {
  test('manifests under .k8s/ are read; those under .github/ or .terraform/ are not', () => {
    const tree = writeTree('dot-folders-', {
      '.k8s/apps/llama.yaml': POD('llama'),
      '.github/workflows/deploy.yaml': POD('workflow-lookalike'),
      '.terraform/modules/cache.yaml': POD('cached'),
    });
    expect(names(tree)).toEqual(['llama']);
    expect(
      readManifests([tree])
        .skipped.map((f) => path.basename(f))
        .sort(),
    ).toEqual(['.github', '.terraform']);
  });

  test('an input whose only YAML files are in a folder passed over: exit 2 naming that folder', async () => {
    const tree = writeTree('dot-folders-', { '.github/workflows/ci.yaml': 'on: push\njobs: {}\n', 'README.md': '# tools\n' });
    const { code, err } = await cliInProcess(['check', tree]);
    expect(code).toBe(2);
    expect(err).toContain(`${path.join(tree, '.github')}: holds YAML files but is not read (by convention .github holds CI or tool settings`);
    // an empty dot-folder of tools is not named
    const empty = writeTree('dot-folders-', { '.vscode/settings.json': '{}', 'README.md': '# tools\n' });
    const refused = await cliInProcess(['check', empty]);
    expect(refused.code).toBe(2);
    expect(refused.err).not.toContain('.vscode');
  });
});
