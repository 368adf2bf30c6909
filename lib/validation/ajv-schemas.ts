import { Loose } from '../manifests/access';
import { goPattern } from './go-pattern';

/** Kubernetes schemas as ajv compiles them: a CRD's structural openAPIV3Schema, and the built-in kinds' definitions. */

/**
 * Turns a structural openAPIV3Schema into a JSON schema for ajv: types, enums, patterns, bounds, required fields.
 * Unknown fields are left to `unknownFields`, which `validate` and `check` share.
 */
export function crdSchema(openapi: Loose): object {
  const convert = (s: Loose, top: boolean): Loose => {
    if (!s || typeof s !== 'object') return {};
    const out: Loose = {};
    if (s['x-kubernetes-int-or-string']) {
      out.anyOf = [{ type: 'integer' }, { type: 'string', ...(s.pattern ? { pattern: goPattern(s.pattern) } : {}) }];
    } else if (s.type) {
      out.type = s.nullable ? [s.type, 'null'] : s.type;
    }
    for (const k of [
      'enum',
      'pattern',
      'minimum',
      'maximum',
      'exclusiveMinimum',
      'exclusiveMaximum',
      'minLength',
      'maxLength',
      'minItems',
      'maxItems',
      'uniqueItems',
      'minProperties',
      'maxProperties',
      'format',
      'required',
    ]) {
      if (s[k] !== undefined && !(k === 'pattern' && s['x-kubernetes-int-or-string'])) out[k] = k === 'pattern' ? goPattern(s[k]) : s[k];
    }
    if (out.enum && s.nullable) out.enum = [...out.enum, null];
    if (s.items) out.items = convert(s.items, false);
    for (const k of ['allOf', 'anyOf', 'oneOf']) {
      // int-or-string fields carry anyOf [integer, string] as an annotation; the pattern is applied above instead
      if (s[k] && !(k === 'anyOf' && s['x-kubernetes-int-or-string'])) out[k] = [...(out[k] ?? []), ...s[k].map((x: Loose) => convert(x, false))];
    }
    if (s.not) out.not = convert(s.not, false);
    const embedded = s['x-kubernetes-embedded-resource'];
    if (s.properties || embedded) {
      out.properties = Object.fromEntries(Object.entries<Loose>(s.properties ?? {}).map(([k, v]) => [k, convert(v, false)]));
      if (embedded || top) {
        out.properties.apiVersion ??= { type: 'string' };
        out.properties.kind ??= { type: 'string' };
        out.properties.metadata = { type: 'object' }; // validated separately against ObjectMeta
      }
    }
    // unknown fields are unknownFields' judgement, not ajv's
    if (typeof s.additionalProperties === 'object') out.additionalProperties = convert(s.additionalProperties, false);
    return out;
  };
  const schema = convert(openapi, true);
  // status is written by controllers, never by a manifest author, but the server accepts and drops it
  if (schema.properties?.status) schema.properties.status = {};
  return shareRepeatedSubschemas(schema);
}

/**
 * Moves subschemas that occur more than once into `$defs`, so ajv compiles each once. The InferenceService CRD
 * repeats the full container and pod schemas for every component and framework; sharing them cuts its
 * compile time several-fold without changing what is accepted.
 */
function shareRepeatedSubschemas(schema: Loose): Loose {
  const counts = new Map<string, number>();
  const key = new Map<Loose, string>();
  const count = (node: Loose): string => {
    const k = JSON.stringify(node);
    key.set(node, k);
    if (node && typeof node === 'object' && (node.properties || node.items) && k.length > 256) counts.set(k, (counts.get(k) ?? 0) + 1);
    for (const child of children(node)) count(child);
    return k;
  };
  count(schema);
  const defs: Record<string, Loose> = {};
  const names = new Map<string, string>();
  const rebuild = (node: Loose, root: boolean): Loose => {
    if (!node || typeof node !== 'object') return node;
    const k = key.get(node)!;
    if (!root && (counts.get(k) ?? 0) > 1) {
      let name = names.get(k);
      if (!name) {
        name = `s${names.size}`;
        names.set(k, name);
        defs[name] = rebuildChildren(node);
      }
      return { $ref: `#/$defs/${name}` };
    }
    return rebuildChildren(node);
  };
  const rebuildChildren = (node: Loose): Loose => {
    const out: Loose = { ...node };
    if (node.properties) out.properties = Object.fromEntries(Object.entries(node.properties as Loose).map(([k, v]) => [k, rebuild(v as Loose, false)]));
    if (node.items) out.items = rebuild(node.items, false);
    if (node.additionalProperties && typeof node.additionalProperties === 'object') out.additionalProperties = rebuild(node.additionalProperties, false);
    for (const c of ['allOf', 'anyOf', 'oneOf']) if (node[c]) out[c] = node[c].map((x: Loose) => rebuild(x, false));
    return out;
  };
  const out = rebuild(schema, true);
  return Object.keys(defs).length ? { ...out, $defs: defs } : out;
}

function children(node: Loose): Loose[] {
  if (!node || typeof node !== 'object') return [];
  const out: Loose[] = [];
  if (node.properties) out.push(...(Object.values(node.properties as Loose) as Loose[]));
  if (node.items) out.push(node.items);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') out.push(node.additionalProperties);
  for (const c of ['allOf', 'anyOf', 'oneOf']) if (node[c]) out.push(...node[c]);
  return out;
}

/** Built-in definitions: Quantity and IntOrString fields become int-or-string; refs point into the 'k8s' schema. */
export function toAjv(defs: Record<string, Loose>): Record<string, Loose> {
  // walks schema positions only: a properties map may itself have a property named like a keyword
  const fix = (s: Loose): Loose => {
    if (!s || typeof s !== 'object') return s;
    if (s['x-kubernetes-int-or-string']) {
      return { anyOf: [{ type: 'integer' }, { type: 'string', ...(s.format === 'quantity' ? { format: 'quantity' } : {}) }] };
    }
    const out: Loose = { ...s };
    // unknown fields are unknownFields' judgement, not ajv's
    if (out.additionalProperties === false) delete out.additionalProperties;
    if (s.$ref) out.$ref = s.$ref.replace('#/definitions/', 'k8s#/definitions/');
    if (s.properties) out.properties = Object.fromEntries(Object.entries(s.properties as Loose).map(([k, v]) => [k, fix(v as Loose)]));
    if (s.items) out.items = fix(s.items);
    if (s.additionalProperties && typeof s.additionalProperties === 'object') out.additionalProperties = fix(s.additionalProperties);
    return out;
  };
  return Object.fromEntries(Object.entries(defs).map(([k, v]) => [k, fix(v)]));
}
