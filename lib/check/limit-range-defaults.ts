import { Loose, mapping, mappings, text } from '../manifests/access';
import { ObjectGraph } from './graph';

/** A resource a LimitRange of the namespace gives the containers that set none, and the LimitRange. */
export interface DefaultedResource {
  readonly resource: string;
  readonly limitRange: string;
}

/**
 * The resources the tree's LimitRanges of a namespace give a pod's containers (init containers too) that set neither a
 * request nor a limit of them: each `type: Container` limit's default (limits) and defaultRequest. Kueue merges them
 * into the workload's containers before it assigns flavors, then takes limits as missing requests (kueue
 * pkg/workload/resources.go AdjustResources: handlePodLimitRange, handleLimitsToRequests), as the LimitRanger admission
 * does for the pods; so such a resource is requested.
 */
export function limitRangeDefaulted(graph: ObjectGraph, namespace: string | undefined, pod: Loose | undefined): DefaultedResource[] {
  if (namespace === undefined || !pod) return [];
  const defaults = graph
    .ofKind('LimitRange')
    .filter((l) => graph.namespaceOf(l.manifest) === namespace)
    .flatMap((l) =>
      mappings(mapping(l.manifest.spec).limits)
        .filter((x) => text(x.type) === 'Container')
        .flatMap((x) => [...Object.keys(mapping(x.default)), ...Object.keys(mapping(x.defaultRequest))])
        .map((resource) => ({ resource, limitRange: text(mapping(l.manifest.metadata).name) ?? '' })),
    );
  if (!defaults.length) return [];
  const containers = [...mappings(pod.containers), ...mappings(pod.initContainers)];
  const sets = (c: Loose) => [...Object.keys(mapping(mapping(c.resources).requests)), ...Object.keys(mapping(mapping(c.resources).limits))];
  const out: DefaultedResource[] = [];
  for (const d of defaults) if (containers.some((c) => !sets(c).includes(d.resource)) && !out.some((o) => o.resource === d.resource)) out.push(d);
  return out;
}
