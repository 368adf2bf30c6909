import { poolLabel, writtenPools } from '../llm-pools';
import { Problem, Rule } from '../rule';

/** spec.parallelism fields and the vLLM flag that carries each on one node (its short form read by VllmArgs). */
const FLAGS = [
  { field: 'tensor', flag: '--tensor-parallel-size' },
  { field: 'pipeline', flag: '--pipeline-parallel-size' },
  { field: 'dataLocal', flag: '--data-parallel-size' },
] as const;

export const llmParallelismDropped: Rule = {
  id: 'llm-parallelism-dropped',
  title: "a single-node LLMInferenceService pool's parallelism never reaches vLLM",
  severity: 'error',
  appliesTo: ['LLMInferenceService'],
  premise: 'the pool has no worker and sets parallelism above 1 (or expert)',
  example: '`parallelism: {tensor: 4}` with 4 GPUs and no --tensor-parallel-size in the main container',
  fix: 'pass the flag to vLLM in the main container args (--tensor-parallel-size=4), or make the pool multi-node with a worker',
  source:
    "KServe's single-node presets (config-llm-template, config-llm-decode-template, config-llm-prefill-template) run `vllm serve` without any parallelism flag; the webhook accepts the field (kserve#5773, #6044)",
  check(o) {
    const out: Problem[] = [];
    for (const pool of writtenPools(o.manifest)) {
      if (pool.multiNode || !pool.parallelism) continue;
      for (const { field, flag } of FLAGS) {
        const v = pool.parallelism[field];
        if (v === undefined || v <= 1) continue;
        if (pool.vllm.unknown(flag)) continue; // set in a variable or a config file not in the tree
        const given = pool.vllm.value(flag);
        if (given === undefined) {
          out.push({
            message: `${poolLabel(pool)}: ${pool.path}.parallelism.${field} is ${v}, but on one node the controller does not pass it to vLLM, which starts with ${flag}=1 on one GPU: add ${flag}=${v} to the main container's args`,
          });
        } else if (Number(given) !== v) {
          out.push({
            message: `${poolLabel(pool)}: ${pool.path}.parallelism.${field} is ${v} but the main container passes ${flag}=${given}: make them equal`,
          });
        }
      }
      if (pool.parallelism.expert && !pool.vllm.enabled('--enable-expert-parallel') && !pool.vllm.unknown('--enable-expert-parallel')) {
        out.push({
          message: `${poolLabel(pool)}: ${pool.path}.parallelism.expert is set, but on one node the controller does not pass it to vLLM: add --enable-expert-parallel to the main container's args`,
        });
      }
    }
    return out;
  },
};
