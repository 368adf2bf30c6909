import { Loose, mapping, mappings, strings, text } from '../manifests/access';
import { apiGroupOf } from '../k8s/api-version';
import { NamedPodTemplate } from './pod-templates';
import { GoFlagKind, goFlags, lastGoFlag } from '../private/go-flags';

/** Volcano's Job API group (volcano-sh/volcano staging/src/volcano.sh/apis/pkg/apis/batch/v1alpha1). */
export const VOLCANO_JOB_GROUP = 'batch.volcano.sh';

/** Whether an object is a Volcano Job, a kind named like the batch/v1 Job. */
export const isVolcanoJob = (m: Loose): boolean => m.kind === 'Job' && apiGroupOf(m.apiVersion) === VOLCANO_JOB_GROUP;

/** A Volcano Job's task templates, each with its task name (batch/v1alpha1 job.go TaskSpec: name, template). */
export function volcanoTasks(m: Loose): (NamedPodTemplate & { task: string })[] {
  if (!isVolcanoJob(m)) return [];
  return mappings(mapping(m.spec).tasks).flatMap((t, i) =>
    Object.keys(mapping(t.template)).length ? [{ path: `spec.tasks[${i}].template`, template: mapping(t.template), task: text(t.name) ?? '' }] : [],
  );
}

/** The plugins that need the svc plugin, which Volcano's job webhook adds with them (jobs/mutate patchDefaultPlugins). */
const NEEDS_SVC = ['tensorflow', 'mpi', 'pytorch', 'ray'];

/**
 * The svc plugin's hosts env is injected unless it is given --inject-hosts-env=false (plugins/svc svc.go addFlags, a
 * boolean of a Go flag.FlagSet parsing the plugin's arguments: the last given wins, strconv.ParseBool's falses).
 */
const HOSTS_ENV_FLAG = 'inject-hosts-env';
const GO_FALSE = ['0', 'f', 'F', 'false', 'FALSE', 'False'];
const svcFlagKind = (name: string): GoFlagKind => (name === HOSTS_ENV_FLAG ? 'bool' : undefined);

/**
 * The env Volcano's job plugins give the containers of a Volcano Job's pods, by the plugin that adds it
 * (volcano-sh/volcano pkg/controllers/job/plugins): svc adds VC_<TASK>_HOSTS and VC_<TASK>_NUM for each task (its name
 * upper-cased, '-' as '_'; svc/const.go), env adds VK_TASK_INDEX and VC_TASK_INDEX (env/const.go), pytorch adds
 * MASTER_ADDR, MASTER_PORT, WORLD_SIZE and RANK, tensorflow TF_CONFIG, mpi MPI_HOST (distributed-framework/*).
 */
export function volcanoPluginEnv(m: Loose): Map<string, string> {
  const tasks = mappings(mapping(m.spec).tasks).map((t) => (text(t.name) ?? '').replace(/-/g, '_').toUpperCase());
  const byPlugin: Record<string, string[]> = {
    svc: tasks.flatMap((t) => [`VC_${t}_HOSTS`, `VC_${t}_NUM`]),
    env: ['VK_TASK_INDEX', 'VC_TASK_INDEX'],
    pytorch: ['MASTER_ADDR', 'MASTER_PORT', 'WORLD_SIZE', 'RANK'],
    tensorflow: ['TF_CONFIG'],
    mpi: ['MPI_HOST'],
  };
  const env = new Map<string, string>();
  for (const [plugin, names] of Object.entries(byPlugin)) for (const n of names) env.set(n, plugin);
  return env;
}

/** The plugins a Volcano Job runs with: those of spec.plugins, svc where a framework plugin needs it, and not svc's env where it is told not to inject it. */
export function volcanoPluginsOn(m: Loose): Set<string> {
  const plugins = mapping(mapping(m.spec).plugins);
  const on = new Set(Object.keys(plugins));
  if (NEEDS_SVC.some((p) => on.has(p))) on.add('svc');
  const hostsEnv = lastGoFlag(goFlags(strings(plugins.svc), { kind: svcFlagKind, interspersed: false }), HOSTS_ENV_FLAG);
  if (GO_FALSE.includes(hostsEnv?.value ?? '')) on.delete('svc');
  return on;
}
