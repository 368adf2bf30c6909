import { asShellReads, endsHeredoc, HEREDOC_OPENING } from './heredocs';
import { MAKEFILE } from './make-recipes';
import { fencedText, invocationOf, segmentsOf, tokensOf } from './script-commands';
import { logicalLines, variablesOf } from './script-text';

/**
 * The programs a script reader reads the commands of: the cluster clients (applies, creations, patches, installs),
 * kind and minikube (the dev cluster a tree runs on, the images it loads), docker and podman (the images it builds).
 */
const WRAPPED_PROGRAMS = new Set(['kubectl', 'oc', 'helm', 'kustomize', 'kind', 'minikube', 'docker', 'podman']);

/** Words that run the next one as the program (`exec kubectl "$@"`, `command kubectl "$@"`): the program is the next word. */
const PASS_THROUGH = new Set(['exec', 'command']);

/** A shell word as written, its quotes kept: a quoted part is one word with what it touches; a backslash escapes one character. */
const RAW_WORD = /(?:"(?:\\[\s\S]|[^"\\])*"|'[^']*'|\\[\s\S]|[^\s"'\\])+/g;

/** A word that hands on every argument of the call: `"$@"`, `$@`, `$*`, `"${@}"` (bash manual, Special Parameters). */
const ALL_ARGUMENTS = /^"?\$(?:[@*]|\{[@*]\})"?$/;
/** A word that hands on one argument: `$1`, `"$2"`, `${3}`. */
const ONE_ARGUMENT = /^"?\$(?:([1-9])|\{([1-9])\})"?$/;
/** Any other use of the arguments (`"team-$1"`, `${@:2}`, `$#`, `$0`): the function does more than hand them on. */
const OTHER_ARGUMENT_USE = /\$(?:[@*#0-9]|\{[@*#0-9!])/;

/**
 * A redirection word: `2>/dev/null`, `>`, `>>log`, `<<EOF`, `<<-'EOF'`, `<<<text`, `&>x`, `2>&1`. It is no argument
 * of the call; the shell applies it to the command the function runs.
 */
const REDIRECTION = /^(?:\d*|&)(?:>>?|<<<|<<-?|<>|<|>&|<&|>\|)/;

/** A function's name and its opening: `name()`, `function name`, `function name()`, the brace here or on the next line. */
const FUNCTION_HEAD = String.raw`^\s*(?:function\s+([A-Za-z_][\w-]*)\s*(?:\(\s*\))?|([A-Za-z_][\w-]*)\s*\(\s*\))\s*`;
const ONE_LINE_FUNCTION = new RegExp(`${FUNCTION_HEAD}\\{\\s(.*)\\}\\s*;?\\s*(?:#.*)?$`);
const FUNCTION_OPEN = new RegExp(`${FUNCTION_HEAD}(\\{)?\\s*(?:#.*)?$`);
const FUNCTION_CLOSE = /^\s*\}\s*;?\s*(?:#.*)?$/;

/** A Markdown file, whose commands are those of its fenced blocks. */
const MARKDOWN = /\.(md|markdown)$/i;

/**
 * A script's lines as the shell reads its commands (asShellReads; of a Markdown file, its fenced blocks), with its
 * heredoc bodies and comment lines emptied, line numbers kept.
 */
function shellLines(script: string, text: string): string[] {
  let open: RegExpExecArray | null = null;
  return (MARKDOWN.test(script) ? fencedText(text) : asShellReads(script, text)).split('\n').map((l) => {
    if (open) {
      if (endsHeredoc(l, open[3], open[1] === '-')) open = null;
      return '';
    }
    if (/^\s*#/.test(l)) return '';
    open = HEREDOC_OPENING.exec(l);
    return l;
  });
}

/** The words of a text as written, quotes kept. */
function rawWords(text: string): string[] {
  return [...text.matchAll(RAW_WORD)].map((m) => m[0]);
}

/**
 * The program word of a function's command, as the script sets it: a literal word, or a variable the script gives one
 * value (`KUBECTL=${KUBECTL:-kubectl}`, then `${KUBECTL}`), or a default written in place (`${KUBECTL:-kubectl}`).
 */
function programWord(word: string, vars: Map<string, string[]>): string | undefined {
  const plain = tokensOf(word)[0] ?? '';
  const variable = /^\$\{?(\w+)\}?$|^\$\{(\w+):?-([^}]*)\}$/.exec(plain);
  if (!variable) return plain;
  const values = [...new Set(vars.get(variable[1] ?? variable[2]) ?? [])];
  if (values.length === 1) return values[0];
  return values.length === 0 && variable[3] !== undefined ? tokensOf(variable[3])[0] : undefined;
}

/**
 * The words a function's body runs, when the body is a wrapper: one command, run by a program a reader reads (or by a
 * variable set to one), that hands on its arguments (ALL_ARGUMENTS, ONE_ARGUMENT) and uses them no other way. The
 * program word is replaced by the program; the other words stay as written. A heredoc in the body is text no call
 * carries: such a function is left alone.
 */
function wrapperWords(body: string, vars: Map<string, string[]>, name: string): string[] | undefined {
  const commands = segmentsOf(body).filter((s) => s.text.trim());
  if (commands.length !== 1 || !['', ';'].includes(commands[0].separator) || HEREDOC_OPENING.test(body)) return undefined;
  const words = rawWords(commands[0].text);
  const { at } = invocationOf(words.map((w) => tokensOf(w)[0] ?? ''));
  while (PASS_THROUGH.has(words[at] ?? '')) words.splice(at, 1);
  const program = words[at] === undefined ? undefined : programWord(words[at], vars);
  const programName = program?.split(/\s+/)[0].replace(/^.*\//, '');
  // a function named as the program it runs calls itself, not the program: bash looks functions up first
  if (!program || !programName || !WRAPPED_PROGRAMS.has(programName) || programName === name) return undefined;
  const rest = words.slice(at + 1);
  const forwards = rest.filter((w) => ALL_ARGUMENTS.test(w) || ONE_ARGUMENT.test(w));
  if (!forwards.length || rest.some((w) => !forwards.includes(w) && OTHER_ARGUMENT_USE.test(w))) return undefined;
  return [...words.slice(0, at), program, ...rest];
}

/** The functions a script defines, each with its body's command lines (one-line bodies and brace-delimited ones). */
function functionBodies(lines: readonly string[]): { name: string; body: string[] }[] {
  const logical = logicalLines(lines.join('\n'));
  const out: { name: string; body: string[] }[] = [];
  for (let i = 0; i < logical.length; i++) {
    const text = logical[i].text;
    const oneLine = ONE_LINE_FUNCTION.exec(text);
    if (oneLine) {
      out.push({ name: oneLine[1] ?? oneLine[2], body: [oneLine[3]] });
      continue;
    }
    const open = FUNCTION_OPEN.exec(text);
    if (!open) continue;
    // the brace on the next line: `name()` then `{`
    const brace = open[3] ? i : /^\s*\{\s*$/.test(logical[i + 1]?.text ?? '') ? i + 1 : undefined;
    if (brace === undefined) continue;
    const body: string[] = [];
    // the lines are read again after it: a function defined inside this one is a definition too
    for (let j = brace + 1; j < logical.length && !FUNCTION_CLOSE.test(logical[j].text); j++) if (logical[j].text.trim()) body.push(logical[j].text);
    out.push({ name: open[1] ?? open[2], body });
  }
  return out;
}

/**
 * The wrapper functions of a script (its lines as shellLines gives them), by name, with the words each runs
 * (wrapperWords): a function whose body is one command line. A name defined more than once is kept only where every
 * definition is the same wrapper (not one per arm of an if, which the reader cannot choose between).
 */
export function wrappersOf(lines: readonly string[]): Map<string, string[]> {
  const vars = variablesOf(lines.join('\n'));
  const found = new Map<string, (string[] | undefined)[]>();
  for (const { name, body } of functionBodies(lines)) {
    const words = body.length === 1 ? wrapperWords(body[0], vars, name) : undefined;
    found.set(name, [...(found.get(name) ?? []), words]);
  }
  const out = new Map<string, string[]>();
  for (const [name, defined] of found) {
    const first = defined[0];
    if (first && defined.every((d) => d?.join(' ') === first.join(' '))) out.set(name, first);
  }
  return out;
}

/**
 * The start of a command before the program's name: keywords of the shell's compound commands (`if`, `then`, `do`,
 * `!`, …), a subshell's or a group's opening, a one-line function's head, variable assignments for the command.
 */
const COMMAND_START =
  /^(\s*(?:(?:if|then|else|elif|do|while|until|time|!)\s+|[({]\s*|(?:function\s+)?[A-Za-z_][\w-]*\s*\(\s*\)\s*\{\s+|[A-Za-z_]\w*=\S*\s+)*)([A-Za-z_][\w-]*)(?=\s|$)([\s\S]*)$/;

/**
 * The call's arguments and what the shell applies around the command: redirections (a bare operator takes the next
 * word), and from a `&` (the command sent to the background), a comment or a subshell's closing parenthesis on, the
 * rest of the line.
 */
function callParts(args: string): { readonly args: string[]; readonly tail: string[] } {
  const words = rawWords(args);
  const out: string[] = [];
  const tail: string[] = [];
  let depth = 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    depth += (w.match(/\(/g) ?? []).length - (w.match(/\)/g) ?? []).length;
    if (w === '&' || w.startsWith('#') || depth < 0) {
      // the parentheses this call did not open close a subshell around it
      const kept = depth < 0 ? w.slice(0, depth) : '';
      if (kept) out.push(kept);
      tail.push(kept ? w.slice(depth) : w, ...words.slice(i + 1));
      break;
    }
    if (!REDIRECTION.test(w)) {
      out.push(w);
      continue;
    }
    tail.push(w);
    if (/^(?:\d*|&)[<>&|-]+$/.test(w) && i + 1 < words.length) tail.push(words[++i]);
  }
  return { args: out, tail };
}

/** The call's words a word of the function's command stands for: all of them, one, or the word itself. */
function handedOn(word: string, args: readonly string[]): readonly string[] {
  if (ALL_ARGUMENTS.test(word)) return args;
  const one = ONE_ARGUMENT.exec(word);
  if (!one) return [word];
  const n = Number(one[1] ?? one[2]);
  // a quoted parameter the call does not give is still a word, an empty one (`-n "$2"` is `-n ''`); unquoted, none
  return n <= args.length ? [args[n - 1]] : word.startsWith('"') ? ['""'] : [];
}

/** One command with a wrapper call (`_kubectl create ns x 2>/dev/null`) written as the command the wrapper runs. */
function expandedCall(segment: string, wrappers: ReadonlyMap<string, readonly string[]>): string {
  const call = COMMAND_START.exec(segment);
  const words = call ? wrappers.get(call[2]) : undefined;
  if (!call || !words) return segment;
  const { args, tail } = callParts(call[3]);
  const trailing = /\s*$/.exec(segment)?.[0] ?? '';
  return `${call[1]}${[...words.flatMap((w) => handedOn(w, args)), ...tail].join(' ')}${trailing}`;
}

/** A line's lead the shell does not read (its file's indentation, a README's `$ ` prompt): kept where the line is written again. */
function leadOf(script: string, line: string): string {
  return (MARKDOWN.test(script) ? /^\s*(?:\$\s+)?/ : /^\s*/).exec(line)?.[0] ?? '';
}

/**
 * A script's text with each call of a wrapper function it defines (`_kubectl() { ${KUBECTL} --context ${CTX} $@; }`,
 * `function k() { kubectl -n "$NS" "$@"; }`, `oc_apply() { oc apply -f "$1"; }`) written as the command the function
 * runs, as bash runs it (bash manual, "Shell Functions" and "Special Parameters"): the call's words in place of the
 * forwarded parameters, the function's own words kept, the call's redirections after them. The call stays on its
 * line; a call continued over lines is written on its first, the other lines it took are emptied: every line keeps
 * its number. A function that does anything else (more than one command, a loop, a condition, a word built from an
 * argument) is left as it is, and so are its calls. A Makefile runs each recipe line in a shell of its own, where a
 * function another line defines is unknown: its text is left as it is.
 */
export function withWrappersExpanded(script: string, text: string): string {
  if (MAKEFILE.test(script) || !/\(\s*\)|\bfunction\s/.test(text)) return text;
  const lines = shellLines(script, text);
  const wrappers = wrappersOf(lines);
  if (!wrappers.size) return text;
  const out = text.split('\n');
  const logical = logicalLines(lines.join('\n'));
  logical.forEach(({ line }, k) => {
    const last = (logical[k + 1]?.line ?? lines.length + 1) - 1;
    const span = lines.slice(line - 1, last);
    const joined = span.map((l, i) => (i < span.length - 1 ? l.replace(/\\\s*$/, '') : l)).join(' ');
    const expanded = segmentsOf(joined)
      .map(({ text: segment, separator }) => expandedCall(segment, wrappers) + separator)
      .join('');
    if (expanded === joined) return;
    out[line - 1] = leadOf(script, out[line - 1]) + expanded.trimStart();
    for (let i = line; i < last; i++) out[i] = '';
  });
  return out.join('\n');
}
