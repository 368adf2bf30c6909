import * as path from 'path';
import { ScriptCommand } from './script-commands';

/**
 * The commands that put an image into the container runtime a cluster's kubelet reads, each as its tool documents it:
 * - `kind load docker-image NAME… [--name C] [--nodes N]` and `kind load image-archive FILE…` (kind "Loading an Image
 *   Into Your Cluster"; pkg/cmd/kind/load: docker-image runs `docker save -o <tar> NAME` and loads the archive);
 * - `k3d image import IMAGE|ARCHIVE… [-c C] [-m MODE]` (k3d docs k3d_image_import: images from the Docker daemon, or
 *   tarballs);
 * - `minikube [-p P] image load IMAGE|ARCHIVE|-` (minikube docs "image load": an image of the local daemon, a file, or
 *   standard input with `-`) and `minikube cache add IMAGE`;
 * - `ctr [-n k8s.io] images|image|i import FILE|-` (containerd cmd/ctr/commands/images/import.go; only containerd's
 *   `k8s.io` namespace is the one the CRI plugin, and so the kubelet, reads: ctr's default namespace is `default`,
 *   CONTAINERD_NAMESPACE sets it), `k3s ctr …` (k3s-io/k3s pkg/ctr/main.go: its namespace defaults to k8s.io) and
 *   `microk8s ctr …` (canonical/microk8s default-args/ctr: `--namespace k8s.io`), also with sudo;
 * - `microk8s images import [FILE|-]` (canonical/microk8s scripts/wrappers/images.py: standard input by default);
 * - `nerdctl --namespace k8s.io load [-i FILE]` (nerdctl docs command-reference "nerdctl load": standard input by
 *   default; only in the k8s.io namespace does the kubelet see it).
 * An archive's or a stream's names are those a `docker save` or `podman save` of the same script wrote to it (docker
 * docs "docker image save": to standard output unless -o; a repository named without a tag saves every tag of it;
 * podman-save(1): a name without a registry is podman's localhost/<name>, without a tag its latest).
 */
export interface NodeLoad {
  /** Names loaded from the builder's engine, as written. */
  readonly names: readonly string[];
  /** Archives read (`kind load image-archive app.tar`), as written. */
  readonly archives: readonly string[];
  /** An archive read from standard input (`… | k3s ctr images import -`, `microk8s images import < app.tar` is an archive). */
  readonly stdin: boolean;
  /** The names are saved as `docker save` saves them (kind, k3d): a repository without a tag with each of its tags. */
  readonly docker?: true;
}

/** A file name of an image archive, as k3d and minikube tell an archive argument from an image name. */
const ARCHIVE = /\.(?:tar|tar\.gz|tgz)$/;

/** The words of a command after `from`, its options and their values skipped (`valued` take the next word unless joined with `=`), redirections apart. */
function operands(words: readonly string[], from: number, valued: ReadonlySet<string>): { words: string[]; input?: string } {
  const out: string[] = [];
  let input: string | undefined;
  for (let i = from; i < words.length; i++) {
    const w = words[i];
    if (w === '<') input = words[++i];
    else if (/^<[^<]/.test(w)) input = w.slice(1);
    else if (/^\d*>>?$/.test(w)) i++;
    else if (/^\d*>/.test(w)) continue;
    else if (valued.has(w)) i++;
    else if (w !== '-' && w.startsWith('-')) continue;
    else out.push(w);
  }
  return { words: out, ...(input !== undefined ? { input } : {}) };
}

/** The index of a program among a command's words, by its name without folder (`sudo /usr/local/bin/k3s ctr …`); -1 when absent. */
const programAt = (words: readonly string[], name: string) => words.findIndex((w) => w.replace(/^.*\//, '') === name);

/** Whether the words from `i` on are `…words`. */
const wordsAt = (words: readonly string[], i: number, ...expected: string[]) => i >= 0 && expected.every((w, j) => words[i + j] === w);

/** Options of the load commands that take a value (kind, k3d, minikube, ctr, nerdctl). */
const LOAD_VALUED = new Set([
  '--name',
  '-n',
  '--nodes',
  '-c',
  '--cluster',
  '-m',
  '--mode',
  '-p',
  '--profile',
  '--base-name',
  '--index-name',
  '--platform',
  '--snapshotter',
]);

/** The words an image name or archive is: those ending like an archive are archives, `-` standard input. */
function split(words: readonly string[], archivesOnly = false): NodeLoad {
  return {
    names: archivesOnly ? [] : words.filter((w) => w !== '-' && !ARCHIVE.test(w)),
    archives: words.filter((w) => w !== '-' && (archivesOnly || ARCHIVE.test(w))),
    stdin: words.includes('-'),
  };
}

/** The containerd namespace a ctr or nerdctl command works in: its -n/--namespace, else CONTAINERD_NAMESPACE set before it, else `fallback`. */
function namespaceOf(words: readonly string[], at: number, fallback: string): string {
  for (let i = at + 1; i < words.length; i++) {
    const joined = /^(?:-n|--namespace)=(.+)$/.exec(words[i])?.[1];
    if (joined) return joined;
    if (words[i] === '-n' || words[i] === '--namespace') return words[i + 1] ?? fallback;
  }
  const env = words.slice(0, at).find((w) => w.startsWith('CONTAINERD_NAMESPACE='));
  return env ? env.slice('CONTAINERD_NAMESPACE='.length) : fallback;
}

/** A ctr image import into the kubelet's namespace (plain ctr, k3s ctr, microk8s ctr): what it reads. */
function ctrImport(words: readonly string[]): NodeLoad | undefined {
  const ctr = words.findIndex((w) => /^(?:.*\/)?(?:ctr|microk8s\.ctr)$/.test(w));
  if (ctr < 0) return undefined;
  const wrapper = words[ctr - 1]?.replace(/^.*\//, '');
  const own = wrapper === 'k3s' || wrapper === 'microk8s' || words[ctr].endsWith('microk8s.ctr');
  if (namespaceOf(words, ctr, own ? 'k8s.io' : 'default') !== 'k8s.io') return undefined;
  const sub = words.findIndex((w, i) => i > ctr && /^(?:images|image|i)$/.test(w) && words[i + 1] === 'import');
  if (sub < 0) return undefined;
  const { words: rest, input } = operands(words, sub + 2, LOAD_VALUED);
  if (input !== undefined) return { names: [], archives: [input], stdin: false };
  return rest.length ? split(rest.slice(0, 1), rest[0] !== '-') : undefined;
}

/** What a stream tool reads: `file`, else standard input. */
const streamed = (file: string | undefined): NodeLoad =>
  file === undefined || file === '-' ? { names: [], archives: [], stdin: true } : { names: [], archives: [file], stdin: false };

/** A load through the stream tools that read standard input by default (microk8s images import, nerdctl load in k8s.io). */
function streamLoad(words: readonly string[]): NodeLoad | undefined {
  const microk8s = programAt(words, 'microk8s');
  if (wordsAt(words, microk8s + 1, 'images', 'import')) {
    const { words: rest, input } = operands(words, microk8s + 3, LOAD_VALUED);
    return streamed(input ?? rest[0]);
  }
  const nerdctl = programAt(words, 'nerdctl');
  const load = nerdctl < 0 ? -1 : words.indexOf('load', nerdctl);
  if (load < 0 || namespaceOf(words, nerdctl, 'default') !== 'k8s.io') return undefined;
  let file: string | undefined;
  for (let i = load + 1; i < words.length; i++) {
    if (words[i] === '-i' || words[i] === '--input') file = words[i + 1];
    else if (words[i].startsWith('--input=')) file = words[i].slice('--input='.length);
  }
  return streamed(file ?? operands(words, load + 1, new Set(['-i', '--input', '--platform'])).input);
}

/** What a command loads into the kubelet's container runtime, or undefined when it loads nothing (NodeLoad's list of commands). */
export function nodeLoadOf(words: readonly string[]): NodeLoad | undefined {
  const kind = programAt(words, 'kind');
  if (wordsAt(words, kind + 1, 'load', 'docker-image'))
    return { ...split(operands(words, kind + 3, LOAD_VALUED).words.filter((w) => w !== '-')), docker: true };
  if (wordsAt(words, kind + 1, 'load', 'image-archive')) return split(operands(words, kind + 3, LOAD_VALUED).words, true);
  const k3d = programAt(words, 'k3d');
  if (wordsAt(words, k3d + 1, 'image', 'import')) return { ...split(operands(words, k3d + 3, LOAD_VALUED).words.filter((w) => w !== '-')), docker: true };
  const minikube = programAt(words, 'minikube');
  // minikube takes its profile before or after the subcommand: `minikube -p dev image load app`
  const sub = minikube < 0 ? -1 : words.findIndex((w, i) => i > minikube && (w === 'image' || w === 'cache'));
  if (wordsAt(words, sub, 'image', 'load')) return split(operands(words, sub + 2, LOAD_VALUED).words);
  if (wordsAt(words, sub, 'cache', 'add')) return { names: operands(words, sub + 2, LOAD_VALUED).words, archives: [], stdin: false };
  return ctrImport(words) ?? streamLoad(words);
}

/** A name a save wrote: `every` where the save names a repository without a tag (docker save writes each of its tags). */
export interface SavedName {
  readonly name: string;
  readonly everyTag?: true;
}

/** The names a `docker|podman save` writes, and where: its -o/--output file, a `>` redirection, else standard output. */
function saveOf(words: readonly string[]): { names: SavedName[]; file?: string } | undefined {
  const docker = programAt(words, 'docker');
  const podman = programAt(words, 'podman');
  const at = docker >= 0 ? docker : podman;
  if (at < 0 || !(words[at + 1] === 'save' || wordsAt(words, at + 1, 'image', 'save'))) return undefined;
  const from = words[at + 1] === 'save' ? at + 2 : at + 3;
  let file: string | undefined;
  for (let i = from; i < words.length; i++) {
    const joined = /^(?:--output=|-o=?)(.+)$/.exec(words[i])?.[1] ?? /^1?>(.+)$/.exec(words[i])?.[1];
    if (joined) file = joined;
    else if (['-o', '--output', '>', '1>'].includes(words[i])) file = words[i + 1];
  }
  const names = operands(words, from, new Set(['-o', '--output', '--format', '--platform'])).words.map((n) => savedName(n, podman === at));
  return { names, ...(file !== undefined ? { file } : {}) };
}

/** A name as the save writes it: podman's localhost/ for a name without a registry and latest for one without a tag; docker's every tag. */
function savedName(name: string, podman: boolean): SavedName {
  const tagged = /:[^/]+$/.test(name) || name.includes('@');
  if (!podman) return tagged ? { name } : { name, everyTag: true };
  const local = /^[^/]+\.[^/]+\/|^[^/]+:\d+\/|^localhost\//.test(name) ? name : `localhost/${name}`;
  return { name: tagged ? local : `${local}:latest` };
}

/** One command's load with the names it puts on the nodes, where the script tells them; `unnamed` the archives and streams whose names it does not. */
export interface ResolvedLoad {
  readonly command: ScriptCommand;
  readonly names: readonly SavedName[];
  readonly unnamed: readonly string[];
}

/** The same archive path as written in two commands (`./app.tar` and `app.tar`). */
const sameFile = (a: string, b: string) => path.posix.normalize(a) === path.posix.normalize(b);

/**
 * The loads of a script's commands in order, an archive's or a stream's names read from the `docker|podman save` of the
 * script that wrote the archive, or piped into the load (`docker save app:1 | k3s ctr images import -`).
 */
export function scriptNodeLoads(commands: readonly ScriptCommand[]): ResolvedLoad[] {
  const archives: { file: string; names: SavedName[] }[] = [];
  const out: ResolvedLoad[] = [];
  commands.forEach((c, i) => {
    const save = saveOf(c.tokens);
    if (save?.file !== undefined) archives.unshift({ file: save.file, names: save.names });
    const load = nodeLoadOf(c.tokens);
    if (!load) return;
    const piped = i > 0 && commands[i - 1].separator === '|' ? saveOf(commands[i - 1].tokens) : undefined;
    const names: SavedName[] = load.names.map((name) => (load.docker ? savedName(name, false) : { name }));
    const unnamed: string[] = [];
    for (const file of load.archives) {
      const written = archives.find((a) => sameFile(a.file, file));
      if (written) names.push(...written.names);
      else unnamed.push(file);
    }
    if (load.stdin && piped && piped.file === undefined) names.push(...piped.names);
    else if (load.stdin) unnamed.push('-');
    out.push({ command: c, names, unnamed });
  });
  return out;
}
