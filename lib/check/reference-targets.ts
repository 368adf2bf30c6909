import { mapping, text } from '../manifests/access';
import { editDistance, NearBound, nearWithin } from '../private/edit-distance';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { holdsTemplate } from './template-syntax';
import { unseenDeliveries } from './tree-namespaces';

/**
 * The lookup of an object another names by kind and name in a namespace (an Ingress's Service, an HTTPRoute's
 * Gateway, Service or InferencePool, a policy's target), and what may make it though the tree does not hold it.
 */

/** The API group of a manifest ('' for the core group). */
export function groupOf(o: GraphObject): string {
  const apiVersion = String(o.manifest.apiVersion ?? '');
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

/**
 * Whether something of the namespace other than the object may make it: a custom resource whose name begins the
 * object's name (controllers name their Services after their object: KServe's <isvc>-predictor, an operator's
 * <cr>-metrics).
 */
export function madeByController(graph: ObjectGraph, name: string, ns: string | undefined, peers: readonly GraphObject[] = []): boolean {
  return graph.objects.some((o) => {
    if (peers.includes(o)) return false;
    const group = groupOf(o);
    const custom = group.includes('.') && !group.endsWith('.k8s.io');
    const own = text(mapping(o.manifest.metadata).name);
    return custom && own !== undefined && name.startsWith(own) && graph.namespaceOf(o.manifest) === ns;
  });
}

/** The objects of a kind (in one of `groups`) the tree holds in the namespace (an unset namespace matching only an unset one: the namespace both are deployed to). */
export function objectsOf(graph: ObjectGraph, kind: string, groups: readonly string[], ns: string | undefined): GraphObject[] {
  return graph.ofKind(kind).filter((o) => groups.includes(groupOf(o)) && graph.namespaceOf(o.manifest) === ns);
}

/** The names of a kind's cluster-scoped objects of one API group in the tree (Kueue's, KAI's), sorted, each once. */
export function namesOf(graph: ObjectGraph, kind: string, group: string): string[] {
  const names = graph
    .ofKind(kind)
    .filter((o) => groupOf(o) === group)
    .map((o) => text(mapping(o.manifest.metadata).name))
    .filter((n): n is string => n !== undefined);
  return [...new Set(names)].sort();
}

/**
 * Why the tree may not show an object that exists all the same, or undefined: a name holding a template, a
 * controller's object (see madeByController), or a namespace an Argo CD Application syncs from a source the input
 * does not show. `peers` are objects of the kind looked up, which make no other of their kind.
 */
export function madeOutsideTree(graph: ObjectGraph, name: string, ns: string | undefined, peers: readonly GraphObject[] = []): string | undefined {
  if (holdsTemplate(name)) return 'a template';
  if (madeByController(graph, name, ns, peers)) return 'a controller';
  if (ns !== undefined && unseenDeliveries(graph, ns).length) return 'an unseen delivery';
  return undefined;
}

/** Two object names are taken for one at most a fifth of the longer's length apart, at least two edits. */
const NAME_TYPO: NearBound = { charactersPerEdit: 5, of: 'longer', atLeast: 2 };

/** Whether a name is near enough to another to be the one meant (NAME_TYPO). */
export const nearName = (a: string, b: string): boolean => nearWithin(a, [b], NAME_TYPO).length > 0;

/** The names of `objects`, the nearest to `name` (by edit distance) first. */
export function namesNearest(name: string, objects: readonly GraphObject[]): string[] {
  const names = [...new Set(objects.map((o) => text(mapping(o.manifest.metadata).name)).filter((n): n is string => n !== undefined))];
  return names.sort((a, b) => editDistance(name, a) - editDistance(name, b) || a.localeCompare(b));
}
