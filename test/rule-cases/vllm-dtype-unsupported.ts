import { Finding, ModelProfile, runChecks } from '../../lib';
import { architectureOfModelReference } from '../../lib/catalog/model-families';
import { vllmDeployment as deployment } from '../util';

const RULE = 'vllm-dtype-unsupported';

function findings(manifests: any[], models: Record<string, ModelProfile> = {}): Finding[] {
  return runChecks(
    manifests.map((manifest) => ({ manifest })),
    { models: new Map(Object.entries(models)), platform: 'rhoai-3.0', rules: [RULE] },
  );
}

/** A config.json of vLLM's table's model types, as its publisher writes it (google/gemma-2-2b-it's, its dtype set). */
function gemma2Config(dtype: string): unknown {
  return {
    architectures: ['Gemma2ForCausalLM'],
    model_type: 'gemma2',
    hidden_size: 2304,
    intermediate_size: 9216,
    num_attention_heads: 8,
    num_hidden_layers: 26,
    num_key_value_heads: 4,
    head_dim: 256,
    vocab_size: 256000,
    max_position_embeddings: 8192,
    torch_dtype: dtype,
  };
}

describe('the families of the model types vLLM refuses in float16, by name', () => {
  test.each([
    ['google/gemma-2-2b-it', 'Gemma2ForCausalLM'],
    ['google/gemma-2-27b', 'Gemma2ForCausalLM'],
    ['zai-org/GLM-4-9B-0414', 'Glm4ForCausalLM'],
    ['THUDM/GLM-Z1-32B-0414', 'Glm4ForCausalLM'],
    ['pfnet/plamo-2-8b', 'Plamo2ForCausalLM'],
  ])('%s is %s', (reference, architecture) => {
    expect(architectureOfModelReference(reference)?.architecture).toBe(architecture);
  });

  // ChatGLM's glm-4-9b-chat is another architecture (ChatGLMModel, model type chatglm) that vLLM runs in float16
  test.each(['THUDM/glm-4-9b-chat', 'google/gemma-2b-it', 'google/gemma-2-2b-it-finetuned'])('%s names none of them', (reference) => {
    expect(architectureOfModelReference(reference)).toBeUndefined();
  });
});

describe('vllm-dtype-unsupported', () => {
  test('float16 or half on a refused family is an error on a release that refuses it, naming the model type and the fix', () => {
    expect(findings([deployment('vllm/vllm-openai:v0.9.0', ['--model', 'google/gemma-2-2b-it', '--dtype', 'float16'])])).toEqual([
      expect.objectContaining({
        rule: RULE,
        severity: 'error',
        object: 'Deployment/ai/llm',
        message: expect.stringMatching(/with --dtype float16: vLLM refuses float16 for model type 'gemma2' .*Set --dtype bfloat16/),
      }),
    ]);
    expect(findings([deployment('vllm/vllm-openai:v0.11.0', ['--dtype=half'], ['vllm', 'serve', 'google/gemma-3-1b-it'])])).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/model type 'gemma3_text'/) }),
    ]);
    expect(findings([deployment('vllm/vllm-openai:v0.8.5', ['--model', 'pfnet/plamo-2-1b', '--dtype', 'float16'])])).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/model type 'plamo2'/) }),
    ]);
  });

  test('an older release starts in float16 (a warning), and an image whose tag tells no version is a warning naming the assumption', () => {
    expect(findings([deployment('vllm/vllm-openai:v0.8.4', ['--model', 'google/gemma-3-27b-it', '--dtype', 'float16'])])).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/vLLM 0\.8\.4 .* starts in float16.*0\.9\.0 and later refuse it/) }),
    ]);
    const api = ['python3', '-m', 'vllm.entrypoints.openai.api_server'];
    expect(findings([deployment('quay.io/lab/vllm-custom:2024-11', ['--model', 'google/gemma-2-9b-it', '--dtype', 'half'], api)])).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(/assuming image quay\.io\/lab\/vllm-custom:2024-11 holds vLLM 0\.9\.0 or later/),
      }),
    ]);
  });

  test('--dtype auto is judged by the checkpoint: float16 stored is refused, float32 or bfloat16 is not', () => {
    const runtime = {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ServingRuntime',
      metadata: { name: 'vllm', namespace: 'ai' },
      spec: { containers: [{ name: 'kserve-container', image: 'vllm/vllm-openai:v0.10.1', args: ['--port=8080', '--model=/mnt/models'] }] },
    };
    const isvc = (uri: string) => ({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'llm', namespace: 'ai' },
      spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm', storageUri: uri } } },
    });
    const fp16 = ModelProfile.fromConfig(gemma2Config('float16'), { name: 'gemma-2-2b-fp16' });
    const fp32 = ModelProfile.fromConfig(gemma2Config('float32'), { name: 'gemma-2-2b' });
    expect(findings([runtime, isvc('s3://models/m/')], { 's3://models/m/': fp16 })).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/with --dtype auto on a checkpoint stored in float16/) }),
    ]);
    expect(findings([runtime, isvc('s3://models/m/')], { 's3://models/m/': fp32 })).toEqual([]);
    // by its name alone the stored dtype is unknown: nothing
    expect(findings([runtime, isvc('hf://google/gemma-2-2b-it')])).toEqual([]);
  });

  test('silent on bfloat16, float32, unknown families, a dtype from a variable and an overridden architecture', () => {
    const gemma = ['--model', 'google/gemma-2-2b-it'];
    expect(findings([deployment('vllm/vllm-openai:v0.10.1', [...gemma, '--dtype', 'bfloat16'])])).toEqual([]);
    expect(findings([deployment('vllm/vllm-openai:v0.10.1', [...gemma, '--dtype', 'float32'])])).toEqual([]);
    expect(findings([deployment('vllm/vllm-openai:v0.10.1', ['--model', 'meta-llama/Llama-3.1-8B-Instruct', '--dtype', 'float16'])])).toEqual([]);
    expect(findings([deployment('vllm/vllm-openai:v0.10.1', ['--model', 'org/my-model', '--dtype', 'float16'])])).toEqual([]);
    expect(findings([deployment('vllm/vllm-openai:v0.10.1', [...gemma, '--dtype', '$(DTYPE)'])])).toEqual([]);
    expect(findings([deployment('vllm/vllm-openai:v0.10.1', [...gemma, '--dtype', 'float16', '--model-impl', 'transformers'])])).toEqual([]);
  });
});
