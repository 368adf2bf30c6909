import { perText } from '../private/run-memo';
import { shellWords } from './shell-words';

/** What ends a command of a shell script: a list operator, a pipe, a background `&`, or the end of a line or script. */
export type CommandEnd = ';' | '&&' | '||' | '|' | '&' | 'end';

/** One simple command of a script: its words after leading keywords and assignments, how it ends, and how deep in compound commands it sits. */
export interface ScriptCommand {
  readonly words: readonly string[];
  readonly end: CommandEnd;
  /** 0 at the top level; inside if/while/until/for/case/{ }/( ) more. */
  readonly depth: number;
  /** The command as written. */
  readonly text: string;
}

/** Words that open a compound command, and words that close one (POSIX XCU 2.9.4). */
const OPENERS = new Set(['if', 'while', 'until', 'for', 'case', '{', '(']);
const CLOSERS = new Set(['fi', 'done', 'esac', '}', ')']);
/** A variable assignment before a program (`HF_HOME=/cache vllm serve …`). */
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** Words that lead into the next command inside a compound one: the program is after them. */
const LEADERS = new Set(['then', 'do', 'else', 'elif', '!', 'time']);

/** The raw pieces of a script between operators outside quotes, `$( )` and comments (`2>&1` and `&>` are redirections). */
function splitScript(script: string): { text: string; end: CommandEnd }[] {
  const out: { text: string; end: CommandEnd }[] = [];
  let piece = '';
  let quote: string | undefined;
  let nesting = 0;
  const cut = (end: CommandEnd) => {
    out.push({ text: piece, end });
    piece = '';
  };
  for (let i = 0; i < script.length; i++) {
    const ch = script[i];
    const next = script[i + 1];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"') piece += script[i++];
      piece += ch;
      continue;
    }
    if (ch === '\\') {
      piece += ch + (next ?? '');
      i++;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      piece += ch;
    } else if (ch === '$' && next === '(') {
      nesting++;
      piece += ch;
    } else if (ch === ')' && nesting > 0) {
      nesting--;
      piece += ch;
    } else if (nesting > 0) {
      piece += ch;
    } else if (ch === '#' && /(^|\s)$/.test(piece)) {
      while (i + 1 < script.length && script[i + 1] !== '\n') i++;
    } else if (ch === '\n' || ch === ';') {
      if (next === ';' && ch === ';') i++;
      cut(ch === '\n' ? 'end' : ';');
    } else if ((ch === '&' || ch === '|') && next === ch) {
      i++;
      cut(ch === '&' ? '&&' : '||');
    } else if (ch === '&' && (piece.endsWith('>') || piece.endsWith('<') || next === '>')) {
      piece += ch;
    } else if (ch === '&' || ch === '|') {
      cut(ch);
    } else {
      piece += ch;
    }
  }
  cut('end');
  return out;
}

/**
 * The simple commands of a shell script in order, each with the operator after it and its depth in compound
 * commands; empty pieces (blank lines, a lone `;`) are left out. Parsing is lexical, as the other checks of scripts
 * are: quotes, `$( )`, comments and redirections are kept apart from the operators, here-documents are not read.
 */
export function scriptCommands(script: string): readonly ScriptCommand[] {
  // once per script, kept past the run: the rules reading scripts ask for the same container's script
  return perText('script-commands', script, commandsOf);
}

/** A piece's words after its leading keywords, and the depth after them: openers deepen what follows, closers end a compound before the command (`done`, `fi`). */
function afterKeywords(text: string, depth: number): { words: readonly string[]; depth: number; at: number } {
  let words = shellWords(text);
  let at = depth;
  while (words.length && (OPENERS.has(words[0]) || CLOSERS.has(words[0]) || LEADERS.has(words[0]))) {
    if (OPENERS.has(words[0])) depth++;
    if (CLOSERS.has(words[0])) depth = Math.max(0, depth - 1);
    at = depth;
    // `for x in …` and `case … in` name no program
    words = words[0] === 'for' || words[0] === 'case' ? [] : words.slice(1);
  }
  while (words.length && ASSIGNMENT.test(words[0])) words = words.slice(1);
  return { words, depth, at };
}

function commandsOf(script: string): ScriptCommand[] {
  let depth = 0;
  const out: ScriptCommand[] = [];
  for (const { text, end } of splitScript(script)) {
    const read = afterKeywords(text, depth);
    depth = read.depth;
    if (read.words.length) out.push({ words: read.words, end, depth: read.at, text: text.trim() });
  }
  return out;
}

/** A top-level loop of a script that never ends, and the command after it. */
export interface EndlessLoop {
  /** The loop as written, its pieces joined by `; `. */
  readonly text: string;
  /** The first command after it. */
  readonly next: string;
}

/** The words that leave a loop (POSIX XCU 2.14: break, exit, return). */
const LOOP_EXITS = new Set(['break', 'exit', 'return']);

/** Whether a loop's opening words are `while true`, `while :` or `until false`: its condition never changes. */
const forever = (words: readonly string[]) =>
  words.length === 2 && ((words[0] === 'while' && (words[1] === 'true' || words[1] === ':')) || (words[0] === 'until' && words[1] === 'false'));

/**
 * The top-level `while true` (`while :`, `until false`) loops of a script with no break, exit or return inside, run
 * in the foreground and unconditionally (not after `&&`/`||`, not ended by `&` or `|`), each with the command after
 * it, which never runs.
 */
export function endlessLoops(script: string): EndlessLoop[] {
  const out: EndlessLoop[] = [];
  let depth = 0;
  let before: CommandEnd = 'end';
  let loop: { pieces: string[]; leaves: boolean } | undefined;
  let ended: string | undefined;
  for (const { text, end } of splitScript(script)) {
    const opening = depth === 0 && !loop && forever(shellWords(text)) && before !== '&&' && before !== '||';
    const read = afterKeywords(text, depth);
    depth = read.depth;
    before = end;
    if (ended !== undefined && read.words.length && !loop) {
      out.push({ text: ended, next: text.trim() });
      ended = undefined;
    }
    if (opening) loop = { pieces: [], leaves: false };
    if (!loop) continue;
    loop.pieces.push(text.trim());
    if (LOOP_EXITS.has(read.words[0] ?? '')) loop.leaves = true;
    if (depth > 0) continue;
    if (!loop.leaves && end !== '&' && end !== '|') ended = loop.pieces.filter((p) => p).join('; ');
    loop = undefined;
  }
  return out;
}
