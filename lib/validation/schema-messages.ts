import type { ErrorObject } from 'ajv';
import { Loose } from '../manifests/access';

/** How ajv's errors are reported: the field, the value, and a message that says what the API server takes. */

export function fieldOf(e: ErrorObject): string {
  const parts = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required') parts.push((e.params as Loose).missingProperty);
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

/** The value at a JSON pointer of ajv's error (ajv leaves it out unless run verbose, which costs on every call). */
export function valueAt(root: unknown, pointer: string): unknown {
  let v = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  }
  return v;
}

export function messageOf(e: ErrorObject, value: unknown): string {
  const f = fieldOf(e) || '(object)';
  switch (e.keyword) {
    case 'required':
      return `missing required field '${f}'`;
    case 'type':
      return `'${f}' must be of type ${(e.params as Loose).type}`;
    case 'enum':
      return `'${f}' must be one of ${((e.params as Loose).allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'pattern':
      return QUANTITY_PATTERN_MARK.test(String((e.params as Loose).pattern))
        ? quantityMessage(f, value)
        : `'${f}' is ${JSON.stringify(value)}, which does not match ${(e.params as Loose).pattern}`;
    case 'format':
      return (e.params as Loose).format === 'quantity' ? quantityMessage(f, value) : `'${f}' is not a valid ${(e.params as Loose).format}`;
    case 'anyOf':
      if (typeof value === 'number' && !Number.isInteger(value)) return fractionMessage(f, value);
      return `'${f}' must be an integer or a string${e.schemaPath.includes('quantity') ? ' quantity' : ''}`;
    default:
      return `'${f}' ${e.message}`;
  }
}

/** The suffix alternatives of apimachinery's quantity pattern (resource.Quantity), which CRDs copy for quantity fields. */
const QUANTITY_PATTERN_MARK = /\(\[KMGTPE\]i\)\|\[numkMGTPE\]/;

/** A value that is not a Kubernetes quantity, with the likely fix: 16GB and 16gi are common slips for 16Gi. */
function quantityMessage(f: string, value: unknown): string {
  const v = String(value);
  const unit = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([kKmMgGtTpPeE])(i?)[bB]?\s*$/.exec(v);
  // a binary suffix is what a memory size usually means; the decimal one is named too (kilo is a lower-case k)
  const decimal = unit && (unit[2].toLowerCase() === 'k' ? 'k' : unit[2].toUpperCase());
  const hint = unit ? `; did you mean ${unit[1]}${unit[2].toUpperCase()}i (or ${unit[1]}${decimal})?` : '';
  return `'${f}' is ${JSON.stringify(value)}, which is not a Kubernetes quantity (a number with an optional suffix: 500m, 16, 16Gi, 16G)${hint}`;
}

/** A fractional number where the API server wants an integer or a quantity string; extended resources only take whole numbers. */
function fractionMessage(f: string, value: number): string {
  const extended = /\.(requests|limits)\.[^.]*\.[^.]*\/[^/]+$/.test(f) && !/\.(cpu|memory|ephemeral-storage)$/.test(f);
  return extended
    ? `'${f}' is ${value}, but an extended resource such as a GPU is counted in whole units: request 1 or more`
    : `'${f}' is the number ${value}, which the API server does not take here: write it as a quantity string (e.g. '${Math.round(value * 1000)}m')`;
}

/** ajv reports an anyOf failure once per branch and once for the anyOf; keep one message per field. */
export function dedupe(errors: ErrorObject[]): ErrorObject[] {
  const byField = new Map<string, ErrorObject[]>();
  for (const e of errors) byField.set(fieldOf(e), [...(byField.get(fieldOf(e)) ?? []), e]);
  const out: ErrorObject[] = [];
  for (const list of byField.values()) {
    const anyOf = list.find((e) => e.keyword === 'anyOf');
    const format = list.find((e) => e.keyword === 'format' || e.keyword === 'pattern');
    if (anyOf) out.push(format ?? anyOf);
    else out.push(...list);
  }
  return out;
}
