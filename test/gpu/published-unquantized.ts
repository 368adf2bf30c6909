import { publishedUnquantized } from '../../lib/catalog/model-families';

describe('publishedUnquantized: a publisher’s own BF16 checkpoint, known by its id', () => {
  test.each([
    ['meta-llama/Llama-3.1-8B-Instruct', 'Llama 3.x'],
    ['hf://Qwen/Qwen3-8B', 'Qwen3'],
    ['ibm-granite/granite-3.3-8b-instruct', 'Granite 3.x'],
  ])('%s is one (%s)', (id, family) => {
    expect(publishedUnquantized(id)?.family).toBe(family);
  });

  test.each([
    ['a quantized copy by its suffix', 'Qwen/Qwen3-8B-AWQ'],
    ['another suffix', 'meta-llama/Llama-3.1-8B-Instruct-FP8'],
    ['a re-upload by another organisation', 'hugging-quants/Llama-3.1-8B-Instruct'],
    ['a family published quantized (MXFP4)', 'openai/gpt-oss-20b'],
    ['a family published quantized (FP8)', 'deepseek-ai/DeepSeek-V3'],
    ['a local path', '/mnt/models/Llama-3.1-8B-Instruct'],
    ['a name of no known family', 'mistralai/Mistral-7B-Instruct-v0.3'],
  ])('%s is not (%s)', (_, id) => {
    expect(publishedUnquantized(id)).toBeUndefined();
  });
});
