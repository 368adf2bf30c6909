import * as fs from 'fs';
import * as path from 'path';
import { localeOrder, walkTree } from './files';
import { DerivedImage } from '../private/image-lineage';
import { registryHostOf } from '../private/names';
import { expansions } from './render-scripts';
import { TreeScript, variablesOf } from './script-text';
import { ScriptCommand, scriptCommandsOf } from './script-commands';
import { scriptNodeLoads } from './image-loads';

/** An image the tree builds: its repository (no tag) and how (`docker build -t app:1.0` at a script's line, or `app/Dockerfile`). */
export interface BuiltImage {
  readonly repository: string;
  readonly how: string;
  /** The tag a build or retag gives it (`1.0` of `docker build -t app:1.0`); none for a folder's Dockerfile or a build with no tag. */
  readonly tag?: string;
}

/** What the tree tells of its own images: those it builds, and whether any step puts a built image where a node finds it. */
export interface TreeImages {
  readonly built: readonly BuiltImage[];
  /** The first step that side-loads or pushes an image (`kind load docker-image`, `docker push`), or a dev tool's file that does (skaffold.yaml, Tiltfile). */
  readonly delivered?: string;
  /** The images the tree tags from another or builds from a Dockerfile it holds, with the base each is made from. */
  readonly derived?: readonly DerivedImage[];
  /**
   * The names steps load onto the nodes (`kind load docker-image app:1.0`, `minikube image load app`, `k3d image
   * import app`, `minikube cache add app`), as written: a variable (`$IMAGE`) or an archive (`app.tar`) names no image here.
   */
  readonly loaded?: readonly LoadedImage[];
}

/** A name a step loads onto a cluster's nodes, and the step (`\`kind load docker-image app:1.0\` (deploy.sh:4)`). */
export interface LoadedImage {
  readonly name: string;
  readonly how: string;
  /** A repository loaded without a tag through `docker save` (kind, k3d, a saved archive): each of its tags. */
  readonly everyTag?: true;
  /** An archive or a stream whose images the script does not tell (`name` is the archive, or `-`): it may hold any. */
  readonly unnamed?: true;
}

/** The `-t`/`--tag` values among a command's words. */
function tagValues(words: readonly string[]): string[] {
  return words.flatMap((t, i) => {
    const eq = /^(?:-t|--tag)=(.+)$/.exec(t);
    if (eq) return [eq[1]];
    return (t === '-t' || t === '--tag') && words[i + 1] ? [words[i + 1]] : [];
  });
}

/** The tags of a build into the runtime the kubelet reads (`minikube image build -t NAME`, `nerdctl --namespace k8s.io build -t NAME`). */
function nodeBuildTags(tokens: readonly string[]): string[] {
  const at = (tool: string) => tokens.findIndex((t) => path.basename(t) === tool);
  const nerdctl = at('nerdctl');
  const minikubeBuild = at('minikube') >= 0 && tokens.some((t, i) => t === 'image' && tokens[i + 1] === 'build');
  const k8sNamespace = tokens.some((t, i) => /^(?:--namespace=|-n=?)k8s\.io$/.test(t) || (t === 'k8s.io' && /^(?:--namespace|-n)$/.test(tokens[i - 1] ?? '')));
  return minikubeBuild || (nerdctl >= 0 && k8sNamespace && tokens.includes('build')) ? tagValues(tokens) : [];
}

/** The image builders and their build subcommand (docker buildx build, podman build, buildah bud, nerdctl build). */
const BUILDERS = new Set(['docker', 'podman', 'nerdctl', 'buildah']);

/**
 * Steps that put a locally built image where the cluster's nodes find it: kind, k3d, minikube and the containerd CLIs
 * load it onto the nodes; a push, `--push` or a registry copy puts it in a registry; minikube's docker-env and
 * podman-env (`eval "$(minikube -p dev docker-env)"`) and `minikube image build` build into the node's own engine, and
 * nerdctl in containerd's k8s.io namespace (`nerdctl --namespace k8s.io build`) into the one the kubelet reads.
 */
const DELIVERS =
  /\bkind\s+load\b|\bk3d\s+image\s+import\b|\bminikube\b[^\n;&|)]*?\s(?:image\s+(?:load|build)|docker-env|podman-env|cache\s+add)\b|\bnerdctl\b[^\n;&|]*?(?:--namespace[= ]|-n\s*)k8s\.io\b[^\n;&|]*\s(?:build|load)\b|\b(docker|podman|nerdctl|buildah)\s+push\b|\bctr\b.*\bimport\b|\bcrane\s+push\b|\bskopeo\s+copy\b|\s--push\b|\bmicrok8s\s+(?:ctr|images\s+import)\b/;

/** Dev tools whose file builds and loads or pushes the images itself. */
const DEV_TOOL_FILES = new Set(['skaffold.yaml', 'Tiltfile', 'devspace.yaml', 'garden.yml']);

/** Folders left out of the walk for Dockerfiles: tools' and dependencies' own. */
const SKIPPED = new Set(['node_modules', '.git', 'vendor', '.venv', 'venv']);

/** A bound on the walk for Dockerfiles in a huge tree. */
const MAX_ENTRIES = 20000;

/** An image reference with no registry host (registryHostOf). */
export function noRegistry(ref: string): boolean {
  return registryHostOf(ref) === undefined;
}

/**
 * The tree's build of an image named with no registry (a local build: a `docker build -t NAME`, a folder NAME with a
 * Dockerfile), if any. It reads `images.built` only for such a name: the tree's images are walked lazily.
 */
export function localBuildOf(ref: string, images: Pick<TreeImages, 'built'>): BuiltImage | undefined {
  return noRegistry(ref) ? images.built.find((b) => b.repository === imageRepository(ref)) : undefined;
}

/** The repository of an image reference: without its digest and tag. */
export function imageRepository(ref: string): string {
  const noDigest = ref.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** An image reference's repository and its tag, if it has one (a digest is no tag). */
function imageName(ref: string): { repository: string; tag?: string } {
  const repository = imageRepository(ref);
  const tag = ref.split('@')[0].slice(repository.length + 1);
  return { repository, ...(tag ? { tag } : {}) };
}

/** The `-t`/`--tag` values of an image build command (`docker build -t app:1.0 .`, `docker buildx build --tag=app .`). */
function buildTags(tokens: readonly string[]): string[] {
  // `docker tag SOURCE TARGET` names a local image TARGET (docker image tag): made here, in no registry until pushed
  const tag = tagged(tokens);
  if (tag) return [tag.target];
  const rest = buildWords(tokens);
  if (!rest) return [];
  return rest.flatMap((t, i) => {
    const eq = /^(?:-t|--tag)=(.+)$/.exec(t);
    if (eq) return [eq[1]];
    return (t === '-t' || t === '--tag') && rest[i + 1] ? [rest[i + 1]] : [];
  });
}

/** A Dockerfile or Containerfile, or one suffixed with the image's name (`Dockerfile.api`). */
const DOCKERFILE = /^(Dockerfile|Containerfile)(\..+)?$/;

/** The words of an image build command after the builder's subcommand, or undefined when it is no build. */
function buildWords(tokens: readonly string[]): readonly string[] | undefined {
  const at = tokens.findIndex((t) => BUILDERS.has(path.basename(t)));
  if (at < 0) return undefined;
  const rest = tokens.slice(at + 1);
  const sub = rest[0] === 'buildx' || rest[0] === 'image' ? 1 : 0;
  return rest[sub] === 'build' || rest[sub] === 'bud' ? rest.slice(sub + 1) : undefined;
}

/** The options of docker build (and buildx, podman, buildah) that take a value: skipped when looking for the context. */
const VALUED_OPTIONS = new Set([
  '-t',
  '--tag',
  '-f',
  '--file',
  '--build-arg',
  '--target',
  '--platform',
  '--label',
  '--secret',
  '--ssh',
  '--cache-from',
  '--cache-to',
  '--network',
  '--progress',
  '--iidfile',
  '-o',
  '--output',
  '--builder',
  '--build-context',
]);

/** The Dockerfile (`-f`, else `Dockerfile` in the context) and context of a build's words, as written. */
function buildInputs(words: readonly string[]): { file?: string; context?: string } {
  let file: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const eq = /^(?:-f|--file)=(.+)$/.exec(w);
    if (eq) file = eq[1];
    else if (w === '-f' || w === '--file') file = words[++i];
    else if (VALUED_OPTIONS.has(w)) i++;
    else if (!w.startsWith('-')) positional.push(w);
  }
  return { ...(file ? { file } : {}), ...(positional.length ? { context: positional[positional.length - 1] } : {}) };
}

/** A path as written in a script with its leading variables (`$ROOT_DIR/`, `${K8S_DIR}/`) and `./` dropped: the part the tree shows. */
function shownPart(p: string): string {
  return p.replace(/^(\$\{?\w+\}?\/?|\.\/)+/, '').replace(/\/+$/, '');
}

/**
 * The Dockerfile of the tree a build reads: `-f` (or the context's Dockerfile) resolved against the script's folder or
 * the root, else the one Dockerfile whose path ends with the part of it the script shows.
 */
function dockerfileOf(words: readonly string[], script: string, dockerfiles: readonly string[]): string | undefined {
  const { file, context } = buildInputs(words);
  const written = file ?? (context === undefined ? undefined : `${context.replace(/\/+$/, '')}/Dockerfile`);
  if (written === undefined || /^\w+:\/\/|^-$/.test(written)) return undefined;
  const dir = path.posix.dirname(script);
  const direct = [path.posix.join(dir, written), path.posix.normalize(written)].find((f) => dockerfiles.includes(f));
  if (direct) return direct;
  const shown = shownPart(written);
  const ends = dockerfiles.filter((f) => f === shown || f.endsWith(`/${shown}`));
  return ends.length === 1 ? ends[0] : undefined;
}

/**
 * The base image of a Dockerfile's final stage (a stage named by FROM followed to the image it starts from, `ARG`
 * defaults filled in), whether a stage of that chain sets ENTRYPOINT or CMD, and the last absolute WORKDIR it sets
 * (the directory its processes start in; a relative or templated one is left unknown).
 */
export function dockerfileBase(text: string): { base: string; ownEntrypoint: boolean; workdir?: string } | undefined {
  const args = new Map<string, string>();
  const stages: { from: string; name?: string; entrypoint: boolean; workdir?: string | null }[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const arg = /^ARG\s+(\w+)=("?)([^"\s]*)\2\s*$/i.exec(line);
    if (arg && !stages.length) args.set(arg[1], arg[3]);
    const from = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?\s*$/i.exec(line);
    if (from)
      stages.push({ from: from[1].replace(/\$\{?(\w+)\}?/g, (_, n: string) => args.get(n) ?? `\${${n}}`), name: from[2]?.toLowerCase(), entrypoint: false });
    else if (/^(ENTRYPOINT|CMD)\s/i.test(line) && stages.length) stages[stages.length - 1].entrypoint = true;
    const workdir = /^WORKDIR\s+(\S+)\s*$/i.exec(line);
    // null: set, but not to a directory known here
    if (workdir && stages.length) stages[stages.length - 1].workdir = /^\/[^$]*$/.test(workdir[1]) ? workdir[1] : null;
  }
  let stage = stages[stages.length - 1];
  let ownEntrypoint = false;
  let workdir: string | null | undefined;
  for (let hops = 0; stage && hops < stages.length; hops++) {
    ownEntrypoint ||= stage.entrypoint;
    if (workdir === undefined) workdir = stage.workdir;
    const earlier = stages.find((s) => s.name !== undefined && s.name === stage.from.toLowerCase() && s !== stage);
    if (!earlier)
      return /\$\{?\w/.test(stage.from) ? undefined : { base: stage.from, ownEntrypoint, ...(workdir !== undefined ? { workdir: workdir ?? '' } : {}) };
    stage = earlier;
  }
  return undefined;
}

/** The source and target of an image tag command (`docker tag SRC DST`, `docker image tag`, `podman tag`). */
function tagged(tokens: readonly string[]): { source: string; target: string } | undefined {
  const at = tokens.findIndex((t) => BUILDERS.has(path.basename(t)));
  if (at < 0) return undefined;
  const rest = tokens.slice(at + 1);
  const words = (rest[0] === 'image' ? rest.slice(1) : rest).filter((w) => !w.startsWith('-'));
  return words[0] === 'tag' && words.length === 3 ? { source: words[1], target: words[2] } : undefined;
}

/** The images a script's command makes from another: a tag of an image, or a build of a Dockerfile the tree holds. */
function derivedBy(root: string, t: TreeScript, c: ScriptCommand, dockerfiles: readonly string[]): DerivedImage[] {
  const where = `\`${c.text}\` (${t.script}:${c.line})`;
  const tag = tagged(c.tokens);
  if (tag) return [{ image: tag.target, base: tag.source, how: `tagged from ${tag.source} by ${where}`, keepsEntrypoint: true }];
  const words = buildWords(c.tokens);
  const file = words ? dockerfileOf(words, t.script, dockerfiles) : undefined;
  if (!file) return [];
  let text: string;
  try {
    text = fs.readFileSync(path.join(root, file), 'utf8');
  } catch {
    return [];
  }
  const from = dockerfileBase(text);
  if (!from) return [];
  return buildTags(c.tokens).map((image) => ({
    image,
    base: from.base,
    how: `built from ${file} (FROM ${from.base}) by ${where}`,
    keepsEntrypoint: !from.ownEntrypoint,
    ...(from.workdir !== undefined ? { workdir: from.workdir } : {}),
  }));
}

/** The Dockerfiles and Containerfiles below the root, relative to it, and the dev tools' files that load images. */
function buildFiles(root: string): { dockerfiles: string[]; devTool?: string } {
  const found = walkTree(root, {
    skipFolder: (name) => SKIPPED.has(name),
    keep: (name) => DOCKERFILE.test(name) || DEV_TOOL_FILES.has(name),
    // the order a message's first Dockerfile of one name is picked in (test/script-images pins it)
    order: localeOrder,
    maxEntries: MAX_ENTRIES,
  });
  return { dockerfiles: found.filter((f) => DOCKERFILE.test(path.posix.basename(f))), devTool: found.find((f) => DEV_TOOL_FILES.has(path.posix.basename(f))) };
}

/**
 * The names the commands of a script load onto the nodes (scriptNodeLoads: an archive's or a stream's from the save
 * that wrote it), a variable the script sets read as its values (`IMAGE_NAME="app:cpu"` then `minikube image load
 * "$IMAGE_NAME"` loads app:cpu; one it does not set stays as written); an archive or stream whose images it does not
 * tell as unnamed.
 */
function loadsOf(t: TreeScript, nodeBuilds = false): LoadedImage[] {
  const commands = scriptCommandsOf(t);
  let vars: Map<string, string[]> | undefined;
  const values = (n: string) => (n.includes('$') ? expansions(n, (vars ??= variablesOf(t.text))) : [n]);
  const how = (c: ScriptCommand) => `\`${c.text}\` (${t.script}:${c.line})`;
  const out: LoadedImage[] = [];
  for (const { command, names, unnamed } of scriptNodeLoads(commands)) {
    for (const n of names) out.push(...values(n.name).map((name) => ({ name, how: how(command), ...(n.everyTag ? { everyTag: true as const } : {}) })));
    out.push(...unnamed.map((name) => ({ name, how: how(command), unnamed: true as const })));
  }
  // a build into the runtime the kubelet reads (`minikube image build -t app:latest .`) leaves the image on the node;
  // in the tree such a build is already one of its builds, delivered
  if (nodeBuilds)
    for (const c of commands)
      out.push(
        ...nodeBuildTags(c.tokens)
          .flatMap(values)
          .map((name) => ({ name, how: how(c) })),
      );
  return out;
}

/**
 * The names the scripts of the repository above a checked folder load onto the nodes (its READMEs, `scripts/`): a
 * load step there is the one that delivers the folder's image (`minikube image load app:cpu` in the repository's
 * README before `kubectl apply -f k8s/`), and the names a build into a node's runtime gives (`minikube image build -t
 * app:latest .`). Only named loads are taken: a push or load of some other image there says
 * nothing of the folder's.
 */
export function repositoryLoads(scripts: readonly TreeScript[]): LoadedImage[] {
  return scripts.flatMap((t) => loadsOf(t, true));
}

/**
 * The images a tree builds (a `docker|podman|nerdctl build -t NAME`, `buildah bud -t NAME`, `docker tag SOURCE NAME` in a script, Makefile or
 * README; a folder NAME holding a Dockerfile or Containerfile; a `Dockerfile.NAME`), and the first step that delivers
 * a built image to the nodes or a registry.
 */
export function treeImages(root: string, scripts: readonly TreeScript[]): TreeImages {
  const built: BuiltImage[] = [];
  const derived: DerivedImage[] = [];
  const loaded: LoadedImage[] = [];
  let delivered: string | undefined;
  const { dockerfiles, devTool } = buildFiles(root);
  for (const t of scripts) {
    for (const c of scriptCommandsOf(t)) {
      for (const tag of [...buildTags(c.tokens), ...nodeBuildTags(c.tokens)]) built.push({ ...imageName(tag), how: `\`${c.text}\` (${t.script}:${c.line})` });
      if (!delivered && DELIVERS.test(c.text)) delivered = `\`${c.text}\` (${t.script}:${c.line})`;
      derived.push(...derivedBy(root, t, c, dockerfiles));
    }
    loaded.push(...loadsOf(t));
  }
  for (const f of dockerfiles) {
    const dir = path.posix.dirname(f);
    const suffix = /^(?:Dockerfile|Containerfile)\.(.+)$/.exec(path.posix.basename(f))?.[1];
    const name = suffix ?? (dir === '.' ? undefined : path.posix.basename(dir));
    if (name) built.push({ repository: name, how: f });
  }
  return { built, delivered: delivered ?? devTool, ...(derived.length ? { derived } : {}), ...(loaded.length ? { loaded } : {}) };
}

/**
 * The images of a tree, found when a rule first reads them and kept for the rest of the run: the walk for Dockerfiles
 * runs only where some container names an image with no registry.
 */
export function lazyTreeImages(find: () => TreeImages): TreeImages {
  let found: TreeImages | undefined;
  const get = () => (found ??= find());
  return {
    get built() {
      return get().built;
    },
    get delivered() {
      return get().delivered;
    },
    // read as each check starts: a tag or build line may make an image of any name, with a registry or without
    get derived() {
      return get().derived;
    },
    get loaded() {
      return get().loaded;
    },
  };
}
