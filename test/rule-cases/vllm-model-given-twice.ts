import { ruleFound } from '../util';

/** A Deployment whose one container runs the shell line given, on the image given. */
const deployment = (image: string, line: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'chat', namespace: 'llm' },
  spec: {
    selector: { matchLabels: { app: 'chat' } },
    template: {
      metadata: { labels: { app: 'chat' } },
      spec: { containers: [{ name: 'server', image, command: ['/bin/sh', '-c'], args: [line] }] },
    },
  },
});
const found = (image: string, line: string) =>
  ruleFound('vllm-model-given-twice', [{ manifest: deployment(image, line) }], { platform: 'kserve', alone: true }).map(
    (f) => `${f.severity} ${f.object}: ${f.message}`,
  );

describe('vllm-model-given-twice', () => {
  test('a positional and --model on a release that moves --model: the positional is left over, argparse refuses it', () => {
    expect(found('vllm/vllm-openai:v0.19.0', 'vllm serve vllm.entrypoints.openai.api_server --model org/chat-7b --port 8000')).toEqual([
      expect.stringMatching(
        /^error Deployment\/llm\/chat: container 'server': `vllm serve vllm\.entrypoints\.openai\.api_server` .* also gives --model org\/chat-7b .*unrecognized arguments: vllm\.entrypoints\.openai\.api_server.*server exits.*`vllm serve org\/chat-7b …`/,
      ),
    ]);
  });

  test('the same model both ways on a release that moves --model: the positional is still left over', () => {
    expect(found('vllm/vllm-openai:v0.11.1', 'vllm serve /mnt/models --model=/mnt/models')).toEqual([
      expect.stringMatching(/^error .*--model=\/mnt\/models .*unrecognized arguments: \/mnt\/models.*the same model twice fails as well/),
    ]);
  });

  test('the word --model on a release that refuses it (0.6.0 to 0.11.0); --model=x too up to 0.8.2', () => {
    expect(found('vllm/vllm-openai:v0.8.5', 'vllm serve org/chat-7b --model org/chat-7b')).toEqual([
      expect.stringMatching(/^error .*refuses --model under `vllm serve`.*server exits/),
    ]);
    expect(found('vllm/vllm-openai:v0.7.3', 'vllm serve org/chat-7b --model=org/chat-7b')).toEqual([expect.stringMatching(/^error .*refuses --model/)]);
  });

  test('an image whose release is not known: a warning naming the releases that fail and those that run it', () => {
    expect(found('registry.example.com/serving/chat-server:3', 'vllm serve org/chat-7b --model org/other-7b')).toEqual([
      expect.stringMatching(
        /^warning .*release is not known here: from 0\.11\.1 on .*unrecognized arguments: org\/chat-7b.*releases 0\.6\.0 to 0\.11\.0 refuse it outright.*releases before 0\.6\.0 serve the positional/,
      ),
    ]);
    expect(found(`vllm/vllm-openai@sha256:${'a'.repeat(64)}`, 'vllm serve org/chat-7b --model=org/chat-7b')).toEqual([
      expect.stringMatching(/^warning .*releases 0\.6\.0 to 0\.8\.2 refuse it outright.*0\.8\.3 to 0\.11\.0 and releases before 0\.6\.0 serve the positional/),
    ]);
  });

  test('--model=x on a release that accepts it (0.8.3 to 0.11.0) or before 0.6.0: nothing where it matches, a warning where it differs', () => {
    expect(found('vllm/vllm-openai:v0.10.1', 'vllm serve org/chat-7b --model=org/chat-7b')).toEqual([]);
    expect(found('vllm/vllm-openai:v0.5.4', 'vllm serve org/chat-7b --model org/chat-7b')).toEqual([]);
    expect(found('vllm/vllm-openai:v0.10.1', 'vllm serve org/chat-7b --model=org/other-7b')).toEqual([
      expect.stringMatching(/^warning .*vLLM 0\.10\.1 .* serves the positional 'org\/chat-7b' and ignores --model/),
    ]);
  });

  test('near misses: the model given once either way, a variable in front', () => {
    expect(found('vllm/vllm-openai:v0.19.0', 'vllm serve org/chat-7b --port 8000')).toEqual([]);
    expect(found('vllm/vllm-openai:v0.19.0', 'vllm serve --model org/chat-7b --port 8000')).toEqual([]);
    expect(found('vllm/vllm-openai:v0.19.0', 'vllm serve $MODEL --model org/chat-7b')).toEqual([]);
  });
});

/** A ServingRuntime running the command given on the image given, and an InferenceService on it adding the args given, as KServe merges them. */
function onRuntime(image: string, command: string[], runtimeArgs: string[], serviceArgs: string[]) {
  const runtime = {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ServingRuntime',
    metadata: { name: 'vllm-rt', namespace: 'llm' },
    spec: {
      supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
      containers: [{ name: 'kserve-container', image, command, args: runtimeArgs }],
    },
  };
  const service = {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'chat', namespace: 'llm' },
    spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm-rt', storageUri: 'pvc://models/chat', args: serviceArgs } } },
  };
  return ruleFound('vllm-model-given-twice', [{ manifest: runtime }, { manifest: service }], { platform: 'kserve', alone: true }).map(
    (f) => `${f.severity} ${f.object}: ${f.message}`,
  );
}

describe('vllm-model-given-twice: an InferenceService whose args add --model to a runtime that runs `vllm serve /mnt/models`', () => {
  test("the runtime's positional and the service's --model, the same path, on a release that moves --model: an error on the service", () => {
    expect(onRuntime('vllm/vllm-openai:v0.12.0', ['vllm', 'serve', '/mnt/models'], ['--port=8080'], ['--model=/mnt/models', '--max-model-len=8192'])).toEqual([
      expect.stringMatching(
        /^error InferenceService\/llm\/chat: container 'kserve-container': `vllm serve \/mnt\/models` \(ServingRuntime 'vllm-rt' command\) also gives --model=\/mnt\/models \(the InferenceService's args\).*unrecognized arguments: \/mnt\/models/,
      ),
    ]);
  });

  test('near misses: the api_server module, which takes --model (twice: the last counts), and --model=x on 0.10.1', () => {
    const module = ['python', '-m', 'vllm.entrypoints.openai.api_server'];
    expect(onRuntime('vllm/vllm-openai:v0.12.0', module, ['--port=8080', '--model=/mnt/models'], ['--model=/mnt/models'])).toEqual([]);
    expect(onRuntime('vllm/vllm-openai:v0.10.1', ['vllm', 'serve', '/mnt/models'], [], ['--model=/mnt/models'])).toEqual([]);
  });
});
