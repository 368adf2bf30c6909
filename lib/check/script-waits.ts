import { scriptCommands, ScriptCommand } from './shell-commands';

/** An object a script waits for: one it polls with `oc|kubectl get` in an until/while loop, or `oc|kubectl wait`s for. */
export interface ScriptWait {
  /** The resource as written (`csv`, `deployment`, `deployment.apps`), lower case. */
  readonly resource: string;
  readonly name?: string;
  /** The label selector, when it names none. */
  readonly selector?: string;
  readonly namespace?: string;
  /** The command as written. */
  readonly command: string;
  /**
   * Whether the wait gives up: `oc wait` does after --timeout (30s by default; a negative one waits a week, taken for
   * none), a loop when it can exit, break or return.
   */
  readonly timed: boolean;
}

const CLIENTS = new Set(['oc', 'kubectl']);
/** The flags of `get` and `wait` that take a value (kubectl get/wait --help). */
const VALUED = new Set(['-n', '--namespace', '-l', '--selector', '-o', '--output', '--for', '--timeout', '--field-selector', '--context', '--kubeconfig']);
/** What ends a loop early. */
const LEAVERS = new Set(['exit', 'break', 'return']);

/** The flags with their values and the positional words of a client command after the client. */
function argumentsOf(words: readonly string[]): { flags: Map<string, string>; positional: string[] } {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const eq = w.indexOf('=');
    if (w.startsWith('-') && eq > 0) flags.set(w.slice(0, eq), w.slice(eq + 1));
    else if (VALUED.has(w)) flags.set(w, words[++i] ?? '');
    else if (w.startsWith('-')) flags.set(w, '');
    else positional.push(w);
  }
  return { flags, positional };
}

/** What a `get` or `wait` command names: its resource, name or selector, and namespace. */
function waitOf(words: readonly string[], command: string, timed: boolean): ScriptWait | undefined {
  const { flags, positional } = argumentsOf(words.slice(1));
  const [verb, target, second] = positional;
  if ((verb !== 'get' && verb !== 'wait') || !target) return undefined;
  const [resource, slashed] = target.toLowerCase().split('/');
  const name = slashed ?? second;
  const namespace = flags.get('-n') ?? flags.get('--namespace');
  const selector = flags.get('-l') ?? flags.get('--selector');
  return { resource, command, timed, ...(name ? { name } : {}), ...(selector ? { selector } : {}), ...(namespace ? { namespace } : {}) };
}

/** Whether a loop condition waits for something to exist: `until oc get …`, `while ! oc get …`. */
function waitsToExist(c: ScriptCommand): boolean {
  const head = /^(until|while)\s+(!\s+)?/.exec(c.text);
  return !!head && (head[1] === 'until') === !head[2];
}

/** The objects a script waits for. */
export function scriptWaits(script: string): ScriptWait[] {
  const commands = scriptCommands(script);
  const out: ScriptWait[] = [];
  commands.forEach((c, i) => {
    const [program] = c.words;
    if (CLIENTS.has(program) && c.words.includes('wait')) {
      const timeout = argumentsOf(c.words.slice(1)).flags.get('--timeout');
      const wait = waitOf(c.words, c.text, !timeout?.startsWith('-'));
      if (wait) out.push(wait);
      return;
    }
    const client = program === 'timeout' ? c.words.findIndex((w) => CLIENTS.has(w)) : CLIENTS.has(program) ? 0 : -1;
    if (client < 0 || !waitsToExist(c)) return;
    const after = commands.slice(i + 1);
    const end = after.findIndex((x) => x.depth < c.depth);
    const body = end < 0 ? after : after.slice(0, end);
    // `timeout N oc get` bounds one attempt, not the loop
    const timed = body.some((x) => LEAVERS.has(x.words[0]));
    const wait = waitOf(c.words.slice(client), c.text, timed);
    if (wait) out.push(wait);
  });
  return out;
}
