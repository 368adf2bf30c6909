import { text } from '../manifests/access';
import { knownNamespacedKind } from '../manifests/scope';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';

/**
 * Whether the tree says the object's kind is namespaced: a Kubernetes kind (the caller has ruled out the
 * cluster-scoped ones), or a CRD of the tree with scope Namespaced. A custom kind whose CRD the tree does not hold may
 * be cluster-scoped (a DataScienceCluster, a ClusterPolicy, OpenShift's User and Group), so it is not namespaced here.
 */
export function knownNamespaced(o: GraphObject, graph: ObjectGraph): boolean {
  const crds = graph.ofKind('CustomResourceDefinition').map((c) => c.manifest);
  return knownNamespacedKind(text(o.manifest.apiVersion) ?? '', String(o.manifest.kind), crds);
}
