import { strslice, strval, toInt64 } from './go-cast';
import { goQuote } from './go-printf';
import { isNil } from './go-values';
import { TemplateFunc } from './template-exec';

/** Sprig's string functions (Masterminds/sprig v3 functions.go genericMap, strings.go), in its argument order: the string last. */
export const SPRIG_STRINGS: [string, TemplateFunc][] = [
  ['upper', ([s]) => strval(s).toUpperCase()],
  ['lower', ([s]) => strval(s).toLowerCase()],
  ['title', ([s]) => strval(s).replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_, a: string, b: string) => a + b.toUpperCase())],
  ['untitle', ([s]) => strval(s).replace(/(^|\s)(\p{L})/gu, (_, a: string, b: string) => a + b.toLowerCase())],
  ['trim', ([s]) => strval(s).trim()],
  ['trimAll', ([cut, s]) => trimCut(strval(s), strval(cut))],
  ['trimall', ([cut, s]) => trimCut(strval(s), strval(cut))],
  ['trimPrefix', ([p, s]) => (strval(s).startsWith(strval(p)) ? strval(s).slice(strval(p).length) : strval(s))],
  ['trimSuffix', ([p, s]) => (strval(p) && strval(s).endsWith(strval(p)) ? strval(s).slice(0, -strval(p).length) : strval(s))],
  [
    'quote',
    (args) =>
      args
        .filter((a) => !isNil(a))
        .map((a) => goQuote(strval(a)))
        .join(' '),
  ],
  [
    'squote',
    (args) =>
      args
        .filter((a) => !isNil(a))
        .map((a) => `'${strval(a)}'`)
        .join(' '),
  ],
  [
    'cat',
    (args) =>
      args
        .filter((a) => !isNil(a))
        .map(strval)
        .join(' '),
  ],
  ['indent', ([n, s]) => indent(Number(toInt64(n)), strval(s))],
  ['nindent', ([n, s]) => `\n${indent(Number(toInt64(n)), strval(s))}`],
  ['replace', ([o, n, s]) => strval(s).split(strval(o)).join(strval(n))],
  ['repeat', ([n, s]) => strval(s).repeat(Math.max(0, Number(toInt64(n))))],
  ['substr', ([a, b, s]) => substr(Number(toInt64(a)), Number(toInt64(b)), strval(s))],
  ['trunc', ([n, s]) => trunc(Number(toInt64(n)), strval(s))],
  ['contains', ([sub, s]) => strval(s).includes(strval(sub))],
  ['hasPrefix', ([p, s]) => strval(s).startsWith(strval(p))],
  ['hasSuffix', ([p, s]) => strval(s).endsWith(strval(p))],
  ['split', ([sep, s]) => Object.fromEntries(goSplit(strval(s), strval(sep)).map((x, i) => [`_${i}`, x]))],
  ['splitList', ([sep, s]) => goSplit(strval(s), strval(sep))],
  ['splitn', ([sep, n, s]) => Object.fromEntries(goSplitN(strval(s), strval(sep), Number(toInt64(n))).map((x, i) => [`_${i}`, x]))],
  ['join', ([sep, v]) => strslice(v).join(strval(sep))],
  ['sortAlpha', ([v]) => strslice(v).sort()],
  ['toString', ([v]) => strval(v)],
  ['toStrings', ([v]) => strslice(v)],
  ['nospace', ([s]) => strval(s).replace(/\s/g, '')],
  ['abbrev', ([n, s]) => abbrev(Number(toInt64(n)), strval(s))],
  ['plural', ([one, many, n]) => (toInt64(n) === 1n ? strval(one) : strval(many))],
  ['snakecase', ([s]) => words(strval(s)).join('_').toLowerCase()],
  ['kebabcase', ([s]) => words(strval(s)).join('-').toLowerCase()],
  [
    'camelcase',
    ([s]) =>
      strval(s)
        .split('_')
        .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
        .join(''),
  ],
];

function trimCut(s: string, cut: string): string {
  const set = new Set([...cut]);
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (a < b && set.has(chars[a])) a++;
  while (b > a && set.has(chars[b - 1])) b--;
  return chars.slice(a, b).join('');
}

export function indent(n: number, s: string): string {
  const pad = ' '.repeat(Math.max(0, n));
  return pad + s.split('\n').join(`\n${pad}`);
}

function substr(start: number, end: number, s: string): string {
  if (start < 0) return s.slice(0, end);
  if (end < 0 || end > s.length) return s.slice(start);
  return s.slice(start, end);
}

function trunc(c: number, s: string): string {
  if (c < 0 && s.length + c > 0) return s.slice(s.length + c);
  if (c >= 0 && s.length > c) return s.slice(0, c);
  return s;
}

function abbrev(width: number, s: string): string {
  if (width < 4 || s.length <= width) return s;
  return `${s.slice(0, width - 3)}...`;
}

/** strings.Split: an empty separator splits after each character. */
export function goSplit(s: string, sep: string): string[] {
  return sep === '' ? [...s] : s.split(sep);
}

function goSplitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  const all = goSplit(s, sep);
  if (n < 0 || all.length <= n) return all;
  return [...all.slice(0, n - 1), all.slice(n - 1).join(sep)];
}

function words(s: string): string[] {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean);
}
