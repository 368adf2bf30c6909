import { createHash } from 'crypto';
import { isMapping, Loose, mapping, strings, text } from './access';
import { allNamesOf, BUILD_ANNOTATION_KEYS, NEEDS_HASH } from './build-ids';
import { isRemote } from './kustomization';

/**
 * kustomize v5.7's ConfigMapGenerator and SecretGenerator (api/internal/generators/configmap.go, secret.go, utils.go,
 * with the key-value loader of api/kv/kv.go) and the content hash it appends to their names when the root's build
 * ends (api/hasher/hasher.go); with `behavior: merge` or `replace` they edit an object the build already has.
 */

interface Options {
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly disableNameSuffixHash: boolean;
  readonly immutable: boolean;
}

/** types.MergeGlobalOptionsIntoLocal: a generator's own labels and annotations win; either flag set sets it. */
function optionsOf(local: unknown, global: unknown): Options {
  const l = mapping(local);
  const g = mapping(global);
  const merged = (k: string) => (isMapping(l[k]) || isMapping(g[k]) ? { ...mapping(g[k]), ...mapping(l[k]) } : undefined);
  return {
    labels: merged('labels'),
    annotations: merged('annotations'),
    disableNameSuffixHash: l.disableNameSuffixHash === true || g.disableNameSuffixHash === true,
    immutable: l.immutable === true || g.immutable === true,
  };
}

/** kv.removeQuotes: one pair of matching quotes around a literal's value goes. */
function unquoted(s: string): string {
  return s.length >= 2 && s[0] === s[s.length - 1] && (s[0] === '"' || s[0] === "'") ? s.slice(1, -1) : s;
}

/** A generator's file that a script of the tree, or each user, writes before the build: the object is made without its keys. */
export const WRITTEN_BEFORE_BUILD = Symbol('written before the build');

/**
 * A file a generator names, as bytes (a Secret or a ConfigMap's binaryData may hold any); undefined when reported as
 * refused; WRITTEN_BEFORE_BUILD when it is made before the build (reported as a step not followed).
 */
export type FileBytesReader = (file: string) => Buffer | typeof WRITTEN_BEFORE_BUILD | undefined;

/** Bytes as UTF-8 text, or undefined when they are not valid UTF-8 (Go's utf8.ValidString). */
function utf8(b: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(b);
  } catch {
    return undefined;
  }
}

/** kv.keyValuesFromLines: KEY=value lines; blank lines and `#` comments skipped; a key alone has an empty value. */
function envPairs(bytes: Buffer): [string, Buffer][] {
  const source = utf8(bytes);
  if (source === undefined) throw new Error('has an env file that is not valid UTF-8');
  const out: [string, Buffer][] = [];
  for (const raw of source.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.replace(/^\s+/, '');
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(key)) throw new Error(`'${key}' in an env file is not an environment variable name`);
    out.push([key, Buffer.from(eq < 0 ? '' : line.slice(eq + 1))]);
  }
  return out;
}

/** generators.ParseFileSource: `key=path` or `path` (the key is the file's name). */
function fileSource(s: string): [string, string] {
  const n = s.split('=').length - 1;
  if (n === 0) return [s.slice(s.lastIndexOf('/') + 1), s];
  if (n > 1 || s.startsWith('=') || s.endsWith('=')) throw new Error(`file source '${s}' needs one key and one path (key=path)`);
  const [k, p] = s.split('=');
  return [k, p];
}

/** The key-value pairs of a generator (kv.loader.Load): env files, literals, files, in that order; a repeated key is refused. */
function pairsOf(g: Loose, readFile: FileBytesReader, remote: string[]): Map<string, Buffer> | undefined {
  const pairs: [string, Buffer][] = [];
  let unbuilt = false;
  for (const file of [...strings(g.envs), ...(typeof g.env === 'string' && g.env ? [g.env] : [])]) {
    // kustomize's loader fetches a URL; the reader does not, and generates the object without its pairs
    if (isRemote(file)) {
      remote.push(file);
      continue;
    }
    const source = readFile(file);
    if (source === undefined) return undefined;
    if (source === WRITTEN_BEFORE_BUILD) unbuilt = true;
    else pairs.push(...envPairs(source));
  }
  for (const literal of strings(g.literals)) {
    const eq = literal.indexOf('=');
    if (eq <= 0) throw new Error(`literal '${literal}' is not key=value`);
    pairs.push([literal.slice(0, eq), Buffer.from(unquoted(literal.slice(eq + 1)))]);
  }
  for (const entry of strings(g.files)) {
    const [key, file] = fileSource(entry);
    if (isRemote(file)) {
      remote.push(file);
      continue;
    }
    const source = readFile(file);
    if (source === undefined) return undefined;
    if (source === WRITTEN_BEFORE_BUILD) unbuilt = true;
    else pairs.push([key, source]);
  }
  const out = new Map<string, Buffer>();
  // some keys are unknown: the object is made with none, which the rules read as keys the tree does not state
  if (unbuilt) return out;
  for (const [k, v] of pairs) {
    // a ConfigMap or Secret key (k8s.io/apimachinery IsConfigMapKey)
    if (!/^[-._a-zA-Z0-9]+$/.test(k)) throw new Error(`key '${k}' is not a valid ConfigMap or Secret key (letters, digits, '-', '_', '.')`);
    if (out.has(k)) throw new Error(`repeats the key \`${k}\``);
    out.set(k, v);
  }
  return out;
}

/** One generated object (MakeConfigMap, MakeSecret), marked for a hash suffix unless the options disable it. */
/** kyaml's encodeBase64: base64 cut into lines of 70 characters, each ended by a newline once there is more than one. */
function encodeBase64(b: Buffer): string {
  const s = b.toString('base64');
  if (s.length < 70) return s;
  return (s.match(/.{1,70}/g) ?? []).map((line) => `${line}\n`).join('');
}

function generated(kind: 'ConfigMap' | 'Secret', g: Loose, data: Map<string, Buffer>, o: Options): Loose {
  const meta: Loose = { name: g.name };
  if (typeof g.namespace === 'string' && g.namespace) meta.namespace = g.namespace;
  if (o.labels && Object.keys(o.labels).length) meta.labels = o.labels;
  const annotations = { ...(o.annotations ?? {}), ...(o.disableNameSuffixHash ? {} : { [NEEDS_HASH]: 'enabled' }) };
  if (Object.keys(annotations).length) meta.annotations = annotations;
  // a Secret holds every value in base64 (with `data: {}` when it has none); a ConfigMap holds text as it is and other
  // bytes in binaryData (yaml.LoadMapIntoSecretData, LoadMapIntoConfigMapData)
  const text_ = [...data].flatMap(([k, v]) => (kind === 'ConfigMap' && utf8(v) !== undefined ? [[k, utf8(v)]] : []));
  const encoded = [...data].flatMap(([k, v]) => (kind === 'Secret' || utf8(v) === undefined ? [[k, encodeBase64(v)]] : []));
  return {
    apiVersion: 'v1',
    kind,
    metadata: meta,
    ...(kind === 'Secret' ? { type: text(g.type) || 'Opaque', data: Object.fromEntries(encoded) } : {}),
    ...(kind === 'ConfigMap' && text_.length ? { data: Object.fromEntries(text_) } : {}),
    ...(kind === 'ConfigMap' && encoded.length ? { binaryData: Object.fromEntries(encoded) } : {}),
    ...(o.immutable ? { immutable: true } : {}),
  };
}

/** A generated object, with how it joins the build (its generator's behavior) and the name and namespace it is known by there. */
export interface Generated {
  readonly object: Loose;
  readonly behavior: 'create' | 'merge' | 'replace';
  readonly where: string;
}

/** The objects a kustomization's configMapGenerator and secretGenerator make, with what kustomize refuses (a missing name, a bad key or file). */
export function generate(k: Loose, readFile: FileBytesReader): { made: Generated[]; problems: string[]; notApplied: string[] } {
  const out = { made: [] as Generated[], problems: [] as string[], notApplied: [] as string[] };
  for (const [field, kind] of [
    ['configMapGenerator', 'ConfigMap'],
    ['secretGenerator', 'Secret'],
  ] as const) {
    for (const [i, entry] of (Array.isArray(k[field]) ? k[field] : []).entries()) {
      const g = mapping(entry);
      const where = `${field}[${i}]`;
      const behavior = text(g.behavior) || 'create';
      if (behavior !== 'create' && behavior !== 'merge' && behavior !== 'replace')
        out.problems.push(`${where} has behavior '${behavior}', not create, merge or replace: kustomize refuses it`);
      else if (typeof g.name !== 'string' || !g.name) out.problems.push(`${where} has no name: kustomize refuses it ("a configmap must have a name")`);
      else {
        try {
          const remote: string[] = [];
          const data = pairsOf(g, readFile, remote);
          if (data) out.made.push({ object: generated(kind, g, data, optionsOf(g.options, k.generatorOptions)), behavior, where });
          for (const r of remote)
            out.notApplied.push(`${where} (${String(g.name)}) reads the remote file '${r}', which is not fetched: its keys are missing here`);
        } catch (e) {
          out.problems.push(`${where} (${String(g.name)}) ${(e as Error).message}: kustomize refuses it`);
        }
      }
    }
  }
  return out;
}

/** Whether an object of the build has the generated object's id: kind, name (any it had) and namespace (its own or its file's). */
function sameId(o: unknown, g: Loose, originalNamespace: (o: Loose) => string | undefined): boolean {
  if (!isMapping(o) || o.kind !== g.kind || o.apiVersion !== g.apiVersion) return false;
  const ns = (v: string | undefined) => v || 'default';
  const want = ns(text(mapping(g.metadata).namespace));
  return allNamesOf(o).includes(String(mapping(g.metadata).name)) && (ns(text(mapping(o.metadata).namespace)) === want || ns(originalNamespace(o)) === want);
}

/**
 * A merge or replace generator's object in place of the object it edits (resource.CopyMergeMetaDataFieldsFrom,
 * MergeDataMapFrom): the old name, namespace and build identity; labels and annotations merged, the generator's
 * winning; data merged (merge) or the generator's alone (replace); a hash suffix only if both asked for one.
 */
function merged(old: Loose, g: Generated): Loose {
  const [oldMeta, newMeta] = [mapping(old.metadata), mapping(g.object.metadata)];
  const oldAnnotations = mapping(oldMeta.annotations);
  const annotations: Loose = { ...oldAnnotations, ...mapping(newMeta.annotations) };
  for (const key of BUILD_ANNOTATION_KEYS) {
    if (key in oldAnnotations) annotations[key] = oldAnnotations[key];
    else delete annotations[key];
  }
  if (!(NEEDS_HASH in mapping(newMeta.annotations))) delete annotations[NEEDS_HASH];
  const labels = { ...mapping(oldMeta.labels), ...mapping(newMeta.labels) };
  const meta: Loose = { ...newMeta, name: oldMeta.name, labels, annotations };
  if (oldMeta.namespace === undefined) delete meta.namespace;
  else meta.namespace = oldMeta.namespace;
  for (const k of ['labels', 'annotations']) if (!Object.keys(meta[k]).length) delete meta[k];
  const out: Loose = { ...g.object, metadata: meta };
  if (g.behavior === 'merge') {
    for (const field of ['data', 'binaryData']) {
      const data = { ...mapping(old[field]), ...mapping(g.object[field]) };
      if (Object.keys(data).length) out[field] = data;
    }
  }
  return out;
}

/**
 * The generated objects joined to a kustomization's build (resWrangler.appendReplaceOrMerge): a new id is appended
 * (merge and replace refuse it), an existing one is merged or replaced in place (create refuses it), several are refused.
 */
export function absorb(
  objects: readonly unknown[],
  made: readonly Generated[],
  originalNamespace: (o: Loose) => string | undefined,
): { objects: unknown[]; appended: Loose[]; problems: string[]; absent: string[] } {
  const out = [...objects];
  const appended: Loose[] = [];
  const problems: string[] = [];
  // an object to merge or replace that the build lacks: kustomize's verdict only where the reader built all of it
  const absent: string[] = [];
  for (const g of made) {
    const id = `${String(g.object.kind)} '${String(mapping(g.object.metadata).name)}'`;
    const at = [...out, ...appended].flatMap((o, i) => (sameId(o, g.object, originalNamespace) ? [i] : []));
    if (at.length > 1)
      problems.push(`${g.where} (${id}) matches ${at.length} objects of the build: kustomize refuses it ("found multiple objects … that could accept merge")`);
    else if (!at.length && g.behavior !== 'create')
      absent.push(
        `${g.where} has behavior: ${g.behavior}, but no ${id} is in the build to ${g.behavior}: kustomize refuses it ("does not exist; cannot merge or replace")`,
      );
    else if (at.length && g.behavior === 'create')
      problems.push(
        `${g.where} creates ${id}, which the build already has: kustomize refuses it ("behavior must be merge or replace"); give it behavior: merge or replace`,
      );
    else if (!at.length) appended.push(g.object);
    else if (at[0] < out.length) out[at[0]] = merged(out[at[0]] as Loose, g);
    else appended[at[0] - out.length] = merged(appended[at[0] - out.length], g);
  }
  return { objects: out, appended, problems, absent };
}

/** Go's encoding/json escapes of a string (HTML-safe: <, >, & and the line separators as \u escapes). */
function goJson(v: unknown): string {
  if (isMapping(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((key) => `${goJson(key)}:${goJson(v[key])}`).join(',')}}`;
  }
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * kustomize's content hash of a generated object (hasher.Hash: encodeConfigMap, encodeSecret): the SHA-256 of the
 * JSON of its kind and data, its first ten hex digits with 0, 1, 3, a and e replaced (encode) so that the
 * suffix is never all digits.
 */
export function contentHash(m: Loose): string {
  const field = (k: string) => (m[k] === undefined || m[k] === null ? '' : m[k]);
  // getNodeValues looks "metadata/name" up as one key, which no object has: the name is always hashed as ""
  const encoded =
    m.kind === 'Secret'
      ? { kind: 'Secret', type: field('type'), name: '', data: field('data'), ...(isMapping(m.stringData) ? { stringData: m.stringData } : {}) }
      : { kind: 'ConfigMap', name: '', data: field('data'), ...(isMapping(m.binaryData) ? { binaryData: m.binaryData } : {}) };
  const hex = createHash('sha256').update(goJson(encoded)).digest('hex').slice(0, 10);
  return hex.replace(/[013ae]/g, (c) => ({ '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' })[c] ?? c);
}
