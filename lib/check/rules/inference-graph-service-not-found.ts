import { isMapping, mapping, mappings, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { namespaceHeldWhole } from '../namespace-held-whole';
import { didYouMean, objectCandidates } from '../near-names';
import { deliveryUnitOf } from '../runtime-binding';
import { Problem, Rule } from '../rule';

/** Kinds of KServe a namespace held whole may hold beside Kubernetes' own: none of them makes an InferenceService. */
const KSERVE_KINDS: readonly string[] = ['InferenceService', 'InferenceGraph', 'ServingRuntime'];

/**
 * The tree's InferenceServices the graph's controller finds under a step's serviceName: those of the graph's namespace
 * (a namespace-less one applied together with a namespace-less graph counts, as it lands where the graph lands).
 */
function servicesBeside(graph: ObjectGraph, o: GraphObject): GraphObject[] {
  const ns = graph.namespaceOf(o.manifest);
  const unit = deliveryUnitOf(o);
  return graph.ofKind('InferenceService').filter((s) => {
    const sns = graph.namespaceOf(s.manifest);
    return ns === undefined ? sns === undefined && unit !== '' && deliveryUnitOf(s) === unit : sns === ns;
  });
}

/** The serviceName of each step of the graph, with where it is (`node 'root' step 1`). */
function namedServices(o: GraphObject): { where: string; name: string }[] {
  const nodes = mapping(mapping(o.manifest.spec).nodes);
  return Object.entries(nodes).flatMap(([node, router]) =>
    isMapping(router)
      ? mappings(router.steps).flatMap((s, i) => {
          const name = text(s.serviceName);
          return name ? [{ where: `node '${node}' step ${i}`, name }] : [];
        })
      : [],
  );
}

/** ` (the tree has one in namespace x: the controller looks only in the graph's)` where another namespace holds it. */
function elsewhere(graph: ObjectGraph, name: string, beside: readonly GraphObject[]): string {
  const other = graph.ofKind('InferenceService').find((s) => text(s.manifest.metadata?.name) === name && !beside.includes(s));
  const ns = other && graph.namespaceOf(other.manifest);
  return ns ? ` (the tree has one in namespace '${ns}': the controller looks only in the graph's namespace)` : '';
}

export const inferenceGraphServiceNotFound: Rule = {
  id: 'inference-graph-service-not-found',
  title: "an InferenceGraph step's serviceName names no InferenceService of the graph's namespace, where the tree holds that namespace's services",
  severity: 'warning',
  appliesTo: ['InferenceGraph'],
  premise:
    "KServe's InferenceGraph controller gets the InferenceService of each step's serviceName in the graph's namespace before it makes the router, and requeues with \"Failed to find graph service\" while one is missing: the graph has no router and serves nothing. " +
    "Judged only where the tree holds InferenceServices of the graph's namespace (a namespace-less one applied together with a namespace-less graph counts): a warning, as another app may make the service; an error where the tree creates the namespace and shows everything in it (no Argo CD Application, Flux source, helm install into it or rendered template, every file read whole), so nothing else makes the service",
  example: "a graph step `serviceName: text-translator` beside InferenceServices named 'lang-detect' and 'text-translate'",
  fix: "name an InferenceService of the graph's namespace in serviceName (the message names the near one), or add that service",
  source:
    'kserve/kserve pkg/controller/v1alpha1/inferencegraph/controller.go Reconcile (v0.15.0 to v0.20.0: r.Get of types.NamespacedName{Namespace: graph.Namespace, Name: route.ServiceName}, "Failed to find graph service %s", Requeue before the router is made)',
  check(o, { graph }) {
    if (!/^serving\.kserve\.io\//.test(text(o.manifest.apiVersion) ?? '')) return [];
    const beside = servicesBeside(graph, o);
    if (!beside.length) return [];
    const ns = graph.namespaceOf(o.manifest);
    const held = namespaceHeldWhole(ns, graph, (x) => KSERVE_KINDS.includes(String(x.manifest.kind)));
    const names = new Set(beside.map((s) => text(s.manifest.metadata?.name)));
    const where = ns ? `namespace '${ns}'` : "the graph's namespace";
    return namedServices(o)
      .filter((s) => !names.has(s.name))
      .map((s): Problem => {
        const meant = didYouMean(s.name, objectCandidates(beside));
        const base =
          `${s.where} names serviceName '${s.name}', and the tree's InferenceServices of ${where} are ${[...names].map((n) => `'${n}'`).join(', ')}${meant ? ` (${meant})` : ''}${elsewhere(graph, s.name, beside)}: ` +
          `KServe's graph controller fails to find the service ("Failed to find graph service") and makes no router, so the graph serves nothing`;
        return held
          ? {
              severity: 'error',
              message: `${base}; the tree creates ${where} and shows all it holds, so nothing else makes '${s.name}': ${inferenceGraphServiceNotFound.fix}`,
            }
          : { message: `${base} unless another app makes '${s.name}' there: ${inferenceGraphServiceNotFound.fix}` };
      });
  },
};
