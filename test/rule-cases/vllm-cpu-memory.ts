import { runChecks } from '../../lib';
import { podWorkload } from '../util';

type Doc = Record<string, unknown>;

const server = (args: string[], memory: string, extra: Doc = {}): Doc =>
  podWorkload('chat', 'ai', {
    containers: [
      {
        name: 'vllm',
        image: 'registry.example.com/llm/vllm-server:0.6.3',
        command: ['python3', '-m', 'vllm.entrypoints.openai.api_server'],
        args,
        resources: { limits: { cpu: '4', memory } },
        ...extra,
      },
    ],
  });

const findings = (...docs: Doc[]) =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform: 'kserve' },
  )
    .filter((f) => f.rule === 'vllm-cpu-memory')
    .map((f) => [f.severity, f.object, f.message]);

const TINY = ['--model', 'TinyLlama/TinyLlama-1.1B-Chat-v1.0'];

describe('vllm-cpu-memory: --device cpu and --dtype float32', () => {
  test('--device cpu marks the CPU backend; --dtype float32 doubles the 16-bit weights: 4.1 GiB plus 4 GiB of KV cache under 4Gi', () => {
    expect(findings(server([...TINY, '--device', 'cpu', '--dtype', 'float32'], '4Gi'))).toEqual([
      [
        'error',
        'Deployment/ai/chat',
        expect.stringMatching(
          /^container 'vllm' limits\.memory 4Gi is below what vLLM on CPU holds once started: the weights of TinyLlama\/TinyLlama-1\.1B-Chat-v1\.0 .* at --dtype float32 \(32 bits a parameter\) \(4\.1 GiB\) plus the KV-cache space \(VLLM_CPU_KVCACHE_SPACE unset: vLLM's default of 4 GiB.*\) = 8\.1 GiB; the container is OOMKilled while loading/,
        ),
      ],
    ]);
    // --device=cpu in one word, and `float` as vLLM's alias of float32
    expect(findings(server([...TINY, '--device=cpu', '--dtype=float'], '8Gi'))).toEqual([
      ['error', 'Deployment/ai/chat', expect.stringMatching(/at --dtype float \(32 bits/)],
    ]);
    // VLLM_TARGET_DEVICE=cpu says the same
    const target = server([...TINY, '--dtype', 'float32'], '4Gi', { env: [{ name: 'VLLM_TARGET_DEVICE', value: 'cpu' }] });
    expect(findings(target)).toHaveLength(1);
  });

  test('near misses: 16 bits by default, a quantized checkpoint at float32, a GPU requested, the KV space lowered, no CPU mark', () => {
    // auto: 2.0 GiB + 4 GiB under 8Gi
    expect(findings(server([...TINY, '--device', 'cpu'], '8Gi'))).toEqual([]);
    // float32 with the KV space of 1 GiB: 5.1 GiB under 8Gi
    expect(findings(server([...TINY, '--device', 'cpu', '--dtype', 'float32'], '8Gi', { env: [{ name: 'VLLM_CPU_KVCACHE_SPACE', value: '1' }] }))).toEqual([]);
    // a 4-bit checkpoint keeps its packed weights whatever --dtype says: 0.6 GiB + 4 GiB under 6Gi
    expect(findings(server(['--model', 'example/TinyLlama-1.1B-AWQ', '--device', 'cpu', '--dtype', 'float32'], '6Gi'))).toEqual([]);
    // nothing says CPU: not this rule's
    expect(findings(server([...TINY, '--dtype', 'float32'], '4Gi'))).toEqual([]);
    // --device cuda
    expect(findings(server([...TINY, '--device', 'cuda', '--dtype', 'float32'], '4Gi'))).toEqual([]);
    // vLLM's CUDA build told to run on CPUs never loads the model (vllm-image-device-mismatch is the cause), so no memory is counted
    const cudaImage = { image: 'vllm/vllm-openai:v0.8.5' };
    expect(findings(server([...TINY, '--dtype', 'float32'], '4Gi', { ...cudaImage, env: [{ name: 'VLLM_TARGET_DEVICE', value: 'cpu' }] }))).toEqual([]);
    expect(findings(server([...TINY, '--device', 'cpu', '--dtype', 'float32'], '4Gi', cudaImage))).toEqual([]);
  });
});
