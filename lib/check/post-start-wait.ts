import { Loose, mapping, strings } from '../manifests/access';
import { shellScriptIndex } from './command-line';
import { scriptCommands } from './shell-commands';
import { localAddressPorts, namesLocalHost } from './loopback';

/**
 * A container's postStart exec hook: its command, the index of the script a shell runs (`sh -c <script>`), and that
 * script, or the command's words joined where no shell runs it.
 */
function postStartScript(container: Loose): { command: string[]; at: number | undefined; script: string } {
  const command = strings(mapping(mapping(mapping(container.lifecycle).postStart).exec).command);
  const at = shellScriptIndex(command);
  return { command, at, script: at === undefined ? command.join(' ') : command[at] };
}

/** Programs that ask a server for a page. */
const HTTP_CLIENTS = new Set(['curl', 'wget']);

/**
 * Whether a container's postStart hook holds it until its own server answers: an exec hook whose script polls a local
 * address with curl or wget inside a while/until/for loop, run in the foreground. The kubelet marks the container
 * Running only once postStart returns, and its probe workers skip a container that is not Running, so no probe runs
 * before the server answers (Kubernetes docs, "Container Lifecycle Hooks"; kubelet pkg/kubelet/prober/worker.go
 * doProbe returns early while the container status has no State.Running). A hook that does not wait changes nothing.
 */
export function postStartWaitsForServer(container: Loose): boolean {
  const { script } = postStartScript(container);
  if (!script || !/(^|[\s;])(while|until|for)\s/.test(script)) return false;
  const commands = scriptCommands(script);
  // a loop sent to the background (`… done &`, `( … ) &`) lets the hook return at once
  if (commands.some((c) => c.end === '&')) return false;
  return commands.some((c) => c.depth > 0 && HTTP_CLIENTS.has(c.words[0]) && c.words.some(namesLocalHost));
}

/** The Ollama client's subcommands that talk to the server (all but `serve`, `help` and the version flags). */
const OLLAMA_CLIENT = new Set(['run', 'pull', 'push', 'create', 'cp', 'rm', 'list', 'ls', 'ps', 'show', 'stop']);
/** Ollama's default listen port (envconfig OLLAMA_HOST: 127.0.0.1:11434). */
const OLLAMA_PORT = 11434;

/** Whether the container runs the Ollama server: an ollama image with no command, or a command that says `serve`. */
function runsOllamaServer(container: Loose): boolean {
  const image = (typeof container.image === 'string' ? container.image : '').split('@')[0].replace(/:[^/]*$/, '');
  const command = [...strings(container.command), ...strings(container.args)];
  return /(^|\/)ollama$/.test(image) && (!strings(container.command).length || command.some((w) => /(^|\s)serve(\s|$)/.test(w)));
}

/** The ports the container's own server listens on: its containerPorts, and Ollama's where it runs that server. */
function ownPorts(container: Loose): number[] {
  const declared = (Array.isArray(container.ports) ? container.ports : []).map((p) => Number(mapping(p).containerPort)).filter((n) => n > 0);
  return runsOllamaServer(container) ? [...declared, OLLAMA_PORT] : declared;
}

/** A container of the pod, in the order the kubelet starts them (init containers first, then containers in spec order). */
export interface PodContainer {
  readonly name: string;
  readonly container: Loose;
  readonly init: boolean;
}

/**
 * The server of the pod a command of the hook asks, and where it stands: `own` (the hooked container's), `earlier` (a
 * container started before it), `later` (one started after it). The pod's containers share one network namespace, so
 * localhost at a sibling's port reaches that sibling. Undefined where the command asks none.
 */
function serverCalled(words: readonly string[], container: Loose, pod: readonly PodContainer[]): ServerOrder | undefined {
  const siblings = pod.length ? pod : [{ name: '', container, init: false }];
  const self = siblings.findIndex((c) => c.container === container);
  const order = (i: number): ServerOrder => (i === self ? 'own' : i < self ? 'earlier' : 'later');
  if (words[0] === 'ollama') {
    if (!OLLAMA_CLIENT.has(words[1] ?? '')) return undefined;
    const at = runsOllamaServer(container) ? self : siblings.findIndex((c) => runsOllamaServer(c.container));
    return at < 0 ? undefined : order(at);
  }
  if (!HTTP_CLIENTS.has(words[0])) return undefined;
  const asked = words.filter(namesLocalHost).flatMap((w) => localAddressPorts(w));
  // the container's own server first: a port two containers declare is the hooked one's
  const at = [self, ...siblings.keys()].find((i) => i >= 0 && ownPorts(siblings[i].container).some((p) => asked.includes(p)));
  return at === undefined ? undefined : order(at);
}

/** Where the server a hook calls stands among the pod's containers (serverCalled). */
export type ServerOrder = 'own' | 'earlier' | 'later';

/** A command of a script as written, without the keyword that leads into it (`do`, `then`, `!`). */
const shownCall = (text: string) => text.trim().replace(/^((do|then|else|while|until|if|!|time)\s+)+/, '');

/** How a postStart hook calls the container's own server before that server is known to listen. */
export interface EarlyServerCall {
  /** The command as written. */
  readonly call: string;
  /** `fails`: run once, its failure fails the hook; `retries`: repeated by a while/until loop with no bound. */
  readonly how: 'fails' | 'retries';
  /** Whose server it calls: the container's own, or a container of the pod started before or after it. */
  readonly server: ServerOrder;
  /** The called container's name, where it is another container of the pod. */
  readonly sibling?: string;
}

/**
 * A postStart exec hook that calls the container's own server with nothing before it that waits (a loop polling it, a
 * sleep): the kubelet runs the hook right after it starts the container, beside the entrypoint and in no order with it
 * (Kubernetes docs, "Container Lifecycle Hooks"). `fails` where the call's exit status is the hook's (the last command
 * of the script, or joined to the end by `&&`, or under `set -e`), `retries` where a while/until loop repeats it with no
 * counter; undefined otherwise (a bounded loop, a call whose failure the script ignores, a hook sent to the background).
 */
export function earlyServerCall(container: Loose, pod: readonly PodContainer[] = []): EarlyServerCall | undefined {
  const { command, at, script } = postStartScript(container);
  if (!script) return undefined;
  const commands = at === undefined ? [{ words: command, end: 'end' as const, depth: 0, text: script }] : scriptCommands(script);
  const i = commands.findIndex((c) => serverCalled(c.words, container, pod) !== undefined);
  if (i < 0) return undefined;
  const server = serverCalled(commands[i].words, container, pod) as ServerOrder;
  const sibling = server === 'own' ? undefined : calledSibling(commands[i].words, container, pod);
  const how = howItFails(commands, i, container, pod, server);
  return how && { call: shownCall(commands[i].text), how, server, ...(sibling ? { sibling } : {}) };
}

/** The name of the other container of the pod a hook's call asks. */
function calledSibling(words: readonly string[], container: Loose, pod: readonly PodContainer[]): string | undefined {
  const others = pod.filter((c) => c.container !== container);
  return others.find((c) => serverCalled(words, c.container, [c]) === 'own')?.name;
}

/** Whether the hook's call `i` fails the hook (`fails`), repeats with no bound (`retries`), or neither (earlyServerCall). */
function howItFails(
  commands: ReturnType<typeof scriptCommands>,
  i: number,
  container: Loose,
  pod: readonly PodContainer[],
  server: ServerOrder,
): EarlyServerCall['how'] | undefined {
  const callsServer = (words: readonly string[]) => serverCalled(words, container, pod) !== undefined;
  if (commands.some((c) => c.end === '&')) return undefined;
  const { script } = postStartScript(container);
  const before = commands.slice(0, i);
  if (before.some((c) => c.depth > 0 || c.words[0] === 'sleep')) return undefined;
  const call = commands[i];
  // a loop that polls the server before the calls after it waits for it (postStartWaitsForServer for curl and wget)
  const waits = postStartWaitsForServer(container) || commands.slice(i + 1).some((c) => c.depth === 0 && callsServer(c.words));
  // polling a container that starts only once the hook returns waits for nothing
  if (call.depth > 0 && waits && server !== 'later') return undefined;
  if (call.depth > 0 && /(^|[\s;])(while|until)\s/.test(script))
    return /-(lt|le|gt|ge|eq|ne)\b|\bseq\b|\{\d+\.\.\d+\}|\$\(\(/.test(script) ? undefined : 'retries';
  const after = commands.slice(i);
  const setE = before.some((c) => c.words[0] === 'set' && c.words.some((w) => /^-[a-z]*e/.test(w)));
  const decides = after.slice(0, -1).every((c) => c.end === '&&') && after[after.length - 1].end !== '||';
  return (setE && call.end !== '||') || decides ? 'fails' : undefined;
}
