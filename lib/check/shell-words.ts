import { perText } from '../private/run-memo';

/**
 * The shell's word splitting of a command line, and where a command line hands a script to a shell: the lowest layer
 * of the command-line readers, so that the readers of scripts and of command lines can both use it.
 */

/** Runs of characters copied as they are: outside quotes, inside double quotes, inside single quotes. */
const PLAIN_RUN = /[^\s"'\\]+/y;
const DOUBLE_QUOTED_RUN = /[^"\\]+/y;
const SINGLE_QUOTED_RUN = /[^']+/y;

/** Where a run of `run`'s characters starting at `i` ends (`i` when none starts there). */
function runEnd(run: RegExp, line: string, i: number): number {
  run.lastIndex = i;
  return run.test(line) ? run.lastIndex : i;
}

/**
 * Splits a shell command line into words (quotes kept together, line continuations dropped); no expansion. Plain
 * characters are copied a run at a time: character by character, a check's long `sh -c` scripts cost most of its time.
 */
export function shellWords(line: string): readonly string[] {
  // once per text, kept past the run: a container's script is split again for each label its line is built under
  return perText('shell-words', line, splitWords);
}

/**
 * Words after which a newline does not end the command: a list operator or pipe waits for the next command, a keyword
 * of a compound command for its body, an opened `$(` or `{` for what it holds (POSIX XCU 2.9.3, 2.9.4).
 */
const GOES_ON = new Set(['&&', '||', '|', ';', '&', 'then', 'do', 'else', 'elif', '{', '(', 'if', 'while', 'until', '!']);

/**
 * A script's words as shellWords splits them, with a `;` word where an unquoted newline ends a command: a shell runs
 * each line as a command of its own (POSIX XCU 2.9.3: a newline separates commands as `;` does), so flags on a line
 * after a program's (a blank line in a YAML folded block, a line without a trailing backslash) are not the program's.
 */
export function shellCommandWords(script: string): readonly string[] {
  return perText('shell-command-words', script, (s) => splitWords(s, true));
}

function splitWords(line: string, breaks = false): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  // a newline met outside quotes: a `;` goes before the next word, unless the line before leaves the command open
  let ended = false;
  const push = (w: string) => {
    const last = words[words.length - 1];
    if (ended && last !== undefined && !GOES_ON.has(last) && !/([({|]|&&)$/.test(last)) words.push(';');
    ended = false;
    words.push(w);
  };
  for (let i = 0; i < line.length; i++) {
    const end = runEnd(quote === '"' ? DOUBLE_QUOTED_RUN : quote ? SINGLE_QUOTED_RUN : PLAIN_RUN, line, i);
    if (end > i) {
      word = (word ?? '') + line.slice(i, end);
      i = end - 1;
      continue;
    }
    const ch = line[i];
    if (quote) {
      // a backslash stops only a double-quoted run: single quotes keep it as written
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && i + 1 < line.length) word += line[++i];
      else word += ch;
    } else if (ch === '\\' && line[i + 1] === '\n') {
      i++;
    } else if (/\s/.test(ch)) {
      if (word !== undefined) push(word);
      word = undefined;
      if (ch === '\n' && breaks) ended = true;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word = word ?? '';
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (word !== undefined) push(word);
  return words;
}

/**
 * Where a command line hands a script to a shell: the index of the script after `sh -c` (or bash, dash, zsh, ash, with
 * flags such as `-ec`, `-ce`, `-lc` or `-e -c` before it), undefined when no shell runs a script.
 */
export function shellScriptIndex(list: readonly string[]): number | undefined {
  if (!/(^|\/)(ba|da|z|a)?sh$/.test(list[0] ?? '')) return undefined;
  for (let i = 1; i < list.length - 1; i++) {
    if (!/^-[a-zA-Z]+$/.test(list[i])) return undefined;
    if (list[i].includes('c')) return i + 1;
  }
  return undefined;
}
