import { createHash } from 'crypto';
import { isMapping, Loose, mapping, strings, text } from './access';
import { NEEDS_HASH } from './build-ids';
import { PatchFileReader } from './patches';

/**
 * kustomize v5.7's ConfigMapGenerator and SecretGenerator (api/internal/generators/configmap.go, secret.go, utils.go,
 * with the key-value loader of api/kv/kv.go) and the content hash it appends to their names when the root's build
 * ends (api/hasher/hasher.go). Generators with `behavior: merge` or `replace` edit an object of a base: not applied.
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

/** kv.keyValuesFromLines: KEY=value lines; blank lines and `#` comments skipped; a key alone has an empty value. */
function envPairs(source: string): [string, string][] {
  const out: [string, string][] = [];
  for (const raw of source.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.replace(/^\s+/, '');
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(key)) throw new Error(`'${key}' in an env file is not an environment variable name`);
    out.push([key, eq < 0 ? '' : line.slice(eq + 1)]);
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
function pairsOf(g: Loose, readFile: PatchFileReader): Map<string, string> | undefined {
  const pairs: [string, string][] = [];
  for (const file of [...strings(g.envs), ...(typeof g.env === 'string' && g.env ? [g.env] : [])]) {
    const source = readFile(file);
    if (source === undefined) return undefined;
    pairs.push(...envPairs(source));
  }
  for (const literal of strings(g.literals)) {
    const eq = literal.indexOf('=');
    if (eq <= 0) throw new Error(`literal '${literal}' is not key=value`);
    pairs.push([literal.slice(0, eq), unquoted(literal.slice(eq + 1))]);
  }
  for (const entry of strings(g.files)) {
    const [key, file] = fileSource(entry);
    const source = readFile(file);
    if (source === undefined) return undefined;
    pairs.push([key, source]);
  }
  const out = new Map<string, string>();
  for (const [k, v] of pairs) {
    // a ConfigMap or Secret key (k8s.io/apimachinery IsConfigMapKey)
    if (!/^[-._a-zA-Z0-9]+$/.test(k)) throw new Error(`key '${k}' is not a valid ConfigMap or Secret key (letters, digits, '-', '_', '.')`);
    if (out.has(k)) throw new Error(`repeats the key \`${k}\``);
    out.set(k, v);
  }
  return out;
}

/** One generated object (MakeConfigMap, MakeSecret), marked for a hash suffix unless the options disable it. */
function generated(kind: 'ConfigMap' | 'Secret', g: Loose, data: Map<string, string>, o: Options): Loose {
  const meta: Loose = { name: g.name };
  if (typeof g.namespace === 'string' && g.namespace) meta.namespace = g.namespace;
  if (o.labels && Object.keys(o.labels).length) meta.labels = o.labels;
  const annotations = { ...(o.annotations ?? {}), ...(o.disableNameSuffixHash ? {} : { [NEEDS_HASH]: 'enabled' }) };
  if (Object.keys(annotations).length) meta.annotations = annotations;
  const values = Object.fromEntries([...data].map(([k, v]) => [k, kind === 'Secret' ? Buffer.from(v, 'utf8').toString('base64') : v]));
  return {
    apiVersion: 'v1',
    kind,
    metadata: meta,
    ...(kind === 'Secret' ? { type: text(g.type) || 'Opaque' } : {}),
    ...(data.size ? { data: values } : {}),
    ...(o.immutable ? { immutable: true } : {}),
  };
}

/**
 * The objects a kustomization's configMapGenerator and secretGenerator make, with what kustomize refuses (a missing
 * name, a bad key or file) and what the reader does not apply (merge and replace behaviours).
 */
export function generate(k: Loose, readFile: PatchFileReader): { objects: Loose[]; problems: string[]; notApplied: string[] } {
  const out = { objects: [] as Loose[], problems: [] as string[], notApplied: [] as string[] };
  for (const [field, kind] of [
    ['configMapGenerator', 'ConfigMap'],
    ['secretGenerator', 'Secret'],
  ] as const) {
    for (const [i, entry] of (Array.isArray(k[field]) ? k[field] : []).entries()) {
      const g = mapping(entry);
      const where = `${field}[${i}]`;
      const behavior = text(g.behavior) ?? 'create';
      if (behavior === 'merge' || behavior === 'replace') {
        out.notApplied.push(`${where} has behavior: ${behavior}, which edits a ${kind} of a base and which check does not apply`);
        continue;
      }
      if (behavior !== 'create' && behavior !== '')
        out.problems.push(`${where} has behavior '${behavior}', not create, merge or replace: kustomize refuses it`);
      else if (typeof g.name !== 'string' || !g.name) out.problems.push(`${where} has no name: kustomize refuses it ("a configmap must have a name")`);
      else {
        try {
          const data = pairsOf(g, readFile);
          if (data) out.objects.push(generated(kind, g, data, optionsOf(g.options, k.generatorOptions)));
        } catch (e) {
          out.problems.push(`${where} (${String(g.name)}) ${(e as Error).message}: kustomize refuses it`);
        }
      }
    }
  }
  return out;
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
