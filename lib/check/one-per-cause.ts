import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';

/**
 * Findings said once per cause (a missing Secret, a moving image), however many objects share it: the objects of each
 * cause in order of their ids, so that the finding lands on the same object whatever order the input gives (a folder,
 * or the same objects piped in). Sorts each list in place and returns the map.
 */
export function firstById<K>(graph: ObjectGraph, by: Map<K, GraphObject[]>): Map<K, GraphObject[]> {
  for (const list of by.values()) {
    // each id made once, not on each comparison (four per comparison was a million ids on a 500-service tree); the
    // sort is stable, so objects of one id keep their order as before
    const ids = new Map(list.map((o) => [o, graph.id(o)]));
    list.sort((a, b) => (ids.get(a)! < ids.get(b)! ? -1 : ids.get(a)! > ids.get(b)! ? 1 : 0));
  }
  return by;
}

/**
 * What a finding said once adds about the other objects of its cause: ` (also used by 2 other objects: a, b)`, or
 * nothing. Each object counts once by its id, and never as another of itself: the same object read from two
 * kustomize roots (or a root and its loose files) is one object of the cluster.
 */
export function alsoBy(verb: string, others: readonly string[], self?: string): string {
  const distinct = [...new Set(others)].filter((id) => id !== self);
  if (!distinct.length) return '';
  return ` (also ${verb} by ${distinct.length} other object${distinct.length > 1 ? 's' : ''}: ${distinct.slice(0, 3).join(', ')}${distinct.length > 3 ? ', …' : ''})`;
}

/**
 * The declarations of one object (same kind and id) that give the same finding, in order of their files: the
 * alternatives a tree of samples writes in several files (`inferenceservice.yaml`, `inferenceservice_with_refiner.yaml`).
 * The finding is said on the first, naming the others' files; `same` tells which copies give it.
 */
export function sameCauseCopies(graph: ObjectGraph, o: GraphObject, same: (copy: GraphObject) => boolean): GraphObject[] {
  const place = (x: GraphObject) => `${x.file ?? x.origin ?? ''}\0${String(x.line ?? 0).padStart(9, '0')}`;
  return graph
    .ofKind(String(o.manifest.kind))
    .filter((x) => x === o || (graph.id(x) === graph.id(o) && same(x)))
    .sort((a, b) => (place(a) < place(b) ? -1 : place(a) > place(b) ? 1 : 0));
}
