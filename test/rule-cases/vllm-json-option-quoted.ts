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

describe('vllm-json-option-quoted: an unquoted JSON value in a shell script, which the shell splits into words', () => {
  test('`exec vllm serve m --override-generation-config {"a": "b", "c": "d"}` in sh -c: an error, vLLM gets the first word only', () => {
    expect(shell('exec vllm serve org/m --override-generation-config {"temperature": 0.6, "top_p": 0.9}')).toEqual([
      "error Deployment/ai/llm: container 'vllm': --override-generation-config is given an unquoted JSON value in a shell script (container 'vllm' args (shell script)): " +
        "the shell splits it at its spaces and removes its double quotes, so vLLM's --override-generation-config gets only '{temperature:', which is no JSON: " +
        'argparse exits ("argument --override-generation-config: invalid … value") and the pod crash-loops; ' +
        `quote the JSON in single quotes in the script (--override-generation-config '{"key": "value"}')`,
    ]);
    // one word without spaces: the shell still removes its double quotes
    expect(shell('exec vllm serve org/m --override-generation-config {"temperature":0.6}')).toEqual([
      expect.stringMatching(
        /the shell removes its double quotes \(quote removal\), so vLLM's --override-generation-config gets '\{temperature:0\.6\}', which is no JSON/,
      ),
    ]);
    // a list split the same way, after `=`
    expect(shell('vllm serve org/m --hf-overrides=[1, 2]')).toEqual([expect.stringMatching(/gets only '\[1,'/)]);
  });

  test.each([
    ['the JSON single-quoted', `exec vllm serve org/m --override-generation-config '{"temperature": 0.6, "top_p": 0.9}'`],
    ['JSON without double quotes of its own, left unquoted (the shell leaves it as it is)', 'exec vllm serve org/m --override-generation-config {}'],
    ['a variable', 'exec vllm serve org/m --override-generation-config $GEN_CONFIG'],
  ])('near miss, %s: silent', (_what, script) => {
    expect(shell(script)).toEqual([]);
  });
});
