import { readManifests } from '../../lib/manifests/read-manifests';
import { writeTree } from '../util';

/** A kustomization root whose build reads base/, with a folder of examples beside it that it does not list. */
const TREE = {
  'kustomization.yaml': 'resources:\n  - base\n',
  'base/kustomization.yaml': 'resources:\n  - namespace.yaml\n',
  'base/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: demo}\n',
  'inference-examples/settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: demo}\ndata: {MODEL: granite}\n',
  'inference-examples/prompts.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: prompts, namespace: demo}\ndata: {a: b}\n',
};

const files = (dir: string, manifests: readonly { file: string }[]) => manifests.map((m) => m.file.slice(dir.length + 1)).sort();

describe('YAML files in folders beside a kustomization root', () => {
  test('nothing delivers them: not read, and said once in a note naming them, not a warning per file', () => {
    const dir = writeTree('beside-build-', TREE);
    const read = readManifests([dir]);
    expect(files(dir, read.manifests)).toEqual(['base/namespace.yaml']);
    const notes = read.errors.filter((e) => /beside the kustomize build/.test(e.message));
    expect(notes.map((e) => [e.severity, e.file])).toEqual([['info', dir]]);
    expect(notes[0].message).toMatch(
      /^2 YAML files in folders beside the kustomize build \(inference-examples\/prompts\.yaml, inference-examples\/settings\.yaml\) are not read/,
    );
  });

  test('a script that applies the folder (oc apply -f inference-examples/) delivers it: its files are read as input', () => {
    const dir = writeTree('beside-build-', { ...TREE, 'deploy.sh': '#!/bin/bash\nset -e\noc apply -k .\noc apply -f inference-examples/\n' });
    const read = readManifests([dir]);
    expect(files(dir, read.manifests)).toEqual(['base/namespace.yaml', 'inference-examples/prompts.yaml', 'inference-examples/settings.yaml']);
    expect(read.errors.filter((e) => /beside the kustomize build/.test(e.message))).toEqual([]);
  });

  test("a README's fenced command applying one file delivers that file only", () => {
    const dir = writeTree('beside-build-', { ...TREE, 'README.md': '```\nkubectl apply -f inference-examples/settings.yaml\n```\n' });
    const read = readManifests([dir]);
    expect(files(dir, read.manifests)).toEqual(['base/namespace.yaml', 'inference-examples/settings.yaml']);
    expect(read.errors.filter((e) => /beside the kustomize build/.test(e.message)).map((e) => e.message)).toEqual([
      expect.stringMatching(/^1 YAML file in folders beside the kustomize build \(inference-examples\/prompts\.yaml\) is not read/),
    ]);
  });

  test('near misses: `kubectl apply -k` of the folder is a kustomize build, not a delivery of its files; a file beside a kustomization it does not list gets no note', () => {
    const dir = writeTree('beside-build-', {
      ...TREE,
      'deploy.sh': 'kubectl apply -k inference-examples\n',
      'base/forgotten.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: forgotten}\n',
    });
    const read = readManifests([dir]);
    expect(files(dir, read.manifests)).toEqual(['base/namespace.yaml']);
    expect(read.errors.filter((e) => /beside the kustomize build/.test(e.message)).map((e) => e.message)).toEqual([expect.stringMatching(/^2 YAML files/)]);
  });
});
