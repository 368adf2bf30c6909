import { mapping, text } from '../../manifests/access';
import { isClusterScoped } from '../../manifests/scope';
import { deliveredBy, deliverersOf } from '../argocd/application';
import { destinationNamespace } from '../argocd/destination-namespace';
import { generatedFrom } from '../application-sets';
import { GraphObject, locationOf, ObjectGraph } from '../graph';
import { createdByPlatform } from '../platform-namespaces';
import { Problem, Rule } from '../rule';
import { createsNamespace, NAMESPACE_KINDS, syncsKnown } from '../tree-namespaces';

/** The objects of the input that make each namespace, with the Applications that sync them. */
function namespaceMakers(graph: ObjectGraph): Map<string, { object: GraphObject; synced: boolean }[]> {
  return graph.once('argocd-namespace-makers', () => {
    const by = new Map<string, { object: GraphObject; synced: boolean }[]>();
    for (const o of NAMESPACE_KINDS.flatMap((k) => graph.ofKind(k))) {
      const name = text(mapping(o.manifest.metadata).name);
      if (name) by.set(name, [...(by.get(name) ?? []), { object: o, synced: deliverersOf(o, graph).length > 0 }]);
    }
    return by;
  });
}

/** The namespaces the Application's namespaced objects land in (their own, else the destination's), each with its first object. */
function namespacesUsed(app: GraphObject, graph: ObjectGraph): Map<string, GraphObject> {
  const used = new Map<string, GraphObject>();
  for (const o of deliveredBy(app, graph)) {
    if (isClusterScoped(String(o.manifest.kind))) continue;
    const ns = graph.namespaceOf(o.manifest);
    if (ns && !ns.includes('{{') && !used.has(ns)) used.set(ns, o);
  }
  return used;
}

export const argocdNamespaceNotCreated: Rule = {
  id: 'argocd-namespace-not-created',
  title: 'an Argo CD Application syncs objects into a namespace nothing creates: its first sync fails with namespaces "…" not found',
  severity: 'error',
  appliesTo: ['Application'],
  premise:
    "every source of the Application is a folder of the checked input; a namespaced object it syncs lands in its own namespace, else the destination's; the namespace is made by nothing: no Namespace (or OpenShift Project) that an Application of the input syncs, no CreateNamespace=true for the destination's, not one the platform creates (default, kube-*, openshift-*, redhat-ods-*, rhods-notebooks, opendatahub, the Serverless, Service Mesh and GPU operators'); an error for the destination namespace where the Application syncs a Namespace itself (it makes its namespaces, just not this one), else a warning (a namespace its objects name themselves may be an operator's or another team's) (the namespace may be a project made on the cluster), as is a Namespace of the tree no Application syncs (it may be applied by hand); a tree that holds no Namespace at all leaves namespaces to others and is not judged",
  example: "an Application's destination `namespace: llm-prod` with `CreateNamespace=false`, while the Namespace of its folder is `name: llm-serving`",
  fix: 'deliver a Namespace object of that name with the Application (or an earlier one), set syncPolicy.syncOptions CreateNamespace=true, or send the objects to a namespace the tree creates',
  source:
    'gitops-engine pkg/sync/sync_context.go: namespace-less namespaced objects get the destination namespace, and a namespace is created only for CreateNamespace=true (syncNamespace); the API server refuses an object in a missing namespace (namespaces "…" not found), so the sync fails',
  check(app, { graph }) {
    // a tree without any Namespace leaves making namespaces to others (the dashboard's projects, a bootstrap step)
    if (!syncsKnown(app, graph) || !NAMESPACE_KINDS.some((k) => graph.ofKind(k).length)) return [];
    const destination = destinationNamespace(app.manifest);
    const createNamespace = createsNamespace(app.manifest);
    const makers = namespaceMakers(graph);
    // the Application makes its namespaces (it syncs a Namespace), just not this one: surely an error; where only other
    // Applications do, the namespace may be a project made on the cluster (the dashboard's), which the tree does not show
    const managed = deliveredBy(app, graph).some((o) => NAMESPACE_KINDS.includes(String(o.manifest.kind)));
    const set = generatedFrom(app);
    const problems: Problem[] = [];
    for (const [ns, first] of namespacesUsed(app, graph)) {
      if (createdByPlatform(ns) || (createNamespace && ns === destination)) continue;
      const made = makers.get(ns) ?? [];
      if (made.some((m) => m.synced)) continue;
      const unsynced = made.map((m) => locationOf(m.object)).filter((l): l is string => l !== undefined);
      const how =
        ns === destination && !text(mapping(first.manifest.metadata).namespace) ? ' (the destination namespace, which it gives namespace-less objects)' : '';
      problems.push({
        // certain only for the destination namespace, which the Application owns; a namespace its objects name
        // themselves may be an operator's or another team's
        severity: managed && !unsynced.length && ns === destination ? 'error' : 'warning',
        message:
          `syncs ${graph.id(first)} into namespace '${ns}'${how}, which nothing creates: no Application of the input syncs a Namespace '${ns}'` +
          (unsynced.length ? ` (the one at ${unsynced.join(', ')} is synced by none: applied by hand, if at all)` : '') +
          `${ns === destination ? ', and syncOptions has no CreateNamespace=true' : ''}; the first sync fails (namespaces "${ns}" not found): ` +
          `deliver the Namespace with this Application${ns === destination ? ', set CreateNamespace=true,' : ''} or send the objects to a namespace the tree creates` +
          (set ? ` (the Application is generated by ${set})` : ''),
      });
    }
    return problems;
  },
};
