import { runChecks } from '../../lib';

// get_llm_provider (litellm_core_utils/get_llm_provider_logic.py) takes the text before the first '/' as the provider
// when litellm.provider_list holds it; a prefix it does not know, with nothing else naming the provider, raises
// "LLM Provider NOT provided".
const RULE = 'litellm-provider-unknown';
const config = (entry: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'router-config', namespace: 'serving' },
  data: { 'config.yaml': `model_list:\n  - model_name: team-chat\n    litellm_params:\n${entry}` },
});
const found = (entry: string) =>
  runChecks([{ manifest: config(entry) }])
    .filter((f) => f.rule === RULE)
    .map((f) => [f.severity, f.object, f.message]);

describe(RULE, () => {
  test('a Hugging Face repository id as the model, served by an in-cluster vLLM: an error', () => {
    expect(found('      model: mistralai/Mistral-7B-Instruct-v0.3\n      api_base: http://mistral-vllm:8000/v1\n')).toEqual([
      [
        'error',
        'ConfigMap/serving/router-config',
        "data.config.yaml model_list[0].litellm_params.model 'mistralai/Mistral-7B-Instruct-v0.3' starts with 'mistralai/', which is not a LiteLLM provider, and no custom_llm_provider is set: " +
          'LiteLLM takes the text before the first \'/\' as the provider, finds none, so every call to model_name team-chat fails ("LLM Provider NOT provided"); ' +
          'write the provider first (hosted_vllm/mistralai/Mistral-7B-Instruct-v0.3 or openai/mistralai/Mistral-7B-Instruct-v0.3 for vLLM or another OpenAI-compatible server at api_base), or set litellm_params.custom_llm_provider',
      ],
    ]);
  });

  test('a public api_base may name the provider: a warning', () => {
    expect(found('      model: mistralai/Mistral-7B-Instruct-v0.3\n      api_base: https://inference.example-cloud.net/v1\n').map(([s]) => s)).toEqual([
      'warning',
    ]);
  });

  test('near misses: a provider prefix, a model LiteLLM maps itself, custom_llm_provider, an env-filled model', () => {
    expect(found('      model: openai/team-chat\n      api_base: http://chat-vllm:8000/v1\n')).toEqual([]);
    expect(found('      model: hosted_vllm/mistralai/Mistral-7B-Instruct-v0.3\n      api_base: http://mistral-vllm:8000/v1\n')).toEqual([]);
    expect(found('      model: text-completion-openai/team-chat\n')).toEqual([]);
    expect(found('      model: gpt-4o\n')).toEqual([]);
    expect(
      found('      model: mistralai/Mistral-7B-Instruct-v0.3\n      custom_llm_provider: hosted_vllm\n      api_base: http://mistral-vllm:8000/v1\n'),
    ).toEqual([]);
    expect(found('      model: os.environ/CHAT_MODEL\n')).toEqual([]);
  });
});
