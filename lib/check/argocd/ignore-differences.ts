import { Loose, mapping, mappings, text } from '../../manifests/access';
import { gvkOf } from '../../manifests/field-specs';
import { isClusterScoped, knownNamespacedKind } from '../../manifests/scope';
import { chartAt, placedSources } from '../argocd-paths';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { syncsKnown } from '../tree-namespaces';
import { deliveredBy } from './application';
import { destinationNamespace } from './destination-namespace';
import { globMatch } from './directory-source';

/**
 * The kustomize settings of an Application's source that rename or move what the folder builds (argo-cd
 * ApplicationSourceKustomize): with one, the objects' names and namespaces are not those the folder's build shows.
 */
const RENAMING_KUSTOMIZE = ['namePrefix', 'nameSuffix', 'namespace', 'patches', 'components', 'replicas'];

/**
 * The objects an Application delivers, when the input shows them in full: every source a folder of the input (syncsKnown)
 * rendered without Helm, a plugin or kustomize overrides that rename or move, each delivering objects, no file of a
 * directory source left unread, and no object from a kustomize build the reader followed only in part or kustomize
 * refuses. Undefined otherwise (a name or namespace may then be one the input does not show).
 */
export function deliveredInFull(app: GraphObject, graph: ObjectGraph): GraphObject[] | undefined {
  if (!syncsKnown(app, graph)) return undefined;
  const spec = mapping(app.manifest.spec);
  const sources = [mapping(spec.source), ...mappings(spec.sources)].filter((s) => text(s.repoURL));
  const rendered = (s: Loose) => s.helm !== undefined || s.plugin !== undefined || s.chart !== undefined;
  if (sources.some((s) => rendered(s) || RENAMING_KUSTOMIZE.some((k) => mapping(s.kustomize)[k] !== undefined))) return undefined;
  const placed = placedSources(graph, app);
  if (placed.some((s) => !s.objects.length || s.unread.length || (s.place !== undefined && chartAt(graph, s.place)))) return undefined;
  const objects = deliveredBy(app, graph);
  return objects.some((o) => graph.inPartlyBuiltBuild(o) || graph.inFailedBuild(o)) ? undefined : objects;
}

/**
 * The namespaces an object has as Argo CD compares it: its own; none for a cluster-scoped kind; the destination
 * namespace for a namespaced one written without (argo-cd controller/state.go sets it on the target objects); either
 * for a custom kind whose scope the input does not say.
 */
function comparedNamespaces(o: GraphObject, app: GraphObject, graph: ObjectGraph): string[] {
  const kind = String(o.manifest.kind);
  if (isClusterScoped(kind)) return [''];
  const own = text(mapping(o.manifest.metadata).namespace);
  if (own) return [own];
  const destination = destinationNamespace(app.manifest) ?? '';
  return knownNamespacedKind(
    String(o.manifest.apiVersion ?? ''),
    kind,
    graph.ofKind('CustomResourceDefinition').map((c) => c.manifest),
  )
    ? [destination]
    : [destination, ''];
}

/** Whether an ignoreDifferences entry's group and kind (globs) match the object (argo-cd ignoreNormalizer.Normalize). */
export function groupKindMatch(entry: Loose, o: GraphObject): boolean {
  const { group, kind } = gvkOf(o.manifest);
  return globMatch(text(entry.group) ?? '', group) && globMatch(text(entry.kind) ?? '', kind);
}

/**
 * Whether an ignoreDifferences entry applies to a delivered object: group and kind matched as globs, and the name and
 * namespace, where the entry sets them, equal (argo-cd util/argo/normalizers/diff_normalizer.go).
 */
export function entryMatches(entry: Loose, o: GraphObject, app: GraphObject, graph: ObjectGraph): boolean {
  const name = text(entry.name);
  const namespace = text(entry.namespace);
  return (
    groupKindMatch(entry, o) &&
    (!name || name === text(mapping(o.manifest.metadata).name)) &&
    (!namespace || comparedNamespaces(o, app, graph).includes(namespace))
  );
}

/** An object as a message names it: kind, name and the namespace Argo CD compares it in. */
export function comparedId(o: GraphObject, app: GraphObject, graph: ObjectGraph): string {
  const ns = comparedNamespaces(o, app, graph);
  return `${String(o.manifest.kind)} '${text(mapping(o.manifest.metadata).name) ?? ''}'${ns.length === 1 && ns[0] ? ` in namespace '${ns[0]}'` : ''}`;
}
