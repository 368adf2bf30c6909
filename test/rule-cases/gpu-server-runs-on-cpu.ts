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
