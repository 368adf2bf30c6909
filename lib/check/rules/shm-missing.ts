import { Loose, mapping, mappings, shown, text } from '../../manifests/access';
import { memoryMiB } from '../../private/quantity';
import { tensorParallelSizeOf } from '../vllm-args';
import { containerGpus, requestsAccelerator } from '../gpu-supply';
import { llmTensorParallelSize, mainContainerOf } from '../llm-pools';
import { WORKLOAD_KINDS } from '../pods';
import { MULTI_POD_KINDS } from '../pod-templates';
import { launcherRun } from '../training-launchers';
import { envEntries } from '../command-line';
import { Problem, Rule } from '../rule';
import { podSpecHolding, workloadVllmLines } from '../workload-lines';
import { GraphObject } from '../graph-object';
import { renderedByConstructs } from '../construct-rendered';

/** NCCL needs room in /dev/shm per rank; 1 GiB per rank is the floor this rule accepts (cdk8s-vllm's VllmRuntime gives 2). */
const MIN_SHM_MIB_PER_RANK = 1024;

export const shmMissing: Rule = {
  id: 'shm-missing',
  title: 'tensor parallelism, or a distributed launcher with several processes per pod, without a memory-backed /dev/shm (or one smaller than 1 GiB per rank)',
  // a warning, not an error: NCCL needs /dev/shm only where GPUs cannot reach each other peer to peer (its SHM
  // transport), which the node's interconnect decides and the manifests do not show; services with TP 4 on PCIe GPUs
  // run for weeks without the mount where P2P works, and fail at the first all-reduce where it does not
  severity: 'warning',
  appliesTo: ['InferenceService', 'LLMInferenceService', ...new Set([...WORKLOAD_KINDS, ...MULTI_POD_KINDS])],
  premise:
    "the service runs vLLM on GPUs with a tensor-parallel size above 1; in any other workload (Deployment, StatefulSet, Job, a LeaderWorkerSet's leader and workers, …) each container whose command line visibly starts vLLM's server with a tensor-parallel size above 1 and that requests an accelerator (an extended resource such as nvidia.com/gpu); in any workload, a training job's or an Argo Workflows template's pods included, each container that runs torchrun, python -m torch.distributed.run (or .launch), accelerate launch or deepspeed with more than one process on the node (--nproc_per_node, --num_processes, --num_gpus, or one per requested GPU where that is the launcher's default) and requests GPUs: an error when its env sets NCCL_P2P_DISABLE=1 (NCCL then must pass data between its local ranks through /dev/shm), none when it sets NCCL_SHM_DISABLE=1; a pod with hostIPC uses the node's /dev/shm and is not judged",
  example: '`--tensor-parallel-size=4` and no emptyDir {medium: Memory} at /dev/shm (also: `torchrun --nproc_per_node=2` with 2 GPUs)',
  fix: 'mount an emptyDir {medium: Memory, sizeLimit: <ranks>Gi or more} at /dev/shm in the serving container',
  source:
    'NCCL\'s SHM transport, used between GPUs without peer-to-peer access, fails with ncclSystemError ("Error while creating shared memory segment") or a bus error in the 64 MiB container default (vLLM docs, "Using Docker": --ipc=host or --shm-size for tensor parallelism; vllm-project/vllm#1710); NCCL user guide, Troubleshooting, "Shared memory": NCCL creates its segments in /dev/shm and containers must raise the 64 MiB default (--shm-size=1g); NVIDIA/nccl#290, #525: ranks of one node on the SHM transport fail at init with "Error while creating shared memory segment" (each segment about 9 MiB per peer and channel). The SHM transport is used only where the GPUs have no peer-to-peer path, or where NCCL_P2P_DISABLE=1 forbids it',
  check(o, { graph }) {
    if (o.manifest.kind !== 'InferenceService' && o.manifest.kind !== 'LLMInferenceService') return workloadProblems(o.manifest);
    const llm = o.manifest.kind === 'LLMInferenceService';
    if (!llm && graph.servingKindOf(o) !== 'vllm-gpu') return [];
    const args = graph.vllmCommand(o)?.args;
    const tp = llm ? llmTensorParallelSize(o.manifest) : args && tensorParallelSizeOf(args);
    if (tp === undefined || !(tp > 1)) return [];
    const rt = llm ? undefined : graph.runtimeOf(o.manifest);
    const container = llm ? mainContainerOf(mapping(o.manifest.spec).template) : graph.servingContainer(o);
    if (!container) return [];
    const mount = shmMount(container);
    // LLMInferenceService: KServe's well-known configs mount a memory-backed /dev/shm in 'main'; the service's template
    // is merged into them by name (a volume of the same name resizes it), so only a mount of its own is judged
    if (llm && !mount) return [];
    const volumes = [
      ...mappings(mapping(rt?.manifest.spec).volumes),
      ...mappings(mapping(mapping(o.manifest.spec).predictor).volumes),
      ...mappings(mapping(mapping(o.manifest.spec).template).volumes),
    ];
    const short = shmShortfall(mount, volumes, tp);
    if (short === 'none') {
      const where = `${llm ? "container 'main'" : 'kserve-container'}${rt ? ` (runtime '${text(rt.manifest.metadata?.name)}')` : ''}`;
      return [{ message: `tensor parallelism ${tp} but no memory-backed emptyDir is mounted at /dev/shm in ${where}; ${NO_SHM_EFFECT}` }];
    }
    if (short === undefined) return [];
    return [{ severity: 'warning', message: shortShmMessage(o, rt, mount?.name, short.size, tp) }];
  },
};

/**
 * A /dev/shm below 1 GiB per rank, and where to raise it: VllmRuntime's shmSize where the constructs rendered an
 * InferenceService or its runtime (VllmRuntime sizes 2 GiB per rank when it is unset), else the volume's
 * emptyDir.sizeLimit in the manifest that declares it (the runtime's spec.volumes, the predictor's, an
 * LLMInferenceService's template's: KServe's presets, not VllmRuntime, give that one its /dev/shm).
 */
function shortShmMessage(o: GraphObject, rt: GraphObject | undefined, volume: unknown, size: unknown, tp: number): string {
  const head = `/dev/shm sizeLimit ${shown(size)} is below 1 GiB per tensor-parallel rank (${tp} ranks); give it at least ${tp}Gi`;
  if (o.manifest.kind === 'InferenceService' && ((rt && renderedByConstructs(rt)) || renderedByConstructs(o)))
    return `${head}: set VllmRuntime's shmSize to ${tp}Gi or more, or leave it unset (VllmRuntime sizes 2 GiB per rank)`;
  const inRuntime = rt && mappings(mapping(rt.manifest.spec).volumes).some((v) => v.name === volume);
  const field =
    o.manifest.kind === 'LLMInferenceService'
      ? 'spec.template.volumes'
      : inRuntime
        ? `spec.volumes of ServingRuntime '${text(rt.manifest.metadata?.name)}'`
        : 'spec.predictor.volumes';
  return `${head}: set emptyDir.sizeLimit of volume '${String(volume)}' in ${field} to ${tp}Gi or more`;
}

const NO_SHM_EFFECT =
  'the container default is 64 MiB, and where the GPUs cannot reach each other peer to peer (PCIe cloud GPUs often cannot) NCCL fails there with ncclSystemError or a bus error: mount an emptyDir {medium: Memory} at /dev/shm';

/** A container's mount at /dev/shm, if it has one. */
const shmMount = (container: Loose): Loose | undefined => mappings(container.volumeMounts).find((v) => v.mountPath === '/dev/shm');

/**
 * What /dev/shm lacks for `tp` ranks, given the mount and the pod's volumes: 'none' when no memory-backed emptyDir is
 * mounted there, the size when its sizeLimit is under 1 GiB per rank, undefined when it suffices.
 */
function shmShortfall(mount: Loose | undefined, volumes: readonly Loose[], tp: number): 'none' | { readonly size: unknown } | undefined {
  const vol = mount && volumes.find((v) => v.name === mount.name);
  const emptyDir = mapping(vol?.emptyDir);
  if (!vol || emptyDir.medium !== 'Memory') return 'none';
  const size = emptyDir.sizeLimit;
  const mib = size === undefined ? Infinity : (memoryMiB(size) ?? 0);
  return mib >= MIN_SHM_MIB_PER_RANK * tp ? undefined : { size };
}

/** The kinds whose containers are judged for vLLM's tensor parallelism: workloads of one pod template, and LeaderWorkerSet. */
const VLLM_JUDGED_KINDS = new Set([...WORKLOAD_KINDS, 'LeaderWorkerSet']);

/** Containers of a plain workload that start vLLM's server with tensor parallelism, or a distributed launcher with several processes, on GPUs. */
function workloadProblems(m: Loose): Problem[] {
  return [...(VLLM_JUDGED_KINDS.has(String(m.kind)) ? vllmWorkloadProblems(m) : []), ...launcherProblems(m)];
}

/**
 * Containers that run a distributed launcher with several processes on the node: NCCL puts data between those ranks
 * through /dev/shm where the GPUs have no peer-to-peer path (a warning: the node decides), and always with
 * NCCL_P2P_DISABLE=1 (an error); NCCL_SHM_DISABLE=1 turns the SHM transport off.
 */
function launcherProblems(m: Loose): Problem[] {
  return workloadVllmLines(m).flatMap((c): Problem[] => {
    if (c.args.invoked) return [];
    const gpus = containerGpus(c.container);
    const run =
      gpus > 0
        ? launcherRun(
            c.line.words.map((w) => w.word),
            gpus,
          )
        : undefined;
    if (!run || run.processes < 2) return [];
    const spec = podSpecHolding(m, c.container);
    if (!spec || spec.hostIPC === true) return [];
    const env = new Map(envEntries(c.container.env, c.where).map((e) => [e.name, e.value]));
    if (env.get('NCCL_SHM_DISABLE') === '1') return [];
    const short = shmShortfall(shmMount(c.container), mappings(spec.volumes), run.processes);
    if (short === undefined) return [];
    const forced = env.get('NCCL_P2P_DISABLE') === '1';
    const lacks =
      short === 'none'
        ? 'no memory-backed emptyDir is mounted at /dev/shm, so it has the 64 MiB container default'
        : `/dev/shm sizeLimit ${shown(short.size)} is below 1 GiB per process`;
    const effect = forced
      ? 'its env sets NCCL_P2P_DISABLE=1, so NCCL passes data between these ranks through /dev/shm and fails at init ("Error while creating shared memory segment")'
      : 'where the GPUs cannot reach each other peer to peer (PCIe cloud GPUs often cannot) NCCL passes data between these ranks through /dev/shm and fails at init ("Error while creating shared memory segment")';
    return [
      {
        severity: forced ? 'error' : 'warning',
        message: `${c.where}: ${run.launcher} starts ${run.processes} processes (${run.from}) and ${lacks}; ${effect}: mount an emptyDir {medium: Memory, sizeLimit: ${run.processes}Gi or more} at /dev/shm`,
      },
    ];
  });
}

/** Containers of a plain workload that start vLLM's server with tensor parallelism on GPUs, judged by their own pod's volumes. */
function vllmWorkloadProblems(m: Loose): Problem[] {
  return workloadVllmLines(m).flatMap((c): Problem[] => {
    const tp = c.args.invoked ? tensorParallelSizeOf(c.args) : undefined;
    if (tp === undefined || !(tp > 1) || !requestsAccelerator([c.container])) return [];
    const spec = podSpecHolding(m, c.container);
    if (!spec || spec.hostIPC === true) return [];
    const short = shmShortfall(shmMount(c.container), mappings(spec.volumes), tp);
    if (short === 'none') return [{ message: `${c.where}: tensor parallelism ${tp} but no memory-backed emptyDir is mounted at /dev/shm; ${NO_SHM_EFFECT}` }];
    if (short === undefined) return [];
    return [{ message: `${c.where}: /dev/shm sizeLimit ${shown(short.size)} is below 1 GiB per tensor-parallel rank (${tp} ranks); give it at least ${tp}Gi` }];
  });
}
