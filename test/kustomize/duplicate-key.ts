import { execFileSync } from 'child_process';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { readManifests } from '../../lib';
import { kubectlBinary, kubectlEnv } from '../setup/kubectl';
import { writeTree } from '../setup/scratch';

/**
 * A mapping key written twice, in a file kustomize reads: kustomize builds a resource whose metadata repeats
 * `annotations` (merged, the earlier winning) or whose annotations repeat a key, and refuses every other repeat; a
 * strategic-merge patch keeps the first of a repeated key, a JSON 6902 patch the last. Each case is built by the real
 * kubectl kustomize and by the reader, and both must agree: the same objects, or a refusal where kubectl fails.
 */

const CM = (metadata: string, data = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n${metadata}${data}`;
const RESOURCES: [string, string][] = [
  ['a top-level key', CM('', 'data:\n  x: "1"\ndata:\n  y: "2"\n')],
  ['metadata.name', CM('  name: b\n')],
  ['metadata.annotations', CM('  annotations:\n    p: "1"\n  annotations:\n    q: "2"\n')],
  ['metadata.annotations, both setting one key', CM('  annotations:\n    p: "1"\n  annotations:\n    p: "2"\n')],
  ['metadata.annotations three times', CM('  annotations:\n    p: "1"\n  annotations:\n    q: "2"\n  annotations:\n    r: "3"\n')],
  ['a key inside metadata.annotations', CM('  annotations:\n    p: "1"\n    p: "2"\n')],
  ['metadata.labels', CM('  labels:\n    p: "1"\n  labels:\n    q: "2"\n')],
  ['metadata.annotations and metadata.labels', CM('  annotations:\n    p: "1"\n  labels:\n    l: "1"\n  annotations:\n    q: "2"\n  labels:\n    m: "2"\n')],
  ['a key inside data', CM('', 'data:\n  x: "1"\n  x: "2"\n')],
  [
    'annotations of a List item',
    'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n    annotations:\n      p: "1"\n    annotations:\n      q: "2"\n',
  ],
  [
    'annotations of a pod template (no object metadata)',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector:\n    matchLabels:\n      app: d\n  template:\n    metadata:\n      labels:\n        app: d\n      annotations:\n        p: "1"\n      annotations:\n        q: "2"\n    spec:\n      containers:\n      - name: c\n        image: i:1\n',
  ],
  ['two objects without a separator', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b\n'],
];

const PATCHED = CM('', 'data:\n  x: "1"\n');
const PATCHES: [string, string, string][] = [
  ['a top-level key of a strategic-merge patch', 'patches:\n- path: p.yaml\n', CM('', 'data:\n  y: "1"\ndata:\n  z: "1"\n')],
  ['a key the target has', 'patches:\n- path: p.yaml\n', CM('', 'data:\n  x: "2"\n  x: "3"\n')],
  ['metadata.annotations of a patch', 'patches:\n- path: p.yaml\n', CM('  annotations:\n    p: "1"\n  annotations:\n    q: "2"\n')],
  ['a JSON 6902 operation', 'patches:\n- path: p.yaml\n  target:\n    kind: ConfigMap\n', '- op: add\n  path: /data/q\n  value: "1"\n  value: "2"\n'],
];

/** What kubectl kustomize builds of a folder: its objects, or undefined when it refuses the build. */
function kubectlBuilds(dir: string): unknown[] | undefined {
  try {
    const out = execFileSync(kubectlBinary(), ['kustomize', dir], { stdio: 'pipe', env: kubectlEnv() }).toString();
    return parseAllDocuments(out)
      .map((d) => d.toJS() as unknown)
      .filter((v) => v);
  } catch {
    return undefined;
  }
}

/** What the reader builds: its objects, and the findings it says on the resource file, as [kind, severity]. */
function readerBuilds(dir: string): { objects: unknown[]; findings: [string | undefined, string][] } {
  const read = readManifests([dir]);
  return { objects: read.manifests.map((m) => m.manifest), findings: read.errors.map((e) => [e.kind, e.severity]) };
}

describe('repeated keys in a resource kustomize reads', () => {
  test.each(RESOURCES)('%s: the reader agrees with kubectl kustomize', (_, resource) => {
    const dir = writeTree('dupkey-', { 'kustomization.yaml': 'resources:\n- r.yaml\n', 'r.yaml': resource });
    const built = kubectlBuilds(dir);
    const read = readerBuilds(dir);
    if (built === undefined) {
      expect(read.findings).toEqual([['kustomize-build-fails', 'error']]);
    } else {
      expect(read.findings).toEqual([]);
      expect(read.objects).toEqual(built);
    }
  });

  test('kustomize builds repeated annotations merged and refuses repeated labels (the premise of the cases above)', () => {
    const merged = writeTree('dupkey-', { 'kustomization.yaml': 'resources:\n- r.yaml\n', 'r.yaml': RESOURCES[3][1] });
    expect(kubectlBuilds(merged)).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', annotations: { p: '1' } } }]);
    const labels = writeTree('dupkey-', { 'kustomization.yaml': 'resources:\n- r.yaml\n', 'r.yaml': RESOURCES[6][1] });
    expect(kubectlBuilds(labels)).toBeUndefined();
  });

  test('a refusal is one finding of kustomize-build-fails naming the key and kustomize’s words', () => {
    const dir = writeTree('dupkey-', { 'kustomization.yaml': 'resources:\n- r.yaml\n', 'r.yaml': RESOURCES[6][1] });
    expect(readManifests([dir]).errors).toEqual([
      {
        file: path.join(dir, 'r.yaml'),
        line: 7,
        severity: 'error',
        kind: 'kustomize-build-fails',
        message: `document 1: the key 'labels' appears twice in one mapping; kustomize refuses it as a resource of ${dir} ("mapping key "labels" already defined at line 5"), so the build fails: keep one`,
      },
    ]);
  });

  test('the same file applied as written (no kustomization) is kubectl’s to read: a warning where values differ, a note where they are equal', () => {
    const dir = writeTree('dupkey-', { 'r.yaml': RESOURCES[2][1] });
    expect(readManifests([dir]).errors.map((e) => [e.kind, e.severity])).toEqual([['duplicate-key', 'warning']]);
    const equal = writeTree('dupkey-', { 'r.yaml': CM('', 'data:\n  x: "1"\n  x: "1"\n') });
    expect(readManifests([equal]).errors.map((e) => [e.kind, e.severity])).toEqual([['duplicate-key', 'info']]);
  });
});

describe('repeated keys in a patch kustomize applies', () => {
  test.each(PATCHES)('%s: the reader agrees with kubectl kustomize', (_, patches, patch) => {
    const dir = writeTree('dupkey-', { 'kustomization.yaml': `resources:\n- r.yaml\n${patches}`, 'r.yaml': PATCHED, 'p.yaml': patch });
    const built = kubectlBuilds(dir);
    expect(built).toBeDefined();
    const read = readerBuilds(dir);
    expect(read.findings).toEqual([]);
    expect(read.objects).toEqual(built);
  });
});
