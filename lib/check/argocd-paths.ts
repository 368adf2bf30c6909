import * as path from 'path';
import { mapping, mappings, text } from '../manifests/access';
import type { UnreadFile } from '../manifests/loaded';
import { DirectorySelection, directorySelection, selects } from './argocd/directory-source';
import { GraphObject, ObjectGraph } from './graph';

const slash = (p: string) => p.split('\\').join('/').replace(/^\.\//, '');

/** Whether a folder of the checked input is the repository folder a path names (by its trailing segments). */
function samePlace(folder: string, repoPath: string): boolean {
  const f = slash(folder).replace(/\/+$/, '');
  return f === repoPath || f.endsWith(`/${repoPath}`) || (repoPath.includes('/') && repoPath.endsWith(`/${f}`) && f.includes('/'));
}

/** Where a non-kustomize object's file lies relative to each folder of its path that is the repository path. */
export function relativePaths(file: string, repoPath: string): string[] {
  const parts = slash(file).split('/');
  return parts.slice(0, -1).flatMap((_, i) => (samePlace(parts.slice(0, i + 1).join('/'), repoPath) ? [parts.slice(i + 1).join('/')] : []));
}

/**
 * The objects an Application's path delivers: those a kustomization at that path built, else (for folders without
 * a kustomization) those read from files below it, narrowed to what a directory source reads when its settings are
 * given (reposerver findManifests: the folder's own files unless `recurse`, `include`/`exclude` globs).
 */
export function objectsAt(graph: ObjectGraph, repoPath: string, selection?: DirectorySelection): GraphObject[] {
  return graph.once(`argocd-path:${repoPath}:${JSON.stringify(selection ?? null)}`, () =>
    graph.objects.filter((o) => {
      if (o.kustomizations?.length) return o.kustomizations.some((k) => samePlace(k, repoPath));
      const rel = o.file ? relativePaths(o.file, repoPath) : [];
      return selection ? rel.some((r) => selects(selection, r)) : rel.length > 0;
    }),
  );
}

/**
 * The files below a repository path that a directory source reads but that gave no object (Jsonnet, .json that is no
 * manifest), with their path relative to it, narrowed by the directory settings when given.
 */
export function unreadAt(graph: ObjectGraph, repoPath: string, selection?: DirectorySelection): { unread: UnreadFile; relPath: string }[] {
  return graph.unread.flatMap((unread) => {
    const rel = relativePaths(unread.file, repoPath).find((r) => !selection || selects(selection, r));
    return rel === undefined ? [] : [{ unread, relPath: rel }];
  });
}

/** Whether the folder a path names is a Helm chart of the checked input (holds a Chart.yaml). */
export function chartAt(graph: ObjectGraph, repoPath: string): boolean {
  return graph.charts.some((c) => samePlace(c, repoPath));
}

/** Whether a kustomization of the checked input sits in the folder a path names. */
export function kustomizationAt(graph: ObjectGraph, repoPath: string): boolean {
  return graph.objects.some((o) => o.kustomizations?.some((k) => samePlace(k, repoPath)));
}

/** Whether a folder of the checked input is the one a path names, whether or not objects were read from it. */
export function folderExists(graph: ObjectGraph, repoPath: string): boolean {
  return (graph.folders ?? []).some((f) => samePlace(f, repoPath));
}

/** A repository URL as Argo CD compares them: no scheme, user, `.git` suffix, trailing slash or case (util/git NormalizeGitURL). */
function sameRepository(a: string, b: string): boolean {
  const norm = (u: string) =>
    u
      .trim()
      .toLowerCase()
      .replace(/^[a-z+]+:\/\//, '')
      .replace(/^[^@/]*@/, '')
      .replace(':', '/')
      .replace(/\/+$/, '')
      .replace(/\.git$/, '');
  return norm(a) === norm(b);
}

/** A source path as Argo CD joins it to the repository root: `./x/` is `x`, an empty or `./` path is the root `.`. */
const normalPath = (p: string) => path.posix.normalize(slash(p)).replace(/\/+$/, '') || '.';

/** The repository URL, path and directory settings (undefined for another source type) of each source of an Application. */
function sourcesOf(app: GraphObject): { repoURL?: string; path: string; selection?: DirectorySelection; directorySet: boolean }[] {
  const spec = mapping(app.manifest.spec);
  return [mapping(spec.source), ...mappings(spec.sources)]
    .filter((s) => text(s.path))
    .map((s) => ({
      repoURL: text(s.repoURL),
      path: normalPath(text(s.path)!),
      selection: directorySelection(s),
      directorySet: s.directory !== undefined && s.directory !== null,
    }));
}

/**
 * The folder of the checked input that is the root of an Application's repository, when the input shows it: Argo CD
 * resolves source.path from the repository root (reposerver GenerateManifests, appPath = repoRoot + path), so once a
 * top folder of the input holds, right below it, the first folder of a path of two folders or more of an Application
 * of that repository (and no path starts with the top's own name), the input is the repository and every path of that
 * repository is judged there exactly (not by its trailing folders). Undefined when the input may be a part of the
 * repository (a subfolder checked alone).
 */
export function repositoryRoot(graph: ObjectGraph, repoURL: string | undefined): string | undefined {
  if (!repoURL || !graph.folders?.length) return undefined;
  return graph.once(`argocd-root:${repoURL}`, () => {
    const folders = new Set(graph.folders!.map((f) => path.posix.normalize(slash(f)).replace(/\/+$/, '')));
    const tops = [...folders].filter((f) => ![...folders].some((g) => g !== f && f.startsWith(`${g}/`)));
    const paths = graph
      .ofKind('Application')
      .flatMap(sourcesOf)
      .filter((s) => s.repoURL && sameRepository(s.repoURL, repoURL))
      .map((s) => path.posix.normalize(s.path).split('/'))
      .filter((parts) => parts[0] && parts[0] !== '.' && parts[0] !== '..');
    // a path of two folders or more whose first is right below the top; a one-folder path could be any folder's child
    const shows = (top: string) => paths.some((parts) => parts.length > 1 && folders.has(`${top}/${parts[0]}`));
    // a path that starts with the top's own name tells that the top is that folder of the repository, not its root
    const within = (top: string) => paths.some((parts) => parts[0] === path.posix.basename(top) && !folders.has(`${top}/${parts[0]}`));
    return tops.find((top) => shows(top) && !within(top));
  });
}

/** Whether a path of an Application's repository is a folder of the input, judged at the repository's root when known. */
export function pathMissingAtRoot(graph: ObjectGraph, root: string, repoPath: string): boolean {
  const target = path.posix.join(root, repoPath);
  return !(graph.folders ?? []).some((f) => path.posix.normalize(slash(f)).replace(/\/+$/, '') === target);
}

/** The one top folder of the checked input, when there is one: the repository root a path `.` names. */
function singleTop(graph: ObjectGraph): string | undefined {
  const folders = (graph.folders ?? []).map((f) => path.posix.normalize(slash(f)).replace(/\/+$/, ''));
  const tops = [...new Set(folders.filter((f) => !folders.some((g) => g !== f && f.startsWith(`${g}/`))))];
  return tops.length === 1 ? tops[0] : undefined;
}

/** A source of an Application, placed in the checked input, with the objects it delivers. */
export interface PlacedSource {
  readonly path: string;
  /** The input folder of the repository's root, when the input shows it. */
  readonly root?: string;
  /** The input folder the path names (the root for `.`); undefined when the input does not show it. */
  readonly place?: string;
  /** The directory settings, for a directory source. */
  readonly selection?: DirectorySelection;
  /** Whether the source sets `directory` itself, which makes it a directory source whatever its folder holds. */
  readonly directorySet: boolean;
  readonly objects: readonly GraphObject[];
  /** The files of a directory source that it reads but that gave no object here (none for other sources). */
  readonly unread: readonly { readonly unread: UnreadFile; readonly relPath: string }[];
}

/** The sources of an Application with their repository's root folder, when the input shows it, and what each delivers. */
export function placedSources(graph: ObjectGraph, app: GraphObject): PlacedSource[] {
  return sourcesOf(app).map((s) => {
    const root = repositoryRoot(graph, s.repoURL);
    const place = s.path === '.' ? (root ?? singleTop(graph)) : s.path;
    // a folder with a Chart.yaml is a Helm source (reposerver/repository discovery AppType), not a directory one
    const selection = place !== undefined && chartAt(graph, place) ? undefined : s.selection;
    return {
      path: s.path,
      root,
      place,
      selection,
      directorySet: s.directorySet,
      objects: place === undefined ? [] : objectsAt(graph, place, selection),
      unread: place === undefined || !selection ? [] : unreadAt(graph, place, selection),
    };
  });
}

/** Whether the checked input holds the part of the repository a path points into (else no verdict on it). */
export function inputCoversRepoOf(graph: ObjectGraph, repoPath: string): boolean {
  const top = repoPath.split('/')[0];
  return graph.objects.some((o) => !!o.file && slash(o.file).split('/').includes(top)) || (graph.folders ?? []).some((f) => slash(f).split('/').includes(top));
}
