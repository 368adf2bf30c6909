import { asShellReads, endsHeredoc, fencesDedented, HEREDOC_OPENING } from './heredocs';
import { logicalLines, TreeScript } from './script-text';
import { indentedCodeLines } from './markdown-indented-code';

/** One command of a script (a part of a line between `&&`, `||`, `;` and `|`): its line, its text and its shell words. */
export interface ScriptCommand {
  readonly line: number;
  readonly text: string;
  readonly tokens: readonly string[];
  /** What joins it to the next command of its line (`&&`, `||`, `;`, `|`), empty at the line's end. */
  readonly separator: string;
  /** A Makefile's recipe line led by `-`: make ignores its failure and runs the rest of the recipe. */
  readonly errorsIgnored?: true;
}

/**
 * The commands of a script's command lines, each split into its shell words once. A lone `\` word is the line
 * continuation logicalLines joined (`kubectl apply -f \` then the URL on the next line): the shell removes it
 * (POSIX shell 2.2.1, backslash-newline), so it is no word of the command.
 */
export function commandsOf(script: string, text: string, errorsIgnored?: ReadonlySet<number>): ScriptCommand[] {
  return commandLines(script, text).flatMap(({ line, text: command }) =>
    segmentsOf(command).map(({ text: segment, separator }) => ({
      line,
      text: segment.trim(),
      tokens: quotedCommand(tokensOf(segment).filter((w) => w !== '\\')),
      separator,
      ...(errorsIgnored?.has(line) ? { errorsIgnored: true as const } : {}),
    })),
  );
}

/** A command line split at `&&`, `||`, `;` and `|` outside quotes (`echo "a; b"` is one command), each part with the separator after it. */
export function segmentsOf(line: string): { readonly text: string; readonly separator: string }[] {
  const out: { text: string; separator: string }[] = [];
  let start = 0;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === '"' && c === '\\') i++;
    else if (quote) quote = c === quote ? undefined : quote;
    else if (c === '"' || c === "'") quote = c;
    else if (c === '\\') i++;
    else if (c === ';' || c === '|' || (c === '&' && line[i + 1] === '&')) {
      const separator = line[i + 1] === c ? c + c : c;
      out.push({ text: line.slice(start, i), separator });
      i += separator.length - 1;
      start = i + 1;
    }
  }
  return [...out, { text: line.slice(start), separator: '' }];
}

/** The programs whose command lines a wrapper may be given as one quoted word. */
const CLUSTER_PROGRAMS = new Set(['kubectl', 'oc', 'helm', 'kustomize']);

/** Programs that print their arguments: a command line in them is text shown to the reader, not run. */
const PRINTING = new Set(['echo', 'printf']);

/**
 * Whether a command only prints text (`echo "kubectl create serviceaccount …"`, printf), which runs none of the
 * commands it shows.
 */
export function printsText(words: readonly string[]): boolean {
  return PRINTING.has(invocationOf(words).program ?? '');
}

/**
 * A script's text with what it only prints blanked, line numbers kept: the words of its echo and printf commands, and
 * the bodies of heredocs handed to cat that nothing runs (`cat <<EOF` shown to the reader, or written to a file).
 */
export function withoutPrintedText(text: string): string {
  const lines = text.split('\n');
  let open: { delimiter: string; stripsTabs: boolean } | undefined;
  return lines
    .map((l) => {
      if (open !== undefined) {
        if (endsHeredoc(l, open.delimiter, open.stripsTabs)) open = undefined;
        return '';
      }
      const heredoc = /(?:^|[;&|(]\s*)cat\s+(?:[^|;&\n]*\s)?<<(-?)[ \t]*(['"]?)([A-Za-z_]\w*)\2([^\n]*)$/.exec(l);
      // a cat whose output a command takes (`cat <<EOF | kubectl apply -f -`) delivers a manifest, read elsewhere
      if (heredoc && !/\|/.test(heredoc[4])) open = { delimiter: heredoc[3], stripsTabs: heredoc[1] === '-' };
      return segmentsOf(l)
        .map(({ text: segment, separator }) => (printsText(tokensOf(segment)) ? segment.replace(/\S/g, ' ') : segment) + separator)
        .join('');
    })
    .join('\n');
}

/**
 * The words of a command a wrapper function runs from one quoted argument (`pe "kubectl apply -f app.yaml"`, as
 * demo-magic's pe/pei and `eval "…"` run their argument); any other command as it is. echo and printf print theirs.
 */
function quotedCommand(words: string[]): string[] {
  if (words.length !== 2 || !/\s/.test(words[1]) || printsText(words)) return words;
  const inner = tokensOf(words[1]);
  return CLUSTER_PROGRAMS.has(inner[0]) ? inner : words;
}

const commandsByScript = new WeakMap<TreeScript, readonly ScriptCommand[]>();

/**
 * The commands of a script of the tree (commandsOf), split once per script read: what a checked folder's scripts
 * apply, create, install and run is read from them by several readers. The list is shared: callers must not change it.
 */
export function scriptCommandsOf(t: TreeScript): readonly ScriptCommand[] {
  let known = commandsByScript.get(t);
  if (!known) commandsByScript.set(t, (known = commandsOf(t.script, t.text, t.errorsIgnored)));
  return known;
}

/**
 * The command lines of a script; of a Markdown file, those of its fenced blocks. Comment lines and heredoc bodies (a
 * manifest piped to `apply -f -`, or a block commented out with `: <<COMMENT`) are left out.
 */
function commandLines(script: string, text: string): { line: number; text: string }[] {
  // a heredoc ends where bash ends it once the file's own indentation (a README's list item, a workflow's block) is gone
  const lines = logicalLines(asShellReads(script, text));
  const fenced = /\.(md|markdown)$/i.test(script) ? inFences(lines, indentedCodeLineNumbers(text)) : lines;
  const out: { line: number; text: string }[] = [];
  let open: RegExpExecArray | null = null;
  for (const l of fenced) {
    if (open) {
      if (endsHeredoc(l.text, open[3], open[1] === '-')) open = null;
      continue;
    }
    if (/^\s*#/.test(l.text)) continue;
    out.push(l);
    open = HEREDOC_OPENING.exec(l.text);
  }
  return out;
}

/**
 * A Markdown text with every line outside its fenced blocks emptied: its commands at their own line numbers, each
 * block without the indentation of the list item it is nested in (fencesDedented).
 */
export function fencedText(text: string): string {
  const lines: string[] = text.split('\n').map(() => '');
  for (const l of inFences(
    fencesDedented(text)
      .split('\n')
      .map((t, i) => ({ line: i + 1, text: t })),
    indentedCodeLineNumbers(text),
  ))
    lines[l.line - 1] = l.text;
  return lines.join('\n');
}

/** The lines (1-based) that open a Markdown text's fenced blocks, in order: a command's block is the last one before it. */
export function fenceOpenings(text: string): number[] {
  const out: number[] = [];
  let open: string | undefined;
  text.split('\n').forEach((l, i) => {
    const fence = /^\s*(`{3,}|~{3,})/.exec(l);
    if (!fence || (open !== undefined && !fence[1].startsWith(open))) return;
    if (open === undefined) out.push(i + 1);
    open = open === undefined ? fence[1] : undefined;
  });
  return out;
}

/** The lines (1-based) of a Markdown text's indented code blocks (CommonMark, "Indented code blocks"). */
function indentedCodeLineNumbers(text: string): Set<number> {
  return new Set([...indentedCodeLines(text).keys()].map((i) => i + 1));
}

/** The lines of a Markdown text's code: those of its fenced blocks, and its indented code lines (already dedented). */
function inFences(lines: readonly { line: number; text: string }[], indented: ReadonlySet<number>): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let open: string | undefined;
  for (const l of lines) {
    const fence = /^\s*(`{3,}|~{3,})/.exec(l.text);
    if (open === undefined && indented.has(l.line)) out.push({ line: l.line, text: l.text.replace(/^\s*\$\s+/, '') });
    else if (fence && (open === undefined || fence[1].startsWith(open))) open = open === undefined ? fence[1] : undefined;
    else if (open !== undefined) out.push({ line: l.line, text: l.text.replace(/^\s*\$\s+/, '') });
  }
  return out;
}

/**
 * Shell words of a command segment, quotes removed: a quoted part is one with what it touches (`--version="0.11.3"` is
 * `--version=0.11.3`, as the shell passes it, POSIX shell 2.6.7 quote removal); a stray quote stays as written.
 */
export function tokensOf(segment: string): string[] {
  return [...segment.matchAll(/(?:"[^"]*"|'[^']*'|[^\s"']+|["'])+/g)].map((m) => m[0].replace(/"([^"]*)"|'([^']*)'/g, '$1$2'));
}

/**
 * The program a command runs and its first word after it: leading variable assignments (`KUBECONFIG=x kubectl …`,
 * which set the command's environment, POSIX shell 2.9.1) and a sudo skipped, the program without its folder
 * (`/usr/local/bin/oc apply` is oc and apply); `at` is the program's index in the words.
 */
export function invocationOf(words: readonly string[]): { readonly program?: string; readonly subcommand?: string; readonly at: number } {
  let at = 0;
  while (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[at] ?? '')) at++;
  if (words[at] === 'sudo') at++;
  return { program: words[at]?.replace(/^.*\//, ''), subcommand: words[at + 1], at };
}

/**
 * The words of the command a wrapper runs: `run_cmd kubectl apply …` (a script's function that echoes, then runs, its
 * arguments) is the kubectl command, where the word after the program is one of `programs`; any other command as it is.
 */
export function unwrapped(words: readonly string[], programs: ReadonlySet<string>): readonly string[] {
  const { program, at } = invocationOf(words);
  const next = words[at + 1]?.replace(/^.*\//, '');
  return program && !programs.has(program) && !PRINTING.has(program) && next && programs.has(next) ? words.slice(at + 1) : words;
}
