import { compareVllmVersions } from './vllm-architectures';

/**
 * Model types vLLM refuses to run in float16 ("The model type '…' does not support float16. Reason: Numerical
 * instability. Please use bfloat16 or float32 instead."): vllm/config/model.py (vllm/config.py before v0.10.2)
 * _FLOAT16_NOT_SUPPORTED_MODELS, checked against the text config's model_type by _check_valid_dtype at start. Keyed
 * here by the architecture config.json names, with the model_type every checkpoint of it has. Gemma 3's multimodal
 * checkpoints are `gemma3` with a `gemma3_text` text config; both are in the table.
 */
const FLOAT16_REFUSED: Readonly<Record<string, { readonly modelType: string; readonly since: string }>> = {
  // plamo2 was the table's first entry (vllm-project/vllm#17123, 2025-04-24, names it alone); Plamo2ForCausalLM came in 0.8.5
  Plamo2ForCausalLM: { modelType: 'plamo2', since: '0.8.5' },
  // added after #17123 asked for them (Gemma 3 and GLM-4 answered empty or nonsense text in float16 until then): in 0.9.0
  Gemma2ForCausalLM: { modelType: 'gemma2', since: '0.9.0' },
  Gemma3ForCausalLM: { modelType: 'gemma3_text', since: '0.9.0' },
  Gemma3ForConditionalGeneration: { modelType: 'gemma3', since: '0.9.0' },
  Glm4ForCausalLM: { modelType: 'glm4', since: '0.9.0' },
};

/** vLLM's `--dtype` values that are float16 (vllm/config/model.py _STR_DTYPE_TO_TORCH_DTYPE). */
export const FLOAT16_DTYPES: readonly string[] = ['float16', 'half'];

/** The model type vLLM refuses in float16 and its first refusing release, for an architecture; undefined for others. */
export function float16Refusal(architecture: string): { modelType: string; since: string } | undefined {
  return Object.prototype.hasOwnProperty.call(FLOAT16_REFUSED, architecture) ? FLOAT16_REFUSED[architecture] : undefined;
}

/** Whether vLLM `version` refuses float16 for an architecture: 'refused', 'not-yet' (older releases start and may answer garbage), or undefined. */
export function float16Verdict(version: string, architecture: string): 'refused' | 'not-yet' | undefined {
  const refusal = float16Refusal(architecture);
  if (!refusal) return undefined;
  return compareVllmVersions(version, refusal.since) < 0 ? 'not-yet' : 'refused';
}
