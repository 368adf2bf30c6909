import { mapping, shown } from '../../manifests/access';
import { ModelProfile } from '../../planning/model-profile';
import { parseQuantity } from '../../private/quantity';
import { mainContainerOf } from '../llm-pools';
import { Rule } from '../rule';

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

export const vllmCpuMemory: Rule = {
  id: 'vllm-cpu-memory',
  title: "vLLM on CPU: the container's memory limit is below the model's weights plus the KV-cache space vLLM allocates at start",
  severity: 'error',
  appliesTo: ['InferenceService', 'LLMInferenceService'],
  premise:
    "the service runs vLLM's CPU build (no GPU requested; a CPU image, runtime or VLLM_CPU_* env), sets limits.memory, and its model is known (recorded profile or --model); the weights are counted at the smaller of the checkpoint and the served dtype, the KV space once (each tensor-parallel rank allocates its own), the Python runtime not at all",
  example: '`memory: 8Gi` for Llama-3.1-8B-Instruct (15 GiB of BF16 weights) with `VLLM_CPU_KVCACHE_SPACE` of `"4"`',
  fix: 'raise limits.memory above the weights plus VLLM_CPU_KVCACHE_SPACE GiB (and a few GiB for the runtime), or lower VLLM_CPU_KVCACHE_SPACE, or serve a smaller or quantized model',
  source:
    'vLLM CPU backend: the KV cache of VLLM_CPU_KVCACHE_SPACE GiB is allocated beside the weights at start (vllm/platforms/cpu.py, vllm/v1/worker/cpu_worker.py); above the limit the kernel kills the container (OOMKilled, CrashLoopBackOff)',
  check(o, ctx) {
    if (ctx.graph.servingKindOf(o) !== 'vllm-cpu') return [];
    const llm = o.manifest.kind === 'LLMInferenceService';
    const container = llm ? mainContainerOf(mapping(o.manifest.spec).template) : ctx.graph.servingContainer(o);
    const limit = mapping(mapping(container?.resources).limits).memory;
    const bytes = parseQuantity(limit);
    if (bytes === undefined) return []; // no limit: nothing kills the container for its size (requests are resources-exceed-node's)
    let profile: ModelProfile | undefined;
    try {
      profile = ctx.modelOf(o);
    } catch {
      return []; // an invalid recorded profile is reported by gpu-memory-fit's reading of it
    }
    if (!profile) return [];
    const weights = Math.min(profile.weightBytes, profile.computedWeightBytes(profile.quantization));
    const kv = kvCacheSpace(ctx.graph.vllmCommand(o)?.env ?? []);
    const need = weights + kv.gib * GIB;
    if (bytes >= need) return [];
    return [
      {
        message:
          `${llm ? "container 'main'" : 'the serving container'} limits.memory ${shown(limit)} is below what vLLM on CPU holds once started: the weights of ${profile.name} (${gib(weights)} GiB) ` +
          `plus the KV-cache space (${kv.said}) = ${gib(need)} GiB; the container is OOMKilled while loading: raise limits.memory to at least ${Math.ceil(need / GIB) + 2}Gi, or lower VLLM_CPU_KVCACHE_SPACE`,
      },
    ];
  },
};
