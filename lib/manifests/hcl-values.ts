import { HclExpr } from './hcl';

/**
 * The values of HCL expressions where they are literal, or made of variables and locals with literal values, the
 * operators and conditionals over them, and the few Terraform functions that name and count things (format, join,
 * lower, length, …: terraform internal/lang/funcs). Anything else is UNKNOWN, and so is every value made of an unknown
 * one: no rule judges on a value it had to guess.
 */
export const UNKNOWN: unique symbol = Symbol('unknown');

export type HclValue = string | number | boolean | null | typeof UNKNOWN | readonly HclValue[] | { readonly [key: string]: HclValue };

/**
 * What references read: the variables' values and the locals' expressions of one module, by name; in one instance of
 * a resource repeated by for_each or count, its each.key and each.value, or its count.index.
 */
export interface HclScope {
  readonly variables: ReadonlyMap<string, HclValue>;
  readonly locals: ReadonlyMap<string, HclExpr>;
  readonly each?: { readonly key: string; readonly value: HclValue };
  readonly index?: number;
}

/** Evaluation past this many steps is unknown: locals referring to locals in a circle, or a huge value. */
const MAX_STEPS = 20_000;

export function isKnown(v: HclValue): v is Exclude<HclValue, typeof UNKNOWN> {
  return v !== UNKNOWN;
}

export function isMap(v: HclValue): v is { readonly [key: string]: HclValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The expression's value in the scope. */
export function evaluate(expr: HclExpr | undefined, scope: HclScope): HclValue {
  if (!expr) return UNKNOWN;
  const state = { steps: 0, open: new Set<string>() };
  return valueOf(expr, scope, state);
}

interface State {
  steps: number;
  readonly open: Set<string>;
}

function valueOf(e: HclExpr, scope: HclScope, state: State): HclValue {
  if (++state.steps > MAX_STEPS) return UNKNOWN;
  switch (e.t) {
    case 'lit':
      return e.v;
    case 'tpl':
      return template(e.parts, scope, state);
    case 'ref':
      return reference(e.path, scope, state);
    case 'call':
      return callOf(e.name, e.args, scope, state);
    case 'list':
      return e.items.map((i) => valueOf(i, scope, state));
    case 'op':
      return operation(e.op, e.args, scope, state);
    case 'cond': {
      const test = truth(valueOf(e.test, scope, state));
      return test === true ? valueOf(e.yes, scope, state) : test === false ? valueOf(e.no, scope, state) : UNKNOWN;
    }
    case 'obj': {
      const out: Record<string, HclValue> = {};
      for (const [k, v] of e.entries) {
        const key = valueOf(k, scope, state);
        if (typeof key !== 'string' && typeof key !== 'number') return UNKNOWN;
        out[String(key)] = valueOf(v, scope, state);
      }
      return out;
    }
    default:
      return UNKNOWN;
  }
}

/** A value as a string in a template: strings, numbers and bools; anything else unknown. */
export function asString(v: HclValue): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function template(parts: readonly (string | HclExpr)[], scope: HclScope, state: State): HclValue {
  // a lone interpolation is its value, not a string of it
  if (parts.length === 1 && typeof parts[0] !== 'string') return valueOf(parts[0], scope, state);
  let out = '';
  for (const p of parts) {
    const s = typeof p === 'string' ? p : asString(valueOf(p, scope, state));
    if (s === undefined) return UNKNOWN;
    out += s;
  }
  return out;
}

/** var.X and local.X with the steps after them; every other reference (a resource's attribute, each, count) is unknown. */
function reference(path: readonly (string | number)[], scope: HclScope, state: State): HclValue {
  const [root, name, ...rest] = path;
  if (typeof name !== 'string') return UNKNOWN;
  let v: HclValue = UNKNOWN;
  if (root === 'each' && scope.each) v = name === 'key' ? scope.each.key : name === 'value' ? scope.each.value : UNKNOWN;
  else if (root === 'count' && name === 'index') v = scope.index ?? UNKNOWN;
  else if (root === 'var') v = scope.variables.get(name) ?? UNKNOWN;
  else if (root === 'local') {
    const expr = scope.locals.get(name);
    if (!expr || state.open.has(name)) return UNKNOWN;
    state.open.add(name);
    v = valueOf(expr, scope, state);
    state.open.delete(name);
  }
  for (const step of rest) v = stepInto(v, step);
  return v;
}

function stepInto(v: HclValue, step: string | number): HclValue {
  if (Array.isArray(v) && typeof step === 'number') return (v as HclValue[])[step] ?? UNKNOWN;
  if (isMap(v)) return Object.prototype.hasOwnProperty.call(v, String(step)) ? v[String(step)] : UNKNOWN;
  return UNKNOWN;
}

/** A number, or a string Terraform converts to one ("3"); undefined otherwise. */
function numeric(v: HclValue): number | undefined {
  if (typeof v === 'number') return v;
  return typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : undefined;
}

/** A bool, or the string "true" or "false" Terraform converts to one; undefined otherwise. */
const truth = (v: HclValue): boolean | undefined => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined);

/** Arithmetic and comparison over two numbers (Terraform's operators on cty numbers). */
const ARITHMETIC: Readonly<Record<string, (a: number, b: number) => HclValue>> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => (b === 0 ? UNKNOWN : a / b),
  '%': (a, b) => (b === 0 ? UNKNOWN : a % b),
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

/**
 * An operator's value. `false && x` and `true || x` are known whatever x is; equality compares known values whole
 * (a number and a string are never equal: Terraform compares types too).
 */
function operation(op: string, args: readonly HclExpr[], scope: HclScope, state: State): HclValue {
  const [a, b] = args.map((x) => valueOf(x, scope, state));
  if (op === '!') return truth(a) === undefined ? UNKNOWN : !truth(a);
  if (op === 'neg') return numeric(a) === undefined ? UNKNOWN : -numeric(a)!;
  if (op === '&&' || op === '||') {
    const [x, y] = [truth(a), truth(b ?? UNKNOWN)];
    const decisive = op === '&&' ? false : true;
    if (x === decisive || y === decisive) return decisive;
    return x === undefined || y === undefined ? UNKNOWN : !decisive;
  }
  if (op === '==' || op === '!=') {
    if (!fullyKnown(a) || !fullyKnown(b ?? UNKNOWN)) return UNKNOWN;
    return (JSON.stringify(a) === JSON.stringify(b)) === (op === '==');
  }
  const [x, y] = [numeric(a), numeric(b ?? UNKNOWN)];
  return x === undefined || y === undefined || !ARITHMETIC[op] ? UNKNOWN : ARITHMETIC[op](x, y);
}

/** Whether a value holds no UNKNOWN at any depth. */
export function fullyKnown(v: HclValue): boolean {
  if (v === UNKNOWN) return false;
  if (Array.isArray(v)) return (v as HclValue[]).every(fullyKnown);
  return !isMap(v) || Object.values(v).every(fullyKnown);
}

/** Terraform's format verbs %s, %d, %v and %%; any other verb is unknown. */
function format(args: readonly HclValue[]): HclValue {
  const [spec, ...rest] = args;
  if (typeof spec !== 'string') return UNKNOWN;
  let n = 0;
  let bad = false;
  const out = spec.replace(/%(%|[sdv])/g, (_all, verb: string) => {
    if (verb === '%') return '%';
    const s = asString(rest[n++] ?? UNKNOWN);
    if (s === undefined) bad = true;
    return s ?? '';
  });
  return bad || /%[^%]/.test(spec.replace(/%(%|[sdv])/g, '')) ? UNKNOWN : out;
}

const strings = (args: readonly HclValue[]) => args.map(asString);

/** The functions read: those that put names together. */
const FUNCTIONS: Readonly<Record<string, (args: readonly HclValue[]) => HclValue>> = {
  format,
  lower: (a) => (typeof a[0] === 'string' ? a[0].toLowerCase() : UNKNOWN),
  upper: (a) => (typeof a[0] === 'string' ? a[0].toUpperCase() : UNKNOWN),
  trimspace: (a) => (typeof a[0] === 'string' ? a[0].trim() : UNKNOWN),
  tostring: (a) => asString(a[0] ?? UNKNOWN) ?? UNKNOWN,
  tonumber: (a) => (typeof a[0] === 'number' ? a[0] : typeof a[0] === 'string' && /^-?\d+(\.\d+)?$/.test(a[0]) ? Number(a[0]) : UNKNOWN),
  tolist: (a) => (Array.isArray(a[0]) ? a[0] : UNKNOWN),
  toset: (a) => (Array.isArray(a[0]) ? a[0] : UNKNOWN),
  tomap: (a) => (isMap(a[0] ?? UNKNOWN) ? a[0] : UNKNOWN),
  join: (a) => {
    const [sep, list] = a;
    if (typeof sep !== 'string' || !Array.isArray(list)) return UNKNOWN;
    const parts = strings(list as HclValue[]);
    return parts.every((p) => p !== undefined) ? parts.join(sep) : UNKNOWN;
  },
  concat: (a) => (a.every(Array.isArray) ? (a as HclValue[][]).flat() : UNKNOWN),
  merge: (a) => (a.every((m) => isMap(m)) ? Object.assign({}, ...a) : UNKNOWN),
  lookup: (a) => {
    const [m, key, fallback] = a;
    if (!isMap(m) || typeof key !== 'string') return UNKNOWN;
    return Object.prototype.hasOwnProperty.call(m, key) ? m[key] : (fallback ?? UNKNOWN);
  },
  length: (a) =>
    Array.isArray(a[0]) ? a[0].length : isMap(a[0] ?? UNKNOWN) ? Object.keys(a[0] as object).length : typeof a[0] === 'string' ? [...a[0]].length : UNKNOWN,
  keys: (a) => (isMap(a[0] ?? UNKNOWN) ? Object.keys(a[0] as object).sort() : UNKNOWN),
  values: (a) =>
    isMap(a[0] ?? UNKNOWN)
      ? Object.keys(a[0] as object)
          .sort()
          .map((k) => (a[0] as Record<string, HclValue>)[k])
      : UNKNOWN,
  contains: (a) =>
    Array.isArray(a[0]) && fullyKnown(a[0]) && fullyKnown(a[1] ?? UNKNOWN)
      ? (a[0] as HclValue[]).some((x) => JSON.stringify(x) === JSON.stringify(a[1]))
      : UNKNOWN,
  tobool: (a) => truth(a[0] ?? UNKNOWN) ?? UNKNOWN,
  coalesce: (a) => a.find((v) => v !== null && v !== '') ?? UNKNOWN,
  replace: (a) => {
    const [s, from, to] = strings(a);
    // a /regex/ pattern is not read
    return s !== undefined && from !== undefined && to !== undefined && !/^\/.*\/$/.test(from) ? s.split(from).join(to) : UNKNOWN;
  },
  trimprefix: (a) => {
    const [s, p] = strings(a);
    return s !== undefined && p !== undefined ? (s.startsWith(p) ? s.slice(p.length) : s) : UNKNOWN;
  },
  trimsuffix: (a) => {
    const [s, p] = strings(a);
    return s !== undefined && p !== undefined ? (p && s.endsWith(p) ? s.slice(0, -p.length) : s) : UNKNOWN;
  },
};

function callOf(name: string, args: readonly HclExpr[], scope: HclScope, state: State): HclValue {
  const fn = Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (!fn) return UNKNOWN;
  const values = args.map((a) => valueOf(a, scope, state));
  // coalesce and lookup read past an unknown only where it is not needed; the others need every argument
  if (name !== 'lookup' && values.some((v) => v === UNKNOWN)) return UNKNOWN;
  return fn(values);
}
