import { runChecks } from '../lib';
import { acceleratorBuildOf } from '../lib/catalog/vllm-images';

type Doc = Record<string, unknown>;
const findings = (docs: Doc[]) =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform: 'rhoai-3.0' },
  )
    .filter((f) => f.rule === 'vllm-image-device-mismatch')
    .map((f) => [f.object, f.message]);

const deployment = (container: Doc, name = 'd'): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'ai' },
  spec: { template: { spec: { containers: [{ name: 'vllm', ...container }] } } },
});

describe('acceleratorBuildOf', () => {
  test.each([
    ['vllm/vllm-openai:v0.11.0', 'CUDA'],
    ['docker.io/vllm/vllm-openai@sha256:' + 'a'.repeat(64), 'CUDA'],
    ['nexus.example.com/vllm/vllm-openai:latest', 'CUDA'],
    ['vllm/vllm-openai-rocm:v0.11.0', 'ROCm'],
    ['rocm/vllm:latest', 'ROCm'],
    ['registry.redhat.io/rhaiis/vllm-cuda-rhel9:3.2.1', 'CUDA'],
    ['registry.redhat.io/rhoai/odh-vllm-rocm-rhel9@sha256:' + 'b'.repeat(64), 'ROCm'],
    ['quay.io/modh/vllm:rhoai-2.20-cuda', 'CUDA'],
  ])('%s is a %s build', (image, build) => {
    expect(acceleratorBuildOf(image)?.build).toBe(build);
  });

  test.each([
    'vllm/vllm-openai-cpu:v0.11.0',
    'public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.11.0',
    'registry.redhat.io/rhaiis/vllm-cpu-rhel9:3.2.1',
    'quay.io/modh/vllm:rhoai-2.20-gaudi',
    'quay.io/modh/vllm@sha256:' + 'c'.repeat(64),
  ])('%s: no accelerator build known', (image) => {
    expect(acceleratorBuildOf(image)).toBeUndefined();
  });

  test('the Red Hat CPU build is named after the accelerator one', () => {
    expect(acceleratorBuildOf('registry.redhat.io/rhaiis/vllm-cuda-rhel9:3.2.1')?.cpuImage).toBe('registry.redhat.io/rhaiis/vllm-cpu-rhel9');
  });
});

describe('vllm-image-device-mismatch', () => {
  test.each([
    ['--device=cpu', { args: ['--model=m', '--device=cpu'] }, "'--device=cpu'"],
    ['--device cpu inside a shell script', { command: ['sh', '-c'], args: ['exec vllm serve m --device cpu --port 8000'] }, "'--device cpu'"],
    ['VLLM_TARGET_DEVICE=cpu', { env: [{ name: 'VLLM_TARGET_DEVICE', value: 'cpu' }] }, 'VLLM_TARGET_DEVICE=cpu'],
    ['a CPU backend setting', { env: [{ name: 'VLLM_CPU_OMP_THREADS_BIND', value: 'all' }] }, "the CPU backend's VLLM_CPU_OMP_THREADS_BIND"],
  ])('the CUDA image with %s: an error', (_, container, intent) => {
    expect(findings([deployment({ image: 'vllm/vllm-openai:v0.11.0', ...container })])).toEqual([
      [
        'Deployment/ai/d',
        `container 'vllm' runs vllm/vllm-openai:v0.11.0, vLLM's CUDA build, on CPUs (${intent}, no accelerator requested): that build has no CPU backend and stops at start ("Failed to infer device type"); use the CPU build vllm/vllm-openai-cpu (or public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo)`,
      ],
    ]);
  });

  test.each([
    ['no CPU setting, no GPU request (a GPU may come from elsewhere)', { image: 'vllm/vllm-openai:v0.11.0', args: ['--model=m'] }],
    ['the CPU build', { image: 'vllm/vllm-openai-cpu:v0.11.0', args: ['--device=cpu'] }],
    ['an accelerator requested', { image: 'vllm/vllm-openai:v0.11.0', args: ['--device=cpu'], resources: { limits: { 'example.com/accelerator': 1 } } }],
    ['VLLM_TARGET_DEVICE=cuda', { image: 'vllm/vllm-openai:v0.11.0', env: [{ name: 'VLLM_TARGET_DEVICE', value: 'cuda' }] }],
  ])('near miss: %s', (_, container) => {
    expect(findings([deployment(container)])).toEqual([]);
  });

  test('a ServingRuntime is judged once, not again on each InferenceService that uses it', () => {
    const runtime = {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ServingRuntime',
      metadata: { name: 'vllm-cpu', namespace: 'ai' },
      spec: {
        supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
        containers: [{ name: 'kserve-container', image: 'registry.redhat.io/rhaiis/vllm-cuda-rhel9:3.2.1', args: ['--device=cpu', '--model=/mnt/models'] }],
      },
    };
    const isvc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'granite', namespace: 'ai' },
      spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm-cpu', storageUri: 'oci://quay.io/x/y:1' } } },
    };
    expect(findings([runtime, isvc])).toEqual([
      [
        'ServingRuntime/ai/vllm-cpu',
        expect.stringContaining("runs registry.redhat.io/rhaiis/vllm-cuda-rhel9:3.2.1, vLLM's CUDA build, on CPUs ('--device=cpu'"),
      ],
    ]);
    expect(findings([runtime, isvc])[0][1]).toContain('use the CPU build registry.redhat.io/rhaiis/vllm-cpu-rhel9');
  });
});
