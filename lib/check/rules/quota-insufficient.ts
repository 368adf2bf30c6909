import { mapping, mappings, stringMap, strings, text } from '../../manifests/access';
import { formatMiB, formatMillis, parseQuantity } from '../../private/quantity';
import { cohortOf, flavorsOfClusterQueue, GraphObject, INSTANCE_TYPE_LABEL, ObjectGraph, podCount, podRequests, podSpecOf, WORKLOAD_KINDS } from '../graph';
import { poolWorkloads } from '../llm-pools';
import { Problem, Rule } from '../rule';

interface FlavorDemand {
  readonly flavor: string;
  readonly quota: Record<string, number>;
  gpus: number;
  cpu: number;
  mem: number;
  readonly who: string[];
  /** How the workloads' constructs named their nodes (node-shape annotation), for the advice. */
  readonly placements: Set<string>;
}

/** Where each queued workload lands: the first flavor of its ClusterQueue that matches its selector and has quota for one pod. */
interface Admission {
  /** Per ClusterQueue name → per flavor. */
  readonly demand: Map<string, Map<string, FlavorDemand>>;
  /** Per workload: why it can never be admitted. */
  readonly refused: Map<GraphObject, string>;
}

function admissions(graph: ObjectGraph): Admission {
  return graph.once('quota-insufficient:admission', () => {
    const demand = new Map<string, Map<string, FlavorDemand>>();
    const refused = new Map<GraphObject, string>();
    for (const kind of WORKLOAD_KINDS) {
      for (const o of graph.ofKind(kind)) {
        const { queue } = graph.localQueueOf(o.manifest);
        if (!queue) continue;
        const { clusterQueue, flavors } = graph.flavorsOf(queue);
        if (!clusterQueue) continue;
        const cqName = String(clusterQueue.manifest.metadata?.name);
        // an LLMInferenceService is one workload per pool (decode, prefill), each of its own pods
        const units = o.manifest.kind === 'LLMInferenceService' ? poolWorkloads(o.manifest) : [{ manifest: o.manifest, pods: podCount(o.manifest) }];
        for (const unit of units) {
          const r = podRequests(unit.manifest, graph.runtimeOf(o.manifest)?.manifest);
          const covered = new Set(mappings(mapping(clusterQueue.manifest.spec).resourceGroups).flatMap((g) => strings(g.coveredResources)));
          const uncovered = r.resources.filter((x) => !covered.has(x));
          if (uncovered.length) {
            refused.set(
              o,
              `requests ${uncovered.join(', ')}, which ClusterQueue '${cqName}' does not cover; Kueue cannot admit it ("resource ${uncovered[0]} unavailable in ClusterQueue"): add it to coveredResources or drop the request`,
            );
            break;
          }
          const selector = stringMap(podSpecOf(unit.manifest)?.nodeSelector);
          const need: Record<string, number> = { cpu: r.cpuMillis / 1000, memory: r.memoryMiB * 2 ** 20, 'nvidia.com/gpu': r.gpus };
          const flavor = flavors.find((f) => {
            const labels = stringMap(mapping(f.object?.manifest.spec).nodeLabels);
            const compatible = Object.entries(labels).every(([k, v]) => selector[k] === undefined || selector[k] === v);
            return compatible && Object.entries(need).every(([k, v]) => !v || (f.quota[k] ?? 0) >= v);
          });
          if (!flavor) {
            refused.set(
              o,
              `no flavor of ClusterQueue '${cqName}' (${flavors.map((f) => f.name).join(', ')}) matches its node selector ` +
                `${selector[INSTANCE_TYPE_LABEL] ? `(${INSTANCE_TYPE_LABEL}=${selector[INSTANCE_TYPE_LABEL]}) ` : ''}with enough quota for one pod (${r.gpus} GPU, ${formatMillis(r.cpuMillis)} CPU, ${formatMiB(r.memoryMiB)}); it is never admitted`,
            );
            break;
          }
          const byFlavor = demand.get(cqName) ?? new Map<string, FlavorDemand>();
          demand.set(cqName, byFlavor);
          const d = byFlavor.get(flavor.name) ?? { flavor: flavor.name, quota: flavor.quota, gpus: 0, cpu: 0, mem: 0, who: [], placements: new Set<string>() };
          byFlavor.set(flavor.name, d);
          const n = unit.pods;
          d.gpus += n * r.gpus;
          d.cpu += n * r.cpuMillis;
          d.mem += n * r.memoryMiB;
          if (!d.who.includes(graph.id(o))) d.who.push(graph.id(o));
          const shape = graph.recordedNodeShape(o.manifest);
          if (shape && 'placement' in shape) d.placements.add(shape.placement);
        }
      }
    }
    return { demand, refused };
  });
}

/**
 * The queues of a cohort lend each other only what they hold together: a flavor the cohort's workloads need more GPUs
 * of than its queues hold is certain to leave some pending. Reported by the cohort's first queue only.
 */
function cohortShortfalls(graph: ObjectGraph, o: GraphObject, cohort: string, demand: Admission['demand']): Problem[] {
  const members = graph.ofKind('ClusterQueue').filter((q) => cohortOf(q.manifest) === cohort);
  if (members.length < 2 || members[0] !== o) return [];
  const demandOf = (q: GraphObject) => demand.get(String(q.manifest.metadata?.name));
  const out: Problem[] = [];
  for (const flavor of new Set(members.flatMap((q) => [...(demandOf(q)?.keys() ?? [])]))) {
    let held = 0;
    let needed = 0;
    for (const q of members) {
      held += flavorsOfClusterQueue(graph, q).find((x) => x.name === flavor)?.quota['nvidia.com/gpu'] ?? 0;
      needed += demandOf(q)?.get(flavor)?.gpus ?? 0;
    }
    if (needed <= held) continue;
    out.push({
      message: `cohort '${cohort}' (${members.map((q) => String(q.manifest.metadata?.name)).join(', ')}): the workloads of its ClusterQueues need more of flavor ${flavor} than they hold together (${needed} GPU > ${held}); borrowing only moves quota between them, so the last ones stay pending: add nodes behind the flavor and raise the quotas with them, or lower the replicas`,
    });
  }
  return out;
}

/**
 * What adds capacity behind a flavor: a MachineSet of the tree whose nodes carry the flavor's labels grows by replicas;
 * nodes that exist (an admin's pool, another cloud) grow only by adding nodes; either way the demand may shrink instead.
 */
function capacityAdvice(graph: ObjectGraph, d: FlavorDemand): string {
  const labels = stringMap(mapping(graph.find('ResourceFlavor', d.flavor)?.manifest.spec).nodeLabels);
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
  const pools = [...d.placements];
  return (
    `add nodes to ${pools.length ? pools.join(', ') : `the nodes of flavor ${d.flavor}`} and raise the nominal quota with them` +
    `${pools.length ? ' (nodeCount or shares of the placement)' : ''}, or lower the replicas or requests of the workloads`
  );
}

/** GPUs a ClusterQueue of a cohort can borrow of a flavor: what the cohort's other queues hold of it, up to its borrowingLimit. */
function borrowableGpus(graph: ObjectGraph, o: GraphObject, cohort: string, flavor: string): number {
  const peers = graph.ofKind('ClusterQueue').filter((q) => q !== o && cohortOf(q.manifest) === cohort);
  const held = peers.reduce((n, q) => n + (flavorsOfClusterQueue(graph, q).find((f) => f.name === flavor)?.quota[GPU] ?? 0), 0);
  const own = mappings(mapping(o.manifest.spec).resourceGroups)
    .flatMap((g) => mappings(g.flavors))
    .find((f) => f.name === flavor);
  const limit = parseQuantity(mappings(own?.resources).find((r) => r.name === GPU)?.borrowingLimit);
  return limit === undefined ? held : Math.min(limit, held);
}

const GPU = 'nvidia.com/gpu';

export const quotaInsufficient: Rule = {
  id: 'quota-insufficient',
  title: 'the ClusterQueue behind a LocalQueue does not cover a requested resource, or its nominal quota is below the demand of the workloads queued on it',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, 'ClusterQueue'],
  premise:
    "the workload's LocalQueue and its ClusterQueue are in the tree; demand counts pods at full scale (maxReplicas); in a cohort a queue's shortfall within what it can borrow is a warning, beyond it (or the cohort's) an error",
  example: 'two replicas of a 4-GPU service on a ClusterQueue with nominalQuota 4 for nvidia.com/gpu',
  fix: 'add nodes (a MachineSet: its replicas) and raise the quota with them, or lower the replicas',
  source: 'Kueue admits a workload only within unused nominal quota (plus borrowing): "insufficient unused quota"',
  check(o, { graph }) {
    const { demand, refused } = admissions(graph);
    if (o.manifest.kind !== 'ClusterQueue') {
      const why = refused.get(o);
      return why ? [{ message: why }] : [];
    }
    const out: Problem[] = [];
    const cohort = cohortOf(o.manifest);
    if (cohort) out.push(...cohortShortfalls(graph, o, cohort, demand));
    for (const d of demand.get(String(o.manifest.metadata?.name))?.values() ?? []) {
      const short: string[] = [];
      if (d.gpus > (d.quota['nvidia.com/gpu'] ?? 0)) short.push(`${d.gpus} GPU > ${d.quota['nvidia.com/gpu'] ?? 0}`);
      if (d.cpu > (d.quota.cpu ?? 0) * 1000) short.push(`${formatMillis(d.cpu)} CPU > ${formatMillis((d.quota.cpu ?? 0) * 1000)}`);
      if (d.mem > (d.quota.memory ?? 0) / 2 ** 20) short.push(`${formatMiB(d.mem)} memory > ${formatMiB((d.quota.memory ?? 0) / 2 ** 20)}`);
      if (!short.length) continue;
      // a ClusterQueue in a cohort may borrow what others hold: a shortfall within that is a risk, beyond it a certainty
      const borrowable = cohort ? borrowableGpus(graph, o, cohort, d.flavor) : 0;
      const beyondBorrowing = !cohort || d.gpus > (d.quota[GPU] ?? 0) + borrowable;
      out.push({
        severity: beyondBorrowing ? 'error' : 'warning',
        message:
          `flavor ${d.flavor}: ${d.who.join(', ')} need more than the nominal quota at full scale (${short.join(', ')}); the last ones stay pending ("insufficient unused quota")` +
          (cohort
            ? beyondBorrowing
              ? `, even with the ${borrowable} GPU it can borrow in cohort '${cohort}'`
              : ` unless cohort '${cohort}' lends the rest (up to ${borrowable} GPU)`
            : '') +
          `: ${capacityAdvice(graph, d)}`,
      });
    }
    return out;
  },
};
