import { admissions, cohortMembers, cohortOf, FlavorUsage, resourceGroupsOf, showAmount } from '../kueue-admission';
import { GraphObject, ObjectGraph, WORKLOAD_KINDS } from '../graph';
import { mapping, stringMap, text } from '../../manifests/access';
import { Problem, Rule } from '../rule';
import { INSTANCE_TYPE_LABEL } from '../../k8s/keys';

/**
 * The queues of a cohort lend each other only what they hold together: a flavor's resource the cohort's workloads need
 * more of than its queues (and the Cohort object) hold is certain to leave some pending. Reported by the cohort's first queue only.
 */
function cohortShortfalls(graph: ObjectGraph, o: GraphObject, cohort: string): Problem[] {
  const members = cohortMembers(graph, cohort);
  if (members.length < 2 || members[0] !== o) return [];
  const { usage } = admissions(graph);
  // what keeps running adds up across the queues; run-to-completion workloads take turns, so only the largest counts
  const needed = new Map<string, number>();
  const largest = new Map<string, number>();
  for (const q of members) {
    for (const u of usage.get(String(q.manifest.metadata?.name))?.values() ?? []) {
      const key = `${u.flavor}/${u.resource}`;
      needed.set(key, (needed.get(key) ?? 0) + u.held);
      largest.set(key, Math.max(largest.get(key) ?? 0, u.used - u.held));
    }
  }
  for (const [key, extra] of largest) needed.set(key, (needed.get(key) ?? 0) + extra);
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
      message: `cohort '${cohort}' (${members.map((q) => String(q.manifest.metadata?.name)).join(', ')}): the workloads of its ClusterQueues need more of flavor ${flavor} than they hold together (${showAmount(resource, need)} > ${showAmount(resource, held).replace(/ .*/, '')}); borrowing only moves quota between them, so the last ones stay pending: add nodes behind the flavor and raise the quotas with them, or lower the replicas`,
    });
  }
  return out;
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
    return Object.keys(labels).length > 0 && Object.entries(labels).every(([k, v]) => nodeLabels[k] === v);
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
 * A flavor's usage above the queue's nominal quota, one problem per flavor and certainty: certain without a cohort or
 * beyond what the queue can borrow (an error), else admitted only on borrowed quota (a warning).
 */
function shortfalls(graph: ObjectGraph, uses: readonly FlavorUsage[], cohort: string | undefined): Problem[] {
  const over = uses.filter((u) => u.used > u.quota.nominal + 1e-9);
  if (!over.length) return [];
  const who = [...new Set(over.flatMap((u) => [...u.who]))].join(', ');
  const amounts = (us: readonly FlavorUsage[]) =>
    us.map((u) => `${showAmount(u.resource, u.used)} > ${showAmount(u.resource, u.quota.nominal).replace(/ .*/, '')}`).join(', ');
  const risky = cohort ? over.filter((u) => u.used <= u.capacity + 1e-9) : [];
  const certain = over.filter((u) => !risky.includes(u));
  const flavor = over[0].flavor;
  const out: Problem[] = [];
  if (certain.length) {
    out.push({
      message:
        `flavor ${flavor}: ${who} need more than the nominal quota at full scale (${amounts(certain)}); the last ones stay pending ("insufficient unused quota")` +
        (cohort
          ? `, even with the ${certain.map((u) => showAmount(u.resource, u.capacity - u.quota.nominal)).join(', ')} it can borrow in cohort '${cohort}'`
          : '') +
        `: ${capacityAdvice(graph, flavor, new Set(over.flatMap((u) => [...u.placements])))}`,
    });
  }
  if (risky.length) {
    const limited = risky.some((u) => u.quota.borrowingLimit !== undefined);
    out.push({
      severity: 'warning',
      message:
        `flavor ${flavor}: ${who} need more than the nominal quota at full scale (${amounts(risky)}); the rest is admitted only while cohort '${cohort}' lends it ` +
        `(it can lend up to ${risky.map((u) => showAmount(u.resource, u.capacity - u.quota.nominal)).join(', ')}${limited ? ' within the borrowing limit' : ''}), and is reclaimed when its owners need it: give the queue nominal quota if the service must stay up`,
    });
  }
  return out;
}

export const quotaInsufficient: Rule = {
  id: 'quota-insufficient',
  title:
    'Kueue never admits a workload (no flavor of a resource group takes it, an uncovered resource, a namespace outside the selector), or the demand of a queue exceeds its quota',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, 'ClusterQueue'],
  premise:
    "the workload's LocalQueue and its ClusterQueue are in the tree; each resource group gets its own flavor (node labels, taints, quota); a queue may borrow what its cohort lends (within borrowing and lending limits), so a shortfall it can borrow is a warning; demand counts pods at full scale (maxReplicas) of the workloads that keep running; a Job's pods are admitted together, other pods one by one; a Job (or a Pod not restarted) waits its turn for quota, so it is refused only when it cannot fit beside the long-running ones",
  example: "two replicas (`minReplicas: 2`) of a 4-GPU service on a ClusterQueue with `{name: nvidia.com/gpu, nominalQuota: '4'}` and no cohort",
  fix: 'add nodes (a MachineSet: its replicas) and raise the quota with them, lower the replicas, or make the flavor match the pods (node labels, tolerations)',
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
    const byFlavor = new Map<string, FlavorUsage[]>();
    for (const u of usage.get(String(o.manifest.metadata?.name))?.values() ?? []) byFlavor.set(u.flavor, [...(byFlavor.get(u.flavor) ?? []), u]);
    for (const uses of byFlavor.values()) out.push(...shortfalls(graph, uses, cohort));
    return out;
  },
};
