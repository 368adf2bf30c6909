import * as fs from 'fs';
import * as path from 'path';
import { runChecks } from '../../lib/check/engine';
import type { GitCheckout } from '../../lib/manifests/git-checkout';
import { readManifests, renderedSource } from '../../lib/manifests/read-manifests';
import { writeTree } from '../util';

/** A git work tree (a `.git` folder marks one, its config names the remote) holding the files given. */
function workTree(files: Record<string, string>): string {
  const dir = writeTree('work-tree-read-', files);
  fs.mkdirSync(path.join(dir, '.git'));
  fs.writeFileSync(path.join(dir, '.git', 'config'), '[remote "origin"]\n\turl = https://git.example.com/ml/stack.git\n');
  return dir;
}

const job =
  'apiVersion: batch/v1\nkind: Job\nmetadata: {name: train, namespace: ml}\nspec:\n  template:\n    spec:\n      serviceAccountName: trainer\n      restartPolicy: Never\n      containers: [{name: c, image: quay.io/ml/train:1.0}]\n';
const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: ml}\n';
const ACCOUNT = 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: trainer, namespace: ml}\n';

/** The service-account-not-found findings, severity and message. */
const accountFindings = (f: ReturnType<typeof runChecks>) => f.filter((x) => x.rule === 'service-account-not-found').map((x) => [x.severity, x.message]);

describe('the work tree around a checked folder, read once per check', () => {
  test('the read makes it for a subfolder: its files walked once, on the first ask, and kept on the checkout', () => {
    const root = workTree({ 'app/job.yaml': `${NAMESPACE}---\n${job}`, 'rbac/sa.yaml': ACCOUNT, 'README.md': '# stack\n' });
    const read = readManifests([path.join(root, 'app')]);
    const tree = read.checkouts[0].workTree!;
    expect(tree.root).toBe(fs.realpathSync(root));
    expect(tree.manifestFiles()).toBe(tree.manifestFiles());
    expect(tree.manifestFiles().map((f) => path.relative(tree.root, f.file))).toEqual(['app/job.yaml', 'rbac/sa.yaml']);
    // the work tree's root holds its files itself: no work tree around it
    expect(readManifests([root]).checkouts[0].workTree).toBeUndefined();
  });

  test("the check reads the repository's objects from the files the read holds, and walks a checkout written by hand on demand alike", () => {
    const root = workTree({ 'app/job.yaml': `${NAMESPACE}---\n${job}`, 'rbac/sa.yaml': ACCOUNT });
    const read = readManifests([path.join(root, 'app')]);
    const tree = read.checkouts[0].workTree!;
    const asked = jest.fn(() => tree.manifestFiles());
    const shared = runChecks(read.manifests, { platform: 'kserve', checkouts: [{ ...read.checkouts[0], workTree: { ...tree, manifestFiles: asked } }] });
    expect(asked).toHaveBeenCalled();
    expect(accountFindings(shared)).toEqual([
      ['info', expect.stringMatching(/^ServiceAccount 'trainer' is made outside the checked folder: .*rbac\/sa\.yaml/)],
    ]);
    const { workTree: _tree, ...byHand } = read.checkouts[0];
    const literal: GitCheckout = byHand;
    expect(accountFindings(runChecks(read.manifests, { platform: 'kserve', checkouts: [literal] }))).toEqual(accountFindings(shared));
  });
});

describe('renderedSource: a folder as Argo CD renders it for an Application source', () => {
  const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {a: b}\n`;
  const names = (r: ReturnType<typeof renderedSource>) => r.manifests.map((m) => (m.manifest as { metadata: { name: string } }).metadata.name).sort();

  test("a plain folder: its manifest files, its subfolders' only with directory.recurse", () => {
    const dir = writeTree('rendered-source-', { 'top.yaml': CM('top'), 'sub/below.yaml': CM('below') });
    expect([names(renderedSource(dir, false)), renderedSource(dir, false).complete]).toEqual([['top'], true]);
    expect(names(renderedSource(dir, true))).toEqual(['below', 'top']);
  });

  test('a kustomization root: its build, not a file beside it; a Helm chart: nothing known', () => {
    const dir = writeTree('rendered-source-', { 'kustomization.yaml': 'resources: [listed.yaml]\n', 'listed.yaml': CM('listed'), 'beside.yaml': CM('beside') });
    expect(names(renderedSource(dir, false))).toEqual(['listed']);
    const chart = writeTree('rendered-source-', { 'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n', 'templates/cm.yaml': CM('{{ .Release.Name }}') });
    expect(renderedSource(chart, false)).toEqual({ manifests: [], complete: false });
  });
});
