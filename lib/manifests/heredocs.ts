import { MAKEFILE } from './make-recipes';
import { codeOfIndentedLine, indentedCodeLines } from './markdown-indented-code';

/**
 * Here-documents as bash reads them (bash manual, "Here Documents"), and the text of a script-like file as the shell
 * is handed it: the one place that tells where a heredoc ends.
 */

/**
 * A heredoc's opening: `<<WORD`, `<<-WORD`, `<< 'WORD'`, `<<"WORD"`, `<<\WORD` (not a here-string `<<<`). Groups: the
 * dash, the quote (a backslash quotes the word as well: bash manual, "Quoting", "Here Documents"), the delimiter, the
 * rest of the line.
 */
export const HEREDOC_OPENING = /(?<!<)<<(-?)[ \t]*(['"]?|\\)([A-Za-z_]\w*)(?:\2|(?<=\\[A-Za-z_]\w*))([^\n]*)/;

/**
 * Whether a line ends a heredoc: bash reads the body "until a line containing only word (with no trailing blanks)";
 * with `<<-` it strips the leading tabs of each line first, and only tabs. An indented delimiter (`  EOF`) under `<<`
 * is a line of the body. A file with CRLF line ends hands the shell `EOF\r` as both the delimiter and its line.
 */
export function endsHeredoc(line: string, delimiter: string, stripsTabs: boolean): boolean {
  const bare = line.replace(/\r$/, '');
  return (stripsTabs ? bare.replace(/^\t+/, '') : bare) === delimiter;
}

/** A heredoc of a text. */
export interface Heredoc {
  /** Where its `<<` stands in the text. */
  readonly at: number;
  /** `<<-`: bash strips the leading tabs of the body's lines and of the delimiter line. */
  readonly stripsTabs: boolean;
  /** The quote around the delimiter (`\\` for a backslash before it), '' where there is none (the shell then expands the body). */
  readonly quote: string;
  readonly delimiter: string;
  /** The rest of the opening line after the delimiter (`| oc apply -f -`). */
  readonly rest: string;
  /** The body as written: the lines between the opening line and the delimiter line. */
  readonly body: string;
  /** Where the body starts in the text. */
  readonly bodyAt: number;
  /** Where the delimiter line ends (its newline, or the end of the text). */
  readonly end: number;
}

/** The line of a text that ends the heredoc whose body starts at `from`: its start and end, if a line does. */
function delimiterLine(source: string, from: number, delimiter: string, stripsTabs: boolean): { start: number; end: number } | undefined {
  for (let start = from; start <= source.length;) {
    const newline = source.indexOf('\n', start);
    const end = newline < 0 ? source.length : newline;
    if (endsHeredoc(source.slice(start, end), delimiter, stripsTabs)) return { start, end };
    if (newline < 0) return undefined;
    start = newline + 1;
  }
  return undefined;
}

/**
 * The heredocs of a shell text, in order, each read to the line bash ends it at (endsHeredoc); what stands in a body
 * (a nested script's own `cat <<EOF` and its indented `EOF`) is the body's, not another heredoc. An opening that no
 * line ends is none here (a `<<EOF` in a comment or a quoted string, which bash does not read as one, must not swallow
 * the rest of the script); the search goes on at the line after it.
 */
export function heredocsIn(source: string): Heredoc[] {
  const out: Heredoc[] = [];
  // the opening's `<<`: most texts asked (a container's arguments, one by one) hold none
  if (!source.includes('<<')) return out;
  const opening = new RegExp(HEREDOC_OPENING.source, 'g');
  for (let m = opening.exec(source); m; m = opening.exec(source)) {
    const newline = source.indexOf('\n', m.index);
    if (newline < 0) break;
    const bodyAt = newline + 1;
    const stripsTabs = m[1] === '-';
    const ending = delimiterLine(source, bodyAt, m[3], stripsTabs);
    if (!ending) {
      opening.lastIndex = bodyAt;
      continue;
    }
    const body = source.slice(bodyAt, Math.max(bodyAt, ending.start - 1));
    out.push({ at: m.index, stripsTabs, quote: m[2], delimiter: m[3], rest: m[4], body, bodyAt, end: ending.end });
    opening.lastIndex = ending.end;
  }
  return out;
}

/** Markdown, whose commands are those of its fenced blocks. */
const MARKDOWN = /\.(md|markdown)$/i;
/** A fence line of Markdown (CommonMark: three or more backquotes or tildes, indented or not). */
const FENCE = /^\s*(`{3,}|~{3,})/;
/** YAML files that hold scripts in block scalars: CI workflows, Taskfiles, GitLab CI and Azure Pipelines files. */
const YAML = /\.ya?ml$/i;
/** A justfile, whose recipe lines are indented under the recipe's name. */
const JUSTFILE = /(^|\/)\.?[Jj]ustfile$/;
/** A YAML line that opens a block scalar (`run: |`, `script: >-`, `- |`), its header's indicators and comment after it. */
const BLOCK_SCALAR = /(?::|^[ \t]*-)[ \t]+[|>][1-9+-]*[ \t]*(?:#.*)?\r?$/;

/** Leading blanks of a line. */
const indentOf = (line: string): number => /^[ \t]*/.exec(line)![0].length;

/** Lines `from`…`to` (exclusive) moved left by up to `by` leading blanks each. */
function dedented(lines: string[], from: number, to: number, by: number): void {
  for (let i = from; i < to; i++) lines[i] = lines[i].slice(Math.min(by, indentOf(lines[i])));
}

/**
 * Each fenced block's lines moved left by the block's common indentation: a block nested in a list item is indented
 * with it, and a reader copies its commands without that indentation (CommonMark, "List items" and "Fenced code
 * blocks"); each line of an indented code block as its code (CommonMark, "Indented code blocks"). Other lines stay
 * as they are.
 */
export function fencesDedented(text: string): string {
  const lines = text.split('\n');
  for (const [i, base] of indentedCodeLines(text)) lines[i] = codeOfIndentedLine(lines[i], base);
  let open: { fence: string; at: number } | undefined;
  lines.forEach((l, i) => {
    const fence = FENCE.exec(l);
    if (!fence || (open && !fence[1].startsWith(open.fence))) return;
    if (!open) open = { fence: fence[1], at: i + 1 };
    else {
      const content = lines.slice(open.at, i).filter((c) => c.trim());
      dedented(lines, open.at, i, content.length ? Math.min(...content.map(indentOf)) : 0);
      open = undefined;
    }
  });
  return lines.join('\n');
}

/**
 * Each block scalar's lines moved left by its indentation, as YAML hands the string over (YAML 1.2, "Block Scalars":
 * the content indentation is that of the first non-empty line; a less indented line ends the block).
 */
function blockScalarsDedented(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!BLOCK_SCALAR.test(lines[i])) continue;
    const parent = indentOf(lines[i]);
    const first = lines.findIndex((l, j) => j > i && l.trim() !== '');
    if (first < 0 || indentOf(lines[first]) <= parent) continue;
    const by = indentOf(lines[first]);
    let end = first;
    while (end < lines.length && (lines[end].trim() === '' || indentOf(lines[end]) >= by)) end++;
    dedented(lines, i + 1, end, by);
    i = end - 1;
  }
  return lines.join('\n');
}

/** Each run of indented lines (a justfile recipe's body) moved left by the indentation of its first line. */
function recipesDedented(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (indentOf(lines[i]) === 0 || lines[i].trim() === '') continue;
    const by = indentOf(lines[i]);
    let end = i;
    while (end < lines.length && (lines[end].trim() === '' || indentOf(lines[end]) > 0)) end++;
    dedented(lines, i, end, by);
    i = end - 1;
  }
  return lines.join('\n');
}

/**
 * A script-like file's text as the shell is handed its commands, line for line: a Markdown fenced block without the
 * indentation of the list item it is nested in (fencesDedented), a YAML block scalar (a workflow's `run: |`) without
 * its indentation, a Makefile recipe line without the tab make strips (GNU make manual, "Recipe Syntax"; with
 * .ONESHELL the lines reach one shell so), a justfile recipe without its indentation (just's grammar: INDENT is no
 * part of a recipe line); a shell script or Jenkinsfile as it is (a Groovy string keeps its indentation). Where the
 * embedding's indentation is gone, bash's rule for a heredoc's end applies as to a script.
 */
export function asShellReads(script: string, text: string): string {
  if (MARKDOWN.test(script)) return fencesDedented(text);
  if (YAML.test(script)) return blockScalarsDedented(text);
  if (MAKEFILE.test(script)) return text.replace(/^\t/gm, '');
  if (JUSTFILE.test(script)) return recipesDedented(text);
  return text;
}
