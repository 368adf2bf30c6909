import * as fs from 'fs';
import * as path from 'path';
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
 * load it onto the nodes; a push, `--push` or a registry copy puts it in a registry; minikube's docker-env builds
 * into the node's own engine.
 */
const DELIVERS =
  /\bkind\s+load\b|\bk3d\s+image\s+import\b|\bminikube\s+(image\s+load|docker-env|cache\s+add)\b|\b(docker|podman|nerdctl|buildah)\s+push\b|\bctr\b.*\bimport\b|\bcrane\s+push\b|\bskopeo\s+copy\b|\s--push\b|\bmicrok8s\s+ctr\b/;

/** Dev tools whose file builds and loads or pushes the images itself. */
const DEV_TOOL_FILES = new Set(['skaffold.yaml', 'Tiltfile', 'devspace.yaml', 'garden.yml']);

/** Folders left out of the walk for Dockerfiles: tools' and dependencies' own. */
const SKIPPED = new Set(['node_modules', '.git', 'vendor', '.venv', 'venv']);

/** A bound on the walk for Dockerfiles in a huge tree. */
const MAX_ENTRIES = 20000;

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
  if (sub !== 'build' && sub !== 'bud') return [];
  return rest.flatMap((t, i) => {
    const eq = /^(?:-t|--tag)=(.+)$/.exec(t);
    if (eq) return [eq[1]];
    return (t === '-t' || t === '--tag') && rest[i + 1] ? [rest[i + 1]] : [];
  });
}

/** The Dockerfiles and Containerfiles below the root, relative to it, and the dev tools' files that load images. */
function buildFiles(root: string): { dockerfiles: string[]; devTool?: string } {
  const dockerfiles: string[] = [];
  let devTool: string | undefined;
  const pending = [''];
  let entries = 0;
  while (pending.length && entries < MAX_ENTRIES) {
    const rel = pending.shift() as string;
    let list: fs.Dirent[];
    try {
      list = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of list.sort((a, b) => a.name.localeCompare(b.name))) {
      entries++;
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && !SKIPPED.has(e.name)) pending.push(child);
      else if (e.isFile() && /^(Dockerfile|Containerfile)(\..+)?$/.test(e.name)) dockerfiles.push(child);
      else if (e.isFile() && DEV_TOOL_FILES.has(e.name)) devTool ??= child;
    }
  }
  return { dockerfiles, devTool };
}

/**
 * The images a tree builds (a `docker|podman|nerdctl build -t NAME`, `buildah bud -t NAME` in a script, Makefile or
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
