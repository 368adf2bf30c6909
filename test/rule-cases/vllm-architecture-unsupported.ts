import { runChecks } from '../../lib/check/engine';
import { ruleFindings, vllmDeployment } from '../util';

/** The Deployment with its vLLM container limited to `gpus` NVIDIA GPUs. */
function withGpus(d: ReturnType<typeof vllmDeployment>, gpus: number): ReturnType<typeof vllmDeployment> {
  d.spec.template.spec.containers[0].resources = { limits: { 'nvidia.com/gpu': String(gpus) } };
  return d;
}

/** A multi-token-prediction method of --speculative-config loads a draft architecture the image's vLLM may not register. */
describe('vllm-architecture-unsupported: the draft model of a speculative method', () => {
  const found = (image: string, config: string, command = ['python3', '-m', 'vllm.entrypoints.openai.api_server']) =>
    ruleFindings('vllm-architecture-unsupported', [vllmDeployment(image, ['--model=org/some-model', `--speculative-config=${config}`], command)]);

  test('qwen3_next_mtp on vLLM 0.8.5.post1: an error, Qwen3NextMTP comes with 0.10.2', () => {
    expect(found('vllm/vllm-openai:v0.8.5.post1', '{"method":"qwen3_next_mtp","num_speculative_tokens":2}')).toEqual([
      expect.stringMatching(
        /^error Deployment\/ai\/llm: container 'vllm' runs vLLM 0\.8\.5\.post1 .* method 'qwen3_next_mtp', whose draft model Qwen3NextMTP vLLM registers from 0\.10\.2 on: .*Upgrade the image to vLLM 0\.10\.2 or later/,
      ),
    ]);
  });

  test('deepseek_mtp on 0.7.2: an error (DeepSeekMTPModel from 0.7.3); as the serve subcommand too', () => {
    expect(found('vllm/vllm-openai:v0.7.2', '{"method": "deepseek_mtp", "num_speculative_tokens": 1}', ['vllm', 'serve'])).toEqual([
      expect.stringMatching(/^error .*method 'deepseek_mtp', whose draft model DeepSeekMTPModel vLLM registers from 0\.7\.3 on/),
    ]);
  });

  test.each([
    ['the first release that registers the draft', 'vllm/vllm-openai:v0.10.2', '{"method":"qwen3_next_mtp","num_speculative_tokens":2}'],
    ['a newer release', 'vllm/vllm-openai:v0.11.0', '{"method":"qwen3_next_mtp","num_speculative_tokens":2}'],
    ['a moving tag (release unknown)', 'vllm/vllm-openai:latest', '{"method":"qwen3_next_mtp","num_speculative_tokens":2}'],
    ['a method whose draft depends on the checkpoint', 'vllm/vllm-openai:v0.8.5', '{"method":"eagle3","model":"org/eagle3-head","num_speculative_tokens":3}'],
    ['ngram', 'vllm/vllm-openai:v0.8.5', '{"method":"ngram","num_speculative_tokens":3,"prompt_lookup_max":4}'],
    ['a value that is no JSON', 'vllm/vllm-openai:v0.8.5', 'qwen3_next_mtp'],
    ['a value from the shell', 'vllm/vllm-openai:v0.8.5', '$SPEC_CONFIG'],
  ])('near miss, %s: silent', (_, image, config) => {
    expect(found(image, config)).toEqual([]);
  });
});

describe('vllm-architecture-unsupported: the model given inside a shell line', () => {
  /** A Deployment whose container runs `sh -c` with one folded script as its args. */
  const shell = (image: string, script: string) => {
    const d = vllmDeployment(image, [script], ['/bin/sh', '-c']);
    return ruleFindings('vllm-architecture-unsupported', [d]);
  };

  test("the demo server's module with a Gemma 3 model on 0.4.0: an error, as for the OpenAI server", () => {
    const demo = shell(
      'vllm/vllm-openai:v0.4.0',
      'python3 -m vllm.entrypoints.api_server --model google/gemma-3-27b-it --tensor-parallel-size 4 --port 8000\n',
    );
    expect(demo).toEqual([
      expect.stringMatching(
        /^error Deployment\/ai\/llm: container 'vllm' runs vLLM 0\.4\.0 .*google\/gemma-3-27b-it.*Gemma3ForConditionalGeneration from 0\.8\.0 on/,
      ),
    ]);
    const openai = shell('vllm/vllm-openai:v0.4.0', 'pip list >/dev/null && exec python3 -m vllm.entrypoints.openai.api_server --model google/gemma-3-27b-it');
    expect(openai).toEqual([expect.stringMatching(/^error .*Gemma3ForConditionalGeneration from 0\.8\.0 on/)]);
  });

  test("a blank line of a folded block (a newline in the script): the flags before it are vLLM's, those after it are not", () => {
    // `>-` with a blank line after --model: the script is two commands, the first starts vLLM with the model
    const cut = 'python3 -m vllm.entrypoints.openai.api_server --model google/gemma-3-27b-it\n--tensor-parallel-size 4 --port 8000';
    expect(shell('vllm/vllm-openai:v0.4.0', cut)).toEqual([
      expect.stringMatching(/^error .*google\/gemma-3-27b-it.*Gemma3ForConditionalGeneration from 0\.8\.0 on/),
    ]);
    // the model on the line after the program: vLLM starts without it, its default model is not Gemma 3
    const late = 'python3 -m vllm.entrypoints.openai.api_server\n--model google/gemma-3-27b-it --port 8000';
    expect(shell('vllm/vllm-openai:v0.4.0', late)).toEqual([]);
    expect(ruleFindings('vllm-model-missing', [vllmDeployment('vllm/vllm-openai:v0.4.0', [late], ['/bin/sh', '-c'])])).toEqual([
      expect.stringMatching(/^error Deployment\/ai\/llm: container 'vllm' starts vLLM's server with no model/),
    ]);
    // the tensor-parallel size after the newline is not vLLM's: one GPU of four is used
    const tp = runChecks([{ manifest: withGpus(vllmDeployment('vllm/vllm-openai:v0.4.0', [cut], ['/bin/sh', '-c']), 4) }], { platform: 'kserve' });
    expect(tp.filter((f) => f.rule === 'tensor-parallel-gpu-mismatch').map((f) => f.message)).toEqual([
      expect.stringMatching(/4 nvidia\.com\/gpu given but vLLM uses 1 \(--tensor-parallel-size=1\)/),
    ]);
  });

  test('near miss: the same line on a release that registers it', () => {
    expect(shell('vllm/vllm-openai:v0.8.5', 'python3 -m vllm.entrypoints.api_server --model google/gemma-3-27b-it')).toEqual([]);
  });
});
