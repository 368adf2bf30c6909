import * as fs from 'fs';
import * as path from 'path';
import { ModelProfile } from '../../lib';
import { catalogFolderOf, catalogProfileOf, hubIdOf } from '../../lib/planning/model-catalog';
import { derivedMaxModelLen } from '../../lib/planning/context-length';
import { ROOT } from '../setup/scratch';

const MODELS = path.join(ROOT, 'models');
const index = JSON.parse(fs.readFileSync(path.join(MODELS, 'index.json'), 'utf8')) as Record<string, string>;

/** Parameters in billions, counted from a bundled profile's architecture. */
const billions = (folder: string) => {
  const p = ModelProfile.bundled(folder).parameterCount;
  return (p.embedding + p.linear + p.other) / 1e9;
};

describe('the bundled model catalog', () => {
  test('models/index.json names every folder once, by the _name_or_path of its config.json', () => {
    const folders = ModelProfile.bundledNames();
    expect(Object.values(index).sort()).toEqual(folders);
    for (const [id, folder] of Object.entries(index)) {
      expect(JSON.parse(fs.readFileSync(path.join(MODELS, folder, 'config.json'), 'utf8'))._name_or_path).toBe(id);
    }
  });

  test('models/README.md lists every folder with its checkpoint', () => {
    const readme = fs.readFileSync(path.join(MODELS, 'README.md'), 'utf8');
    for (const [id, folder] of Object.entries(index)) expect(readme).toContain(`| \`${folder}\` | ${id} |`);
  });

  // the publishers' model cards state these counts (truncated to their digits); the planner counts them from the architecture
  test.each([
    ['qwen2.5-7b-instruct', 7.61],
    ['llama-3.1-8b-instruct', 8.03],
    ['llama-3.2-1b-instruct', 1.23],
    ['llama-3.2-3b-instruct', 3.21],
    ['gemma-2-9b-it', 9.24],
    ['qwen2.5-72b-instruct', 72.7],
    ['qwen3-30b-a3b', 30.5],
    ['mixtral-8x7b-instruct-v0.1', 46.7],
    ['phi-3-mini-4k-instruct', 3.8],
    ['smollm2-1.7b-instruct', 1.7],
    ['tinyllama-1.1b-chat-v1.0', 1.1],
  ])('%s has the %s B parameters its model card states', (folder, stated) => {
    const scale = 10 ** (String(stated).split('.')[1]?.length ?? 0);
    expect(Math.floor(billions(folder) * scale) / scale).toBe(stated);
  });

  // the publishers' model cards state these counts (bge-reranker-v2-m3 carries a classification head where the
  // embedding models carry a pooler of the same size)
  test.each([
    ['all-minilm-l6-v2', 22.7],
    ['bge-small-en-v1.5', 33.3],
    ['bge-base-en-v1.5', 109],
    ['bge-large-en-v1.5', 335],
    ['bge-m3', 567],
  ])('encoder %s has the %s M parameters its model card states', (folder, stated) => {
    const scale = 10 ** (String(stated).split('.')[1]?.length ?? 0);
    expect(Math.floor(billions(folder) * 1000 * scale) / scale).toBe(stated);
  });

  test.each([
    ['all-minilm-l6-v2', 256, 'sentence_bert_config.json max_seq_length 256'],
    ['bge-base-en-v1.5', 512, 'sentence_bert_config.json max_seq_length 512'],
    ['bge-small-en-v1.5', 512, 'max_position_embeddings 512'],
    ['bge-m3', 8192, 'sentence_bert_config.json max_seq_length 8192'],
    ['bge-reranker-v2-m3', 8194, 'max_position_embeddings 8194'],
  ])('encoder %s: vLLM derives %s (%s) and keeps no KV cache', (folder, length, from) => {
    const profile = ModelProfile.bundled(folder);
    expect(derivedMaxModelLen(profile, { pooling: true })).toMatchObject({ value: length, from });
    expect(profile.encoder).toBeDefined();
    expect(profile.kvBytesPerToken(1, 2)).toBe(0);
  });

  test("Gemma 2's profile ties its embeddings and slides every other layer, as transformers' Gemma2Config defaults them", () => {
    const gemma = ModelProfile.bundled('gemma-2-9b-it');
    expect(gemma.tieWordEmbeddings).toBe(true);
    expect(gemma.slidingWindow).toBe(4096);
    expect(gemma.slidingLayers).toBe(21);
  });

  test.each([
    ['Qwen/Qwen2.5-7B-Instruct', 'Qwen/Qwen2.5-7B-Instruct'],
    ['hf://Qwen/Qwen2.5-7B-Instruct', 'Qwen/Qwen2.5-7B-Instruct'],
    ['hf://google/gemma-2-9b-it:main', 'google/gemma-2-9b-it'],
    ['/models/meta-llama/Llama-3.1-8B-Instruct', 'meta-llama/Llama-3.1-8B-Instruct'],
    ['/mnt/models/meta-llama/Llama-3.1-8B-Instruct/', 'meta-llama/Llama-3.1-8B-Instruct'],
    ['pvc://model-cache/Qwen/Qwen3-8B', 'Qwen/Qwen3-8B'],
    ['Llama-3.1-8B-Instruct', undefined],
    ['oci://quay.io/models/llama:3.1', undefined],
    ['$(MODEL)', undefined],
  ])('%s spells the id %s', (reference, id) => {
    expect(hubIdOf(reference)).toBe(id);
  });

  test('a catalogued id matches whatever its case; a fine-tune or a quantized copy of it does not', () => {
    expect(catalogFolderOf('qwen/qwen2.5-7b-instruct')).toBe('qwen2.5-7b-instruct');
    expect(catalogFolderOf('hf://META-LLAMA/llama-3.1-8b-instruct')).toBe('llama-3.1-8b-instruct');
    expect(catalogFolderOf('Qwen/Qwen2.5-7B-Instruct-AWQ')).toBeUndefined();
    expect(catalogFolderOf('someone/Qwen2.5-7B-Instruct')).toBeUndefined();
    // a path that leaves out the organisation does not spell the id
    expect(catalogFolderOf('/models/Llama-3.1-8B-Instruct')).toBeUndefined();
  });

  test('a profile is read only when a name matches, and once', () => {
    const read = jest.spyOn(ModelProfile, 'bundled');
    try {
      expect(catalogProfileOf('example-org/not-catalogued')).toBeUndefined();
      expect(read).not.toHaveBeenCalled();
      const first = catalogProfileOf('Qwen/Qwen3-4B');
      const again = catalogProfileOf('hf://qwen/qwen3-4b');
      expect(again).toBe(first);
      expect(read.mock.calls.length).toBeLessThanOrEqual(1);
    } finally {
      read.mockRestore();
    }
  });
});
