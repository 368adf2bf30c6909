import { admissions, CohortOverrun, FlavorUsage, showAmount } from '../kueue-admission';
import { differentDeclarations } from '../declarations';
import { GraphObject, locationOf } from '../graph-object';
import { ObjectGraph } from '../graph';
import { WORKLOAD_KINDS } from '../pods';
import { POD_SET_KINDS } from '../kueue-pod-sets';
import { holdsLabels, mapping, stringMap, text } from '../../manifests/access';
import { Problem, Rule } from '../rule';
import { INSTANCE_TYPE_LABEL } from '../../k8s/keys';
import { cohortOf, resourceGroupsOf } from '../kueue-tree';
import { preemptionIntent } from '../kueue-priority';

/**
 * A cohort's queues lend each other only what the cohort tree holds: a flavor's resource their workloads need more of
 * than the cohort can hold (the quotas of its subtree, and what it may borrow from above within its borrowing limit)
 * leaves some pending. Certain (an error) only where one workload alone needs more than that; a sum of workloads that
 * each fit is admitted in turn (a warning), and by design where the queues preempt by priority (info).
 */
function overrunProblem(graph: ObjectGraph, o: CohortOverrun): Problem {
  const amounts = `${showAmount(o.resource, o.need)} > ${showAmount(o.resource, o.hold).replace(/ .*/, '')}`;
  const head = `cohort '${o.cohort.name}' (${o.queues.map((q) => q.name).join(', ')}): the workloads of its ClusterQueues need more of flavor ${o.flavor}`;
  const where = o.limited
    ? `than the cohort can hold (${amounts}: the quota of its subtree plus what its borrowingLimit lets it take from cohort '${o.cohort.parent?.name ?? ''}')`
    : `than they hold together (${amounts})`;
  const fix = o.limited
    ? "raise the cohort's borrowingLimit or its subtree's quotas, or lower the replicas"
    : 'add nodes behind the flavor and raise the quotas with them, or lower the replicas';
  if (o.largest > o.hold + 1e-9) {
    const moves = o.limited ? '' : '; borrowing only moves quota between them, so';
    return { message: `${head} ${where}${moves}${o.limited ? ';' : ''} the last ones stay pending: ${fix}` };
  }
  const each = `each of them fits alone (the most one needs is ${showAmount(o.resource, o.largest)}), so Kueue admits them in turn and the last ones wait while the others hold the quota`;
  const queues = o.queues.flatMap((q) => (q.object ? [q.object] : []));
  const intent = preemptionIntent(graph, queues, o.workloads);
  if (intent) return { severity: 'info', message: `${head} ${where}; ${each}. ${intent}` };
  return { severity: 'warning', message: `${head} ${where}; ${each}: if they must all run at once, ${fix}` };
}

/**
 * What adds capacity behind a flavor: a MachineSet of the tree whose nodes carry the flavor's labels grows by replicas;
 * nodes that exist (an admin's pool, another cloud) grow only by adding nodes; either way the demand may shrink instead.
 */
function capacityAdvice(graph: ObjectGraph, flavor: string, placements: ReadonlySet<string>): string {
  const labels = stringMap(mapping(graph.find('ResourceFlavor', flavor)?.manifest.spec).nodeLabels);
  const machineSets = graph.ofKind('MachineSet').filter((ms) => {
    const template = mapping(mapping(ms.manifest.spec).template);
    const nodeLabels: Record<string, string> = { ...stringMap(mapping(mapping(template.spec).metadata).labels) };
    const type = text(mapping(mapping(mapping(template.spec).providerSpec).value).instanceType);
    if (type) nodeLabels[INSTANCE_TYPE_LABEL] = type;
    return Object.keys(labels).length > 0 && holdsLabels(nodeLabels, labels);
  });
  if (machineSets.length) {
    return `raise the replicas of MachineSet ${machineSets.map((m) => text(mapping(m.manifest.metadata).name)).join(', ')} and the nominal quota with them, or lower the replicas of the workloads`;
  }
  const pools = [...placements];
  return (
    `add nodes to ${pools.length ? pools.join(', ') : `the nodes of flavor ${flavor}`} and raise the nominal quota with them` +
    `${pools.length ? ' (nodeCount or shares of the placement)' : ''}, or lower the replicas or requests of the workloads`
  );
}

/**
 * A flavor's usage above the queue's nominal quota, one problem per flavor and certainty: beyond all the queue can hold
 * (nominal quota, and what its cohort can lend) an error where one workload alone needs more than that, a warning where
 * only their sum does (Kueue admits them in turn; info where the queue preempts by priority); within what the cohort
 * can lend, admitted only on borrowed quota (a warning).
 */
function shortfalls(graph: ObjectGraph, cq: GraphObject, uses: readonly FlavorUsage[], cohort: string | undefined): Problem[] {
  const over = uses.filter((u) => u.used > u.quota.nominal + 1e-9);
  if (!over.length) return [];
  const who = [...new Set(over.flatMap((u) => [...u.who]))].join(', ');
  const amounts = (us: readonly FlavorUsage[]) =>
    us.map((u) => `${showAmount(u.resource, u.used)} > ${showAmount(u.resource, u.quota.nominal).replace(/ .*/, '')}`).join(', ');
  const risky = cohort ? over.filter((u) => u.used <= u.capacity + 1e-9) : [];
  const beyond = over.filter((u) => !risky.includes(u));
  const alone = beyond.filter((u) => Math.max(0, ...u.each.values()) > u.capacity + 1e-9);
  const certain = alone.length ? beyond : [];
  const flavor = over[0].flavor;
  const out: Problem[] = [];
  const borrowable = (us: readonly FlavorUsage[]) => us.map((u) => showAmount(u.resource, u.capacity - u.quota.nominal)).join(', ');
  if (certain.length) {
    out.push({
      message:
        `flavor ${flavor}: ${who} need more than the nominal quota at full scale (${amounts(certain)}); the last ones stay pending ("insufficient unused quota")` +
        (cohort ? `, even with the ${borrowable(certain)} it can borrow in cohort '${cohort}'` : '') +
        `: ${capacityAdvice(graph, flavor, new Set(over.flatMap((u) => [...u.placements])))}`,
    });
  } else if (beyond.length) {
    out.push(inTurn(graph, cq, beyond, amounts(beyond), cohort ? ` with the ${borrowable(beyond)} it can borrow in cohort '${cohort}'` : ''));
  }
  if (risky.length) {
    const limited = risky.some((u) => u.quota.borrowingLimit !== undefined);
    out.push({
      severity: 'warning',
      message:
        `flavor ${flavor}: ${who} need more than the nominal quota at full scale (${amounts(risky)}); the rest is admitted only while cohort '${cohort}' lends it ` +
        `(it can lend up to ${borrowable(risky)}${limited ? ' within the borrowing limit' : ''}), and is reclaimed when its owners need it: give the queue nominal quota if the service must stay up`,
    });
  }
  return out;
}

/**
 * Workloads of one queue that each fit what it can hold but not all at once: Kueue admits them in turn and the last
 * wait (a warning), by design where the queue preempts by priority (info).
 */
function inTurn(graph: ObjectGraph, cq: GraphObject, beyond: readonly FlavorUsage[], amounts: string, borrowing: string): Problem {
  const workloads = [...new Set(beyond.flatMap((u) => [...u.each.keys()]))];
  const head =
    `flavor ${beyond[0].flavor}: ${workloads.map((w) => graph.id(w)).join(', ')} together need more than the queue can hold${borrowing} at full scale (${amounts}); ` +
    'each fits alone, so Kueue admits them in turn and the last ones wait ("insufficient unused quota") while the others hold the quota';
  const intent = preemptionIntent(graph, [cq], workloads);
  if (intent) return { severity: 'info', message: `${head}. ${intent}` };
  return {
    severity: 'warning',
    message: `${head}: if they must all run at once, ${capacityAdvice(graph, beyond[0].flavor, new Set(beyond.flatMap((u) => [...u.placements])))}`,
  };
}

/**
 * Whether a declaration of a ClusterQueue can never take one unit of a workload for quota alone: it names no cohort
 * (nothing to borrow), and every flavor of the groups covering some resource the unit needs holds less of it than
 * the unit's fewest pods request (Kueue's "request > maximum capacity").
 */
function tooSmall(graph: ObjectGraph, cq: GraphObject, least: readonly (readonly [string, number])[]): boolean {
  if (cohortOf(cq.manifest) !== undefined) return false;
  const groups = resourceGroupsOf(graph, cq);
  return least.some(([k, v]) => {
    const covering = groups.filter((g) => g.covered.includes(k));
    return covering.length > 0 && covering.every((g) => g.flavors.every((f) => (f.resources.get(k)?.nominal ?? 0) + 1e-9 < v));
  });
}

/**
 * A verdict on a ClusterQueue the tree declares in several different ways (alternatives side by side, e.g. whole-GPU and
 * MIG variants; cluster-object-conflict says so) holds only for the declaration judged: a warning naming it.
 */
function unlessAmbiguous(graph: ObjectGraph, cq: GraphObject | undefined, p: Problem, least?: readonly (readonly [string, number])[]): Problem {
  const name = text(mapping(cq?.manifest.metadata).name);
  if (!cq || !name || p.severity === 'warning' || p.severity === 'info') return p;
  const ways = differentDeclarations(graph.ofKind('ClusterQueue'), name);
  if (ways.length < 2) return p;
  if (least && ways.every((w) => tooSmall(graph, w, least))) {
    return {
      ...p,
      message: `${p.message} (each of the ${ways.length} different declarations of ClusterQueue '${name}' in the input holds less than that, and none names a cohort to borrow from)`,
    };
  }
  return {
    ...p,
    severity: 'warning',
    message: `${p.message} (judged against ClusterQueue '${name}' at ${locationOf(cq) ?? 'its first declaration'}, one of ${ways.length} different declarations of it in the input: the cluster holds only one)`,
  };
}

export const quotaInsufficient: Rule = {
  id: 'quota-insufficient',
  title:
    'Kueue never admits a workload (no flavor of a resource group takes it, an uncovered resource, a namespace outside the selector), or the demand of a queue or a cohort exceeds its quota',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...POD_SET_KINDS, 'ClusterQueue', 'Cohort'],
  premise:
    "the workload's LocalQueue and its ClusterQueue are in the tree, and the ClusterQueue's resource groups (and those of its cohort) hold no text a script fills in (`${GPU_RESOURCE}`, a quota `${GPU_QUOTA}`: not judged); each resource group gets its own flavor (node labels, taints, quota); a queue may borrow what its cohort tree lends (Cohort objects' own quota and parents, within borrowing and lending limits at every level), so a shortfall it can borrow is a warning; a cohort's shortfall is told where a limit stops it (the root, or a cohort's borrowingLimit); a shortfall beyond what a queue or cohort can hold is certain (an error) only where one workload alone needs more than that, while workloads that each fit but not all at once are admitted in turn, the last waiting (a warning), or by design where a ClusterQueue involved preempts (spec.preemption other than Never) and the workloads differ in priority (WorkloadPriorityClass label, or the pods' PriorityClass: info); demand counts pods at full scale (maxReplicas) of the workloads that keep running; a Job's pods are admitted together, other pods one by one; a workload of several pod sets is one Workload whose pod sets are admitted together, each pod set taking its own flavor (a RayJob's or RayCluster's head, worker groups of replicas × numOfHosts pods, replicas defaulting to 0 as the CRD does, and a RayJob's submitter in K8sJobMode; a Kubeflow training job's replica types; a JobSet's replicated Jobs, replicas × parallelism; each group of a LeaderWorkerSet), not judged where the tree's Red Hat build of Kueue custom resource leaves the kind out of its integrations.frameworks; a pod's request is the sum of its containers' (limits where no request) or its largest init container's, whichever is more; a resource no resource group covers refuses the workload, whether a container requests it or a `type: Container` LimitRange of the tree in the workload's namespace gives it to containers that set none (its default or defaultRequest: counted for coverage, not charged against quota); a Job (or a Pod not restarted) waits its turn for quota, so it is refused only when it cannot fit beside the long-running ones; a Job annotated kueue.x-k8s.io/job-min-parallelism is judged by its fewest pods (partial admission); a ClusterQueue the input declares in different ways gives warnings, naming the declaration judged, unless every declaration names no cohort and holds less in each flavor than one unit of the workload requests (refused whichever is applied)",
  example: "two replicas (`minReplicas: 2`) of a 4-GPU service on a ClusterQueue with `{name: nvidia.com/gpu, nominalQuota: '4'}` and no cohort",
  fix: 'add nodes (a MachineSet: its replicas) and raise the quota with them, lower the replicas, or make the flavor match the pods (node labels, tolerations)',
  source:
    'Kueue scheduler, pkg/scheduler/flavorassigner/flavorassigner.go (a flavor per resource group; fitsResourceQuota: nominal quota plus borrowing; findFlavorForPodSets: "resource … unavailable in ClusterQueue"): "insufficient unused quota", "request > maximum capacity", "untolerated taint"; pod sets: pkg/controller/jobs/raycluster common.go BuildPodSets, rayjob rayjob_controller.go PodSets, kubeflow kubeflowjob_controller.go, jobset jobset_controller.go PodsCountPerReplica; LimitRange defaults and limits as missing requests: pkg/workload/resources.go AdjustResources (handlePodLimitRange, handleLimitsToRequests); quota tree pkg/cache/scheduler/resource_node.go (available, potentialAvailable, lending and borrowing limits of ClusterQueues and Cohorts); preemption pkg/scheduler/preemption/preemption.go (candidates by withinClusterQueue, reclaimWithinCohort, borrowWithinCohort and workload priority, pkg/controller/jobframework ExtractPriority)',
  check(o, { graph }) {
    const { usage, refused, quotaRefused, tree, overruns } = admissions(graph);
    if (o.manifest.kind !== 'ClusterQueue' && o.manifest.kind !== 'Cohort') {
      const why = refused.get(o);
      const cq = graph.flavorsOf(graph.localQueueOf(o.manifest).queue).clusterQueue;
      return why ? [unlessAmbiguous(graph, cq, { message: why }, quotaRefused.get(o))] : [];
    }
    // a cohort's shortfall is told on its Cohort object, or on its first queue when only ClusterQueues name it
    const out: Problem[] = overruns.filter((r) => (r.cohort.object ?? r.queues[0].object) === o).map((r) => overrunProblem(graph, r));
    const node = o.manifest.kind === 'ClusterQueue' ? tree.clusterQueue(o) : undefined;
    if (!node || tree.disabled(node)) return out;
    const byFlavor = new Map<string, FlavorUsage[]>();
    for (const u of usage.get(node.name)?.values() ?? []) byFlavor.set(u.flavor, [...(byFlavor.get(u.flavor) ?? []), u]);
    for (const uses of byFlavor.values()) out.push(...shortfalls(graph, o, uses, node.parent?.name));
    return out.map((p) => unlessAmbiguous(graph, o, p));
  },
};
