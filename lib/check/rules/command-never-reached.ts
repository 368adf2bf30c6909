import { Loose, strings } from '../../manifests/access';
import { shellScriptIndex } from '../command-line';
import { IDLE_PROGRAMS } from '../idle-command';
import { WORKLOAD_KINDS } from '../pods';
import { MULTI_POD_KINDS } from '../pod-templates';
import { Problem, Rule } from '../rule';
import { endlessLoops, ScriptCommand, scriptCommands } from '../shell-commands';
import { containersWithLines } from '../written-containers';
import { brokenContinuations } from './shell-continuation-broken';

/** A command that holds the shell: `never` returns at all, a `server` returns only when it stops serving. */
interface Holding {
  readonly kind: 'never' | 'server';
  readonly why: string;
}

const programOf = (word: string) => word.replace(/^.*\//, '');

/** vLLM's OpenAI server run as a module (`python3 -m vllm.entrypoints.openai.api_server`), as the Red Hat images' entrypoint does. */
const VLLM_SERVER_MODULE = /^vllm\.entrypoints\.(openai\.)?api_server$/;

/**
 * A redirection word of bash's grammar (an optional descriptor number or {varname}, the operator, then the target if
 * joined): `>log`, `2>&1`, `&>`, `3<file`, `{fd}>file`. The captured rest is the joined target, empty when the target
 * is the next word.
 */
const REDIRECTION = /^(?:\{[A-Za-z_]\w*\}|[0-9]*)(?:&>>?|>&|<&|>>|<>|<<<|>\||>|<)(.*)$/;

/** How much a word opens parentheses (a process substitution `>(tee -a log)` split into words). */
const openedBy = (word: string) => [...word].filter((ch) => ch === '(').length - [...word].filter((ch) => ch === ')').length;

/** The index after the words a process substitution left open by `depth` parentheses still spans, from `from` on. */
function afterSubstitution(words: readonly string[], from: number, depth: number): number {
  let at = from;
  for (let open = depth; at < words.length && open > 0; at++) open += openedBy(words[at]);
  return at;
}

/**
 * Whether `exec` is given a command: without one (only redirections, as `exec &> >(tee -a log)` or `exec 3<file`)
 * "any redirections take effect in the current shell" and the script goes on (bash manual, Bourne Shell Builtins:
 * exec [-cl] [-a name] [command [arguments]]).
 */
function execRunsCommand(words: readonly string[]): boolean {
  let i = 0;
  while (i < words.length) {
    const w = words[i];
    const redirection = REDIRECTION.exec(w);
    if (redirection) {
      // the target joined to the operator, or the next word
      const target = redirection[1] ? i : i + 1;
      i = afterSubstitution(words, target + 1, openedBy(redirection[1] || (words[target] ?? '')));
      continue;
    }
    if (/^-[cl]*a$/.test(w)) i += 2;
    else if (/^-[cl]+$/.test(w) || w === '--') i += 1;
    else return true;
  }
  return false;
}

/**
 * How a foreground command holds the shell, if it does: `exec` replaces the shell (POSIX XCU 2.14 exec), `sleep
 * infinity` and `tail -f` never end, vLLM's server and `ray start --block` (ray python/ray/scripts/scripts.py: "block
 * until the Ray processes die") run until they are stopped.
 */
function holding(words: readonly string[], stdinOpen: boolean): Holding | undefined {
  const [first, ...rest] = words[0] === 'nohup' ? words.slice(1) : words;
  const program = programOf(first ?? '');
  if (program === 'cat' && stdinOpen && readsStdinOnly(rest)) return { kind: 'never', why: "it reads the container's stdin, which `stdin: true` keeps open" };
  if (program === 'exec' && execRunsCommand(rest)) return { kind: 'never', why: 'exec replaces the shell with it' };
  if (program === 'sleep' && rest.some((w) => w === 'infinity' || w === 'inf')) return { kind: 'never', why: 'it never ends' };
  if (program === 'tail' && rest.some((w) => /^-[a-zA-Z]*[fF]/.test(w) || w.startsWith('--follow')) && !rest.some((w) => w.startsWith('--pid')))
    return { kind: 'never', why: 'it follows the file forever' };
  if (program === 'vllm' && rest[0] === 'serve') return { kind: 'server', why: "vLLM's server runs until it is stopped" };
  if (/^python[0-9.]*$/.test(program) && rest[0] === '-m' && VLLM_SERVER_MODULE.test(rest[1] ?? ''))
    return { kind: 'server', why: "vLLM's server runs until it is stopped" };
  if (program === 'ray' && rest[0] === 'start' && rest.includes('--block'))
    return { kind: 'server', why: 'ray start --block waits until the Ray processes die' };
  return undefined;
}

/**
 * Whether `cat` reads only its standard input: no file operand (options, or `-`), no input redirection. A container's
 * stdin is at EOF unless it sets `stdin: true` (k8s.io/api core/v1 Container.Stdin: "If this is not set, reads from
 * stdin in the container will always result in EOF"), so only then does it wait for input.
 */
const readsStdinOnly = (args: readonly string[]) => args.every((w) => w === '-' || (/^-/.test(w) && !/^-?\d*</.test(w)) || /^\d*>/.test(w) || w === '&');

/** A later command that only reports or idles after a server ends (`; sleep infinity` keeps a crashed pod for debugging). */
const afterword = (c: ScriptCommand) => IDLE_PROGRAMS.has(programOf(c.words[0])) || c.words[0] === 'exit';

/** The first command of a script that a foreground command before it keeps from running, as a problem. */
function scriptProblem(script: string, where: string, stdinOpen = false): Problem[] {
  const commands = scriptCommands(script);
  // the lines a broken continuation (`\\` at a line's end) cuts off the command: shell-continuation-broken's, whose
  // remedy fits; "start it in the background" would not
  const cutOff = new Set(brokenContinuations(script).map((b) => b.next));
  for (let i = 0; i < commands.length - 1; i++) {
    const c = commands[i];
    if (c.end === 'end' && cutOff.has(commands[i + 1].text.split('\n')[0].trim())) continue;
    const conditional = i > 0 && (commands[i - 1].end === '&&' || commands[i - 1].end === '||');
    // the second command of a pipeline reads the pipe, not the container's stdin
    const piped = i > 0 && commands[i - 1].end === '|';
    const held = c.depth === 0 && !conditional && c.end !== '&' && c.end !== '|' ? holding(c.words, stdinOpen && !piped) : undefined;
    if (!held) continue;
    const next = commands[i + 1];
    if (c.end === 'end' && /^-/.test(next.words[0] ?? '')) return [cutOffOptions(c, next, held, where)];
    if (held.kind === 'server' && (c.end === '||' || (c.end !== '&&' && afterword(next)))) continue;
    const joined = c.end === 'end' ? 'on the next line' : `after \`${c.end}\``;
    const never = held.kind === 'never' || c.end === '&&';
    const runs = never ? 'never runs' : 'runs only once the server has stopped';
    return [
      {
        ...(never ? {} : { severity: 'warning' as const }),
        message:
          `${where}: \`${c.text}\` holds the shell (${held.why}), so \`${next.text}\` ${joined} ${runs}; ` +
          'start the long-running command in the background (`&`) before the ones that need it, or make it the last command (`exec` it so it gets the signals)',
      },
    ];
  }
  return loopProblem(script, where);
}

/**
 * A line of options after the program that holds the shell: the newline ended the program's command (a blank line, or
 * a more-indented line, in a YAML folded block `>-` keeps its newline; a literal block `|` keeps every one), so the
 * program starts without them and the shell would run the first option as a command.
 */
function cutOffOptions(c: ScriptCommand, next: ScriptCommand, held: Holding, where: string): Problem {
  return {
    message:
      `${where}: \`${next.text}\` on the line after \`${c.text}\` is a command of its own, not options of it: the newline ends the command ` +
      '(a blank or more-indented line in a YAML folded block `>-` keeps its newline), so it starts without them ' +
      `and the line ${held.kind === 'never' ? 'never runs' : 'runs only once it stops'} (${held.why}); ` +
      'write the options on the same lines at the same indentation with no blank line between, or end each line with ` \\`',
  };
}

/** A top-level endless loop (`while true; do sleep 30; done`) with a command after it, as a problem. */
function loopProblem(script: string, where: string): Problem[] {
  const [loop] = endlessLoops(script);
  if (!loop) return [];
  return [
    {
      message:
        `${where}: \`${loop.text}\` never ends (its condition never changes and nothing in it breaks, exits or returns), so \`${loop.next}\` after it never runs; ` +
        'start the loop in the background (`&`) or drop it, and make the server the last command (`exec` it so it gets the signals)',
    },
  ];
}

export const commandNeverReached: Rule = {
  id: 'command-never-reached',
  title:
    "a container's shell script runs a command after one that never returns (sleep infinity, tail -f, exec, an endless while loop, a foreground vllm serve or ray start --block): it never runs",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS, 'ServingRuntime'],
  premise:
    "a container hands a script to a shell (sh -c, bash -c, …) and a top-level, unconditional foreground command of it never returns (exec <program>, not an exec of redirections only, which applies them to the shell and goes on; sleep infinity or inf, tail -f without --pid, `cat` with no file operand in a container that sets `stdin: true` (else its stdin is at EOF and cat returns at once; `wait` with no background job returns at once too), a `while true`, `while :` or `until false` loop with no break, exit or return) or serves until stopped (vllm serve, python -m vllm.entrypoints.openai.api_server, ray start --block), and another command follows it; a server followed by `;` is a warning (the next runs if the server stops) and is not judged when what follows only reports or idles (echo, sleep, exit) or is joined with `||`; other commands inside if/while/for/case or after `&&`/`||` are not judged, nor a command that follows only because a line before it ends in a broken continuation (shell-continuation-broken's)",
  example: '`ray start --head --block && python serve.py` as the script of bash -c',
  fix: "run the long-running command in the background (`ray start --head` without --block, `vllm serve … &`) and the later ones after it, or make it the script's last command",
  source:
    'POSIX shell (XCU 2.9.3 lists: `a && b` and `a; b` run b after a ends; 2.9.4.5 a while loop runs while its condition succeeds; 2.14 exec replaces the shell, break and exit leave a loop); bash manual, Bourne Shell Builtins (exec without a command: "any redirections take effect in the current shell"); coreutils sleep (inf and infinity are an infinite time); k8s.io/api core/v1 Container.Stdin (unset: reads from stdin result in EOF); POSIX XCU wait (no known child: returns at once); ray python/ray/scripts/scripts.py (--block: "block forever" until the Ray processes die); vLLM\'s serve command runs the server until it is stopped',
  scope: 'object',
  check(o) {
    return containersWithLines(o.manifest).flatMap(({ where, container }: { where: string; container: Loose }) => {
      const words = [...strings(container.command), ...strings(container.args)];
      const at = shellScriptIndex(words);
      return at === undefined ? [] : scriptProblem(words[at], where, container.stdin === true);
    });
  },
};
