import * as fs from 'fs';
import * as path from 'path';
import type { GitCheckout } from '../../manifests/git-checkout';
import { workTreeRoot } from '../../manifests/work-tree';
import { manifestSources, sameRepository } from '../argocd-paths';
import { ObjectGraph } from '../graph';
import { holdsTemplate } from '../template-syntax';

/**
 * A git work tree around a checked folder that is a fork or copy of an Application's repository rather than a clone of
 * it: no remote names the repository, yet the tree holds the folders of its other paths. Argo CD reads the path in the
 * repository (reposerver GenerateManifests resolves it from the root of a checkout of repoURL); a folder the copy lacks
 * while holding its siblings is likely missing there too.
 */

/** The fewest other paths of the repository the work tree must hold to be taken for a copy of it (one could be chance). */
const SIBLINGS_HELD = 2;

/** Whether a repository path is a folder of the work tree a checked folder lies in (resolved from the tree's root). */
function folderIn(c: GitCheckout, repoPath: string): boolean {
  const root = workTreeRoot(c);
  const folder = path.resolve(root, repoPath);
  return (folder === root || folder.startsWith(`${root}${path.sep}`)) && !!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory();
}

/** The paths the input's Applications (generated ones included) name in a repository, each once, without placeholders. */
function repositoryPaths(graph: ObjectGraph, repoURL: string): string[] {
  return graph.once(`argocd-copy-paths:${repoURL}`, () => [
    ...new Set(
      graph
        .ofKind('Application')
        .flatMap((a) => manifestSources(a.manifest))
        .filter((s) => s.repoURL && sameRepository(s.repoURL, repoURL) && s.path !== '.' && !holdsTemplate(s.path))
        .map((s) => s.path),
    ),
  ]);
}

/**
 * The git work trees around the checked folders that are no clone of the repository (no remote names it) but hold its
 * layout: at least SIBLINGS_HELD of the other paths the input's Applications name in it are folders there. A fork or a
 * copy of the repository, in which a path missing is likely missing in the repository too.
 */
export function copiesOf(graph: ObjectGraph, repoURL: string, repoPath: string): { checkout: GitCheckout; held: string[] }[] {
  return graph.checkouts
    .filter((c) => c.within !== '.' && !c.remotes.some((r) => sameRepository(r, repoURL)))
    .map((checkout) => ({ checkout, held: repositoryPaths(graph, repoURL).filter((p) => p !== repoPath && folderIn(checkout, p)) }))
    .filter((x) => x.held.length >= SIBLINGS_HELD && !folderIn(x.checkout, repoPath));
}
