import { ruleFindings, vllmDeployment } from '../util';

const RULE = 'vllm-json-option-quoted';
const IMAGE = 'vllm/vllm-openai:v0.11.1';
const serve = (args: string[]) => ruleFindings(RULE, [vllmDeployment(IMAGE, args, ['vllm', 'serve'])]);
const shell = (script: string) => ruleFindings(RULE, [vllmDeployment(IMAGE, [script], ['/bin/sh', '-c'])]);
const modelService = (args: string[]) => ({
  apiVersion: 'llm-d.ai/v1alpha1',
  kind: 'ModelService',
  metadata: { name: 'scout', namespace: 'ai' },
  spec: { decode: { containers: [{ name: 'vllm', args }] }, prefill: { containers: [{ name: 'vllm', args: ['--max-model-len', '4096'] }] } },
});

describe('vllm-json-option-quoted: a JSON option whose value reaches vLLM in literal quotes', () => {
  test('single quotes around the JSON in one exec-form element: an error naming the option and the unquoted form', () => {
    expect(serve(['org/m', `--override-generation-config='{"temperature": 0.6}'`])).toEqual([
      expect.stringMatching(
        /^error Deployment\/ai\/llm: container 'vllm': --override-generation-config='\{"temperature": 0\.6\}' .*single quotes.*parses --override-generation-config as JSON.*argparse exits.*write --override-generation-config=\{"temperature": 0\.6\}/,
      ),
    ]);
  });

  test('the value as its own element, double-quoted with quotes inside; a dataclass option written with underscores', () => {
    expect(serve(['org/m', '--kv-transfer-config', `"{"kv_connector": "NixlConnector"}"`])).toEqual([
      expect.stringMatching(/^error .*--kv-transfer-config .*double quotes/),
    ]);
    expect(serve(['org/m', `--compilation_config='{"level": 3}'`])).toEqual([expect.stringMatching(/^error .*--compilation-config/)]);
  });

  test("llm-d ModelService decode container args: an error naming the role's container", () => {
    expect(ruleFindings(RULE, [modelService([`--hf-overrides='{"a": 1}'`])])).toEqual([
      expect.stringMatching(/^error ModelService\/ai\/scout: spec\.decode container 'vllm': --hf-overrides='\{"a": 1\}'/),
    ]);
  });

  test.each([
    ['unquoted JSON in exec form', () => serve(['org/m', '--override-generation-config={"temperature": 0.6}'])],
    ['JSON as the next element', () => serve(['org/m', '--kv-transfer-config', '{"kv_role": "kv_both"}'])],
    ['quotes a shell script removes', () => shell(`vllm serve org/m --override-generation-config='{"temperature": 0.6}'`)],
    ['a quoted value of an option that is no JSON option', () => serve(['org/m', `--chat-template='{% for m in messages %}{{ m }}{% endfor %}'`])],
    ['a double-quoted value with no quote inside (a JSON string)', () => serve(['org/m', '--hf-overrides', '"{}"'])],
    ['a variable', () => serve(['org/m', `--hf-overrides='$(OVERRIDES)'`])],
  ])('%s: silent', (_what, run) => {
    expect(run()).toEqual([]);
  });
});
