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

/** Whether a command of the hook asks the container's own server: the Ollama client in the Ollama server's container, or curl/wget to a local address at one of its ports. */
function callsOwnServer(words: readonly string[], container: Loose): boolean {
  if (words[0] === 'ollama') return runsOllamaServer(container) && OLLAMA_CLIENT.has(words[1] ?? '');
  if (!HTTP_CLIENTS.has(words[0])) return false;
  const ports = ownPorts(container);
  return words.some((w) => namesLocalHost(w) && localAddressPorts(w).some((p) => p !== undefined && ports.includes(p)));
}

/** A command of a script as written, without the keyword that leads into it (`do`, `then`, `!`). */
const shownCall = (text: string) => text.trim().replace(/^((do|then|else|while|until|if|!|time)\s+)+/, '');

/** How a postStart hook calls the container's own server before that server is known to listen. */
export interface EarlyServerCall {
  /** The command as written. */
  readonly call: string;
  /** `fails`: run once, its failure fails the hook; `retries`: repeated by a while/until loop with no bound. */
  readonly how: 'fails' | 'retries';
}

/**
 * A postStart exec hook that calls the container's own server with nothing before it that waits (a loop polling it, a
 * sleep): the kubelet runs the hook right after it starts the container, beside the entrypoint and in no order with it
 * (Kubernetes docs, "Container Lifecycle Hooks"). `fails` where the call's exit status is the hook's (the last command
 * of the script, or joined to the end by `&&`, or under `set -e`), `retries` where a while/until loop repeats it with no
 * counter; undefined otherwise (a bounded loop, a call whose failure the script ignores, a hook sent to the background).
 */
export function earlyServerCall(container: Loose): EarlyServerCall | undefined {
  const { command, at, script } = postStartScript(container);
  if (!script) return undefined;
  const commands = at === undefined ? [{ words: command, end: 'end' as const, depth: 0, text: script }] : scriptCommands(script);
  const i = commands.findIndex((c) => callsOwnServer(c.words, container));
  if (i < 0 || commands.some((c) => c.end === '&')) return undefined;
  const before = commands.slice(0, i);
  if (before.some((c) => c.depth > 0 || c.words[0] === 'sleep')) return undefined;
  const call = commands[i];
  // a loop that polls the server before the calls after it waits for it (postStartWaitsForServer for curl and wget)
  const waits = postStartWaitsForServer(container) || commands.slice(i + 1).some((c) => c.depth === 0 && callsOwnServer(c.words, container));
  if (call.depth > 0 && waits) return undefined;
  if (call.depth > 0 && /(^|[\s;])(while|until)\s/.test(script))
    return /-(lt|le|gt|ge|eq|ne)\b|\bseq\b|\{\d+\.\.\d+\}|\$\(\(/.test(script) ? undefined : { call: shownCall(call.text), how: 'retries' };
  const after = commands.slice(i);
  const setE = before.some((c) => c.words[0] === 'set' && c.words.some((w) => /^-[a-z]*e/.test(w)));
  const decides = after.slice(0, -1).every((c) => c.end === '&&') && after[after.length - 1].end !== '||';
  return (setE && call.end !== '||') || decides ? { call: shownCall(call.text), how: 'fails' } : undefined;
}
