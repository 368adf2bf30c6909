import { Finding, runChecks } from '../../lib';
import { vllmDeployment as deployment } from '../util';

/**
 * Cases of vllm-flag-unknown on an option whose removal falls between two catalogued releases (0.11.2 and 0.19.0):
 * vLLM's history places it (--swap-space: vllm-project/vllm#36216, first absent from 0.18.0's EngineArgs), so the
 * message names that release and the releases of the gap are judged by it, not by their catalogued neighbours.
 */
function findings(image: string, args: string[]): Finding[] {
  return runChecks([{ manifest: deployment(image, ['--model', 'm', ...args]) }], { models: new Map(), platform: 'rhoai-3.0', rules: ['vllm-flag-unknown'] });
}

describe('vllm-flag-unknown: --swap-space, removed in 0.18.0', () => {
  test('at latest: an error saying vLLM removed it after 0.17.1, in 0.18.0 (it said after 0.11.2, the last catalogued release)', () => {
    const got = findings('vllm/vllm-openai:latest', ['--swap-space', '16']);
    expect(got.map((f) => f.severity)).toEqual(['error']);
    expect(got[0].message).toMatch(/vLLM removed --swap-space after 0\.17\.1 \(in 0\.18\.0: vllm-project\/vllm#36216 /);
    expect(got[0].message).toMatch(/pin an image of 0\.17\.1 or before/);
    expect(got[0].message).not.toMatch(/after 0\.11\.2/);
  });

  test('0.18.0, between the catalogued 0.11.2 and 0.19.0: an error naming the release that removed it (it was a warning that could not tell)', () => {
    const got = findings('vllm/vllm-openai:v0.18.0', ['--swap-space', '4']);
    expect(got.map((f) => [f.severity, f.message])).toEqual([
      ['error', expect.stringMatching(/vLLM 0\.18\.0 has no --swap-space \(removed in 0\.18\.0, vllm-project\/vllm#36216 /)],
    ]);
  });

  test('0.17.1 and 0.12.0, in the gap but before the removal: no finding (0.17.1 was warned as maybe removed)', () => {
    expect(findings('vllm/vllm-openai:v0.17.1', ['--swap-space', '4'])).toEqual([]);
    expect(findings('vllm/vllm-openai:v0.12.0', ['--swap-space', '4'])).toEqual([]);
  });

  test('an option removed in the same gap with no removal read in the history keeps the warning that names both neighbours', () => {
    const got = findings('vllm/vllm-openai:v0.18.0', ['--override-pooler-config', '{}']);
    expect(got.map((f) => [f.severity, f.message])).toEqual([['warning', expect.stringMatching(/vLLM 0\.11\.2 has it and 0\.19\.0 no longer does/)]]);
  });
});

/**
 * Cases of an InferenceService whose runtime is not in the checked input, so its image is unknown: KServe's
 * huggingfaceserver ignores options it does not know and has its own (--backend, --model_name), which vLLM has not.
 */
function isvc(runtime: string, args: string[]): Record<string, unknown> {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'qwen', namespace: 'llm' },
    spec: {
      predictor: {
        model: {
          modelFormat: { name: 'huggingface' },
          runtime,
          storageUri: 's3://models/qwen/',
          args,
          resources: { limits: { 'nvidia.com/gpu': '1' } },
        },
      },
    },
  };
}

function serviceFindings(runtime: string, args: string[]): Finding[] {
  return runChecks([{ manifest: isvc(runtime, args) }], { models: new Map(), platform: 'kserve', rules: ['vllm-flag-unknown'] });
}

describe('vllm-flag-unknown: a service whose runtime the input lacks', () => {
  test('a runtime named after KServe huggingfaceserver: its own options are not vLLM slips', () => {
    expect(serviceFindings('kserve-huggingfaceserver-gpu', ['--backend=vllm', '--model_name=qwen', '--max_model_len=4096'])).toEqual([]);
  });

  test('another runtime name with the server options --backend and --model_name: the huggingfaceserver, not judged', () => {
    expect(serviceFindings('hf-gpu', ['--backend=vllm', '--model_name=qwen'])).toEqual([]);
  });

  test('a vLLM runtime name with a slip of a vLLM option and none of the server options: still reported', () => {
    const got = serviceFindings('vllm-runtime', ['--max-model-length', '4096']);
    expect(got.map((f) => f.rule)).toEqual(['vllm-flag-unknown']);
    expect(got[0].message).toMatch(/--max-model-length/);
  });
});
