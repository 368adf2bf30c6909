import { ModelProfile } from '../../planning/model-profile';
import { planMemory, quantizationConflict } from '../../planning/vllm-memory';
import { argValue, GraphObject, ObjectGraph, storageLocationOf, tensorParallelSizeOf } from '../graph';
import { error, Rule, RuleResult, warning } from '../rule';

/** vLLM arguments of a service, runtime's first. */
function vllmArgs(graph: ObjectGraph, o: GraphObject): string[] {
  return graph.servingContainer(o)?.args ?? [];
}

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

/** Whether the model fits the GPUs its pods land on. */
export const gpuMemoryFit: Rule = {
  id: 'gpu-memory-fit',
  title: "the model does not start on its GPUs under vLLM's memory accounting (weights, activations, KV cache for max-model-len)",
  check({ graph, modelOf }) {
    const out: RuleResult[] = [];
    for (const o of graph.ofKind('InferenceService')) {
      const location = storageLocationOf(o.manifest) ?? '(no storage location)';
      let profile: ModelProfile | undefined;
      try {
        profile = modelOf(o);
      } catch (e) {
        out.push(error(o, `${(e as Error).message}; render it again with cdk8s-vllm, or remove it and pass --model`));
        continue;
      }
      if (!profile) {
        out.push(warning(o, `the model at ${location} is unknown, so its GPU fit is not checked; pass --model ${location}=<folder with config.json> (save one with 'cdk8s-vllm inspect ${location} --out <folder>')`));
        continue;
      }
      const types = graph.instanceTypesOf(o.manifest);
      if (!types.length) {
        out.push(warning(o, 'no instance type is known for its pods (no node.kubernetes.io/instance-type node selector or Kueue flavor); GPU fit is not checked'));
        continue;
      }
      const args = vllmArgs(graph, o);
      for (const t of types) {
        let plan;
        try {
          plan = planMemory({
            model: profile,
            gpu: t.gpu,
            tensorParallelSize: tensorParallelSizeOf(args),
            maxModelLen: num(argValue(args, '--max-model-len')),
            gpuMemoryUtilization: num(argValue(args, '--gpu-memory-utilization')),
            kvCacheDtype: argValue(args, '--kv-cache-dtype'),
            dtype: argValue(args, '--dtype'),
            quantization: argValue(args, '--quantization', '-q'),
            maxNumSeqs: num(argValue(args, '--max-num-seqs')),
            maxNumBatchedTokens: num(argValue(args, '--max-num-batched-tokens')),
            blockSize: num(argValue(args, '--block-size')),
          });
        } catch (e) {
          out.push(error(o, `vLLM refuses these settings: ${(e as Error).message}`));
          continue;
        }
        if (plan.outcome !== 'ok') {
          out.push(error(o, `${plan.outcome} on ${plan.tensorParallelSize} × ${t.gpu.name} (${t.name}): ${plan.reason}.`
            + (plan.suggestions.length ? ` What would fit: ${plan.suggestions.join('; ')}` : '')));
        }
      }
    }
    return out;
  },
};

const PREQUANTIZED_HINT = /(fp8|awq|gptq|w4a16|w8a8|int4|int8|nvfp4|mxfp4|bnb|4bit|8bit)/i;

/** `--quantization` that contradicts a pre-quantized checkpoint. */
export const quantizationConflictRule: Rule = {
  id: 'quantization-conflict',
  title: '--quantization contradicts the quantization the checkpoint already carries (vLLM refuses to start)',
  check({ graph, modelOf }) {
    const out: RuleResult[] = [];
    for (const o of graph.ofKind('InferenceService')) {
      const flag = argValue(vllmArgs(graph, o), '--quantization', '-q');
      if (!flag) continue;
      const location = storageLocationOf(o.manifest) ?? '';
      let profile: ModelProfile | undefined;
      try {
        profile = modelOf(o);
      } catch {
        continue; // reported by gpu-memory-fit
      }
      if (profile) {
        const conflict = quantizationConflict(profile.quantization, flag);
        if (conflict) out.push(error(o, `--quantization=${flag}: ${conflict}`));
      } else if (PREQUANTIZED_HINT.test(location)) {
        out.push(warning(o, `--quantization=${flag} on ${location}, whose name suggests a pre-quantized checkpoint; vLLM refuses a method that differs from the checkpoint's. Check with --model ${location}=<folder>, or drop the flag`));
      }
    }
    return out;
  },
};

export const MEMORY_RULES = [gpuMemoryFit, quantizationConflictRule];
