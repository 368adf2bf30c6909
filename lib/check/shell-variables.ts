import { heredocsOf } from '../manifests/script-creations';
import { shellWords } from './shell-words';

/**
 * Variables a shell or the container has set before a script runs, whatever the pod says: POSIX XCU 2.5.3 (HOME, IFS,
 * LANG, LC_*, LINENO, PATH, PPID, PS1–PS4, PWD, OPTARG, OPTIND), the bash manual's Shell Variables (BASH*, EUID, UID,
 * HOSTNAME, OLDPWD, RANDOM, SRANDOM, SECONDS, SHLVL, REPLY, …), the OCI runtime's defaults (PATH, HOSTNAME, HOME, TERM)
 * and the kubelet's service variables (KUBERNETES_SERVICE_HOST, <SERVICE>_SERVICE_HOST, <SERVICE>_PORT_…: kubelet_pods.go
 * getServiceEnvVarMap).
 */
const SHELL_SET =
  /^(HOME|IFS|LANG|LC_\w+|LINENO|NLSPATH|PATH|PPID|PS[1-4]|PWD|OLDPWD|OPTARG|OPTIND|ENV|BASH\w*|EUID|UID|GROUPS|HOSTNAME|HOSTTYPE|MACHTYPE|OSTYPE|RANDOM|SRANDOM|SECONDS|SHLVL|SHELL|SHELLOPTS|REPLY|PIPESTATUS|FUNCNAME|EPOCH\w+|COLUMNS|LINES|TERM|USER|LOGNAME|TMPDIR|\w+_SERVICE_(HOST|PORT\w*)|\w+_PORT(_\w+)?)$/;

/** A command that runs a file or a string in this shell (`source`, `.`, `eval`): what it sets is not known here. */
const RUNS_OTHER = /(^|[\s;&|(])(source|\.|eval)\s+\S/m;

/** `NAME=`, `NAME+=`, `NAME[i]=` where a word starts (after export, local, readonly, declare/typeset and their options). */
const ASSIGNED = /(?:^|[\s;&|(`]|\$\()(?:(?:export|local|readonly|declare|typeset)\s+(?:-\w+\s+)*)?([A-Za-z_]\w*)(?:\[[^\]\n]*\])?\+?=/gm;
/** `for NAME in`, `select NAME in`, `getopts OPTSTRING NAME`, and the assigning expansions `${NAME=…}`, `${NAME:=…}`. */
const BOUND = /\b(?:for|select)\s+([A-Za-z_]\w*)|\bgetopts\s+\S+\s+([A-Za-z_]\w*)|\$\{([A-Za-z_]\w*):?=/g;
/** Commands that set the variables they name: `read [-r] [-p prompt] NAME…`, `mapfile`/`readarray NAME`, `printf -v NAME`. */
const READERS = /(?:^|[\s;&|(])((?:read|mapfile|readarray)\b[^\n;&|]*|printf\s+-v\s+[A-Za-z_]\w*)/g;
/** The options of read, mapfile and readarray that take a value (bash manual, Bash Builtins). */
const VALUED_OPTIONS = /^-[a-zA-Z]*[pdtnNuOsCc]$/;

/** A variable a script writes into an unquoted heredoc: as `$NAME` or `${NAME}` (a `${NAME:-…}` has its default). */
export interface HeredocUse {
  readonly name: string;
  /** 1-based line of the script where the heredoc's command is. */
  readonly line: number;
  /** The heredoc's command line (`cat <<EOF | oc apply -f -`). */
  readonly command: string;
  /** Where the variable is the whole of an object's metadata.name or metadata.namespace in the heredoc's YAML. */
  readonly field?: 'metadata.name' | 'metadata.namespace';
}

/**
 * The metadata field a heredoc body's line holds as a whole `$NAME` (`  name: ${MODEL}`): the key is name or namespace
 * and the nearest line above it with less indentation is `metadata:`.
 */
function metadataField(body: string, offset: number): HeredocUse['field'] {
  const lines = body.slice(0, offset).split('\n');
  const rest = body.slice(offset).split('\n')[0];
  const line = lines[lines.length - 1] + rest;
  const m = /^(\s*)(name|namespace):\s*["']?\$\{?[A-Za-z_]\w*\}?["']?\s*$/.exec(line);
  if (!m) return undefined;
  const parent = lines
    .slice(0, -1)
    .reverse()
    .find((l) => l.trim() && /^\s*/.exec(l)![0].length < m[1].length);
  return parent?.trim() === 'metadata:' ? (m[2] === 'name' ? 'metadata.name' : 'metadata.namespace') : undefined;
}

/** What a script sets and what its heredocs expand; `opaque` when it runs other code in its own shell (source, ., eval). */
export interface ScriptVariables {
  readonly opaque: boolean;
  readonly set: ReadonlySet<string>;
  readonly uses: readonly HeredocUse[];
}

/** The names `read`, `mapfile`, `readarray` or `printf -v` set, from the command's text. */
function readerNames(command: string): string[] {
  const words = shellWords(command);
  if (words[0] === 'printf') return [words[2]];
  const names: string[] = [];
  for (let i = 1; i < words.length; i++) {
    if (VALUED_OPTIONS.test(words[i])) i++;
    else if (/^[A-Za-z_]\w*$/.test(words[i])) names.push(words[i]);
    else if (/^[<>]|^\d*[<>]/.test(words[i])) break;
  }
  return names;
}

/** The variables of a shell script: those it sets anywhere outside heredoc bodies, and those its unquoted heredocs expand. */
export function scriptVariables(script: string): ScriptVariables {
  const heredocs = heredocsOf(script);
  // heredoc bodies are data, not commands: a `KEY=value` line in one sets nothing
  let commands = script;
  for (const { heredoc } of [...heredocs].reverse()) commands = commands.slice(0, heredoc.bodyAt) + commands.slice(heredoc.bodyAt + heredoc.body.length);
  const set = new Set<string>();
  for (const m of commands.matchAll(ASSIGNED)) set.add(m[1]);
  for (const m of commands.matchAll(BOUND)) set.add(m[1] ?? m[2] ?? m[3]);
  for (const m of commands.matchAll(READERS)) for (const name of readerNames(m[1])) set.add(name);
  const uses: HeredocUse[] = [];
  for (const { heredoc, at, command } of heredocs) {
    if (heredoc.quote !== '') continue;
    const line = script.slice(0, at).split('\n').length;
    for (const m of heredoc.body.matchAll(/(\\?)\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))/g))
      if (!m[1]) {
        const field = metadataField(heredoc.body, m.index);
        uses.push({ name: m[2] ?? m[3], line, command: command.trim(), ...(field ? { field } : {}) });
      }
  }
  return { opaque: RUNS_OTHER.test(commands), set, uses };
}

/** Whether a shell, the container runtime or the kubelet sets the variable for every container. */
export function setForEveryContainer(name: string): boolean {
  return SHELL_SET.test(name);
}
