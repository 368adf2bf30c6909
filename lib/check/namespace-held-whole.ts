import { builtInGroup } from '../k8s/api-version';
import { text } from '../manifests/access';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { unseenInstalls } from './tree-namespaces';

/** Objects that deliver more than the tree shows: a chart or a repository path another controller applies. */
const DELIVERY_KINDS: readonly string[] = ['Application', 'ApplicationSet', 'HelmRelease', 'HelmChart', 'GitRepository', 'OCIRepository'];

/** Whether a script's helm command may install into the namespace (`-n NS`, `--namespace NS`, `--namespace=NS`). */
function helmInto(command: string, namespace: string): boolean {
  return new RegExp(`(?:^|\\s)(?:-n|--namespace)(?:\\s+|=)['"]?${namespace.replace(/[.]/g, '\\.')}['"]?(?:\\s|$)`).test(command);
}

/**
 * The Namespace object of the tree that shows every pod maker of its namespace: the tree creates the namespace,
 * reads every file of the input whole and renders none, delivers nothing else (no Argo CD Application or Flux source whose content the check does not read, no helm
 * install into it), and each object in it is of Kubernetes' own kinds, a workload whose pod labels the caller knows
 * (`knownPodMaker`), or a prometheus-operator monitor; undefined when another may add pods to it.
 */
export function namespaceHeldWhole(namespace: string | undefined, graph: ObjectGraph, knownPodMaker: (o: GraphObject) => boolean): GraphObject | undefined {
  if (!namespace) return undefined;
  const created = graph.ofKind('Namespace').find((o) => text(o.manifest.metadata?.name) === namespace);
  if (!created) return undefined;
  // a file the reader could not read whole, or a template rendered before it is applied, may hold more workloads
  if (graph.unreadInput.length || graph.objects.some((o) => o.template !== undefined)) return undefined;
  if (DELIVERY_KINDS.some((k) => graph.ofKind(k).length)) return undefined;
  // what the input does not show delivers into it (unseenInstalls), or a script's helm command installs there at all
  if (unseenInstalls(graph, namespace).length || graph.helmCommands.some((h) => helmInto(h.text, namespace))) return undefined;
  const inside = graph.objects.filter((o) => o.manifest.kind !== 'Namespace' && graph.namespaceOf(o.manifest) === namespace);
  const shown = (o: GraphObject) =>
    knownPodMaker(o) || builtInGroup(o.manifest.apiVersion) || String(o.manifest.apiVersion).startsWith('monitoring.coreos.com/');
  return inside.every(shown) ? created : undefined;
}
