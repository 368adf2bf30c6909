import { podWorkload, ruleFindings } from '../util';

/** A vLLM Deployment `chat` of namespace llm, started with the args given. */
const server = (args: string[]) =>
  podWorkload('chat', 'llm', {
    containers: [{ name: 'server', image: 'vllm/vllm-openai:v0.11.2', command: ['vllm', 'serve', 'Qwen/Qwen2.5-7B-Instruct'], args }],
  });

/** An InferencePool over the Deployment's pods and an InferenceModel asking it for the model name given. */
const pool = {
  apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
  kind: 'InferencePool',
  metadata: { name: 'chat-pool', namespace: 'llm' },
  spec: { targetPortNumber: 8000, selector: { app: 'chat' }, extensionRef: { name: 'chat-pool-epp' } },
};
const inferenceModel = (modelName: string) => ({
  apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
  kind: 'InferenceModel',
  metadata: { name: 'chat', namespace: 'llm' },
  spec: { modelName, poolRef: { name: 'chat-pool' } },
});

describe('vllm-served-name-comma', () => {
  test('one --served-model-name word holding a comma: a warning that vLLM serves the whole word as one name, with the names split by blanks as the fix', () => {
    expect(ruleFindings('vllm-served-name-comma', [server(['--served-model-name', 'qwen,qwen2.5-7b', '--port', '8000'])])).toEqual([
      expect.stringMatching(
        /^warning Deployment\/llm\/chat: container 'server': --served-model-name 'qwen,qwen2\.5-7b' \(container 'server' args\) is one name: .*never splits one at a comma.*a request for 'qwen' or 'qwen2\.5-7b' gets 404 .*`--served-model-name qwen qwen2\.5-7b`/,
      ),
    ]);
    // the attached form, on an InferenceService's runtime line as KServe merges it
    const runtime = {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ServingRuntime',
      metadata: { name: 'vllm-rt', namespace: 'llm' },
      spec: {
        supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
        containers: [
          {
            name: 'kserve-container',
            image: 'vllm/vllm-openai:v0.11.2',
            command: ['python3', '-m', 'vllm.entrypoints.openai.api_server'],
            args: ['--model=/mnt/models'],
          },
        ],
      },
    };
    const service = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'chat', namespace: 'llm' },
      spec: {
        predictor: {
          model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm-rt', storageUri: 'pvc://models/chat', args: ['--served-model-name=chat,chat-7b'] },
        },
      },
    };
    expect(ruleFindings('vllm-served-name-comma', [runtime, service])).toEqual([
      expect.stringMatching(/^warning InferenceService\/llm\/chat: --served-model-name 'chat,chat-7b' \(the InferenceService's args\) is one name/),
    ]);
  });

  test("an InferenceModel of the tree asking for one of the parts: inference-model-not-served's error names the comma", () => {
    const docs = [pool, inferenceModel('qwen'), server(['--served-model-name', 'qwen,qwen2.5-7b'])];
    expect(ruleFindings('inference-model-not-served', docs)).toEqual([
      expect.stringMatching(
        /^error InferenceModel\/llm\/chat: .*'qwen,qwen2\.5-7b' is one name: .*write `--served-model-name qwen qwen2\.5-7b` to serve 'qwen'/,
      ),
    ]);
  });

  test('near misses: the names as separate words, a name with no comma, a comma with one part, a variable', () => {
    for (const args of [
      ['--served-model-name', 'qwen', 'qwen2.5-7b'],
      ['--served-model-name=qwen'],
      ['--served-model-name', 'qwen,'],
      ['--served-model-name', '$(NAMES)'],
    ])
      expect([args, ruleFindings('vllm-served-name-comma', [server(args)])]).toEqual([args, []]);
    // the InferenceModel's name served as its own word: no error, no comma named
    expect(ruleFindings('inference-model-not-served', [pool, inferenceModel('qwen'), server(['--served-model-name', 'qwen', 'qwen2.5-7b'])])).toEqual([]);
  });
});
