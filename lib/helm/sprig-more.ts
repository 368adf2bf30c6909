import { listOf, strval, toInt64 } from './go-cast';
import { NotRendered } from './go-values';
import { TemplateFunc } from './template-exec';

/**
 * goutils WrapCustom (Masterminds/goutils wordutils.go), which Sprig's wrap and wrapWith call: words split at ' ',
 * a line broken at the last space within `width` bytes, leading spaces of a line dropped; a word longer than the
 * width is cut at the width (wrapLongWords) or left whole up to its next space. Go indexes bytes, so the text is.
 */
export function wrapCustom(text: string, width: number, newLine: string, wrapLongWords: boolean): string {
  const s = Buffer.from(text, 'utf8');
  if (!s.length) return '';
  const nl = newLine || '\n';
  const w = Math.max(1, width);
  const out: string[] = [];
  let offset = 0;
  const cut = (a: number, b: number) => s.subarray(a, b).toString('utf8');
  while (s.length - offset > w) {
    if (s[offset] === 0x20) {
      offset++;
      continue;
    }
    const space = s.subarray(offset, Math.min(s.length, w + offset + 1)).lastIndexOf(0x20);
    if (space >= 0) {
      out.push(cut(offset, offset + space), nl);
      offset += space + 1;
    } else if (wrapLongWords) {
      out.push(cut(offset, offset + w), nl);
      offset += w;
    } else {
      const next = s.subarray(w + offset).indexOf(0x20);
      if (next < 0) {
        out.push(cut(offset, s.length));
        offset = s.length;
      } else {
        out.push(cut(offset, next + w + offset), nl);
        offset = next + w + offset + 1;
      }
    }
  }
  out.push(cut(offset, s.length));
  return out.join('');
}

/** goutils Initials with no delimiters: the first byte of the text and each one after white space. */
function initials(s: string): string {
  const b = Buffer.from(s, 'utf8');
  const out: number[] = [];
  let gap = true;
  for (const ch of b) {
    if (/\s/.test(String.fromCharCode(ch))) gap = true;
    else if (gap) {
      out.push(ch);
      gap = false;
    }
  }
  return Buffer.from(out).toString('latin1');
}

/** goutils SwapCase: an upper-case letter to lower case, a lower-case one to upper (title) case; other characters kept. */
function swapcase(s: string): string {
  return [...s].map((ch) => (ch !== ch.toLowerCase() ? ch.toLowerCase() : ch.toUpperCase())).join('');
}

/** Sprig seq (numeric.go): 1 to end, start to end, or start by step to end, as text joined by spaces. */
function seq(params: bigint[]): string {
  const run = (from: bigint, to: bigint, step: bigint) => {
    const out: bigint[] = [];
    if (step === 0n) return '';
    for (let i = from; step > 0n ? i < to : i > to; i += step) out.push(i);
    return out.join(' ');
  };
  if (params.length === 1) return run(1n, params[0] + (params[0] < 1n ? -1n : 1n), params[0] < 1n ? -1n : 1n);
  if (params.length === 2) {
    const step = params[1] < params[0] ? -1n : 1n;
    return run(params[0], params[1] + step, step);
  }
  if (params.length === 3) {
    const [start, step, end] = params;
    if (end < start && step > 0n) return '';
    return run(start, end + (end < start ? -1n : 1n), step);
  }
  return '';
}

/** Sprig mustChunk (list.go): the list cut into lists of `size`, the last one shorter. */
function chunk(size: number, list: unknown[]): unknown[][] {
  const out: unknown[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Go path.Clean (lexical: `.` and `..` resolved, slashes collapsed, no trailing slash). */
export function goClean(p: string): string {
  if (!p) return '.';
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
    } else out.push(part);
  }
  const joined = out.join('/');
  return abs ? `/${joined}` : joined || '.';
}

/** Go path.Base: the last element, trailing slashes dropped; "." for "" and "/" for slashes only. */
function goBase(p: string): string {
  if (!p) return '.';
  const t = p.replace(/\/+$/, '');
  if (!t) return '/';
  return t.slice(t.lastIndexOf('/') + 1);
}

/** Go path.Dir: all but the last element, cleaned. */
function goDir(p: string): string {
  return goClean(p.slice(0, p.lastIndexOf('/') + 1));
}

/** Go path.Ext: from the last dot of the last element. */
function goExt(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Go base32.StdEncoding.EncodeToString (RFC 4648, padded). */
function b32enc(s: string): string {
  const bytes = Buffer.from(s, 'utf8');
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out + '='.repeat((8 - (out.length % 8)) % 8);
}

/** Go base32.StdEncoding.DecodeString for well-formed input; other input leaves the chart unrendered (Go's error text is not ported). */
function b32dec(s: string): string {
  if (s.length % 8 || !/^[A-Z2-7]*=*$/.test(s))
    throw new NotRendered('the templates call b32dec on text that is no padded base32, whose error text this check does not render');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of s.replace(/=+$/, '')) {
    value = (value << 5) | B32.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out).toString('utf8');
}

/** Go hash/adler32 Checksum of the text's bytes, in decimal (Sprig adler32sum). */
function adler32(s: string): string {
  let a = 1;
  let b = 0;
  for (const byte of Buffer.from(s, 'utf8')) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return String(((b << 16) | a) >>> 0);
}

const unknowable =
  (why: string): TemplateFunc =>
  () => {
    throw new NotRendered(why);
  };

/**
 * The Sprig v3 functions (Masterminds/sprig functions.go genericMap) the other tables lack: deterministic ones ported
 * (strings.go, list.go, numeric.go, Go's path package for base/dir/clean/ext/isAbs and the os* ones on a Linux
 * renderer), those that read the clock or a random seed left unknowable.
 */
export const SPRIG_MORE: [string, TemplateFunc][] = [
  ['hello', () => 'Hello!'],
  ['wrap', ([n, s]) => wrapCustom(strval(s), Number(toInt64(n)), '', false)],
  ['wrapWith', ([n, sep, s]) => wrapCustom(strval(s), Number(toInt64(n)), strval(sep), true)],
  ['initials', ([s]) => initials(strval(s))],
  ['swapcase', ([s]) => swapcase(strval(s))],
  ['seq', (args) => seq(args.map(toInt64))],
  ['tuple', (args) => [...args]],
  ['biggest', (args) => args.map(toInt64).reduce((a, b) => (b > a ? b : a))],
  ['chunk', ([n, l]) => chunk(Number(toInt64(n)), listOf(l, 'chunk'))],
  ['mustChunk', ([n, l]) => chunk(Number(toInt64(n)), listOf(l, 'mustChunk'))],
  ...(['', 'os'] as const).flatMap((p): [string, TemplateFunc][] => [
    [`${p}${p ? 'Base' : 'base'}`, ([s]) => goBase(strval(s))],
    [`${p}${p ? 'Dir' : 'dir'}`, ([s]) => goDir(strval(s))],
    [`${p}${p ? 'Clean' : 'clean'}`, ([s]) => goClean(strval(s))],
    [`${p}${p ? 'Ext' : 'ext'}`, ([s]) => goExt(strval(s))],
    [`${p}${p ? 'IsAbs' : 'isAbs'}`, ([s]) => strval(s).startsWith('/')],
  ]),
  ['b32enc', ([s]) => b32enc(strval(s))],
  ['b32dec', ([s]) => b32dec(strval(s))],
  ['adler32sum', ([s]) => adler32(strval(s))],
  ...['date_in_zone', 'date_modify', 'must_date_modify', 'mustDateModify'].map((n): [string, TemplateFunc] => [
    n,
    unknowable(`the templates call ${n}, which reads the clock or dates this check does not render`),
  ]),
  ['randSeededNumeric', unknowable("the templates call randSeededNumeric, whose output is Go's seeded random generator's, which this check does not port")],
  ['buildCustomCert', unknowable('the templates call buildCustomCert, which makes a certificate object this check does not render')],
];
