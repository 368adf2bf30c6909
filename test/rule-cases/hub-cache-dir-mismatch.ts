import { runChecks } from '../../lib';
import { podWorkload } from '../util';

type Doc = Record<string, any>;
const judged = (docs: Doc[]) =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform: 'kserve' },
  )
    .filter((f) => f.rule === 'hub-cache-dir-mismatch')
    .map((f) => ({ object: f.object, severity: f.severity, message: f.message }));

const claimVolume = { name: 'hub', persistentVolumeClaim: { claimName: 'hub' } };

/** A Job that downloads Qwen/Qwen3-8B with this command, the claim `hub` mounted at /cache. */
const fetcher = (command: string, mountPath = '/cache') =>
  podWorkload(
    'fetch',
    'chat',
    {
      restartPolicy: 'OnFailure',
      containers: [{ name: 'fetch', image: 'ghcr.io/example/hf-cli:1.2.0', command: ['sh', '-c', command], volumeMounts: [{ name: 'hub', mountPath }] }],
      volumes: [claimVolume],
    },
    'Job',
  );

/** A vLLM server of Qwen/Qwen3-8B with this env, the claim `hub` mounted at /cache. */
const server = (env: Doc[], model = 'Qwen/Qwen3-8B') =>
  podWorkload('qwen', 'chat', {
    containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.10.1', args: ['--model', model], env, volumeMounts: [{ name: 'hub', mountPath: '/cache' }] }],
    volumes: [claimVolume],
  });

const HOME = { name: 'HF_HOME', value: '/cache/huggingface' };
const OFFLINE = { name: 'HF_HUB_OFFLINE', value: '1' };

describe('hub-cache-dir-mismatch', () => {
  test('--cache-dir at HF_HOME, server offline: an error naming both folders', () => {
    expect(judged([fetcher('hf download Qwen/Qwen3-8B --cache-dir /cache/huggingface'), server([HOME, OFFLINE])])).toEqual([
      {
        object: 'Deployment/chat/qwen',
        severity: 'error',
        message: expect.stringMatching(
          /^container 'vllm' serves Qwen\/Qwen3-8B from the hub cache \/cache\/huggingface\/hub \(HF_HOME=\/cache\/huggingface\), but Job\/chat\/fetch container 'fetch' downloads it with --cache-dir \/cache\/huggingface, .*on claim chat\/hub the snapshot lands in \/huggingface\/models--Qwen--Qwen3-8B, not under \/huggingface\/hub.*LocalEntryNotFoundError/,
        ),
      },
    ]);
  });

  test('online, a warning: the server downloads again', () => {
    expect(judged([fetcher('huggingface-cli download Qwen/Qwen3-8B --cache-dir=/cache/huggingface'), server([HOME])]).map((f) => f.severity)).toEqual([
      'warning',
    ]);
  });

  test('the claim mounted elsewhere in the Job: compared inside the volume', () => {
    // /data/huggingface/hub in the Job is /huggingface/hub of the claim, the server's cache
    expect(judged([fetcher('hf download Qwen/Qwen3-8B --cache-dir /data/huggingface/hub', '/data'), server([HOME, OFFLINE])])).toEqual([]);
    expect(judged([fetcher('hf download Qwen/Qwen3-8B --cache-dir /data/huggingface', '/data'), server([HOME, OFFLINE])]).map((f) => f.severity)).toEqual([
      'error',
    ]);
  });

  test('near misses: the same cache, another model, no variable in the server, a variable in --cache-dir, no --cache-dir', () => {
    expect(judged([fetcher('hf download Qwen/Qwen3-8B --cache-dir /cache/huggingface/hub'), server([HOME, OFFLINE])])).toEqual([]);
    expect(judged([fetcher('hf download Qwen/Qwen3-8B --cache-dir /cache/huggingface'), server([HOME, OFFLINE], 'Qwen/Qwen3-4B')])).toEqual([]);
    expect(judged([fetcher('hf download Qwen/Qwen3-8B --cache-dir /cache/huggingface'), server([OFFLINE])])).toEqual([]);
    expect(judged([fetcher('hf download Qwen/Qwen3-8B --cache-dir $HF_HOME'), server([HOME, OFFLINE])])).toEqual([]);
    expect(judged([fetcher('hf download Qwen/Qwen3-8B --local-dir /cache/qwen'), server([HOME, OFFLINE])])).toEqual([]);
    expect(
      judged([fetcher('hf download Qwen/Qwen3-8B --cache-dir /cache/huggingface'), server([{ name: 'HF_HUB_CACHE', value: '/cache/huggingface' }, OFFLINE])]),
    ).toEqual([]);
  });
});
