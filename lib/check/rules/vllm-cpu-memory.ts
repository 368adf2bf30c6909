import { checkpointSizeOfName } from '../../catalog/model-families';
import { acceleratorBuildOf, vllmVersionOfImageReference } from '../../catalog/vllm-images';
import { Loose, mapping, mappings, shown, text } from '../../manifests/access';
import { cpuIntent, envEntries } from '../command-line';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { podRequests, WORKLOAD_KINDS } from '../pods';
import { servedModelSize } from '../workload-startup';
import { workloadVllmLines } from '../workload-lines';
import { ModelProfile } from '../../planning/model-profile';
import { parseQuantity } from '../../private/quantity';
import { mainContainerOf } from '../llm-pools';
import { Problem, Rule } from '../rule';

const GIB = 2 ** 30;

/**
 * vLLM's KV-cache space on CPU when VLLM_CPU_KVCACHE_SPACE is unset, in GiB: 4 (vllm/platforms/cpu.py,
 * check_and_update_config, "using 4 by default"); later releases take half the node's memory per NUMA node
 * (CpuPlatform.get_device_total_memory), which is more on any node with 8 GiB or more per NUMA node.
 */
const DEFAULT_KV_CACHE_GIB = 4;

/** The KV-cache space a CPU vLLM allocates, in GiB, and how the message says it; 0 when its value is not known here. */
function kvCacheSpace(env: readonly { name: string; value?: string }[]): { gib: number; said: string } {
  const e = env.find((x) => x.name === 'VLLM_CPU_KVCACHE_SPACE');
  if (!e) return { gib: DEFAULT_KV_CACHE_GIB, said: `VLLM_CPU_KVCACHE_SPACE unset: vLLM's default of ${DEFAULT_KV_CACHE_GIB} GiB, more in newer releases` };
  // vLLM reads it with int(): a valueFrom or a word is not a size known here
  const gib = e.value !== undefined && /^\s*\d+\s*$/.test(e.value) ? Number(e.value) : 0;
  return { gib, said: gib ? `VLLM_CPU_KVCACHE_SPACE=${gib} GiB` : 'VLLM_CPU_KVCACHE_SPACE not counted: its value is not known here' };
}

const gib = (bytes: number) => (bytes / GIB).toFixed(1);

/**
 * The first vLLM release whose CPU backend, with VLLM_CPU_KVCACHE_SPACE unset, sizes the KV cache from the node's
 * memory (half of it per NUMA node, read by psutil from the node, not the container's limit) instead of 4 GiB
 * (vllm-project/vllm#29604, merged after v0.12.0 was branched).
 */
const NODE_SIZED_KV_FROM = [0, 13];

function nodeSizedKvCache(image: string): string | undefined {
  const found = vllmVersionOfImageReference(image);
  const [major, minor] = (found?.version ?? '').split('.').map(Number);
  if (!found || !(major > NODE_SIZED_KV_FROM[0] || (major === NODE_SIZED_KV_FROM[0] && minor >= NODE_SIZED_KV_FROM[1]))) return undefined;
  return found.version;
}

/**
 * A CPU vLLM container with neither limits.memory nor VLLM_CPU_KVCACHE_SPACE, of a release that then sizes the KV
 * cache from the node: the limit the container ends up with (KServe's default, the dashboard's size) is not chosen
 * for it. A warning: the limit set elsewhere may be large enough.
 */
function unboundedProblem(container: Loose | undefined, env: readonly { name: string }[], where: string): Problem[] {
  const image = text(container?.image) ?? '';
  if (mapping(mapping(container?.resources).limits).memory !== undefined || env.some((e) => e.name === 'VLLM_CPU_KVCACHE_SPACE')) return [];
  const version = nodeSizedKvCache(image);
  if (!version) return [];
  return [
    {
      severity: 'warning',
      message:
        `${where} sets no VLLM_CPU_KVCACHE_SPACE and no limits.memory: vLLM ${version} on CPU then sizes its KV cache from the node's memory (half of it per NUMA node, or more in later releases; the node's, not the container's limit), ` +
        'while KServe gives the container its default memory limit (inferenceservice-config resource.memoryLimit, 2Gi upstream) or the size the dashboard picks: unless that limit exceeds the share of the node, the container is OOMKilled at start; ' +
        'set VLLM_CPU_KVCACHE_SPACE (GiB) and limits.memory above the weights plus that space',
    },
  ];
}

/**
 * Whether a container runs vLLM's CPU backend, its pod requesting no GPU: a CPU image (vllm/vllm-openai-cpu,
 * public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo, registry.redhat.io/rhaiis/vllm-cpu-rhel9), `--device cpu`,
 * VLLM_TARGET_DEVICE=cpu or VLLM_CPU_* env on an image that is no CUDA or ROCm build (a CUDA image told so cannot start at all:
 * vllm-image-device-mismatch, the one cause).
 */
function cpuBuild(container: Loose): boolean {
  const image = text(container.image) ?? '';
  if (/cpu/i.test(image)) return true;
  // VLLM_TARGET_DEVICE is read when vLLM is built, and a CUDA or ROCm build has no CPU backend: it never loads the model
  return cpuIntent(container) !== undefined && acceleratorBuildOf(image) === undefined;
}

/**
 * Bytes per parameter of the dtypes `--dtype` names (vllm/config: float/float32, half/float16, bfloat16). vLLM's CPU
 * backend serves `auto` in the checkpoint's 16 bits (a float16 model cast to bfloat16: vllm/executor/cpu_executor.py
 * _verify_and_get_model_config; CpuPlatform.supported_dtypes later), and a float32 checkpoint in 16 bits too
 * (vllm/config _get_and_verify_dtype): 32 bits only where `--dtype float32` (or `float`) asks, when vLLM upcasts
 * every unquantized weight as it loads it.
 */
const SERVED_DTYPE_BYTES: Readonly<Record<string, number>> = { float: 4, float32: 4 };

/** The weights in memory at a `--dtype` of 32 bits: an unquantized checkpoint's 16-bit weights doubled. */
function atServedDtype(weights: number, dtype: string | undefined, quantized: boolean): { bytes: number; said: string } {
  const bytes = dtype ? SERVED_DTYPE_BYTES[dtype.toLowerCase()] : undefined;
  if (!bytes || quantized) return { bytes: weights, said: '' };
  return { bytes: weights * (bytes / 2), said: ` at --dtype ${dtype} (${bytes * 8} bits a parameter)` };
}

/** A runtime that runs vLLM's CPU build (a CPU image or VLLM_CPU_* env, no GPU) and that no InferenceService of the tree uses: judged on its own. */
function standaloneCpuRuntime(o: GraphObject, graph: ObjectGraph): Loose | undefined {
  const container = mappings(mapping(o.manifest.spec).containers).find((c) => c.name === 'kserve-container');
  if (!container || podRequests(o.manifest).gpus > 0) return undefined;
  const cpu = cpuBuild(container);
  const used = graph.servicesOf(o).length > 0;
  return cpu && !used ? container : undefined;
}

/** The message of a memory limit below the weights plus the KV-cache space. */
function belowNeed(where: string, limit: unknown, model: string, weights: number, env: readonly { name: string; value?: string }[], bytes: number): Problem[] {
  const kv = kvCacheSpace(env);
  const need = weights + kv.gib * GIB;
  if (bytes >= need) return [];
  return [
    {
      message:
        `${where} limits.memory ${shown(limit)} is below what vLLM on CPU holds once started: the weights of ${model} (${gib(weights)} GiB) ` +
        `plus the KV-cache space (${kv.said}) = ${gib(need)} GiB; the container is OOMKilled while loading: raise limits.memory to at least ${Math.ceil(need / GIB) + 2}Gi, or lower VLLM_CPU_KVCACHE_SPACE`,
    },
  ];
}

/**
 * The containers of a workload (Deployment, StatefulSet, Job, …) whose command line visibly starts vLLM's server on
 * its CPU build, with a memory limit, and whose model's size is known (a recorded profile, or the parameter count its
 * name spells): judged as a service's serving container is.
 */
function workloadProblems(...[o, ctx]: Parameters<Rule['check']>): Problem[] {
  if (podRequests(o.manifest).gpus > 0) return [];
  return workloadVllmLines(o.manifest)
    .filter((c) => c.args.invoked && cpuBuild(c.container))
    .flatMap((c) => {
      const limit = mapping(mapping(c.container.resources).limits).memory;
      const bytes = parseQuantity(limit);
      const served = bytes === undefined ? undefined : servedModelSize(c, o, ctx);
      if (!served) return [];
      const at = atServedDtype(served.bytes, c.args.value('--dtype'), (checkpointSizeOfName(served.model)?.bits ?? 16) < 16);
      return belowNeed(c.where, limit, served.size + at.said, at.bytes, c.env, bytes!);
    });
}

export const vllmCpuMemory: Rule = {
  id: 'vllm-cpu-memory',
  title: "vLLM on CPU: the container's memory limit is below the model's weights plus the KV-cache space vLLM allocates at start",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, 'LLMInferenceService', 'ServingRuntime'],
  premise:
    "the service runs vLLM's CPU build (no GPU requested; a CPU image or runtime, or `--device cpu`, VLLM_TARGET_DEVICE=cpu or VLLM_CPU_* env on an image that is no CUDA or ROCm build of vLLM, which instead stops at start: vllm-image-device-mismatch), sets limits.memory, and its model is known (recorded profile or --model); in any other workload (Deployment, StatefulSet, Job, …) each container whose command line visibly starts vLLM's server on a CPU image, with `--device cpu` or with VLLM_CPU_* env, its pod requesting no GPU, with limits.memory, the model sized by a recorded profile or the parameter count its name spells — or (a warning) sets neither limits.memory nor VLLM_CPU_KVCACHE_SPACE on an image whose tag proves vLLM 0.13 or later, which sizes the KV cache from the node's memory (a ServingRuntime judged on its own when no InferenceService of the tree uses it); the weights are counted at the smaller of the checkpoint and the served dtype (16 bits under `--dtype auto` on CPU; an unquantized model's doubled under `--dtype float32`), the KV space once (each tensor-parallel rank allocates its own), the Python runtime not at all",
  example:
    '`memory: 8Gi` for Llama-3.1-8B-Instruct (15 GiB of BF16 weights) with `VLLM_CPU_KVCACHE_SPACE` of `"4"`; `memory: 4Gi` for TinyLlama-1.1B with `--device, cpu, --dtype, float32` (4.1 GiB of weights, 4 GiB of KV cache by default)',
  fix: 'raise limits.memory above the weights plus VLLM_CPU_KVCACHE_SPACE GiB (and a few GiB for the runtime), or lower VLLM_CPU_KVCACHE_SPACE, or serve a smaller or quantized model',
  source:
    "vLLM CPU backend: the weights at the model dtype, `auto` a 16-bit one on CPU (vllm/executor/cpu_executor.py _verify_and_get_model_config casts float16 to bfloat16; vllm/config _get_and_verify_dtype serves float32 checkpoints in 16 bits), float32 when --dtype says so; the KV cache of VLLM_CPU_KVCACHE_SPACE GiB is allocated beside the weights at start (vllm/platforms/cpu.py, vllm/v1/worker/cpu_worker.py); unset, half the node's memory per NUMA node from vllm-project/vllm#29604 (CpuPlatform.get_device_total_memory, psutil.virtual_memory); above the limit the kernel kills the container (OOMKilled, CrashLoopBackOff); KServe's webhook gives a predictor container without limits the configured defaults (kserve pkg/apis/serving/v1beta1/inference_service_defaults.go, setResourceRequirementDefaults: 1 CPU, 2Gi)",
  check(o, ctx) {
    if (o.manifest.kind === 'ServingRuntime') {
      const own = standaloneCpuRuntime(o, ctx.graph);
      return own ? unboundedProblem(own, envEntries(own.env, "container 'kserve-container'"), "container 'kserve-container'") : [];
    }
    if (o.manifest.kind !== 'InferenceService' && o.manifest.kind !== 'LLMInferenceService') return workloadProblems(o, ctx);
    if (ctx.graph.servingKindOf(o) !== 'vllm-cpu') return [];
    const llm = o.manifest.kind === 'LLMInferenceService';
    const container = llm ? mainContainerOf(mapping(o.manifest.spec).template) : ctx.graph.servingContainer(o);
    if (container && !cpuBuild(container)) return [];
    const limit = mapping(mapping(container?.resources).limits).memory;
    const bytes = parseQuantity(limit);
    // no limit: nothing kills the container for its size, but a release that sizes its KV cache from the node is unbounded
    if (bytes === undefined) return unboundedProblem(container, ctx.graph.vllmCommand(o)?.env ?? [], llm ? "container 'main'" : 'the serving container');
    let profile: ModelProfile | undefined;
    try {
      profile = ctx.modelOf(o);
    } catch {
      return []; // an invalid recorded profile is reported by gpu-memory-fit's reading of it
    }
    if (!profile) return [];
    const weights = Math.min(profile.weightBytes, profile.computedWeightBytes(profile.quantization));
    const at = atServedDtype(weights, ctx.graph.vllmCommand(o)?.args.value('--dtype'), profile.quantization !== undefined);
    return belowNeed(llm ? "container 'main'" : 'the serving container', limit, profile.name + at.said, at.bytes, ctx.graph.vllmCommand(o)?.env ?? [], bytes);
  },
};
