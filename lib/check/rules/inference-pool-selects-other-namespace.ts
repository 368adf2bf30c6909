import { holdsLabels, stringMap } from '../../manifests/access';
import { poolModelServers, poolSelector } from '../endpoint-pickers';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { namespaceHeldWhole } from '../namespace-held-whole';
import { podLabelsOf, SERVICE_BACKEND_KINDS, serviceBackends } from '../pods';
import { Problem, Rule } from '../rule';

/** The workloads of other namespaces (named in their manifests) whose pods carry every label the pool selects. */
function selectedElsewhere(graph: ObjectGraph, selector: Record<string, string>, ns: string): GraphObject[] {
  return serviceBackends(graph).filter((w) => {
    const own = graph.namespaceOf(w.manifest);
    return own !== undefined && own !== ns && holdsLabels(stringMap(podLabelsOf(w.manifest)), selector);
  });
}

/** The InferencePools of the tree in a namespace. */
function poolsOfNamespace(graph: ObjectGraph, ns: string): GraphObject[] {
  return graph.ofKind('InferencePool').filter((p) => graph.namespaceOf(p.manifest) === ns);
}

export const inferencePoolSelectsOtherNamespace: Rule = {
  id: 'inference-pool-selects-other-namespace',
  title:
    "an InferencePool's selector matches model server pods of another namespace only: the endpoint picker watches the pool's namespace, so the pool has no endpoints",
  severity: 'error',
  appliesTo: ['InferencePool'],
  premise:
    "an InferencePool of a namespace with a selector (v1 selector.matchLabels, v1alpha2's label map) that no Pod, Deployment, StatefulSet, DaemonSet or ReplicaSet of its namespace (or without one) matches, while such a workload of another namespace named in its manifest carries every selected label; " +
    "the endpoint picker caches pods of the pool's namespace only, so those pods are never endpoints and every request routed to the pool fails for want of one; " +
    "an error where the tree holds the pool's namespace whole (it creates it and shows every pod maker in it), or where no InferencePool of the tree in the selected workloads' namespace selects them (the model servers the tree runs for this pool are never its endpoints, whatever else lands in the pool's namespace); else a warning (another pool serves them, and pods delivered elsewhere into the pool's namespace may carry the labels)",
  example: 'an InferencePool in `namespace: gateway` selecting `app: chat-vllm`, whose vLLM Deployment runs in `namespace: models`',
  fix: "put the InferencePool (and its endpoint picker) in the model servers' namespace, or run the model servers in the pool's",
  source:
    "kubernetes-sigs/gateway-api-inference-extension pkg/epp/server/controller_manager.go defaultManagerOptions (the picker's cache holds Pods of the pool's namespace only) and pkg/epp/controller/pod_reconciler.go (a pod becomes an endpoint when the pool's selector matches it); the InferencePool API: the pool's pods are in its namespace",
  check(o, { graph }) {
    const ns = graph.namespaceOf(o.manifest);
    const selector = poolSelector(o.manifest);
    if (!ns || !Object.keys(selector).length || poolModelServers(graph, o).length) return [];
    const elsewhere = selectedElsewhere(graph, selector, ns);
    if (!elsewhere.length) return [];
    const held = namespaceHeldWhole(ns, graph, (x) => SERVICE_BACKEND_KINDS.includes(String(x.manifest.kind)));
    // the pods the tree runs for this pool are elsewhere, and no pool of their own namespace selects them: whatever
    // else lands in the pool's namespace, the tree's model servers are never its endpoints
    const orphaned = elsewhere.every(
      (w) => !poolsOfNamespace(graph, graph.namespaceOf(w.manifest)!).some((p) => holdsLabels(stringMap(podLabelsOf(w.manifest)), poolSelector(p.manifest))),
    );
    const certain = held || orphaned;
    const labels = Object.entries(selector).map(([k, v]) => `${k}=${v}`);
    const where = [...new Set(elsewhere.map((w) => graph.namespaceOf(w.manifest)!))];
    const why = held
      ? ", which the tree holds whole: the endpoint picker watches pods of the pool's namespace only, so the pool has no endpoints and every request routed to it fails"
      : orphaned
        ? `, and no InferencePool of ${where.length > 1 ? 'their namespaces' : `'${where[0]}'`} selects them: the endpoint picker watches pods of the pool's namespace only, so the model servers the tree runs for this pool are never its endpoints, and requests routed to it fail for want of one`
        : ": the endpoint picker watches pods of the pool's namespace only, so the pool has no endpoints and every request routed to it fails (unless pods delivered elsewhere into the namespace carry these labels)";
    const problem: Problem = {
      severity: certain ? 'error' : 'warning',
      message: `spec.selector ${labels.join(', ')} matches the pods of ${elsewhere.map((w) => graph.id(w)).join(', ')}, in namespace ${where.map((n) => `'${n}'`).join(', ')}, and none in the pool's namespace '${ns}'${why}; put the InferencePool and its endpoint picker in '${where[0]}', or run the model servers in '${ns}'`,
    };
    return [problem];
  },
};
