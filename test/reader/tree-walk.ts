import * as path from 'path';
import { codeUnitOrder, localeOrder, walkTree } from '../../lib/manifests/files';
import { scriptsOf } from '../../lib/manifests/render-scripts';
import { treeFiles } from '../../lib/manifests/script-applies';
import { writeTree } from '../util';

/** One breadth-first walk serves the reader's searches of a tree; each keeps its own skipped folders, order and bound. */
describe('walkTree', () => {
  const TREE = {
    'B.yaml': 'a: 1\n',
    'a.yaml': 'a: 1\n',
    'deploy.sh': 'echo\n',
    'sub/c.json': '{}\n',
    'sub/deep/d.yaml': 'a: 1\n',
    '.hidden/x.yaml': 'a: 1\n',
    'node_modules/pkg/y.yaml': 'a: 1\n',
    '.github/workflows/ci.yml': 'on: push\n',
  };

  test('the manifest files: code unit order (B before a), breadth-first, dot folders and node_modules left out', () => {
    expect(treeFiles(writeTree('tree-walk.', TREE))).toEqual(['B.yaml', 'a.yaml', 'sub/c.json', 'sub/deep/d.yaml']);
  });

  test("the scripts: locale order, a CI workflow's YAML kept by its folder, node_modules left out", () => {
    const root = writeTree('tree-walk.', { ...TREE, 'A.sh': 'echo\n', 'node_modules/pkg/install.sh': 'echo\n' });
    expect(scriptsOf(root).map((f) => path.relative(root, f))).toEqual(['A.sh', 'deploy.sh', '.github/workflows/ci.yml']);
  });

  test('the bounds: no folder is entered once enough files are kept, or enough entries seen', () => {
    const root = writeTree('tree-walk.', TREE);
    const yaml = { skipFolder: () => false, keep: (name: string) => name.endsWith('.yaml'), order: localeOrder };
    expect(walkTree(root, yaml)).toEqual(['a.yaml', 'B.yaml', '.hidden/x.yaml', 'node_modules/pkg/y.yaml', 'sub/deep/d.yaml']);
    // the root's own files are all kept before the bound is looked at again
    expect(walkTree(root, { ...yaml, maxFiles: 1 })).toEqual(['a.yaml', 'B.yaml']);
    expect(walkTree(root, { ...yaml, order: codeUnitOrder, maxEntries: 7 })).toEqual(['B.yaml', 'a.yaml']);
    expect(walkTree(path.join(root, 'missing'), yaml)).toEqual([]);
  });
});
