import { apiGroupOf } from '../../k8s/api-version';
import { isMapping, Loose, mapping, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { MULTI_POD_KINDS, templateContainers } from '../pod-templates';
import { Rule } from '../rule';
import { KAI_QUEUE_GROUP, kaiTemplates, queueOf } from './kai-queue-not-found';

/** The resources a KAI Queue divides (kai-scheduler/KAI-Scheduler pkg/apis/scheduling/v2 resources.go QueueResources). */
const QUEUE_RESOURCES = ['gpu', 'cpu', 'memory'] as const;

/** Whether some container of a workload's pods asks for CPU or memory (a request, or a limit, which sets the request). */
function asksCpuOrMemory(m: Loose): boolean {
  return [...containersOf(m), ...templateContainers(m)].some(({ container }) => {
    const r = mapping(container.resources);
    return ['cpu', 'memory'].some((k) => mapping(r.requests)[k] !== undefined || mapping(r.limits)[k] !== undefined);
  });
}

/** The tree's workloads that KAI schedules and that ask for CPU or memory, by the queue they land in. */
function queueUsers(graph: ObjectGraph): Map<string, GraphObject[]> {
  return graph.once('kai-queue-users', () => {
    const users = new Map<string, GraphObject[]>();
    for (const o of graph.objects) {
      if (![...WORKLOAD_KINDS, ...MULTI_POD_KINDS].includes(String(o.manifest.kind))) continue;
      const templates = kaiTemplates(o.manifest);
      if (!templates.length || !asksCpuOrMemory(o.manifest)) continue;
      const name = queueOf(o, templates[0].labels)?.name ?? 'default-queue';
      users.set(name, [...(users.get(name) ?? []), o]);
    }
    return users;
  });
}

/** The tree's workloads of a queue or of a queue below it (KAI checks a job's limits up the parent chain: capacity_policy resultsOverLimit). */
function usersBelow(graph: ObjectGraph, queue: string): GraphObject[] {
  const parents = new Map(
    graph
      .ofKind('Queue')
      .filter((q) => apiGroupOf(q.manifest.apiVersion) === KAI_QUEUE_GROUP)
      .map((q) => [text(mapping(q.manifest.metadata).name) ?? '', text(mapping(q.manifest.spec).parentQueue)] as const),
  );
  const under = (name: string): boolean => {
    const seen = new Set<string>();
    for (let q: string | undefined = name; q && !seen.has(q); q = parents.get(q)) {
      if (q === queue) return true;
      seen.add(q);
    }
    return false;
  };
  return [...queueUsers(graph).entries()].filter(([name]) => under(name)).flatMap(([, os]) => os);
}

export const kaiQueueResourceUnset: Rule = {
  id: 'kai-queue-resource-unset',
  title: 'a KAI Queue whose resources leave out cpu or memory: KAI reads them as quota 0 and limit 0, and refuses every job that asks for them',
  severity: 'error',
  appliesTo: ['Queue'],
  premise:
    'a scheduling.run.ai Queue whose spec.resources is written (the webhook refuses a Queue without it) but has no cpu or no memory entry: the fields are plain numbers, so a left-out resource is quota 0, overQuotaWeight 0 and limit 0, and only a limit of -1 is unlimited; ' +
    "the proportion plugin then refuses every job of the queue, or of a queue below it, that requests any of that resource (OverLimit: the queue's limit is 0). " +
    'An error when a workload of the tree that KAI schedules lands in the queue or below it and requests CPU or memory; a warning otherwise (a job that asks for neither would still run)',
  example: 'a Queue whose `resources:` holds only `gpu:` with `quota: 2`',
  fix: 'write cpu and memory entries too, e.g. `cpu: {quota: -1, limit: -1, overQuotaWeight: 1}` and the same for memory, so they are unlimited',
  source:
    'kai-scheduler/KAI-Scheduler pkg/apis/scheduling/v2 resources.go (QueueResources gpu, cpu, memory; QueueResource quota, overQuotaWeight and limit are float64, zero when left out), queue_validator.go (spec.resources required), ' +
    'pkg/scheduler/plugins/proportion/capacity_policy resultsOverLimit and isOverLimit (a resource is skipped only when its limit is UnlimitedResourceQuantity, -1; the check walks the parent queues), pkg/apis/scheduling/v2alpha2 OverLimit',
  check(o, { graph }) {
    const m = o.manifest;
    if (apiGroupOf(m.apiVersion) !== KAI_QUEUE_GROUP || !String(m.apiVersion).endsWith('/v2')) return [];
    const resources = mapping(m.spec).resources;
    if (!isMapping(resources)) return [];
    const missing = QUEUE_RESOURCES.filter((r) => r !== 'gpu' && resources[r] === undefined);
    if (!missing.length) return [];
    const name = text(mapping(m.metadata).name) ?? '';
    const users = usersBelow(graph, name);
    const shown = missing.join(' and ');
    const consequence = `KAI reads the missing ${shown} as quota 0 and limit 0 (only -1 is unlimited), so it refuses every job of this queue or a queue below it that requests ${shown} (OverLimit: "limit is 0")`;
    const fix = `write ${missing.map((r) => `${r}: {quota: -1, limit: -1}`).join(' and ')} under spec.resources (or the quota you mean)`;
    return [
      users.length
        ? {
            message: `spec.resources has no ${shown} entry: ${consequence}, and ${users.map((u) => graph.id(u)).join(', ')} request${users.length > 1 ? '' : 's'} it, so ${users.length > 1 ? 'their pods stay' : 'its pods stay'} Pending; ${fix}`,
          }
        : { severity: 'warning' as const, message: `spec.resources has no ${shown} entry: ${consequence}; nearly every pod requests CPU or memory: ${fix}` },
    ];
  },
};
