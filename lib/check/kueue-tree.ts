import { KUEUE_GROUP } from '../k8s/keys';
import { apiGroupOf } from '../k8s/api-version';
import { Loose, mapping, mappings, strings, text } from '../manifests/access';
import { parseQuantity } from '../private/quantity';
import { perRun } from '../private/run-memo';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';

/**
 * Kueue's quota tree: ClusterQueues are the leaves, Cohorts the inner nodes, each with its own nominal quota and, towards
 * its parent, a borrowing limit and a lending limit per flavor and resource. Ported from kubernetes-sigs/kueue
 * pkg/cache/scheduler/resource_node.go (SubtreeQuota, localQuota, available, potentialAvailable, addUsage, removeUsage;
 * the same in v0.14.8 and v0.16.9), pkg/cache/scheduler/cohort.go (a Cohort's own resourceGroups are its quotas),
 * pkg/cache/hierarchy/cycle.go (HasCycle) and apis/kueue/v1beta2/cohort_types.go (parentName: a parent that no Cohort
 * object defines is a Cohort without quota or limits; a cycle disables every ClusterQueue below it). The cases of its
 * resource_test.go (TestAvailable) are written as our own in test/kueue/tree.ts.
 */

/** Quota of one resource in one flavor of a ClusterQueue (or Cohort). */
export interface ResourceQuota {
  readonly nominal: number;
  /** What the node may borrow from its parent beyond its own quota; undefined: no limit but the parent's. */
  readonly borrowingLimit?: number;
  /** What the node lends its parent; undefined: all of its unused quota. */
  readonly lendingLimit?: number;
}

export interface GroupFlavor {
  readonly name: string;
  readonly object?: GraphObject;
  readonly resources: ReadonlyMap<string, ResourceQuota>;
}

export interface ResourceGroup {
  readonly covered: readonly string[];
  readonly flavors: readonly GroupFlavor[];
}

/** The API group of Kueue's objects: a Cohort of another group is not one Kueue reads. */

/** The resource groups of a ClusterQueue or Cohort with their flavors, in the order Kueue tries them. */
export function resourceGroupsOf(graph: ObjectGraph, owner: GraphObject): readonly ResourceGroup[] {
  // once per run and queue, read-only: the admission of every workload of the queue reads them
  return perRun('resource-groups', [graph, owner], () => readResourceGroups(graph, owner));
}

function readResourceGroups(graph: ObjectGraph, owner: GraphObject): ResourceGroup[] {
  return mappings(mapping(owner.manifest.spec).resourceGroups).map((g) => ({
    covered: strings(g.coveredResources),
    flavors: mappings(g.flavors)
      .filter((f) => typeof f.name === 'string')
      .map((f) => ({
        name: String(f.name),
        object: graph.find('ResourceFlavor', f.name),
        resources: new Map(
          mappings(f.resources).map((r) => [
            String(r.name),
            {
              nominal: parseQuantity(r.nominalQuota) ?? 0,
              borrowingLimit: parseQuantity(r.borrowingLimit),
              lendingLimit: parseQuantity(r.lendingLimit),
            },
          ]),
        ),
      })),
  }));
}

/** The Cohort objects Kueue reads (its API group), in the order of the tree. */
export function kueueCohorts(graph: ObjectGraph): GraphObject[] {
  return graph.ofKind('Cohort').filter((c) => apiGroupOf(c.manifest.apiVersion) === KUEUE_GROUP);
}

/** A Cohort's parent: `spec.parent` in v1alpha1 (Kueue 0.9–0.12), `spec.parentName` from v1beta1 (Kueue 0.13) on. */
export function parentOf(cohort: GraphObject): string | undefined {
  const spec = mapping(cohort.manifest.spec);
  return text(String(cohort.manifest.apiVersion) === `${KUEUE_GROUP}/v1alpha1` ? spec.parent : spec.parentName) || undefined;
}

/** The key of one flavor's resource (Kueue's FlavorResource); flavor names, DNS subdomains, hold no '/'. */
export function flavorResource(flavor: string, resource: string): string {
  return `${flavor}/${resource}`;
}

/** A ClusterQueue or a Cohort of the tree, with Kueue's resourceNode: quotas, subtree quota and usage. */
export interface QuotaNode {
  readonly kind: 'ClusterQueue' | 'Cohort';
  readonly name: string;
  /** Its object; undefined for a cohort only named (by a ClusterQueue's cohort or a Cohort's parent). */
  readonly object?: GraphObject;
  parent?: QuotaNode;
  readonly children: QuotaNode[];
  /** Its own quota per flavor resource. */
  readonly quotas: Map<string, ResourceQuota>;
  /** Its quota plus what its children lend it (Kueue SubtreeQuota). */
  readonly subtree: Map<string, number>;
  /** What counts against its subtree quota: its own usage, or its children's usage beyond what they keep (Kueue Usage). */
  readonly usage: Map<string, number>;
}

const get = (m: ReadonlyMap<string, number>, fr: string) => m.get(fr) ?? 0;

/**
 * The quota tree of a graph's ClusterQueues and Cohorts. Usage starts at zero; admission adds to it as Kueue's
 * scheduler does, so what a queue can take now (`available`) reflects what the rest of its tree took before it.
 */
export class QuotaTree {
  private readonly cohorts = new Map<string, QuotaNode>();
  private readonly queues = new Map<GraphObject, QuotaNode>();
  /** Cohorts whose chain of parents loops, and those below such a chain (hierarchy.HasCycle). */
  private readonly looping = new Set<QuotaNode>();

  constructor(graph: ObjectGraph) {
    const quotasOf = (o: GraphObject) => {
      const out = new Map<string, ResourceQuota>();
      for (const g of resourceGroupsOf(graph, o)) for (const f of g.flavors) for (const [r, q] of f.resources) out.set(flavorResource(f.name, r), q);
      return out;
    };
    // the first Cohort object of a name is the one (duplicate-object reports the others)
    for (const c of kueueCohorts(graph)) {
      const name = text(mapping(c.manifest.metadata).name);
      if (name && !this.cohorts.get(name)?.object) this.cohorts.set(name, this.node('Cohort', name, c, quotasOf(c)));
    }
    for (const c of [...this.cohorts.values()]) {
      const parent = c.object ? parentOf(c.object) : undefined;
      if (parent) this.link(c, this.cohort(parent));
    }
    for (const cq of graph.ofKind('ClusterQueue')) {
      const node = this.node('ClusterQueue', text(mapping(cq.manifest.metadata).name) ?? '', cq, quotasOf(cq));
      this.queues.set(cq, node);
      const cohort = cohortOf(cq.manifest);
      if (cohort) this.link(node, this.cohort(cohort));
    }
    for (const c of this.cohorts.values()) if (hasCycle(c)) this.looping.add(c);
    for (const c of this.cohorts.values()) if (!c.parent) accumulate(c);
    for (const q of this.queues.values()) if (!q.parent) for (const [fr, quota] of q.quotas) q.subtree.set(fr, quota.nominal);
  }

  private node(kind: QuotaNode['kind'], name: string, object: GraphObject | undefined, quotas: Map<string, ResourceQuota>): QuotaNode {
    return { kind, name, object, children: [], quotas, subtree: new Map(), usage: new Map() };
  }

  /** The cohort of a name, made when only named: no quota, no limits. */
  private cohort(name: string): QuotaNode {
    const known = this.cohorts.get(name);
    if (known) return known;
    const made = this.node('Cohort', name, undefined, new Map());
    this.cohorts.set(name, made);
    return made;
  }

  private link(child: QuotaNode, parent: QuotaNode): void {
    child.parent = parent;
    parent.children.push(child);
  }

  /** The node of a ClusterQueue of the graph. */
  public clusterQueue(cq: GraphObject): QuotaNode | undefined {
    return this.queues.get(cq);
  }

  /** Every cohort, those with objects first, in the order of the tree. */
  public allCohorts(): QuotaNode[] {
    return [...this.cohorts.values()];
  }

  /** Whether Kueue disables the node: its chain of cohorts loops (snapshot.go skipInactiveCQReason: HasCycle). */
  public disabled(node: QuotaNode): boolean {
    return !!node.parent && this.looping.has(node.kind === 'Cohort' ? node : node.parent);
  }

  /** The cohorts that form a loop of parents, each loop once, starting at its first cohort in the order of the tree. */
  public cycles(): QuotaNode[][] {
    const out: QuotaNode[][] = [];
    const seen = new Set<QuotaNode>();
    for (const start of this.cohorts.values()) {
      const path: QuotaNode[] = [];
      let n: QuotaNode | undefined = start;
      while (n && !path.includes(n)) {
        path.push(n);
        n = n.parent;
      }
      if (!n || seen.has(n)) continue;
      const loop = path.slice(path.indexOf(n));
      loop.forEach((c) => seen.add(c));
      const first = [...this.cohorts.values()].find((c) => loop.includes(c))!;
      out.push([...loop.slice(loop.indexOf(first)), ...loop.slice(0, loop.indexOf(first))]);
    }
    return out;
  }

  /** The ClusterQueues whose chain of cohorts runs into one of `cohorts` (a loop: those it disables), in the order of the tree. */
  public clusterQueuesReaching(cohorts: readonly QuotaNode[]): QuotaNode[] {
    return [...this.queues.values()].filter((q) => {
      const seen = new Set<QuotaNode>();
      for (let n = q.parent; n && !seen.has(n); n = n.parent) {
        if (cohorts.includes(n)) return true;
        seen.add(n);
      }
      return false;
    });
  }

  /** The ClusterQueues below a cohort (or the queue itself), in the order of the tree. */
  public clusterQueuesUnder(node: QuotaNode): QuotaNode[] {
    const under = new Set<QuotaNode>();
    const walk = (n: QuotaNode) => {
      // a loop of parents is walked once
      if (under.has(n)) return;
      under.add(n);
      n.children.forEach(walk);
    };
    walk(node);
    return [...this.queues.values()].filter((q) => under.has(q));
  }
}

/** Whether the chain of parents from a cohort comes back to a cohort it passed (hierarchy/cycle.go hasCycle). */
function hasCycle(cohort: QuotaNode): boolean {
  const seen = new Set<QuotaNode>();
  for (let n: QuotaNode | undefined = cohort; n?.parent; n = n.parent) {
    if (seen.has(n)) return true;
    seen.add(n);
  }
  return false;
}

/** A cohort's subtree quota and usage from its own quota and its children's (updateCohortResourceNode, accumulateFromChild). */
function accumulate(cohort: QuotaNode): void {
  cohort.subtree.clear();
  cohort.usage.clear();
  for (const [fr, q] of cohort.quotas) cohort.subtree.set(fr, q.nominal);
  for (const child of cohort.children) {
    if (child.kind === 'Cohort') accumulate(child);
    else {
      child.subtree.clear();
      for (const [fr, q] of child.quotas) child.subtree.set(fr, q.nominal);
    }
    for (const [fr, quota] of child.subtree) cohort.subtree.set(fr, get(cohort.subtree, fr) + quota - localQuota(child, fr));
    for (const [fr, used] of child.usage) cohort.usage.set(fr, get(cohort.usage, fr) + Math.max(0, used - localQuota(child, fr)));
  }
}

/** What a node keeps for its own subtree because of its lending limit, never lent to its parent (localQuota). */
export function localQuota(node: QuotaNode, fr: string): number {
  const lending = node.quotas.get(fr)?.lendingLimit;
  return lending === undefined ? 0 : Math.max(0, get(node.subtree, fr) - lending);
}

/** How much of what it keeps a node has not used (LocalAvailable). */
function localAvailable(node: QuotaNode, fr: string): number {
  return Math.max(0, localQuota(node, fr) - get(node.usage, fr));
}

/**
 * What a node can take now: what it keeps and has not used, plus what its parent can give, capped by its borrowing
 * limit (available). Negative when the tree is over-admitted.
 */
export function available(node: QuotaNode, fr: string): number {
  if (!node.parent) return get(node.subtree, fr) - get(node.usage, fr);
  let fromParent = available(node.parent, fr);
  const borrowing = node.quotas.get(fr)?.borrowingLimit;
  if (borrowing !== undefined) {
    const storedInParent = get(node.subtree, fr) - localQuota(node, fr);
    const usedInParent = Math.max(0, get(node.usage, fr) - localQuota(node, fr));
    fromParent = Math.min(storedInParent - usedInParent + borrowing, fromParent);
  }
  return localAvailable(node, fr) + fromParent;
}

/** The most a node could ever take, with nothing used: Kueue's "maximum capacity" of a request (potentialAvailable). */
export function potentialAvailable(node: QuotaNode, fr: string): number {
  if (!node.parent) return get(node.subtree, fr);
  const most = localQuota(node, fr) + potentialAvailable(node.parent, fr);
  const borrowing = node.quotas.get(fr)?.borrowingLimit;
  return borrowing === undefined ? most : Math.min(get(node.subtree, fr) + borrowing, most);
}

/** Charges usage to a node; what its own kept quota does not cover goes up to its parent (addUsage). */
export function addUsage(node: QuotaNode, fr: string, value: number): void {
  const kept = localAvailable(node, fr);
  node.usage.set(fr, get(node.usage, fr) + value);
  if (node.parent && value > kept) addUsage(node.parent, fr, value - kept);
}

/** Takes usage back, and what of it was stored in the parent (removeUsage). */
export function removeUsage(node: QuotaNode, fr: string, value: number): void {
  const storedInParent = get(node.usage, fr) - localQuota(node, fr);
  node.usage.set(fr, get(node.usage, fr) - value);
  if (storedInParent <= 0 || !node.parent) return;
  removeUsage(node.parent, fr, Math.min(value, storedInParent));
}

/** A ClusterQueue's cohort: `spec.cohortName` in kueue.x-k8s.io/v1beta2, `spec.cohort` in v1beta1 (kueue v0.16.9 CRDs). */
export function cohortOf(clusterQueue: Loose): string | undefined {
  const spec = mapping(clusterQueue.spec);
  return text(String(clusterQueue.apiVersion) === 'kueue.x-k8s.io/v1beta2' ? spec.cohortName : spec.cohort);
}
