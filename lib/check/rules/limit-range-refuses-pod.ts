import { Loose, mapping, mappings, shown, text } from '../../manifests/access';
import { parseQuantity } from '../../private/quantity';
import { repositoryObjectsOf } from '../found-elsewhere';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { MULTI_POD_KINDS, templateContainers } from '../pod-templates';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';

/** The resources judged here; an accelerator a LimitRange defaults is limit-range-gpu-default's. */
const RESOURCES = ['cpu', 'memory', 'ephemeral-storage'] as const;

/** One bound of a LimitRange item of type Container, as the API server completes the item, and where it is written. */
interface Bound {
  readonly value: unknown;
  readonly from: string;
}

/** A type Container item of a LimitRange, its fields completed for one resource. */
interface ItemBounds {
  readonly limitRange: string;
  /** For a LimitRange a manifest of the repository outside the checked folder writes, not the tree: its file and line. */
  readonly outside?: string;
  readonly defaultLimit?: Bound;
  readonly defaultRequest?: Bound;
  readonly max?: Bound;
  readonly min?: Bound;
}

/**
 * An item's bounds for a resource, completed as pkg/apis/core/v1/defaults.go SetDefaults_LimitRangeItem does for type
 * Container: a missing default (limit) is the max, a missing defaultRequest the default, else the min.
 */
function boundsOf(lr: { name: string; outside?: string }, item: Loose, at: string, resource: string): ItemBounds {
  const field = (name: string): Bound | undefined => {
    const value = mapping(item[name])[resource];
    return value === undefined ? undefined : { value, from: `${at}.${name}` };
  };
  const defaultLimit = field('default') ?? field('max');
  const defaultRequest = field('defaultRequest') ?? defaultLimit ?? field('min');
  return { limitRange: lr.name, outside: lr.outside, defaultLimit, defaultRequest, max: field('max'), min: field('min') };
}

/** A LimitRange's type Container items, completed for a resource. */
const containerItems = (lr: { name: string; outside?: string; manifest: Loose }, resource: string): ItemBounds[] =>
  mappings(mapping(lr.manifest.spec).limits).flatMap((item, i) => (text(item.type) === 'Container' ? [boundsOf(lr, item, `spec.limits[${i}]`, resource)] : []));

/** The type Container items of the namespace's LimitRanges in the tree, completed for a resource. */
function itemsIn(graph: ObjectGraph, namespace: string | undefined, resource: string): ItemBounds[] {
  return graph
    .ofKind('LimitRange')
    .filter((lr) => graph.namespaceOf(lr.manifest) === namespace)
    .flatMap((lr) => containerItems({ name: text(mapping(lr.manifest.metadata).name) ?? '<unnamed>', manifest: lr.manifest }, resource));
}

/**
 * The type Container items of the LimitRanges that manifests of the repository outside the checked folder put in the
 * namespace (their own namespace, or that of the kustomizations listing them; one of another or no namespace is not
 * counted), those of a name the tree holds in the namespace left out: LimitRanger applies every LimitRange of the
 * namespace once it is there, which the checked folder does not deliver.
 */
function repositoryItemsIn(graph: ObjectGraph, namespace: string | undefined, resource: string): ItemBounds[] {
  if (namespace === undefined) return [];
  const inTree = new Set(
    graph
      .ofKind('LimitRange')
      .filter((lr) => graph.namespaceOf(lr.manifest) === namespace)
      .map((lr) => text(mapping(lr.manifest.metadata).name)),
  );
  return repositoryObjectsOf(graph)
    .filter((r) => r.kind === 'LimitRange' && r.namespace === namespace && !inTree.has(r.name))
    .flatMap((r) => containerItems({ name: r.name, outside: `${r.file}, line ${r.line}`, manifest: r.manifest }, resource));
}

/** A value of a container, with where it came from: written, copied from the limit by the API's defaults, or a LimitRange's. */
interface Effective {
  readonly value: unknown;
  readonly said: string;
}

/**
 * The request and limit a container reaches admission with: its own; a request it lacks is its limit
 * (pkg/apis/core/v1/defaults.go SetDefaults_Pod, before admission); then LimitRanger's mergeContainerResources fills
 * what is still missing from the first item giving it (plugin/pkg/admission/limitranger/admission.go).
 */
function effective(container: Loose, resource: string, items: readonly ItemBounds[]): { request?: Effective; limit?: Effective } {
  const r = mapping(container.resources);
  const ownLimit = mapping(r.limits)[resource];
  const ownRequest = mapping(r.requests)[resource];
  const limitBound = ownLimit === undefined ? items.find((i) => i.defaultLimit)?.defaultLimit : undefined;
  const limit =
    ownLimit !== undefined
      ? { value: ownLimit, said: `limit ${shown(ownLimit)}` }
      : limitBound && { value: limitBound.value, said: `limit ${shown(limitBound.value)} from ${limitBound.from}` };
  if (ownRequest !== undefined) return { request: { value: ownRequest, said: `request ${shown(ownRequest)}` }, limit };
  if (ownLimit !== undefined) return { request: { value: ownLimit, said: `request ${shown(ownLimit)} (its limit)` }, limit };
  const requestBound = items.find((i) => i.defaultRequest)?.defaultRequest;
  return { request: requestBound && { value: requestBound.value, said: `request ${shown(requestBound.value)} from ${requestBound.from}` }, limit };
}

/** A LimitRange as a message names it: one of the repository outside the checked folder with its file. */
const limitRangeNamed = (item: ItemBounds) =>
  `LimitRange '${item.limitRange}'${item.outside ? ` of ${item.outside} (a manifest of the repository outside the checked folder)` : ''}`;

/** The first refusal of a container's resource: a defaulted limit below the request, then the items' max and min. */
function refusal(container: Loose, resource: string, items: readonly ItemBounds[]): string | undefined {
  const { request, limit } = effective(container, resource, items);
  const q = (e?: Effective | Bound) => (e === undefined ? undefined : parseQuantity(e.value));
  const [req, lim] = [q(request), q(limit)];
  const ownLimit = mapping(mapping(container.resources).limits)[resource] !== undefined;
  if (!ownLimit && req !== undefined && lim !== undefined && req > lim)
    return `${request!.said} and no limit: ${limitRangeNamed(items.find((i) => i.defaultLimit)!)} gives it ${limit!.said}, below the request, and the API server refuses the pod (resources.requests: Invalid value: must be less than or equal to ${resource} limit)`;
  for (const item of items) {
    const [max, min] = [q(item.max), q(item.min)];
    if (max !== undefined && lim !== undefined && lim > max) return bounded('maximum', item, item.max!, `but limit is ${shown(limit!.value)}`, limit!);
    if (max !== undefined && req !== undefined && req > max) return bounded('maximum', item, item.max!, `but request is ${shown(request!.value)}`, request!);
    if (min !== undefined && req !== undefined && req < min) return bounded('minimum', item, item.min!, `but request is ${shown(request!.value)}`, request!);
    if (min !== undefined && lim !== undefined && lim < min) return bounded('minimum', item, item.min!, `but limit is ${shown(limit!.value)}`, limit!);
  }
  return undefined;
}

const bounded = (which: string, item: ItemBounds, bound: Bound, but: string, value: Effective) =>
  `${value.said}: ${limitRangeNamed(item)} (${bound.from}) bounds it, and LimitRanger refuses the pod ("${which} … usage per Container is ${shown(bound.value)}, ${but}")`;

/** The containers of a workload's pods (init containers too), each with where it is written. */
function podContainers(o: GraphObject, graph: ObjectGraph): { where: string; container: Loose }[] {
  const m = o.manifest;
  if (MULTI_POD_KINDS.includes(String(m.kind))) return templateContainers(m).map((c) => ({ where: c.where, container: c.container }));
  return containersOf(m, graph.runtimeOf(m)?.manifest).map((c) => ({
    where: `${c.init ? 'init container' : 'container'} '${c.name}'`,
    container: c.container,
  }));
}

/** Each container resource a set of items refuses, as `where resource why`, with whether the refusing item is the repository's. */
function refused(containers: readonly { where: string; container: Loose }[], items: ReadonlyMap<string, readonly ItemBounds[]>) {
  return containers.flatMap(({ where, container }) =>
    RESOURCES.flatMap((r) => {
      const list = items.get(r) ?? [];
      const why = refusal(container, r, list);
      return why === undefined
        ? []
        : [
            {
              said: `${where} ${r} ${why}`,
              outside:
                list.some((i) => i.outside) &&
                refusal(
                  container,
                  r,
                  list.filter((i) => !i.outside),
                ) === undefined,
            },
          ];
    }),
  );
}

const CLOSING =
  "the controller's pod creation fails (FailedCreate) and no pod runs; give the container a limit at or above its request within the LimitRange's min and max, or change the LimitRange";

/**
 * The tree's refusals, an error; those only a LimitRange the repository puts in the namespace outside the checked
 * folder makes, a warning: the input does not deliver that LimitRange, but the repository shows it in the namespace.
 */
function refusals(o: GraphObject, graph: ObjectGraph): Problem[] {
  const namespace = graph.namespaceOf(o.manifest);
  const items = new Map(RESOURCES.map((r) => [r, [...itemsIn(graph, namespace, r), ...repositoryItemsIn(graph, namespace, r)]]));
  if (![...items.values()].some((list) => list.length)) return [];
  const found = refused(podContainers(o, graph), items);
  const own = found.filter((f) => !f.outside).map((f) => f.said);
  const outside = found.filter((f) => f.outside).map((f) => f.said);
  return [
    ...(own.length ? [{ message: `${own.join('; ')}: ${CLOSING}` }] : []),
    ...(outside.length
      ? [{ severity: 'warning' as const, message: `${outside.join('; ')}: once that LimitRange is applied to namespace '${namespace}', ${CLOSING}` }]
      : []),
  ];
}

export const limitRangeRefusesPod: Rule = {
  id: 'limit-range-refuses-pod',
  title:
    "a LimitRange of the workload's namespace refuses its pods: a default limit below a container's request, or a request or limit beyond the item's max or min",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS],
  premise:
    "the tree holds a LimitRange in the workload's namespace with an item of type Container, completed as the API server does (a missing default is the max, a missing defaultRequest the default, else the min); a container's cpu, memory or ephemeral-storage, with a missing request taken from its own limit, then LimitRanger filling the missing limit and request from the item: an error when the container sets a request and no limit and the default limit is below the request (pod validation: the request must not exceed the limit), or when its limit or request is above the item's max or below its min (LimitRanger's maxConstraint and minConstraint); accelerators are limit-range-gpu-default's; a value that is not a quantity is not judged. A LimitRange that a manifest of the git repository holding the checked folder puts in the workload's namespace outside that folder (its own namespace, or that of the kustomizations listing it; none of another or of no namespace) counts too, after the tree's: a refusal only it makes is a warning naming its file (the repository shows it in the namespace; the checked folder does not deliver it)",
  example: 'a container with `cpu: "3"` under requests and no cpu limit, in a namespace whose LimitRange item sets `cpu: "1"` under `default:`',
  fix: "set the container's limit at or above its request (within the item's max), or raise the LimitRange's default and max",
  source:
    'kubernetes plugin/pkg/admission/limitranger/admission.go (defaultContainerResourceRequirements, mergeContainerResources, minConstraint, maxConstraint: "maximum %s usage per %s is %s, but limit is %s"); pkg/apis/core/v1/defaults.go (SetDefaults_LimitRangeItem; SetDefaults_Pod copies a missing request from the limit); pkg/apis/core/validation ValidateResourceRequirements ("must be less than or equal to cpu limit")',
  check(o, { graph }) {
    return refusals(o, graph);
  },
};
