import type * as YAMLTypes from 'yaml';
import { isMapping, Loose } from './access';

/**
 * Mapping keys written twice in one document, and what each reader makes of them. kubectl and oc decode each document
 * of a file on the client with sigs.k8s.io/yaml (k8s.io/apimachinery util/yaml NewYAMLOrJSONDecoder, cli-runtime
 * resource/visitor.go StreamVisitor; go-yaml v2 non-strict: the last value of a repeated key wins, no error) and send
 * the decoded object re-encoded, so the API server's strict field validation never sees the repeat; Argo CD's
 * directory source reads files the same way (reposerver/repository/repository.go splitYAMLOrJSON). kustomize reads a
 * resource with kyaml (go-yaml v3 nodes) and converts it to a map with go-yaml's Unmarshal, which refuses a repeated key
 * ("mapping key "x" already defined at line n"), except where kyaml rewrote the node first: the annotations of each
 * object's metadata, which the build rewrites as it records its own (kyaml/yaml/rnode.go GetAnnotations reads the first
 * `annotations` mapping, last value of a repeated key winning; SetAnnotations clears that first field and writes the
 * values into the next one), so repeated `annotations` mappings merge, an earlier one winning a key both set. `labels`
 * get no such rewrite and are refused.
 */

/** One key written again in a mapping: where, under which path of keys, and the line of its first occurrence. */
export interface RepeatedKey {
  readonly key: string;
  readonly path: readonly string[];
  readonly line: number;
  readonly firstLine: number;
  /** The value written here is the one written at firstLine: a reader keeping either loses nothing. */
  readonly same: boolean;
  /** Of a repeated container `env`: the variables the earlier list sets that this one does not, with their literal values. */
  readonly lostEnv?: readonly { readonly name: string; readonly value?: string }[];
}

/** The variables an `env` list sets (name and literal value). */
function envVariables(list: unknown): { name: string; value?: string }[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((e: unknown) => {
    const entry = isMapping(e) ? e : {};
    return typeof entry.name === 'string' ? [{ name: entry.name, ...(typeof entry.value === 'string' ? { value: entry.value } : {}) }] : [];
  });
}

/** The variables of an earlier `env` list that the later one leaves out: lost when the later one wins. */
function lostVariables(yaml: typeof YAMLTypes, earlier: unknown, later: unknown): { name: string; value?: string }[] {
  const json = (v: unknown) => (yaml.isNode(v) ? (v.toJSON() as unknown) : v);
  const kept = new Set(envVariables(json(later)).map((e) => e.name));
  return envVariables(json(earlier)).filter((e) => !kept.has(e.name));
}

/** Every key written again in a mapping of the document, in document order. */
export function repeatedKeys(yaml: typeof YAMLTypes, doc: YAMLTypes.Document.Parsed, lineCounter: YAMLTypes.LineCounter): RepeatedKey[] {
  const out: RepeatedKey[] = [];
  const lineOf = (n: unknown) => lineCounter.linePos((n as { range?: [number] } | null)?.range?.[0] ?? 0).line;
  const visit = (node: unknown, at: readonly string[]): void => {
    if (yaml.isSeq(node)) node.items.forEach((item, i) => visit(item, [...at, String(i)]));
    if (!yaml.isMap(node)) return;
    const first = new Map<string, { line: number; value: unknown }>();
    for (const pair of node.items) {
      const key = yaml.isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const before = first.get(key);
      if (before !== undefined) {
        const value = written(yaml, pair.value);
        const same = value !== undefined && value === written(yaml, before.value);
        const lost = key === 'env' && !same ? lostVariables(yaml, before.value, pair.value) : [];
        out.push({ key, path: at, line: lineOf(pair.key), firstLine: before.line, same, ...(lost.length ? { lostEnv: lost } : {}) });
      } else first.set(key, { line: lineOf(pair.key), value: pair.value });
      visit(pair.value, [...at, key]);
    }
  };
  visit(doc.contents, []);
  return out;
}

/** A value as JSON, to compare two of a repeated key; a value that cannot be read alone (an alias) compares unequal. */
function written(yaml: typeof YAMLTypes, value: unknown): string | undefined {
  try {
    return JSON.stringify(yaml.isNode(value) ? value.toJSON() : value) ?? 'null';
  } catch {
    return undefined;
  }
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

/**
 * How kubectl, oc and Argo CD's directory source read a repeated key (see the head of this file): verified with
 * kubectl 1.34 (`kubectl create --dry-run=client -o yaml` and `kubectl apply --dry-run=client` print the object with
 * the last value, with server-side field validation and with --validate=false).
 */
const AS_WRITTEN =
  'applied as written (kubectl or oc apply, an Argo CD directory source), the document is decoded with sigs.k8s.io/yaml, where the last value of a repeated key wins without an error';

/**
 * What a repeated key costs in a document that is no Kubernetes object (a Helm values file, a compose file, a
 * program's configuration): no API server reads it, so nothing refuses it. Helm reads values files with
 * sigs.k8s.io/yaml non-strict (helm pkg/chartutil/values.go ReadValues → yaml.Unmarshal; go-yaml's decoder sets each
 * key in turn, so the last block wins and the first is dropped without a word).
 */
const OUTSIDE_OBJECT =
  'the document is no Kubernetes object, so no API server judges it: read as Helm values (sigs.k8s.io/yaml, helm pkg/chartutil ReadValues) or by most YAML readers, the last value wins';

/** The verdict after `document N: …` in a repeated key's message: what a reader of the file as written makes of it. */
export const REPEAT_VERDICT = /; (?:applied as written|the document is no Kubernetes object) .*$/;

/** What kustomize would make of the repeat, were the file a resource of a kustomization (there it is kustomize-build-fails). */
const KUSTOMIZE_REFUSES = 'kustomize would refuse the file as a resource';

/** A document's repeated keys as one problem: its message, severity and line, and kustomize's refusal when it refuses them. */
export interface RepeatVerdict {
  readonly message: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly line: number;
  readonly kustomizeRefusal?: string;
}

/**
 * One finding for a document's repeated keys, naming them all, as a reader of the file as written takes it: a
 * repeat whose values differ loses the first (a warning); one whose values are equal loses nothing (a note); where
 * apiVersion and kind repeat, the mistake is two objects written without a `---` between them, and the first one's
 * values are lost (an error, the first object is never applied) unless it is the second written twice. `asObject`:
 * the document is a Kubernetes object (kubectl sends it), not a values or configuration file.
 */
export function repeatVerdict(
  yaml: typeof YAMLTypes,
  doc: YAMLTypes.Document.Parsed,
  index: number,
  repeated: readonly RepeatedKey[],
  asObject: boolean,
): RepeatVerdict {
  const keys = [...new Set(repeated.map((r) => r.key))];
  const quoted = keys.map((k) => `'${k}'`).join(', ');
  const changed = repeated.filter((r) => !r.same);
  const refused = repeated.find((r) => !kustomizeRewrites(r));
  const base = {
    line: repeated[0].line,
    ...(refused ? { kustomizeRefusal: `mapping key "${refused.key}" already defined at line ${refused.firstLine}` } : {}),
  };
  if (keys.includes('apiVersion') && keys.includes('kind')) {
    const lost = firstObjectLost(yaml, doc);
    return changed.length
      ? {
          ...base,
          severity: 'error',
          message: `document ${index + 1} repeats ${quoted}: two objects without a \`---\` separator, read as one mapping; ${AS_WRITTEN}, so only the second object's values are kept${lost ? ` and ${lost} is never created` : " and the first one's are dropped"}: put a line \`---\` before the second apiVersion`,
        }
      : {
          ...base,
          severity: 'info',
          message: `document ${index + 1} repeats ${quoted}: one object written twice without a \`---\` separator, each key with the same value; ${AS_WRITTEN}, so nothing is lost (${KUSTOMIZE_REFUSES}): remove the copy`,
        };
  }
  const what = keys.length > 1 ? `the keys ${quoted} each appear twice in one mapping` : `the key ${quoted} appears twice in one mapping`;
  const lines = [...new Set(changed.map((r) => r.firstLine))];
  const dropped = `the different value${lines.length > 1 ? 's' : ''} written at line${lines.length > 1 ? 's' : ''} ${lines.join(', ')} ${lines.length > 1 ? 'are' : 'is'} dropped silently`;
  if (!asObject)
    return changed.length
      ? { ...base, severity: 'warning', message: `document ${index + 1}: ${what}; ${OUTSIDE_OBJECT}, so ${dropped}: keep one (merge the two blocks)` }
      : {
          ...base,
          severity: 'info',
          message: `document ${index + 1}: ${what}; ${OUTSIDE_OBJECT}, and both values are the same, so nothing is lost: remove the repeat`,
        };
  return changed.length
    ? {
        ...base,
        severity: 'warning',
        message: `document ${index + 1}: ${what}; ${AS_WRITTEN}, so ${dropped}${lostEnvWords(changed)} (${KUSTOMIZE_REFUSES}): keep one`,
      }
    : {
        ...base,
        severity: 'info',
        message: `document ${index + 1}: ${what}; ${AS_WRITTEN}, and both values are the same, so nothing is lost (${KUSTOMIZE_REFUSES}): remove the repeat`,
      };
}

/** GKE's driver libraries, which a container on GKE's GPU nodes finds only where LD_LIBRARY_PATH names them (gke-driver-path-missing). */
const GKE_DRIVER_LIBRARIES = '/usr/local/nvidia/lib64';

/**
 * What a container loses with a dropped `env` list: the variables it set that the kept list lacks, so the rules, which
 * read the env as applied (the last list), judge the container without them; GKE's driver path named where it is one.
 */
function lostEnvWords(changed: readonly RepeatedKey[]): string {
  const lost = changed.flatMap((r) => (r.lostEnv ?? []).map((e) => ({ ...e, line: r.firstLine })));
  if (!lost.length) return '';
  const shown = lost.map((e) => (e.value !== undefined ? `${e.name}=${e.value}` : e.name)).join(', ');
  const driver = lost.some((e) => e.name === 'LD_LIBRARY_PATH' && e.value?.includes(GKE_DRIVER_LIBRARIES))
    ? `; the dropped LD_LIBRARY_PATH held GKE's driver libraries (${GKE_DRIVER_LIBRARIES}), without which vLLM's CUDA 12.8 images (vLLM 0.9.0 to 0.11.0) find no GPU on GKE`
    : '';
  return `: the env list written at line ${lost[0].line} sets ${shown}, which the list kept does not, so the container runs without ${lost.length > 1 ? 'them' : 'it'}${driver}`;
}

/** The first of two objects written as one mapping, as `Kind name`, where it is another object than the second (its kind or name differs). */
function firstObjectLost(yaml: typeof YAMLTypes, doc: YAMLTypes.Document.Parsed): string | undefined {
  const root = doc.contents;
  if (!yaml.isMap(root)) return undefined;
  const values = (key: string) => root.items.filter((p) => yaml.isScalar(p.key) && p.key.value === key).map((p) => p.value);
  const nameOf = (metadata: unknown) => (yaml.isMap(metadata) ? metadata.get('name') : undefined);
  const kinds = values('kind').map((k) => (yaml.isScalar(k) ? String(k.value) : undefined));
  const names = values('metadata').map(nameOf);
  const [kind, name] = [kinds[0], names[0]];
  if (kind === undefined || (kind === kinds[kinds.length - 1] && name === names[names.length - 1])) return undefined;
  return typeof name === 'string' ? `${kind} ${name}` : kind;
}

/**
 * The variables each repeated container `env` key of an object drops (RepeatedKey.lostEnv), by the name of the container
 * at the key's path (…containers.N or initContainers.N in the object as read).
 */
export function droppedEnvOf(repeated: readonly RepeatedKey[], manifest: unknown): { container: string; name: string; value?: string; line: number }[] {
  return repeated.flatMap((r) => {
    if (!r.lostEnv?.length || !/^(containers|initContainers)$/.test(r.path[r.path.length - 2] ?? '')) return [];
    let at: unknown = manifest;
    for (const key of r.path) at = Array.isArray(at) ? at[Number(key)] : isMapping(at) ? at[key] : undefined;
    const container = isMapping(at) && typeof at.name === 'string' ? at.name : undefined;
    return container === undefined ? [] : r.lostEnv.map((e) => ({ container, ...e, line: r.firstLine }));
  });
}
