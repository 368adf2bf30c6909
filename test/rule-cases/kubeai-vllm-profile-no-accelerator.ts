import { ruleFound, severityMessages } from '../util';

const release = (values: Record<string, unknown>, valuesFrom = false) => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'kubeai', namespace: 'kubeai' },
  spec: {
    chart: { spec: { chart: 'kubeai', sourceRef: { kind: 'HelmRepository', name: 'kubeai' } } },
    values,
    ...(valuesFrom ? { valuesFrom: [{ kind: 'ConfigMap', name: 'kubeai-values' }] } : {}),
  },
});
const application = (values: Record<string, unknown>) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'kubeai', namespace: 'argocd' },
  spec: {
    project: 'default',
    source: { repoURL: 'https://www.kubeai.org', chart: 'kubeai', targetRevision: '0.21.0', helm: { valuesObject: values } },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'kubeai' },
  },
});
const model = (spec: Record<string, unknown>, apiVersion = 'kubeai.org/v1') => ({
  apiVersion,
  kind: 'Model',
  metadata: { name: 'chat', namespace: 'kubeai' },
  spec: { features: ['TextGeneration'], url: 'hf://example-org/chat-1b', engine: 'VLLM', resourceProfile: 'lab:2', ...spec },
});
const CPU_ONLY = { resourceProfiles: { lab: { requests: { cpu: '4', memory: '16Gi' } } } };

const findings = (...manifests: Record<string, unknown>[]) =>
  severityMessages(
    ruleFound(
      'kubeai-vllm-profile-no-accelerator',
      manifests.map((manifest) => ({ manifest })),
      { platform: 'kserve' },
    ),
  );

describe('kubeai-vllm-profile-no-accelerator', () => {
  test("a VLLM Model on a release profile of cpu and memory alone, with the chart's default image: error naming the profile and image", () => {
    expect(findings(release(CPU_ONLY), model({}))).toEqual([
      [
        'error',
        "spec.resourceProfile 'lab:2' names the profile the kubeai release HelmRelease/kubeai/kubeai defines under resourceProfiles.lab, which requests no accelerator (cpu, memory), " +
          'while the server runs vllm/vllm-openai (the chart\'s default VLLM image), vLLM\'s CUDA build: the pod is given no GPU and vLLM stops at start ("Failed to infer device type"); ' +
          "add the accelerator to the profile's limits (nvidia.com/gpu) with the GPU nodes' nodeSelector, or set its imageName to cpu for the CPU build, or serve with engine OLlama",
      ],
    ]);
  });

  test("an Application's valuesObject, and an image the release's values give the profile's imageName, are read too", () => {
    const values = { ...CPU_ONLY, modelServers: { VLLM: { images: { default: 'vllm/vllm-openai:v0.8.5' } } } };
    expect(findings(application(values), model({}))).toEqual([
      ['error', expect.stringContaining('the server runs vllm/vllm-openai:v0.8.5 (modelServers.VLLM.images.default)')],
    ]);
    expect(findings(release(CPU_ONLY), model({ image: 'vllm/vllm-openai:v0.9.0' }))).toEqual([['error', expect.stringContaining('(spec.image)')]]);
  });

  test('near misses: a GPU in the profile, a CPU image, imageName cpu, engine OLlama, values elsewhere, a profile the release does not define, another Model', () => {
    const gpu = { resourceProfiles: { lab: { requests: { cpu: '4' }, limits: { 'nvidia.com/gpu': '1' } } } };
    expect(findings(release(gpu), model({}))).toEqual([]);
    expect(findings(release({ resourceProfiles: { lab: { limits: { 'amd.com/gpu': '1' } } } }), model({}))).toEqual([]);
    expect(findings(release(CPU_ONLY), model({ image: 'substratusai/vllm:v0.6.3.post1-cpu' }))).toEqual([]);
    expect(findings(release({ resourceProfiles: { lab: { imageName: 'cpu', requests: { cpu: '4' } } } }), model({}))).toEqual([]);
    const cpuImages = { ...CPU_ONLY, modelServers: { VLLM: { images: { default: 'example.com/lab/vllm-openai-cpu:v0.8' } } } };
    expect(findings(release(cpuImages), model({}))).toEqual([]);
    expect(findings(release(CPU_ONLY), model({ engine: 'OLlama', url: 'ollama://qwen2.5:0.5b' }))).toEqual([]);
    expect(findings(release(CPU_ONLY, true), model({}))).toEqual([]);
    expect(findings(release(CPU_ONLY), model({ resourceProfile: 'nvidia-gpu-l4:1' }))).toEqual([]);
    expect(findings(release(CPU_ONLY), model({}, 'ollama.ayaka.io/v1'))).toEqual([]);
  });
});
