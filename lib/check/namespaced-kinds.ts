import { mapping, text } from '../manifests/access';
import { groupVersionOf } from '../k8s/api-version';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';

/**
 * The API groups of Kubernetes itself: each of their kinds that is not cluster-scoped (scope.ts, from `kubectl
 * api-resources --namespaced=false`) is namespaced for sure. A custom kind is namespaced only as its CRD says.
 */
const KUBERNETES_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'discovery.k8s.io',
  'coordination.k8s.io',
  'events.k8s.io',
  'storage.k8s.io',
]);

/**
 * Whether the tree says the object's kind is namespaced: a Kubernetes kind (the caller has ruled out the
 * cluster-scoped ones), or a CRD of the tree with scope Namespaced. A custom kind whose CRD the tree does not hold may
 * be cluster-scoped (a DataScienceCluster, a ClusterPolicy, OpenShift's User and Group), so it is not namespaced here.
 */
export function knownNamespaced(o: GraphObject, graph: ObjectGraph): boolean {
  const kind = String(o.manifest.kind);
  const { group } = groupVersionOf(text(o.manifest.apiVersion) ?? '');
  if (KUBERNETES_GROUPS.has(group ?? '')) return true;
  return graph.ofKind('CustomResourceDefinition').some((crd) => {
    const spec = mapping(crd.manifest.spec);
    return text(spec.group) === group && text(mapping(spec.names).kind) === kind && text(spec.scope) === 'Namespaced';
  });
}
