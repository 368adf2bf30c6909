import { mapping, text } from '../../manifests/access';
import { isClusterScoped } from '../../manifests/scope';
import { deliveredBy, deliverersOf } from '../argocd/application';
import { destinationNamespace } from '../argocd/destination-namespace';
import { later, Slot, slotOf, slotWords } from '../argocd/hooks';
import { GraphObject, locationOf } from '../graph-object';
import { ObjectGraph } from '../graph';
import { knownNamespaced } from '../namespaced-kinds';
import { ANY_KIND, Problem, Rule } from '../rule';
import { createdWithoutTree, createsNamespace, NAMESPACE_KINDS, scriptNamespaces } from '../tree-namespaces';

/** OLM's namespaced kinds, which a tree places in the namespace their operator is installed into (operator-framework/api: Subscription, OperatorGroup, CatalogSource). */
const OLM_NAMESPACED = new Set(['Subscription', 'OperatorGroup', 'CatalogSource']);

/**
 * Whether the object lives in a namespace for sure: a namespaced kind the tree knows (knownNamespaced), or an OLM kind
 * written with its namespace. A custom kind whose CRD the tree lacks may be cluster-scoped, and its namespace ignored.
 */
function namespaced(o: GraphObject, graph: ObjectGraph): boolean {
  if (isClusterScoped(String(o.manifest.kind))) return false;
  if (knownNamespaced(o, graph)) return true;
  return OLM_NAMESPACED.has(String(o.manifest.kind)) && String(o.manifest.apiVersion ?? '').startsWith('operators.coreos.com/');
}

/** The Namespace (or Project) object named `ns` that the Application syncs, with its slot, if it syncs one. */
function syncedNamespace(app: GraphObject, ns: string, graph: ObjectGraph): { object: GraphObject; slot: Slot } | undefined {
  const byApp = graph.once('argocd-synced-namespaces', () => new Map<GraphObject, Map<string, { object: GraphObject; slot: Slot }>>());
  let index = byApp.get(app);
  if (!index) {
    index = new Map();
    for (const x of deliveredBy(app, graph)) {
      const name = text(mapping(x.manifest.metadata).name);
      const slot = slotOf(x);
      if (NAMESPACE_KINDS.includes(String(x.manifest.kind)) && name && slot && !index.has(name)) index.set(name, { object: x, slot });
    }
    byApp.set(app, index);
  }
  return index.get(ns);
}

/**
 * Whether the namespace exists before the Application's waves run, whatever its Namespace's wave: Argo CD creates the
 * destination namespace first with CreateNamespace=true, the cluster or its platform has it, or a script of the tree
 * makes it.
 */
function madeBeforeWaves(app: GraphObject, ns: string, graph: ObjectGraph): boolean {
  if (createsNamespace(app.manifest) && destinationNamespace(app.manifest) === ns) return true;
  return createdWithoutTree(graph, ns) || scriptNamespaces(graph).has(ns);
}

/** Another Application of the input that syncs a Namespace of that name or creates it: if it has synced first, the namespace is there. */
function otherMaker(app: GraphObject, ns: string, graph: ObjectGraph): GraphObject | undefined {
  return graph
    .ofKind('Application')
    .find(
      (other) =>
        other !== app &&
        ((createsNamespace(other.manifest) && destinationNamespace(other.manifest) === ns) ||
          deliveredBy(other, graph).some((x) => NAMESPACE_KINDS.includes(String(x.manifest.kind)) && text(mapping(x.manifest.metadata).name) === ns)),
    );
}

function problems(o: GraphObject, graph: ObjectGraph): Problem[] {
  const slot = slotOf(o);
  const ns = graph.namespaceOf(o.manifest);
  if (!slot || !ns || NAMESPACE_KINDS.includes(String(o.manifest.kind)) || !namespaced(o, graph)) return [];
  for (const app of deliverersOf(o, graph)) {
    const namespace = syncedNamespace(app, ns, graph);
    // in one wave Argo CD applies Namespaces before the kinds that live in them (gitops-engine sync_tasks.go kind order)
    if (!namespace || !later(namespace.slot, slot) || madeBeforeWaves(app, ns, graph)) continue;
    const where = locationOf(namespace.object);
    // nothing orders two Applications applied side by side: the other one may or may not have made the namespace first
    const other = otherMaker(app, ns, graph);
    return [
      {
        ...(other ? { severity: 'warning' as const } : {}),
        message:
          `is synced in ${slotWords(slot)}, before its Namespace '${ns}'${where ? ` (${where})` : ''} in ${slotWords(namespace.slot)}, by ${graph.id(app)}: ` +
          `Argo CD applies each wave only after the earlier ones, so on a cluster without the namespace the API server refuses this object (namespaces "${ns}" not found), ` +
          `the sync fails at that wave and nothing after it is applied (a retry runs the waves in the same order)` +
          (other ? `, unless ${graph.id(other)}, which also makes namespace '${ns}', has synced before` : '') +
          `; give it a sync wave no earlier than the Namespace's, or the Namespace an earlier one`,
      },
    ];
  }
  return [];
}

export const argocdNamespaceWaveOrder: Rule = {
  id: 'argocd-namespace-wave-order',
  title:
    'an object an Argo CD Application syncs in an earlier sync wave (or phase) than the Namespace it lives in: the API server refuses it, namespace not found',
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    "one Application of the input syncs both the object and a Namespace (or OpenShift Project) named as the object's namespace (its own, else the destination's); " +
    'the object is of a namespaced kind for sure (a Kubernetes kind that is not cluster-scoped, a kind a CRD of the tree declares Namespaced, or an OLM Subscription, OperatorGroup or CatalogSource) and no Namespace itself; ' +
    "its phase and wave (PreSync, Sync, PostSync, then argocd.argoproj.io/sync-wave, a Helm hook weight for a Helm hook, 0 when unset) come strictly before the Namespace's (in one wave Argo CD applies Namespaces first); " +
    'nothing makes the namespace before the waves run: not CreateNamespace=true on that Application with the namespace as destination, not the cluster or its platform (default, kube-*, openshift-operators, …), not a script of the tree; a warning where another Application of the input syncs a Namespace of that name or creates it (nothing says it syncs first)',
  example:
    'a Subscription with `argocd.argoproj.io/sync-wave: "-15"` in namespace openshift-nfd, and the Namespace openshift-nfd at `argocd.argoproj.io/sync-wave: "-10"` in the same Application',
  fix: "give the object a sync wave no earlier than its Namespace's (or the Namespace an earlier wave), or set CreateNamespace=true with the namespace as the Application's destination",
  source:
    'gitops-engine pkg/sync/sync_context.go (Sync: the tasks of the lowest phase and wave not yet done are applied, the next wave only once they succeed; a failed task ends the operation) and sync_tasks.go (tasks sorted by phase, wave, then kind, Namespace first); ' +
    'the API server refuses a namespaced object in a namespace that does not exist (NamespaceLifecycle admission: namespaces "…" not found); argo-cd docs user-guide/sync-waves.md',
  check(o, { graph }) {
    return problems(o, graph);
  },
};
