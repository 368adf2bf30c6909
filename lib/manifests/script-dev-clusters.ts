import { TreeScript } from './script-text';
import { invocationOf, scriptCommandsOf } from './script-commands';

/** A development cluster distribution whose clusters run on one machine. */
export type DevDistribution = 'minikube' | 'microk8s' | 'kind' | 'docker-desktop';

/** A command of a tree's script or README that drives a local development cluster. */
export interface DevClusterMark {
  readonly file: string;
  readonly line: number;
  readonly distribution: DevDistribution;
  /** The command as written, for a message. */
  readonly command: string;
  /** The command creates the cluster (`minikube start`, `kind create cluster`): the tree's objects land on it. */
  readonly creates: boolean;
  /** The command gives the cluster a second node (`minikube start --nodes 3`, `minikube node add`, `microk8s add-node`, `microk8s join`). */
  readonly addsNodes: boolean;
}

/** Subcommands that need no cluster and tell nothing of one. */
const CLIENT_ONLY = new Set(['version', 'help', 'completion', 'config', 'update-check']);

/** `minikube start --nodes N` / `-n N` with N over one (minikube docs, "Using Multi-Node Clusters"). */
function minikubeNodes(words: readonly string[]): number {
  for (let i = 0; i < words.length; i++) {
    const joined = /^(?:--nodes|-n)=(\d+)$/.exec(words[i]);
    if (joined) return Number(joined[1]);
    if ((words[i] === '--nodes' || words[i] === '-n') && /^\d+$/.test(words[i + 1] ?? '')) return Number(words[i + 1]);
  }
  return 1;
}

/** The mark one command makes, if it drives a development cluster. */
function markOf(words: readonly string[]): Omit<DevClusterMark, 'file' | 'line' | 'command'> | undefined {
  const { program, subcommand = '', at } = invocationOf(words);
  const rest = words.slice(at + 1);
  if (program === 'minikube' && /^[a-z][a-z-]*$/.test(subcommand) && !CLIENT_ONLY.has(subcommand))
    return {
      distribution: 'minikube',
      creates: subcommand === 'start',
      addsNodes: (subcommand === 'start' && minikubeNodes(rest) > 1) || (subcommand === 'node' && rest[1] === 'add'),
    };
  if (program === 'microk8s' && /^[a-z][a-z.-]*$/.test(subcommand) && !CLIENT_ONLY.has(subcommand))
    return { distribution: 'microk8s', creates: false, addsNodes: subcommand === 'add-node' || subcommand === 'join' };
  if (program === 'kind' && (subcommand === 'load' || (subcommand === 'create' && rest[1] === 'cluster')))
    return { distribution: 'kind', creates: subcommand === 'create', addsNodes: false };
  // Docker Desktop's cluster is reached by its context (`kubectl config use-context docker-desktop`, `--context docker-desktop`)
  if (
    (program === 'kubectl' || program === 'helm') &&
    rest.some((w) => w === 'docker-desktop' || w === '--context=docker-desktop' || w === '--kube-context=docker-desktop')
  )
    return { distribution: 'docker-desktop', creates: false, addsNodes: false };
  return undefined;
}

/** The commands of a tree's scripts and READMEs that drive minikube, MicroK8s, kind or Docker Desktop's cluster. */
export function devClusterMarks(scripts: readonly TreeScript[]): DevClusterMark[] {
  return scripts.flatMap((t) =>
    scriptCommandsOf(t).flatMap(({ line, tokens, text }) => {
      const mark = markOf(tokens);
      return mark ? [{ file: t.script, line, command: text, ...mark }] : [];
    }),
  );
}
