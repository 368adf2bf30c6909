import { shellScriptIndex } from './command-line';
import { scriptCommands } from './shell-commands';

/**
 * Programs that cannot start vLLM's server, whatever their arguments: the idlers a debug or placeholder container
 * runs (`sleep infinity`, `tail -f /dev/null`, `cat`) and the shell's own bookkeeping around them.
 */
export const IDLE_PROGRAMS: ReadonlySet<string> = new Set([
  'sleep',
  'tail',
  'cat',
  'pause',
  'true',
  'false',
  ':',
  'echo',
  'printf',
  'ls',
  'env',
  'date',
  'nvidia-smi',
  'set',
  'export',
  'trap',
  'wait',
  'cd',
  'mkdir',
  'pwd',
  'id',
  'hostname',
]);

/** The first program of each command of a shell script. */
const scriptPrograms = (script: string): string[] => scriptCommands(script).map((c) => c.words[0]);

/**
 * The command a container runs instead of any server, when every program it runs is an idler: a command such as
 * `sleep infinity`, or a `sh -c` script whose every command is one (`while true; do sleep 30; done`). Undefined when
 * a program may start a server (vllm, python, a script file, "$@", a variable, anything not known to idle).
 */
export function idleCommand(command: readonly string[], args: readonly string[]): string | undefined {
  const list = [...command, ...args];
  if (!list.length) return undefined;
  const at = shellScriptIndex(list);
  const programs = at === undefined ? [list[0]] : scriptPrograms(list[at]);
  const idle = programs.length > 0 && programs.every((p) => IDLE_PROGRAMS.has(p.replace(/^.*\//, '')));
  return idle ? list.map((w) => (/\s/.test(w) ? JSON.stringify(w) : w)).join(' ') : undefined;
}
