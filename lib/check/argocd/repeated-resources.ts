import { apiGroupOf } from '../../k8s/api-version';
import { Loose, mapping, text } from '../../manifests/access';
import { isClusterScoped } from '../../manifests/scope';
import { PlacedSource, relativePaths } from '../argocd-paths';
import { ObjectGraph } from '../graph';
import { isKustomizationObject, plainRead } from './directory-outcome';

/** An object a directory source reads, with its path below the source's folder. */
interface Read {
  readonly manifest: Loose;
  readonly relPath: string;
  /** Read from a file of a kustomize folder, as written (the per-object judgement of duplicate-object does not see it). */
  readonly plain: boolean;
}

/** filepath.Walk's order: a folder's entries by name, a subfolder walked at its place. */
export function walkOrder(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return x.length - y.length;
}

/** A same-object group a directory source reads more than once: the files in reading order, and whether they differ. */
export interface Repeated {
  readonly id: string;
  readonly files: readonly string[];
  readonly differ: boolean;
  /** The copy Argo CD keeps (the last one read) and the others. */
  readonly kept: Loose;
  readonly dropped: readonly Loose[];
}

/**
 * The objects a directory source reads more than once, keyed as argo-cd controller/state.go NormalizeTargetObjects
 * keys them (group, kind, namespace, with the destination's for a namespace-less one, and name): Argo CD keeps the last
 * one read and sets a RepeatedResourceWarning condition. Only groups with an object of a kustomize folder's files.
 */
export function repeatedInSource(graph: ObjectGraph, s: PlacedSource, destination: string | undefined): Repeated[] {
  if (s.place === undefined || !s.selection) return [];
  const walked: Read[] = s.objects.flatMap((o) => {
    const rel = o.file && !o.kustomizations?.length ? relativePaths(o.file, s.place!)[0] : undefined;
    return rel === undefined ? [] : [{ manifest: o.manifest, relPath: rel, plain: false }];
  });
  const plain: Read[] = plainRead(graph, s)
    .filter((r) => !isKustomizationObject(r.manifest))
    .map((r) => ({ ...r, plain: true }));
  const groups = new Map<string, Read[]>();
  for (const r of [...walked, ...plain]) {
    const md = mapping(r.manifest.metadata);
    if (!text(md.name)) continue;
    const kind = String(r.manifest.kind);
    const ns = isClusterScoped(kind) ? '' : (text(md.namespace) ?? destination ?? '');
    const id = `${apiGroupOf(r.manifest.apiVersion)}/${kind}/${ns}/${text(md.name)}`;
    groups.set(id, [...(groups.get(id) ?? []), r]);
  }
  return [...groups.entries()]
    .filter(([, list]) => list.length > 1 && list.some((r) => r.plain))
    .map(([id, list]) => {
      const sorted = [...list].sort((a, b) => walkOrder(a.relPath, b.relPath));
      const texts = new Set(sorted.map((r) => JSON.stringify(r.manifest)));
      return {
        id: `${String(sorted[0].manifest.kind)} ${id.split('/').slice(-2).filter(Boolean).join('/')}`,
        files: sorted.map((r) => r.relPath),
        differ: texts.size > 1,
        kept: sorted[sorted.length - 1].manifest,
        dropped: sorted.slice(0, -1).map((r) => r.manifest),
      };
    });
}
