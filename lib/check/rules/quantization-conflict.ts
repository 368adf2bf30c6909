import { ModelProfile } from '../../planning/model-profile';
import { flagRunsMethod, quantizationConflict as conflictOf } from '../../planning/vllm-startup-checks';
import { storageLocationOf } from '../serving-model';
import { Rule } from '../rule';

/** Words in a model path that suggest a pre-quantized checkpoint. */
const PREQUANTIZED_HINT = /(fp8|awq|gptq|w4a16|w8a8|int4|int8|nvfp4|mxfp4|bnb|4bit|8bit)/i;

/**
 * Methods a checkpoint's name states unambiguously, and the method its config records: vLLM accepts the flag equal to
 * the config's quant_method, or a kernel that runs it (flagRunsMethod: `gptq_marlin` for GPTQ; vllm/config/model.py,
 * _verify_quantization). Other hints (fp8, w4a16, int4, …) may be compressed-tensors or the method itself, so they
 * stay in doubt.
 */
const NAMED_METHODS: readonly { readonly hint: RegExp; readonly method: string }[] = [
  { hint: /awq/i, method: 'awq' },
  { hint: /gptq/i, method: 'gptq' },
  { hint: /bnb/i, method: 'bitsandbytes' },
];

export const quantizationConflict: Rule = {
  id: 'quantization-conflict',
  title: '--quantization contradicts the quantization the checkpoint already carries (vLLM refuses to start)',
  severity: 'error',
  appliesTo: ['InferenceService', 'LLMInferenceService'],
  premise:
    'the service passes --quantization; the model is known (else only a warning when its path names a quantization, none when the path names the method the flag runs: awq, gptq, bnb for bitsandbytes, their Marlin kernels gptq_marlin, awq_marlin and marlin for gptq and awq)',
  example: '`--quantization=fp8` on an FP8-dynamic (compressed-tensors) checkpoint',
  fix: 'remove --quantization: vLLM reads the method from the checkpoint',
  source: 'vLLM: "Quantization method specified in the model config … does not match the quantization method specified in the `quantization` argument"',
  check(o, ctx) {
    const args = ctx.graph.vllmCommand(o)?.args;
    const flag = args?.value('--quantization');
    if (!args || !flag || args.unknown('--quantization')) return [];
    const location = storageLocationOf(o.manifest) ?? '';
    let profile: ModelProfile | undefined;
    try {
      profile = ctx.modelOf(o);
    } catch {
      return []; // an invalid recorded profile is reported by gpu-memory-fit
    }
    if (profile) {
      const conflict = conflictOf(profile.quantization, flag);
      return conflict ? [{ message: `--quantization=${flag}: ${conflict}` }] : [];
    }
    if (!PREQUANTIZED_HINT.test(location)) return [];
    // the name states the method the flag gives: they agree
    if (NAMED_METHODS.some((m) => m.hint.test(location) && flagRunsMethod(m.method, flag))) return [];
    return [
      {
        severity: 'warning',
        message: `--quantization=${flag} on ${location}, whose name suggests a pre-quantized checkpoint; vLLM refuses a method that differs from the checkpoint's. Check with --model ${location}=<folder>, or drop the flag`,
      },
    ];
  },
};
