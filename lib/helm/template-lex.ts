/**
 * The lexer of Go's text/template (go/src/text/template/parse/lex.go), as one pass over a template: text between
 * actions, and each action's tokens. Trim markers (`{{- ` and ` -}}`, a space required beside the dash) remove the
 * white space next to the action; a comment (an action that starts with a slash and a star) must close right after its star and slash.
 */

export type Token =
  | { readonly k: 'text'; readonly v: string }
  | { readonly k: 'open'; readonly line: number }
  | { readonly k: 'close' }
  | { readonly k: 'comment' }
  | { readonly k: 'word' | 'field' | 'var' | 'string' | 'number' | 'char' | 'op'; readonly v: string; readonly adj?: boolean };

export class TemplateSyntaxError extends Error {}

const SPACE = /[ \t\r\n]/;
const TRIM_SPACE = /[ \t\r\n]+$/;

/** The template's tokens, text and actions in order. */
export function lex(src: string, name: string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  let trimNext = false;
  while (pos < src.length) {
    const open = src.indexOf('{{', pos);
    let text = src.slice(pos, open < 0 ? src.length : open);
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, '');
    trimNext = false;
    if (open < 0) {
      if (text) out.push({ k: 'text', v: text });
      break;
    }
    const trimLeft = src[open + 2] === '-' && SPACE.test(src[open + 3] ?? '');
    if (trimLeft) text = text.replace(TRIM_SPACE, '');
    if (text) out.push({ k: 'text', v: text });
    const line = lineAt(src, open);
    const r = lexAction(src, open + (trimLeft ? 3 : 2), name, line, out);
    pos = r.end;
    trimNext = r.trimRight;
  }
  return out;
}

function lineAt(src: string, at: number): number {
  let n = 1;
  for (let i = src.indexOf('\n'); i >= 0 && i < at; i = src.indexOf('\n', i + 1)) n++;
  return n;
}

/** Whether a right delimiter (with its trim marker) starts at `i`. */
function closeAt(src: string, i: number): { len: number; trim: boolean } | undefined {
  if (src.startsWith('}}', i)) return { len: 2, trim: false };
  if (SPACE.test(src[i] ?? '') && src.startsWith('-}}', i + 1)) return { len: 4, trim: true };
  return undefined;
}

function lexComment(src: string, i: number, name: string, line: number): { end: number; trimRight: boolean } {
  const end = src.indexOf('*/', i + 2);
  if (end < 0) throw new TemplateSyntaxError(`template: ${name}:${line}: unclosed comment`);
  const close = closeAt(src, end + 2);
  if (!close) throw new TemplateSyntaxError(`template: ${name}:${line}: comment ends before closing delimiter`);
  return { end: end + 2 + close.len, trimRight: close.trim };
}

/** The tokens of one action, from after its left delimiter; returns where it ends and whether it trims after. */
function lexAction(src: string, start: number, name: string, line: number, out: Token[]): { end: number; trimRight: boolean } {
  let i = start;
  while (SPACE.test(src[i] ?? '')) i++;
  if (src.startsWith('/*', i)) {
    out.push({ k: 'comment' });
    return lexComment(src, i, name, line);
  }
  out.push({ k: 'open', line });
  let spaced = true;
  for (;;) {
    if (i >= src.length) throw new TemplateSyntaxError(`template: ${name}:${line}: unclosed action`);
    const close = closeAt(src, i);
    if (close) {
      out.push({ k: 'close' });
      return { end: i + close.len, trimRight: close.trim };
    }
    if (SPACE.test(src[i])) {
      i++;
      spaced = true;
      continue;
    }
    const t = lexToken(src, i, name, line);
    // a field right after an operand, with no space between, is a field of its value (`$x.a`, `(…).a`)
    out.push(t.token.k === 'field' && !spaced ? { ...t.token, adj: true } : t.token);
    spaced = false;
    i = t.end;
  }
}

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /[+-]?(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(\d[\d_]*)?\.?\d[\d_]*([eE][+-]?\d+)?)/y;

function sticky(re: RegExp, src: string, i: number): string | undefined {
  re.lastIndex = i;
  return re.exec(src)?.[0];
}

function lexToken(src: string, i: number, name: string, line: number): { token: Token; end: number } {
  const c = src[i];
  if (c === ':' && src[i + 1] === '=') return { token: { k: 'op', v: ':=' }, end: i + 2 };
  if ('()|=,'.includes(c)) return { token: { k: 'op', v: c }, end: i + 1 };
  if (c === '"') return quoted(src, i, name, line);
  if (c === '`') {
    const end = src.indexOf('`', i + 1);
    if (end < 0) throw new TemplateSyntaxError(`template: ${name}:${line}: unterminated raw quoted string`);
    return { token: { k: 'string', v: src.slice(i + 1, end) }, end: end + 1 };
  }
  if (c === "'") return charConstant(src, i, name, line);
  if (c === '$') {
    const w = sticky(WORD, src, i + 1) ?? '';
    return { token: { k: 'var', v: `$${w}` }, end: i + 1 + w.length };
  }
  if (c === '.' && !/[0-9]/.test(src[i + 1] ?? '')) {
    const w = sticky(WORD, src, i + 1) ?? '';
    return { token: { k: 'field', v: w }, end: i + 1 + w.length };
  }
  const num = /[0-9+\-.]/.test(c) ? sticky(NUMBER, src, i) : undefined;
  if (num) return { token: { k: 'number', v: num }, end: i + num.length };
  const w = sticky(WORD, src, i);
  if (w) return { token: { k: 'word', v: w }, end: i + w.length };
  throw new TemplateSyntaxError(`template: ${name}:${line}: unexpected "${c}" in command`);
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };

/** A Go interpreted string literal (strconv.Unquote): the common escapes, \xNN, \uNNNN, \UNNNNNNNN. */
function quoted(src: string, i: number, name: string, line: number): { token: Token; end: number } {
  let v = '';
  let j = i + 1;
  while (j < src.length && src[j] !== '"') {
    if (src[j] === '\n') break;
    if (src[j] !== '\\') {
      v += src[j++];
      continue;
    }
    const e = src[j + 1];
    const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hex) {
      v += String.fromCodePoint(parseInt(src.slice(j + 2, j + 2 + hex), 16));
      j += 2 + hex;
    } else if (e in ESCAPES) {
      v += ESCAPES[e];
      j += 2;
    } else throw new TemplateSyntaxError(`template: ${name}:${line}: invalid syntax`);
  }
  if (src[j] !== '"') throw new TemplateSyntaxError(`template: ${name}:${line}: unterminated quoted string`);
  return { token: { k: 'string', v }, end: j + 1 };
}

/** A character constant ('a', '\n'): a number, the character's code point. */
function charConstant(src: string, i: number, name: string, line: number): { token: Token; end: number } {
  const m = /^'(\\.|[^\\'])'/u.exec(src.slice(i, i + 8));
  if (!m) throw new TemplateSyntaxError(`template: ${name}:${line}: unterminated character constant`);
  const ch = m[1].length === 2 ? (ESCAPES[m[1][1]] ?? m[1][1]) : m[1];
  return { token: { k: 'char', v: String(ch.codePointAt(0)) }, end: i + m[0].length };
}
