import { misspeltRepository, oneEditApart } from '../../lib/catalog/misspelt-images';

describe('oneEditApart: one character inserted, deleted, replaced, or two neighbours swapped', () => {
  test.each([
    ['vllm/vllm-openaia', 'vllm/vllm-openai'],
    ['vllm/vllm-opena', 'vllm/vllm-openai'],
    ['vllm/vllm-opemai', 'vllm/vllm-openai'],
    ['vllm/vllm-oepnai', 'vllm/vllm-openai'],
    ['vlm/vllm-openai', 'vllm/vllm-openai'],
  ])('%s ~ %s', (a, b) => {
    expect(oneEditApart(a, b)).toBe(true);
  });

  test.each([
    ['vllm/vllm-openai', 'vllm/vllm-openai'],
    ['vllm/vllm-oepnia', 'vllm/vllm-openai'],
    ['vllm/vllm-openai-cpu', 'vllm/vllm-openai'],
    ['vllm/vllm-openaiab', 'vllm/vllm-openai'],
  ])('%s and %s are not', (a, b) => {
    expect(oneEditApart(a, b)).toBe(false);
  });
});

describe('misspeltRepository', () => {
  test("a typo of vLLM's repository, the tag given vLLM's v; Docker Hub's long form read as the short one", () => {
    expect(misspeltRepository('vllm/vllm-openaia:0.10.1.1')).toEqual({ intended: 'vllm/vllm-openai', meant: 'vllm/vllm-openai:v0.10.1.1' });
    expect(misspeltRepository('docker.io/vllm/vllm-opnai:latest')).toEqual({ intended: 'vllm/vllm-openai', meant: 'vllm/vllm-openai:latest' });
  });

  test('the published repositories, a mirror of one and builds of other names: none', () => {
    for (const image of [
      'vllm/vllm-openai:v0.10.1.1',
      'vllm/vllm-openai-rocm:v0.11.0',
      'harbor.example.com/vllm/vllm-openai:v0.9.2',
      'rocm/vllm:latest',
      'ghcr.io/example/vllm:1.0',
    ]) {
      expect({ image, typo: misspeltRepository(image) }).toEqual({ image, typo: undefined });
    }
  });
});
