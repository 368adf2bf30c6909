import { formatValue, isGoMap, isNil, TemplateError } from './go-values';

/**
 * The conversions Sprig makes of its arguments (spf13/cast ToInt64E, ToFloat64E; sprig strval and strslice): a string
 * that is no number is 0, a float is truncated to an int.
 */
export function toInt64(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'string') {
    // cast trims a zero decimal part ("5.0") and parses with base 0 (0x, 0o, 0b prefixes)
    const s = v.replace(/\.0*$/, '');
    try {
      return /^[+-]?(0[xXoObB][0-9a-fA-F_]+|\d+)$/.test(s) ? (s.startsWith('-') ? -BigInt(s.slice(1)) : BigInt(s.replace(/^\+/, ''))) : 0n;
    } catch {
      return 0n;
    }
  }
  return 0n;
}

export function toFloat64(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const f = Number(v);
    return v.trim() !== '' && !Number.isNaN(f) ? f : 0;
  }
  return 0;
}

/** sprig strval: a string as is, anything else as fmt's %v writes it. */
export function strval(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  return formatValue(v);
}

/** sprig strslice: a list's non-nil elements as strings; a string alone is a list of one; nil is empty. */
export function strslice(v: unknown): string[] {
  if (isNil(v)) return [];
  if (Array.isArray(v)) return v.filter((x) => !isNil(x)).map(strval);
  return [strval(v)];
}

/** A list argument (sprig's list functions accept slices only; nil is empty). */
export function listOf(v: unknown, fn: string): unknown[] {
  if (isNil(v)) return [];
  if (Array.isArray(v)) return v;
  throw new TemplateError(`error calling ${fn}: Cannot ${fn} on type ${typeof v === 'string' ? 'string' : isGoMap(v) ? 'map[string]interface {}' : typeof v}`);
}

/** sprig empty: nil, false, 0, "", and empty collections. */
export function empty(v: unknown): boolean {
  if (isNil(v)) return true;
  if (typeof v === 'string') return v.length === 0;
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'number') return v === 0;
  if (typeof v === 'bigint') return v === 0n;
  if (Array.isArray(v)) return v.length === 0;
  if (isGoMap(v)) return Object.keys(v).length === 0;
  return false;
}

/** reflect.DeepEqual over template values (an int and a float are different values). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (isNil(a) || isNil(b)) return isNil(a) && isNil(b);
  if (typeof a !== typeof b) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isGoMap(a) && isGoMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return a === b;
}

/** A deep copy of a template value (copystructure.Copy in sprig deepCopy). */
export function deepCopy<T>(v: T): T {
  if (Array.isArray(v)) return v.map(deepCopy) as T;
  if (isGoMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deepCopy(x)])) as T;
  return v;
}
