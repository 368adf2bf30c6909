import { apiGroupOf } from '../../k8s/api-version';
import { isMapping, Loose, mapping, text } from '../../manifests/access';
import { repositoryObjectsOf } from '../found-elsewhere';
import { ObjectGraph } from '../graph';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { MULTI_POD_KINDS, templateContainers } from '../pod-templates';
import { Rule } from '../rule';
import { KAI_QUEUE_GROUP, kaiTemplates, queueOf } from './kai-queue-not-found';

/** The resources a KAI Queue divides (kai-scheduler/KAI-Scheduler pkg/apis/scheduling/v2 resources.go QueueResources). */
const QUEUE_RESOURCES = ['gpu', 'cpu', 'memory'] as const;

/** The queue resources a pod's container can ask for, as KAI names them and as a container's resources name them. */
type Asked = 'cpu' | 'memory';

/**
 * The CPU and memory some container of a workload's pods asks for: a request, or a limit (which sets the request when
 * none is written: the API server's defaulting); a request of 0 is none (isOverLimit skips a zero request).
 */
function askedOf(m: Loose): Asked[] {
  const asked = new Set<Asked>();
  for (const { container } of [...containersOf(m), ...templateContainers(m)]) {
    const r = mapping(container.resources);
    for (const k of ['cpu', 'memory'] as const) {
      const v = mapping(r.requests)[k] ?? mapping(r.limits)[k];
      if (v !== undefined && !/^0+(?:\.0*)?[a-zA-Z]*$/.test(String(v))) asked.add(k);
    }
  }
  return [...asked];
}

/** A workload KAI schedules into a queue, with what it asks for and how a message names it. */
interface QueueUser {
  readonly queue: string;
  readonly asked: readonly Asked[];
  readonly named: string;
}

/** The workload a manifest is, when KAI schedules it and it asks for CPU or memory; `named` as a message names it. */
function userOf(m: Loose, named: string): QueueUser | undefined {
  if (![...WORKLOAD_KINDS, ...MULTI_POD_KINDS].includes(String(m.kind))) return undefined;
  const templates = kaiTemplates(m);
  const asked = templates.length ? askedOf(m) : [];
  if (!asked.length) return undefined;
  // queueOf reads the manifest only
  const queue = queueOf({ manifest: m }, templates[0].labels)?.name ?? 'default-queue';
  return { queue, asked, named };
}

/**
 * The workloads KAI schedules that ask for CPU or memory: the tree's, and those a manifest of its git repository
 * deploys outside the checked folder (the jobs a queue folder's neighbours submit), named with their file.
 */
function queueUsers(graph: ObjectGraph): QueueUser[] {
  return graph.once('kai-queue-users', () => [
    ...graph.objects.flatMap((o) => userOf(o.manifest, graph.id(o)) ?? []),
    ...repositoryObjectsOf(graph).flatMap((r) => userOf(r.manifest, `${r.kind} '${r.name}' (${r.file}:${r.line}, outside the checked folder)`) ?? []),
  ]);
}

/** The workloads of a queue or of a queue below it (KAI checks a job's limits up the parent chain: capacity_policy resultsOverLimit). */
function usersBelow(graph: ObjectGraph, queue: string): QueueUser[] {
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
  return queueUsers(graph).filter((u) => under(u.queue));
}

export const kaiQueueResourceUnset: Rule = {
  id: 'kai-queue-resource-unset',
  title: 'a KAI Queue whose resources leave out cpu or memory: KAI reads them as quota 0 and limit 0, and refuses every job that asks for them',
  severity: 'error',
  appliesTo: ['Queue'],
  premise:
    'a scheduling.run.ai Queue whose spec.resources is written (the webhook refuses a Queue without it) but has no cpu or no memory entry: the fields are plain numbers, so a left-out resource is quota 0, overQuotaWeight 0 and limit 0, and only a limit of -1 is unlimited; ' +
    "the proportion plugin then refuses every job of the queue, or of a queue below it, that requests any of that resource (OverLimit: the queue's limit is 0). " +
    'An error when a workload that KAI schedules (schedulerName kai-scheduler) lands in the queue or below it (its kai.scheduler/queue label, else default-queue) and requests a resource the queue leaves out (a request, or a limit that sets it; a request of 0 asks for nothing): one of the tree, or one a manifest of its git repository deploys outside the checked folder, named with its file; a warning otherwise (a job that asks for none of it would still run)',
  example: 'a Queue whose `resources:` holds only `gpu:` with `quota: 2`',
  fix: 'write cpu and memory entries too, e.g. `cpu: {quota: -1, limit: -1, overQuotaWeight: 1}` and the same for memory, so they are unlimited',
  source:
    'NVIDIA/KAI-Scheduler pkg/apis/scheduling/v2 resources.go (QueueResources gpu, cpu, memory; QueueResource quota, overQuotaWeight and limit are float64 with no default, zero when left out; the CRD deployments/kai-scheduler/crds/scheduling.run.ai_queues.yaml sets none either), queue_webhook.go (ValidateCreate: "resources must be specified"), ' +
    "pkg/scheduler/plugins/proportion/proportion.go createQueueResourceAttrs (each resource's MaxAllowed is the spec's limit as written: 0 when left out), capacity_policy/max_allowed_check.go resultsOverLimit and isOverLimit (a resource is skipped only when its MaxAllowed is UnlimitedResourceQuantity, -1, or the job requests none of it; the check walks the parent queues), pkg/apis/scheduling/v2alpha2 OverLimit",
  check(o, { graph }) {
    const m = o.manifest;
    if (apiGroupOf(m.apiVersion) !== KAI_QUEUE_GROUP || !String(m.apiVersion).endsWith('/v2')) return [];
    const resources = mapping(m.spec).resources;
    if (!isMapping(resources)) return [];
    const missing = QUEUE_RESOURCES.filter((r) => r !== 'gpu' && resources[r] === undefined);
    if (!missing.length) return [];
    const name = text(mapping(m.metadata).name) ?? '';
    // only a job that asks for a resource the queue leaves out is refused for it (isOverLimit skips a zero request)
    const users = usersBelow(graph, name).filter((u) => u.asked.some((r) => (missing as readonly string[]).includes(r)));
    const shown = missing.join(' and ');
    const consequence = `KAI reads the missing ${shown} as quota 0 and limit 0 (only -1 is unlimited), so it refuses every job of this queue or a queue below it that requests ${shown} (OverLimit: "limit is 0")`;
    const fix = `write ${missing.map((r) => `${r}: {quota: -1, limit: -1}`).join(' and ')} under spec.resources (or the quota you mean)`;
    return [
      users.length
        ? {
            message: `spec.resources has no ${shown} entry: ${consequence}, and ${users.map((u) => u.named).join(', ')} request${users.length > 1 ? '' : 's'} it, so ${users.length > 1 ? 'their pods stay' : 'its pods stay'} Pending; ${fix}`,
          }
        : { severity: 'warning' as const, message: `spec.resources has no ${shown} entry: ${consequence}; nearly every pod requests CPU or memory: ${fix}` },
    ];
  },
};
