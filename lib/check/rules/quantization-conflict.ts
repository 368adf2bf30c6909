import { ModelProfile } from '../../planning/model-profile';
import { quantizationConflict as conflictOf } from '../../planning/vllm-startup-checks';
import { storageLocationOf } from '../graph';
import { Rule } from '../rule';

/** Words in a model path that suggest a pre-quantized checkpoint. */
const PREQUANTIZED_HINT = /(fp8|awq|gptq|w4a16|w8a8|int4|int8|nvfp4|mxfp4|bnb|4bit|8bit)/i;

export const quantizationConflict: Rule = {
  id: 'quantization-conflict',
  title: '--quantization contradicts the quantization the checkpoint already carries (vLLM refuses to start)',
  severity: 'error',
  appliesTo: ['InferenceService', 'LLMInferenceService'],
  premise: 'the service passes --quantization; the model is known (else only a warning when its path names a quantization)',
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
    return [
      {
        severity: 'warning',
        message: `--quantization=${flag} on ${location}, whose name suggests a pre-quantized checkpoint; vLLM refuses a method that differs from the checkpoint's. Check with --model ${location}=<folder>, or drop the flag`,
      },
    ];
  },
};
