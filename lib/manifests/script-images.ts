import * as path from 'path';
import { localeOrder, walkTree } from './files';
import { TreeScript } from './render-scripts';
import { scriptCommandsOf } from './script-commands';

/** An image the tree builds: its repository (no tag) and how (`docker build -t app:1.0` at a script's line, or `app/Dockerfile`). */
export interface BuiltImage {
  readonly repository: string;
  readonly how: string;
}

/** What the tree tells of its own images: those it builds, and whether any step puts a built image where a node finds it. */
export interface TreeImages {
  readonly built: readonly BuiltImage[];
  /** The first step that side-loads or pushes an image (`kind load docker-image`, `docker push`), or a dev tool's file that does (skaffold.yaml, Tiltfile). */
  readonly delivered?: string;
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
  /\bkind\s+load\b|\bk3d\s+image\s+import\b|\bminikube\b[^\n;&|)]*?\s(?:image\s+(?:load|build)|docker-env|podman-env|cache\s+add)\b|\bnerdctl\b[^\n;&|]*?(?:--namespace[= ]|-n\s*)k8s\.io\b[^\n;&|]*\sbuild\b|\b(docker|podman|nerdctl|buildah)\s+push\b|\bctr\b.*\bimport\b|\bcrane\s+push\b|\bskopeo\s+copy\b|\s--push\b|\bmicrok8s\s+ctr\b/;

/** Dev tools whose file builds and loads or pushes the images itself. */
const DEV_TOOL_FILES = new Set(['skaffold.yaml', 'Tiltfile', 'devspace.yaml', 'garden.yml']);

/** Folders left out of the walk for Dockerfiles: tools' and dependencies' own. */
const SKIPPED = new Set(['node_modules', '.git', 'vendor', '.venv', 'venv']);

/** A bound on the walk for Dockerfiles in a huge tree. */
const MAX_ENTRIES = 20000;

/** An image reference with no registry host: its first part has no `.` or `:` and is not `localhost` (distribution/reference normalize.go splitDockerDomain). */
export function noRegistry(ref: string): boolean {
  const first = ref.split('/')[0];
  return !ref.includes('/') || (!/[.:]/.test(first) && first !== 'localhost');
}

/** The tree's build of an image named with no registry (a local build: a `docker build -t NAME`, a folder NAME with a Dockerfile), if any. */
export function localBuildOf(ref: string, built: readonly BuiltImage[]): BuiltImage | undefined {
  return noRegistry(ref) ? built.find((b) => b.repository === imageRepository(ref)) : undefined;
}

/** The repository of an image reference: without its digest and tag. */
export function imageRepository(ref: string): string {
  const noDigest = ref.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** The `-t`/`--tag` values of an image build command (`docker build -t app:1.0 .`, `docker buildx build --tag=app .`). */
function buildTags(tokens: readonly string[]): string[] {
  const at = tokens.findIndex((t) => BUILDERS.has(path.basename(t)));
  if (at < 0) return [];
  const rest = tokens.slice(at + 1);
  const sub = rest[0] === 'buildx' || rest[0] === 'image' ? rest[1] : rest[0];
  // `docker tag SOURCE TARGET` names a local image TARGET (docker image tag): made here, in no registry until pushed
  if (sub === 'tag') {
    const names = rest.slice(rest[0] === 'image' ? 2 : 1).filter((t) => !t.startsWith('-'));
    return names.length === 2 ? [names[1]] : [];
  }
  if (sub !== 'build' && sub !== 'bud') return [];
  return rest.flatMap((t, i) => {
    const eq = /^(?:-t|--tag)=(.+)$/.exec(t);
    if (eq) return [eq[1]];
    return (t === '-t' || t === '--tag') && rest[i + 1] ? [rest[i + 1]] : [];
  });
}

/** A Dockerfile or Containerfile, or one suffixed with the image's name (`Dockerfile.api`). */
const DOCKERFILE = /^(Dockerfile|Containerfile)(\..+)?$/;

/** The Dockerfiles and Containerfiles below the root, relative to it, and the first dev tool's file that loads images. */
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
 * The images a tree builds (a `docker|podman|nerdctl build -t NAME`, `buildah bud -t NAME`, `docker tag SOURCE NAME` in a script, Makefile or
 * README; a folder NAME holding a Dockerfile or Containerfile; a `Dockerfile.NAME`), and the first step that delivers
 * a built image to the nodes or a registry.
 */
export function treeImages(root: string, scripts: readonly TreeScript[]): TreeImages {
  const built: BuiltImage[] = [];
  let delivered: string | undefined;
  for (const t of scripts) {
    for (const c of scriptCommandsOf(t)) {
      for (const tag of buildTags(c.tokens)) built.push({ repository: imageRepository(tag), how: `\`${c.text}\` (${t.script}:${c.line})` });
      if (!delivered && DELIVERS.test(c.text)) delivered = `\`${c.text}\` (${t.script}:${c.line})`;
    }
  }
  const { dockerfiles, devTool } = buildFiles(root);
  for (const f of dockerfiles) {
    const dir = path.posix.dirname(f);
    const suffix = /^(?:Dockerfile|Containerfile)\.(.+)$/.exec(path.posix.basename(f))?.[1];
    const name = suffix ?? (dir === '.' ? undefined : path.posix.basename(dir));
    if (name) built.push({ repository: name, how: f });
  }
  return { built, delivered: delivered ?? devTool };
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
  };
}
