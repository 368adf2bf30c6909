import type * as YAMLTypes from 'yaml';
import { formatFloat, GoMap, isGoMap, isNil } from './go-values';

/**
 * YAML and JSON as Helm reads and writes them. Reading (values files, fromYaml, Chart.yaml): sigs.k8s.io/yaml, YAML
 * 1.1 as go-yaml v2 resolves it (yes/no/on/off are booleans) turned into JSON, so every number is a float64 and every
 * key a string. Writing (toYaml): the value as JSON, then go-yaml v2's block style: keys sorted, sequences not
 * indented below their key, strings that would read as another type quoted.
 */
let yamlLibrary: typeof YAMLTypes | undefined;
function yamlLib(): typeof YAMLTypes {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose: loaded when a chart is rendered
  return (yamlLibrary ??= require('yaml') as typeof YAMLTypes);
}

export function readYaml(text: string): unknown {
  const docs = yamlLib().parseAllDocuments(text, { version: '1.1', uniqueKeys: false, merge: true });
  const doc = docs.find((d) => d.contents !== null) ?? docs[0];
  if (!doc) return null;
  if (doc.errors.length) throw new Error(doc.errors[0].message.split('\n')[0]);
  yamlLib().visit(doc, { Scalar: (_key, node) => stringWhereNoFloat(node) });
  return asJson(doc.toJS({ maxAliasCount: 1000 }));
}

/**
 * A plain scalar the yaml library's YAML 1.1 float pattern takes but Go cannot parse (a lone `.`, as import-values'
 * `parent: .` writes): go-yaml v2 resolve.go tries strconv.ParseFloat for a scalar starting with `.` and, where it
 * fails and the text is no .inf or .nan, keeps the string.
 */
function stringWhereNoFloat(node: YAMLTypes.Scalar): void {
  if (typeof node.value === 'number' && Number.isNaN(node.value) && typeof node.source === 'string' && !/^\.nan$/i.test(node.source.trim()))
    node.value = node.source;
}

/** Every document of a YAML stream, read as readYaml reads one (fromYamlArray reads one; SplitManifests several). */
export function asJson(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString().replace('.000Z', 'Z');
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(asJson);
  if (v instanceof Map) return Object.fromEntries([...v.entries()].map(([k, x]) => [String(k), asJson(x)]));
  if (isGoMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asJson(x)]));
  return v === undefined ? null : v;
}

/** A value as JSON's marshalling sees it: ints and floats as numbers (a float64 with no fraction is written whole). */
function forYaml(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(forYaml);
  if (isGoMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, forYaml(x)]));
  return v === undefined ? null : v;
}

/** toYaml: go-yaml v2 block style, with no trailing newline (helm pkg/engine/funcs.go toYAML trims it). */
export function writeYaml(v: unknown): string {
  const doc = new (yamlLib().Document)(forYaml(v), { version: '1.1', sortMapEntries: true });
  return doc.toString({ indentSeq: false, lineWidth: 0, minContentWidth: 0, nullStr: 'null' }).replace(/\n$/, '');
}

/** encoding/json Marshal: keys sorted, <, > and & escaped as \u003c…, floats in Go's shortest form. */
export function writeJson(v: unknown, indent = ''): string {
  return json(v, indent, '').replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function json(v: unknown, indent: string, at: string): string {
  if (isNil(v)) return 'null';
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return jsonNumber(v);
  if (typeof v === 'string') return JSON.stringify(v);
  const inner = at + indent;
  const nl = indent ? `\n${inner}` : '';
  const end = indent ? `\n${at}` : '';
  if (Array.isArray(v)) return v.length ? `[${nl}${v.map((x) => json(x, indent, inner)).join(`,${nl}`)}${end}]` : '[]';
  if (isGoMap(v)) {
    const keys = Object.keys(v).sort();
    const sep = indent ? ': ' : ':';
    return keys.length ? `{${nl}${keys.map((k) => `${JSON.stringify(k)}${sep}${json(v[k], indent, inner)}`).join(`,${nl}`)}${end}}` : '{}';
  }
  return 'null';
}

/** encoding/json's float64: 'f' form, 'e' below 1e-6 and from 1e21. */
function jsonNumber(f: number): string {
  const a = Math.abs(f);
  if (a !== 0 && (a < 1e-6 || a >= 1e21)) return formatFloat(f).replace(/e([+-])0(\d)$/, 'e$1$2');
  return String(f);
}

/** JSON as Go's decoder reads it into interface{}: numbers float64. */
export function readJson(text: string): unknown {
  return JSON.parse(text) as unknown;
}

export type { GoMap };
