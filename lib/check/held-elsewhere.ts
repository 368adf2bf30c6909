import { mapping, text } from '../manifests/access';
import { ObjectGraph } from './graph';

/**
 * The namespaces of the tree's objects of a kind and name where each of them is in a namespace known and other than
 * `ns` (its own, or the one its delivery gives it: ObjectGraph.namespaceOf): the object a reference from `ns` means is
 * made, but elsewhere. Undefined where `ns` is unknown, the tree holds none of that name, or one may be in `ns` (its
 * namespace unknown, or that one).
 */
export function heldOnlyElsewhere(graph: ObjectGraph, kind: string, name: string, ns: string | undefined): string[] | undefined {
  if (ns === undefined) return undefined;
  const all = graph.ofKind(kind).filter((x) => text(mapping(x.manifest.metadata).name) === name);
  const namespaces = all.map((x) => graph.namespaceOf(x.manifest));
  if (!all.length || namespaces.some((n) => n === undefined || n === ns)) return undefined;
  return [...new Set(namespaces as string[])].sort();
}
