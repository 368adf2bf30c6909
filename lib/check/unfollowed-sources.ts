import * as fs from 'fs';
import * as path from 'path';
import { generatedFrom } from './application-sets';
import { inputFolderOf, placedSources, RepositoryRoot } from './argocd-paths';
import { Finding } from './rule';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';

/** The repository's root on disk, from a root known as a subfolder of a git work tree (`within` levels up). */
function rootOnDisk(root: RepositoryRoot): string {
  return path.resolve(root.folder, ...root.within.split('/').map(() => '..'));
}

/** Whether a path names a folder. */
function isFolder(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The paths of an Application's sources that name a folder of its repository's git work tree outside the checked input. */
function outsidePaths(graph: ObjectGraph, app: GraphObject): string[] {
  return placedSources(graph, app).flatMap((s) => {
    // only a root known from a clone of the repository (its remote is the source's repoURL): the rest of it is on disk
    if (!s.root?.whole || s.root.within === '.' || inputFolderOf(s.root, s.path) !== undefined) return [];
    return isFolder(path.join(rootOnDisk(s.root), s.path)) ? [s.path] : [];
  });
}

/**
 * One input-not-followed note per Application of the input whose source is a folder of this very repository outside
 * the checked folder (a subfolder of a clone checked alone): Argo CD syncs it, and nothing it deploys is read, so
 * nothing of it is checked; said as the notes on unexpanded ApplicationSets and unfetched charts are.
 */
export function unfollowedSourceNotes(graph: ObjectGraph): Finding[] {
  const apps = graph.ofKind('Application').filter((a) => !a.outside && String(a.manifest.apiVersion ?? '').startsWith('argoproj.io/'));
  return apps.flatMap((app) =>
    outsidePaths(graph, app).map((p) => ({
      rule: 'input-not-followed',
      severity: 'info' as const,
      object: graph.id(app),
      message:
        `${graph.id(app)}${generatedFrom(app) ? ` (made by ${generatedFrom(app)})` : ''} syncs the folder ${p} of this repository, which lies outside the checked folder: what it deploys is not read, so not checked; ` +
        `check the repository's root (or that folder) to check it`,
      ...(app.file !== undefined ? { file: app.file } : {}),
      ...(app.line !== undefined ? { line: app.line } : {}),
    })),
  );
}
