import { ruleFindings, vllmDeployment } from '../util';

const RULE = 'vllm-json-option-key-value';
const serve = (image: string, args: string[]) => ruleFindings(RULE, [vllmDeployment(image, args, ['vllm', 'serve'])]);
const shell = (image: string, script: string) => ruleFindings(RULE, [vllmDeployment(image, [script], ['/bin/sh', '-c'])]);

describe('vllm-json-option-key-value: a JSON option given key=value pairs', () => {
  test('--limit-mm-per-prompt image=1 on vLLM 0.10.1: an error naming the release and the JSON to write', () => {
    expect(serve('vllm/vllm-openai:v0.10.1', ['org/vl', '--limit-mm-per-prompt', 'image=1'])).toEqual([
      expect.stringMatching(
        /^error Deployment\/ai\/llm: container 'vllm': --limit-mm-per-prompt image=1 .*gives key=value pairs, and image vllm\/vllm-openai:v0\.10\.1 runs vLLM 0\.10\.1 .*from 0\.10\.0 vLLM parses --limit-mm-per-prompt as JSON only.*write --limit-mm-per-prompt=\{"image": 1\}$/,
      ),
    ]);
  });

  test('several pairs attached with =, inside a shell script, on latest: an error; the JSON keeps every pair', () => {
    expect(shell('vllm/vllm-openai:latest', 'vllm serve org/vl --limit-mm-per-prompt=image=2,video=1')).toEqual([
      expect.stringMatching(/^error .*--limit-mm-per-prompt=image=2,video=1 .*or newer.*write --limit-mm-per-prompt=\{"image": 2, "video": 1\}$/),
    ]);
  });

  test('an image whose tag does not tell the release: a warning that says it assumes nothing', () => {
    expect(serve('registry.example.com/team/vision-server:2024', ['org/vl', '--mm-processor-kwargs', 'num_crops=4'])).toEqual([
      expect.stringMatching(
        /^warning .*--mm-processor-kwargs num_crops=4 .*does not tell its vLLM release; from 0\.10\.0 .*write --mm-processor-kwargs=\{"num_crops": 4\}$/,
      ),
    ]);
  });

  test.each([
    ['the JSON form', () => serve('vllm/vllm-openai:v0.10.1', ['org/vl', '--limit-mm-per-prompt', '{"image": 1}'])],
    ['pairs on 0.9.1, which still read them', () => serve('vllm/vllm-openai:v0.9.1', ['org/vl', '--limit-mm-per-prompt', 'image=1'])],
    ['a variable', () => serve('vllm/vllm-openai:v0.10.1', ['org/vl', '--limit-mm-per-prompt', 'image=$(IMAGES)'])],
    ['pairs given to an option vLLM does not parse as JSON', () => serve('vllm/vllm-openai:v0.10.1', ['org/vl', '--served-model-name', 'a=b'])],
    ['a digit of a config option', () => serve('vllm/vllm-openai:v0.10.1', ['org/vl', '--compilation-config', '3'])],
  ])('%s: silent', (_what, run) => {
    expect(run()).toEqual([]);
  });
});
