/**
 * Tolerant reads of parsed YAML. Manifests from the field hold anything — `args: 5`, `env: {a: b}`, `containers: 0`
 * — and the rules must judge what is well-formed and pass over the rest (schema validation reports it), never
 * throw. Every rule reads fields through these.
 */

import { isClusterScoped } from './scope';

/** A loosely typed view of a YAML mapping: any field may hold anything. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the point of this module: fields of unknown type, narrowed by the readers below
export type Loose = Record<string, any>;

const EMPTY: Loose = Object.freeze({});

/** Whether a value is a YAML mapping. */
export function isMapping(v: unknown): v is Loose {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value as a mapping; an empty one for anything else. */
export function mapping(v: unknown): Loose {
  return isMapping(v) ? v : EMPTY;
}

/** The mappings in a list; nothing for a value that is not a list. */
export function mappings(v: unknown): Loose[] {
  return Array.isArray(v) ? v.filter(isMapping) : [];
}

/** The value as a string, or undefined. */
export function text(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * A scalar as kyaml's RNode reads it where kustomize takes an id (GetName, GetNamespace, GetKind): the node's text,
 * so an unquoted `name: 0` or `namespace: true` is the name '0' or the namespace 'true'; undefined for a mapping, a
 * list or null. A number is shown as the YAML library parsed it (`1.50` as '1.5'), which kyaml keeps as written.
 */
export function scalarText(v: unknown): string | undefined {
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : text(v);
}

/** The strings in a list (vLLM arguments, commands); nothing for a value that is not a list. */
export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** How deep stringsIn walks: far beyond any manifest, and a stop on a document whose aliases make it circular. */
const MAX_STRING_DEPTH = 32;

/** Every string of a value at any depth (mapping values and sequence items, not keys), in document order. */
export function stringsIn(v: unknown, depth = 0): string[] {
  const out: string[] = [];
  collectStrings(v, depth, out);
  return out;
}

/** stringsIn's walk, into one list: the rules ask for the strings of whole objects, and a list per level cost most of it. */
function collectStrings(v: unknown, depth: number, out: string[]): void {
  if (typeof v === 'string') out.push(v);
  else if (depth >= MAX_STRING_DEPTH) return;
  else if (Array.isArray(v)) for (const x of v) collectStrings(x, depth + 1, out);
  else if (isMapping(v)) for (const x of Object.values(v)) collectStrings(x, depth + 1, out);
}

/**
 * A value's path from the keys and indexes down to it, as messages show it: `spec.containers[0].image` (a key after
 * an empty path stands alone). Walks keep the parts and join them only for a value they report.
 */
export function dottedPath(at: readonly (string | number)[]): string {
  let path = '';
  for (const part of at) path = typeof part === 'number' ? `${path}[${part}]` : path ? `${path}.${part}` : part;
  return path;
}

/** A mapping of string values (labels, annotations, node selectors), other entries dropped. */
export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  // keys, then each value: the rules read labels and annotations thousands of times a run, and entries' pairs cost
  const m = mapping(v);
  for (const k of Object.keys(m)) {
    const x = m[k];
    if (typeof x === 'string') out[k] = x;
  }
  return out;
}

/**
 * Whether labels hold every pair of an equality-based selector (a Service's selector, matchLabels, a nodeSelector, a
 * flavor's nodeLabels): the labels a selector picks. An empty selector picks every set of labels.
 */
export function holdsLabels(labels: Readonly<Record<string, string>>, selector: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** A finite number, from a number or a numeric string; undefined otherwise. */
export function finite(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** A value as a message shows it: strings and numbers as written, anything else as short JSON. */
export function shown(v: unknown): string {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  const json = JSON.stringify(v) ?? String(v);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/**
 * `Kind/namespace/name`, or `Kind/name` for cluster-scoped kinds (a namespace written on them means nothing to the
 * API server) and objects without a namespace; placeholders for missing parts.
 */
export function objectId(m: unknown): string {
  const o = mapping(m);
  const kind = text(o.kind) ?? '<no kind>';
  const name = text(mapping(o.metadata).name) ?? '<no name>';
  const ns = isClusterScoped(kind) ? undefined : text(mapping(o.metadata).namespace);
  return ns ? `${kind}/${ns}/${name}` : `${kind}/${name}`;
}
