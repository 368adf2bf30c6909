import * as path from 'path';
import { readManifests } from '../../lib';
import { deliveredTogether, deliveryUnitsOf } from '../../lib/check/applied-together';
import { ObjectGraph } from '../../lib/check/graph';
import { GraphObject } from '../../lib/check/graph-object';
import { writeTree } from '../util';

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ai\n`;

/** The graph of a tree read as the CLI reads it, and its objects by name. */
function graphOf(files: Record<string, string>): { graph: ObjectGraph; named: (name: string) => GraphObject; root: string } {
  const root = writeTree('delivery-units.', files);
  const r = readManifests([root]);
  const graph = new ObjectGraph(r.manifests as readonly GraphObject[], { folders: r.folders, scriptApplied: r.scriptApplied });
  const named = (name: string) => graph.objects.find((o) => (o.manifest.metadata as { name?: string }).name === name)!;
  return { graph, named, root };
}

describe('delivery units: what one step applies together, as the reader knows it', () => {
  test('two example folders nothing applies stay apart; each file is its own delivery', () => {
    const { graph, named, root } = graphOf({ 'examples/a/app.yaml': configMap('a'), 'examples/b/app.yaml': configMap('b') });
    expect(deliveredTogether(named('a'), named('b'), graph)).toBe(false);
    expect(deliveryUnitsOf(named('a'), graph)).toEqual([`file:${path.join(root, 'examples/a/app.yaml')}`]);
  });

  test('two documents of one file are delivered together', () => {
    const { graph, named } = graphOf({ 'all.yaml': `${configMap('a')}---\n${configMap('b')}` });
    expect(deliveredTogether(named('a'), named('b'), graph)).toBe(true);
  });

  test('a script applying two folders puts both in one delivery; a folder it does not reach stays apart', () => {
    const { graph, named, root } = graphOf({
      'deploy/pool/pool.yaml': configMap('a'),
      'deploy/route/route.yaml': configMap('b'),
      'other/extra.yaml': configMap('c'),
      'install.sh': '#!/bin/bash\nkubectl apply -f deploy/pool/\nkubectl apply -f deploy/route/route.yaml\n',
    });
    expect(deliveredTogether(named('a'), named('b'), graph)).toBe(true);
    expect(deliveryUnitsOf(named('a'), graph)).toContain(`script:${path.join(root, 'install.sh')}#`);
    expect(deliveredTogether(named('a'), named('c'), graph)).toBe(false);
  });

  test('a README command reaches the other files of the folder it applies from, and their subfolders: the variants of its example', () => {
    const { graph, named } = graphOf({
      'example/base.yaml': configMap('base'),
      'example/route.yaml': configMap('route'),
      'example/variants/gke/route.yaml': configMap('gke-route'),
      'example/README.md': '# Example\n\n```bash\nkubectl apply -f base.yaml\n```\n',
      'unrelated/thing.yaml': configMap('unrelated'),
    });
    expect(deliveredTogether(named('base'), named('route'), graph)).toBe(true);
    expect(deliveredTogether(named('base'), named('gke-route'), graph)).toBe(true);
    expect(deliveredTogether(named('base'), named('unrelated'), graph)).toBe(false);
  });

  test("a README's fenced blocks are separate steps: two blocks applying two folders do not join them; one block does", () => {
    const apart = graphOf({
      'a/one.yaml': configMap('a'),
      'b/two.yaml': configMap('b'),
      'README.md': '# Options\n\nOn GKE:\n\n```bash\nkubectl apply -f a/one.yaml\n```\n\nOn EKS:\n\n```bash\nkubectl apply -f b/two.yaml\n```\n',
    });
    expect(deliveredTogether(apart.named('a'), apart.named('b'), apart.graph)).toBe(false);
    const together = graphOf({
      'a/one.yaml': configMap('a'),
      'b/two.yaml': configMap('b'),
      'README.md': '# Install\n\n```bash\nkubectl apply -f a/one.yaml\nkubectl apply -f b/two.yaml\n```\n',
    });
    expect(deliveredTogether(together.named('a'), together.named('b'), together.graph)).toBe(true);
  });

  test('a kustomize build is one delivery; a file beside it that the build does not list is not in it', () => {
    const { graph, named } = graphOf({
      'app/kustomization.yaml': 'resources:\n  - one.yaml\n  - two.yaml\n',
      'app/one.yaml': configMap('a'),
      'app/two.yaml': configMap('b'),
      'loose/three.yaml': configMap('c'),
    });
    expect(deliveredTogether(named('a'), named('b'), graph)).toBe(true);
    expect(deliveryUnitsOf(named('a'), graph).some((u) => u.startsWith('kustomize:'))).toBe(true);
    expect(deliveredTogether(named('a'), named('c'), graph)).toBe(false);
  });

  test('an Argo CD Application delivers the files of its path together; a folder no Application syncs stays apart', () => {
    const app = `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: web, namespace: openshift-gitops}\nspec:\n  project: default\n  destination: {server: https://kubernetes.default.svc, namespace: ai}\n  source: {repoURL: https://example.com/r.git, path: deploy}\n`;
    const { graph, named } = graphOf({
      'apps/web.yaml': app,
      'deploy/one.yaml': configMap('a'),
      'deploy/two.yaml': configMap('b'),
      'other/three.yaml': configMap('c'),
    });
    expect(deliveryUnitsOf(named('a'), graph)).toContain('argocd:Application/openshift-gitops/web');
    expect(deliveredTogether(named('a'), named('b'), graph)).toBe(true);
    expect(deliveredTogether(named('a'), named('c'), graph)).toBe(false);
  });

  test('objects given without a file are read together: one delivery', () => {
    const objects = [{ manifest: { kind: 'ConfigMap', metadata: { name: 'a' } } }, { manifest: { kind: 'ConfigMap', metadata: { name: 'b' } } }];
    const graph = new ObjectGraph(objects);
    expect(deliveredTogether(graph.objects[0], graph.objects[1], graph)).toBe(true);
    expect(deliveryUnitsOf(graph.objects[0], graph)).toEqual(['input:']);
  });
});
