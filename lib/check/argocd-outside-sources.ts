import * as fs from 'fs';
import * as path from 'path';
import { isMapping, Loose, text } from '../manifests/access';
import { renderedSource } from '../manifests/read-manifests';
import { workTreeSourceFolder } from '../manifests/work-tree';
import { WorkTreeSource, workTreeSource, WorkTreeSourceFolder, workTreeSourceFolders } from '../manifests/work-tree-sources';
import { generatedFrom } from './application-sets';
import { directorySelection } from './argocd/directory-source';
import { manifestSources, templatedRepository } from './argocd-paths';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { checkoutWorkTree } from './work-trees';

/** A source of an Application whose path is a folder of the checked folder's git work tree outside the checked input. */
export interface OutsideSource {
  /** The source's path in the repository, as written. */
  readonly path: string;
  /** The objects Argo CD renders from it: the kustomization's build, or the folder's manifest files. */
  readonly objects: readonly GraphObject[];
}

/**
 * The folder a source names in one of the checked folders' work trees (workTreeSourceFolder), the root as the checked
 * folder is named; a repoURL with a placeholder names none.
 */
function sourceFolder(graph: ObjectGraph, repoURL: string | undefined, repoPath: string): string | undefined {
  if (!repoURL || templatedRepository(repoURL)) return undefined;
  for (const c of graph.checkouts.filter((k) => k.within !== '.')) {
    const folder = workTreeSourceFolder(c, repoURL, repoPath);
    if (folder) return folder;
  }
  return undefined;
}

/** Whether folder `f` is one of the checked folders or lies below one (the rules judge what is there from the input). */
function inInput(graph: ObjectGraph, f: string): boolean {
  return (graph.folders ?? []).some((g) => {
    const rel = path.relative(path.resolve(g), f);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
}

/** A source folder as Argo CD renders it (renderedSource), its objects as the graph holds them. */
interface Rendered {
  readonly objects: readonly GraphObject[];
  readonly complete: boolean;
}

/**
 * What Argo CD renders from a folder of a checked folder's work tree (renderedSource, with the options of the read that
 * made the work tree): rendered once per folder and `directory.recurse` in a check, when a rule first asks, and shared
 * by the rules that judge what an Application delivers from outside the checked input.
 */
function renderedFolder(graph: ObjectGraph, folder: string, recurse: boolean): Rendered {
  const real = fs.realpathSync(folder);
  return graph.once(`argocd-outside-source:${real}:${String(recurse)}`, () => {
    const tree = graph.checkouts
      .map((c) => checkoutWorkTree(graph, c))
      .find((t) => t !== undefined && (real === t.root || real.startsWith(`${t.root}${path.sep}`)));
    const rendering = renderedSource(folder, recurse, tree?.readOptions);
    const objects = rendering.manifests.flatMap((m) => (isMapping(m.manifest) ? [{ ...m, manifest: m.manifest }] : []));
    return { objects, complete: rendering.complete };
  });
}

/**
 * The source folders of the input's own Applications (not one an ApplicationSet generates, nor one read outside the
 * checked folders) that lie elsewhere in the checked folders' work trees (workTreeSourceFolders): found once per
 * check, not rendered.
 */
function inputSourceFolders(graph: ObjectGraph): WorkTreeSourceFolder[] {
  return graph.once('work-tree-source-folders', () => {
    const apps = graph.ofKind('Application').filter((a) => !a.outside && !generatedFrom(a));
    return graph.checkouts.flatMap((c) => workTreeSourceFolders(c, apps));
  });
}

/**
 * What a git source of an Application (its repoURL and path as written) delivers as far as namespaces are concerned,
 * where an Application of the input names that folder of the checked folders' work tree (inputSourceFolders):
 * rendered as Argo CD renders it for this source (renderedFolder), once per folder and recurse; a directory source
 * with include or exclude globs is not rendered (its selection is not ported here), so unknown. Undefined for any other
 * source.
 */
export function workTreeSourceOf(graph: ObjectGraph, source: Loose): WorkTreeSource | undefined {
  const s = inputSourceFolders(graph).find((w) => w.repoURL === text(source.repoURL) && w.path === text(source.path));
  if (!s) return undefined;
  const selection = directorySelection(source);
  if (selection?.include || selection?.exclude) return workTreeSource(s, { manifests: [], complete: false });
  const rendered = renderedFolder(graph, s.folder, selection?.recurse ?? false);
  return workTreeSource(s, { manifests: rendered.objects, complete: rendered.complete }, graph.ofKind('CustomResourceDefinition'));
}

/**
 * The sources of an Application of the input whose path is a folder of the checked folder's git work tree but outside
 * the checked input, rendered as Argo CD renders them: what the Application delivers there, which the input's own
 * objects do not show. Rendered once per folder and recurse (renderedFolder).
 */
export function outsideSources(graph: ObjectGraph, app: GraphObject): OutsideSource[] {
  if (app.outside) return [];
  return manifestSources(app.manifest).flatMap((s): OutsideSource[] => {
    if (s.path === '.' || s.path.startsWith('..') || s.selection?.include || s.selection?.exclude) return [];
    const folder = sourceFolder(graph, s.repoURL, s.path);
    if (!folder || inInput(graph, folder)) return [];
    const { objects } = renderedFolder(graph, folder, s.selection?.recurse ?? false);
    return objects.length ? [{ path: s.path, objects }] : [];
  });
}
