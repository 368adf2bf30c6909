/**
 * A script's text as the script readers take it: the file it is, its command lines (continuations joined) and the
 * variables it sets. The lowest layer of the script readers, so that each of them, and the reading of the files
 * themselves, can use it.
 */

/** A script-like file of a tree, by its path relative to the tree, and its text. */
export interface TreeScript {
  readonly script: string;
  /** Its text; of a Makefile, each recipe line as make hands it to the shell (make-recipes.ts), line numbers kept. */
  readonly text: string;
  /** A Makefile's text as written, where text holds its recipes expanded: what a finding quotes. */
  readonly written?: string;
  /** A Makefile's recipe lines led by `-`, whose failure make ignores. */
  readonly errorsIgnored?: ReadonlySet<number>;
}

/**
 * A command line that ends in `|`, `&&` or `||`: the shell reads the pipeline or list on from the next line (POSIX XCU
 * 2.10.2 grammar: pipe_sequence '|' linebreak command, and_or AND_IF/OR_IF linebreak pipeline). Not a comment, not a
 * Markdown table row (`| a | b |`), not a YAML block scalar's header (`run: |`, `- |`).
 */
const OPEN_PIPELINE = /^(?!\s*[#|])(?!.*(?::|^\s*-)\s+\|\s*$).*\S\s+(?:\||&&|\|\|)\s*$/;

/**
 * A script's lines, a line continued by `\`, by a pipe on the next line (`cat x.yaml \n  | sed …`), or by a pipe, `&&`
 * or `||` ending it (OPEN_PIPELINE), joined to it.
 */
export function logicalLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let continued = false;
  text.split('\n').forEach((raw, i) => {
    const last = out[out.length - 1];
    if (last && (continued || /^\s*(\||&&)/.test(raw))) last.text += ` ${raw}`;
    else out.push({ line: i + 1, text: raw });
    continued = /\\\s*$/.test(raw) || OPEN_PIPELINE.test(raw);
  });
  return out;
}

/**
 * The value an assignment gives: `X=${X:-default}` (or `${X-default}`) keeps a value the caller gives and else takes
 * the default (POSIX XCU 2.6.2 "Parameter Expansion"), so the script's own value is the default; any other value as is.
 * The default's quotes are removed, as the shell removes them from the word (`${NS:-"llm-d"}` is `llm-d`).
 */
export function withOwnDefault(name: string, value: string): string {
  const m = /^\$\{(\w+):?-([^}$`\\]*)\}$/.exec(value);
  return m && m[1] === name ? m[2].replace(/^"([^"]*)"$|^'([^']*)'$/, '$1$2') : value;
}

/** A shell parameter: `$NAME`, `${NAME}`, `${NAME:-default}` or `${NAME-default}` (POSIX XCU 2.6.2 "Parameter Expansion"). */
const PARAMETER = /\$\{([A-Za-z_]\w*)(?::?-([^}$]*))?\}|\$([A-Za-z_]\w*)/g;

/** One parameter of a word: its name, the default written after `:-` or `-` (if any), and the text as written. */
export interface ShellParameter {
  readonly name: string;
  readonly fallback?: string;
  readonly written: string;
}

/**
 * A word with each shell parameter replaced by what `value` gives for it: the one reading of `$NAME`, `${NAME}` and
 * `${NAME:-default}` the script readers share, each deciding what a variable it does not know becomes.
 */
export function expandParameters(word: string, value: (p: ShellParameter) => string): string {
  return word.replace(PARAMETER, (written, braced: string | undefined, fallback: string | undefined, bare: string | undefined) =>
    value({ name: braced ?? bare ?? '', ...(fallback !== undefined ? { fallback } : {}), written }),
  );
}

/** A shell word without the one pair of matching quotes around it. */
export function unquoteShellWord(word: string): string {
  return /^(["']).*\1$/.test(word) ? word.slice(1, -1) : word;
}

/**
 * A word with its parameters replaced by known values (a set but empty one, or one not set, takes its default);
 * undefined when any stays unknown or a command substitution is left.
 */
export function resolveShellWord(word: string, vars: ReadonlyMap<string, string | undefined>): string | undefined {
  if (/\$\(|`/.test(word)) return undefined;
  let unknown = false;
  const out = expandParameters(word, ({ name, fallback }) => {
    const value = vars.get(name);
    const chosen = value !== undefined && value !== '' ? value : fallback;
    if (chosen === undefined) unknown = true;
    return chosen ?? '';
  });
  return unknown || out.includes('$') ? undefined : out;
}

/** `NAME=value`, `export NAME=value` at a line's start (or after `;`/`&&`): the assignments a script makes in order. */
const IN_ORDER = /(?:^|;|&&)\s*(?:export\s+)?([A-Za-z_]\w*)=("[^"\n]*"|'[^'\n]*'|[^\s;&|]*)/gm;

/**
 * A script's assignments in order, each value resolved against what is set before it (resolveShellWord), starting
 * from `env`, what the script's caller sets (so `X=${X:-default}` takes the caller's X, else the default); a value
 * that cannot be resolved leaves the name unknown (undefined).
 */
export function assignedInOrder(text: string, env: ReadonlyMap<string, string | undefined>): Map<string, string | undefined> {
  const vars = new Map(env);
  for (const m of text.matchAll(IN_ORDER)) vars.set(m[1], resolveShellWord(unquoteShellWord(m[2]), vars));
  return vars;
}

/**
 * The shell variables a script sets, with their values: `VAR=…` and `local VAR=…` (a literal; a command substitution
 * such as `$(cd "$(dirname "$0")" && pwd)` is no path to match), and a loop's `for VAR in …` words.
 */
export function variablesOf(text: string): Map<string, string[]> {
  const vars = new Map<string, string[]>();
  const add = (name: string, values: string[]) => vars.set(name, [...(vars.get(name) ?? []), ...values]);
  // a loop's list may run over continuation lines (`for f in \\` then one quoted path a line)
  const joined = text.replace(/\\\r?\n/g, ' ');
  for (const m of joined.matchAll(/\bfor\s+([A-Za-z_]\w*)\s+in\s+([^;\n]+)/g)) add(m[1], plainWords(m[2]));
  for (const m of text.matchAll(/(?:^|[\s;&(])([A-Za-z_]\w*)=("[^"\n]*"|'[^'\n]*'|[^\s;&|)]+)/gm)) {
    const value = withOwnDefault(m[1], m[2].replace(/^["']|["']$/g, ''));
    if (value && !/\$\(|`/.test(value)) add(m[1], [value]);
  }
  return vars;
}

/** `set -a` or `set -o allexport`: every variable the script sets from there on is exported (bash manual, "The Set Builtin"). */
const ALL_EXPORT = /(?:^|[\s;&])set\s+(?:-[A-Za-z]*a[A-Za-z]*|-o\s+allexport)(?=\s|;|$)/m;
/** An export command's words: `export A B=x`, `declare -x A`, `typeset -x A` (bash manual, "Bourne Shell Builtins", "Bash Builtins"). */
const EXPORT_COMMAND =
  /(?:^|[\s;&(])(?:export|(?:declare|typeset)\s+-[A-Za-z]*x[A-Za-z]*)((?:[ \t]+(?!-)[A-Za-z_]\w*(?:=(?:"[^"\n]*"|'[^'\n]*'|[^\s;&|)]*))?)+)/gm;

/**
 * The variables a script exports to the programs it runs: the names its export commands give (`export NAMESPACE
 * IMAGE`, `export NS=demo`, `declare -x NS`) and, after `set -a`, every variable it sets. Only these reach a child
 * process's environment (bash manual, "Environment"); a variable set without export stays the shell's own.
 */
export function exportedVariables(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(EXPORT_COMMAND)) for (const w of m[1].matchAll(/(?:^|\s)([A-Za-z_]\w*)(?==|\s|$)/g)) out.add(w[1]);
  const allExport = ALL_EXPORT.exec(text);
  const from = allExport ? text.slice(allExport.index) : '';
  // `set +a` ends it
  const span = from.slice(0, /(?:^|[\s;&])set\s+\+[A-Za-z]*a/m.exec(from)?.index ?? from.length);
  if (allExport) for (const m of span.matchAll(/(?:^|[\s;&(])([A-Za-z_]\w*)=/gm)) out.add(m[1]);
  return out;
}

/** The words of a shell line, quotes and operators dropped. */
export function plainWords(line: string): string[] {
  return line
    .replace(/["']/g, ' ')
    .split(/[\s<>|;&()`=]+/)
    .filter(Boolean);
}
