/**
 * The indented code blocks of a Markdown text (CommonMark 0.31, §4.4 "Indented code blocks"): a chunk of lines
 * indented four columns or more past the content of the container they sit in, which cannot interrupt a paragraph
 * (so a line indented in a paragraph's continuation is prose), and which ends at the first non-blank line indented
 * less; blank lines at its end are no part of it. Inside a list item (§5.2 "List items") the container's content
 * starts at the column after the marker and its spaces, so a line indented four columns under `1. Step` continues the
 * item's prose: only eight columns make code there; an item whose marker is followed by five spaces or more starts
 * with indented code (§5.2 rule 2). Inside a block quote (§5.1) the content starts after `>` and one space. Fenced
 * blocks (§4.5) hold no indented code. A thematic break, an ATX heading or a fence is no lazy continuation line: it
 * closes the list items it is not indented into; a setext underline (§4.3) ends the paragraph above it; an empty item,
 * or an ordered one not numbered 1, cannot interrupt a paragraph (§5.2, "interrupt a paragraph").
 */

/** A list item's marker and the spaces after it (CommonMark §5.2: `-`, `+`, `*`, or 1–9 digits and `.` or `)`). */
const LIST_MARKER = /^([-+*]|(\d{1,9})[.)])( +|$)/;
/** A fence line (CommonMark §4.5: three or more backquotes or tildes). */
const FENCE = /^(`{3,}|~{3,})/;
/** An ATX heading (§4.2) or a thematic break (§4.1): a line that ends a paragraph and is no paragraph of its own. */
const HEADING_OR_BREAK = /^(#{1,6}(\s|$)|([-*_])(\s*\3){2,}\s*$)/;
/** A setext heading underline (§4.3): `=` or `-` alone, which makes the paragraph above it a heading. */
const SETEXT_UNDERLINE = /^(=+|-+)\s*$/;
/** A block quote marker at most three columns in (§5.1), and the one space after it that belongs to it. */
const QUOTE_MARKER = /^ {0,3}> ?/;
/**
 * The HTML blocks (§4.6) by their start condition, each with its end condition: a line matching `end` (and part of
 * the block), or the blank line before which it ends; the seventh kind cannot interrupt a paragraph. No indented code
 * is read inside one.
 */
const BLOCK_TAGS =
  'address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul';
const HTML_BLOCKS: readonly { readonly start: RegExp; readonly end: RegExp | 'blank'; readonly interrupts: boolean }[] = [
  { start: /^<(?:script|pre|style|textarea)(?:\s|>|$)/i, end: /<\/(?:script|pre|style|textarea)>/i, interrupts: true },
  { start: /^<!--/, end: /-->/, interrupts: true },
  { start: /^<\?/, end: /\?>/, interrupts: true },
  { start: /^<![A-Za-z]/, end: />/, interrupts: true },
  { start: /^<!\[CDATA\[/, end: /\]\]>/, interrupts: true },
  { start: new RegExp(`^</?(?:${BLOCK_TAGS})(?:\\s|/?>|$)`, 'i'), end: 'blank', interrupts: true },
  {
    start: /^(?:<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*\/?>|<\/[A-Za-z][A-Za-z0-9-]*\s*>)\s*$/,
    end: 'blank',
    interrupts: false,
  },
];
/** A tab stop (CommonMark §2.2: tabs behave as if replaced by spaces to a tab stop of 4). */
const TAB_STOP = 4;

/** A line with its tabs expanded to spaces (CommonMark §2.2). */
function tabsExpanded(line: string): string {
  let out = '';
  for (const c of line) out += c === '\t' ? ' '.repeat(TAB_STOP - (out.length % TAB_STOP)) : c;
  return out;
}

const indentOf = (line: string): number => /^ */.exec(line)![0].length;

/** A list item a line (at `indent`) opens (§5.2, rule 1 and its note on 5+ spaces): its content column, and what follows the marker. */
function listItemOf(line: string, indent: number): { column: number; content: string; empty: boolean; start?: number; code: boolean } | undefined {
  const m = LIST_MARKER.exec(line.slice(indent));
  if (!m) return undefined;
  const spaces = m[3].length;
  const content = line.slice(indent + m[1].length + spaces);
  // an item that starts with a blank line has its content one column past the marker (§5.2 rule 3)
  const column = indent + m[1].length + (spaces === 0 || spaces > 4 || content.trim() === '' ? 1 : spaces);
  // a marker followed by five spaces or more: one of them is the item's, the rest indent code (§5.2 rule 2)
  return { column, content, empty: content.trim() === '', ...(m[2] ? { start: Number(m[2]) } : {}), code: spaces > 4 && content.trim() !== '' };
}

/** The reader's state between lines: the content columns of the open list items, a paragraph open, an open fence. */
interface State {
  lists: number[];
  paragraph: boolean;
  fence?: string;
  /** The content column of the container the fence opened in: a line less indented ends that container, and the fence. */
  fenceColumn?: number;
  /** An open HTML block's end condition (HTML_BLOCKS). */
  html?: RegExp | 'blank';
  blankBefore: boolean;
  /** The last line opened a list item with nothing after its marker: a blank line next ends that item (§5.2 rule 3). */
  emptyItem?: boolean;
}

/** Closes the list items a line at `indent` is no part of (a blank line before it, or a line that cannot be lazy, ends lazy continuation). */
function closeLists(s: State, indent: number, lazy: boolean): void {
  while (s.lists.length && indent < s.lists[s.lists.length - 1] && (s.blankBefore || !s.paragraph || !lazy)) s.lists.pop();
}

/**
 * Whether a line without `>` continues a block quote's paragraph lazily (§5.1, "laziness"): where the quote's lines so
 * far (`inner`) end in an open paragraph, a line that starts no other block (no heading, break, fence, HTML block,
 * list item or quote of a container outside it; a line indented four columns or more starts none, code not
 * interrupting a paragraph).
 */
function lazyInQuote(inner: readonly string[], line: string): boolean {
  const { state } = scan(inner);
  if (!state.paragraph || state.fence !== undefined || state.html !== undefined || !line.trim()) return false;
  const indent = indentOf(line);
  return indent >= 4 || (!startsBlock(line, indent) && listItemOf(line, indent) === undefined);
}

/**
 * The lines of a block quote run from `from` (led by `>` past the container's `column`, or lazy), and the text inside
 * it, the container's columns, the marker and its space removed.
 */
function quoteRun(lines: readonly string[], from: number, column: number): { end: number; inner: string[]; cut: number[] } {
  const inner: string[] = [];
  const cut: number[] = [];
  let end = from;
  for (; end < lines.length; end++) {
    const marker = indentOf(lines[end]) >= column ? QUOTE_MARKER.exec(lines[end].slice(column)) : null;
    if (!marker && !lazyInQuote(inner, lines[end])) break;
    const width = marker ? column + marker[0].length : 0;
    // a lazy line is the quote's paragraph text whatever it holds (no setext underline: §4.3)
    inner.push(marker ? lines[end].slice(width) : 'lazy');
    cut.push(width);
  }
  return { end, inner, cut };
}

/**
 * The lines of a Markdown text that are content of indented code blocks, by 0-based index, each with the columns its
 * code starts at (its containers' content columns plus four); tabs count to their tab stop.
 */
export function indentedCodeLines(text: string): Map<number, number> {
  return scan(text.split('\n').map((raw) => tabsExpanded(raw.replace(/\r$/, '')))).code;
}

/** Whether a line, at `indent`, starts a block that ends a paragraph: it is then no lazy continuation line (§5.1, §5.2). */
function startsBlock(line: string, indent: number): boolean {
  const rest = line.slice(indent);
  return HEADING_OR_BREAK.test(rest) || FENCE.test(rest) || QUOTE_MARKER.test(line) || HTML_BLOCKS.some((h) => h.interrupts && h.start.test(rest));
}

/** The indented code of lines (tabs expanded), and the reader's state after the last. */
function scan(lines: readonly string[]): { code: Map<number, number>; state: State } {
  const out = new Map<number, number>();
  const s: State = { lists: [], paragraph: false, blankBefore: true };
  // the base column of the open code block; its blank lines are no code, its less indented line ends it
  let codeBase: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const blank = line.trim() === '';
    const indent = indentOf(line);
    if (codeBase !== undefined && (blank || indent >= codeBase)) {
      if (!blank) out.set(i, codeBase);
      continue;
    }
    codeBase = undefined;
    if (s.html !== undefined && !htmlEnded(s, line, blank, indent)) continue;
    if (blank) {
      // a list item can begin with at most one blank line
      if (s.emptyItem) s.lists.pop();
      if (!s.fence) Object.assign(s, { paragraph: false, blankBefore: true, emptyItem: false });
      continue;
    }
    s.emptyItem = false;
    if (s.fence && !fenceEnded(s, line, indent)) continue;
    closeLists(s, indent, !startsBlock(line, indent));
    const base = s.lists.length ? s.lists[s.lists.length - 1] : 0;
    if (indent >= base + 4 && !s.paragraph) {
      codeBase = base + 4;
      out.set(i, codeBase);
      s.blankBefore = false;
      continue;
    }
    if (QUOTE_MARKER.test(line.slice(base))) {
      i = quoted(lines, i, base, out, s) - 1;
      continue;
    }
    codeBase = readBlockLine(s, line, indent);
    if (codeBase !== undefined) out.set(i, codeBase);
  }
  return { code: out, state: s };
}

/**
 * Whether a line of an open fenced block ends it: a closing fence (as long, at most three columns into the container),
 * or a line less indented than the list item the fence is in, which ends the item and the fence with it (read then as
 * a line of its own).
 */
function fenceEnded(s: State, line: string, indent: number): boolean {
  const column = s.fenceColumn ?? 0;
  if (indent < column) {
    s.fence = undefined;
    return true;
  }
  if (indent - column < 4 && new RegExp(`^${s.fence![0]}{${s.fence!.length},}\\s*$`).test(line.slice(indent))) s.fence = undefined;
  return false;
}

/**
 * Whether a line of an open HTML block ends it: the blank line a blank-ended block ends before (read then as a blank
 * line), a less indented line ending the list item it is in (read then as a line of its own), or a line holding its end
 * condition, which is part of it.
 */
function htmlEnded(s: State, line: string, blank: boolean, indent: number): boolean {
  if ((blank && s.html === 'blank') || (!blank && indent < (s.fenceColumn ?? 0))) {
    s.html = undefined;
    return true;
  }
  if (s.html instanceof RegExp && s.html.test(line)) s.html = undefined;
  return false;
}

/**
 * A block quote from line `from` in the container whose content starts at `column`, with its lazy lines: its indented
 * code, read inside it as a document of its own (its columns past the marker), and the state after it; the index of
 * the first line after it.
 */
function quoted(lines: readonly string[], from: number, column: number, out: Map<number, number>, s: State): number {
  const run = quoteRun(lines, from, column);
  const inside = scan(run.inner);
  for (const [i, base] of inside.code) out.set(from + i, base + run.cut[i]);
  // the quote took its lazy lines: a line after it starts a block of the document (or is blank); at the end of the
  // lines, a paragraph it ends in is still open (a quote nested in a quote)
  s.paragraph = run.end < lines.length ? false : inside.state.paragraph;
  s.blankBefore = false;
  return run.end;
}

/**
 * The state after a non-code line: a fence opened, a list item opened, a heading, or a paragraph's line; the base
 * column of the code block a list item starts with, where it does.
 */
function readBlockLine(s: State, line: string, indent: number): number | undefined {
  s.blankBefore = false;
  const rest = line.slice(indent);
  const top = s.lists[s.lists.length - 1] ?? 0;
  // indented four columns or more into its container, a line starts no block: it continues the paragraph
  if (indent - top >= 4) {
    s.paragraph = true;
    return undefined;
  }
  const fence = FENCE.exec(rest);
  if (fence && !(fence[1][0] === '`' && rest.slice(fence[1].length).includes('`'))) {
    Object.assign(s, { fence: fence[1], fenceColumn: top, paragraph: false });
    return undefined;
  }
  const html = HTML_BLOCKS.find((h) => h.start.test(rest) && (h.interrupts || !s.paragraph));
  if (html) {
    // a block whose end condition is on its first line ends there
    const open = html.end === 'blank' || !html.end.test(rest.replace(html.start, ''));
    Object.assign(s, { html: open ? html.end : undefined, fenceColumn: top, paragraph: false });
    return undefined;
  }
  // a setext underline inside the paragraph's container makes it a heading; `---` is a thematic break besides
  if (HEADING_OR_BREAK.test(rest) || (s.paragraph && indent >= top && SETEXT_UNDERLINE.test(rest))) {
    s.paragraph = false;
    return undefined;
  }
  const item = listItemOf(line, indent);
  // an empty item, or an ordered one not numbered 1, opening a list cannot interrupt a paragraph: it continues it
  if (item !== undefined && !(s.paragraph && !s.lists.length && (item.empty || (item.start !== undefined && item.start !== 1)))) {
    while (s.lists.length && indent < s.lists[s.lists.length - 1]) s.lists.pop();
    s.lists.push(item.column);
    // an item's first line is a paragraph of it, unless the marker stands alone or code follows it
    s.paragraph = !item.empty && !item.code;
    s.emptyItem = item.empty;
    return item.code ? item.column + 4 : undefined;
  }
  s.paragraph = true;
  return undefined;
}

/**
 * A line of an indented code block as its code (the container's columns and the four of the block removed); tabs
 * expanded as CommonMark counts them.
 */
export function codeOfIndentedLine(line: string, base: number): string {
  return tabsExpanded(line).slice(base);
}
