import { didYouMean, meantCandidate } from '../lib/check/near-names';

const named = (...names: string[]) => names.map((name) => ({ name, where: `${name}.yaml` }));

describe('near names: the one name a reference most likely misspells', () => {
  test('one or two edits, case and separators aside, name the candidate and where it is', () => {
    expect(didYouMean('vllm-runtme', named('vllm-runtime', 'tgis-runtime'))).toBe('did you mean vllm-runtime (vllm-runtime.yaml)?');
    expect(meantCandidate('Minio_Connection', named('minio-connection'))?.name).toBe('minio-connection');
    expect(meantCandidate('mistral-small-runtim', named('mistral-small-runtime'))?.name).toBe('mistral-small-runtime');
    // two edits in a long name
    expect(meantCandidate('gpu-workloads-queue', named('gpu-workload-queues'))?.name).toBe('gpu-workload-queues');
  });

  test('two candidates equally near get none; the nearer of two is named', () => {
    expect(meantCandidate('vllm-runtim', named('vllm-runtime', 'vllm-runtims'))).toBeUndefined();
    expect(meantCandidate('mistral-runtme', named('mistral-runtimes', 'mistral-runtime'))?.name).toBe('mistral-runtime');
    // the same name twice (two declarations) is one candidate
    expect(meantCandidate('vllm-runtme', [...named('vllm-runtime'), { name: 'vllm-runtime' }])?.name).toBe('vllm-runtime');
  });

  test('a far name, the same name, and siblings of a series get none', () => {
    expect(didYouMean('granite-runtime', named('vllm-runtime'))).toBeUndefined();
    expect(didYouMean('vllm-runtime', named('vllm-runtime'))).toBeUndefined();
    expect(didYouMean('team-a', named('team-b'))).toBeUndefined();
    expect(didYouMean('llama-3-8b', named('llama-3-70b'))).toBeUndefined();
    expect(didYouMean('gpu', named('cpu'))).toBeUndefined();
  });
});

test('a word of a series that holds a digit is no typo: nvidia-l4 is not nvidia-l40s', () => {
  expect(didYouMean('nvidia-l4', named('nvidia-l40s'))).toBeUndefined();
  expect(didYouMean('qwen25-7b-runtme', named('qwen25-7b-runtime'))).toBe('did you mean qwen25-7b-runtime (qwen25-7b-runtime.yaml)?');
});

test('with words asked, one word left out or added is near; a series word with a digit and a one-word name are not', () => {
  expect(meantCandidate('thanos-reader', named('thanos-gpu-reader'))).toBeUndefined();
  expect(meantCandidate('thanos-reader', named('thanos-gpu-reader'), { words: true })?.name).toBe('thanos-gpu-reader');
  expect(meantCandidate('thanos-gpu-reader', named('thanos-reader'), { words: true })?.name).toBe('thanos-reader');
  expect(meantCandidate('reader', named('gpu-reader'), { words: true })).toBeUndefined();
  // an edit is nearer than a word
  expect(meantCandidate('pod-readr', named('pod-reader', 'pod-x-readr'), { words: true })?.name).toBe('pod-reader');
});
