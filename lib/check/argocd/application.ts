import { finite, mapping, mappings, stringMap, text } from '../../manifests/access';
import { placedSources } from '../argocd-paths';
import { generatedFrom } from '../application-sets';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Destination } from './app-project';
import { SYNC_WAVE_ANNOTATION } from '../../k8s/keys';

/** The wave an object carries, if it carries one (Argo CD reads a missing one as 0). */
export function waveOf(o: GraphObject): number | undefined {
  const raw = stringMap(mapping(o.manifest.metadata).annotations)[SYNC_WAVE_ANNOTATION];
  return raw === undefined ? undefined : finite(raw);
}

/** The AppProject an Application names (`default` when it names none: types.go GetProject), when the input holds it. */
export function projectOf(app: GraphObject, graph: ObjectGraph): GraphObject | undefined {
  return graph.find('AppProject', text(mapping(app.manifest.spec).project) || 'default');
}

/**
 * The Application's destination: server (trailing `/` trimmed, as util/argo GetDestinationServer looks the cluster up)
 * or name, and namespace (`''` when it gives none).
 */
export function destinationOf(app: GraphObject): Destination {
  const d = mapping(mapping(app.manifest.spec).destination);
  const server = text(d.server)?.replace(/\/+$/, '');
  const name = text(d.name);
  return { namespace: text(d.namespace) ?? '', ...(server ? { server } : {}), ...(name ? { name } : {}) };
}

/** util/argo GetDestinationServer's refusals of a destination, before any project is consulted. */
export function destinationError(app: GraphObject): string | undefined {
  const d = mapping(mapping(app.manifest.spec).destination);
  const server = text(d.server) ?? '';
  const name = text(d.name) ?? '';
  if (server && name) return `application destination can't have both name and server defined: ${name} ${server}`;
  if (!server && !name) return 'Destination server missing from app spec';
  return undefined;
}

/** The repositories an Application syncs from: `source`, every `sources[]`, or a source hydrator's dry source. */
export function repositoriesOf(app: GraphObject): string[] {
  const spec = mapping(app.manifest.spec);
  const hydrator = mapping(spec.sourceHydrator);
  const repos = mappings(spec.sources).length
    ? mappings(spec.sources).map((s) => text(s.repoURL))
    : Object.keys(hydrator).length
      ? [text(mapping(hydrator.drySource).repoURL)]
      : [text(mapping(spec.source).repoURL)];
  return [...new Set(repos.filter((r): r is string => r !== undefined))];
}

/** The objects an Application's paths deliver, each once. */
export function deliveredBy(app: GraphObject, graph: ObjectGraph): GraphObject[] {
  return [...new Set(placedSources(graph, app).flatMap((s) => s.objects))];
}

/** The Applications of the checked input that deliver an object (an app-of-apps parent delivers its children). */
export function deliverersOf(o: GraphObject, graph: ObjectGraph): GraphObject[] {
  const index = graph.once('argocd-deliverers', () => {
    const by = new Map<GraphObject, GraphObject[]>();
    for (const app of graph.ofKind('Application')) for (const x of deliveredBy(app, graph)) by.set(x, [...(by.get(x) ?? []), app]);
    return by;
  });
  return index.get(o) ?? [];
}

/**
 * Whether one delivery applies both Applications: they are one, documents of one file, elements of one
 * ApplicationSet, objects of one kustomize build, or objects an Application of the input (an app-of-apps) syncs
 * together. Applications in loose files of their own are often alternatives a README applies one at a time (base, or
 * one of its variants): nothing says both run.
 */
export function appliedTogether(graph: ObjectGraph, a: GraphObject, b: GraphObject): boolean {
  // one file is applied whole (kubectl apply -f), its documents together
  if (a === b || (a.file !== undefined && a.file === b.file)) return true;
  const set = generatedFrom(a);
  if (set && set === generatedFrom(b)) return true;
  if ((a.unit !== undefined && a.unit === b.unit) || a.kustomizations?.some((k) => b.kustomizations?.includes(k))) return true;
  const parents = deliverersOf(a, graph);
  return deliverersOf(b, graph).some((p) => parents.includes(p));
}
