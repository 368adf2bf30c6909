import { Loose, mapping, strings } from '../manifests/access';
import { shellScriptIndex } from './command-line';
import { scriptCommands } from './shell-commands';
import { namesLocalHost } from './loopback';

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
  const command = strings(mapping(mapping(mapping(container.lifecycle).postStart).exec).command);
  const at = shellScriptIndex(command);
  const script = at === undefined ? command.join(' ') : command[at];
  if (!script || !/(^|[\s;])(while|until|for)\s/.test(script)) return false;
  const commands = scriptCommands(script);
  // a loop sent to the background (`… done &`, `( … ) &`) lets the hook return at once
  if (commands.some((c) => c.end === '&')) return false;
  return commands.some((c) => c.depth > 0 && HTTP_CLIENTS.has(c.words[0]) && c.words.some(namesLocalHost));
}
