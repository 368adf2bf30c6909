import * as fs from 'fs';
import * as path from 'path';
import type { GitCheckout } from '../manifests/git-checkout';
import { localRemoteNames, workTreeRoot } from '../manifests/work-tree';
import { fillsTo, sameRepository, templatedRepository } from './argocd-paths';
import { ObjectGraph } from './graph';
import { holdsTemplate } from './template-syntax';

/**
 * Whether a checked folder's work tree is the repository of an Application's repoURL: a remote is that URL, or (no
 * remote being a URL) a local mirror's path names it; not a fork (argocd-path-not-in-input judges a copy), or the repoURL is a placeholder (`<ARGOCD_REPO_URL>`, `https://github.com/<org>/repo`) a remote can fill (fillsTo)
 * and the path starts in a folder at the work tree's root (a path of two folders or more: the tree's own layout).
 */
function isRepositoryOf(c: GitCheckout, root: string, repoURL: string, repoPath: string): boolean {
  if (!templatedRepository(repoURL)) return c.remotes.some((r) => sameRepository(r, repoURL)) || localRemoteNames(c, repoURL);
  const [first, ...rest] = repoPath.split('/');
  if (!rest.length || !first || first === '.' || first === '..') return false;
  if (c.remotes.length && !c.remotes.some((r) => fillsTo(repoURL, r))) return false;
  return !!fs.statSync(path.join(root, first), { throwIfNoEntry: false })?.isDirectory();
}

/**
 * Where a source path lies outside the checked folder but inside the git work tree around it (the folder is a
 * subfolder of a clone of the Application's repository), and the work tree has no such folder: Argo CD resolves the
 * path from the repository's root (reposerver GenerateManifests, appPath = repoRoot + path), which the clone holds
 * whole at its commit, so it fails the Application ("app path does not exist"). What the message says of the work
 * tree; undefined where the path is in the checked folder (judged there), is a folder of the work tree, or the work
 * tree is no clone of that repository.
 */
export function missingFromWorkTree(graph: ObjectGraph, repoURL: string | undefined, repoPath: string): string | undefined {
  if (!repoURL || holdsTemplate(repoPath) || path.posix.isAbsolute(repoPath)) return undefined;
  return graph.once(`argocd-work-tree-missing:${repoURL}:${repoPath}`, () => {
    for (const c of graph.checkouts) {
      if (c.within === '.') continue;
      const root = workTreeRoot(c);
      if (!isRepositoryOf(c, root, repoURL, repoPath)) continue;
      const within = path.posix.normalize(c.within);
      // a path into the checked folder is judged from the objects read there
      if (repoPath === within || repoPath.startsWith(`${within}/`)) return undefined;
      const folder = path.resolve(root, repoPath);
      if (folder !== root && !folder.startsWith(`${root}${path.sep}`)) return undefined;
      if (fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) return undefined;
      const remote = c.remotes[0] ? ` of a clone of ${c.remotes[0]}` : '';
      const near = nearFolders(graph, c, repoPath);
      const hint = near.length ? ` (the tree has ${near.join(', ')}: point the path there)` : '';
      return `the git work tree around the checked folder, its folder ${within}${remote}, has no folder ${repoPath}${hint}`;
    }
    return undefined;
  });
}

/** The checked folders, as paths of the repository, that end as a missing path ends (its last two folders): what it may have meant. */
function nearFolders(graph: ObjectGraph, c: GitCheckout, repoPath: string): string[] {
  const tail = repoPath.split('/').slice(-2).join('/');
  const base = path.resolve(c.folder);
  const found = (graph.folders ?? []).flatMap((f) => {
    const rel = path.relative(base, path.resolve(f)).split(path.sep).join('/');
    if (rel.startsWith('..')) return [];
    const repoFolder = path.posix.join(c.within, rel);
    return repoFolder === tail || repoFolder.endsWith(`/${tail}`) ? [repoFolder] : [];
  });
  return [...new Set(found)].sort().slice(0, 3);
}
