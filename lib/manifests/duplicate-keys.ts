import type * as YAMLTypes from 'yaml';
import { isMapping, Loose } from './access';

/**
 * Mapping keys written twice in one document, and what each reader makes of them. kubectl and Argo CD (sigs.k8s.io/yaml,
 * strict field validation) refuse every one. kustomize reads a resource with kyaml (go-yaml v3 nodes) and converts it
 * to a map with go-yaml's Unmarshal, which refuses a repeated key ("mapping key "x" already defined at line n"), except
 * where kyaml rewrote the node first: the annotations of each object's metadata, which the build rewrites as it records
 * its own (kyaml/yaml/rnode.go GetAnnotations reads the first `annotations` mapping, last value of a repeated key
 * winning; SetAnnotations clears that first field and writes the values into the next one), so repeated
 * `annotations` mappings merge, an earlier one winning a key both set. `labels` get no such rewrite and are refused.
 */

/** One key written again in a mapping: where, under which path of keys, and the line of its first occurrence. */
export interface RepeatedKey {
  readonly key: string;
  readonly path: readonly string[];
  readonly line: number;
  readonly firstLine: number;
}

/** Every key written again in a mapping of the document, in document order. */
export function repeatedKeys(yaml: typeof YAMLTypes, doc: YAMLTypes.Document.Parsed, lineCounter: YAMLTypes.LineCounter): RepeatedKey[] {
  const out: RepeatedKey[] = [];
  const lineOf = (n: unknown) => lineCounter.linePos((n as { range?: [number] } | null)?.range?.[0] ?? 0).line;
  const visit = (node: unknown, at: readonly string[]): void => {
    if (yaml.isSeq(node)) node.items.forEach((item, i) => visit(item, [...at, String(i)]));
    if (!yaml.isMap(node)) return;
    const first = new Map<string, number>();
    for (const pair of node.items) {
      const key = yaml.isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const before = first.get(key);
      if (before !== undefined) out.push({ key, path: at, line: lineOf(pair.key), firstLine: before });
      else first.set(key, lineOf(pair.key));
      visit(pair.value, [...at, key]);
    }
  };
  visit(doc.contents, []);
  return out;
}

/** Where an object's metadata sits in its document: the document itself, or an item of a List's items. */
function objectMetadata(at: readonly string[]): boolean {
  return (at.length === 1 && at[0] === 'metadata') || (at.length === 3 && at[0] === 'items' && /^\d+$/.test(at[1]) && at[2] === 'metadata');
}

/** Whether kustomize builds a resource with this key repeated: kyaml rewrites an object's metadata.annotations first. */
export function kustomizeRewrites(r: RepeatedKey): boolean {
  return (objectMetadata(r.path) && r.key === 'annotations') || (r.path[r.path.length - 1] === 'annotations' && objectMetadata(r.path.slice(0, -1)));
}

/**
 * The object as kustomize builds it where its metadata repeats `annotations`: the mappings merged, an earlier one
 * winning a key both set (see above). `manifest` is the parsed document, in which the last mapping won.
 */
export function mergeRepeatedAnnotations(yaml: typeof YAMLTypes, doc: YAMLTypes.Document.Parsed, manifest: unknown): void {
  const root = doc.contents;
  if (!yaml.isMap(root) || !isMapping(manifest)) return;
  mergeIn(yaml, root, manifest);
  const items = root.get('items', true);
  if (yaml.isSeq(items) && Array.isArray(manifest.items))
    items.items.forEach((item, i) => {
      const target = (manifest.items as unknown[])[i];
      if (yaml.isMap(item) && isMapping(target)) mergeIn(yaml, item, target);
    });
}

function mergeIn(yaml: typeof YAMLTypes, object: YAMLTypes.YAMLMap, target: Loose): void {
  const metadata = object.get('metadata', true);
  if (!yaml.isMap(metadata) || !isMapping(target.metadata)) return;
  const copies = metadata.items
    .filter((p) => yaml.isScalar(p.key) && p.key.value === 'annotations')
    .map((p) => (p.value as YAMLTypes.Node | null)?.toJSON() as unknown);
  if (copies.length < 2) return;
  const merged: Loose = {};
  for (const copy of copies.reverse()) if (isMapping(copy)) Object.assign(merged, copy);
  target.metadata.annotations = merged;
}

/**
 * A strategic-merge patch with a repeated key, as kustomize applies it: kyaml's merge walker looks each field of the
 * patch up by name (kyaml/yaml/walk, RNode.Field: the first field of that name), so the first of the repeated keys
 * is applied and the rest are not. A JSON 6902 patch (a list of operations) goes through sigs.k8s.io/yaml, where the
 * last wins, as the yaml library reads it: left alone. (Where the patch adds a whole mapping the target lacks and that
 * mapping repeats a key inside, kustomize copies the repeat and then refuses it; the first is kept here.)
 */
export function keepFirstOfRepeatedKeys(yaml: typeof YAMLTypes, doc: YAMLTypes.Document.Parsed): void {
  if (!yaml.isMap(doc.contents)) return;
  const visit = (node: unknown): void => {
    if (yaml.isSeq(node)) node.items.forEach(visit);
    if (!yaml.isMap(node)) return;
    const seen = new Set<unknown>();
    node.items = node.items.filter((pair) => {
      const key = yaml.isScalar(pair.key) ? pair.key.value : pair.key;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    node.items.forEach((pair) => visit(pair.value));
  };
  visit(doc.contents);
}
