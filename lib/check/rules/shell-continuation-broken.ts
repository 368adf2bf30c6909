import { Loose, strings } from '../../manifests/access';
import { shellScriptIndex } from '../command-line';
import { WORKLOAD_KINDS } from '../pods';
import { MULTI_POD_KINDS } from '../pod-templates';
import { Problem, Rule } from '../rule';
import { containersWithLines } from '../written-containers';

/** The backslashes ending a line, and the blanks after them (`--port=8080 \\`, `--port=8080 \ `). */
const LINE_END = /(\\+)([ \t]*)$/;

/** A line that goes on with an option, as a continued command does (`  --max-model-len=8192 \`). */
const OPTION_LINE = /^\s*--?[A-Za-z]/;

/**
 * The lines of a shell script whose trailing backslash does not continue the command: an escaped backslash (`\\`, an
 * even run) or a backslash escaping the blank after it. POSIX shell (XCU 2.2.1): only a backslash directly before the
 * newline removes it; otherwise the newline ends the command, and the next line, which goes on with options, is a
 * command of its own.
 */
export function brokenContinuations(script: string): { line: number; ending: string; next: string }[] {
  const lines = script.split('\n');
  const out: { line: number; ending: string; next: string }[] = [];
  lines.forEach((l, i) => {
    const m = LINE_END.exec(l);
    if (!m || /^\s*#/.test(l)) return;
    const escapedBackslash = m[1].length % 2 === 0;
    const escapedBlank = !escapedBackslash && m[2].length > 0;
    if (!escapedBackslash && !escapedBlank) return;
    const next = lines.slice(i + 1).find((x) => x.trim());
    if (next === undefined || !OPTION_LINE.test(next)) return;
    out.push({ line: i + 1, ending: `${m[1]}${m[2]}`, next: next.trim() });
  });
  return out;
}

/** The findings of one container's shell script (`sh -c '…'`), if its command line hands one to a shell. */
function scriptProblems(container: Loose, where: string): Problem[] {
  const words = [...strings(container.command), ...strings(container.args)];
  const at = shellScriptIndex(words);
  if (at === undefined) return [];
  return brokenContinuations(words[at]).map(({ line, ending, next }) => {
    const what = ending.startsWith('\\\\')
      ? `'\\\\' (an escaped backslash, which the shell passes on as a word '\\')`
      : "'\\' and a blank (the backslash escapes the blank)";
    const option = next.split(/\s+/)[0];
    return {
      message:
        `${where}: line ${line} of its shell script ends in ${what}, so the newline ends the command there: the options of the next lines (${option} …) never reach the program, ` +
        `which gets a stray argument instead (vLLM's argument parser refuses it: "unrecognized arguments"), and after an exec they never run at all (without one each runs as a command of its own: "${option}: not found"); ` +
        "end the line with a single backslash and nothing after it (in a YAML block scalar `|` write one '\\'; in a double-quoted YAML string, '\\\\')",
    };
  });
}

export const shellContinuationBroken: Rule = {
  id: 'shell-continuation-broken',
  title:
    "a line of a container's shell script ends in an escaped backslash or a backslash and a blank, before a line of options: the command ends there, and the options never reach the program",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS, 'ServingRuntime'],
  premise:
    'every container of a pod template the check knows whose command hands a script to a shell (`sh -c`, `bash -lc`): a line (not a comment) that ends in an even run of backslashes, or in one backslash followed by blanks, and whose next non-empty line starts with an option (`-x`, `--flag`): the author meant to continue the command; ' +
    'not judged: scripts of ConfigMaps (their consumer may not be a shell), a line continued by a single backslash right before the newline, a next line that is not an option',
  example: '`--max-num-batched-tokens=${MAX_NUM_BATCHED_TOKENS:-2048} \\\\` in the script of `command: ["/bin/sh", "-c"]`, followed by `--block-size=16`',
  fix: 'end the line with a single backslash right before the newline',
  source:
    'POSIX Shell Command Language (XCU 2.2.1 Escape Character): a backslash that is not quoted preserves the literal value of the next character, and only a backslash-newline pair is a line continuation; Python argparse refuses extra positional arguments ("unrecognized arguments")',
  scope: 'object',
  check(o) {
    return containersWithLines(o.manifest).flatMap(({ where, container }) => scriptProblems(container, where));
  },
};
