import { Loose } from '../../manifests/access';
import { WORKLOAD_KINDS } from '../pods';
import { MODEL_SERVICE_KIND, modelServiceLines } from '../model-service-lines';
import { Problem, Rule } from '../rule';
import { sizeFlag } from '../vllm-args';
import { ContainerLine, workloadVllmLines } from '../workload-lines';

/** Kinds whose pods form one vLLM server across several nodes (Ray's, LeaderWorkerSet's): the world spans their pods. */
const MULTI_NODE_KINDS = new Set(['LeaderWorkerSet', 'RayCluster', 'RayJob', 'RayService']);

/**
 * The devices CUDA_VISIBLE_DEVICES lists, where every entry is a device index or a GPU/MIG UUID: CUDA enumerates
 * them in order and stops at the first invalid one, so the process sees at most that many (CUDA C Programming
 * Guide, "CUDA Environment Variables"); undefined for an empty, variable or unreadable value.
 */
export function visibleDeviceCount(value: string | undefined): number | undefined {
  if (value === undefined || value.includes('$')) return undefined;
  const entries = value.split(',').map((e) => e.trim());
  if (!entries.length || entries.some((e) => !/^(\d+|GPU-[0-9a-fA-F-]+|MIG-[\w/-]+)$/.test(e))) return undefined;
  return entries.length;
}

/**
 * The world vLLM would build on one node from the line, and why it is sure: tensor x pipeline parallel size, where no
 * executor backend, node count or Ray cluster is given (vLLM then picks multiprocessing on this node or refuses).
 */
function singleNodeWorld(c: ContainerLine, tensor?: number): number | undefined {
  const { args } = c;
  if (args.value('--distributed-executor-backend') !== undefined || args.unknown('--distributed-executor-backend')) return undefined;
  if (args.value('--nnodes') !== undefined || args.unknown('--nnodes') || args.value('--headless') !== undefined) return undefined;
  if (c.line.words.some((w) => w.word === 'ray') || c.env.some((e) => e.name === 'RAY_ADDRESS')) return undefined;
  const tp = args.value('--tensor-parallel-size') === undefined && tensor !== undefined ? tensor : sizeFlag(args, '--tensor-parallel-size');
  const pp = sizeFlag(args, '--pipeline-parallel-size');
  return typeof tp === 'number' && typeof pp === 'number' ? tp * pp : undefined;
}

function shortDevices(c: ContainerLine, tensor?: number): Problem[] {
  const entry = c.env.find((e) => e.name === 'CUDA_VISIBLE_DEVICES');
  const visible = visibleDeviceCount(entry?.value);
  const world = visible === undefined ? undefined : singleNodeWorld(c, tensor);
  if (visible === undefined || world === undefined || visible >= world) return [];
  return [
    {
      message:
        `${c.where}: CUDA_VISIBLE_DEVICES=${entry!.value} (${entry!.from}) shows vLLM at most ${visible} GPU${visible === 1 ? '' : 's'}, and its world is ${world} ` +
        `(tensor x pipeline parallel size) on this node with no --distributed-executor-backend or --nnodes: vLLM refuses ("World size (${world}) is larger than the number of available GPUs (${visible}) in this node"; ` +
        `releases before 0.11 fail to place the Ray workers) and the pod crash-loops; list ${world} devices, drop the variable (the device plugin already limits the GPUs to those requested), or lower the parallel size`,
    },
  ];
}

export const vllmVisibleDevicesShort: Rule = {
  id: 'vllm-visible-devices-short',
  title:
    "CUDA_VISIBLE_DEVICES lists fewer GPUs than vLLM's tensor x pipeline parallel size: vLLM refuses a world larger than the GPUs it sees, and the server exits",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, MODEL_SERVICE_KIND],
  premise:
    "a container visibly starts vLLM's server (or is a decode or prefill container of llm-d's ModelService, its tensor size from spec.<role>.parallelism.tensor where its args give none) and sets CUDA_VISIBLE_DEVICES to a literal list of device indexes or UUIDs shorter than --tensor-parallel-size x --pipeline-parallel-size, with no --distributed-executor-backend, --nnodes or --headless, no Ray in the command line or RAY_ADDRESS in the env, in a kind that runs one pod per server (not a LeaderWorkerSet's or Ray's); a size or value that is a variable is not judged",
  example: '`CUDA_VISIBLE_DEVICES` set to `"0"` in a container running vllm serve with a tensor parallel size of 4',
  fix: 'list as many devices as tensor x pipeline parallel size, or drop CUDA_VISIBLE_DEVICES (the NVIDIA device plugin exposes the GPUs the container requests), or lower the parallel size',
  source:
    'vllm/config/parallel.py ParallelConfig.__post_init__ (no executor backend, world size over current_platform.device_count(): ValueError "World size (…) is larger than the number of available GPUs (…) in this node"; before, the fallback to Ray and its placement group over the visible GPUs); vllm/utils cuda_device_count_stateless reads CUDA_VISIBLE_DEVICES; CUDA C Programming Guide, CUDA Environment Variables',
  check(o) {
    if (MULTI_NODE_KINDS.has(String(o.manifest.kind))) return [];
    if (o.manifest.kind === MODEL_SERVICE_KIND) return modelServiceLines(o.manifest).flatMap((c) => shortDevices(c, c.tensor));
    return linesOf(o.manifest).flatMap((c) => shortDevices(c));
  },
};

function linesOf(m: Loose): readonly ContainerLine[] {
  return workloadVllmLines(m).filter((c) => c.args.invoked);
}
