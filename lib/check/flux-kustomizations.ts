import * as fs from 'fs';
import * as path from 'path';
import { Loose, mapping, text } from '../manifests/access';
import { normalGitUrl, workTreeRoot } from '../manifests/work-tree';
import type { KustomizationBuild } from '../manifests/loaded';
import { kustomizationAt, named, objectsAt, RepositoryRoot, tidy, topFolders, workTreeRoots } from './argocd-paths';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';

/** Whether an object is a Flux Kustomization (kustomize.toolkit.fluxcd.io), not a kustomize kustomization. */
export function isFluxKustomization(m: Loose): boolean {
  return m.kind === 'Kustomization' && /^kustomize\.toolkit\.fluxcd\.io\//.test(text(m.apiVersion) ?? '');
}

/**
 * Whether a Flux Kustomization builds from the repository the input shows: its source is the GitRepository
 * `flux-system`, which `flux bootstrap` creates for the repository that holds the cluster's own manifests, or a
 * GitRepository of the tree whose url is the remote of the git work tree checked, or the tree's only GitRepository.
 */
export function fromOwnRepository(o: GraphObject, graph?: ObjectGraph): boolean {
  const ref = mapping(mapping(o.manifest.spec).sourceRef);
  if ((text(ref.kind) ?? 'GitRepository') !== 'GitRepository') return false;
  const name = text(ref.name);
  if (name === 'flux-system') return true;
  if (!graph || !name) return false;
  const sources = graph.ofKind('GitRepository').filter((g) => /^source\.toolkit\.fluxcd\.io\//.test(text(g.manifest.apiVersion) ?? ''));
  const urls = new Set(
    sources
      .map((g) => text(mapping(g.manifest.spec).url))
      .filter((u): u is string => !!u)
      .map(normalGitUrl),
  );
  return sources
    .filter((g) => text(mapping(g.manifest.metadata).name) === name)
    .some((g) => {
      const url = text(mapping(g.manifest.spec).url);
      return !!url && (urls.size === 1 || graph.checkouts.some((c) => c.remotes.some((r) => normalGitUrl(r) === normalGitUrl(url))));
    });
}

/**
 * spec.path as kustomize-controller joins it to the source's root (securejoin, `./x/` is `x`, none is the root);
 * undefined when it holds a `${var}` a parent Kustomization's postBuild substitutes.
 */
export function fluxPath(o: GraphObject): string | undefined {
  const p = text(mapping(o.manifest.spec).path) ?? '.';
  if (p.includes('${')) return undefined;
  return path.posix.normalize(p.split('\\').join('/').replace(/^\/+/, '')).replace(/\/+$/, '') || '.';
}

/**
 * The root of the repository the Flux Kustomizations of `flux-system` read, as the input shows it: a checked folder
 * that is the root of a git work tree (whole: a path missing there is missing from the repository), else the one top
 * folder holding, right below it, the first folder of a path of two folders or more of theirs (which may be a copy of
 * a part of the repository). Undefined when the input does not show it.
 */
export function fluxRoot(graph: ObjectGraph): RepositoryRoot | undefined {
  return graph.once('flux-root', () => {
    const roots = workTreeRoots(graph);
    if (roots.length === 1) return { folder: roots[0].folder, within: '.', reading: `read from ${named(roots[0].folder)}, which holds .git`, whole: true };
    // a checked folder inside a git work tree: the repository's root is the folder's ancestor, named as the reader names folders
    const inside = graph.checkouts.filter((c) => c.within !== '.');
    if (!roots.length && inside.length === 1) {
      const c = inside[0];
      const folder = tidy(path.posix.join(tidy(c.folder), ...c.within.split('/').map(() => '..')));
      return {
        folder,
        within: '.',
        reading: `read from the root of the git work tree that holds ${named(tidy(c.folder))} as its folder ${c.within}`,
        whole: true,
      };
    }
    const folders = new Set((graph.folders ?? []).map(tidy));
    const paths = graph
      .ofKind('Kustomization')
      .filter((o) => isFluxKustomization(o.manifest) && fromOwnRepository(o, graph))
      .map(fluxPath)
      .filter((p): p is string => p !== undefined && p !== '.' && !p.startsWith('..'))
      .map((p) => p.split('/'));
    const tops = topFolders(graph).filter((t) => paths.some((parts) => parts.length > 1 && folders.has(path.posix.join(t, parts[0]))));
    return tops.length === 1
      ? {
          folder: tops[0],
          within: '.',
          reading: `read from ${named(tops[0])}, which holds the first folder of other Flux paths, taken as the repository's root`,
        }
      : undefined;
  });
}

/** Whether an input folder exists. */
export function inputFolder(graph: ObjectGraph, folder: string): boolean {
  return (graph.folders ?? []).some((f) => tidy(f) === folder);
}

/**
 * Whether a folder the input does not hold is a folder of the git work tree a checked folder lies in: a clone holds
 * every folder of the repository, so a Flux Kustomization's component outside the checked folder (`../../components/x`
 * from its path) is there when the work tree has it.
 */
export function workTreeHolds(graph: ObjectGraph, folder: string): boolean {
  // the folder is named as the reader names folders (relative where the input was given relative), the root absolute
  const at = path.resolve(folder);
  return graph.checkouts.some((c) => {
    const root = workTreeRoot(c);
    return (at === root || at.startsWith(`${root}${path.sep}`)) && !!fs.statSync(at, { throwIfNoEntry: false })?.isDirectory();
  });
}

/** The reader's account of the kustomizations at or below a folder. */
function buildsBelow(graph: ObjectGraph, folder: string): KustomizationBuild[] {
  return graph.builds.filter((b) => b.folder !== undefined && (tidy(b.folder) === folder || tidy(b.folder).startsWith(`${folder}/`)));
}

/**
 * The objects kustomize-controller builds at an input folder, when the reader built all of them: the folder's
 * kustomization, or (none there) the manifests below it when no kustomization sits below (Flux's generated
 * kustomization lists such folders as they build, fluxcd/pkg kustomize_generator.go scanManifests). Undefined when the
 * reader did not follow a step of that build (a remote resource, a Helm chart, a generator plugin) or was not told.
 */
export function builtAt(graph: ObjectGraph, folder: string): { objects: GraphObject[]; renames: boolean } | undefined {
  const below = buildsBelow(graph, folder);
  if (below.some((b) => b.partlyBuilt)) return undefined;
  const own = below.find((b) => tidy(b.folder!) === folder);
  if (own) return kustomizationAt(graph, folder) ? { objects: objectsAt(graph, folder), renames: own.renames } : undefined;
  return below.length || !graph.folders ? undefined : { objects: objectsAt(graph, folder), renames: false };
}

/**
 * The input folder a Flux Kustomization of the repository the input shows builds (its spec.path from the repository's
 * root), with that root; undefined when its source is another repository, the root is not shown, or the path holds a
 * `${var}` or leaves the repository.
 */
export function fluxPlace(graph: ObjectGraph, o: GraphObject): { place: string; repoPath: string; root: RepositoryRoot } | undefined {
  const root = fromOwnRepository(o, graph) ? fluxRoot(graph) : undefined;
  const repoPath = fluxPath(o);
  if (root === undefined || repoPath === undefined || repoPath.startsWith('..')) return undefined;
  return { place: repoPath === '.' ? root.folder : path.posix.join(root.folder, repoPath), repoPath, root };
}

/** The Flux Kustomizations (not suspended) whose path builds the object, as the input shows them. */
export function fluxDeliverersOf(o: GraphObject, graph: ObjectGraph): GraphObject[] {
  const index = graph.once('flux-deliverers', () => {
    const by = new Map<GraphObject, GraphObject[]>();
    for (const k of graph.ofKind('Kustomization')) {
      if (!isFluxKustomization(k.manifest) || mapping(k.manifest.spec).suspend === true) continue;
      const at = fluxPlace(graph, k);
      const built = at && inputFolder(graph, at.place) ? builtAt(graph, at.place) : undefined;
      for (const x of built?.objects ?? []) by.set(x, [...(by.get(x) ?? []), k]);
    }
    return by;
  });
  return index.get(o) ?? [];
}

/** A Flux Kustomization and the objects it applies together, in one server-side apply. */
export interface FluxApplySet {
  readonly kustomization: GraphObject;
  readonly objects: readonly GraphObject[];
}

/**
 * The objects each Flux Kustomization (not suspended, of the repository the input shows) applies together: the build at
 * its path from the repository's root (fluxPlace), or, where the input does not show the root, the kustomize build of
 * an input folder whose path ends in its spec.path and that holds the Kustomization itself (the one `flux bootstrap`
 * writes into the folder it syncs). Only builds the reader followed in full.
 */
export function fluxApplySets(graph: ObjectGraph): FluxApplySet[] {
  return graph.once('flux-apply-sets', () =>
    graph.ofKind('Kustomization').flatMap((k) => {
      if (!isFluxKustomization(k.manifest) || mapping(k.manifest.spec).suspend === true || !fromOwnRepository(k, graph)) return [];
      const at = fluxPlace(graph, k);
      if (at) {
        const built = inputFolder(graph, at.place) ? builtAt(graph, at.place) : undefined;
        return built ? [{ kustomization: k, objects: built.objects }] : [];
      }
      const repoPath = fluxPath(k);
      if (repoPath === undefined || repoPath === '.' || repoPath.startsWith('..')) return [];
      const own = graph.builds.find((b) => b.folder !== undefined && !b.partlyBuilt && !b.fails && tidy(b.folder).endsWith(`/${repoPath}`));
      const built = own ? builtAt(graph, tidy(own.folder!)) : undefined;
      return built?.objects.includes(k) ? [{ kustomization: k, objects: built.objects }] : [];
    }),
  );
}
