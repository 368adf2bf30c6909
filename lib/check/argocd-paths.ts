import * as fs from 'fs';
import * as path from 'path';
import { mapping, mappings, text } from '../manifests/access';
import { KUSTOMIZATION_FILES } from '../manifests/kustomization';
import { localRemoteNames, normalGitUrl, workTreeSourceFolder } from '../manifests/work-tree';
import { deliveryKey } from '../manifests/chart-deliveries';
import type { UnreadFile } from '../manifests/loaded';
import { DirectorySelection, directoryExplicit, directorySelection, selects } from './argocd/directory-source';
import { allGitGenerators } from './argocd/git-directories';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { holdsTemplate, unfilledPlaceholder } from './template-syntax';
import { perRun } from '../private/run-memo';

const slash = (p: string) => p.split('\\').join('/').replace(/^\.\//, '');

/** A folder as samePlace compares it: forward slashes, no leading `./`, no trailing slash. */
const normalFolder = (folder: string) => slash(folder).replace(/\/+$/, '');

/** Whether a folder of the checked input is the repository folder a path names (by its trailing segments). */
export function samePlace(folder: string, repoPath: string): boolean {
  return sameNormalPlace(normalFolder(folder), repoPath);
}

function sameNormalPlace(f: string, repoPath: string): boolean {
  return f === repoPath || f.endsWith(`/${repoPath}`) || (repoPath.includes('/') && repoPath.endsWith(`/${f}`) && f.includes('/'));
}

/** Where a non-kustomize object's file lies relative to each folder of its path that is the repository path. */
export function relativePaths(file: string, repoPath: string): string[] {
  const f = slash(file);
  // the current folder, checked as `.`, holds every relative file as named
  const own = repoPath === '.' && !path.posix.isAbsolute(f) && !f.startsWith('../') ? [f] : [];
  return [...own, ...folderPrefixes(f).flatMap((p) => (sameNormalPlace(p.folder, repoPath) ? [p.rest] : []))];
}

/**
 * Each folder of a file's path (`a`, `a/b` of `a/b/c.yaml`) as samePlace compares it, with the rest of the path below
 * it: once per check run and file, as every Application's path is compared with every file of the tree.
 */
function folderPrefixes(f: string): readonly { folder: string; rest: string }[] {
  return perRun('argocd-folder-prefixes', [f], () => {
    const parts = f.split('/');
    return parts.slice(0, -1).map((_, i) => ({ folder: normalFolder(parts.slice(0, i + 1).join('/')), rest: parts.slice(i + 1).join('/') }));
  });
}

/**
 * The objects an Application's path delivers: those a kustomization at that path built (the copy of an object several
 * roots build alike, kept once, names each of them), else (for folders without a kustomization) those read from files
 * below it, narrowed to what a directory source reads when its settings are given (reposerver findManifests: the
 * folder's own files unless `recurse`, `include`/`exclude` globs), files of kustomize folders below it included.
 */
export function objectsAt(graph: ObjectGraph, repoPath: string, selection?: DirectorySelection): GraphObject[] {
  return graph.once(`argocd-path:${repoPath}:${JSON.stringify(selection ?? null)}`, () =>
    graph.objects.filter((o) => {
      if (o.kustomizations?.some((k) => samePlace(k, repoPath))) return true;
      // a chart's objects are what the deliveries that render it apply (placedSources keeps each delivery's own)
      if (o.helmRendering) return samePlace(o.helmRendering.folder, repoPath);
      // a base two roots build alike is kept once, from the first root: the later ones (alsoBuiltBy) deliver it too
      if (o.alsoBuiltBy?.some((r) => samePlace(r, repoPath))) return true;
      // a directory source reads the files of the kustomize folders below it as written, without building them: the
      // object built from a file it selects is the one it applies (argocd-directory-on-tool-folder judges the rest)
      if (o.kustomizations?.length && !selection) return false;
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

/** Whether the chart folder a path names was rendered with the values of the Application (its objects are known). */
export function chartRenderedFor(graph: ObjectGraph, repoPath: string, app: GraphObject): boolean {
  const key = deliveryKey(app.manifest);
  return graph.objects.some((o) => o.helmRendering?.delivery === key && samePlace(o.helmRendering.folder, repoPath));
}

/** Whether a kustomization of the checked input sits in the folder a path names. */
export function kustomizationAt(graph: ObjectGraph, repoPath: string): boolean {
  return graph.objects.some((o) => o.kustomizations?.some((k) => samePlace(k, repoPath)));
}

/**
 * The tool Argo CD detects for a source that names no type, from the files of its folder (argo-cd util/app/discovery
 * Discover/AppType, called by reposerver/repository/repository.go GetAppSourceType when ApplicationSource.ExplicitType
 * is nil): the folder's files are walked in name order and each Chart.yaml or kustomization file (kustomization.yaml,
 * kustomization.yml, Kustomization) sets the type, so a kustomization beside a Chart.yaml wins (it sorts after it;
 * the reader sees such a folder as a chart and builds neither); undefined (Directory) when the folder holds neither. A source that sets `directory` (one Argo CD's normalisation keeps:
 * directoryExplicit) is a directory source whatever its folder holds (the caller sees that).
 */
export function toolAt(graph: ObjectGraph, repoPath: string): 'kustomize' | 'helm' | undefined {
  if (kustomizationFileAt(graph, repoPath)) return 'kustomize';
  return chartAt(graph, repoPath) ? 'helm' : undefined;
}

/** Whether the folder a path names holds a kustomization file, built here or not (read as written in graph.plain). */
function kustomizationFileAt(graph: ObjectGraph, repoPath: string): boolean {
  return graph.once(`argocd-kustomization-file:${repoPath}`, () => {
    const inFolder = (file: string | undefined) =>
      !!file && KUSTOMIZATION_FILES.includes(path.posix.basename(slash(file))) && samePlace(path.posix.dirname(slash(file)), repoPath);
    return (
      graph.plain.some((p) => inFolder(p.file)) || graph.builds.some((b) => !!b.folder && samePlace(b.folder, repoPath)) || kustomizationAt(graph, repoPath)
    );
  });
}

/** Whether a folder of the checked input is the one a path names, whether or not objects were read from it. */
export function folderExists(graph: ObjectGraph, repoPath: string): boolean {
  return (graph.folders ?? []).some((f) => samePlace(f, repoPath));
}

/** Whether two repository URLs name one repository, as Argo CD compares them (normalGitUrl). */
export function sameRepository(a: string, b: string): boolean {
  return normalGitUrl(a) === normalGitUrl(b);
}

/** A placeholder or template token of a repoURL: `<your-username>`, `{ X }`, `${X}`, `$X`, `$(X)`, `{{ x }}`. */
const URL_TOKEN = /<[^<>/]+>|\$\{[^}]*\}|\$\([^)]*\)|\$[A-Za-z_]\w*|\{\{.*?\}\}|\{[^{}]*\}/;

/**
 * Whether a repoURL holds a placeholder a reader fills by hand (`https://github.com/<your-username>/repo.git`) or a
 * template a renderer fills: the repository it will name is unknown, most often a fork of the checked tree.
 */
export function templatedRepository(repoURL: string | undefined): boolean {
  return !!repoURL && (holdsTemplate(repoURL) || unfilledPlaceholder(repoURL) !== undefined);
}

/** Whether a remote URL can be what a templated repoURL becomes once filled: its written parts agree, each token any text. */
export function fillsTo(templated: string, remote: string): boolean {
  const parts = normalGitUrl(templated).split(URL_TOKEN);
  const pattern = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+');
  return new RegExp(`^${pattern}$`).test(normalGitUrl(remote));
}

/** A source path as Argo CD joins it to the repository root: `./x/` is `x`, an empty or `./` path is the root `.`. */
export const normalPath = (p: string) => path.posix.normalize(slash(p)).replace(/\/+$/, '') || '.';

/** The repository URL, path and directory settings (undefined for another source type) of each source of an Application. */
function sourcesOf(app: GraphObject): { repoURL?: string; path: string; revision: string; selection?: DirectorySelection; directorySet: boolean }[] {
  return manifestSources(app.manifest);
}

/** The sources of an Application's manifest (sourcesOf's), for one no build delivers too. */
export function manifestSources(manifest: Record<string, unknown>): ReturnType<typeof sourcesOf> {
  const spec = mapping(manifest.spec);
  return [mapping(spec.source), ...mappings(spec.sources)]
    .filter((s) => text(s.path))
    .map((s) => ({
      repoURL: text(s.repoURL),
      path: normalPath(text(s.path)!),
      // Argo CD reads an empty targetRevision as HEAD (the default branch)
      revision: text(s.targetRevision) || 'HEAD',
      selection: directorySelection(s),
      directorySet: directoryExplicit(s),
    }));
}

/** A folder as the reader names it, '/'-separated and normalised: `./a/` is `a`, the current folder `.`. */
export const tidy = (f: string) => path.posix.normalize(slash(f)).replace(/\/+$/, '') || '.';

/**
 * The checked folders that are the root of a git work tree (they hold .git). A clone holds every folder of its commit,
 * so a path its repository lacks is missing there; any other folder may be a copy of a part of the repository.
 */
export function workTreeRoots(graph: ObjectGraph): { folder: string; remotes: readonly string[] }[] {
  return graph.checkouts.filter((c) => c.within === '.').map((c) => ({ folder: tidy(c.folder), remotes: c.remotes }));
}

/** Why a path missing from a root that is no git work tree may still be in the repository, for messages. */
export const LEFT_OUT_HEDGE = 'no git work tree of the repository is checked, so the folder may exist in the part of the repository left out';

/** A tidy input folder as messages name it. */
export const named = (folder: string) => (folder === '.' ? 'the checked folder' : folder);

/** Whether tidy folder `f` lies strictly below tidy folder `g` (`.`, the current folder, holds every relative path). */
function below(f: string, g: string): boolean {
  if (f === g) return false;
  if (g === '.') return !path.posix.isAbsolute(f) && f !== '..' && !f.startsWith('../');
  return f.startsWith(`${g}/`);
}

/** The top folders of the checked input (below no other), tidy. */
export function topFolders(graph: ObjectGraph): string[] {
  return graph.once('argocd-tops', () => {
    const folders = [...new Set((graph.folders ?? []).map(tidy))];
    return folders.filter((f) => !folders.some((g) => below(f, g)));
  });
}

/** Where the root of an Application's repository is, as the checked input shows it. */
export interface RepositoryRoot {
  /** The input folder (tidy) that is the repository's folder `within`. */
  readonly folder: string;
  /** That folder's path in the repository; `.` when the input folder is the repository's root. */
  readonly within: string;
  /** Where paths are read from and how that is known, for messages ("read from x, which holds .git"). */
  readonly reading: string;
  /**
   * Whether the input holds the whole repository there: a git work tree (a clone has every folder of its commit). A
   * root inferred from where the Applications' paths start may be a copy of a part of the repository.
   */
  readonly whole?: boolean;
}

/** The input folder a path of the repository names; undefined when the path lies outside the checked input. */
export function inputFolderOf(root: RepositoryRoot, repoPath: string): string | undefined {
  const p = path.posix.normalize(repoPath);
  if (p === '..' || p.startsWith('../')) return undefined;
  if (root.within === '.') return path.posix.join(root.folder, p);
  if (p === root.within) return root.folder;
  return p.startsWith(`${root.within}/`) ? path.posix.join(root.folder, p.slice(root.within.length + 1)) : undefined;
}

/**
 * The root a git work tree of the input gives: a checked folder whose repository has a remote that is the
 * Application's repoURL (the folder is at its place in that repository, root or not), else a checked folder that is
 * the root of a work tree with no remote (nothing says it is another repository). A work tree whose remotes all differ
 * from the repoURL may be a mirror or another repository: it says nothing.
 */
function checkoutRoot(graph: ObjectGraph, repoURL: string): RepositoryRoot | undefined {
  for (const c of graph.checkouts) {
    const remote = c.remotes.find((r) => sameRepository(r, repoURL));
    if (!remote) continue;
    const folder = tidy(c.folder);
    const reading =
      c.within === '.'
        ? `read from ${named(folder)}, the root of a git clone of ${remote}`
        : `read from the repository's root: ${named(folder)} is its folder ${c.within} in a git clone of ${remote}`;
    return { folder, within: c.within, reading, whole: true };
  }
  const delivered = outsideRoot(graph, repoURL);
  if (delivered) return delivered;
  const bare = workTreeRoots(graph).find((c) => !c.remotes.length);
  return bare && { folder: bare.folder, within: '.', reading: `read from ${named(bare.folder)}, which holds .git`, whole: true };
}

/**
 * The root of a git work tree of the input cloned from a local mirror (no URL remote) whose folder names the
 * repository (work-tree localRemoteNames): where an ApplicationSet's git generator lists that repository's folders,
 * as outside-delivery takes such a clone for the repository an outside Application names.
 */
export function mirrorCheckoutRoot(graph: ObjectGraph, repoURL: string): RepositoryRoot | undefined {
  const c = graph.checkouts.find((x) => localRemoteNames(x, repoURL));
  if (!c) return undefined;
  const folder = tidy(c.folder);
  const reading = `read from ${c.within === '.' ? named(folder) : `the repository's root: ${named(folder)} is its folder ${c.within}`} in a git clone of the local mirror ${c.remotes[0]}`;
  return { folder, within: c.within, reading, whole: true };
}

/**
 * The root an Application read outside the checked folder shows for its repository, where the checked folder's work
 * tree has no remote to tell it (outside-delivery.ts took the Application as the folder's delivery for its path).
 */
function outsideRoot(graph: ObjectGraph, repoURL: string): RepositoryRoot | undefined {
  for (const app of graph.ofKind('Application')) {
    const root = app.outside?.root;
    if (!root || !manifestSources(app.manifest).some((s) => s.repoURL && sameRepository(s.repoURL, repoURL))) continue;
    const folder = tidy(root.folder);
    return {
      folder,
      within: root.within,
      reading: `read from the repository's root: ${named(folder)} is its folder ${root.within} in a git work tree`,
      whole: true,
    };
  }
  return undefined;
}

/** The source paths of the input's Applications of a repository. */
function applicationPaths(graph: ObjectGraph, repoURL: string): string[] {
  return graph
    .ofKind('Application')
    .flatMap(sourcesOf)
    .filter((s) => s.repoURL && sameRepository(s.repoURL, repoURL))
    .map((s) => s.path);
}

/**
 * The include globs of the input's ApplicationSet git generators of a repository, directories and files, those nested
 * in matrix and merge generators included: paths from its root too.
 */
function generatorPaths(graph: ObjectGraph, repoURL: string): string[] {
  return graph
    .ofKind('ApplicationSet')
    .flatMap((set) => allGitGenerators(mapping(set.manifest.spec)))
    .filter((g) => typeof g.repoURL === 'string' && sameRepository(g.repoURL, repoURL))
    .flatMap((g) =>
      [...mappings(g.directories), ...mappings(g.files)].filter((d) => d.exclude !== true && typeof d.path === 'string').map((d) => d.path as string),
    );
}

/**
 * The folders of a repository the input shows, as paths from the repository's root, the way the repo server lists
 * them for a git directory generator (reposerver/repository/repository.go GetGitDirectories): every folder but the
 * root, none of those whose name starts with `.` nor any below them. A root known as a subfolder of a clone gives only
 * the folders below it.
 */
export function repositoryFolders(graph: ObjectGraph, root: RepositoryRoot): string[] {
  const out = new Set<string>();
  for (const [, repoPath] of repositoryInputFolders(graph, root)) {
    if (repoPath !== '.' && !repoPath.split('/').some((s) => s.startsWith('.'))) out.add(repoPath);
  }
  return [...out].sort();
}

/** Each input folder at or below a repository root the input shows, with its path in the repository (`.` for the root). */
export function repositoryInputFolders(graph: ObjectGraph, root: RepositoryRoot): [string, string][] {
  return (graph.folders ?? []).flatMap((folder) => {
    const f = tidy(folder);
    if (f !== root.folder && !below(f, root.folder)) return [];
    const rel = f === root.folder ? '.' : root.folder === '.' ? f : f.slice(root.folder.length + 1);
    return [[folder, path.posix.join(root.within, rel)] as [string, string]];
  });
}

/**
 * Whether an input folder can be the root of a repository as its Applications' paths show it: it holds, right below
 * it, the first folder of a path of two folders or more of that repository (a one-folder path could be any folder's
 * child), and no path starts with the folder's own name (which tells that it is that folder of the repository).
 */
function holdsPathsOf(graph: ObjectGraph, repoURL: string): (folder: string) => boolean {
  const folders = new Set(graph.folders!.map(tidy));
  const paths = [...applicationPaths(graph, repoURL), ...generatorPaths(graph, repoURL)]
    .map((p) => path.posix.normalize(p).split('/'))
    .filter((parts) => parts[0] && parts[0] !== '.' && parts[0] !== '..' && !/[*?[\\]/.test(parts[0]));
  const shows = (top: string) => paths.some((parts) => parts.length > 1 && folders.has(path.posix.join(top, parts[0])));
  const within = (top: string) => paths.some((parts) => parts[0] === path.basename(path.resolve(top)) && !folders.has(path.posix.join(top, parts[0])));
  return (top) => shows(top) && !within(top);
}

/**
 * The root of a repository whose repoURL is a placeholder or a template, taken as the checked tree's own (a fork of
 * it, as a README's "replace <your-username>" means): the root of a git work tree of the input, or a top folder, that
 * holds the first folder of its Applications' paths (holdsPathsOf). Never a work tree whose remotes the filled URL
 * cannot be, nor a subfolder of a clone: those are another repository, or a part of one.
 */
function templatedRoot(graph: ObjectGraph, repoURL: string, holds: (folder: string) => boolean): RepositoryRoot | undefined {
  const other = (folder: string) =>
    graph.checkouts.some((c) => tidy(c.folder) === folder && (c.within !== '.' || (c.remotes.length > 0 && !c.remotes.some((r) => fillsTo(repoURL, r)))));
  const clones = workTreeRoots(graph).map((c) => c.folder);
  const root = [...new Set([...clones, ...topFolders(graph)])].find((f) => holds(f) && !other(f));
  return root === undefined
    ? undefined
    : {
        folder: root,
        within: '.',
        reading: `read from ${named(root)}, which holds the path's first folder: repoURL '${repoURL}' is a placeholder, taken as this tree's repository`,
      };
}

/**
 * The root of an Application's repository, when the input shows it. Argo CD resolves source.path from the repository
 * root (reposerver GenerateManifests, appPath = repoRoot + path), so paths are judged there exactly once it is known:
 * from a git work tree of the input (checkoutRoot), else from a top folder of the input that holds its paths
 * (holdsPathsOf); a placeholder repoURL is this tree's where the tree holds its paths (templatedRoot). Undefined when
 * the input may be a part of the repository (a subfolder checked alone).
 */
export function repositoryRoot(graph: ObjectGraph, repoURL: string | undefined): RepositoryRoot | undefined {
  if (!repoURL || !graph.folders?.length) return undefined;
  return graph.once(`argocd-root:${repoURL}`, () => {
    const holds = holdsPathsOf(graph, repoURL);
    // a placeholder matches no remote, and a clone with none may as well be of another repository: its paths decide
    if (templatedRepository(repoURL)) return templatedRoot(graph, repoURL, holds);
    const git = checkoutRoot(graph, repoURL);
    if (git) return git;
    const top = topFolders(graph).find(holds);
    return top === undefined
      ? undefined
      : { folder: top, within: '.', reading: `read from ${named(top)}, which holds the repository's other Application paths` };
  });
}

/** Whether a path of an Application's repository names no folder of the input, judged at the repository's root; false outside the input. */
export function pathMissingAtRoot(graph: ObjectGraph, root: RepositoryRoot, repoPath: string): boolean {
  const target = inputFolderOf(root, repoPath);
  return target !== undefined && !(graph.folders ?? []).some((f) => tidy(f) === target);
}

/** The one top folder of the checked input, when there is one: the repository root a path `.` names. */
function singleTop(graph: ObjectGraph): string | undefined {
  const tops = topFolders(graph);
  return tops.length === 1 ? tops[0] : undefined;
}

/** A source of an Application, placed in the checked input, with the objects it delivers. */
export interface PlacedSource {
  readonly path: string;
  readonly repoURL?: string;
  /** The source's targetRevision, HEAD when unset. */
  readonly revision: string;
  /** The repository's root, when the input shows it. */
  readonly root?: RepositoryRoot;
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
    // an Application read outside the input syncs the checked folder by its path from the root the work tree shows
    const outside = app.outside && root ? inputFolderOf(root, s.path) : undefined;
    const found = s.path === '.' ? (root ? inputFolderOf(root, '.') : singleTop(graph)) : (outside ?? s.path);
    // matched by its trailing folders to several folders of the input, the path names none of them for sure
    const place = found !== undefined && !root && s.path !== '.' && matchedFolders(graph, found).size > 1 ? undefined : found;
    // a source without a type is built by the tool its folder's files name (toolAt); a chart folder is never read as
    // plain files, even with `directory` set (argocd-directory-on-tool-folder reports that source)
    const tool = place === undefined ? undefined : toolAt(graph, place);
    const selection = (tool && !s.directorySet) || (place !== undefined && chartAt(graph, place)) ? undefined : s.selection;
    return {
      path: s.path,
      ...(s.repoURL ? { repoURL: s.repoURL } : {}),
      revision: s.revision,
      root,
      place,
      selection,
      directorySet: s.directorySet,
      objects:
        place === undefined ? [] : objectsAt(graph, place, selection).filter((o) => !o.helmRendering || o.helmRendering.delivery === deliveryKey(app.manifest)),
      unread: place === undefined || !selection ? [] : unreadAt(graph, place, selection),
    };
  });
}

/** A file that marks a repository's top folder: the README its host shows on the repository's page. */
const README = /^readme(\.[a-z]+)?$/i;

/** The README a folder of the input holds, if any. */
function readmeOf(folder: string): string | undefined {
  try {
    return fs.readdirSync(folder).find((f) => README.test(f));
  } catch {
    return undefined;
  }
}

/**
 * The source paths of a repository's Applications that name a folder at its root as the input shows it, with their
 * revision and where they are written: those of the Applications delivered, and of those a kustomization of the tree
 * leaves out (a file of the same repository at the same commit, whose paths start at the same root).
 */
function resolvedPaths(graph: ObjectGraph, root: RepositoryRoot, repoURL: string): { where: string; path: string; revision: string }[] {
  return graph.once(`argocd-resolved-paths:${repoURL}`, () => {
    const left = graph.leftOut.filter((l) => mapping(l.manifest).kind === 'Application');
    const apps = [
      ...graph.ofKind('Application').map((a) => ({ where: graph.id(a), manifest: a.manifest })),
      ...left.map((l) => ({
        where: `the Application of ${l.file ? path.relative(root.folder, l.file) : 'a file'} (listed by no kustomization)`,
        manifest: mapping(l.manifest),
      })),
    ];
    return apps.flatMap(({ where, manifest }) =>
      manifestSources(manifest)
        .filter((s) => s.repoURL && sameRepository(s.repoURL, repoURL) && s.path !== '.' && !holdsTemplate(s.path))
        .filter((s) => !pathMissingAtRoot(graph, root, s.path))
        .map((s) => ({ where, path: s.path, revision: s.revision })),
    );
  });
}

/**
 * Whether a README names a folder of the repository: its path of two folders or more, or its last folder written as a
 * folder (`cert-manager/`, as a layout drawn in the README shows it). A copy of some folders of a repository keeps the README that names the
 * others.
 */
function readmeNamesFolder(file: string, repoPath: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  const escape = (v: string) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const last = repoPath.split('/').pop() ?? repoPath;
  // a one-folder path written alone is a word (a namespace of the same name): only `name/` names the folder
  const whole = repoPath.includes('/') ? `|${escape(repoPath)}(?![\\w.-])` : '';
  return new RegExp(`(^|[^\\w.-])(${escape(last)}/${whole})`).test(text);
}

/**
 * Why a root known without .git (a top folder holding the repository's other Application paths) is taken as the whole
 * repository at a source's revision, as an export of it (a downloaded archive) is: the folder holds a README, as a
 * repository's top folder does, another path of that repository at the same targetRevision names a folder there, and
 * the README does not name the missing folder (a layout it draws would show a folder the copy left out). A path
 * missing there is then missing from the repository at that revision. Undefined for a git work tree's root (whole
 * already), a placeholder repository's, a subfolder's, or where no other path at that revision resolves (the export
 * may be of another revision).
 */
export function exportedWhole(graph: ObjectGraph, s: PlacedSource): string | undefined {
  const root = s.root;
  if (!root || root.whole || root.within !== '.' || !s.repoURL || templatedRepository(s.repoURL)) return undefined;
  const readme = readmeOf(root.folder);
  if (!readme || readmeNamesFolder(path.join(root.folder, readme), s.path)) return undefined;
  const other = resolvedPaths(graph, root, s.repoURL).find((r) => r.revision === s.revision && r.path !== s.path);
  return other
    ? `${root.reading}, taken as the whole repository at revision '${s.revision}': it holds ${readme}, and path '${other.path}' of ${other.where} at that revision is a folder of it`
    : undefined;
}

/** Whether a source's path names no folder of the checked input (judged only where the input covers it). */
export function sourcePathMissing(graph: ObjectGraph, s: PlacedSource): boolean {
  // a path of another repository than the one the input shows is looked up in that repository's checkout
  if (otherRepository(graph, s.repoURL)) return false;
  if (inCheckedWorkTree(graph, s.repoURL, s.path)) return false;
  if (s.root !== undefined) return pathMissingAtRoot(graph, s.root, s.path);
  return s.path !== '.' && inputCoversRepoOf(graph, s.path) && objectsAt(graph, s.path).length === 0 && !folderExists(graph, s.path);
}

/**
 * Whether a source's path is a folder of the git work tree around a checked folder (its root or a subfolder of it
 * checked), where that work tree is the repoURL's repository, a fork or a mirror of it (workTreeSourceFolder): Argo CD
 * resolves the path from the repository's root (reposerver GenerateManifests, appPath = repoRoot + path), which the
 * work tree holds whole, so the folder is there. A placeholder repoURL names no work tree.
 */
export function inCheckedWorkTree(graph: ObjectGraph, repoURL: string | undefined, repoPath: string): boolean {
  if (!repoURL || templatedRepository(repoURL)) return false;
  return graph.once(`argocd-in-work-tree:${repoURL}:${repoPath}`, () => graph.checkouts.some((c) => workTreeSourceFolder(c, repoURL, repoPath) !== undefined));
}

/** The input folders a repository path matches by its trailing folders, as the objects placed there show them. */
function matchedFolders(graph: ObjectGraph, repoPath: string): Set<string> {
  const folders = new Set<string>();
  for (const o of objectsAt(graph, repoPath)) {
    if (o.kustomizations?.length) for (const k of o.kustomizations) if (samePlace(k, repoPath)) folders.add(tidy(k));
    const file = o.file ? slash(o.file) : undefined;
    if (!o.kustomizations?.length && file) for (const rel of relativePaths(file, repoPath)) folders.add(tidy(file.slice(0, file.length - rel.length)));
  }
  return folders;
}

/** Whether the checked input holds the part of the repository a path points into (else no verdict on it). */
export function inputCoversRepoOf(graph: ObjectGraph, repoPath: string): boolean {
  const top = repoPath.split('/')[0];
  const tops = topFolders(graph);
  // the path's first folder must be a checked folder or lie below one: a folder of that name above the checked
  // folder (a sibling of it holds the path) is outside the input
  const inside = (folder: string) =>
    !tops.length ||
    tops.some((t) => path.posix.basename(path.posix.resolve(t)) === top || (below(folder, t) && path.posix.relative(t, folder).split('/').includes(top)));
  return graph.objects.some((o) => !!o.file && inside(tidy(path.posix.dirname(slash(o.file))))) || (graph.folders ?? []).some((f) => inside(tidy(f)));
}

/**
 * Whether a repository URL is another repository than the one the input shows: the input's Applications name more
 * than one repository, no git work tree of the input is that one, it is no placeholder the tree holds the paths of
 * (templatedRoot), and none of the paths its Applications name is a
 * folder of the input. Its paths are then not judged (Argo CD looks them up in that repository's checkout).
 */
export function otherRepository(graph: ObjectGraph, repoURL: string | undefined): boolean {
  if (!repoURL) return false;
  // asked for each source of each Application: decided once per repository
  return graph.once(`argocd-other-repository:${repoURL}`, () => {
    const repositories: string[] = [];
    for (const a of graph.ofKind('Application'))
      for (const s of sourcesOf(a)) if (s.repoURL && !repositories.some((r) => sameRepository(r, s.repoURL!))) repositories.push(s.repoURL);
    if (repositories.length < 2) return false;
    // a placeholder repoURL whose paths start in the tree's folders is the tree's own repository, a fork to be named
    if (templatedRepository(repoURL)) return !repositoryRoot(graph, repoURL) && allPathsMissing(graph, repoURL);
    return !checkoutRoot(graph, repoURL) && allPathsMissing(graph, repoURL);
  });
}

/** Whether the input's Applications of a repository name paths (not `.`), none of them a folder of the input. */
function allPathsMissing(graph: ObjectGraph, repoURL: string): boolean {
  const paths = applicationPaths(graph, repoURL).filter((p) => p !== '.');
  return paths.length > 0 && paths.every((p) => !folderExists(graph, p) && objectsAt(graph, p).length === 0);
}
