/**
 * Go's values as the template engine sees them, in JavaScript: nil is null (or undefined), a float64 a number, an int
 * or int64 a bigint, a string, a bool, a slice an array, a map[string]interface{} a plain object. Helm decodes
 * values files as JSON does (sigs.k8s.io/yaml), so their numbers are float64; --set integers and Sprig's integer
 * functions give int64.
 */

export type GoMap = { [key: string]: unknown };

/** A Go method value of the template data (`.Files.Get`, `.Capabilities.APIVersions.Has`): called with the command's arguments. */
export class GoMethod {
  constructor(
    public readonly name: string,
    public readonly call: (...args: unknown[]) => unknown,
  ) {}
}

/** An error a template raises while it runs (exec.go errorf): Helm fails the render with it. */
export class TemplateError extends Error {}

/** A construct or function the renderer does not implement: the chart is left unrendered (no Helm failure). */
export class NotRendered extends Error {}

export function isNil(v: unknown): v is null | undefined {
  return v === null || v === undefined;
}

export function isGoMap(v: unknown): v is GoMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoMethod) && !(v instanceof Uint8Array);
}

/** The kind Sprig's kindOf names (reflect.Kind.String()). */
export function kindOf(v: unknown): string {
  if (isNil(v)) return 'invalid';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int64';
  if (typeof v === 'number') return 'float64';
  if (Array.isArray(v)) return 'slice';
  if (v instanceof GoMethod) return 'func';
  return 'map';
}

/** The type Sprig's typeOf names (fmt's %T). */
export function typeOf(v: unknown): string {
  if (isNil(v)) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  if (isGoMap(v)) return 'map[string]interface {}';
  if (v instanceof GoMethod) return 'func';
  return kindOf(v);
}

/** Whether a value is true in an if, with or and/or (exec.go isTrue). */
export function truth(v: unknown): boolean {
  if (isNil(v)) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  if (Array.isArray(v)) return v.length > 0;
  if (isGoMap(v)) return Object.keys(v).length > 0;
  return true;
}

/**
 * A float64 as Go's %v prints it (fmt → strconv.FormatFloat(f, 'g', -1, 64)): the shortest digits, in %e form when
 * the exponent is below -4 or from 6 on (strconv ftoa.go: "if precision was the shortest possible, use precision 6
 * for this decision"), so a values.yaml 1000000 prints 1e+06.
 */
export function formatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const e = Number(f.toExponential().split('e')[1]);
  if (e < -4 || e >= 6) return goExponent(f);
  const s = String(f);
  return s.includes('e') ? f.toFixed(20).replace(/\.?0+$/, '') : s;
}

/** Go's %e form: mantissa shortest, exponent with sign and at least two digits. */
export function goExponent(f: number): string {
  const [m, e] = f.toExponential().split('e');
  const n = Number(e);
  return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}

/** A value as fmt's %v (and print, and an action's output) writes it: maps as map[k:v] in key order, slices as [a b]. */
export function formatValue(v: unknown, top = true): string {
  if (isNil(v)) return top ? '<nil>' : '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatFloat(v);
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map((x) => formatValue(x, false)).join(' ')}]`;
  if (v instanceof GoMethod) return `0x${v.name}`;
  if (v instanceof Uint8Array) return `[${[...v].join(' ')}]`;
  if (isGoMap(v))
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${formatValue(v[k], false)}`)
      .join(' ')}]`;
  return '?';
}
