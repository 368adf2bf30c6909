import { ruleFindings } from '../util';

const RULE = 'model-server-model-missing';
const deployment = (container: Record<string, unknown>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'srv', namespace: 'ai' },
  spec: {
    selector: { matchLabels: { app: 'srv' } },
    template: { metadata: { labels: { app: 'srv' } }, spec: { containers: [{ name: 'server', ...container }] } },
  },
});

describe('model-server-model-missing: a model server started with no model', () => {
  test('SGLang with no --model-path, Triton with no --model-repository: errors naming the flag', () => {
    const sglang = deployment({ image: 'lmsysorg/sglang:latest', command: ['python3', '-m', 'sglang.launch_server', '--host', '0.0.0.0', '--tp', '2'] });
    expect(ruleFindings(RULE, [sglang])).toEqual([
      expect.stringMatching(
        /^error Deployment\/ai\/srv: container 'server' starts SGLang with no model \(no --model-path, --model\).*the following arguments are required/,
      ),
    ]);
    expect(ruleFindings(RULE, [deployment({ image: 'nvcr.io/nvidia/tritonserver:24.08-py3', command: ['tritonserver', '--log-verbose=1'] })])).toEqual([
      expect.stringMatching(/^error .*starts Triton Inference Server with no model \(no --model-repository, --model-store\).*must be specified/),
    ]);
  });

  test("llama.cpp's server image given args but no model: a warning (the build decides)", () => {
    expect(
      ruleFindings(RULE, [deployment({ image: 'ghcr.io/ggerganov/llama.cpp:server-b3879-vulkan', env: [{ name: 'GGML_VULKAN_DEVICE', value: '0' }] })]),
    ).toEqual([
      expect.stringMatching(
        /^warning .*starts llama\.cpp server with no model \(no --model, -m, --hf-repo, -hf \(or LLAMA_ARG_MODEL\)\).*models\/7B\/ggml-model-f16\.gguf/,
      ),
    ]);
  });

  test('near misses: a model by flag, alias, env, config file or variable; another image', () => {
    expect(ruleFindings(RULE, [deployment({ command: ['python3', '-m', 'sglang.launch_server', '--model', 'org/m'] })])).toEqual([]);
    expect(ruleFindings(RULE, [deployment({ command: ['python3', '-m', 'sglang.launch_server', '--config', '/etc/sglang.yaml'] })])).toEqual([]);
    expect(
      ruleFindings(RULE, [
        deployment({
          command: ['python3', '-m', 'sglang.launch_server', '$(ARGS)'],
          env: [{ name: 'ARGS', valueFrom: { configMapKeyRef: { name: 'a', key: 'b' } } }],
        }),
      ]),
    ).toEqual([]);
    expect(ruleFindings(RULE, [deployment({ command: ['tritonserver', '--model-store=/models'] })])).toEqual([]);
    expect(ruleFindings(RULE, [deployment({ image: 'ghcr.io/ggml-org/llama.cpp:server', args: ['-hf', 'org/m-GGUF'] })])).toEqual([]);
    expect(ruleFindings(RULE, [deployment({ image: 'ghcr.io/ggml-org/llama.cpp:server', env: [{ name: 'LLAMA_ARG_HF_REPO', value: 'org/m-GGUF' }] })])).toEqual(
      [],
    );
    expect(ruleFindings(RULE, [deployment({ image: 'ghcr.io/ggml-org/llama.cpp:server', args: ['--models-dir', '/models'] })])).toEqual([]);
    expect(ruleFindings(RULE, [deployment({ image: 'nginx:1.27', args: ['--port', '8080'] })])).toEqual([]);
  });
});
