import { mapping, text } from '../manifests/access';
import { locationOf } from './graph-object';
import { ObjectGraph } from './graph';

/**
 * What a message about an object missing from a namespace adds about objects of that kind and name elsewhere: in a
 * file no kustomization lists, or in other namespaces (`why` says why those do not count).
 */
export function foundElsewhere(graph: ObjectGraph, kind: string, name: string, ns: string, why: string): string {
  const forgotten = graph.leftOutFile(kind, name, ns);
  if (forgotten) return ` (one is defined in ${forgotten}, which no kustomization lists: the build leaves it out)`;
  const others = graph
    .ofKind(kind)
    .filter((a) => text(mapping(a.manifest.metadata).name) === name)
    .map((a) => `${graph.namespaceOf(a.manifest)}${locationOf(a) ? ` (${locationOf(a)})` : ''}`);
  return others.length ? ` (the tree has one in namespace ${others.join(', ')}: ${why})` : '';
}
