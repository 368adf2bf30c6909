import { hfUriRefusal } from '../../lib/check/rules/hf-uri-invalid';

describe("hf:// URIs as KServe's storage initializer parses them (python/storage/test/test_hf_storage.py test_invalid_uri)", () => {
  test.each([
    ['hf://', 'Invalid Hugging Face URI format'],
    ['hf://repo_only', 'Invalid Hugging Face URI format'],
    ['hf:///model_only', 'repository owner cannot be empty'],
    ['hf://repo/:hash_value', 'model name cannot be empty'],
    ['hf://gpt2', 'Invalid Hugging Face URI format'],
    ['hf://org/model/subfolder', 'Invalid Hugging Face URI format'],
  ])('%s is refused', (uri, why) => {
    expect(hfUriRefusal(uri)).toContain(why);
  });

  test.each(['hf://example.com/model:hash_value', 'hf://example.com/model', 'hf://meta-llama/Llama-3.1-8B-Instruct'])('%s parses', (uri) => {
    expect(hfUriRefusal(uri)).toBeUndefined();
  });
});
