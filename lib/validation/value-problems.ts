import { isMapping, Loose, mapping } from '../manifests/access';
import { celViolations } from './cel';
import { goPattern } from './go-pattern';

/** A value a CRD's structural schema or one of its CEL rules refuses, at a field path. */
export interface ValueProblem {
  /** Dotted path: `spec.queueingStrategy`, `spec.resourceGroups[0]`; empty for the object itself. */
  readonly field: string;
  /** The value as written (absent for a CEL rule on the object itself). */
  readonly value?: unknown;
  /** What the schema allows, or the CEL rule's own message. */
  readonly allowed: string;
  /** The rule text, for a CEL rule. */
  readonly rule?: string;
  /**
   * A CEL rule the API server evaluates only once the object's blocking errors are mended (an enum, a maximum length
   * or size, a missing required field): it refuses the object for those first.
   */
  readonly deferred?: true;
}

/** A schema refusal while walking: whether it blocks the CEL rules, or is a wrong type (then they are not evaluated). */
type Found = ValueProblem & { readonly blocking?: boolean; readonly wrongType?: true };

/** A refusal of the schema, and whether the API server's CEL validation waits on it (strategy.go hasBlockingErr). */
interface Refusal {
  readonly allowed: string;
  readonly blocking: boolean;
}

/**
 * The values of a custom resource that the API server refuses by its CRD's schema, in the API server's order
 * (kubernetes/apiextensions-apiserver pkg/apiserver/customresource_handler.go and pkg/registry/customresource/
 * strategy.go): the object is pruned of the fields the schema lacks (field-unknown reports them), nulls of
 * non-nullable fields are dropped and absent fields defaulted (pkg/apiserver/schema/defaulting: algorithm.go
 * Default, prunenulls.go PruneNonNullableNullsWithoutDefaults), then the OpenAPI value validations run
 * (pkg/apiserver/validation), and the CEL rules only when those found nothing (pkg/apiserver/schema/cel, run on
 * create without oldSelf). Required fields are field-required-missing's.
 */
export function valueProblems(manifest: Loose, schema: Loose, requiredMissing: () => boolean): ValueProblem[] {
  const object = structural(manifest, schema, true);
  const out: Found[] = [];
  walk(object, schema, '', out);
  // a value of the wrong type leaves the rules' inputs unknown: they are not evaluated
  if (out.some((p) => p.wrongType)) return out.map(strip);
  const violations = celViolations(schema, object);
  const deferred = violations.length > 0 && (out.some((p) => p.blocking) || requiredMissing());
  const cel = violations.map((v): ValueProblem => ({
    field: v.field,
    value: valueAt(object, v.field),
    allowed: v.message,
    rule: v.rule,
    ...(deferred ? { deferred: true as const } : {}),
  }));
  return [...out.map(strip), ...cel];
}

function strip({ blocking: _b, wrongType: _w, ...p }: Found): ValueProblem {
  return p;
}

/** The object as validation sees it: pruned, nulls dropped, defaults filled. The input is not changed. */
function structural(value: unknown, s: Loose, top = false): unknown {
  if (Array.isArray(value)) return isMapping(s.items) ? value.map((v) => structural(v, s.items)) : value;
  if (!isMapping(value)) return value;
  const props = mapping(s.properties);
  const additional = isMapping(s.additionalProperties) ? s.additionalProperties : undefined;
  const keepAll = s['x-kubernetes-preserve-unknown-fields'] === true || s.additionalProperties === true;
  const embedded = top || s['x-kubernetes-embedded-resource'] === true;
  const out: Loose = {};
  for (const [k, v] of Object.entries(value)) {
    const child: Loose | undefined = props[k] ?? additional;
    if (embedded && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) out[k] = v;
    else if (!child) {
      if (keepAll) out[k] = v;
    } else if (v === null && !child.nullable) {
      if (child.default !== undefined) out[k] = structuredClone(child.default);
    } else out[k] = structural(v, child);
  }
  for (const [k, child] of Object.entries<Loose>(props)) {
    if (!(k in out) && isMapping(child) && child.default !== undefined) out[k] = structural(structuredClone(child.default), child);
  }
  return out;
}

/** The JSON type of a value as OpenAPI names it; whole numbers are integers (and numbers). */
function typeOf(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v === 'object' ? 'object' : typeof v;
}

const ARTICLE: Readonly<Record<string, string>> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean (true or false)',
  object: 'a mapping',
  array: 'a list',
};

/** The type the schema allows, described, where the value is not of it (kube-openapi validate type.go). */
function typeRefusal(v: unknown, s: Loose): string | undefined {
  const actual = typeOf(v);
  if (actual === 'null') return undefined;
  if (s['x-kubernetes-int-or-string'] === true)
    return actual === 'integer' || actual === 'string' ? undefined : 'an integer or a string (a quantity such as 500m or 16Gi is a string)';
  const t = typeof s.type === 'string' ? s.type : undefined;
  if (!t || t === actual || (t === 'number' && actual === 'integer')) return undefined;
  return ARTICLE[t] ?? t;
}

function walk(v: unknown, s: Loose, field: string, out: Found[]): void {
  const wrongType = typeRefusal(v, s);
  if (wrongType) {
    out.push({ field, value: v, allowed: wrongType, wrongType: true });
    return;
  }
  out.push(...boundRefusals(v, s).map((r) => ({ field, value: v, ...r })));
  if (Array.isArray(v)) {
    if (isMapping(s.items)) v.forEach((x, i) => walk(x, s.items, `${field}[${i}]`, out));
    return;
  }
  if (!isMapping(v)) return;
  const props = mapping(s.properties);
  const additional = isMapping(s.additionalProperties) ? s.additionalProperties : undefined;
  for (const [k, x] of Object.entries(v)) {
    const child: Loose | undefined = props[k] ?? additional;
    // an embedded object's apiVersion, kind and metadata are the API server's own checks, not the schema's
    if (child && !(field === '' && (k === 'apiVersion' || k === 'kind' || k === 'metadata'))) walk(x, child, field ? `${field}.${k}` : k, out);
  }
}

/**
 * The enum, pattern and bound refusals of one value (kube-openapi pkg/validation/validate: enum, pattern, min/max,
 * lengths, sizes); enums (NotSupported), maximum lengths (TooLong) and maximum sizes (TooMany) block the CEL rules.
 */
function boundRefusals(v: unknown, s: Loose): Refusal[] {
  const out: Refusal[] = [];
  const add = (blocking: boolean, allowed: string) => out.push({ allowed, blocking });
  if (Array.isArray(s.enum) && v !== null && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v)))
    add(true, `one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  if (typeof v === 'string') {
    const pattern = typeof s.pattern === 'string' ? compiled(s.pattern) : undefined;
    if (pattern && !pattern.test(v)) add(false, `a string matching ${s.pattern}`);
    const length = [...v].length;
    if (typeof s.minLength === 'number' && length < s.minLength) add(false, `at least ${s.minLength} character(s)`);
    if (typeof s.maxLength === 'number' && length > s.maxLength) add(true, `at most ${s.maxLength} character(s)`);
  }
  if (typeof v === 'number') {
    if (typeof s.minimum === 'number' && (s.exclusiveMinimum === true ? v <= s.minimum : v < s.minimum))
      add(false, `${s.exclusiveMinimum === true ? 'more than' : 'at least'} ${s.minimum}`);
    if (typeof s.maximum === 'number' && (s.exclusiveMaximum === true ? v >= s.maximum : v > s.maximum))
      add(false, `${s.exclusiveMaximum === true ? 'less than' : 'at most'} ${s.maximum}`);
  }
  if (Array.isArray(v)) {
    if (typeof s.minItems === 'number' && v.length < s.minItems) add(false, `at least ${s.minItems} item(s)`);
    if (typeof s.maxItems === 'number' && v.length > s.maxItems) add(true, `at most ${s.maxItems} item(s)`);
  }
  if (isMapping(v)) {
    const n = Object.keys(v).length;
    if (typeof s.minProperties === 'number' && n < s.minProperties) add(false, `at least ${s.minProperties} entries`);
    if (typeof s.maxProperties === 'number' && n > s.maxProperties) add(true, `at most ${s.maxProperties} entries`);
  }
  return out;
}

/** Compiled patterns by their text; null where JavaScript cannot read the RE2 pattern (then not judged). */
const patterns = new Map<string, RegExp | null>();
function compiled(pattern: string): RegExp | undefined {
  if (!patterns.has(pattern)) {
    try {
      patterns.set(pattern, new RegExp(goPattern(pattern), 'u'));
    } catch {
      patterns.set(pattern, null);
    }
  }
  return patterns.get(pattern) ?? undefined;
}

/** The value at a dotted field path with [i] indexes. */
function valueAt(root: unknown, field: string): unknown {
  let v = root;
  for (const part of field.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== ''))
    v = mapping(v)[part] ?? (Array.isArray(v) ? v[Number(part)] : undefined);
  return v;
}
