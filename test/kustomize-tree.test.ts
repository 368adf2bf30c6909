import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { execFileSync } from 'child_process';
import { ArgoCdFleet, KustomizeTree, readManifests, runChecks } from '../lib';
import { kubectlBinary } from './setup/kubectl';
import { recoverInterruptedWrite, writeTreeAtomically } from '../lib/gitops/write-tree';
import { tempDir, testApp } from './util';

function twoCharts() {
  const app = testApp();
  const a = new Chart(app, 'a', { namespace: 'n' });
  new ApiObject(a, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
  const b = new Chart(app, 'b', { namespace: 'n' });
  new ApiObject(b, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
  return { app, a, b };
}

describe('KustomizeTree', () => {
  test('writes a sorted kustomization.yaml in every folder of a root, files before folders, honouring excludes', () => {
    const { app, a, b } = twoCharts();
    const c = new Chart(app, 'c');
    new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    const tree = new KustomizeTree(app)
      .place('r/z/b.yaml', b)
      .place('r/a.yaml', a)
      .place('r/opt/c.yaml', c)
      .kustomization('r', { exclude: ['opt'] })
      .render();
    expect([...tree.files.keys()]).toEqual([
      'r/a.yaml',
      'r/kustomization.yaml',
      'r/opt/c.yaml',
      'r/opt/kustomization.yaml',
      'r/z/b.yaml',
      'r/z/kustomization.yaml',
    ]);
    expect(tree.files.get('r/kustomization.yaml')).toContain('kind: Kustomization\nresources:\n  - a.yaml\n  - z/\n');
    expect(tree.files.get('r/opt/kustomization.yaml')).toContain('resources:\n  - c.yaml\n');
  });

  test('fails when a chart is not placed, or placed twice', () => {
    const { app, a, b } = twoCharts();
    expect(() => new KustomizeTree(app).place('x/a.yaml', a).render()).toThrow(/charts not placed in any file: b/);
    expect(() => new KustomizeTree(app).place('x/a.yaml', a).place('x/b.yaml', a, b)).toThrow(/chart a is already placed in x\/a.yaml/);
  });

  test('a failing verifier stops the write and leaves the previous tree untouched', () => {
    const { app, a, b } = twoCharts();
    const out = tempDir('tree-');
    fs.writeFileSync(path.join(out, 'previous.yaml'), 'kept\n');
    const tree = new KustomizeTree(app)
      .place('x/a.yaml', a, b)
      .kustomization('x')
      .addVerifier((objs) => objs.filter((o) => o.manifest.metadata.name === 'b').map((o) => `ConfigMap/n/b in ${o.file}: not allowed`));
    expect(() => tree.write(out)).toThrow(/nothing was written:\n {2}ConfigMap\/n\/b in x\/a.yaml: not allowed/);
    expect(fs.readdirSync(out)).toEqual(['previous.yaml']);
  });

  test('write replaces the whole folder: stale files of an earlier synth disappear', () => {
    const { app, a, b } = twoCharts();
    const out = tempDir('tree-');
    fs.writeFileSync(path.join(out, 'stale.yaml'), 'old\n');
    new KustomizeTree(app).place('x/ab.yaml', a, b).kustomization('x').write(out);
    expect(fs.readdirSync(path.join(out, 'x')).sort()).toEqual(['ab.yaml', 'kustomization.yaml']);
    expect(fs.existsSync(path.join(out, 'stale.yaml'))).toBe(false);
    expect(fs.readFileSync(path.join(out, 'x', 'ab.yaml'), 'utf8')).toMatch(/name: a\n[\s\S]*---\n[\s\S]*name: b\n/);
  });
});

describe('one object id per kustomize build', () => {
  const flavor = (chart: Chart, id: string, type: string) =>
    new ApiObject(chart, id, {
      apiVersion: 'kueue.x-k8s.io/v1beta1',
      kind: 'ResourceFlavor',
      metadata: { name: 'gpu' },
      spec: { nodeLabels: { 'node.kubernetes.io/instance-type': type } },
    });

  test('two charts of one root declaring one object identically: written once, and the real kubectl builds it', () => {
    const app = testApp();
    const said: string[] = [];
    const tree = new KustomizeTree(app, { report: (line) => said.push(line) });
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    flavor(a, 'F', 'g6e.12xlarge');
    flavor(b, 'F', 'g6e.12xlarge');
    tree.place('cluster/a.yaml', a).place('cluster/b.yaml', b).kustomization('cluster');
    const out = tempDir('one-id-');
    const rendered = tree.write(out);
    expect(rendered.objects.map((o) => o.file)).toEqual(['cluster/a.yaml']);
    expect(said).toEqual([
      expect.stringMatching(
        /ResourceFlavor gpu \(kueue.x-k8s.io\/v1beta1\) is declared identically in cluster\/a.yaml and cluster\/b.yaml, both built by cluster: written once, in cluster\/a.yaml/,
      ),
    ]);
    const built = execFileSync(kubectlBinary(), ['kustomize', path.join(out, 'cluster')], { encoding: 'utf8' });
    expect(built.match(/^kind: ResourceFlavor$/gm)).toHaveLength(1);
  });

  test('declared differently in one cluster, synth stops naming both definitions; roots a fleet sends to two clusters are both written', () => {
    const app = testApp();
    const tree = new KustomizeTree(app, { report: () => undefined });
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    flavor(a, 'F', 'g6e.12xlarge');
    flavor(b, 'F', 'g6.12xlarge');
    tree.place('cluster/a.yaml', a).place('cluster/b.yaml', b).kustomization('cluster');
    expect(() => tree.render()).toThrow(
      /error cluster-object-conflict ResourceFlavor\/gpu: ResourceFlavor 'gpu' is declared differently by a\/F in the same cluster \(the app's, here by b\/F\)/,
    );
    // two roots of one app, with nothing saying they go to different clusters, are one cluster's objects
    const app2 = testApp();
    const two = new KustomizeTree(app2, { report: () => undefined });
    const c = new Chart(app2, 'c');
    const d = new Chart(app2, 'd');
    flavor(c, 'F', 'g6e.12xlarge');
    flavor(d, 'F', 'g6.12xlarge');
    two.place('dev/c.yaml', c).place('prod/d.yaml', d).kustomization('dev').kustomization('prod');
    expect(() => two.render()).toThrow(/error cluster-object-conflict ResourceFlavor\/gpu: .*declared differently by c\/F .*here by d\/F/);
    // a fleet that sends each root to its own cluster keeps their cluster-scoped names apart
    const app3 = testApp();
    const three = new KustomizeTree(app3, { report: () => undefined });
    const e = new Chart(app3, 'e');
    const f = new Chart(app3, 'f');
    flavor(e, 'F', 'g6e.12xlarge');
    flavor(f, 'F', 'g6.12xlarge');
    three.place('dev/e.yaml', e).place('prod/f.yaml', f).kustomization('dev').kustomization('prod');
    const argo = new Chart(app3, 'argo');
    new ArgoCdFleet(argo, 'Fleet', {
      tree: three,
      name: 'cluster',
      repoURL: 'https://git.example.com/gitops.git',
      environments: [
        { name: 'dev', server: 'https://api.dev.example.com:6443', root: 'dev' },
        { name: 'prod', server: 'https://api.prod.example.com:6443', root: 'prod' },
      ],
    });
    three.place('argocd/fleet.yaml', argo).kustomization('argocd');
    expect(three.render().objects.filter((o) => o.manifest.kind === 'ResourceFlavor')).toHaveLength(2);
  });

  test('check reports an object declared twice in one kustomize build, even identically', () => {
    const dir = tempDir('dup-id-');
    const doc = 'apiVersion: kueue.x-k8s.io/v1beta1\nkind: ResourceFlavor\nmetadata:\n  name: gpu\nspec: {}\n';
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n  - a.yaml\n  - b.yaml\n');
    fs.writeFileSync(path.join(dir, 'a.yaml'), doc);
    fs.writeFileSync(path.join(dir, 'b.yaml'), doc);
    const findings = runChecks(readManifests([dir]).manifests).filter((f) => f.rule === 'cluster-object-conflict');
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(/is declared again at .*a.yaml:1 in the same build .*kustomize refuses the build/),
      }),
    ]);
    // kubectl agrees
    expect(() => execFileSync(kubectlBinary(), ['kustomize', dir], { encoding: 'utf8', stdio: 'pipe' })).toThrow(/already registered id/);
  });
});

describe('the tree swap after a killed write', () => {
  const DEAD_PID = 2 ** 22 + 12345; // above Linux's pid_max default: no process has it

  test('a tree moved away by a write killed between its two renames is put back, and stale folders are removed', () => {
    const parent = tempDir('swap-');
    const out = path.join(parent, 'dist');
    fs.mkdirSync(`${out}.old-${DEAD_PID}`);
    fs.writeFileSync(path.join(`${out}.old-${DEAD_PID}`, 'PLAN.md'), 'old tree');
    fs.mkdirSync(`${out}.staging-${DEAD_PID + 1}`);
    fs.writeFileSync(path.join(`${out}.staging-${DEAD_PID + 1}`, 'half.yaml'), 'half');
    recoverInterruptedWrite(out);
    expect(fs.readdirSync(parent).sort()).toEqual(['dist']);
    expect(fs.readFileSync(path.join(out, 'PLAN.md'), 'utf8')).toBe('old tree');
  });

  test('a write removes leftovers of dead writers and leaves only the new tree', () => {
    const parent = tempDir('swap-');
    const out = path.join(parent, 'dist');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'stale.yaml'), 'stale');
    fs.mkdirSync(`${out}.staging-${DEAD_PID}`);
    writeTreeAtomically(out, new Map([['a/b.yaml', 'new: true\n']]));
    expect(fs.readdirSync(parent).sort()).toEqual(['dist']);
    expect(fs.readdirSync(out)).toEqual(['a']);
    expect(fs.readFileSync(path.join(out, 'a', 'b.yaml'), 'utf8')).toBe('new: true\n');
  });
});
