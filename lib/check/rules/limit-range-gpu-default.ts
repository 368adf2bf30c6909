import { Loose, mapping, mappings, shown, text } from '../../manifests/access';
import { mayBeAccelerator } from '../gpu-supply';
import { ObjectGraph } from '../graph';
import { GraphObject } from '../graph-object';
import { knativeMode } from '../kserve-mode';
import { Platform } from '../platform';
import { MULTI_POD_KINDS, templateContainers } from '../pod-templates';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';

/** An accelerator a LimitRange item gives each container that sets none, and the field it comes from. */
interface DefaultedAccelerator {
  readonly resource: string;
  readonly amount: unknown;
  readonly from: string;
}

/** How many affected containers a message names before counting the rest. */
const NAMED_CONTAINERS = 4;

/**
 * The accelerators a LimitRange item of type Container defaults, as the API server completes the item
 * (kubernetes pkg/apis/core/v1/defaults.go SetDefaults_LimitRangeItem: a missing default limit is the max, a missing
 * default request the default limit, else the min); items of type Pod or PersistentVolumeClaim default nothing.
 */
function defaultedAccelerators(item: Loose, at: string): DefaultedAccelerator[] {
  if (item.type !== 'Container') return [];
  const seen = new Set<string>();
  const fields = ['default', 'defaultRequest', 'max', 'min'] as const;
  return fields.flatMap((field) =>
    Object.entries(mapping(item[field]))
      .filter(([resource]) => mayBeAccelerator(resource) && !seen.has(resource))
      .map(([resource, amount]) => {
        seen.add(resource);
        return { resource, amount, from: `${at}.${field}` };
      }),
  );
}

/**
 * The containers of the tree's workloads in a namespace that set none of `resources` in their limits or requests:
 * LimitRanger's mergeContainerResources fills such a container's missing limit and request with the defaults.
 */
function containersWithout(
  graph: ObjectGraph,
  platform: Platform,
  namespace: string | undefined,
  resources: readonly string[],
): { said: string; object: GraphObject }[] {
  const lacks = (c: Loose) => {
    const r = mapping(c.resources);
    return resources.some((k) => !(k in mapping(r.limits)) && !(k in mapping(r.requests)));
  };
  const workloads = [...WORKLOAD_KINDS, ...MULTI_POD_KINDS].flatMap((k) => graph.ofKind(k)).filter((w) => graph.namespaceOf(w.manifest) === namespace);
  return workloads.flatMap((w) => {
    const m = w.manifest;
    const id = `${String(m.kind)}/${text(mapping(m.metadata).name) ?? '<unnamed>'}`;
    const listed = MULTI_POD_KINDS.includes(String(m.kind))
      ? templateContainers(m).map((c) => ({ where: c.where, container: c.container }))
      : containersOf(m, graph.runtimeOf(m)?.manifest).map((c) => ({ where: `${c.init ? 'init container' : 'container'} '${c.name}'`, container: c.container }));
    // Knative writes queue-proxy into the revision's Deployment, so the pod reaches admission with it
    const queueProxy = m.kind === 'InferenceService' && knativeMode(m, platform, graph) === 'certain' ? [`${id} queue-proxy (Knative's)`] : [];
    return [...listed.filter((c) => lacks(c.container)).map((c) => `${id} ${c.where}`), ...queueProxy].map((said) => ({ said, object: w }));
  });
}

const nameSome = (list: readonly string[]) =>
  list.slice(0, NAMED_CONTAINERS).join(', ') + (list.length > NAMED_CONTAINERS ? ` and ${list.length - NAMED_CONTAINERS} more` : '');

export const limitRangeGpuDefault: Rule = {
  id: 'limit-range-gpu-default',
  title:
    'a LimitRange of type Container defaults an accelerator (nvidia.com/gpu, amd.com/gpu, …), so every container of its namespace that sets none is given one',
  severity: 'error',
  appliesTo: ['LimitRange'],
  premise:
    "a LimitRange item of type Container whose default, defaultRequest, max or min names a resource other than cpu, memory, ephemeral-storage or hugepages-* (an accelerator's extended resource); an error when a workload of the tree in the LimitRange's namespace has a container (init containers included) that sets none of it (an InferenceService in Knative mode counts Knative's queue-proxy), else a warning for the pods outside the tree and the containers controllers inject",
  example: 'a LimitRange with `type: Container` and `nvidia.com/gpu: "1"` under `default:`, beside a CPU-only Job in its namespace',
  fix: 'remove the accelerator from the LimitRange item (keep cpu and memory there) and let the serving containers ask for their GPUs themselves; to cap GPUs per namespace use a ResourceQuota (requests.nvidia.com/gpu)',
  source:
    'kubernetes plugin/pkg/admission/limitranger/admission.go (defaultContainerResourceRequirements, mergeContainerResources: the item\'s defaults fill each container and init container without its own value, and the annotation "LimitRanger plugin set" records it) and pkg/apis/core/v1/defaults.go SetDefaults_LimitRangeItem (default from max, defaultRequest from default or min); extended resources cannot be overcommitted, so each defaulted container waits for a whole GPU or holds one',
  check(o, { graph, platform }) {
    const items = mappings(mapping(o.manifest.spec).limits);
    const defaulted = items.flatMap((item, i) => defaultedAccelerators(item, `spec.limits[${i}]`));
    if (!defaulted.length) return [];
    const namespace = graph.namespaceOf(o.manifest);
    const where = namespace ? `namespace '${namespace}'` : 'its namespace';
    const given = defaulted.map((d) => `${d.resource}: ${shown(d.amount)} (${d.from})`).join(', ');
    const affected = containersWithout(
      graph,
      platform,
      namespace,
      defaulted.map((d) => d.resource),
    );
    const effect =
      'LimitRanger gives it to every container and init container there that sets none of its own, sidecars and the ones controllers inject included (storage-initializer, queue-proxy, kube-rbac-proxy): each then waits for a free GPU or holds one it does not use';
    if (affected.length) {
      // the containers given a GPU run in those workloads' pods: latent while none of them runs one
      const problem: Problem = {
        failsIn: affected.map((a) => a.object),
        message: `type Container defaults ${given}: ${effect}; in the tree: ${nameSome(affected.map((a) => a.said))}. ${FIX}`,
      };
      return [problem];
    }
    return [
      {
        severity: 'warning',
        message: `type Container defaults ${given}: ${effect}. Every container of the tree in ${where} sets its own, so this assumes pods made outside the tree or injected containers run there. ${FIX}`,
      },
    ];
  },
};

const FIX = 'Remove the accelerator from the item and cap GPUs with a ResourceQuota (requests.nvidia.com/gpu) instead';
