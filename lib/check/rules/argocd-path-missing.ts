import { describeSelection, selects } from '../argocd/directory-source';
import {
  PlacedSource,
  folderExists,
  inputCoversRepoOf,
  objectsAt,
  otherRepository,
  pathMissingAtRoot,
  placedSources,
  relativePaths,
  unreadAt,
} from '../argocd-paths';
import { generatedFrom } from '../application-sets';
import { ObjectGraph } from '../graph';
import { Rule } from '../rule';
import { holdsTemplate } from '../template-syntax';

/** Whether a source's path names no folder of the checked input (judged only where the input covers it). */
function pathMissing(graph: ObjectGraph, s: PlacedSource): boolean {
  // a path of another repository than the one the input shows is looked up in that repository's checkout
  if (otherRepository(graph, s.repoURL)) return false;
  if (s.root !== undefined) return pathMissingAtRoot(graph, s.root, s.path);
  return s.path !== '.' && inputCoversRepoOf(graph, s.path) && objectsAt(graph, s.path).length === 0 && !folderExists(graph, s.path);
}

/**
 * Why a directory source whose folder holds manifests selects none of them, with the fix; undefined when it selects
 * some (a Jsonnet file Argo CD evaluates counts, and a .json file it refuses is argocd-json-not-manifest's), or is
 * another type of source, or its folder is not in the input.
 */
function emptySelection(graph: ObjectGraph, s: PlacedSource): string | undefined {
  if (!s.selection || s.place === undefined || s.objects.length || s.unread.length) return undefined;
  const place = s.place;
  const files = [
    ...new Set([...objectsAt(graph, place).flatMap((o) => (o.file ? relativePaths(o.file, place) : [])), ...unreadAt(graph, place).map((u) => u.relPath)]),
  ].sort();
  if (!files.length) return undefined;
  const recursing = { ...s.selection, recurse: true };
  const fix =
    !s.selection.recurse && files.some((f) => selects(recursing, f))
      ? 'set directory.recurse: true to read its subfolders, or move the manifests into the folder'
      : 'change directory.include/exclude so that they match the manifests (globs match the path relative to source.path, `*` crossing `/`)';
  return (
    `directory source '${s.path}' (${describeSelection(s.selection)}) selects none of the ${files.length} manifest file(s) below it ` +
    `(${files.slice(0, 3).join(', ')}${files.length > 3 ? ', …' : ''}): Argo CD syncs nothing and reports the Application Synced; ${fix}`
  );
}

/**
 * A path missing from the input: an error where the input holds the whole repository there (a git work tree), else a
 * warning naming the root assumed, since a copy of part of the repository leaves out folders that do exist.
 */
function missingPath(s: PlacedSource, suffix: string): { message: string; severity?: 'warning' } {
  if (s.root?.whole)
    return {
      message: `source path '${s.path}' holds no object of the checked tree (${s.root.reading}); Argo CD reports "app path does not exist": point it at a folder of the tree${suffix}`,
    };
  const assumed = s.root
    ? `${s.root.reading}, taken as the repository's root`
    : `matched by its trailing folders, the checked folders taken as the repository's`;
  return {
    severity: 'warning',
    message:
      `source path '${s.path}' is not in the checked input (${assumed}; no git work tree of the repository is checked, so the folder may exist in the part of the repository left out): ` +
      `if the repository has no such folder, Argo CD reports "app path does not exist"; point it at a folder of the repository, or check the repository's clone to judge it${suffix}`,
  };
}

export const argocdPathMissing: Rule = {
  id: 'argocd-path-missing',
  title: 'an Argo CD Application points at a path that holds nothing in the checked tree, or whose directory settings select nothing',
  severity: 'error',
  appliesTo: ['Application'],
  premise:
    "the path is of the repository the input shows (where the input's Applications name several repositories, one none of whose paths is a folder of the input and that no git work tree of the input is, is another repository's: not judged; a placeholder or template repoURL (`<your-username>`, `${REPO}`, `{{ .repo }}`) is the tree's own repository, a fork to be named, where the checked folder or a git clone in it (one with no remote, or a remote the filled URL can be) holds the first folder of its paths of two folders or more, else another's); the checked input holds the repository folder the path starts in (a checked folder or one below it; a folder of that name above the checked folder is outside the input), or shows the repository's root: a checked folder holding .git (with no remote, or one that is the Application's repoURL), a subfolder of a clone of that repoURL (paths outside it are not judged), or a top folder holding the first folder of another path of two folders or more of that repository; from a known root a path is judged exactly, its first folder included, and path `.` is that root; else a tree checked without the path's first folder is not judged, paths are matched by their trailing folders (a path matching several folders of the input names none for sure: what it syncs is unknown) and `.` is the input's one top folder; a folder that exists but was not read (a Helm chart) counts as there; a directory source (no kustomization in the folder, no helm/kustomize/plugin/chart) reads as Argo CD's repo server does: the folder's own .yaml/.yml/.json/.jsonnet files unless `directory.recurse`, minus `exclude`, within `include` (globs on the whole path relative to source.path, `*` crossing `/`, `{a,b}` alternatives); a selected .jsonnet file counts as manifests (Argo CD evaluates it, check does not), a selected .json file that is no object is argocd-json-not-manifest's; a path holding a placeholder (`overlays/${OVERLAY}`) is not judged; a missing path is an error only where a git work tree of the repository is checked (a clone holds every folder of its commit), else a warning naming the root assumed (a copy of part of the repository leaves out folders that exist)",
  example:
    "`path: gitops/serve` where the repository's folder is gitops/serving; `path: monitoring/dashboards` in a repository with no monitoring folder; `path: .` with `include: 'manifests/*.yaml'` and no manifests folder, or `include: 'namespace.yaml'` and no such file at the root",
  fix: 'point source.path at a folder of the tree (with its kustomization.yaml), or make directory.include/exclude/recurse select its manifests',
  source:
    'Argo CD: "app path does not exist" (ComparisonError); the Application never syncs. reposerver/repository/repository.go findManifests: a directory source whose settings match no file syncs nothing',
  check(o, { graph }) {
    const suffix = (what: string) =>
      generatedFrom(o)
        ? ` (the Application is generated by ${generatedFrom(o)} from its generators' parameters: fix the parameter that fills the ${what}, or the template)`
        : '';
    return placedSources(graph, o).flatMap((s) => {
      // a path with a placeholder (`overlays/${OVERLAY}`) names a folder only once something fills it: not judged here
      if (holdsTemplate(s.path)) return [];
      if (pathMissing(graph, s)) return [missingPath(s, suffix('path'))];
      const empty = emptySelection(graph, s);
      return empty ? [{ message: empty + suffix('directory settings') }] : [];
    });
  },
};
