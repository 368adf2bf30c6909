import { holdsLabels, Loose, mapping, mappings, stringMap, strings, stringsIn, text } from '../manifests/access';
import { admitsNode, nodeSelectionOf, restrictedToKeys } from './node-selection';
import { formatMiB, formatMillis } from '../private/quantity';
import { poolWorkloads } from './llm-pools';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { podCount, podRequests, podSpecOf, WORKLOAD_KINDS } from './pods';
import { Taint, tolerates } from './taints';
import { holdsTemplate } from './template-syntax';
import { DefaultedResource, limitRangeDefaulted } from './limit-range-defaults';
import { integrationOff, kueuePodSets, POD_SET_KINDS, PodSetWorkload } from './kueue-pod-sets';
import {
  addUsage,
  available,
  flavorResource,
  GroupFlavor,
  potentialAvailable,
  QuotaNode,
  QuotaTree,
  removeUsage,
  ResourceGroup,
  resourceGroupsOf,
  ResourceQuota,
} from './kueue-tree';
import { GPU_RESOURCE, HARDWARE_PROFILE_ANNOTATION, JOB_MIN_PARALLELISM_ANNOTATION, NAMESPACE_NAME_LABEL } from '../k8s/keys';

/**
 * Kueue's admission of the workloads of a tree, as its scheduler computes it (kubernetes-sigs/kueue
 * pkg/scheduler/flavorassigner/flavorassigner.go, assignFlavors): each resource group of the ClusterQueue gets its
 * own flavor, the first one in the group's order whose node labels agree with the pod's node selector and required
 * node affinity (flavorSelector), whose node taints the pod tolerates, and whose quota holds the request — its unused
 * nominal quota, or by borrowing from the cohort tree up to the borrowing limits (fitsResourceQuota, over Kueue's quota
 * tree: kueue-tree.ts). A request above the flavor's nominal quota plus all it could ever borrow is never admitted
 * ("request > maximum capacity").
 */

/** Usage of one flavor's resource by the workloads of one ClusterQueue. */
export interface FlavorUsage {
  readonly flavor: string;
  readonly resource: string;
  readonly quota: ResourceQuota;
  /** The most the queue can hold: nominal quota plus what its cohort tree can lend it, within the borrowing limits. */
  readonly capacity: number;
  used: number;
  /** What the workloads that keep running use of it (used adds the largest run-to-completion workload on top). */
  held: number;
  readonly who: Set<string>;
  /** The workloads that keep running, of who. */
  readonly holders: Set<string>;
  /** What each workload takes of it alone (a run-to-completion one: its turn), to tell one that never fits from a sum. */
  readonly each: Map<GraphObject, number>;
  /** How the workloads' constructs named their nodes (node-shape annotation), for the advice. */
  readonly placements: Set<string>;
}

/** A cohort whose ClusterQueues' workloads need more of a flavor's resource than it can ever hold. */
export interface CohortOverrun {
  readonly cohort: QuotaNode;
  readonly flavor: string;
  readonly resource: string;
  /** What the workloads of its ClusterQueues need at once: the long-running ones and the largest run-to-completion one. */
  readonly need: number;
  /** What they can hold: their quotas, the cohorts' own, and what the cohort may borrow from its parent. */
  readonly hold: number;
  /** Whether the cohort's own borrowing limit is what caps it (else its whole tree lacks quota). */
  readonly limited: boolean;
  /** The most one workload of its queues needs alone, and the workloads whose needs add up to the overrun. */
  readonly largest: number;
  readonly workloads: readonly GraphObject[];
  /** The ClusterQueues below it, in the order of the tree. */
  readonly queues: readonly QuotaNode[];
}

export interface Admission {
  /** Per ClusterQueue name → per `flavor/resource`. */
  readonly usage: ReadonlyMap<string, Map<string, FlavorUsage>>;
  /** Per workload: why Kueue never admits it. */
  readonly refused: ReadonlyMap<GraphObject, string>;
  /**
   * Per workload refused for quota alone (no flavor of a group holds one unit, not for labels or taints): the fewest
   * of each resource one unit needs, for judging the other declarations of its ClusterQueue.
   */
  readonly quotaRefused: ReadonlyMap<GraphObject, readonly (readonly [string, number])[]>;
  /** The ClusterQueues and Cohorts, with the usage of the workloads that keep running. */
  readonly tree: QuotaTree;
  /** Cohorts that cannot hold what their queues' workloads need, each reported where its limit is. */
  readonly overruns: readonly CohortOverrun[];
}

/** What admission keeps track of: the usage per queue and in the tree, and the run-to-completion workloads, which take turns. */
interface Ledger {
  readonly graph: ObjectGraph;
  readonly tree: QuotaTree;
  readonly usage: Map<string, Map<string, FlavorUsage>>;
  readonly turns: { readonly node: QuotaNode; readonly need: readonly (readonly [string, number])[] }[];
}

/** Why a flavor's nodes cannot take the pod, or undefined when they can (flavorassigner: flavorSelector and untolerated taints). */
function incompatibility(pod: Loose, flavor: GroupFlavor): string | undefined {
  const spec = mapping(flavor.object?.manifest.spec);
  const nodeLabels = stringMap(spec.nodeLabels);
  const selector = stringMap(pod.nodeSelector);
  for (const [k, v] of Object.entries(nodeLabels)) {
    if (selector[k] !== undefined && selector[k] !== v) return `its node selector ${k}=${selector[k]} is not the flavor's ${k}=${v}`;
  }
  // required node affinity, read on the keys the flavor sets as Kueue reads it (flavorassigner flavorSelector)
  const onFlavorKeys = restrictedToKeys({ nodeSelector: {}, terms: nodeSelectionOf(pod).terms }, new Set(Object.keys(nodeLabels)));
  if (!admitsNode(onFlavorKeys, { labels: nodeLabels })) return `its required node affinity excludes the flavor's node labels`;
  const taints: Taint[] = mappings(spec.nodeTaints)
    .filter((t) => text(t.key) && (t.effect === 'NoSchedule' || t.effect === 'NoExecute'))
    .map((t) => ({ key: String(t.key), value: text(t.value), effect: String(t.effect) }));
  // the flavor's own tolerations are added to admitted pods, so they count (flavorassigner checkFlavorForPodSets)
  const tolerations = [...mappings(pod.tolerations), ...mappings(spec.tolerations)];
  const untolerated = taints.find((t) => !tolerations.some((x) => tolerates(x, t)));
  if (untolerated) return `it does not tolerate the flavor's taint ${untolerated.key}${untolerated.value ? `=${untolerated.value}` : ''}:${untolerated.effect}`;
  return undefined;
}

/** Resources Kueue needs covered whatever its configuration: core resources and whole GPUs. */
const CERTAIN_RESOURCES = /^(cpu|memory|ephemeral-storage|pods|nvidia\.com\/gpu|amd\.com\/gpu)$/;

/** A resource amount as a person writes it. */
export function showAmount(resource: string, v: number): string {
  if (resource === 'cpu') return `${formatMillis(Math.round(v * 1000))} CPU`;
  if (resource === GPU_RESOURCE) return `${v} GPU`;
  if (resource === 'memory' || resource === 'ephemeral-storage') return `${formatMiB(v / 2 ** 20)} ${resource}`;
  return `${Math.round(v * 1000) / 1000} ${resource}`;
}

/**
 * Whether a ClusterQueue has a namespaceSelector at all: Kueue turns a missing (or null) one into labels.Nothing(), which
 * matches no namespace, in v1beta1 and v1beta2 alike and in every release (apis/kueue/v1beta1 and v1beta2
 * clusterqueue_types.go: "Defaults to null which is a nothing selector"; pkg/cache clusterqueue.go
 * metav1.LabelSelectorAsSelector(spec.NamespaceSelector); no webhook or CRD default fills it); `{}` matches all.
 */
export function selectsNamespaces(clusterQueue: Loose): boolean {
  const selector = mapping(clusterQueue.spec).namespaceSelector;
  return selector !== undefined && selector !== null;
}

/** Whether a ClusterQueue's namespaceSelector admits a namespace whose Namespace object is in the tree (undefined: unknown). */
export function namespaceAdmitted(graph: ObjectGraph, cq: GraphObject, namespace: string | undefined): boolean | undefined {
  const selector = mapping(cq.manifest.spec).namespaceSelector;
  if (selector === undefined || namespace === undefined) return undefined;
  const ns = graph.find('Namespace', namespace);
  if (!ns) return undefined;
  // the API server sets kubernetes.io/metadata.name on every namespace
  const labels: Record<string, string> = { ...stringMap(mapping(ns.manifest.metadata).labels), [NAMESPACE_NAME_LABEL]: namespace };
  const s = mapping(selector);
  const byLabel = holdsLabels(labels, stringMap(s.matchLabels));
  const byExpression = mappings(s.matchExpressions).every((e) => {
    const key = text(e.key) ?? '';
    const values = strings(e.values);
    switch (e.operator) {
      case 'In':
        return values.includes(labels[key]);
      case 'NotIn':
        return !values.includes(labels[key]);
      case 'Exists':
        return key in labels;
      case 'DoesNotExist':
        return !(key in labels);
      default:
        return true;
    }
  });
  return byLabel && byExpression;
}

/**
 * Whether a workload runs to completion (a Job, a CronJob's Jobs, a Pod that is not restarted): Kueue keeps it pending
 * until quota frees and admits it then ("insufficient unused quota" is a wait, not a refusal), so its pods do not add
 * to the demand a queue must hold at once — only the quota that long-running workloads keep matters to it.
 */
export function runsToCompletion(o: GraphObject): boolean {
  const kind = o.manifest.kind;
  if (kind === 'Job' || kind === 'CronJob') return true;
  const podSets = kueuePodSets(o.manifest);
  if (podSets) return podSets.finishes;
  return kind === 'Pod' && ['Never', 'OnFailure'].includes(text(mapping(o.manifest.spec).restartPolicy) ?? '');
}

/**
 * Admits the tree's queued workloads in tree order, as Kueue would with all of them pending at full scale: a Job is
 * one workload of all its pods (parallelism); the pods of a Deployment, StatefulSet or InferenceService are admitted
 * one by one (Kueue's pod integration). Usage accumulates per ClusterQueue, flavor and resource, and in the quota tree of
 * its cohorts, from the workloads that keep running; those that run to completion come after them and are judged
 * against what they leave. A ClusterQueue below a cycle of Cohorts admits nothing (cluster-queue-invalid says why).
 */
export function admissions(graph: ObjectGraph): Admission {
  return graph.once('kueue:admission', () => {
    const ledger: Ledger = { graph, tree: new QuotaTree(graph), usage: new Map(), turns: [] };
    const refused = new Map<GraphObject, string>();
    const quotaRefused = new Map<GraphObject, readonly (readonly [string, number])[]>();
    // one object of the cluster built by two kustomize roots (a folder per platform release) is one workload: counted once
    const seen = new Set<string>();
    const all = [...WORKLOAD_KINDS, ...POD_SET_KINDS].flatMap((kind) => graph.ofKind(kind)).filter((w) => !seen.has(graph.id(w)) && !!seen.add(graph.id(w)));
    for (const o of [...all.filter((w) => !runsToCompletion(w)), ...all.filter(runsToCompletion)]) {
      const { queue } = graph.localQueueOf(o.manifest);
      if (!queue) continue;
      const { clusterQueue: cq } = graph.flavorsOf(queue);
      const node = cq && ledger.tree.clusterQueue(cq);
      // a ClusterQueue without a namespaceSelector admits nothing: cluster-queue-invalid says so, once, on it
      if (!cq || !node || ledger.tree.disabled(node) || !selectsNamespaces(cq.manifest)) continue;
      // quotas a script fills in (`${FULL_GPU_RESOURCE}`, `${GPU_QUOTA}`) are not yet known: the queue's admissions are not judged
      if (quotaTemplated(cq.manifest)) continue;
      const podSets = kueuePodSets(o.manifest);
      if (podSets && integrationOff(graph, String(o.manifest.kind))) continue;
      if (podSets) {
        const why = admitPodSets(ledger, o, podSets, { object: cq, node });
        if (why) refused.set(o, typeof why === 'string' ? why : why.message);
        if (why && typeof why !== 'string') quotaRefused.set(o, why.least);
        continue;
      }
      // an LLMInferenceService is one workload per pool (decode, prefill), each of its own pods
      const pools = o.manifest.kind === 'LLMInferenceService' ? poolWorkloads(o.manifest) : [{ manifest: o.manifest, pods: podCount(o.manifest) }];
      for (const pool of pools) {
        const why = admit(ledger, o, pool, { object: cq, node });
        if (why) {
          refused.set(o, typeof why === 'string' ? why : why.message);
          if (typeof why !== 'string') quotaRefused.set(o, why.least);
          break;
        }
      }
    }
    return { usage: ledger.usage, refused, quotaRefused, tree: ledger.tree, overruns: cohortOverruns(ledger) };
  });
}

/** One workload: a pool of an object's pods, all alike. */
interface PoolWorkload {
  readonly manifest: Loose;
  readonly pods: number;
}

/**
 * Whether a ClusterQueue's or Cohort's resource groups hold text another tool fills in (a resource or flavor name, a
 * quota: `${FULL_GPU_RESOURCE}`): what it covers and holds is known only after rendering, so nothing is judged on it.
 */
function quotaTemplated(m: Loose): boolean {
  return stringsIn(mapping(m.spec).resourceGroups).some(holdsTemplate);
}

/** A ClusterQueue and its node in the quota tree. */
interface Queue {
  readonly object: GraphObject;
  readonly node: QuotaNode;
}

/** A refusal for quota alone: the message and the fewest of each resource one unit needs. */
interface QuotaRefusal {
  readonly message: string;
  readonly least: readonly (readonly [string, number])[];
}

/**
 * What Kueue decides before quota: a workload whose namespace is unknown while its LocalQueue's is known may not be in
 * it (not judged: ''), one whose namespace the ClusterQueue's namespaceSelector does not admit is refused; undefined
 * when neither.
 */
function beforeQuota(graph: ObjectGraph, o: GraphObject, cq: Queue): string | undefined {
  const namespace = graph.namespaceOf(o.manifest);
  if (namespace === undefined && graph.namespaceOf(graph.localQueueOf(o.manifest).queue?.manifest ?? {}) !== undefined) return '';
  if (namespaceAdmitted(graph, cq.object, namespace) === false) {
    return `its namespace '${namespace}' does not match the namespaceSelector of ClusterQueue '${cq.node.name}'; Kueue never admits it ("Workload namespace doesn't match ClusterQueue selector"): label the namespace or widen the selector`;
  }
  return undefined;
}

/**
 * Why Kueue refuses a workload requesting a resource no resource group of the ClusterQueue covers (flavorassigner
 * findFlavorForPodSets: RGByResource nil → "resource … unavailable in ClusterQueue"), or undefined. Kueue's
 * configuration can transform or exclude extended resources (resources.transformations, excludeResourcePrefixes):
 * only core resources and GPUs are certain to need covering.
 */
function uncoveredRefusal(
  requested: readonly (readonly [string, number])[],
  groups: readonly ResourceGroup[],
  cqName: string,
  where: (resource: string) => string = () => '',
): string | undefined {
  const uncovered = [...new Set(requested.map(([k]) => k))].filter((k) => !groups.some((g) => g.covered.includes(k)) && CERTAIN_RESOURCES.test(k));
  if (!uncovered.length) return undefined;
  return `requests ${uncovered.join(', ')}${where(uncovered[0])}, which ClusterQueue '${cqName}' does not cover; Kueue cannot admit it ("resource ${uncovered[0]} unavailable in ClusterQueue"): add it to coveredResources or drop the request`;
}

/** The requested resources with those a LimitRange gives containers that set none (counted for coverage only: their amounts are not charged). */
function withDefaulted(requested: readonly (readonly [string, number])[], defaulted: readonly DefaultedResource[]): (readonly [string, number])[] {
  return [...requested, ...defaulted.filter((d) => !requested.some(([k]) => k === d.resource)).map((d) => [d.resource, 1] as const)];
}

/** ` (the default of LimitRange x of namespace y, …)` for a resource only a LimitRange's default requests. */
function defaultedWhere(
  requested: readonly (readonly [string, number])[],
  defaulted: readonly DefaultedResource[],
  namespace: string | undefined,
): (resource: string) => string {
  return (k) => {
    const d = defaulted.find((x) => x.resource === k);
    return d && !requested.some(([r]) => r === k)
      ? ` (the default of LimitRange '${d.limitRange}' of namespace '${namespace ?? ''}', which Kueue gives the containers that set none before it assigns flavors)`
      : '';
  };
}

/** Admits one workload into a ClusterQueue, charging its usage; why Kueue never admits it, or undefined when it does. */
function admit(ledger: Ledger, o: GraphObject, pool: PoolWorkload, cq: Queue): string | QuotaRefusal | undefined {
  const graph = ledger.graph;
  const cqName = cq.node.name;
  const before = beforeQuota(graph, o, cq);
  if (before !== undefined) return before || undefined;
  const r = podRequests(pool.manifest, graph.runtimeOf(o.manifest)?.manifest);
  const requested = Object.entries(r.amounts).filter(([, v]) => v > 0);
  const groups = resourceGroupsOf(graph, cq.object);
  const defaulted = limitRangeDefaulted(graph, graph.namespaceOf(o.manifest), podSpecOf(pool.manifest));
  const uncovered = uncoveredRefusal(withDefaulted(requested, defaulted), groups, cqName, defaultedWhere(requested, defaulted, graph.namespaceOf(o.manifest)));
  if (uncovered) return uncovered;
  const unit = admissionUnit(o, pool);
  const byFlavor = ledger.usage.get(cqName) ?? new Map<string, FlavorUsage>();
  ledger.usage.set(cqName, byFlavor);
  for (const group of groups) {
    const covered = requested.filter(([k]) => group.covered.includes(k));
    const need = covered.map(([k, v]) => [k, v * unit.perUnit] as const);
    if (!need.length) continue;
    // partial admission: Kueue admits fewer pods (down to the least) when all of them do not fit
    const least = covered.map(([k, v]) => [k, v * unit.leastPerUnit] as const);
    const { possible, reasons, quotaOnly } = possibleFlavors(cq.node, group, least, unit);
    if (!possible.length) {
      const message =
        `no flavor of ClusterQueue '${cqName}' for ${group.covered.join(', ')} can take ${podsWords(unit)} ` +
        `(${reasons.join('; ') || 'the group lists no flavor'}); Kueue never admits it: match the flavor's node labels and taints, or raise its quota`;
      return quotaOnly && reasons.length ? { message, least } : message;
    }
    const demand: GroupDemand = { ledger, o, node: cq.node, byFlavor, possible, need };
    const blocked = runsToCompletion(o) ? takeTurn(demand) && takeTurn({ ...demand, need: least }) : undefined;
    if (blocked) {
      const charged = blocked.join(', ');
      return (
        `ClusterQueue '${cqName}' can never hold ${unit.perUnit > 1 ? podsWords(unit) : 'its pod'} for ${group.covered.join(', ')} while ` +
        `${charged} keep${charged.includes(', ') ? '' : 's'} running (${need.map(([k, v]) => showAmount(k, v)).join(', ')} needed); Kueue keeps it pending: raise the quota or lower the long-running workloads' requests`
      );
    }
    if (!runsToCompletion(o)) chargeUnits(demand, unit.units);
  }
  return undefined;
}

/** A pod set with what each of its pods requests. */
interface RequestingSet {
  readonly path: string;
  readonly unit: AdmissionUnit;
  readonly requested: readonly (readonly [string, number])[];
}

/**
 * Admits a workload of several pod sets (a RayJob's head, worker groups and submitter; a training job's replica types; a
 * JobSet's replicated Jobs; a LeaderWorkerSet's group) as Kueue does: one Workload whose pod sets are all admitted
 * together (flavorassigner assignFlavors over every pod set, their usage added up), each pod set taking a flavor of its
 * own per resource group. Refused when a resource no group covers is requested, when a pod set fits no flavor, or when
 * all of them together need more than the flavors they can take ever hold.
 */
function admitPodSets(ledger: Ledger, o: GraphObject, w: PodSetWorkload, cq: Queue): string | QuotaRefusal | undefined {
  const before = beforeQuota(ledger.graph, o, cq);
  if (before !== undefined) return before || undefined;
  const annotations = stringMap(mapping(o.manifest.metadata).annotations);
  const sets: RequestingSet[] = w.sets.map((s) => ({
    path: s.path,
    unit: { pod: mapping(s.pod.spec), profiled: !!annotations[HARDWARE_PROFILE_ANNOTATION], perUnit: s.count, leastPerUnit: s.count, units: w.units },
    requested: Object.entries(podRequests(s.pod).amounts).filter(([, v]) => v > 0),
  }));
  const groups = resourceGroupsOf(ledger.graph, cq.object);
  const where = (k: string) =>
    ` (${sets
      .filter((s) => s.requested.some(([r]) => r === k))
      .map((s) => s.path)
      .join(', ')})`;
  const namespace = ledger.graph.namespaceOf(o.manifest);
  const defaulted = w.sets.flatMap((s) => limitRangeDefaulted(ledger.graph, namespace, mapping(s.pod.spec)));
  const requested = sets.flatMap((s) => s.requested);
  const fromDefaults = defaultedWhere(requested, defaulted, namespace);
  const uncovered = uncoveredRefusal(withDefaulted(requested, defaulted), groups, cq.node.name, (k) => fromDefaults(k) || where(k));
  if (uncovered) return uncovered;
  const byFlavor = ledger.usage.get(cq.node.name) ?? new Map<string, FlavorUsage>();
  ledger.usage.set(cq.node.name, byFlavor);
  for (const group of groups) {
    const why = admitPodSetsInGroup(ledger, o, cq, group, sets, w, byFlavor);
    if (why) return why;
  }
  return undefined;
}

/** One resource group's part of admitPodSets: each pod set's flavors, their sum against what those flavors hold, the usage. */
function admitPodSetsInGroup(
  ledger: Ledger,
  o: GraphObject,
  cq: Queue,
  group: ResourceGroup,
  sets: readonly RequestingSet[],
  w: PodSetWorkload,
  byFlavor: Map<string, FlavorUsage>,
): string | QuotaRefusal | undefined {
  const cqName = cq.node.name;
  const demands: GroupDemand[] = [];
  for (const s of sets) {
    const need = s.requested.filter(([k]) => group.covered.includes(k)).map(([k, v]) => [k, v * s.unit.perUnit] as const);
    if (!need.length) continue;
    const { possible, reasons, quotaOnly } = possibleFlavors(cq.node, group, need, s.unit);
    if (!possible.length) {
      const message =
        `no flavor of ClusterQueue '${cqName}' for ${group.covered.join(', ')} can take ${podsWords(s.unit)} of ${s.path} ` +
        `(${reasons.join('; ') || 'the group lists no flavor'}); Kueue admits all pod sets of the workload together, so never this one: match the flavor's node labels and taints, or raise its quota`;
      return quotaOnly && reasons.length ? { message, least: need } : message;
    }
    demands.push({ ledger, o, node: cq.node, byFlavor, possible, need });
  }
  if (!demands.length) return undefined;
  const total = new Map<string, number>();
  for (const d of demands) for (const [k, v] of d.need) total.set(k, (total.get(k) ?? 0) + v);
  const flavors = [...new Set(demands.flatMap((d) => d.possible))];
  const over = [...total].find(([k, v]) => v > flavors.reduce((n, f) => n + potentialAvailable(cq.node, flavorResource(f.name, k)), 0) + 1e-9);
  if (over) {
    const held = flavors.reduce((n, f) => n + potentialAvailable(cq.node, flavorResource(f.name, over[0])), 0);
    const message =
      `its pod sets together need ${showAmount(over[0], over[1])} of ClusterQueue '${cqName}', whose flavors ${flavors.map((f) => f.name).join(', ')} can hold at most ${showAmount(over[0], held)}; ` +
      `Kueue admits all pod sets of the workload together ("request > maximum capacity"), so never this one: raise the quota or lower the replicas or requests`;
    return { message, least: [over] };
  }
  if (!w.finishes) {
    demands.forEach((d) => chargeUnits(d, w.units));
    return undefined;
  }
  // a run-to-completion workload waits its turn beside the long-running ones, judged where all its pod sets share a flavor
  const shared = demands.reduce<readonly GroupFlavor[]>((acc, d) => acc.filter((f) => d.possible.includes(f)), demands[0].possible);
  if (!shared.length) return undefined;
  const blocked = takeTurn({ ...demands[0], possible: shared, need: [...total] });
  if (!blocked) return undefined;
  const charged = blocked.join(', ');
  return (
    `ClusterQueue '${cqName}' can never hold its pod sets for ${group.covered.join(', ')} while ${charged} keep${charged.includes(', ') ? '' : 's'} running ` +
    `(${[...total].map(([k, v]) => showAmount(k, v)).join(', ')} needed); Kueue keeps it pending: raise the quota or lower the long-running workloads' requests`
  );
}

/** How a message counts the pods Kueue must admit together: all of a unit's, or the fewest partial admission takes. */
function podsWords(unit: AdmissionUnit): string {
  if (unit.leastPerUnit < unit.perUnit) return `even ${unit.leastPerUnit} of its ${unit.perUnit} pods (its ${JOB_MIN_PARALLELISM_ANNOTATION})`;
  return unit.perUnit > 1 ? `its ${unit.perUnit} pods` : 'one pod';
}

/** What one workload needs of one resource group of a ClusterQueue, and the flavors that can hold it. */
interface GroupDemand {
  readonly ledger: Ledger;
  readonly o: GraphObject;
  readonly node: QuotaNode;
  readonly byFlavor: Map<string, FlavorUsage>;
  readonly possible: readonly GroupFlavor[];
  readonly need: readonly (readonly [string, number])[];
}

/**
 * A workload that runs to completion waits for quota, so it only needs room beside the long-running workloads: the
 * queue's peak is their usage plus its largest such workload, not the sum of all of them. Records its turn; when no
 * flavor has room, the long-running workloads that leave it none.
 */
function takeTurn({ ledger, o, node, byFlavor, possible, need }: GroupDemand): string[] | undefined {
  const entry = (f: GroupFlavor, k: string) => usageEntry(node, byFlavor, f, k);
  const chosen = possible.find((f) => need.every(([k, v]) => entry(f, k).held + v <= entry(f, k).capacity + 1e-9));
  if (!chosen) return [...new Set(possible.flatMap((f) => need.flatMap(([k]) => [...entry(f, k).holders])))];
  for (const [k, v] of need) {
    const e = entry(chosen, k);
    e.used = Math.max(e.used, e.held + v);
    e.who.add(ledger.graph.id(o));
    e.each.set(o, Math.max(e.each.get(o) ?? 0, v));
  }
  ledger.turns.push({ node, need: need.map(([k, v]) => [flavorResource(chosen.name, k), v] as const) });
  return undefined;
}

/** How a workload's pods come to Kueue: the pod spec, and how many units of how many pods each. */
interface AdmissionUnit {
  readonly pod: Loose;
  /** Whether an OpenShift AI hardware profile sets the pod's node selector and tolerations at admission. */
  readonly profiled: boolean;
  readonly perUnit: number;
  /** The fewest pods of a unit Kueue may admit (a Job's partial admission), else perUnit. */
  readonly leastPerUnit: number;
  readonly units: number;
}

function admissionUnit(o: GraphObject, pool: PoolWorkload): AdmissionUnit {
  // a Job's pods are one workload; other kinds' pods are admitted one at a time
  const job = o.manifest.kind === 'Job';
  const annotations = stringMap(mapping(o.manifest.metadata).annotations);
  return {
    pod: mapping(podSpecOf(pool.manifest)),
    profiled: !!annotations[HARDWARE_PROFILE_ANNOTATION],
    perUnit: job ? pool.pods : 1,
    leastPerUnit: job ? minParallelism(annotations[JOB_MIN_PARALLELISM_ANNOTATION], pool.pods) : 1,
    units: job ? 1 : pool.pods,
  };
}

/**
 * The fewest pods Kueue admits a Job with: its job-min-parallelism when the webhook accepts it (a whole number from 1
 * to parallelism − 1: pkg/controller/jobs/job/job_webhook.go validatePartialAdmissionCreate), else all of them.
 */
function minParallelism(value: string | undefined, pods: number): number {
  const n = value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  return n >= 1 && n < pods ? n : pods;
}

/**
 * The flavors of a resource group that could ever take one unit (flavorassigner: nodes that fit the pod, a maximum
 * capacity that holds the request: the queue's potential in its quota tree), with why each other one cannot.
 */
function possibleFlavors(
  node: QuotaNode,
  group: ResourceGroup,
  need: readonly (readonly [string, number])[],
  unit: AdmissionUnit,
): { possible: GroupFlavor[]; reasons: string[]; quotaOnly: boolean } {
  const reasons: string[] = [];
  let quotaOnly = true;
  const capacity = (f: GroupFlavor, k: string) => potentialAvailable(node, flavorResource(f.name, k));
  const possible = group.flavors.filter((f) => {
    // an OpenShift AI hardware profile replaces the pod's node selector and tolerations at admission: flavors are
    // then judged by quota alone
    const bad = unit.profiled ? undefined : incompatibility(unit.pod, f);
    if (bad) {
      reasons.push(`${f.name}: ${bad}`);
      quotaOnly = false;
      return false;
    }
    const over = need.find(([k, v]) => v > capacity(f, k) + 1e-9);
    if (over) {
      reasons.push(`${f.name}: ${showAmount(over[0], over[1])} > maximum capacity ${showAmount(over[0], capacity(f, over[0]))}`);
      return false;
    }
    return true;
  });
  return { possible, reasons, quotaOnly };
}

/**
 * Charges one unit to the first flavor whose quota holds it now, counting what the rest of the queue's cohort tree
 * took before it (by borrowing, too: whenCanBorrow defaults to stopping there), else to the first possible one.
 */
/**
 * Charges a workload's units one flavor at a time, each unit to the first flavor with room for it (Kueue's order),
 * the rest to the first flavor when none has room. Units go in runs, as many as the flavor holds: availability only
 * falls, so a run ends where unit-by-unit charging would move on, and a workload of a billion replicas costs no more
 * than one of two.
 */
function chargeUnits(demand: GroupDemand, units: number): void {
  const { node, possible, need } = demand;
  let left = units;
  while (left > 0) {
    const room = (f: GroupFlavor) =>
      Math.min(...need.map(([k, v]) => (v > 0 ? Math.floor((available(node, flavorResource(f.name, k)) + 1e-9) / v) : Infinity)));
    const chosen = possible.find((f) => room(f) >= 1);
    const run = chosen ? Math.min(left, room(chosen)) : left;
    charge(demand, chosen ?? possible[0], run);
    left -= run;
  }
}

function charge({ ledger, o, node, byFlavor, need }: GroupDemand, chosen: GroupFlavor, units: number): void {
  for (const [k, per] of need) {
    const v = per * units;
    const e = usageEntry(node, byFlavor, chosen, k);
    e.used += v;
    e.held += v;
    e.who.add(ledger.graph.id(o));
    e.holders.add(ledger.graph.id(o));
    e.each.set(o, (e.each.get(o) ?? 0) + v);
    addUsage(node, flavorResource(chosen.name, k), v);
    const shape = ledger.graph.recordedNodeShape(o.manifest);
    if (shape && 'placement' in shape) e.placements.add(shape.placement);
  }
}

/** A ClusterQueue's usage of one flavor's resource, started at zero the first time it is looked at. */
function usageEntry(node: QuotaNode, byFlavor: Map<string, FlavorUsage>, flavor: GroupFlavor, resource: string): FlavorUsage {
  const key = flavorResource(flavor.name, resource);
  const e = byFlavor.get(key) ?? {
    flavor: flavor.name,
    resource,
    quota: flavor.resources.get(resource) ?? { nominal: 0 },
    capacity: potentialAvailable(node, key),
    used: 0,
    held: 0,
    who: new Set<string>(),
    holders: new Set<string>(),
    each: new Map<GraphObject, number>(),
    placements: new Set<string>(),
  };
  byFlavor.set(key, e);
  return e;
}

/**
 * What reaches each cohort above a queue when a run-to-completion workload takes its turn: the largest such share per
 * cohort and flavor resource, with the workload's own amount.
 */
function turnsReaching(turns: Ledger['turns']): Map<QuotaNode, Map<string, { reach: number; amount: number }>> {
  const out = new Map<QuotaNode, Map<string, { reach: number; amount: number }>>();
  for (const { node, need } of turns) {
    for (const [fr, v] of need) {
      const above: QuotaNode[] = [];
      for (let c = node.parent; c; c = c.parent) above.push(c);
      const before = above.map((c) => c.usage.get(fr) ?? 0);
      addUsage(node, fr, v);
      above.forEach((c, i) => {
        const reach = (c.usage.get(fr) ?? 0) - before[i];
        const best = out.get(c)?.get(fr);
        if (!best || reach > best.reach) out.set(c, (out.get(c) ?? new Map()).set(fr, { reach, amount: v }));
      });
      removeUsage(node, fr, v);
    }
  }
  return out;
}

/**
 * The cohorts whose queues' workloads need more than the cohort can ever hold (its usage beyond its potential, in
 * Kueue's terms). A cohort without a borrowing limit passes its excess on to its parent, so the excess is reported
 * where a limit stops it: at the root of the tree, or at a cohort whose borrowingLimit caps what it takes from above.
 * Only for cohorts of two queues or more: a lone queue's own shortfall says the same.
 */
function cohortOverruns(ledger: Ledger): CohortOverrun[] {
  const { tree, usage } = ledger;
  const turns = turnsReaching(ledger.turns);
  const out: CohortOverrun[] = [];
  for (const cohort of tree.allCohorts()) {
    if (tree.disabled(cohort)) continue;
    const queues = tree.clusterQueuesUnder(cohort);
    if (queues.length < 2 || [cohort, ...queues].some((q) => q.object && quotaTemplated(q.object.manifest))) continue;
    for (const fr of new Set([...cohort.usage.keys(), ...(turns.get(cohort)?.keys() ?? [])])) {
      const turn = turns.get(cohort)?.get(fr);
      const total = (cohort.usage.get(fr) ?? 0) + (turn?.reach ?? 0);
      const potential = potentialAvailable(cohort, fr);
      const limited = cohort.quotas.get(fr)?.borrowingLimit !== undefined;
      if (total <= potential + 1e-9 || (cohort.parent && !limited)) continue;
      const held = queues.reduce((n, q) => n + (usage.get(q.name)?.get(fr)?.held ?? 0), 0);
      const need = held + (turn?.amount ?? 0);
      const [flavor, ...rest] = fr.split('/');
      const each = queues.flatMap((q) => [...(usage.get(q.name)?.get(fr)?.each ?? [])]);
      const largest = Math.max(turn?.amount ?? 0, ...each.map(([, v]) => v));
      const workloads = [...new Set(each.map(([w]) => w))];
      out.push({ cohort, flavor, resource: rest.join('/'), need, hold: need - total + potential, limited, queues, largest, workloads });
    }
  }
  return out;
}
