import { catalogProfileOf } from '../../planning/model-catalog';
import { ModelProfile } from '../../planning/model-profile';
import { parallelismProblems } from '../../planning/llm-pool';
import { WORKLOAD_KINDS } from '../pods';
import { sizeFlag } from '../vllm-args';
import { meantArgs } from '../workload-gpu-fit';
import { workloadVllmLines } from '../workload-lines';
import { servedModelOf } from '../workload-model-size';
import { writtenPools, poolLabel } from '../llm-pools';
import { GraphObject } from '../graph-object';
import { CheckContext, Problem, Rule } from '../rule';
import { allowLongMaxModelLen, engineNumbers, engineSettings, poolEngine, ServerEngine, serviceEngine, startupRefusals } from '../vllm-engine-settings';

/** A service this rule judges: vLLM on GPUs or on CPUs (graph.servingKindOf), an LLMInferenceService's vLLM pools. */
function runsVllm(o: GraphObject, ctx: CheckContext): boolean {
  const kind = ctx.graph.servingKindOf(o);
  return kind === 'vllm-gpu' || kind === 'vllm-cpu';
}

/** How a finding begins: what the refusals have in common, the hardware being no part of them. */
const REFUSED = 'refused at start-up, on any hardware: ';

/** The findings of one vLLM server: each refusal an error, each one that VLLM_ALLOW_LONG_MAX_MODEL_LEN from elsewhere may lift a warning. */
function refusalProblems(engine: ServerEngine, prefix: string): Problem[] {
  const r = startupRefusals(engine);
  if (!r) return [];
  return [
    ...r.refused.map((message) => ({ message: `${prefix}${message}` })),
    ...r.unsure.map((message) => ({
      severity: 'warning' as const,
      message: `${prefix}${message} (the env sets VLLM_ALLOW_LONG_MAX_MODEL_LEN from a value not written here: refused unless it is 1 or true)`,
    })),
  ];
}

/**
 * The refusals of each container of a Deployment, StatefulSet, Job, … that visibly starts vLLM's server on a model the
 * bundled catalog holds (its --model or `vllm serve` id, a `$(VAR)` filled from the tree), on GPUs or CPUs alike.
 */
function workloadRefusals(o: GraphObject, ctx: CheckContext): Problem[] {
  return workloadVllmLines(o.manifest)
    .filter((c) => c.args.invoked)
    .flatMap((c) => {
      const args = meantArgs(c);
      const model = servedModelOf(c, args, ctx.graph, ctx.graph.namespaceOf(o.manifest));
      const profile = model ? catalogProfileOf(model) : undefined;
      const tp = sizeFlag(args, '--tensor-parallel-size');
      const pp = sizeFlag(args, '--pipeline-parallel-size');
      const n = engineNumbers(args);
      if (!profile || typeof tp !== 'number' || typeof pp !== 'number' || 'error' in n) return [];
      const engine: ServerEngine = {
        settings: { model: profile, tensorParallelSize: tp, pipelineParallelSize: pp, ...engineSettings(args, n) },
        allowLong: allowLongMaxModelLen(c.env),
      };
      return refusalProblems(engine, `${c.where}: ${model} (bundled profile ${profile.name}): ${REFUSED}`);
    });
}

export const vllmStartupRefused: Rule = {
  id: 'vllm-startup-refused',
  title:
    "vLLM refuses the service's settings for its model before it loads a weight, on any hardware (--max-model-len above the length it derives from the model's config, a tensor-parallel size the heads do not divide): the server exits and the pod crash-loops",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, 'LLMInferenceService'],
  premise:
    "the service runs vLLM, on GPUs or on CPUs (an LLMInferenceService per pool), and its model is known (--model <storage location>=<folder with config.json>, the profile a construct recorded on it, or the profile bundled in models/ for the Hugging Face id its storage URI or command line names: chat models and the BERT-family embedding and reranking models with their sentence-transformers and tokenizer configs; KServe's Hugging Face server on its vLLM backend names it by --model_id and passes --max_model_len on); judged whether or not a GPU memory plan can be made (no node shape, CPU serving); in any other workload (Deployment, StatefulSet, Job, …) each container that visibly starts vLLM's server on a model the bundled catalog holds (its --model or `vllm serve` id, a `$(VAR)` filled from the tree), on GPUs or CPUs. The checks that need no GPU (lib/planning/vllm-startup-checks.ts): --max-model-len above the length vLLM derives (vllm/config/model.py _get_and_verify_max_len, lib/planning/context-length.ts: the smallest of config.json's max_position_embeddings, n_positions, max_seq_len, seq_length, max_target_positions, max_sequence_length, max_seq_length and seq_len, replaced by its model_max_length; the sliding window under --disable-sliding-window; tokenizer_config.json's model_max_length for a pooling runner of a model with absolute position embeddings; times the rope scaling factor but for su, longrope and llama3 rope and Gemma 3, from yarn's original_max_position_embeddings; replaced by max_seq_length of a sentence-transformers config of the model's folder), unless it is at most model_max_length or VLLM_ALLOW_LONG_MAX_MODEL_LEN is 1 or true (a warning where the env sets it from a value not written, a config with none of the keys not judged); a tensor-parallel size the attention or KV heads or the quantization groups do not divide; a --quantization the checkpoint contradicts or that needs a quantized checkpoint; max-num-batched-tokens below max-num-seqs; more pipeline stages than layers; a LoRA rank vLLM lacks. A setting whose value is not known here (a variable, an unread config file) is not judged",
  example: 'an embedding model served by vLLM on CPU with `--max-model-len=512`, where its sentence-transformers config says `max_seq_length: 256`',
  fix: 'lower --max-model-len to the length the finding names (or drop it: vLLM then serves the derived length), or set VLLM_ALLOW_LONG_MAX_MODEL_LEN=1 for a model whose positions are known to extend; for the other refusals, the setting the finding names',
  source:
    'vllm/config/model.py ModelConfig.get_and_verify_max_len and _get_and_verify_max_len ("User-specified max_model_len … is greater than the derived max_model_len … To allow overriding this maximum, set the env var VLLM_ALLOW_LONG_MAX_MODEL_LEN=1"), verify_with_parallel_config; vllm/transformers_utils/config.py get_sentence_transformer_tokenizer_config; vllm/config/scheduler.py SchedulerConfig._verify_args; the sources of each check in lib/planning/vllm-startup-checks.ts',
  check(o, ctx) {
    if (o.manifest.kind !== 'InferenceService' && o.manifest.kind !== 'LLMInferenceService') return workloadRefusals(o, ctx);
    if (!runsVllm(o, ctx)) return [];
    let model: ModelProfile | undefined;
    try {
      model = ctx.modelOf(o);
    } catch {
      return []; // an invalid recorded profile is reported by gpu-memory-fit
    }
    if (!model) return [];
    if (o.manifest.kind === 'LLMInferenceService') {
      // a pool whose parallelism is invalid is llm-parallelism-invalid's
      return writtenPools(o.manifest).flatMap((pool) => {
        const engine = parallelismProblems(pool.parallelism, pool.multiNode).length ? { error: '' } : poolEngine(pool, model);
        return 'error' in engine ? [] : refusalProblems(engine, `${poolLabel(pool)}: ${REFUSED}`);
      });
    }
    const engine = serviceEngine(o, ctx, model);
    return 'error' in engine ? [] : refusalProblems(engine, REFUSED);
  },
};
