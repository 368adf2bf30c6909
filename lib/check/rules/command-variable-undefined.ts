import { apiGroupOf } from '../../k8s/api-version';
import { POD_TEMPLATE_KINDS } from '../../k8s/pod-kinds';
import { Loose, mapping, mappings, stringMap, strings, text } from '../../manifests/access';
import { shellScriptIndex } from '../command-line';
import { ObjectGraph } from '../graph';
import { GraphObject } from '../graph-object';
import { containersOf } from '../pods';
import { Problem, Rule } from '../rule';
import { jobSpecOf } from './completion-index-not-indexed';
import { templateContainers } from '../pod-templates';
import { isVolcanoJob, volcanoPluginEnv, volcanoPluginsOn, volcanoTasks } from '../volcano-jobs';

/**
 * The kinds whose pods get no env from a controller or webhook beyond what the pod spec writes (and, on an Indexed
 * Job, JOB_COMPLETION_INDEX): operators of other kinds (Volcano, Kubeflow, JobSet, LWS, KubeRay, KServe) add their own.
 */
const PLAIN_KINDS = POD_TEMPLATE_KINDS;

/**
 * The env the LeaderWorkerSet webhook gives every container of its leader and worker pods (kubernetes-sigs/lws
 * pkg/utils/pod/pod_utils.go AddLWSVariables; api/leaderworkerset/v1 LwsLeaderAddress, LwsGroupSize, LwsWorkerIndex),
 * and the TPU env it adds to pods that request TPUs (pkg/utils/accelerators/tpu.go).
 */
const LWS_ENV = [
  'LWS_LEADER_ADDRESS',
  'LWS_GROUP_SIZE',
  'LWS_WORKER_INDEX',
  'TPU_WORKER_HOSTNAMES',
  'TPU_PROCESS_ADDRESSES',
  'TPU_PROCESS_PORT',
  'TPU_WORKER_ID',
  'TPU_NAME',
];
const LWS_GROUP = 'leaderworkerset.x-k8s.io';

/** The env the Job controller gives the pods of an Indexed Job (kubernetes pkg/controller/job/indexed_job_utils.go addCompletionIndexEnvVariable). */
const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';

/** The service links the kubelet adds (pkg/kubelet/envvars FromServices): FOO_SERVICE_HOST, FOO_SERVICE_PORT[_NAME], FOO_PORT[_…]. */
const SERVICE_LINK = /_(SERVICE_HOST|SERVICE_PORT(_\w+)?|PORT(_\w+)?)$/;

/**
 * The `$(NAME)` references of a command-line word as the kubelet scans it (third_party/forked/golang/expansion
 * expand.go Expand: `$$` is an escaped `$`, `$(` up to the next `)` a reference); one holding spaces, `$` or `(` is a
 * shell's command substitution written for a shell, not a variable, and is left to other rules.
 */
export function kubeletReferences(word: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < word.length - 1; i++) {
    if (word[i] !== '$') continue;
    if (word[i + 1] === '$') {
      i++;
      continue;
    }
    if (word[i + 1] !== '(') continue;
    const end = word.indexOf(')', i + 2);
    if (end < 0) break;
    const name = word.slice(i + 2, end);
    if (name && !/[\s$(]/.test(name)) found.push(name);
    i = end;
  }
  return found;
}

/** The names a container's env defines, or undefined where an envFrom source is not in the tree (its keys unknown). */
function definedNames(graph: ObjectGraph, o: GraphObject, container: Loose): Set<string> | undefined {
  const names = new Set(mappings(container.env).map((e) => String(e.name)));
  const namespace = graph.namespaceOf(o.manifest);
  for (const from of mappings(container.envFrom)) {
    const [kind, ref] = from.configMapRef ? ['ConfigMap', mapping(from.configMapRef)] : ['Secret', mapping(from.secretRef)];
    const source = graph.find(kind, ref.name, namespace);
    if (!source) return undefined;
    const keys = [
      ...Object.keys(stringMap(source.manifest.data)),
      ...Object.keys(stringMap(source.manifest.stringData)),
      ...Object.keys(stringMap(source.manifest.binaryData)),
    ];
    for (const k of keys) names.add(`${text(from.prefix) ?? ''}${k}`);
  }
  return names;
}

function indexed(m: Loose): boolean {
  return m.kind !== 'Pod' && text(jobSpecOf(m).completionMode) === 'Indexed';
}

/** The API groups of the plain kinds: a Volcano Job (batch.volcano.sh) is a Job of another controller. */
const PLAIN_API = /^(v1|apps\/v1|batch\/v1(beta1)?)$/;

/** The $(NAME) references of a container's command line that its env does not define, or none where it runs a shell script or its env is not all in the tree. */
function undefinedReferences(graph: ObjectGraph, o: GraphObject, container: Loose, injected: readonly string[]): string[] {
  const words = [...strings(container.command), ...strings(container.args)];
  if (shellScriptIndex(words) !== undefined) return [];
  const defined = definedNames(graph, o, container);
  if (!defined) return [];
  for (const n of injected) defined.add(n);
  return [...new Set(words.flatMap(kubeletReferences))].filter((v) => !defined.has(v) && !SERVICE_LINK.test(v));
}

const literalPassed = (v: string) => `the kubelet leaves an undefined $(…) as written, so the program receives the literal text '$(${v})'`;

function judge(o: GraphObject, graph: ObjectGraph): Problem[] {
  if (isVolcanoJob(o.manifest)) return judgeVolcanoJob(o, graph);
  if (o.manifest.kind === 'LeaderWorkerSet') return judgeLeaderWorkerSet(o, graph);
  if (!PLAIN_API.test(text(o.manifest.apiVersion) ?? '')) return [];
  const problems: Problem[] = [];
  for (const { name, container, init } of containersOf(o.manifest)) {
    const missing = undefinedReferences(graph, o, container, indexed(o.manifest) ? [COMPLETION_INDEX_ENV] : []);
    const who = `${init ? 'init container' : 'container'} '${name}'`;
    for (const v of missing) {
      const fix =
        v === COMPLETION_INDEX_ENV && (o.manifest.kind === 'Job' || o.manifest.kind === 'CronJob')
          ? `the Job controller sets ${COMPLETION_INDEX_ENV} only in the pods of an Indexed Job: set completionMode: Indexed`
          : `define ${v} in the container's env, or write the value itself`;
      problems.push({ message: `${who} command line references $(${v}), which no env entry of the container defines: ${literalPassed(v)}; ${fix}` });
    }
  }
  return problems;
}

/** A LeaderWorkerSet's leader and worker containers, with the env its webhook adds counted as defined. */
function judgeLeaderWorkerSet(o: GraphObject, graph: ObjectGraph): Problem[] {
  if (apiGroupOf(o.manifest.apiVersion) !== LWS_GROUP) return [];
  return templateContainers(o.manifest).flatMap(({ where, container }) =>
    undefinedReferences(graph, o, container, LWS_ENV).map((v) => ({
      message: `${where} command line references $(${v}), which neither an env entry of the container nor the LeaderWorkerSet webhook (${LWS_ENV.slice(0, 3).join(', ')}) defines: ${literalPassed(v)}; define ${v} in the container's env, or write the value itself`,
    })),
  );
}

/**
 * A Volcano Job's task containers: the env of the plugins it runs counts as defined; a name only a plugin it does not
 * run injects is an error naming the plugin (one per plugin: the containers that reference it are listed), any other a warning.
 */
function judgeVolcanoJob(o: GraphObject, graph: ObjectGraph): Problem[] {
  const pluginEnv = volcanoPluginEnv(o.manifest);
  const on = volcanoPluginsOn(o.manifest);
  const injected = [...pluginEnv].filter(([, plugin]) => on.has(plugin)).map(([n]) => n);
  const byPlugin = new Map<string, { names: Set<string>; where: string[] }>();
  const problems: Problem[] = [];
  for (const { where, container } of templateContainers(o.manifest, volcanoTasks(o.manifest))) {
    for (const v of undefinedReferences(graph, o, container, injected)) {
      const plugin = pluginEnv.get(v);
      if (!plugin) {
        problems.push({
          message: `${where} command line references $(${v}), which no env entry of the container defines: ${literalPassed(v)}; define ${v} in the container's env, or write the value itself`,
        });
        continue;
      }
      const entry = byPlugin.get(plugin) ?? { names: new Set<string>(), where: [] };
      entry.names.add(v);
      if (!entry.where.includes(where)) entry.where.push(where);
      byPlugin.set(plugin, entry);
    }
  }
  const listedPlugins = Object.keys(mapping(mapping(o.manifest.spec).plugins));
  for (const [plugin, { names, where }] of byPlugin) {
    const refs = [...names].map((n) => `$(${n})`).join(', ');
    const fix = listedPlugins.includes(plugin) ? `drop --inject-hosts-env=false from the ${plugin} plugin's arguments` : `add ${plugin}: [] to spec.plugins`;
    problems.push({
      severity: 'error',
      message: `${where.join(', ')} command line references ${refs}, which only Volcano's ${plugin} plugin injects, and the Job does not run it: ${literalPassed([...names][0])}; ${fix}`,
    });
  }
  return problems;
}

export const commandVariableUndefined: Rule = {
  id: 'command-variable-undefined',
  title: "a container's command or args reference $(VAR) that its env never defines: the literal text is passed",
  severity: 'warning',
  appliesTo: [...PLAIN_KINDS, 'LeaderWorkerSet'],
  premise:
    "a container of a Pod, Job, CronJob, Deployment, StatefulSet, DaemonSet or ReplicaSet, not running a shell script (sh -c), has `$(NAME)` in its command or args, and NAME is neither an env entry of the container, nor a key of an envFrom ConfigMap or Secret of the tree (with its prefix), nor a service link variable (…_SERVICE_HOST, …_PORT), nor JOB_COMPLETION_INDEX in an Indexed Job; where an envFrom source is not in the tree nothing is judged. A warning: an admission webhook of the cluster may add env. The task containers of a Volcano Job (batch.volcano.sh) are judged with the env of the plugins the Job runs (spec.plugins; svc too where tensorflow, mpi, pytorch or ray is on, unless svc is given --inject-hosts-env=false): VC_<TASK>_HOSTS and VC_<TASK>_NUM for each task from svc, VK_TASK_INDEX and VC_TASK_INDEX from env, MASTER_ADDR, MASTER_PORT, WORLD_SIZE and RANK from pytorch, TF_CONFIG from tensorflow, MPI_HOST from mpi; a name only a plugin the Job does not run injects is an error naming that plugin. A LeaderWorkerSet's leader and worker containers are judged with the env its webhook adds (LWS_LEADER_ADDRESS, LWS_GROUP_SIZE, LWS_WORKER_INDEX, and the TPU_* env of TPU pods)",
  example: '`--node_rank=$(JOB_COMPLETION_INDEX)` in a Job with no completionMode',
  fix: 'define the variable in the container env (or set completionMode: Indexed for JOB_COMPLETION_INDEX), or write the value itself',
  source:
    'kubernetes third_party/forked/golang/expansion/expand.go (an undefined reference is left as written), pkg/kubelet/kuberuntime/kuberuntime_container.go ExpandContainerCommandAndArgs; pkg/controller/job/indexed_job_utils.go (JOB_COMPLETION_INDEX on Indexed Jobs only); volcano-sh/volcano pkg/controllers/job/plugins (svc, env, distributed-framework) and pkg/webhooks/admission/jobs/mutate patchDefaultPlugins',
  check(o, ctx) {
    return judge(o, ctx.graph);
  },
};
