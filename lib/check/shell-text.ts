import { Loose, strings } from '../manifests/access';

/** A Python interpreter's name (`python`, `python3`, `python3.11`, a path to one). */
const PYTHON = /(?:^|\/)python[0-9.]*$/;
/** The Python calls that run a command (subprocess's functions, os.system, os.popen), up to their first argument. */
const PYTHON_RUNS = /\b(?:subprocess\.(?:run|call|check_call|check_output|Popen)|os\.(?:system|popen))\(\s*/g;
/** A Python string literal, single or double quoted (an f-string's prefix allowed), as written. */
const PY_STRING = /^[rfbuRFBU]{0,2}("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')/;
/** An inline Python program in shell text: `python -c "…"` or `python3 -u -c '…'`. */
const SHELL_INLINE_PYTHON = /\bpython[0-9.]*(?:\s+-[A-Za-z]+)*\s+-c\s+("(?:[^"\\]|\\.)*"|'[^']*')/g;

const unquoted = (literal: string) => literal.slice(1, -1).replace(/\\(.)/g, '$1');

/** The command a Python call's first argument gives: a string, or a list of strings joined by spaces. */
function firstArgument(rest: string): string | undefined {
  const one = PY_STRING.exec(rest);
  if (one) return unquoted(one[1]);
  if (!rest.startsWith('[')) return undefined;
  const words: string[] = [];
  let i = 1;
  for (;;) {
    const at = rest.slice(i).search(/\S/);
    if (at < 0) return undefined;
    i += at;
    if (rest[i] === ']') return words.join(' ');
    const word = PY_STRING.exec(rest.slice(i));
    if (!word) return words.length ? words.join(' ') : undefined;
    words.push(unquoted(word[1]));
    i += word[0].length;
    const sep = /^\s*,?/.exec(rest.slice(i));
    i += sep ? sep[0].length : 0;
  }
}

/**
 * The commands a Python program runs: the first argument of each subprocess or os.system call, one per line. The
 * rest of the program (its string literals, print calls, comments) runs nothing.
 */
export function pythonCommands(program: string): string {
  return [...program.matchAll(PYTHON_RUNS)].flatMap((m) => firstArgument(program.slice(m.index + m[0].length)) ?? []).join('\n');
}

/**
 * A container's command and args as the text whose commands run: an inline Python program (`python -c PROGRAM`, as
 * the command's words or inside a shell script) stands for the commands it runs through subprocess or os.system, not
 * for the words of its string literals (a `print("… oc describe …")` runs no oc).
 */
export function shellTextOf(container: Loose): string {
  const words = [...strings(container.command), ...strings(container.args)];
  const c = words.indexOf('-c');
  if (words.length && PYTHON.test(words[0]) && c > 0 && c + 1 < words.length && words.slice(1, c).every((w) => w.startsWith('-')))
    return pythonCommands(words[c + 1]);
  return words.join('\n').replace(SHELL_INLINE_PYTHON, (_all, literal: string) => pythonCommands(unquoted(literal)));
}
