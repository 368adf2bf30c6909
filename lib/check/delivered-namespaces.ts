import { mapping, text } from '../manifests/access';
import { isClusterScoped } from '../manifests/scope';
import { destinationNamespace } from './argocd/destination-namespace';
import { deliveredBy } from './argocd/application';
import { fluxDeliverersOf } from './flux-kustomizations';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { appliesObject } from './script-delivery';

/**
 * The namespace each namespace-less, namespaced object of the input gets from what delivers it, where that is one:
 * - the Argo CD Applications that sync it: their spec.destination.namespace (gitops-engine pkg/sync/sync_context.go,
 *   and argo-cd controller/state.go setting the namespace of the target objects), a kustomize source's too unless its
 *   kustomization set one;
 * - the Flux Kustomizations that build it: their spec.targetNamespace (fluxcd/kustomize-controller, the generator
 *   setting the kustomization's namespace to it before the build);
 * - the tree's scripts, where each command applying it names the same -n (k8s.io/cli-runtime resource.Builder
 *   DefaultNamespace: a namespace-less object goes to -n); one applied without -n goes to the kubeconfig context's, which
 *   the tree does not say.
 * A kustomization's own `namespace:` is already on the built object. An object delivered into two namespaces, or by a
 * command the namespace of which the tree does not say, keeps none (lookups from or to it match any, as before).
 */
export function deliveredNamespaces(graph: ObjectGraph): Map<GraphObject, string> {
  const found = new Map<GraphObject, Set<string | undefined>>();
  const add = (o: GraphObject, ns: string | undefined) => {
    if (isClusterScoped(String(o.manifest.kind)) || text(mapping(o.manifest.metadata).namespace)) return;
    found.set(o, (found.get(o) ?? new Set<string | undefined>()).add(ns));
  };
  for (const app of graph.ofKind('Application')) {
    const ns = destinationNamespace(app.manifest);
    if (ns) for (const o of deliveredBy(app, graph)) add(o, ns);
  }
  for (const o of graph.objects) {
    for (const k of fluxDeliverersOf(o, graph)) add(o, text(mapping(k.manifest.spec).targetNamespace));
    // a heredoc the script applies is the script's own text: its commands are read where it is
    for (const a of graph.scriptApplied.filter((s) => appliesObject(s, o)))
      add(o, a.namespace && /^[a-z0-9][a-z0-9-]*$/.test(a.namespace) ? a.namespace : undefined);
  }
  return new Map(
    [...found].flatMap(([o, set]) => {
      const [only] = [...set];
      return set.size === 1 && only !== undefined ? [[o, only] as [GraphObject, string]] : [];
    }),
  );
}
