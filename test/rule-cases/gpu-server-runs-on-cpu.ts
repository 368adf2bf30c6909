import { Finding, runChecks } from '../../lib';

const RULE = 'gpu-server-runs-on-cpu';

function findings(manifests: any[]): Finding[] {
  return runChecks(
    manifests.map((manifest) => ({ manifest })),
    { rules: [RULE] },
  );
}

/** A Deployment 'srv' in namespace apps running one container of the image, with the pod fields given. */
function server(image: string, pod: any = {}, resources: any = { requests: { cpu: '2', memory: '8Gi' } }): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'srv', namespace: 'apps' },
    spec: {
      selector: { matchLabels: { app: 'srv' } },
      template: { metadata: { labels: { app: 'srv' } }, spec: { ...pod, containers: [{ name: 'main', image, resources }] } },
    },
  };
}

const ON_GPU_NODES = { nodeSelector: { 'nvidia.com/gpu.present': 'true' } };
const TOLERATES_GPU = { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] };

describe('gpu-server-runs-on-cpu', () => {
  test('Ollama steered to GPU nodes with no GPU request: a warning naming the container, the placement and the request to add', () => {
    expect(findings([server('ollama/ollama:0.6.2', ON_GPU_NODES)])).toEqual([
      expect.objectContaining({
        rule: RULE,
        severity: 'warning',
        object: 'Deployment/apps/srv',
        message:
          "container 'main' runs ollama/ollama:0.6.2 (Ollama) and node selector nvidia.com/gpu.present puts the pod on GPU nodes, but no container requests nvidia.com/gpu: " +
          'the device plugin hands it no GPU, so Ollama finds none and serves on the CPU, many times slower, without an error ' +
          "(unless the node's default container runtime is NVIDIA's and exposes every GPU uncounted, which the tree does not say); " +
          "add resources.limits nvidia.com/gpu: 1 to container 'main'",
      }),
    ]);
  });

  test('a toleration of the GPU taint places it too; llama.cpp server-cuda and Ollama rocm name their vendor', () => {
    expect(findings([server('ghcr.io/ggml-org/llama.cpp:server-cuda', TOLERATES_GPU)])).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /^container 'main' runs ghcr\.io\/ggml-org\/llama\.cpp:server-cuda \(llama\.cpp's server\) and a toleration of nvidia\.com\/gpu puts/,
        ),
      }),
    ]);
    expect(findings([server('ollama/ollama:0.6.2-rocm', { nodeSelector: { 'amd.com/gpu.present': 'true' } })])).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/no container requests amd\.com\/gpu/) }),
    ]);
  });

  test('near misses: a GPU requested, a DRA claim, a runtime class, no GPU placement, a CPU build, a node name alone, vLLM', () => {
    expect(findings([server('ollama/ollama:0.6.2', ON_GPU_NODES, { limits: { 'nvidia.com/gpu': 1 } })])).toEqual([]);
    expect(findings([server('ollama/ollama:0.6.2', { ...ON_GPU_NODES, resourceClaims: [{ name: 'gpu', resourceClaimTemplateName: 'one-gpu' }] })])).toEqual([]);
    expect(findings([server('ollama/ollama:0.6.2', { ...ON_GPU_NODES, runtimeClassName: 'nvidia' })])).toEqual([]);
    expect(findings([server('ollama/ollama:0.6.2')])).toEqual([]);
    expect(findings([server('ghcr.io/ggml-org/llama.cpp:server', ON_GPU_NODES)])).toEqual([]);
    expect(findings([server('ollama/ollama:0.6.2', { nodeName: 'worker-3' })])).toEqual([]);
    expect(findings([server('vllm/vllm-openai:v0.10.1', ON_GPU_NODES)])).toEqual([]);
  });
});

describe('gpu-server-runs-on-cpu: Ollama set up for ROCm (its env) that cannot use an AMD GPU', () => {
  const ROCM_ENV = [
    { name: 'HSA_OVERRIDE_GFX_VERSION', value: '10.3.0' },
    { name: 'ROCR_VISIBLE_DEVICES', value: '0' },
  ];
  /** server(), its container given the ROCm env. */
  const rocm = (image: string, pod: any = {}, resources?: any) => {
    const d = server(image, pod, resources);
    d.spec.template.spec.containers[0].env = ROCM_ENV;
    return d;
  };
  const messages = (m: any) => findings([m]).map((f) => `${f.severity} ${f.message}`);
  const AMD = { limits: { 'amd.com/gpu': '1' } };
  const KFD = { volumes: [{ name: 'kfd', hostPath: { path: '/dev/kfd' } }] };

  test('the rocm tag with no amd.com/gpu request and no /dev/kfd: a warning, the pod gets no AMD GPU', () => {
    expect(messages(rocm('ollama/ollama:0.6.2-rocm'))).toEqual([
      "warning container 'main' runs ollama/ollama:0.6.2-rocm with ROCm settings (HSA_OVERRIDE_GFX_VERSION, ROCR_VISIBLE_DEVICES), meant for an AMD GPU, " +
        'but the pod gets no AMD GPU: no container requests amd.com/gpu and no /dev/kfd device is mounted (the AMD device plugin hands /dev/kfd and /dev/dri only to containers requesting amd.com/gpu): ' +
        "Ollama serves on the CPU, many times slower, without an error; add resources.limits amd.com/gpu: 1 for container 'main'",
    ]);
  });

  test('a tag without rocm: no ROCm runtime, with or without the GPU; both said where both are missing, once (not again for its GPU placement)', () => {
    expect(messages(rocm('ollama/ollama:0.6.2', {}, AMD))).toEqual([
      "warning container 'main' runs ollama/ollama:0.6.2 with ROCm settings (HSA_OVERRIDE_GFX_VERSION, ROCR_VISIBLE_DEVICES), meant for an AMD GPU, " +
        "but ollama/ollama:0.6.2 has no ROCm runtime: Ollama's AMD build is the rocm tag (ollama/ollama:rocm, or <version>-rocm), its other images carry the CUDA libraries only, so Ollama finds no AMD GPU: " +
        "Ollama serves on the CPU, many times slower, without an error; run ollama/ollama:rocm for container 'main'",
    ]);
    expect(messages(rocm('ollama/ollama', ON_GPU_NODES))).toEqual([
      expect.stringMatching(
        /^warning container 'main' runs ollama\/ollama with ROCm settings .* but ollama\/ollama has no ROCm runtime: .*; and the pod gets no AMD GPU: .*; run ollama\/ollama:rocm and add resources\.limits amd\.com\/gpu: 1 for container 'main'$/,
      ),
    ]);
  });

  test('near misses: the rocm tag with amd.com/gpu, or with a /dev/kfd hostPath; an NVIDIA GPU requested; no ROCm env; another image', () => {
    expect(messages(rocm('ollama/ollama:rocm', {}, AMD))).toEqual([]);
    expect(messages(rocm('ollama/ollama:rocm', KFD))).toEqual([]);
    expect(messages(rocm('ollama/ollama:0.6.2', {}, { limits: { 'nvidia.com/gpu': '1' } }))).toEqual([]);
    expect(messages(server('ollama/ollama:rocm'))).toEqual([]);
    expect(messages(rocm('ghcr.io/example/chat-ui:1.0'))).toEqual([]);
  });
});
