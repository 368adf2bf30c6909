import { sprint, sprintf, sprintln } from './go-printf';
import { isGoMap, isNil, kindOf, TemplateError, truth, typeOf } from './go-values';
import { TemplateFunc } from './template-exec';

/** The builtin functions of Go's text/template (go/src/text/template/funcs.go builtins), and/or aside (the executor's). */
export const BUILTINS: ReadonlyMap<string, TemplateFunc> = new Map<string, TemplateFunc>([
  ['not', ([a]) => !truth(a)],
  ['len', ([a]) => BigInt(lengthOf(a))],
  ['index', ([item, ...keys]) => keys.reduce((v, k) => indexOne(v, k), item)],
  ['slice', ([item, ...idx]) => sliceOf(item, idx)],
  ['print', (args) => sprint(args)],
  ['printf', ([f, ...args]) => sprintf(String(f), args)],
  ['println', (args) => sprintln(args)],
  ['eq', ([a, ...bs]) => eq(a, bs)],
  ['ne', ([a, b]) => !eq(a, [b])],
  ['lt', ([a, b]) => compare(a, b) < 0],
  ['le', ([a, b]) => compare(a, b) <= 0],
  ['gt', ([a, b]) => compare(a, b) > 0],
  ['ge', ([a, b]) => compare(a, b) >= 0],
  ['html', (args) => htmlEscape(sprint(args))],
  ['js', (args) => jsEscape(sprint(args))],
  [
    'urlquery',
    (args) =>
      encodeURIComponent(sprint(args))
        .replace(/%20/g, '+')
        .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
  ],
]);

export function lengthOf(a: unknown): number {
  if (typeof a === 'string') return Buffer.byteLength(a, 'utf8');
  if (Array.isArray(a)) return a.length;
  if (isGoMap(a)) return Object.keys(a).length;
  throw new TemplateError(`error calling len: len of ${isNil(a) ? 'nil pointer' : `type ${typeOf(a)}`}`);
}

function indexOne(v: unknown, k: unknown): unknown {
  if (isNil(v)) throw new TemplateError('error calling index: index of untyped nil');
  if (isGoMap(v)) return Object.prototype.hasOwnProperty.call(v, String(k)) ? v[String(k)] : undefined;
  if (Array.isArray(v) || typeof v === 'string') {
    const i = Number(k);
    if (typeof k !== 'bigint' || i < 0 || i >= v.length) throw new TemplateError(`error calling index: index out of range: ${String(k)}`);
    return typeof v === 'string' ? BigInt(Buffer.from(v)[i]) : v[i];
  }
  throw new TemplateError(`error calling index: can't index item of type ${typeOf(v)}`);
}

function sliceOf(item: unknown, idx: unknown[]): unknown {
  if (!(Array.isArray(item) || typeof item === 'string')) throw new TemplateError(`error calling slice: can't slice item of type ${typeOf(item)}`);
  const n = item.length;
  const [from, to] = [idx[0] === undefined ? 0 : Number(idx[0]), idx[1] === undefined ? n : Number(idx[1])];
  if (from < 0 || to > n || from > to) throw new TemplateError(`error calling slice: index out of range`);
  return item.slice(from, to);
}

/** The basic kind eq and lt compare by (funcs.go basicKind): ints, floats, strings, bools; others are not comparable by lt. */
function basic(v: unknown): 'int' | 'float' | 'string' | 'bool' | 'other' {
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  return 'other';
}

/** funcs.go eq: arg1 equal to any of the others; values of different basic kinds are an error ("incompatible types for comparison"). */
function eq(a: unknown, bs: unknown[]): boolean {
  if (!bs.length) throw new TemplateError('error calling eq: missing argument for comparison');
  return bs.some((b) => {
    if (isNil(a) || isNil(b)) return isNil(a) && isNil(b);
    const [ka, kb] = [basic(a), basic(b)];
    if (ka !== kb) throw new TemplateError(`error calling eq: incompatible types for comparison`);
    if (ka === 'other') {
      if (kindOf(a) === 'map' || kindOf(a) === 'slice') throw new TemplateError(`error calling eq: non-comparable type ${typeOf(a)}`);
      return a === b;
    }
    return a === b;
  });
}

function compare(a: unknown, b: unknown): number {
  const [ka, kb] = [basic(a), basic(b)];
  if (ka === 'other' || ka === 'bool') throw new TemplateError(`error calling lt: invalid type for comparison`);
  if (ka !== kb) throw new TemplateError('error calling lt: incompatible types for comparison');
  const [x, y] = [a as string | number | bigint, b as string | number | bigint];
  return x < y ? -1 : x > y ? 1 : 0;
}

function htmlEscape(s: string): string {
  return s.replace(/[&'<>"\0]/g, (c) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;', '\0': '\uFFFD' })[c]!);
}

function jsEscape(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what js escapes
  return s.replace(/[\\'"<>&=\n\r\t]|[\x00-\x1f]/g, (c) => {
    const named: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  });
}
