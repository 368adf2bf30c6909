/**
 * A reader of the subset of HCL's native syntax that Terraform configurations write their node pools in
 * (hashicorp/hcl hclsyntax spec.md): bodies of attributes and labelled blocks; expressions of strings with `${…}`
 * interpolation, numbers, bools, null, tuples, objects, references, function calls, the operators and the conditional
 * `a ? b : c` (with HCL's precedence: `||`, `&&`, `==` `!=`, comparisons, `+` `-`, `*` `/` `%`, then unary `!` `-`).
 * What it does not read (heredocs, template directives, `for` expressions, splats) reads as an expression of unknown
 * value, never as a guess. It never throws and each step moves forward, so hostile text ends in bounded time.
 */

/** An expression as written. */
export type HclExpr =
  | { readonly t: 'lit'; readonly v: string | number | boolean | null }
  | { readonly t: 'tpl'; readonly parts: readonly (string | HclExpr)[] }
  | { readonly t: 'ref'; readonly path: readonly (string | number)[] }
  | { readonly t: 'call'; readonly name: string; readonly args: readonly HclExpr[] }
  | { readonly t: 'list'; readonly items: readonly HclExpr[] }
  | { readonly t: 'obj'; readonly entries: readonly (readonly [HclExpr, HclExpr])[] }
  /** An operator and its operands: one for `!` and `neg`, two for the binary ones. */
  | { readonly t: 'op'; readonly op: string; readonly args: readonly HclExpr[] }
  | { readonly t: 'cond'; readonly test: HclExpr; readonly yes: HclExpr; readonly no: HclExpr }
  | { readonly t: 'unknown' };

/** An attribute `name = expr`, with the line it starts on. */
export interface HclAttribute {
  readonly expr: HclExpr;
  readonly line: number;
}

/** A block `type "label" … { body }`, with the line it starts on. */
export interface HclBlock {
  readonly type: string;
  readonly labels: readonly string[];
  readonly body: HclBody;
  readonly line: number;
}

export interface HclBody {
  readonly attributes: ReadonlyMap<string, HclAttribute>;
  readonly blocks: readonly HclBlock[];
}

const UNKNOWN_EXPR: HclExpr = { t: 'unknown' };
/** Nesting past this reads as unknown: a real configuration nests some levels; hostile text may nest thousands. */
const MAX_DEPTH = 48;
const IDENT_START = /[A-Za-z_]/;
const IDENT = /[A-Za-z0-9_-]/;
const CLOSERS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };

class Cursor {
  i = 0;
  constructor(readonly s: string) {}
  ch(): string {
    return this.s[this.i] ?? '';
  }
  at(word: string): boolean {
    return this.s.startsWith(word, this.i);
  }
  private breaks?: number[];
  line(at = this.i): number {
    if (!this.breaks) {
      this.breaks = [];
      for (let k = this.s.indexOf('\n'); k >= 0; k = this.s.indexOf('\n', k + 1)) this.breaks.push(k);
    }
    // the newlines before `at`, by binary search
    let lo = 0;
    let hi = this.breaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.breaks[mid] < at) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  }
  /** Spaces and comments; newlines too where `lines` (inside brackets, where they separate nothing). */
  skip(lines: boolean): void {
    for (;;) {
      const c = this.ch();
      if (c === ' ' || c === '\t' || c === '\r' || (lines && c === '\n')) this.i++;
      else if (c === '#' || this.at('//')) this.i = this.until('\n');
      else if (this.at('/*')) this.i = Math.min(this.s.length, this.until('*/') + 2);
      else return;
    }
  }
  until(word: string): number {
    const k = this.s.indexOf(word, this.i);
    return k < 0 ? this.s.length : k;
  }
  ident(): string {
    const start = this.i;
    if (!IDENT_START.test(this.ch())) return '';
    while (this.i < this.s.length && IDENT.test(this.ch())) this.i++;
    return this.s.slice(start, this.i);
  }
}

/** The body of a configuration file's text (`.tf`, `.tfvars`); what does not read is passed over. */
export function parseHcl(text: string): HclBody {
  const cur = new Cursor(text);
  try {
    return body(cur, 0, true);
  } catch {
    return { attributes: new Map(), blocks: [] };
  }
}

function body(cur: Cursor, depth: number, top: boolean): HclBody {
  const attributes = new Map<string, HclAttribute>();
  const blocks: HclBlock[] = [];
  for (;;) {
    cur.skip(true);
    if (cur.i >= cur.s.length || (!top && cur.ch() === '}')) break;
    const start = cur.i;
    const name = cur.ident();
    if (!name) {
      cur.i = nextLine(cur, start);
      continue;
    }
    cur.skip(false);
    if (cur.ch() === '=' && cur.s[cur.i + 1] !== '=') {
      cur.i++;
      attributes.set(name, { expr: expression(cur, depth, false), line: cur.line(start) });
      cur.skip(false);
      // a one-line block (`scaling_config { min_size = 1 }`) closes on the attribute's line
      if (cur.ch() !== '}') cur.i = nextLine(cur, cur.i);
      continue;
    }
    const block = blockRest(cur, name, depth, start);
    if (block) blocks.push(block);
    else cur.i = nextLine(cur, Math.max(start + 1, cur.i));
  }
  return { attributes, blocks };
}

/** The rest of a line from `from`: a line that does not read is passed over whole. */
function nextLine(cur: Cursor, from: number): number {
  const k = cur.s.indexOf('\n', Math.max(from, cur.i));
  return k < 0 ? cur.s.length : k + 1;
}

/** A block's labels and body after its type; undefined where no `{` follows them. */
function blockRest(cur: Cursor, type: string, depth: number, start: number): HclBlock | undefined {
  const labels: string[] = [];
  for (;;) {
    cur.skip(false);
    if (cur.ch() === '"') {
      const s = quoted(cur, depth);
      labels.push(s.t === 'tpl' && s.parts.every((p) => typeof p === 'string') ? s.parts.join('') : '');
    } else if (IDENT_START.test(cur.ch())) labels.push(cur.ident());
    else break;
  }
  if (cur.ch() !== '{') return undefined;
  cur.i++;
  if (depth >= MAX_DEPTH) {
    cur.i = skipBalanced(cur, '{');
    return undefined;
  }
  const inner = body(cur, depth + 1, false);
  if (cur.ch() === '}') cur.i++;
  return { type, labels, body: inner, line: cur.line(start) };
}

/** Past the bracket closing one already opened (`open` read), strings and comments read as such. */
function skipBalanced(cur: Cursor, open: string): number {
  const stack = [CLOSERS[open]];
  while (cur.i < cur.s.length && stack.length) {
    const c = cur.ch();
    if (c === '"') {
      quoted(cur, MAX_DEPTH);
      continue;
    }
    if (c === '#' || cur.at('//') || cur.at('/*')) {
      const before = cur.i;
      cur.skip(false);
      if (cur.i === before) cur.i++;
      continue;
    }
    if (CLOSERS[c]) stack.push(CLOSERS[c]);
    else if (c === stack[stack.length - 1]) stack.pop();
    cur.i++;
  }
  return cur.i;
}

/** An expression; `lines` where it stands inside brackets (newlines do not end it). */
function expression(cur: Cursor, depth: number, lines: boolean): HclExpr {
  if (depth >= MAX_DEPTH) return restUnknown(cur, lines);
  const test = binary(cur, depth, lines, 0);
  cur.skip(lines);
  if (cur.ch() !== '?') return test;
  cur.i++;
  const yes = expression(cur, depth + 1, true);
  cur.skip(true);
  if (cur.ch() !== ':') return UNKNOWN_EXPR;
  cur.i++;
  const no = expression(cur, depth + 1, lines);
  return { t: 'cond', test, yes, no };
}

/** HCL's binary operators, loosest first (hclsyntax spec.md, "Operations"). */
const LEVELS: readonly (readonly string[])[] = [['||'], ['&&'], ['==', '!='], ['<', '<=', '>', '>='], ['+', '-'], ['*', '/', '%']];

/** Operands joined by the operators of `level` and tighter, left to right. */
function binary(cur: Cursor, depth: number, lines: boolean, level: number): HclExpr {
  if (level >= LEVELS.length) return unary(cur, depth, lines);
  let left = binary(cur, depth, lines, level + 1);
  for (;;) {
    cur.skip(lines);
    const op = /^(==|!=|<=|>=|&&|\|\||[+\-*/%<>])/.exec(cur.s.slice(cur.i, cur.i + 2))?.[0];
    if (!op || !LEVELS[level].includes(op)) return left;
    cur.i += op.length;
    cur.skip(true);
    left = { t: 'op', op, args: [left, binary(cur, depth + 1, lines, level + 1)] };
  }
}

/** What is left of an expression too deeply nested to read: passed over to its end, unknown. */
function restUnknown(cur: Cursor, lines: boolean): HclExpr {
  while (cur.i < cur.s.length && !(lines ? /[,)\]}]/ : /[\n,)\]}]/).test(cur.ch())) {
    if (CLOSERS[cur.ch()]) {
      const open = cur.ch();
      cur.i++;
      cur.i = skipBalanced(cur, open);
    } else cur.i++;
  }
  return UNKNOWN_EXPR;
}

function unary(cur: Cursor, depth: number, lines: boolean): HclExpr {
  if (depth >= MAX_DEPTH) return restUnknown(cur, lines);
  cur.skip(false);
  if (cur.ch() === '!' || (cur.ch() === '-' && !/[0-9]/.test(cur.s[cur.i + 1] ?? ''))) {
    const op = cur.ch() === '!' ? '!' : 'neg';
    cur.i++;
    return { t: 'op', op, args: [unary(cur, depth + 1, lines)] };
  }
  return postfix(cur, primary(cur, depth), depth);
}

/** Attribute and index access after an expression: kept on a reference, else unknown. */
function postfix(cur: Cursor, e: HclExpr, depth: number): HclExpr {
  let out = e;
  for (;;) {
    if (cur.ch() === '.' && (IDENT_START.test(cur.s[cur.i + 1] ?? '') || /[0-9*]/.test(cur.s[cur.i + 1] ?? ''))) {
      cur.i++;
      const step = cur.ch() === '*' ? (cur.i++, undefined) : /[0-9]/.test(cur.ch()) ? Number(digits(cur)) : cur.ident();
      out = out.t === 'ref' && step !== undefined ? { t: 'ref', path: [...out.path, step] } : UNKNOWN_EXPR;
    } else if (cur.ch() === '[') {
      cur.i++;
      const index = expression(cur, depth + 1, true);
      cur.skip(true);
      if (cur.ch() === ']') cur.i++;
      const step = index.t === 'lit' && (typeof index.v === 'number' || typeof index.v === 'string') ? index.v : undefined;
      const tpl = index.t === 'tpl' && index.parts.every((p) => typeof p === 'string') ? index.parts.join('') : undefined;
      const key = step ?? tpl;
      out = out.t === 'ref' && key !== undefined ? { t: 'ref', path: [...out.path, key] } : UNKNOWN_EXPR;
    } else return out;
  }
}

function digits(cur: Cursor): string {
  const m = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(cur.s.slice(cur.i, cur.i + 64));
  cur.i += m ? m[0].length : 1;
  return m?.[0] ?? '0';
}

function primary(cur: Cursor, depth: number): HclExpr {
  const c = cur.ch();
  if (c === '"') return quoted(cur, depth);
  if (cur.at('<<')) return heredoc(cur);
  if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(cur.s[cur.i + 1] ?? ''))) {
    const sign = c === '-' ? (cur.i++, -1) : 1;
    return { t: 'lit', v: sign * Number(digits(cur)) };
  }
  if (c === '[') return sequence(cur, depth);
  if (c === '{') return object(cur, depth);
  if (c === '(') {
    cur.i++;
    const e = expression(cur, depth + 1, true);
    cur.skip(true);
    if (cur.ch() === ')') cur.i++;
    return e;
  }
  const name = cur.ident();
  if (!name) {
    if (cur.i < cur.s.length && !/[\n,)\]}]/.test(c)) cur.i++;
    return UNKNOWN_EXPR;
  }
  if (name === 'true' || name === 'false') return { t: 'lit', v: name === 'true' };
  if (name === 'null') return { t: 'lit', v: null };
  cur.skip(false);
  if (cur.ch() === '(') return call(cur, name, depth);
  return { t: 'ref', path: [name] };
}

/** A function call's arguments (a `...` expansion reads as unknown). */
function call(cur: Cursor, name: string, depth: number): HclExpr {
  cur.i++;
  const args: HclExpr[] = [];
  let expanded = false;
  for (;;) {
    cur.skip(true);
    if (cur.i >= cur.s.length) break;
    if (cur.ch() === ')') {
      cur.i++;
      break;
    }
    const before = cur.i;
    args.push(expression(cur, depth + 1, true));
    cur.skip(true);
    if (cur.at('...')) {
      cur.i += 3;
      expanded = true;
    }
    if (cur.ch() === ',') cur.i++;
    else if (cur.i === before) cur.i++;
  }
  return expanded ? UNKNOWN_EXPR : { t: 'call', name, args };
}

/** A tuple `[a, b]`; a `for` expression reads as unknown. */
function sequence(cur: Cursor, depth: number): HclExpr {
  cur.i++;
  cur.skip(true);
  if (/^for\b/.test(cur.s.slice(cur.i, cur.i + 4))) {
    cur.i = skipBalanced(cur, '[');
    return UNKNOWN_EXPR;
  }
  const items: HclExpr[] = [];
  for (;;) {
    cur.skip(true);
    if (cur.i >= cur.s.length) break;
    if (cur.ch() === ']') {
      cur.i++;
      break;
    }
    const before = cur.i;
    items.push(expression(cur, depth + 1, true));
    cur.skip(true);
    if (cur.ch() === ',') cur.i++;
    else if (cur.i === before) cur.i++;
  }
  return { t: 'list', items };
}

/** An object `{ key = value, "key" : value }`; a `for` expression reads as unknown. */
function object(cur: Cursor, depth: number): HclExpr {
  cur.i++;
  cur.skip(true);
  if (/^for\b/.test(cur.s.slice(cur.i, cur.i + 4))) {
    cur.i = skipBalanced(cur, '{');
    return UNKNOWN_EXPR;
  }
  const entries: (readonly [HclExpr, HclExpr])[] = [];
  for (;;) {
    cur.skip(true);
    if (cur.i >= cur.s.length) break;
    if (cur.ch() === '}') {
      cur.i++;
      break;
    }
    const before = cur.i;
    const name = IDENT_START.test(cur.ch()) ? cur.ident() : undefined;
    const key: HclExpr = name !== undefined ? { t: 'lit', v: name } : expression(cur, depth + 1, true);
    cur.skip(true);
    if (cur.ch() === '=' || cur.ch() === ':') {
      cur.i++;
      entries.push([key, expression(cur, depth + 1, true)]);
    }
    cur.skip(true);
    if (cur.ch() === ',') cur.i++;
    else if (cur.i === before) cur.i++;
  }
  return { t: 'obj', entries };
}

/** A quoted template: literal text and `${…}` interpolations; a `%{…}` directive makes it unknown. */
function quoted(cur: Cursor, depth: number): HclExpr {
  cur.i++;
  const parts: (string | HclExpr)[] = [];
  let lit = '';
  let directive = false;
  const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
  while (cur.i < cur.s.length && cur.ch() !== '"' && cur.ch() !== '\n') {
    if (cur.ch() === '\\') {
      lit += ESCAPES[cur.s[cur.i + 1]] ?? cur.s[cur.i + 1] ?? '';
      cur.i += 2;
    } else if (cur.at('$${') || cur.at('%%{')) {
      lit += cur.s.slice(cur.i + 1, cur.i + 3);
      cur.i += 3;
    } else if (cur.at('${') || cur.at('%{')) {
      directive ||= cur.ch() === '%';
      cur.i += 2;
      if (lit) parts.push(lit);
      lit = '';
      parts.push(depth >= MAX_DEPTH ? restUnknown(cur, true) : expression(cur, depth + 1, true));
      cur.skip(true);
      cur.i = cur.ch() === '}' ? cur.i + 1 : skipBalanced(cur, '{');
    } else lit += cur.s[cur.i++];
  }
  if (cur.ch() === '"') cur.i++;
  if (lit) parts.push(lit);
  return directive ? UNKNOWN_EXPR : { t: 'tpl', parts };
}

/** A heredoc `<<EOT … EOT` (or `<<-EOT`): passed over, unknown. */
function heredoc(cur: Cursor): HclExpr {
  const m = /^<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n/.exec(cur.s.slice(cur.i, cur.i + 200));
  if (!m) {
    cur.i += 2;
    return UNKNOWN_EXPR;
  }
  cur.i += m[0].length;
  const end = new RegExp(`^[ \\t]*${m[1]}[ \\t]*$`, 'm').exec(cur.s.slice(cur.i));
  cur.i = end ? cur.i + end.index + end[0].length : cur.s.length;
  return UNKNOWN_EXPR;
}
