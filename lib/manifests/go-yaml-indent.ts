import type { CST } from 'yaml';

/**
 * A flow collection (`[…]`, `{…}`) or a quoted scalar that continues on lines indented no more than its parent, which
 * YAML 1.2 (and the yaml library) refuses and go-yaml reads: inside flow and quoted context go-yaml ignores
 * indentation (go-yaml scannerc.go yaml_parser_unroll_indent returns at once when flow_level > 0, and
 * yaml_parser_scan_flow_scalar skips the leading blanks of every continuation line without comparing them to the
 * block indent), as do libyaml and PyYAML. kubectl (sigs.k8s.io/yaml), kustomize (kyaml, go-yaml v3) and Argo CD
 * read such a file as its author meant.
 */
export interface LooseIndent {
  /** 1-based line where the collection or scalar starts. */
  readonly line: number;
  /** 1-based lines that were indented too little. */
  readonly lines: readonly number[];
  readonly what: 'flow sequence' | 'flow mapping' | 'quoted string';
}

/** The text with those continuation lines indented enough for a YAML 1.2 parser, and what was indented. */
export interface Relaxed {
  readonly text: string;
  readonly loose: readonly LooseIndent[];
}

interface Unclosed {
  readonly offset: number;
  readonly indent: number;
  readonly what: LooseIndent['what'];
}

/**
 * The text re-indented where a flow collection or quoted scalar the yaml library ended early (it gives the CST token
 * no closing bracket or quote) really continues on less indented lines, or undefined when there is none. Leading
 * blanks of a line inside flow or quoted context are no content to go-yaml, so adding spaces there changes nothing
 * go-yaml reads; a construct that never closes, or that meets a document marker (`---`, `...` at column 0, which
 * go-yaml refuses there), is left as it is.
 */
export function relaxFlowIndentation(source: string, tokens: Iterable<CST.Token>): Relaxed | undefined {
  const found: Unclosed[] = [];
  for (const token of tokens) collectUnclosed(token, found);
  found.sort((a, b) => a.offset - b.offset);
  const inserts = new Map<number, number>();
  const loose: LooseIndent[] = [];
  let covered = -1;
  for (const u of found) {
    if (u.offset < covered) continue;
    const scan = scanToClose(source, u.offset);
    if (!scan) continue;
    covered = scan.end;
    const need = u.indent + 1;
    const short = scan.lineStarts.filter((s) => !blank(source, s) && leadingSpaces(source, s) < need);
    if (!short.length) continue;
    for (const s of short) inserts.set(s, need - leadingSpaces(source, s));
    loose.push({ line: lineOf(source, u.offset), lines: short.map((s) => lineOf(source, s)), what: u.what });
  }
  if (!loose.length) return undefined;
  let text = '';
  let from = 0;
  for (const at of [...inserts.keys()].sort((a, b) => a - b)) {
    text += source.slice(from, at) + ' '.repeat(inserts.get(at)!);
    from = at;
  }
  return { text: text + source.slice(from), loose };
}

/** Flow collections without their closing bracket and quoted scalars without their closing quote, anywhere in a CST token. */
function collectUnclosed(token: unknown, found: Unclosed[]): void {
  if (!token || typeof token !== 'object') return;
  const t = token as { type?: string; offset?: number; indent?: number; source?: string; start?: { source?: string }; end?: { type?: string }[] };
  if (t.type === 'flow-collection' && !(t.end ?? []).some((e) => e.type === 'flow-seq-end' || e.type === 'flow-map-end')) {
    found.push({ offset: t.offset!, indent: t.indent!, what: t.start?.source === '{' ? 'flow mapping' : 'flow sequence' });
  }
  if ((t.type === 'double-quoted-scalar' || t.type === 'single-quoted-scalar') && unclosedQuote(t.source ?? '')) {
    found.push({ offset: t.offset!, indent: t.indent!, what: 'quoted string' });
  }
  for (const value of Object.values(t)) if (value && typeof value === 'object') collectUnclosed(value, found);
}

/** Whether a quoted scalar's source lacks its closing quote (`''` inside single quotes is an escaped quote). */
function unclosedQuote(source: string): boolean {
  const q = source[0];
  if (source.length < 2 || !source.endsWith(q)) return true;
  if (q === '"') return /(^|[^\\])(\\\\)*\\"$/.test(source.slice(1));
  return /^(''|[^'])*'$/.test(source.slice(1)) === false;
}

/** Where a flow collection or quoted scalar starting at `start` closes, and the lines that begin inside it. */
function scanToClose(source: string, start: number): { end: number; lineStarts: number[] } | undefined {
  const lineStarts: number[] = [];
  if (source[start] === '"' || source[start] === "'") {
    const end = quotedEnd(source, start, lineStarts);
    return end === undefined || crossesMarker(source, lineStarts) ? undefined : { end, lineStarts };
  }
  let depth = 0;
  for (let i = start; i < source.length; i++) {
    const c = source[i];
    if (c === '\n') lineStarts.push(i + 1);
    else if (c === '#' && /\s/.test(source[i - 1] ?? ' ')) i = source.indexOf('\n', i) - 1;
    else if ((c === '"' || c === "'") && /[\s[{,:]/.test(source[i - 1] ?? ' ')) {
      const end = quotedEnd(source, i, lineStarts);
      if (end === undefined) return undefined;
      i = end - 1;
    } else if (c === '[' || c === '{') depth++;
    else if ((c === ']' || c === '}') && --depth === 0) {
      return crossesMarker(source, lineStarts) ? undefined : { end: i + 1, lineStarts };
    }
    if (i < 0) return undefined;
  }
  return undefined;
}

/** The offset after a quoted scalar's closing quote (`\"` escapes in double quotes, `''` in single quotes), noting line starts. */
function quotedEnd(source: string, start: number, lineStarts: number[]): number | undefined {
  const q = source[start];
  for (let j = start + 1; j < source.length; j++) {
    const c = source[j];
    if (c === '\n') lineStarts.push(j + 1);
    else if (q === '"' && c === '\\') {
      if (source[j + 1] === '\n') lineStarts.push(j + 2);
      j++;
    } else if (c === q) {
      if (q === "'" && source[j + 1] === "'") j++;
      else return j + 1;
    }
  }
  return undefined;
}

/** Whether one of the lines is a document marker, which go-yaml reads as one even inside a flow collection or quotes. */
function crossesMarker(source: string, lineStarts: number[]): boolean {
  return lineStarts.some((s) => /^(---|\.\.\.)(\s|$)/.test(source.slice(s, s + 4)));
}

function blank(source: string, at: number): boolean {
  const end = source.indexOf('\n', at);
  return source.slice(at, end === -1 ? undefined : end).trim() === '';
}

function leadingSpaces(source: string, at: number): number {
  let n = 0;
  while (source[at + n] === ' ') n++;
  return n;
}

function lineOf(source: string, offset: number): number {
  let line = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) line++;
  return line;
}
