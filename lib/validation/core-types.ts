import { dottedPath, isMapping, Loose } from '../manifests/access';
import { perObject } from '../private/run-memo';
import { coreFieldSchema } from './field-schemas';
import { Definitions, resolve } from './unknown-fields';
import { ValueProblem } from './value-problems';

/** The JSON types of the Kubernetes schema (schemas/k8s: integers are `number` there) as messages name them. */
const TYPE_WORDS: Readonly<Record<string, string>> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
};

/** What Go's JSON decoder calls a value it meets ("cannot unmarshal object into …"). */
export function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (isMapping(v)) return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

/**
 * Whether a value decodes into a field of the schema's type as encoding/json decodes into the Go type behind it
 * (apimachinery's strict decoder, sigs.k8s.io/json): a JSON object only into a struct or map, an array only into a
 * slice, a string only into a string, a number only into a number, true/false only into a bool; null into anything.
 */
function decodes(value: unknown, type: string): boolean {
  if (value === null || value === undefined) return true;
  switch (type) {
    case 'object':
      return isMapping(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

/** The schema node a key of a mapping has: its property, else the map's value schema. */
function childSchema(s: Loose, key: string): unknown {
  if (isMapping(s.properties) && s.properties[key] !== undefined) return s.properties[key];
  return isMapping(s.additionalProperties) ? s.additionalProperties : undefined;
}

/**
 * The values under a schema node whose JSON type the field's Go type cannot take, each with its dotted path. Not
 * walked: int-or-string fields (IntOrString and Quantity take both), fields the schema leaves untyped (RawExtension,
 * JSON), and what is under a mismatch (the decoder stops there).
 */
function walk(value: unknown, node: unknown, definitions: Definitions, at: (string | number)[], out: ValueProblem[]): void {
  const s = resolve(node, definitions);
  if (s['x-kubernetes-int-or-string'] === true || s['x-kubernetes-preserve-unknown-fields'] === true) return;
  const type = typeof s.type === 'string' ? s.type : undefined;
  if (type && TYPE_WORDS[type] && !decodes(value, type)) {
    out.push({ field: dottedPath(at), value, allowed: TYPE_WORDS[type] });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      at.push(i);
      if (s.items !== undefined) walk(v, s.items, definitions, at, out);
      at.pop();
    });
    return;
  }
  if (!isMapping(value)) return;
  for (const [k, v] of Object.entries(value)) {
    const child = childSchema(s, k);
    if (child === undefined) continue;
    at.push(k);
    walk(v, child, definitions, at, out);
    at.pop();
  }
}

/**
 * The fields of a built-in kind whose value has a JSON type the field's Go type cannot take (`tolerations: {}` where
 * the schema has a list, a quoted number where it has a number, a list where it has a mapping); undefined for a kind
 * that is not built in. The API server decodes the whole object into its Go type before anything else, and one such
 * field fails the decode ("json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.tolerations
 * of type []v1.Toleration"), so the object is refused. metadata is metadata-invalid's and status is the server's.
 */
export function coreTypeProblems(manifest: Loose, apiVersion: string, kind: string): readonly ValueProblem[] | undefined {
  const schema = coreFieldSchema(apiVersion, kind);
  if (!schema) return undefined;
  return perObject(`core-types:${apiVersion}:${kind}`, manifest, (m) => {
    const out: ValueProblem[] = [];
    const root = resolve(schema.schema, schema.definitions);
    for (const [k, v] of Object.entries(m)) {
      if (['apiVersion', 'kind', 'metadata', 'status'].includes(k) || !isMapping(root.properties) || root.properties[k] === undefined) continue;
      walk(v, root.properties[k], schema.definitions, [k], out);
    }
    return out;
  });
}
