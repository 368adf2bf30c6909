import * as fs from 'fs';
import * as path from 'path';
import { isMapping } from '../manifests/access';
import { KUSTOMIZATION_FILES } from '../manifests/kustomization';
import { LoadedManifest, readManifests } from '../manifests/read-manifests';
import { workTreeSourceFolder } from '../manifests/work-tree';
import { manifestSources, templatedRepository, tidy } from './argocd-paths';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';

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

/**
 * What Argo CD renders from a folder: a kustomization root's build; a Helm chart is not rendered here (none); else the
 * folder's manifest files, its subfolders' too with `directory.recurse` (reposerver findManifests). A directory source
 * with include or exclude globs is not rendered (its selection is not ported here).
 */
function rendered(folder: string, recurse: boolean): GraphObject[] {
  const entries = fs.readdirSync(folder);
  if (entries.includes('Chart.yaml')) return [];
  const root = tidy(folder);
  if (KUSTOMIZATION_FILES.some((k) => entries.includes(k))) {
    return objectsOf(readManifests([folder]).manifests.filter((m) => m.kustomizations?.length && tidy(m.kustomizations[0]) === root));
  }
  const files = recurse ? [folder] : entries.filter((e) => /\.(ya?ml|json)$/i.test(e)).map((e) => path.join(folder, e));
  return files.length ? objectsOf(readManifests(files).manifests) : [];
}

/** The documents read that are objects, as the graph holds them. */
const objectsOf = (read: readonly LoadedManifest[]): GraphObject[] => read.flatMap((m) => (isMapping(m.manifest) ? [{ ...m, manifest: m.manifest }] : []));

/**
 * The sources of an Application of the input whose path is a folder of the checked folder's git work tree but outside
 * the checked input, rendered as Argo CD renders them: what the Application delivers there, which the input's own
 * objects do not show. Read once per folder.
 */
export function outsideSources(graph: ObjectGraph, app: GraphObject): OutsideSource[] {
  if (app.outside) return [];
  return manifestSources(app.manifest).flatMap((s): OutsideSource[] => {
    if (s.path === '.' || s.path.startsWith('..') || s.selection?.include || s.selection?.exclude) return [];
    const folder = sourceFolder(graph, s.repoURL, s.path);
    if (!folder || inInput(graph, folder)) return [];
    const objects = graph.once(`argocd-outside-source:${folder}:${String(s.selection?.recurse ?? false)}`, () =>
      rendered(folder, s.selection?.recurse ?? false),
    );
    return objects.length ? [{ path: s.path, objects }] : [];
  });
}
