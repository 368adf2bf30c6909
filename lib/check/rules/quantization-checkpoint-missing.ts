import { publishedUnquantized, publisherPlainRelease } from '../../catalog/model-families';
import { ModelProfile } from '../../planning/model-profile';
import { storageLocationOf } from '../serving-model';
import { WORKLOAD_KINDS } from '../pods';
import { invokedVllmProblems } from '../workload-lines';
import type { VllmArgs } from '../vllm-args';
import { Problem, Rule } from '../rule';

/**
 * The --quantization methods that read the checkpoint's own quantization config: their config class names config
 * files (AWQ and AWQ-Marlin quant_config.json or quantize_config.json, GPTQ, GPTQ-Marlin, GPTQ-Marlin-2:4 and Marlin
 * quantize_config.json), and vLLM's get_quant_config raises "Cannot find the config file for <method>" when the
 * checkpoint has neither that file nor a quantization_config in its config.json (vllm/model_executor/model_loader/
 * weight_utils.py get_quant_config; vllm/model_executor/layers/quantization/awq.py, gptq.py, … get_config_filenames).
 * Methods whose class names no file quantize the weights as they load (fp8, and bitsandbytes in-flight): not listed.
 */
const CHECKPOINT_METHODS = new Set(['awq', 'awq_marlin', 'gptq', 'gptq_marlin', 'gptq_marlin_24', 'marlin']);

/**
 * Why the model is known to carry no quantization: its id being a publisher's plain checkpoint (the reason a reader
 * can check), else its profile (recorded, given, or bundled for the id). A profile with a quantization clears it.
 */
function unquantizedBecause(model: string | undefined, profile: ModelProfile | undefined): string | undefined {
  if (profile?.quantization) return undefined;
  const published = model ? publishedUnquantized(model) : undefined;
  if (published)
    return `${model} is ${published.publisher}'s own ${published.family} checkpoint, published in BF16 (quantized copies add -AWQ, -GPTQ-Int4, -FP8 to the name)`;
  return profile && `its recorded profile ${profile.name} has no quantization`;
}

/**
 * The warning on a method that reads the checkpoint's config, on a publisher's release the catalog does not know
 * (google/gemma-4-31b-it): its name states no quantization, so it likely holds none, or another method's.
 */
function plainRelease(flag: string, model: string | undefined): Problem[] {
  const plain = model ? publisherPlainRelease(model) : undefined;
  if (!model || !plain) return [];
  const method = flag.toLowerCase();
  return [
    {
      severity: 'warning',
      message:
        `--quantization ${flag} reads the checkpoint's own quantization config, but ${model} is ${plain.publisher}'s own release under a name that states no quantization ` +
        `(its quantized copies add -AWQ, -GPTQ-Int4, -FP8), so it likely carries no ${method} config: vLLM then exits at start with "Cannot find the config file for ${method}", ` +
        `or, where config.json names another method, "Quantization method specified in the model config (…) does not match"; ` +
        `serve a pre-quantized copy (its id names the method), or drop --quantization`,
    },
  ];
}

function judged(args: VllmArgs, model: string | undefined, profile: ModelProfile | undefined): Problem[] {
  const flag = args.value('--quantization');
  if (!flag || args.unknown('--quantization') || !CHECKPOINT_METHODS.has(flag.toLowerCase())) return [];
  const because = unquantizedBecause(model, profile);
  if (!because) return profile ? [] : plainRelease(flag, model);
  return [
    {
      message:
        `--quantization ${flag} reads the checkpoint's own quantization config (quantize_config.json, or quantization_config in config.json), ` +
        `but ${because}: it has no quantization config, and vLLM exits at start with "Cannot find the config file for ${flag.toLowerCase()}"; ` +
        `serve a pre-quantized copy (its id names the method), or drop --quantization (or use fp8, which quantizes as it loads)`,
    },
  ];
}

export const quantizationCheckpointMissing: Rule = {
  id: 'quantization-checkpoint-missing',
  title: '--quantization names a method that reads the checkpoint’s quantization config, on a model known to be unquantized',
  severity: 'error',
  appliesTo: ['LLMInferenceService', ...WORKLOAD_KINDS, 'LeaderWorkerSet'],
  premise:
    "vLLM is given --quantization awq, awq_marlin, gptq, gptq_marlin, gptq_marlin_24 or marlin (methods that read the checkpoint's quantization config) and the model is known to carry none: its recorded profile has no quantization, or its id is a publisher's own checkpoint of a known family under the plain name (meta-llama/Llama-3.1-8B-Instruct, Qwen/Qwen3-8B: no -AWQ, -GPTQ, -Int4, -FP8 suffix), which those publishers ship in BF16; a warning where the id is such a publisher's release of a family the catalog does not know and its name states no quantization (no AWQ, GPTQ, Int4, FP8, bnb, GGUF, QAT word): it likely carries no such config, or another method's, which ModelConfig refuses as a mismatch; any other id (a re-upload, a fine-tune, a path) is not judged, nor are methods that quantize as the weights load (fp8, bitsandbytes)",
  example: '`--quantization=awq` on `meta-llama/Llama-3.1-8B-Instruct`',
  fix: 'serve a pre-quantized copy of the model (its id names the method, e.g. …-AWQ), or drop --quantization, or use fp8, which quantizes while loading',
  source:
    'vllm/model_executor/model_loader/weight_utils.py get_quant_config ("Cannot find the config file for …" when no file the method\'s config class names is in the checkpoint and config.json has no quantization_config); vllm/model_executor/layers/quantization awq.py, awq_marlin.py, gptq.py, gptq_marlin.py, marlin.py get_config_filenames; fp8.py names none; vllm/config ModelConfig._verify_quantization ("Quantization method specified in the model config (…) does not match the quantization method specified in the `quantization` argument")',
  check(o, ctx) {
    let profile: ModelProfile | undefined;
    try {
      profile = ctx.modelOf(o);
    } catch {
      return []; // an invalid recorded profile is reported by gpu-memory-fit
    }
    const kind = String(o.manifest.kind);
    if (kind === 'InferenceService' || kind === 'LLMInferenceService') {
      const args = ctx.graph.vllmCommand(o)?.args;
      return args ? judged(args, storageLocationOf(o.manifest), profile) : [];
    }
    return invokedVllmProblems(o.manifest, (args) => judged(args, args.unknown('--model') ? undefined : args.model(), profile));
  },
};
