import { podWorkload, ruleFindings } from '../util';

/** llm-d's vLLM simulator answers to the names its flags (or SIM_MODEL) give and 404s any other, as vLLM does. */
describe('inference-model-not-served: a pool of simulators', () => {
  const pool = {
    apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
    kind: 'InferencePool',
    metadata: { name: 'sim-pool', namespace: 'sandbox' },
    spec: { targetPortNumber: 8000, selector: { app: 'sim' }, extensionRef: { name: 'sim-pool-epp' } },
  };
  const model = (modelName: string, targets: string[] = []) => ({
    apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
    kind: 'InferenceModel',
    metadata: { name: 'm', namespace: 'sandbox' },
    spec: { modelName, poolRef: { name: 'sim-pool' }, ...(targets.length ? { targetModels: targets.map((name) => ({ name, weight: 1 })) } : {}) },
  });
  const sim = (container: object) => {
    const w = podWorkload('sim', 'sandbox', { containers: [{ name: 'sim', image: 'ghcr.io/llm-d/llm-d-inference-sim:v0.9.1', ...container }] });
    return w;
  };
  const found = (...docs: object[]) => ruleFindings('inference-model-not-served', [pool, ...docs]);

  test('a target no simulator serves: a warning (the simulator loads adapters whenever asked)', () => {
    expect(found(model('chat', ['sim-deployment']), sim({ args: ['--model', 'default/default'] }))).toEqual([
      expect.stringMatching(
        /^warning InferenceModel\/sandbox\/m: spec\.targetModels\[0\]\.name 'sim-deployment' is the model name .* Deployment\/sandbox\/sim serves 'default\/default' \(Deployment\/sandbox\/sim runs llm-d's vLLM simulator, which also serves LoRA adapters loaded at run time.*\): the server answers every routed request with 404/,
      ),
    ]);
  });

  test('SIM_MODEL names the model when no --model is given', () => {
    expect(found(model('other'), sim({ args: ['--port=8000'], env: [{ name: 'SIM_MODEL', value: 'org/tiny' }] }))).toEqual([
      expect.stringMatching(/^warning .*spec\.modelName 'other' .*serves 'org\/tiny'/),
    ]);
  });

  test('the first releases list adapters with --lora', () => {
    expect(
      found(model('chat', ['sql-lora']), sim({ image: 'ghcr.io/llm-d/vllm-sim:0.0.4', args: ['--model', 'org/tiny', '--lora', 'sql-lora,doc-lora'] })),
    ).toEqual([]);
  });

  test.each([
    ['served names', { args: ['--model', 'org/tiny', '--served-model-name', 'chat', 'org/tiny'] }],
    ['a --config file that may name the model', { args: ['--config', '/etc/sim/config.yaml'] }],
    ['a model from a variable', { args: ['--model', '$(MODEL)'] }],
    ['no model at all (the simulator refuses to start)', { args: ['--port=8000'] }],
  ])('near miss, %s: silent', (_, container) => {
    expect(found(model('chat'), sim(container))).toEqual([]);
  });
});

/** A LeaderWorkerSet's pods carry its templates' labels; objects without a namespace land wherever they are applied. */
describe('inference-model-not-served: a pool of LeaderWorkerSets, namespaces not written', () => {
  const pool = (namespace?: string) => ({
    apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
    kind: 'InferencePool',
    metadata: { name: 'wide', ...(namespace ? { namespace } : {}) },
    spec: { targetPortNumber: 8000, selector: { 'llm-d.ai/model': 'wide' }, extensionRef: { name: 'wide-epp' } },
  });
  const model = (namespace?: string) => ({
    apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
    kind: 'InferenceModel',
    metadata: { name: 'm', ...(namespace ? { namespace } : {}) },
    spec: { modelName: 'random/model', poolRef: { name: 'wide' } },
  });
  const lws = (namespace: string | undefined, served: string) => ({
    apiVersion: 'leaderworkerset.x-k8s.io/v1',
    kind: 'LeaderWorkerSet',
    metadata: { name: 'decode', ...(namespace ? { namespace } : {}) },
    spec: {
      leaderWorkerTemplate: {
        size: 2,
        workerTemplate: {
          metadata: { labels: { 'llm-d.ai/model': 'wide' } },
          spec: {
            containers: [
              {
                name: 'vllm',
                image: 'vllm/vllm-openai:v0.10.1',
                command: ['sh', '-c', `exec vllm serve deepseek-ai/DeepSeek-V3 --served-model-name ${served} --port 8000`],
              },
            ],
          },
        },
      },
    },
  });
  const found = (...docs: object[]) => ruleFindings('inference-model-not-served', docs);

  test("the workers' served name differs: an error where every namespace is written, a warning where one is not", () => {
    expect(found(pool('llm'), model('llm'), lws('llm', 'deepseek3'))).toEqual([
      expect.stringMatching(
        /^error InferenceModel\/llm\/m: spec\.modelName 'random\/model' .* LeaderWorkerSet\/llm\/decode serves 'deepseek3': vLLM answers every routed request with 404/,
      ),
    ]);
    expect(found(pool('llm'), model(), lws(undefined, 'deepseek3'))).toEqual([
      expect.stringMatching(/^warning InferenceModel\/m: spec\.modelName 'random\/model' .* serves 'deepseek3'/),
    ]);
  });

  test('near misses: the name served; the workers in another written namespace', () => {
    expect(found(pool('llm'), model('llm'), lws('llm', 'random/model'))).toEqual([]);
    expect(found(pool('llm'), model('llm'), lws('other', 'deepseek3'))).toEqual([]);
  });
});
