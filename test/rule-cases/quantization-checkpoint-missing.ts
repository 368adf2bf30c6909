import { ruleFindings } from '../util';
import { publisherPlainRelease } from '../../lib/catalog/model-families';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('quantization-checkpoint-missing', docs);
const server = (line: string): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'chat', namespace: 'ai' },
  spec: {
    selector: { matchLabels: { app: 'chat' } },
    template: {
      metadata: { labels: { app: 'chat' } },
      spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.13.0', command: ['/bin/sh', '-c'], args: [line] }] },
    },
  },
});

describe('publisherPlainRelease', () => {
  test("a publisher's id whose name states no quantization; quantized or converted copies and other organisations are not", () => {
    expect(publisherPlainRelease('google/gemma-4-31b-it')).toEqual({ publisher: 'google' });
    expect(publisherPlainRelease('hf://Qwen/Qwen4-14B')).toEqual({ publisher: 'Qwen' });
    for (const id of [
      'Qwen/Qwen4-14B-AWQ',
      'Qwen/Qwen4-14B-GPTQ-Int4',
      'google/gemma-4-31b-it-qat-q4_0-gguf',
      'meta-llama/Llama-5-8B-FP8',
      'someone/gemma-4-31b-it',
      '/models/gemma',
    ])
      expect(publisherPlainRelease(id)).toBeUndefined();
  });
});

describe('quantization-checkpoint-missing on a release the catalog does not know', () => {
  test("--quantization awq on a publisher's plain release of an unknown family is a warning naming both failures", () => {
    expect(found([server('vllm serve google/gemma-4-31b-it --tensor-parallel-size 2 --quantization awq')])).toEqual([
      expect.stringMatching(
        /^warning Deployment\/ai\/chat: container 'vllm': --quantization awq reads the checkpoint's own quantization config, but google\/gemma-4-31b-it is google's own release .*"Cannot find the config file for awq".*does not match"; serve a pre-quantized copy/,
      ),
    ]);
  });

  test('a family the catalog knows stays an error', () => {
    expect(found([server('vllm serve google/gemma-3-27b-it --quantization gptq')])).toEqual([
      expect.stringMatching(/^error Deployment\/ai\/chat: container 'vllm': --quantization gptq .*Gemma 3 checkpoint/),
    ]);
  });

  test("near misses: a quantized copy's name, another organisation, a method that quantizes as it loads", () => {
    expect(found([server('vllm serve Qwen/Qwen4-14B-AWQ --quantization awq')])).toEqual([]);
    expect(found([server('vllm serve someone/gemma-4-31b-it --quantization awq')])).toEqual([]);
    expect(found([server('vllm serve google/gemma-4-31b-it --quantization fp8')])).toEqual([]);
  });
});
