import { isMapping, Loose, mapping, text } from '../../manifests/access';
import { PlacedSource, relativePaths, samePlace } from '../argocd-paths';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { selects } from './directory-source';

/** An object a directory source reads from a file written in a kustomize folder, with its path below the source's folder. */
export interface PlainRead {
  readonly manifest: Loose;
  readonly relPath: string;
}

/** Whether an object is a kustomization file's (kustomize.config.k8s.io Kustomization or Component). */
export const isKustomizationObject = (m: Loose) => /^kustomize\.config\.k8s\.io\//.test(text(m.apiVersion) ?? '');

/**
 * The objects of files in kustomize folders that a source which sets `directory` reads, as written (argo-cd
 * reposerver/repository/repository.go findManifests: it walks the folder, below it only with `recurse`, and applies
 * `exclude`, then `include`, to each file's path relative to the source's folder; it never builds).
 */
export function plainRead(graph: ObjectGraph, s: PlacedSource): PlainRead[] {
  if (s.place === undefined || !s.selection) return [];
  const selection = s.selection;
  return graph.plain.flatMap((p) => {
    const rel = p.file ? relativePaths(p.file, s.place!).find((r) => selects(selection, r)) : undefined;
    return rel !== undefined && isMapping(p.manifest) ? [{ manifest: p.manifest, relPath: rel }] : [];
  });
}

/**
 * Whether a directory source leaves its folder's own kustomization file out with include or exclude (findManifests
 * matches them against the path below the source's folder), which says its author chose to apply the files as written.
 */
export function ownKustomizationLeftOut(graph: ObjectGraph, s: PlacedSource): boolean {
  const selection = s.selection;
  if (s.place === undefined || !selection || (!selection.include && !selection.exclude)) return false;
  const own = graph.plain.flatMap((p) =>
    p.file && isMapping(p.manifest) && isKustomizationObject(p.manifest) ? relativePaths(p.file, s.place!).filter((r) => !r.includes('/')) : [],
  );
  return own.length > 0 && own.every((r) => !selects(selection, r));
}

/**
 * The objects the kustomization in a folder builds on its own: as a root of the checked input, else as the reader
 * built it inside the kustomization that includes it; none when neither is known (the real kustomize built the roots).
 */
export function builtAt(graph: ObjectGraph, place: string): GraphObject[] {
  const at = (list: readonly GraphObject[]) => list.filter((o) => o.kustomizations?.length && samePlace(o.kustomizations[0], place));
  const root = at(graph.objects);
  return root.length ? root : at(graph.ownBuilds);
}

/** A JSON text of a value with the keys of its mappings sorted: equal for equal objects, whatever their key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isMapping(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v ?? null);
}

/** Kind, namespace (as written) and name, as messages name an object. */
export const idOf = (m: Loose) => {
  const md = mapping(m.metadata);
  return `${String(m.kind)} ${text(md.namespace) ? `${text(md.namespace)}/` : ''}${text(md.name) ?? '(no name)'}`;
};

/** The fields (two levels deep: metadata.labels, spec.template) where two objects differ. */
function differingFields(a: Loose, b: Loose, prefix = '', depth = 2): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.flatMap((k) => {
    if (canonical(a[k]) === canonical(b[k])) return [];
    if (depth > 1 && isMapping(a[k]) && isMapping(b[k])) return differingFields(a[k], b[k], `${prefix}${k}.`, depth - 1);
    return [`${prefix}${k}`];
  });
}

/** How the objects a directory source applies differ from those the folder's kustomization builds. */
export interface OutcomeDifference {
  /** Objects of the build that the plain files do not hold at all (generated, renamed, from outside the folder). */
  readonly notApplied: readonly string[];
  /** Objects both hold, that the build changes: the object and the fields. */
  readonly changed: readonly string[];
  /** Objects of the plain files that the build leaves out. */
  readonly extra: readonly string[];
}

/** What changes when a folder's files are applied as written instead of built (empty lists: the same objects). */
export function compareOutcome(built: readonly Loose[], plain: readonly Loose[]): OutcomeDifference {
  const plainTexts = new Set(plain.map(canonical));
  const builtTexts = new Set(built.map(canonical));
  // one object moved to another namespace by the build is the same object changed, not another one
  const key = (m: Loose) => `${String(m.kind)}/${text(mapping(m.metadata).name) ?? ''}`;
  const plainByKey = new Map(plain.map((m) => [key(m), m]));
  const builtKeys = new Set(built.map(key));
  const lost = built.filter((m) => !plainTexts.has(canonical(m)));
  return {
    notApplied: lost.filter((m) => !plainByKey.has(key(m))).map(idOf),
    changed: lost.filter((m) => plainByKey.has(key(m))).map((m) => `${idOf(m)} (${differingFields(m, plainByKey.get(key(m))!).join(', ')})`),
    extra: plain.filter((m) => !builtTexts.has(canonical(m)) && !builtKeys.has(key(m))).map(idOf),
  };
}
