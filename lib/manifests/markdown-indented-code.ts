/**
 * The indented code blocks of a Markdown text (CommonMark 0.31, §4.4 "Indented code blocks"): a chunk of lines
 * indented four columns or more past the content of the container they sit in, which cannot interrupt a paragraph
 * (so a line indented in a paragraph's continuation is prose), and which ends at the first non-blank line indented
 * less; blank lines at its end are no part of it. Inside a list item (§5.2 "List items") the container's content
 * starts at the column after the marker and its spaces, so a line indented four columns under `1. Step` continues the
 * item's prose: only eight columns make code there. Fenced blocks (§4.5) hold no indented code.
 */

/** A list item's marker and the spaces after it (CommonMark §5.2: `-`, `+`, `*`, or 1–9 digits and `.` or `)`). */
const LIST_MARKER = /^([-+*]|\d{1,9}[.)])( +|$)/;
/** A fence line (CommonMark §4.5: three or more backquotes or tildes). */
const FENCE = /^(`{3,}|~{3,})/;
/** An ATX heading (§4.2) or a thematic break (§4.1): a line that ends a paragraph and is no paragraph of its own. */
const HEADING_OR_BREAK = /^(#{1,6}(\s|$)|([-*_])(\s*\3){2,}\s*$)/;
/** A tab stop (CommonMark §2.2: tabs behave as if replaced by spaces to a tab stop of 4). */
const TAB_STOP = 4;

/** A line with its tabs expanded to spaces (CommonMark §2.2). */
function tabsExpanded(line: string): string {
  let out = '';
  for (const c of line) out += c === '\t' ? ' '.repeat(TAB_STOP - (out.length % TAB_STOP)) : c;
  return out;
}

const indentOf = (line: string): number => /^ */.exec(line)![0].length;

/** The column where a list item's content starts, when the line (at `indent`) opens one (§5.2, rule 1 and its note on 5+ spaces). */
function listContentColumn(line: string, indent: number): number | undefined {
  const m = LIST_MARKER.exec(line.slice(indent));
  if (!m) return undefined;
  const spaces = m[2].length;
  return indent + m[1].length + (spaces === 0 || spaces > 4 ? 1 : spaces);
}

/** The reader's state between lines: the content columns of the open list items, a paragraph open, an open fence. */
interface State {
  lists: number[];
  paragraph: boolean;
  fence?: string;
  blankBefore: boolean;
}

/** Closes the list items a line at `indent` is no part of (a blank line before it ends lazy continuation). */
function closeLists(s: State, indent: number): void {
  while (s.lists.length && indent < s.lists[s.lists.length - 1] && (s.blankBefore || !s.paragraph)) s.lists.pop();
}

/**
 * The lines of a Markdown text that are content of indented code blocks, by 0-based index, each with the columns its
 * code starts at (its container's content column plus four); tabs count to their tab stop.
 */
export function indentedCodeLines(text: string): Map<number, number> {
  const out = new Map<number, number>();
  const s: State = { lists: [], paragraph: false, blankBefore: true };
  // the base column of the open code block; its blank lines are no code, its less indented line ends it
  let codeBase: number | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = tabsExpanded(raw.replace(/\r$/, ''));
    const blank = line.trim() === '';
    const indent = indentOf(line);
    if (codeBase !== undefined && (blank || indent >= codeBase)) {
      if (!blank) out.set(i, codeBase);
      return;
    }
    codeBase = undefined;
    if (blank) {
      if (!s.fence) Object.assign(s, { paragraph: false, blankBefore: true });
      return;
    }
    if (s.fence) {
      if (new RegExp(`^\\s*${s.fence[0]}{${s.fence.length},}\\s*$`).test(line)) s.fence = undefined;
      return;
    }
    closeLists(s, indent);
    const base = s.lists.length ? s.lists[s.lists.length - 1] : 0;
    if (indent >= base + 4 && !s.paragraph) {
      codeBase = base + 4;
      out.set(i, codeBase);
      s.blankBefore = false;
      return;
    }
    readBlockLine(s, line, indent);
  });
  return out;
}

/** The state after a non-code line: a fence opened, a list item opened, a heading, or a paragraph's line. */
function readBlockLine(s: State, line: string, indent: number): void {
  s.blankBefore = false;
  const rest = line.slice(indent);
  const fence = FENCE.exec(rest);
  if (fence && indent - (s.lists[s.lists.length - 1] ?? 0) < 4) {
    s.fence = fence[1];
    s.paragraph = false;
    return;
  }
  if (HEADING_OR_BREAK.test(rest)) {
    s.paragraph = false;
    return;
  }
  const item = listContentColumn(line, indent);
  if (item !== undefined) {
    while (s.lists.length && indent < s.lists[s.lists.length - 1]) s.lists.pop();
    s.lists.push(item);
    // an item's first line is a paragraph of it, unless the marker stands alone
    s.paragraph = line.slice(item).trim() !== '';
    return;
  }
  s.paragraph = true;
}

/**
 * A line of an indented code block as its code (the container's columns and the four of the block removed); tabs
 * expanded as CommonMark counts them.
 */
export function codeOfIndentedLine(line: string, base: number): string {
  return tabsExpanded(line).slice(base);
}
