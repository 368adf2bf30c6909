import { Loose, mapping, text } from '../../manifests/access';
import { isClusterScoped } from '../../manifests/scope';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { deliveredBy } from './application';

/** The namespace an Application's destination gives namespace-less objects; undefined when it names none or a template. */
export function destinationNamespace(app: Loose): string | undefined {
  const ns = text(mapping(mapping(app.spec).destination).namespace);
  return ns && !ns.includes('{{') ? ns : undefined;
}

/**
 * The namespace each namespace-less, namespaced object of the input gets from the Applications that sync it: Argo CD
 * sets spec.destination.namespace on every namespaced object without one before it applies it (gitops-engine
 * pkg/sync/sync_context.go, and argo-cd controller/state.go setting the namespace of the target objects), a kustomize
 * source's too unless its kustomization set one. An object two Applications sync into different namespaces keeps no
 * single namespace (lookups then match any, as before).
 */
export function deliveredNamespaces(graph: ObjectGraph): Map<GraphObject, string> {
  const found = new Map<GraphObject, Set<string>>();
  for (const app of graph.ofKind('Application')) {
    const ns = destinationNamespace(app.manifest);
    if (!ns) continue;
    for (const o of deliveredBy(app, graph)) {
      if (isClusterScoped(String(o.manifest.kind)) || text(mapping(o.manifest.metadata).namespace)) continue;
      found.set(o, (found.get(o) ?? new Set<string>()).add(ns));
    }
  }
  return new Map([...found].filter(([, set]) => set.size === 1).map(([o, set]) => [o, [...set][0]]));
}
