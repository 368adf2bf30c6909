import { dottedPath, Loose } from '../manifests/access';
import { QUANTITY_PATTERN } from '../private/quantity';
import { perObject } from '../private/run-memo';
import { coreFieldSchema } from './field-schemas';
import { Definitions } from './unknown-fields';
import { ValueProblem } from './value-problems';

/**
 * What the API server says of a string that is no quantity: resource.Quantity's UnmarshalJSON trims the string and
 * ParseQuantity refuses it with ErrFormatWrong (kubernetes/apimachinery pkg/api/resource/quantity.go), so the object is
 * not even decoded.
 */
export const QUANTITY_REFUSAL = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** Whether a string is a quantity as the API server decodes one: trimmed, then apimachinery's grammar. */
export function decodesAsQuantity(value: string): boolean {
  return QUANTITY_PATTERN.test(value.trim());
}

/** A schema node with its $ref followed. */
function resolved(node: Loose, definitions: Definitions): Loose {
  let n = node;
  for (let hops = 0; typeof n.$ref === 'string' && hops < 8; hops++) n = definitions[n.$ref.replace('#/definitions/', '')] ?? {};
  return n;
}

/** Where a node names no branches. */
const NO_BRANCHES: readonly Loose[] = [];

/**
 * The quantity fields of a value under a schema node whose strings are no quantity, each with its dotted path: `at`
 * holds the keys and indexes down to the value, joined only for a field reported (every object of the tree is walked).
 */
function walk(value: unknown, node: Loose, definitions: Definitions, at: (string | number)[], out: ValueProblem[]): void {
  const n = resolved(node, definitions);
  if (n.format === 'quantity') {
    if (typeof value === 'string' && !decodesAsQuantity(value)) out.push({ field: dottedPath(at), value, allowed: `a quantity (${QUANTITY_REFUSAL})` });
    return;
  }
  for (const branches of [n.allOf, n.anyOf, n.oneOf] as (Loose[] | undefined)[])
    for (const branch of branches ?? NO_BRANCHES) walk(value, branch, definitions, at, out);
  if (Array.isArray(value)) {
    if (n.items && typeof n.items === 'object')
      value.forEach((v, i) => {
        at.push(i);
        walk(v, n.items as Loose, definitions, at, out);
        at.pop();
      });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const properties = (n.properties as Record<string, Loose> | undefined) ?? {};
  const extra = n.additionalProperties && typeof n.additionalProperties === 'object' ? (n.additionalProperties as Loose) : undefined;
  for (const k of Object.keys(value)) {
    const child = properties[k] ?? extra;
    if (!child) continue;
    at.push(k);
    walk((value as Loose)[k], child, definitions, at, out);
    at.pop();
  }
}

/**
 * The quantity fields of a built-in kind (a container's requests and limits, an emptyDir's sizeLimit, a claim's
 * storage request, a ResourceQuota's hard limits: each the Kubernetes schema types as int-or-string of format
 * quantity) holding a string the API server cannot decode as a quantity (`“10”` with typographic quotes, `1GB`);
 * undefined for a kind that is not built in.
 */
export function coreQuantityProblems(manifest: Loose, apiVersion: string, kind: string): readonly ValueProblem[] | undefined {
  const schema = coreFieldSchema(apiVersion, kind);
  if (!schema) return undefined;
  // a fact of the object alone: a check run walks every object of a built-in kind, and a caller that checks the same
  // objects again (a watch, an editor) walks only those that changed
  return perObject(`core-quantities:${apiVersion}:${kind}`, manifest, (m) => {
    const out: ValueProblem[] = [];
    walk(m, schema.schema, schema.definitions, [], out);
    const seen = new Set<string>();
    return out.filter((p) => !seen.has(p.field) && seen.add(p.field));
  });
}
