import { runChecks } from '../../lib';
import { treeRuleFound } from '../util';
import { deploymentWithEnvTwice } from '../setup/env-written-twice';

/** A Deployment of one vLLM container asking for a GPU, placed as `pod` says. */
function deployment(image: string, pod: Record<string, unknown>, container: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'qwen', namespace: 'llm' },
    spec: {
      selector: { matchLabels: { app: 'qwen' } },
      template: {
        metadata: { labels: { app: 'qwen' } },
        spec: {
          ...pod,
          containers: [
            { name: 'vllm', image, args: ['--model', 'Qwen/Qwen2.5-1.5B-Instruct'], resources: { limits: { 'nvidia.com/gpu': '1' } }, ...container },
          ],
        },
      },
    },
  };
}
const GKE = { nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' } };
const GKE_AFFINITY = {
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'cloud.google.com/gke-accelerator', operator: 'In', values: ['nvidia-h100-80gb'] }] }],
      },
    },
  },
};

const severities = (d: object) =>
  runChecks([{ manifest: d }], { platform: 'kserve' })
    .filter((f) => f.rule === 'gke-driver-path-missing')
    .map((f) => f.severity);

describe('gke-driver-path-missing (vllm-project/vllm#18859, fixed by #25766)', () => {
  test.each([
    ['vllm/vllm-openai:v0.9.0', ['error']],
    ['vllm/vllm-openai:v0.10.1.1', ['error']],
    ['mirror.example.com/vllm/vllm-openai:v0.10.2', ['error']],
    ['vllm/vllm-openai:v0.11.0', ['warning']],
    ['vllm/vllm-openai:nightly', ['warning']],
    ['vllm/vllm-openai@sha256:' + 'a'.repeat(64), ['warning']],
    // vLLM's own image at latest (or untagged) runs the newest release, past the fix, as vllm-flag-unknown reads it too
    ['vllm/vllm-openai:latest', []],
    ['vllm/vllm-openai', []],
    ['mirror.example.com/vllm/vllm-openai:latest', []],
    ['vllm/vllm-openai:v0.8.5', []],
    ['vllm/vllm-openai:v0.11.1', []],
    ['vllm/vllm-openai:v0.12.0', []],
    ['quay.io/example/custom-vllm:v0.10.1', []],
  ])('%s on a GKE GPU node without the driver path: %j', (image, expected) => {
    expect(severities(deployment(image, GKE))).toEqual(expected);
  });

  test('a required node affinity on the accelerator label places the pod on GKE too', () => {
    expect(severities(deployment('vllm/vllm-openai:v0.10.1', GKE_AFFINITY))).toEqual(['error']);
  });

  test('near misses: the path in env or exported by the command, no GKE placement, no GPU', () => {
    const env = { env: [{ name: 'LD_LIBRARY_PATH', value: '/usr/local/nvidia/lib64:/usr/local/cuda/lib64' }] };
    expect(severities(deployment('vllm/vllm-openai:v0.10.1', GKE, env))).toEqual([]);
    const exported = {
      command: ['/bin/sh', '-c'],
      args: ['export LD_LIBRARY_PATH=/usr/local/nvidia/lib64:$LD_LIBRARY_PATH && vllm serve Qwen/Qwen2.5-1.5B-Instruct'],
    };
    expect(severities(deployment('vllm/vllm-openai:v0.10.1', GKE, exported))).toEqual([]);
    expect(severities(deployment('vllm/vllm-openai:v0.10.1', { nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-L4' } }))).toEqual([]);
    expect(severities(deployment('vllm/vllm-openai:v0.10.1', GKE, { resources: { limits: { cpu: '4' } } }))).toEqual([]);
  });
});

describe('gke-driver-path-missing on NVML tools that request no GPU (GoogleCloudPlatform/ai-on-gke nvidia-dcgm 02-ds-exporter.yaml)', () => {
  const tool = (image: string, container: Record<string, unknown> = {}, pod: Record<string, unknown> = GKE) => {
    const d = deployment(image, pod, { resources: {}, args: undefined, ...container });
    return d;
  };
  const mounted = {
    volumes: [{ name: 'driver', hostPath: { path: '/home/kubernetes/bin/nvidia' } }],
  };
  const mount = { volumeMounts: [{ name: 'driver', mountPath: '/usr/local/nvidia' }] };

  test('a DCGM image or an nvidia-smi command without the host driver folder is an error; mounted without LD_LIBRARY_PATH a warning', () => {
    expect(severities(tool('nvcr.io/nvidia/k8s/dcgm-exporter:3.3.5-3.4.1-ubuntu22.04'))).toEqual(['error']);
    expect(severities(tool('nvidia/dcgm-exporter:2.0.13-2.1.1-ubuntu18.04', {}, GKE_AFFINITY))).toEqual(['error']);
    expect(severities(tool('ubuntu:22.04', { command: ['sh', '-c', 'while true; do nvidia-smi; sleep 60; done'] }))).toEqual(['error']);
    expect(severities(tool('nvcr.io/nvidia/k8s/dcgm-exporter:3.3.5-3.4.1-ubuntu22.04', mount, { ...GKE, ...mounted }))).toEqual(['warning']);
  });

  test('silent when it mounts the driver and names its libraries, requests a GPU, is off GKE, or loads no NVML', () => {
    const env = { env: [{ name: 'LD_LIBRARY_PATH', value: '/usr/local/nvidia/lib64' }] };
    expect(severities(tool('nvcr.io/nvidia/k8s/dcgm-exporter:3.3.5-3.4.1-ubuntu22.04', { ...mount, ...env }, { ...GKE, ...mounted }))).toEqual([]);
    expect(severities(tool('nvcr.io/nvidia/k8s/dcgm-exporter:3.3.5-3.4.1-ubuntu22.04', { resources: { limits: { 'nvidia.com/gpu': '1' } } }))).toEqual([]);
    expect(severities(tool('nvcr.io/nvidia/k8s/dcgm-exporter:3.3.5-3.4.1-ubuntu22.04', {}, { nodeSelector: { 'nvidia.com/gpu.present': 'true' } }))).toEqual(
      [],
    );
    expect(severities(tool('prom/node-exporter:v1.8.0'))).toEqual([]);
  });
});

describe('gke-driver-path-missing: the env as applied, where the env key is written twice', () => {
  const deployment = deploymentWithEnvTwice;
  const PATH_ENTRY = '            - {name: LD_LIBRARY_PATH, value: "/usr/local/nvidia/lib64:/usr/local/cuda/lib64"}';
  const OTHER = '            - {name: VLLM_LOGGING_LEVEL, value: DEBUG}';

  test('the first list set the path and the last one is applied: an error that names the dropped list and its line', async () => {
    const found = await treeRuleFound('gke-driver-path-missing', 'gke-env-twice-', { 'd.yaml': deployment(PATH_ENTRY, OTHER) }, ['--platform', 'kserve']);
    expect(found).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringContaining(
          "does not name /usr/local/nvidia/lib64 (the container's env key is written twice: the list at line 14 sets LD_LIBRARY_PATH=/usr/local/nvidia/lib64:/usr/local/cuda/lib64, but the last list is the one applied, and it drops it; keep one env list)",
        ),
      }),
    ]);
  });

  test('near miss: the last list is the one that sets the path', async () => {
    expect(await treeRuleFound('gke-driver-path-missing', 'gke-env-twice-', { 'd.yaml': deployment(OTHER, PATH_ENTRY) }, ['--platform', 'kserve'])).toEqual([]);
  });
});
