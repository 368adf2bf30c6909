import { mapping, mappings, text } from '../../manifests/access';
import { isClusterScoped } from '../../manifests/scope';
import { deliverersOf } from '../argocd/application';
import { isHook } from '../argocd/hooks';
import { generatedFrom } from '../application-sets';
import { GraphObject } from '../graph-object';
import { knownNamespaced } from '../namespaced-kinds';
import { ANY_KIND, Rule } from '../rule';

/** An Application whose destination gives namespace-less objects no namespace, and whose objects are its own to judge. */
function withoutDestinationNamespace(app: GraphObject): boolean {
  const spec = mapping(app.manifest.spec);
  if (generatedFrom(app) || text(mapping(spec.destination).namespace)) return false;
  // a kustomize or Helm source that names a namespace of its own sets it on the objects it renders
  const sources = [mapping(spec.source), ...mappings(spec.sources)];
  return !sources.some((s) => text(mapping(s.kustomize).namespace) || text(s.chart) || Object.keys(mapping(s.helm)).length);
}

export const argocdObjectNamespaceMissing: Rule = {
  id: 'argocd-object-namespace-missing',
  title: 'a namespaced object with no namespace synced by an Argo CD Application with no spec.destination.namespace: Argo CD refuses to sync the Application',
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    'an Application of the tree (not one an ApplicationSet generates) sets no spec.destination.namespace, no source sets a kustomize namespace, and none is a Helm source; ' +
    'an object its source in the tree delivers has no metadata.namespace after its kustomize build and is no hook; ' +
    "its kind is namespaced for sure: a Kubernetes kind that is not cluster-scoped, or a kind a CRD of the tree declares Namespaced (other custom kinds are not judged: many are cluster-scoped, as a DataScienceCluster, a ClusterPolicy or OpenShift's User and Group)",
  example: 'an Application with `destination: {server: https://kubernetes.default.svc}` syncing a folder whose Secret has no namespace',
  fix: "set the Application's spec.destination.namespace (Argo CD puts namespace-less objects there), or metadata.namespace on each object, or `namespace:` in the kustomization",
  source:
    'argo-cd controller/state.go CompareAppState: a namespaced target object without a namespace adds the InvalidSpecError condition "Namespace for <name> <gvk> is missing."; controller/sync.go SyncAppState does not perform an operation while an InvalidSpecError condition stands ' +
    '(gitops-engine pkg/sync/sync_context.go sets the destination namespace on namespace-less objects, which is empty here)',
  check(o, { graph }) {
    if (isClusterScoped(String(o.manifest.kind)) || text(mapping(o.manifest.metadata).namespace) || isHook(o)) return [];
    const apps = deliverersOf(o, graph).filter(withoutDestinationNamespace);
    if (!apps.length) return [];
    const names = apps.map((a) => `Application '${text(mapping(a.manifest.metadata).name) ?? ''}'`).join(', ');
    // a custom kind's scope is its CRD's: one the tree does not hold may be cluster-scoped (a DataScienceCluster, a
    // ClusterPolicy, OpenShift's User and Group), which Argo CD applies without a namespace
    if (!knownNamespaced(o, graph)) return [];
    return [
      {
        message:
          `has no namespace, and ${names} that syncs it sets no spec.destination.namespace: Argo CD reports "Namespace for ${text(mapping(o.manifest.metadata).name) ?? ''} … is missing." (InvalidSpecError) and performs no sync; ` +
          "set the Application's spec.destination.namespace, or the object's metadata.namespace (or the kustomization's namespace)",
      },
    ];
  },
};
