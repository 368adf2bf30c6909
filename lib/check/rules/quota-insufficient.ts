import { admissions, cohortMembers, cohortOf, FlavorUsage, resourceGroupsOf, showAmount } from '../kueue-admission';
import { GraphObject, ObjectGraph, WORKLOAD_KINDS } from '../graph';
import { Problem, Rule } from '../rule';

/**
 * The queues of a cohort lend each other only what they hold together: a flavor's resource the cohort's workloads need
 * more of than its queues (and the Cohort object) hold is certain to leave some pending. Reported by the cohort's first queue only.
 */
function cohortShortfalls(graph: ObjectGraph, o: GraphObject, cohort: string): Problem[] {
  const members = cohortMembers(graph, cohort);
  if (members.length < 2 || members[0] !== o) return [];
  const { usage } = admissions(graph);
  const needed = new Map<string, number>();
  for (const q of members) {
    for (const u of usage.get(String(q.manifest.metadata?.name))?.values() ?? [])
      needed.set(`${u.flavor}/${u.resource}`, (needed.get(`${u.flavor}/${u.resource}`) ?? 0) + u.used);
  }
  const owners = [...members, ...graph.ofKind('Cohort').filter((c) => c.manifest.metadata?.name === cohort)];
  const out: Problem[] = [];
  for (const [key, need] of needed) {
    const [flavor, ...rest] = key.split('/');
    const resource = rest.join('/');
    let held = 0;
    for (const q of owners) {
      for (const g of resourceGroupsOf(graph, q)) held += g.flavors.find((f) => f.name === flavor)?.resources.get(resource)?.nominal ?? 0;
    }
    if (need <= held + 1e-9) continue;
    out.push({
      message: `cohort '${cohort}' (${members.map((q) => String(q.manifest.metadata?.name)).join(', ')}): the workloads of its ClusterQueues need more of flavor ${flavor} than they hold together (${showAmount(resource, need)} > ${showAmount(resource, held).replace(/ .*/, '')}); borrowing only moves quota between them, so the last ones stay pending: raise the quotas (and the nodes behind them) or lower the replicas`,
    });
  }
  return out;
}

/** One flavor's usage above the queue's nominal quota: certain without a cohort or beyond what it can borrow, else a risk. */
function shortfall(u: FlavorUsage, cohort: string | undefined): Problem | undefined {
  if (u.used <= u.quota.nominal + 1e-9) return undefined;
  const who = [...u.who].join(', ');
  const amounts = `${showAmount(u.resource, u.used)} > ${showAmount(u.resource, u.quota.nominal).replace(/ .*/, '')}`;
  if (cohort && u.used <= u.capacity + 1e-9) {
    return {
      severity: 'warning',
      message:
        `flavor ${u.flavor}: ${who} need more than the nominal quota at full scale (${amounts}); the rest is admitted only while cohort '${cohort}' lends it ` +
        `(it can lend up to ${showAmount(u.resource, u.capacity - u.quota.nominal)}${u.quota.borrowingLimit !== undefined ? ' within the borrowing limit' : ''}), and is reclaimed when its owners need it: give the queue nominal quota if the service must stay up`,
    };
  }
  return {
    message:
      `flavor ${u.flavor}: ${who} need more than the nominal quota at full scale (${amounts}` +
      (cohort ? `, and more than cohort '${cohort}' can lend: at most ${showAmount(u.resource, u.capacity).replace(/ .*/, '')} in all` : '') +
      `); the last ones stay pending ("insufficient unused quota"): raise the quota (and the nodes behind it) or lower the replicas`,
  };
}

export const quotaInsufficient: Rule = {
  id: 'quota-insufficient',
  title:
    'Kueue never admits a workload (no flavor of a resource group takes it, an uncovered resource, a namespace outside the selector), or the demand of a queue exceeds its quota',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, 'ClusterQueue'],
  premise:
    "the workload's LocalQueue and its ClusterQueue are in the tree; each resource group gets its own flavor (node labels, taints, quota); a queue may borrow what its cohort lends (within borrowing and lending limits), so a shortfall it can borrow is a warning; demand counts pods at full scale (maxReplicas); a Job's pods are admitted together, other pods one by one",
  example: 'two replicas of a 4-GPU service on a ClusterQueue with nominalQuota 4 for nvidia.com/gpu and no cohort',
  fix: 'raise the quota (and the nodes behind it), lower the replicas, or make the flavor match the pods (node labels, tolerations)',
  source:
    'Kueue scheduler, pkg/scheduler/flavorassigner/flavorassigner.go (a flavor per resource group; fitsResourceQuota: nominal quota plus borrowing): "insufficient unused quota", "request > maximum capacity", "untolerated taint"',
  check(o, { graph }) {
    const { usage, refused } = admissions(graph);
    if (o.manifest.kind !== 'ClusterQueue') {
      const why = refused.get(o);
      return why ? [{ message: why }] : [];
    }
    const out: Problem[] = [];
    const cohort = cohortOf(o);
    if (cohort) out.push(...cohortShortfalls(graph, o, cohort));
    for (const u of usage.get(String(o.manifest.metadata?.name))?.values() ?? []) {
      const p = shortfall(u, cohort);
      if (p) out.push(p);
    }
    return out;
  },
};
