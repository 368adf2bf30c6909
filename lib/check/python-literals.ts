/**
 * The literal values of Python source as far as a reading without running it can tell: strings, numbers, True, False,
 * None, lists, tuples, dicts with string keys, and calls with keyword arguments only (`dict(a=1)`,
 * `LLMConfig(accelerator_type="L4")`), read as the mapping of their keywords. Anything else (a variable, an
 * expression, a call with positional arguments, an f-string, `**` unpacking) is OPAQUE: its value is not known here.
 */

/** A value the source computes: not known without running it. */
export const OPAQUE: unique symbol = Symbol('opaque Python value');

export type PyValue = string | number | boolean | null | typeof OPAQUE | readonly PyValue[] | { readonly [key: string]: PyValue };

interface Token {
  readonly kind: 'string' | 'number' | 'name' | 'op' | 'fstring';
  readonly text: string;
}

const TOKEN =
  /\s+|#[^\n]*|\\\n|([rRbBuU]?)("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|([fF][rR]?|[rR][fF])("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|(\d[\d_]*(?:\.\d*)?(?:[eE][+-]?\d+)?)|([A-Za-z_][\w.]*)|(\*\*|[^\s\w])/y;

function tokens(source: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < source.length && (m = TOKEN.exec(source))) {
    if (m[2] !== undefined) out.push({ kind: 'string', text: unquote(m[2], m[1].toLowerCase().includes('r')) });
    else if (m[4] !== undefined) out.push({ kind: 'fstring', text: m[4] });
    else if (m[5] !== undefined) out.push({ kind: 'number', text: m[5].replace(/_/g, '') });
    else if (m[6] !== undefined) out.push({ kind: 'name', text: m[6] });
    else if (m[7] !== undefined) out.push({ kind: 'op', text: m[7] });
  }
  return out;
}

function unquote(quoted: string, raw: boolean): string {
  const q = quoted.startsWith('"""') || quoted.startsWith("'''") ? 3 : 1;
  const body = quoted.slice(q, quoted.length - q);
  return raw ? body : body.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t' })[c] ?? c);
}

const CLOSE: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };

/** The index past the bracket that closes the one at `i`. */
function skipGroup(ts: readonly Token[], i: number): number {
  let depth = 0;
  for (let j = i; j < ts.length; j++) {
    if (ts[j].kind !== 'op') continue;
    if (CLOSE[ts[j].text]) depth++;
    else if (Object.values(CLOSE).includes(ts[j].text) && --depth === 0) return j + 1;
  }
  return ts.length;
}

/** The keyword arguments of a call whose `(` is at `i` (or undefined when it has positional ones or `**`), and the index past its `)`. */
export function callKeywords(ts: readonly Token[], i: number): { value?: Record<string, PyValue>; next: number } {
  const end = skipGroup(ts, i);
  const out: Record<string, PyValue> = {};
  let j = i + 1;
  while (j < end - 1) {
    const [name, eq] = [ts[j], ts[j + 1]];
    if (name.kind !== 'name' || eq?.text !== '=') return { next: end };
    const v = valueAt(ts, j + 2);
    out[name.text] = v.value;
    j = v.next;
    if (ts[j]?.text === ',') j++;
    else if (j !== end - 1) return { next: end };
  }
  return { value: out, next: end };
}

/** The items of a list, tuple or dict whose bracket is at `i`. */
function itemsAt(ts: readonly Token[], i: number): { value: PyValue; next: number } {
  const end = skipGroup(ts, i);
  const isDict = ts[i].text === '{';
  const list: PyValue[] = [];
  const dict: Record<string, PyValue> = {};
  let j = i + 1;
  while (j < end - 1) {
    if (ts[j].text === '**' || ts[j].text === '*') return { value: OPAQUE, next: end };
    const first = valueAt(ts, j);
    j = first.next;
    if (isDict) {
      if (ts[j]?.text !== ':' || typeof first.value !== 'string') return { value: OPAQUE, next: end };
      const second = valueAt(ts, j + 1);
      dict[first.value] = second.value;
      j = second.next;
    } else list.push(first.value);
    if (ts[j]?.text === ',') j++;
    else if (j !== end - 1) return { value: OPAQUE, next: end };
  }
  return { value: isDict ? dict : list, next: end };
}

const NAMED: Readonly<Record<string, PyValue>> = { True: true, False: false, None: null };

/** The value of the expression at `i` and the index past it; an expression that goes on past one literal is OPAQUE, read to the next `,` or closing bracket. */
function valueAt(ts: readonly Token[], i: number): { value: PyValue; next: number } {
  const t = ts[i];
  let read: { value: PyValue; next: number };
  if (!t) return { value: OPAQUE, next: i };
  if (t.kind === 'string') {
    let [text, j] = [t.text, i + 1];
    for (; ts[j]?.kind === 'string'; j++) text += ts[j].text;
    read = { value: text, next: j };
  } else if (t.kind === 'number') read = { value: Number(t.text), next: i + 1 };
  else if (t.text === '-' && ts[i + 1]?.kind === 'number') read = { value: -Number(ts[i + 1].text), next: i + 2 };
  else if (t.kind === 'name' && ts[i + 1]?.text === '(') {
    const call = callKeywords(ts, i + 1);
    read = { value: call.value ?? OPAQUE, next: call.next };
  } else if (t.kind === 'name') read = { value: t.text in NAMED ? NAMED[t.text] : OPAQUE, next: i + 1 };
  else if (t.text === '[' || t.text === '{' || t.text === '(') read = itemsAt(ts, i);
  else read = { value: OPAQUE, next: i + 1 };
  // an operator after the literal (`2 * n`, `x.get()`, `a if b else c`) makes the whole expression computed
  let j = read.next;
  if (ts[j] && ![',', ')', ']', '}', ':'].includes(ts[j].text)) {
    for (; j < ts.length && ![',', ')', ']', '}'].includes(ts[j].text); j = CLOSE[ts[j].text] ? skipGroup(ts, j) : j + 1);
    return { value: OPAQUE, next: j };
  }
  return read;
}

/** The keyword arguments of each call of a function of that name in the source (`LLMConfig(` … `)`), in order; a call with positional arguments is left out. */
export function pythonCalls(source: string, name: string): Record<string, PyValue>[] {
  const ts = tokens(source);
  const out: Record<string, PyValue>[] = [];
  for (let i = 0; i < ts.length - 1; i++) {
    if (ts[i].kind !== 'name' || ts[i + 1].text !== '(') continue;
    if (ts[i].text !== name && !ts[i].text.endsWith(`.${name}`)) continue;
    const call = callKeywords(ts, i + 1);
    if (call.value) out.push(call.value);
  }
  return out;
}

/** Whether the source names a word (a function it calls or imports), outside strings and comments. */
export function pythonNames(source: string, word: string): boolean {
  return tokens(source).some((t) => t.kind === 'name' && (t.text === word || t.text.endsWith(`.${word}`)));
}
