import { mapping, mappings, text } from '../../manifests/access';
import { Problem, Rule } from '../rule';

export const llmLoraInvalid: Rule = {
  id: 'llm-lora-invalid',
  title: 'a LoRA adapter of an LLMInferenceService has no name, a repeated one, a path-like one, or the base model name',
  severity: 'error',
  appliesTo: ['LLMInferenceService'],
  premise: 'spec.model.lora.adapters is set',
  example: 'two adapters with `name: sql`, or an adapter named like the base model',
  fix: 'give each adapter its own name, different from spec.model.name (or the service name)',
  source:
    'KServe ValidateLoRAAdapters (pkg/apis/serving/v1alpha2/llm_inference_service_validation.go): "adapter name is required", "duplicate name", path traversal, "adapter name must differ from base model name"; vLLM serves adapters by name',
  scope: 'object',
  check(o) {
    const model = mapping(mapping(o.manifest.spec).model);
    const base = text(model.name) ?? text(mapping(o.manifest.metadata).name);
    const out: Problem[] = [];
    const seen = new Map<string, number>();
    mappings(mapping(model.lora).adapters).forEach((a, i) => {
      const at = `spec.model.lora.adapters[${i}].name`;
      const name = text(a.name);
      if (!name) return void out.push({ message: `${at}: adapter name is required; name it (clients send it as the model)` });
      if (name === '.' || name === '..') return void out.push({ message: `${at}: '${name}' is refused (path traversal risk); choose another name` });
      if (seen.has(name)) out.push({ message: `${at}: duplicate name '${name}' (same as adapters[${seen.get(name)}]); give each adapter its own name` });
      else seen.set(name, i);
      if (name === base) out.push({ message: `${at}: '${name}' is the base model's name; the adapter must differ from it` });
    });
    return out;
  },
};
