import { armPaths } from '../manifests/script-branches';
import { commandsOf } from '../manifests/script-commands';
import type { FileReader, MountedFile } from './mounted-files';
import { scriptCommands } from './shell-commands';
import { scriptVariables } from './shell-variables';
import { shellScriptIndex, shellWords } from './shell-words';
import { FlagOccurrence, SourcedWord, VllmArgs, vllmFlagTakesNoWord, vllmInvocation } from './vllm-args';
import { startsModelServer } from './server-invocations';

/**
 * vLLM started by a script file a ConfigMap of the tree shows the container (`command: [/bin/bash, /scripts/start.sh]`
 * with `exec vllm serve … --port 8080` in the ConfigMap's key): the vLLM command line the script runs, read from the
 * file's commands (continuations joined, heredoc bodies and comments left out) with the container's literal env, the
 * script's own literal assignments and the words the container hands it ($1, "$@") expanded.
 */

/** An env variable of the container as the script's shell sees it: its literal value, or none (valueFrom, envFrom). */
export interface ScriptEnv {
  readonly name: string;
  readonly value?: string;
  readonly from: string;
}

/** Where a command line runs a mounted script file: the file, the words up to its path, and the words it hands the script. */
interface ScriptRun {
  readonly file: MountedFile;
  readonly head: readonly SourcedWord[];
  readonly forwarded: readonly SourcedWord[];
}

const SHELL = /(^|\/)(ba|da|z|a)?sh$/;

/**
 * A command that runs a file: a shell given its path after its options (`bash /scripts/start.sh`, `sh -e /x.sh a`),
 * the path itself when the file's mode lets it run (`/scripts/start.sh`), and inside a shell script `exec` before
 * either, or `.`/`source` (which run the file in the same shell, executable or not).
 */
function fileRun(words: readonly SourcedWord[], files: FileReader, inScript: boolean): ScriptRun | undefined {
  let at = 0;
  if (inScript && words[0]?.word === 'exec') at++;
  const program = words[at]?.word ?? '';
  const sourced = inScript && (program === '.' || program === 'source');
  if (SHELL.test(program) || sourced) {
    at++;
    while (at < words.length && /^[-+][a-zA-Z]+$/.test(words[at].word)) {
      if (words[at].word.startsWith('-') && words[at].word.includes('c')) return undefined; // a `-c` string, read elsewhere
      at += /^[-+]o$/.test(words[at].word) ? 2 : 1;
    }
  }
  const file = words[at] ? files(words[at].word) : undefined;
  if (!file || (at === 0 && !file.executable)) return undefined;
  return { file, head: words.slice(0, at + 1), forwarded: words.slice(at + 1) };
}

/** Whether a script changes its positional parameters (`shift`, `set --`): what `$1` and `"$@"` hold is then not known. */
const MOVES_POSITIONALS = /(^|[\s;&|(])(shift|set\s+--)(\s|;|$)/m;

/** Words that lead into a command without being its program: compound keywords, `exec`, `nohup`, `time`. */
const LEADERS = new Set(['then', 'else', 'elif', 'do', '{', '(', '!', 'time', 'exec', 'nohup']);
/** A variable assignment word (`NAME=value`). */
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
/** Builtins that assign the words after them (`export PORT=8080`), with their options. */
const DECLARERS = new Set(['export', 'readonly', 'local', 'declare', 'typeset']);

/** A command's words without what is no part of the program's arguments: a trailing comment, redirections, a background `&`. */
function argumentWords(tokens: readonly string[]): { words: string[]; background: boolean } {
  const words: string[] = [];
  let background = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.startsWith('#')) break;
    if (t === '&') background = true;
    else if (/^\d*(>>?|<|&>)$/.test(t))
      i++; // `> log`: the file is the redirection's
    else if (!/^\d*(>>?|<|&>)/.test(t)) words.push(t);
  }
  return { words, background };
}

/** The words from a command's program on: leaders, assignments and `env NAME=value` skipped. */
function programWords(words: readonly string[]): string[] {
  let at = 0;
  while (at < words.length && (LEADERS.has(words[at]) || ASSIGNMENT.test(words[at]) || (words[at] === 'env' && ASSIGNMENT.test(words[at + 1] ?? '')))) at++;
  return words.slice(at);
}

/** Whether the words start vLLM's OpenAI server as their program: `vllm serve`, or Python running the api_server module. */
function startsVllm(words: readonly string[]): boolean {
  const found = vllmInvocation(words);
  if (!found) return false;
  const program = words[0].replace(/^.*\//, '');
  return found.serve ? found.start === 1 && program === 'vllm' : /^python[\d.]*$/.test(program) && found.start <= 4;
}

/** One literal assignment of the script: its value as written, its line, and whether it is outside every if and case. */
interface Assignment {
  readonly value: string;
  readonly line: number;
  readonly topLevel: boolean;
}

/** The script's `NAME=value` commands (after export, readonly, local, declare), by name. */
function assignmentsOf(commands: readonly { line: number; tokens: readonly string[] }[], text: string): Map<string, Assignment[]> {
  const arms = armPaths(text);
  const out = new Map<string, Assignment[]>();
  for (const { line, tokens } of commands) {
    const words = argumentWords(tokens).words;
    const rest = DECLARERS.has(words[0] ?? '') ? words.slice(1).filter((w) => !w.startsWith('-')) : words;
    if (!rest.length || !rest.every((w) => ASSIGNMENT.test(w))) continue;
    for (const w of rest) {
      const eq = w.indexOf('=');
      const name = w.slice(0, eq);
      out.set(name, [...(out.get(name) ?? []), { value: w.slice(eq + 1), line, topLevel: !(arms[line] ?? []).length }]);
    }
  }
  return out;
}

/** What the script's expansions read: the container's env, the script's own assignments, and its positional parameters. */
interface Scope {
  readonly env: ReadonlyMap<string, ScriptEnv>;
  readonly assigned: ReadonlyMap<string, readonly Assignment[]>;
  /** Names the script sets some other way (read, for, getopts). */
  readonly set: ReadonlySet<string>;
  /** The script sources or evals other code, which may set any name. */
  readonly opaque: boolean;
  /** The words `"$@"` stands for; undefined when the script moves them. */
  readonly positional?: readonly SourcedWord[];
  /** The script file, for messages (none for a `sh -c` string). */
  readonly file?: MountedFile;
  readonly expanded: Set<string>;
}

/** The scope of a `sh -c` string: the container's env and the words after its `$0`. */
function stringScope(env: ReadonlyMap<string, ScriptEnv>, positional: readonly SourcedWord[]): Scope {
  return { env, assigned: new Map(), set: new Set(), opaque: false, positional, expanded: new Set() };
}

/** The container's literal env value of a name (counted as read by the command line); undefined when it has none. */
function envValue(scope: Scope, name: string): { value: string; from: string } | undefined {
  const entry = scope.env.get(name);
  if (entry?.value === undefined) return undefined;
  scope.expanded.add(name);
  return { value: entry.value, from: entry.from };
}

/**
 * A variable's value before a line, when it is certain: the one top-level literal assignment of the script before
 * it (its own reads of the name, `PORT=${PORT:-8080}`, are the container's env value), else the container's literal
 * env value. A default (`${PORT:-8080}`) is not taken for a name the container does not set: the image may set it.
 */
function valueOf(scope: Scope, name: string, line: number, depth = 0): { value: string; from: string } | undefined {
  if (scope.opaque || depth > 8) return undefined;
  const assigned = scope.assigned.get(name) ?? [];
  if (!assigned.length && !scope.set.has(name)) return envValue(scope, name);
  const only = assigned.length === 1 ? assigned[0] : undefined;
  if (!only || !only.topLevel || only.line >= line) return undefined;
  let unknown = false;
  const own = only.value.replace(new RegExp(`\\$\\{${name}(:?-[^}]*)?\\}|\\$${name}(?![A-Za-z0-9_])`, 'g'), () => {
    const v = envValue(scope, name);
    unknown ||= v === undefined;
    return v?.value ?? '';
  });
  const value = expandInWord(scope, own, only.line, depth + 1);
  if (unknown || value.includes('$')) return undefined;
  return { value, from: `${scope.file?.path ?? 'the script'} line ${only.line}${scope.file ? ` (${scope.file.from})` : ''}` };
}

/** `$NAME` and `${NAME}` inside a word replaced by their certain values; any other expansion left as written (not known here). */
function expandInWord(scope: Scope, word: string, line: number, depth = 0): string {
  return word.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (m: string, braced: string | undefined, bare: string | undefined) => valueOf(scope, braced ?? bare ?? '', line, depth)?.value ?? m,
  );
}

/** The words of one append to a variable (`ARGS="$ARGS --port=8000"`): uncertain where a branch makes it or its value is not known. */
function appendWords(scope: Scope, text: string, line: number, from: string, branch: boolean): SourcedWord[] {
  const parts = shellWords(expandInWord(scope, text, line));
  return parts.map((word, i) => {
    const unknown = word.includes('$');
    // a lone unknown value after a flag is that flag's value; anywhere else it may be any words
    const opaque = unknown && /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(word) && !(parts[i - 1] ?? '').startsWith('-');
    return { word, from, ...(opaque ? { opaque } : branch || unknown ? { uncertain: true } : {}) };
  });
}

/**
 * A variable the script builds by appends before the line (`ARGS="serve m"`, then `ARGS="$ARGS --port=8000"`, some of
 * them in an if): the first assignment's words, then each append's, those of an append inside a branch uncertain
 * (they may or may not be there). Undefined unless the first assignment is a top-level literal and each later one
 * appends to the variable itself.
 */
function appendedWords(scope: Scope, name: string, line: number): SourcedWord[] | undefined {
  const list = (scope.assigned.get(name) ?? []).filter((a) => a.line < line);
  if (list.length < 2 || scope.opaque || !list[0].topLevel) return undefined;
  const self = new RegExp(`^(\\$\\{${name}\\}|\\$${name})(?![A-Za-z0-9_])`);
  const at = (a: Assignment) => `${scope.file?.path ?? 'the script'} line ${a.line}${scope.file ? ` (${scope.file.from})` : ''}`;
  const first = shellWords(expandInWord(scope, shellWords(list[0].value).join(' '), list[0].line));
  if (self.test(shellWords(list[0].value).join(' ')) || first.some((w) => w.includes('$'))) return undefined;
  const words: SourcedWord[] = first.map((word) => ({ word, from: at(list[0]) }));
  for (const a of list.slice(1)) {
    const text = shellWords(a.value).join(' ');
    const own = self.exec(text);
    if (!own) return undefined;
    words.push(...appendWords(scope, text.slice(own[0].length), a.line, at(a), !a.topLevel));
  }
  return words;
}

/**
 * A word of the script's vLLM command as the shell hands it over: `"$@"` the words the container gives the script, `$1`
 * one of them, a variable alone its value's words, a variable inside a word in place. A variable whose value is not
 * certain stays as written; alone it is `opaque` (it may stand for any words, flags among them).
 */
function expandWord(scope: Scope, word: string, line: number, from: string): SourcedWord[] {
  if (!word.includes('$')) return [{ word, from }];
  if (word === '$@' || word === '$*') return scope.positional ? [...scope.positional] : [{ word, from, opaque: true }];
  const positional = /^\$\{?([1-9])\}?$/.exec(word);
  if (positional) {
    const given = scope.positional?.[Number(positional[1]) - 1];
    return given ? [given] : scope.positional ? [] : [{ word, from, opaque: true }];
  }
  const whole = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(word);
  if (whole) {
    const name = whole[1];
    const appended = appendedWords(scope, name, line);
    if (appended) return appended;
    const known = valueOf(scope, name, line);
    if (known) return shellWords(known.value).map((w) => ({ word: w, from: known.from }));
    const nobody = scope.file !== undefined && !scope.opaque && !scope.assigned.get(name)?.length && !scope.set.has(name) && !scope.env.has(name);
    return [{ word, from, opaque: true, ...(nobody ? { unset: name } : {}) }];
  }
  return [{ word: expandInWord(scope, word, line), from }];
}

/** Whether a script's text reads a variable (`$NAME`, `${NAME}`, `${NAME:-…}`). */
function readsVariable(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    const before = text.slice(Math.max(0, at - 2), at);
    if ((before.endsWith('$') || before === '${') && !/[A-Za-z0-9_]/.test(text[at + name.length] ?? '')) return true;
  }
  return false;
}

/** One server command of the script: its words expanded, whether the shell runs it in the background, and whether it is vLLM's. */
interface Invocation {
  readonly words: readonly SourcedWord[];
  readonly background: boolean;
  readonly vllm: boolean;
}

/** The model server commands of a script file (vLLM's, or a server of model-servers.ts), each expanded as the script's shell runs it. */
function invocationsOf(run: ScriptRun, env: ReadonlyMap<string, ScriptEnv>, expanded: Set<string>): Invocation[] {
  const { file } = run;
  const commands = commandsOf(file.path, file.text);
  const variables = scriptVariables(file.text);
  const scope: Scope = {
    env,
    assigned: assignmentsOf(commands, file.text),
    set: variables.set,
    opaque: variables.opaque,
    positional: MOVES_POSITIONALS.test(file.text) ? undefined : run.forwarded,
    file,
    expanded,
  };
  // the variables the script reads are the script's to use: none of them is left unread by the command line
  for (const name of env.keys()) if (readsVariable(file.text, name)) expanded.add(name);
  return commands.flatMap(({ line, tokens }) => {
    const { words, background } = argumentWords(tokens);
    const program = programWords(words);
    const from = `${file.path} line ${line} (${file.from})`;
    // a server whose arguments come from a variable (`exec vllm $ARGS`) is known once they are expanded
    const expand = () => program.flatMap((w) => expandWord(scope, w, line, from));
    const known = startsVllm(program) || startsModelServer(program);
    const full = known || !program.slice(1).some((w) => w.includes('$')) ? undefined : expand().map((w) => w.word);
    const vllm = startsVllm(full ?? program);
    if (!vllm && !startsModelServer(full ?? program)) return [];
    return [{ words: expand(), background, vllm }];
  });
}

/** The occurrence of a flag vLLM keeps (argparse: the last). */
function lastOccurrence(args: VllmArgs, flag: string): FlagOccurrence {
  const all = args.occurrences(flag);
  return all[all.length - 1];
}

/** A flag's effective value as words: a switch bare or as `--no-…`, any other flag and its value. */
function flagWords(flag: string, value: string, from: string, uncertain: boolean): SourcedWord[] {
  const u = uncertain ? { uncertain } : {};
  if (vllmFlagTakesNoWord(flag)) return [{ word: value === 'false' ? `--no-${flag.slice(2)}` : flag, from, ...u }];
  return [
    { word: flag, from, ...u },
    { word: value, from, ...u },
  ];
}

/**
 * The command line several vLLM commands of a script agree on (its branches: `if` on a GPU count, `case` on a mode):
 * one program and model, each flag with the value all give it, and a flag they give differently (or not all give)
 * uncertain, so that no rule judges it. None when the program, the model or a config file differs, or a command holds
 * words that may be any flags.
 */
function agreed(invocations: readonly Invocation[]): SourcedWord[] | undefined {
  const parsed = invocations.map((i) => VllmArgs.of(i.words));
  const first = parsed[0];
  const head = first.words.slice(0, first.model() !== undefined && first.words[1]?.word === first.model() ? 2 : 1);
  const serve = (a: VllmArgs) => a.words[0]?.word === 'serve';
  if (invocations.some((i) => i.words.some((w) => w.opaque))) return undefined;
  if (parsed.some((a) => serve(a) !== serve(first) || a.model() !== first.model() || a.unreadConfig !== undefined)) return undefined;
  const flags = [...new Set(parsed.flatMap((a) => a.given().map((g) => g.flag)))].filter((f) => f !== '--model' || !serve(first));
  const words = flags.flatMap((flag) => {
    const values = parsed.map((a) => a.value(flag));
    const last = lastOccurrence(
      parsed.find((a) => a.occurrences(flag).length)!,
      flag,
    );
    const same = values.every((v) => v !== undefined && v === values[0]) && parsed.every((a) => !a.unknown(flag));
    return flagWords(flag, last.value, last.from, !same);
  });
  const program = invocations[0].words.slice(0, vllmInvocation(invocations[0].words.map((w) => w.word))!.start);
  return [...program, ...(serve(first) ? head : []), ...words];
}

/** Where a command line runs a script file a ConfigMap of the tree shows the container: as its program, a shell's file, or from a `sh -c` string. */
function scriptRunOf(list: readonly SourcedWord[], files: FileReader, env: ReadonlyMap<string, ScriptEnv>): ScriptRun | undefined {
  const script = shellScriptIndex(list.map((w) => w.word));
  if (script === undefined) return fileRun(list, files, false);
  const scope = stringScope(env, list.slice(script + 2));
  for (const command of scriptCommands(list[script].word)) {
    const words = command.words.flatMap((w) => expandWord(scope, w, 0, `${list[script].from} (shell script)`));
    const run = fileRun(words, files, true);
    if (run) return { ...run, head: [...list.slice(0, script), ...run.head] };
  }
  return undefined;
}

/**
 * The vLLM command line of a container whose command runs a script file that a ConfigMap of the tree shows it, when
 * the script starts vLLM's server (or, in a script that starts none, another model server: llama-server,
 * text-generation-launcher, tritonserver, SGLang, Ollama, LocalAI, the same way on every branch): the words up to the file's path, then the script's vLLM command (what its commands
 * agree on, when it has several), `&` after it when the shell runs it in the background. Undefined when the command
 * runs no such file or the file starts no vLLM server the same way on every branch.
 */
export function mountedScriptLine(
  list: readonly SourcedWord[],
  files: FileReader,
  env: ReadonlyMap<string, ScriptEnv>,
  expanded: Set<string>,
): SourcedWord[] | undefined {
  const run = scriptRunOf(list, files, env);
  if (!run) return undefined;
  const all = invocationsOf(run, env, expanded);
  // vLLM's commands when the script has any; another server's only when every branch starts it with the same words
  const vllm = all.filter((i) => i.vllm);
  const found = vllm.length ? vllm : all;
  if (!found.length) return undefined;
  const same = found.every((i) => i.words.map((w) => w.word).join('\0') === found[0].words.map((w) => w.word).join('\0'));
  const words = found.length === 1 || (!vllm.length && same) ? [...found[0].words] : vllm.length ? agreed(found) : undefined;
  if (!words) return undefined;
  const background = found.some((i) => i.background) ? [{ word: '&', from: words[0].from }] : [];
  return [...run.head, ...words, ...background];
}
