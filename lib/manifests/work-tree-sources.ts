import * as fs from 'fs';
import * as path from 'path';
import { isMapping, mapping, mappings, text } from './access';
import type { GitCheckout } from './git-checkout';
import { isClusterScoped, knownNamespacedKind } from './scope';
import { workTreeRoot, workTreeSourceFolder } from './work-tree';

/** A source folder of an Application of the checked folder that lies elsewhere in the same git work tree. */
export interface WorkTreeSourceFolder {
  readonly repoURL: string;
  /** The source's path, as the Application writes it. */
  readonly path: string;
  /** The folder, absolute. */
  readonly folder: string;
}

/** What such a source folder delivers, as far as a namespace is concerned. */
export interface WorkTreeSource extends WorkTreeSourceFolder {
  /** The Namespaces (and OpenShift Projects) it delivers, by name. */
  readonly namespaces: readonly string[];
  /** Its namespaced objects that name no namespace of their own (they go to the destination's). */
  readonly unplaced: number;
  /** The namespaces its namespaced objects name themselves. */
  readonly named: readonly string[];
  readonly objects: number;
  /** Rendered whole: no remote kustomize base, no Helm chart, no include or exclude glob, no build that failed. */
  readonly complete: boolean;
}

/** What Argo CD renders from a folder as an Application's source (renderedSource), and whether all of it is known. */
export interface SourceRendering {
  readonly manifests: readonly { readonly manifest: unknown }[];
  /** No remote kustomize base, Helm chart or refused build leaves part of it unknown. */
  readonly complete: boolean;
}

/** The git sources (repoURL and path, no template) of an Application. */
function gitSources(m: Record<string, unknown>): { repoURL: string; path: string }[] {
  const spec = mapping(m.spec);
  return [mapping(spec.source), ...mappings(spec.sources)].flatMap((s) => {
    const repoURL = text(s.repoURL);
    const p = text(s.path);
    return repoURL && p && !/[{$<]/.test(repoURL + p) && !text(s.chart) ? [{ repoURL, path: p }] : [];
  });
}

/**
 * The source folders of the Argo CD Applications of a checked folder (`checkout`) that lie elsewhere in the git work
 * tree it is in, where the Application's repoURL is that repository or a fork of it (workTreeSourceFolder): Argo CD
 * syncs the folder of that path, which the work tree holds at the same place.
 */
export function workTreeSourceFolders(checkout: GitCheckout, manifests: readonly { readonly manifest: unknown }[]): WorkTreeSourceFolder[] {
  if (checkout.within === '.') return [];
  const real = fs.realpathSync(checkout.folder);
  const root = workTreeRoot(checkout, real);
  const out: WorkTreeSourceFolder[] = [];
  for (const m of manifests) {
    if (!isMapping(m.manifest) || m.manifest.kind !== 'Application' || !String(m.manifest.apiVersion ?? '').startsWith('argoproj.io/')) continue;
    for (const s of gitSources(m.manifest)) {
      const folder = workTreeSourceFolder(checkout, s.repoURL, s.path, root);
      // a folder of the work tree outside the checked one (that one's objects are read with it)
      if (!folder || folder === root || folder === real || folder.startsWith(`${real}${path.sep}`)) continue;
      if (!out.some((o) => o.folder === folder && o.repoURL === s.repoURL)) out.push({ ...s, folder });
    }
  }
  return out;
}

/** What a source folder's rendering tells of namespaces: an object of a custom kind whose scope no CRD says is not counted as landing in one. */
export function workTreeSource(s: WorkTreeSourceFolder, rendering: SourceRendering, input: readonly { readonly manifest: unknown }[] = []): WorkTreeSource {
  const objects = rendering.manifests;
  const kinds = objects.map((o) => mapping(o.manifest));
  // the CRDs of the source and of the checked input say which custom kinds are namespaced
  const crds = [...kinds, ...input.map((o) => mapping(o.manifest))].filter((m) => m.kind === 'CustomResourceDefinition');
  const namespaces = kinds.filter((m) => m.kind === 'Namespace' || m.kind === 'Project').flatMap((m) => text(mapping(m.metadata).name) ?? []);
  const namespaced = kinds.filter((m) => typeof m.kind === 'string' && !isClusterScoped(m.kind));
  const named = [...new Set(namespaced.flatMap((m) => text(mapping(m.metadata).namespace) ?? []))];
  const unplaced = namespaced.filter((m) => !text(mapping(m.metadata).namespace) && knownNamespacedKind(text(m.apiVersion) ?? '', String(m.kind), crds)).length;
  return { ...s, namespaces, unplaced, named, objects: objects.length, complete: rendering.complete };
}
