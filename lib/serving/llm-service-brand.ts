/**
 * The mark every VllmLlmInferenceService carries (on its prototype), so that code looking for them among an app's
 * constructs need not load their module: the plan report of an app without one (most apps) then evaluates none of
 * the LLMInferenceService rendering, as `instanceof` would. Registered with Symbol.for, as cdk8s marks its ApiObjects,
 * so that two loads of the library (watch mode) know each other's services.
 */
export const LLM_SERVICE_BRAND = Symbol.for('cdk8s-vllm.VllmLlmInferenceService');

/** Whether `c` is a VllmLlmInferenceService (carries the mark). */
export function hasLlmServiceBrand(c: object): boolean {
  return (c as Record<symbol, unknown>)[LLM_SERVICE_BRAND] === true;
}
