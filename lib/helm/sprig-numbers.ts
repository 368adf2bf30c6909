import { strval, toFloat64, toInt64 } from './go-cast';
import { TemplateError } from './go-values';
import { TemplateFunc } from './template-exec';

const ints = (args: unknown[]) => args.map(toInt64);

function divide(a: bigint, b: bigint, fn: string): bigint {
  if (b === 0n) throw new TemplateError(`error calling ${fn}: runtime error: integer divide by zero`);
  return fn === 'div' ? a / b : a % b;
}

/** Go's math.Round with a precision (sprig round: half away from zero at the given decimal places). */
function round(a: unknown, p: unknown, r: unknown = 0.5): number {
  const pow = 10 ** Number(toInt64(p));
  const digit = toFloat64(a) * pow;
  const [, frac] = [Math.trunc(digit), digit - Math.trunc(digit)];
  const rounded = Math.abs(frac) >= toFloat64(r) ? Math.trunc(digit) + Math.sign(digit) : Math.trunc(digit);
  return rounded / pow;
}

/** Sprig's arithmetic (Masterminds/sprig v3 numeric.go): integer functions on int64, the -f ones on float64. */
export const SPRIG_NUMBERS: [string, TemplateFunc][] = [
  ['add', (args) => ints(args).reduce((a, b) => a + b, 0n)],
  ['add1', ([a]) => toInt64(a) + 1n],
  ['sub', ([a, b]) => toInt64(a) - toInt64(b)],
  ['mul', (args) => ints(args).reduce((a, b) => a * b, 1n)],
  ['div', ([a, b]) => divide(toInt64(a), toInt64(b), 'div')],
  ['mod', ([a, b]) => divide(toInt64(a), toInt64(b), 'mod')],
  ['max', (args) => ints(args).reduce((a, b) => (b > a ? b : a))],
  ['min', (args) => ints(args).reduce((a, b) => (b < a ? b : a))],
  ['addf', (args) => args.map(toFloat64).reduce((a, b) => a + b, 0)],
  ['add1f', ([a]) => toFloat64(a) + 1],
  ['subf', ([a, ...bs]) => bs.map(toFloat64).reduce((x, y) => x - y, toFloat64(a))],
  ['mulf', (args) => args.map(toFloat64).reduce((a, b) => a * b, 1)],
  ['divf', ([a, ...bs]) => bs.map(toFloat64).reduce((x, y) => x / y, toFloat64(a))],
  ['maxf', (args) => Math.max(...args.map(toFloat64))],
  ['minf', (args) => Math.min(...args.map(toFloat64))],
  ['ceil', ([a]) => Math.ceil(toFloat64(a))],
  ['floor', ([a]) => Math.floor(toFloat64(a))],
  ['round', ([a, p, r]) => round(a, p, r)],
  ['int', ([a]) => toInt64(a)],
  ['int64', ([a]) => toInt64(a)],
  ['float64', ([a]) => toFloat64(a)],
  ['atoi', ([a]) => (/^[+-]?\d+$/.test(strval(a)) ? BigInt(strval(a)) : 0n)],
  ['toDecimal', ([a]) => (/^[+-]?[0-7]+$/.test(strval(a)) ? BigInt(parseInt(strval(a), 8)) : 0n)],
];
