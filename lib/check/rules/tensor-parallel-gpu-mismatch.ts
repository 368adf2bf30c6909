import { mapping, mappings, shown } from '../../manifests/access';
import { parallelismProblems, poolTopology } from '../../planning/llm-pool';
import { poolLabel, writtenPools } from '../llm-pools';
import { hasExpansion } from '../command-line';
import { sizeFlag } from '../vllm-args';
import { MODEL_SERVICE_KIND, MODEL_SERVICE_PREMISE } from '../model-service-lines';
import { WORKLOAD_KINDS } from '../pods';
import { MULTI_POD_KINDS } from '../pod-templates';
import { ContainerLine, workloadVllmLines } from '../workload-lines';
import { sglangGpuShortfall } from '../sglang-parallel';
import { Problem, Rule } from '../rule';
import { isOutOfRangeQuantity, parseQuantity } from '../../private/quantity';
import { GPU_RESOURCE } from '../../k8s/keys';

export const tensorParallelGpuMismatch: Rule = {
  id: 'tensor-parallel-gpu-mismatch',
  title: 'tensor-parallel × pipeline-parallel size differs from the nvidia.com/gpu the pod requests (or GPU requests differ from limits)',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, 'LeaderWorkerSet', MODEL_SERVICE_KIND],
  premise:
    'a workload container that visibly starts vLLM (Deployment, StatefulSet, Job, Pod; a LeaderWorkerSet of one pod per group) and requests nvidia.com/gpu, unless the command line spreads vLLM over nodes (Ray, --nnodes, --headless); a container of any workload (a LeaderWorkerSet of several pods too) that passes --data-parallel-size-local runs that many engines of tensor × pipeline GPUs each in its pod, an error when it is given fewer (not judged with --nnodes or Ray); a LeaderWorkerSet group of several pods whose leader starts vLLM forms one Ray cluster (or --nnodes mesh), so tensor × pipeline size above the GPUs of the group (those of the leader plus size − 1 workers, a literal size and GPU counts, workers holding GPUs, no data parallelism) is an error: Ray never places the placement group of vLLM; a service that runs vLLM on GPUs: a vLLM runtime (not a CPU build) with GPUs requested, or an explicit parallel size above 1; sizes are read as vLLM reads them (the args of the runtime then of the service, the last of a repeated flag, -tp, a mounted --config file, env hooks where the command expands them, the vLLM command of a script a ConfigMap of the tree shows the container where its command runs one, what all its branches agree on); idle GPUs (more than the world size, data parallel counted) are a warning for a workload whose program is known and whose command line reads no variable, and are reported for a service only when the runtime is in the tree, its entrypoint is known, no size comes from a variable and no env variable holds flags vLLM never sees' +
    MODEL_SERVICE_PREMISE +
    '; a container that starts SGLang on one node (no --nnodes or --dist-init-addr) whose literal --tp-size (--tensor-parallel-size, --tp) × --pp-size × --dp-size (data parallel counted inside the tensor group with --enable-dp-attention) is above the nvidia.com/gpu it is given: one rank per GPU, so the server fails at start',
  example: '`--tensor-parallel-size=4` with `nvidia.com/gpu: "2"`',
  fix: 'request as many GPUs (requests and limits) as tensor-parallel × pipeline-parallel size',
  source:
    'vLLM start-up: "The number of required GPUs exceeds the total number of available GPUs"; sgl-project/sglang python/sglang/srt/server_args.py (tp_size, pp_size, dp_size, nnodes; one scheduler process per GPU rank); extended resources cannot be overcommitted (Kubernetes)',
  check(o, { graph }) {
    if (o.manifest.kind === 'LLMInferenceService') return checkLlmService(o.manifest);
    if (o.manifest.kind !== 'InferenceService') return [...checkWorkload(o.manifest), ...sglangGpuShortfall(o.manifest)];
    if (graph.servingKindOf(o) !== 'vllm-gpu') return [];
    const c = graph.servingContainer(o);
    const command = graph.vllmCommand(o);
    if (!c || !command) return [];
    const { args, line, unreadHooks } = command;
    const tp = sizeFlag(args, '--tensor-parallel-size');
    const pp = sizeFlag(args, '--pipeline-parallel-size');
    // a size the kubelet, a shell, a config file not in the tree or an uncertain env hook fills in is not known here
    if (tp === 'unknown' || pp === 'unknown') return [];
    if (tp === 'invalid' || pp === 'invalid') {
      const [flag, value] =
        tp === 'invalid'
          ? ['--tensor-parallel-size', args.value('--tensor-parallel-size')]
          : ['--pipeline-parallel-size', args.value('--pipeline-parallel-size')];
      return [{ message: `${flag} '${value}' is not a positive whole number; vLLM refuses to start: write a number of GPUs such as 4` }];
    }
    const out: Problem[] = [];
    const resources = mapping(c.resources);
    const req = mapping(resources.requests)[GPU_RESOURCE];
    const lim = mapping(resources.limits)[GPU_RESOURCE];
    const notNumbers = (
      [
        ['requests', req],
        ['limits', lim],
      ] as const
    ).filter(([, v]) => v !== undefined && parseQuantity(v) === undefined);
    for (const [which, v] of notNumbers) {
      out.push({
        message: `kserve-container ${which} ${GPU_RESOURCE} ${shown(v)} is not a finite number${isOutOfRangeQuantity(v) ? '' : ' (not a quantity)'}; write a whole number of GPUs such as 1`,
      });
    }
    if (!notNumbers.length && req !== undefined && lim !== undefined && String(req) !== String(lim)) {
      out.push({
        message: `kserve-container requests ${shown(req)} but limits ${shown(lim)} ${GPU_RESOURCE}; extended resources cannot be overcommitted: make them equal`,
      });
    }
    const gpus = graph.gpusOf(o);
    const need = tp * pp;
    if (gpus === 0 && need === 1) return out; // a GPU-less service with no parallel size: nothing to compare
    if (gpus < need) {
      out.push({
        message:
          `--tensor-parallel-size=${tp}${pp > 1 ? ` × --pipeline-parallel-size=${pp}` : ''} needs ${need} GPUs but resources give ${gpus} ${GPU_RESOURCE}; ` +
          `set requests and limits of ${GPU_RESOURCE} to ${need}, or lower the parallelism. vLLM fails at start-up`,
      });
    } else if (gpus > need && graph.runtimeOf(o.manifest) && line.programKnown && !unreadHooks.length && !hasExpansion(args.words.map((w) => w.word))) {
      // advice to give GPUs back is given only on a command line read whole: a runtime outside the tree, a size in a
      // variable, or flags in an env variable meant for vLLM (vllm-env-args-unread says where they belong) may set the
      // parallelism, and following the advice would then break a working service
      out.push({
        severity: 'warning',
        message: `${gpus} ${GPU_RESOURCE} requested but vLLM uses ${need} (--tensor-parallel-size=${tp}); ${gpus - need} GPU(s) stay idle: request ${need} or raise the parallelism`,
      });
    }
    return out;
  },
};

/** LLMInferenceService: each pool's parallelism against the GPUs of its pods (leader template and worker). */
function checkLlmService(m: Record<string, unknown>): Problem[] {
  const out: Problem[] = [];
  for (const pool of writtenPools(m)) {
    // a tensor-parallel size on the command line (VLLM_ADDITIONAL_ARGS) counts where spec.parallelism names none
    const size = sizeFlag(pool.vllm, '--tensor-parallel-size');
    const fromArgs = pool.parallelism?.tensor === undefined ? size : 1;
    if (typeof fromArgs !== 'number') continue; // a size in a variable, a word or an unread config file: not judged
    const parallelism = fromArgs > 1 ? { ...pool.parallelism, tensor: fromArgs } : pool.parallelism;
    if (pool.gpus === 0 || parallelismProblems(parallelism, pool.multiNode).length) continue; // llm-parallelism-invalid says why
    const t = poolTopology(parallelism, pool.multiNode);
    // llm-d runs dataLocal engines of tensor GPUs in each pod; one node holds every pipeline stage, a group one per pod
    const need = t.gpusPerPod;
    if (pool.gpus === need) continue;
    const parts = [
      `${t.tensor} tensor-parallel rank(s)`,
      ...(t.dataLocal > 1 ? [`${t.dataLocal} data-local`] : []),
      ...(!t.multiNode && t.pipeline > 1 ? [`${t.pipeline} pipeline stages`] : []),
    ];
    out.push({
      severity: pool.gpus < need ? 'error' : 'warning',
      message:
        `${poolLabel(pool)}: ${pool.path}.parallelism gives ${parts.join(' × ')} = ${need} GPUs per pod but container 'main' requests ${pool.gpus} ${GPU_RESOURCE}; ` +
        `make ${pool.path}.template${t.multiNode ? ' and worker' : ''} containers[main] request ${need}${pool.gpus < need ? ': vLLM fails at start-up' : ' (the rest stay idle)'}`,
    });
  }
  return out;
}

/**
 * GPUs a workload's vLLM container is given beyond its world size (tensor × pipeline × data parallel): vLLM uses that
 * many and the rest stay idle, held from other pods. A warning, since another process of the container may use them;
 * judged only where the program is known and no size or env hook comes from a variable.
 */
function idleGpus(c: ContainerLine, gpus: number, need: number): Problem[] {
  const dp = sizeFlag(c.args, '--data-parallel-size');
  if (typeof dp !== 'number' || gpus <= need * dp || !c.line.programKnown || c.line.expanded.size) return [];
  const sizes = (['--tensor-parallel-size', '--pipeline-parallel-size', '--data-parallel-size'] as const)
    .map((f) => [f, sizeFlag(c.args, f)] as const)
    .filter(([f, n]) => n !== 1 || f === '--tensor-parallel-size')
    .map(([f, n]) => `${f}=${n}`);
  return [
    {
      severity: 'warning',
      message:
        `${c.where}: ${gpus} ${GPU_RESOURCE} given but vLLM uses ${need * dp} (${sizes.join(' × ')}); ` +
        `${gpus - need * dp} GPU(s) stay idle: set --tensor-parallel-size to ${gpus} (or request ${need * dp})`,
    },
  ];
}

/** Flags and words that spread one vLLM server over several pods: each pod then holds a part of the world size. */
const MULTI_NODE = ['--nnodes', '--headless', '--distributed-executor-backend'];

/**
 * Whether a workload runs one vLLM server per pod: kinds of several pods (Ray, JobSet, training jobs) spread the world
 * size over them; a LeaderWorkerSet does too, unless its groups are one pod (size 1, lws api/leaderworkerset/v1: default 1).
 */
function onePodPerServer(m: Record<string, unknown>): boolean {
  if (m.kind === 'LeaderWorkerSet') return Number(mapping(mapping(m.spec).leaderWorkerTemplate).size ?? 1) === 1;
  return !MULTI_POD_KINDS.includes(String(m.kind));
}

/** The nvidia.com/gpu one container is given (limits, else requests: extended resources are not overcommitted); undefined when unset or not a number. */
function containerGpus(c: ContainerLine): number | undefined {
  const resources = mapping(c.container.resources);
  const v = mapping(resources.limits)[GPU_RESOURCE] ?? mapping(resources.requests)[GPU_RESOURCE];
  return v === undefined ? undefined : parseQuantity(v);
}

/**
 * A workload's own containers that start vLLM's server, their sizes read from the command line as vLLM reads it
 * (workload-lines.ts): vLLM's world size (tensor × pipeline parallel) must fit the GPUs its container is given
 * (vllm/v1/executor: "The number of required GPUs exceeds the total number of available GPUs").
 */
function checkWorkload(m: Record<string, unknown>): Problem[] {
  const lines = workloadVllmLines(m).filter((c) => c.args.invoked);
  const dataLocal = (c: ContainerLine) => c.args.value(DATA_LOCAL) !== undefined || c.args.unknown(DATA_LOCAL);
  // engines of their own per pod: judged in any workload, each pod of a group running as many
  const local = lines.filter(dataLocal).flatMap(dataLocalShortfall);
  if (!onePodPerServer(m)) return [...local, ...groupShortfall(m, lines)];
  return [
    ...local,
    ...lines
      .filter((c) => !dataLocal(c) && !MULTI_NODE.some((f) => c.args.value(f) !== undefined || c.args.unknown(f)))
      .flatMap((c) => {
        const tp = sizeFlag(c.args, '--tensor-parallel-size');
        const pp = sizeFlag(c.args, '--pipeline-parallel-size');
        const gpus = containerGpus(c);
        if (tp === 'invalid' || pp === 'invalid' || tp === 'unknown' || pp === 'unknown' || !gpus) return [];
        const need = tp * pp;
        if (gpus > need) return idleGpus(c, gpus, need);
        if (gpus === need) return [];
        return [
          {
            message:
              `${c.where}: --tensor-parallel-size=${tp}${pp > 1 ? ` × --pipeline-parallel-size=${pp}` : ''} needs ${need} GPUs but the container is given ${gpus} ${GPU_RESOURCE}; ` +
              `set requests and limits of ${GPU_RESOURCE} to ${need}, or lower the parallelism. vLLM fails at start-up`,
          },
        ];
      }),
  ];
}

/** The nvidia.com/gpu of a pod's (non-init) containers together; undefined when one is written but not a number. */
function podGpus(spec: Record<string, unknown>): number | undefined {
  let sum = 0;
  for (const c of mappings(spec.containers)) {
    const resources = mapping(c.resources);
    const v = mapping(resources.limits)[GPU_RESOURCE] ?? mapping(resources.requests)[GPU_RESOURCE];
    if (v === undefined) continue;
    const n = parseQuantity(v);
    if (n === undefined) return undefined;
    sum += n;
  }
  return sum;
}

/**
 * A LeaderWorkerSet group of several pods whose leader starts vLLM: the group is one Ray cluster (or one --nnodes
 * mesh), and vLLM's world size (tensor × pipeline parallel) must fit the GPUs of the whole group, the leader's plus
 * size − 1 workers' (lws api/leaderworkerset/v1: the leader template defaults to the worker's). vLLM asks Ray for a
 * placement group of one GPU bundle per rank of its world size (vllm/executor/ray_utils.py initialize_ray_cluster; a
 * group Ray cannot place is waited for, then _wait_until_pg_ready fails) and never serves.
 * Judged only on a literal size, literal GPU counts and workers that hold GPUs; data parallelism, which may spread
 * engines in ways the line does not show, is not judged.
 */
function groupShortfall(m: Record<string, unknown>, lines: readonly ContainerLine[]): Problem[] {
  if (m.kind !== 'LeaderWorkerSet') return [];
  const t = mapping(mapping(m.spec).leaderWorkerTemplate);
  const size = t.size;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 2) return [];
  const worker = mapping(mapping(t.workerTemplate).spec);
  const leader = t.leaderTemplate === undefined ? worker : mapping(mapping(t.leaderTemplate).spec);
  const [leaderGpus, workerGpus] = [podGpus(leader), podGpus(worker)];
  if (leaderGpus === undefined || !workerGpus) return []; // workers without GPUs: the group's GPUs are not shown
  const group = leaderGpus + (size - 1) * workerGpus;
  const leaderContainers = mappings(leader.containers);
  return lines
    .filter((c) => leaderContainers.includes(c.container))
    .filter((c) => !['--data-parallel-size', DATA_LOCAL].some((f) => c.args.value(f) !== undefined || c.args.unknown(f)))
    .flatMap((c) => {
      const [tp, pp] = ['--tensor-parallel-size', '--pipeline-parallel-size'].map((f) => sizeFlag(c.args, f));
      if (typeof tp !== 'number' || typeof pp !== 'number' || tp * pp <= group) return [];
      return [
        {
          message:
            `${c.where}: --tensor-parallel-size=${tp}${pp > 1 ? ` × --pipeline-parallel-size=${pp}` : ''} needs ${tp * pp} GPUs but the group of ` +
            `spec.leaderWorkerTemplate.size=${size} pods holds ${group} ${GPU_RESOURCE} (leader ${leaderGpus} + ${size - 1} × worker ${workerGpus}); ` +
            `vLLM cannot place its world size on the group's Ray cluster and never serves: lower the parallelism to at most ${group} GPUs, or raise the size or the GPUs per pod`,
        },
      ];
    });
}

/** vLLM's flag for the data-parallel engines one node (pod) runs. */
const DATA_LOCAL = '--data-parallel-size-local';

/**
 * A container running --data-parallel-size-local engines, each on tensor × pipeline GPUs of its own (vllm/v1/engine/utils.py
 * get_device_indices: local rank i takes the visible devices i × world size … (i + 1) × world size − 1), given fewer
 * GPUs than that. Not judged where pipeline stages span nodes (--nnodes) or Ray places the engines.
 */
function dataLocalShortfall(c: ContainerLine): Problem[] {
  const [dpl, tp, pp] = [DATA_LOCAL, '--tensor-parallel-size', '--pipeline-parallel-size'].map((f) => sizeFlag(c.args, f));
  const gpus = containerGpus(c);
  if (typeof dpl !== 'number' || typeof tp !== 'number' || typeof pp !== 'number' || !gpus) return [];
  if (MULTI_NODE.filter((f) => f !== '--headless').some((f) => c.args.value(f) !== undefined || c.args.unknown(f))) return [];
  const need = dpl * tp * pp;
  if (gpus >= need) return [];
  return [
    {
      message:
        `${c.where}: ${DATA_LOCAL}=${dpl} engines × --tensor-parallel-size=${tp}${pp > 1 ? ` × --pipeline-parallel-size=${pp}` : ''} need ${need} GPUs in the pod but the container is given ${gpus} ${GPU_RESOURCE}: ` +
        `each local data-parallel engine takes GPUs of its own, and the engines past the GPUs given find no device, so vLLM fails at start-up; request ${need} ${GPU_RESOURCE} (requests and limits), or lower ${DATA_LOCAL} or the tensor-parallel size`,
    },
  ];
}
