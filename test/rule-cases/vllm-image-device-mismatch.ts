import { runChecks } from '../../lib';
import { acceleratorBuildOf } from '../../lib/catalog/vllm-images';

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
    ['nvcr.io/nvidia/vllm:25.09-py3', 'CUDA'],
    // Ray's -cuXX and -gpu tags are built on NVIDIA's CUDA image
    ['rayproject/ray-llm:2.46.0-py311-cu124', 'CUDA'],
    ['anyscale/ray-llm:2.44.1-py311-cu124', 'CUDA'],
    ['rayproject/ray-llm:2.46.0-py311-gpu', 'CUDA'],
  ])('%s is a %s build', (image, build) => {
    expect(acceleratorBuildOf(image)?.build).toBe(build);
  });

  test.each([
    'vllm/vllm-openai-cpu:v0.11.0',
    'public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.11.0',
    'registry.redhat.io/rhaiis/vllm-cpu-rhel9:3.2.1',
    'quay.io/modh/vllm:rhoai-2.20-gaudi',
    'quay.io/modh/vllm@sha256:' + 'c'.repeat(64),
    // another registry's mirror path of the name says nothing of NVIDIA's build
    'example.com/nvidia/vllm:25.09-py3',
    // Ray's images with no platform in the tag, and Ray's own image (no vLLM in it)
    'rayproject/ray-llm:2.46.0-py311',
    'rayproject/ray:2.46.0-py311-cu124',
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
    ['no CPU setting, a GPU requested', { image: 'vllm/vllm-openai:v0.11.0', args: ['--model=m'], resources: { limits: { 'nvidia.com/gpu': 1 } } }],
    ['the CPU build', { image: 'vllm/vllm-openai-cpu:v0.11.0', args: ['--device=cpu'] }],
    ['an accelerator requested', { image: 'vllm/vllm-openai:v0.11.0', args: ['--device=cpu'], resources: { limits: { 'example.com/accelerator': 1 } } }],
    [
      'VLLM_TARGET_DEVICE=cuda with a GPU',
      { image: 'vllm/vllm-openai:v0.11.0', env: [{ name: 'VLLM_TARGET_DEVICE', value: 'cuda' }], resources: { limits: { 'nvidia.com/gpu': 1 } } },
    ],
    ['the CPU build, no GPU', { image: 'vllm/vllm-openai-cpu:v0.11.0', args: ['--model=m'] }],
    ['an image vLLM does not publish', { image: 'ghcr.io/example/vllm:1.0', args: ['--model=m'] }],
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

describe('vllm-image-device-mismatch: the accelerator build given no GPU', () => {
  const podSpec = (spec: Doc, container: Doc = {}): Doc => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ai' },
    spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.11.0', args: ['--model=m'], ...container }], ...spec },
  });
  const rocmMessage =
    "container 'vllm' runs vllm/vllm-openai-rocm:v0.11.0, vLLM's ROCm build, and the pod requests no GPU (no amd.com/gpu in resources, no DRA claim, runtime class or hardware profile): " +
    'the device plugin hands it no GPU, vLLM finds no device and stops at start ("Failed to infer device type"); request one (resources.limits amd.com/gpu: 1) or run the CPU build vllm/vllm-openai-cpu (or public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo)';

  test('no GPU request and nothing else that gives one: an error', () => {
    expect(findings([deployment({ image: 'vllm/vllm-openai-rocm:v0.11.0', args: ['--model=m'] })])).toEqual([['Deployment/ai/d', rocmMessage]]);
  });

  const severities = (docs: Doc[]) =>
    runChecks(
      docs.map((manifest) => ({ manifest })),
      { platform: 'rhoai-3.0' },
    )
      .filter((f) => f.rule === 'vllm-image-device-mismatch')
      .map((f) => f.severity);

  test("the CUDA build with no GPU request: a warning, as a node whose default runtime is NVIDIA's hands it every GPU", () => {
    expect(findings([podSpec({})])).toEqual([
      [
        'Pod/ai/p',
        "container 'vllm' runs vllm/vllm-openai:v0.11.0, vLLM's CUDA build, and the pod requests no GPU (no nvidia.com/gpu in resources, no DRA claim, runtime class or hardware profile): " +
          'the device plugin hands it no GPU, vLLM finds no device and stops at start ("Failed to infer device type"), unless the node\'s default container runtime is NVIDIA\'s: assumed here it is not, which the tree does not say; ' +
          "where it is (Docker Desktop or WSL2, EKS's GPU AMIs, the GPU Operator's toolkit with CONTAINERD_SET_AS_DEFAULT, k3s with its nvidia runtime as the default), " +
          "the image's NVIDIA_VISIBLE_DEVICES=all hands the container every GPU of a GPU node, uncounted by the scheduler; request one (resources.limits nvidia.com/gpu: 1) or run the CPU build vllm/vllm-openai-cpu (or public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo)",
      ],
    ]);
    expect(severities([podSpec({})])).toEqual(['warning']);
    // the ROCm images set no such variable: no runtime hands them a device unasked
    expect(severities([deployment({ image: 'vllm/vllm-openai-rocm:v0.11.0', args: ['--model=m'] })])).toEqual(['error']);
  });

  test('the image entrypoint started with no arguments at all is judged too', () => {
    expect(findings([deployment({ image: 'vllm/vllm-openai:latest' })])).toHaveLength(1);
  });

  test.each([
    ['a GPU node selector', { nodeSelector: { 'nvidia.com/gpu.present': 'true' } }, 'node selector nvidia.com/gpu.present'],
    ['a toleration of the GPU taint', { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] }, 'a toleration of nvidia.com/gpu'],
    ['a node name', { nodeName: 'worker-3' }, 'node worker-3'],
  ])('steered to GPU nodes only (%s): a warning', (_, spec, how) => {
    const found = runChecks([{ manifest: podSpec(spec) }], { platform: 'rhoai-3.0' }).filter((f) => f.rule === 'vllm-image-device-mismatch');
    expect(found.map((f) => f.severity)).toEqual(['warning']);
    expect(found[0].message).toContain(`; ${how} puts it on GPU nodes, and where it is (`);
    const rocm = podSpec(spec, { image: 'rocm/vllm:latest', command: ['vllm', 'serve', 'm'], args: [] });
    const rocmFound = runChecks([{ manifest: rocm }], { platform: 'rhoai-3.0' }).filter((f) => f.rule === 'vllm-image-device-mismatch');
    expect(rocmFound.map((f) => f.severity)).toEqual(['warning']);
    expect(rocmFound[0].message).toContain(`; ${how} may put it on a GPU node whose container runtime exposes every GPU, which nothing guarantees`);
  });

  test.each([
    ['a DRA claim on the pod', { resourceClaims: [{ name: 'g', resourceClaimTemplateName: 't' }] }, {}],
    ['a DRA claim on the container', {}, { resources: { claims: [{ name: 'g' }] } }],
    ['a runtime class', { runtimeClassName: 'nvidia' }, {}],
    ['NVIDIA_VISIBLE_DEVICES', {}, { env: [{ name: 'NVIDIA_VISIBLE_DEVICES', value: 'all' }] }],
    ['a privileged container', {}, { securityContext: { privileged: true } }],
    ['a hostPath of /dev/nvidia0', { volumes: [{ name: 'dev', hostPath: { path: '/dev/nvidia0' } }] }, {}],
    ['a sleep command', {}, { command: ['sleep', 'infinity'], args: [] }],
  ])('near miss: %s', (_, spec, container) => {
    expect(findings([podSpec(spec, container)])).toEqual([]);
  });

  test('NVIDIA_VISIBLE_DEVICES=void hides the GPUs from any runtime: an error', () => {
    expect(severities([podSpec({}, { env: [{ name: 'NVIDIA_VISIBLE_DEVICES', value: 'void' }] })])).toEqual(['error']);
  });

  const runtime = (resources: Doc): Doc => ({
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ServingRuntime',
    metadata: { name: 'rt', namespace: 'ai' },
    spec: {
      supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
      containers: [{ name: 'kserve-container', image: 'registry.redhat.io/rhaiis/vllm-cuda-rhel9:3.2.1', args: ['--model=/mnt/models'], resources }],
    },
  });
  const isvc = (annotations: Record<string, string> = {}, resources?: Doc): Doc => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'svc', namespace: 'ai', annotations },
    spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'rt', storageUri: 'oci://q/x:1', ...(resources ? { resources } : {}) } } },
  });

  test('a service whose merged predictor has no GPU: a finding on the service, not on its runtime', () => {
    expect(findings([runtime({}), isvc()]).map(([o]) => o)).toEqual(['InferenceService/ai/svc']);
  });

  test.each([
    ['the runtime requests it', runtime({ limits: { 'nvidia.com/gpu': 1 } }), isvc()],
    ['the service requests it', runtime({}), isvc({}, { limits: { 'nvidia.com/gpu': 1 } })],
    ['a hardware profile writes it', runtime({}), isvc({ 'opendatahub.io/hardware-profile-name': 'gpu' })],
    ['an accelerator profile writes it', runtime({}), isvc({ 'opendatahub.io/accelerator-name': 'migrated-gpu' })],
  ])('near miss: the GPU of a service: %s', (_, rt, svc) => {
    expect(findings([rt, svc])).toEqual([]);
  });
});

describe("vllm-image-device-mismatch: a build on another vendor's devices", () => {
  const serve = (image: string, resources: Doc): Doc => ({ image, args: ['--model', 'Qwen/Qwen2.5-7B-Instruct'], resources: { limits: resources } });

  test('the CUDA image on amd.com/gpu, the ROCm image on nvidia.com/gpu, either on a TPU or a Gaudi: an error naming the build to run', () => {
    expect(findings([deployment(serve('vllm/vllm-openai:v0.10.1', { 'amd.com/gpu': 8 }))])).toEqual([
      [
        'Deployment/ai/d',
        "container 'vllm' runs vllm/vllm-openai:v0.10.1, vLLM's CUDA build, on amd.com/gpu (AMD): the device plugin hands it devices its CUDA runtime cannot use, so vLLM finds no platform it was built for and stops at start (\"Failed to infer device type\"); run the ROCm build vllm/vllm-openai-rocm (or rocm/vllm), or request the devices of its own build",
      ],
    ]);
    const rocm = { image: 'rocm/vllm:latest', command: ['vllm', 'serve', 'Qwen/Qwen2.5-7B-Instruct'], resources: { limits: { 'nvidia.com/gpu': 1 } } };
    expect(findings([deployment(rocm)])).toEqual([['Deployment/ai/d', expect.stringContaining("vLLM's ROCm build, on nvidia.com/gpu (NVIDIA)")]]);
    expect(findings([deployment(serve('vllm/vllm-openai:v0.10.1', { 'nvidia.com/mig-1g.10gb': 1 }))])).toEqual([]);
    expect(findings([deployment(serve('vllm/vllm-openai:v0.10.1', { 'google.com/tpu': 4 }))])).toEqual([
      ['Deployment/ai/d', expect.stringContaining('run the TPU build vllm/vllm-tpu')],
    ]);
    expect(findings([deployment(serve('registry.redhat.io/rhaiis/vllm-cuda-rhel9:3.2.1', { 'habana.ai/gaudi': 1 }))])).toEqual([
      ['Deployment/ai/d', expect.stringContaining('on habana.ai/gaudi')],
    ]);
  });

  test('near misses: the build of the devices, an image whose build is not known, a container that does not start vLLM', () => {
    expect(findings([deployment(serve('vllm/vllm-openai-rocm:v0.10.1', { 'amd.com/gpu': 8 }))])).toEqual([]);
    expect(findings([deployment(serve('ghcr.io/example/vllm-mi300x:1.0', { 'amd.com/gpu': 8 }))])).toEqual([]);
    expect(findings([deployment({ image: 'vllm/vllm-openai:v0.10.1', command: ['sleep', 'infinity'], resources: { limits: { 'amd.com/gpu': 1 } } })])).toEqual(
      [],
    );
  });
});

describe('vllm-image-device-mismatch: the groups of a Ray cluster', () => {
  /** A RayService whose head runs ray-llm with no GPU and whose one worker group runs the container given. */
  const rayService = (worker: Doc): Doc => ({
    apiVersion: 'ray.io/v1',
    kind: 'RayService',
    metadata: { name: 'haiku', namespace: 'verse' },
    spec: {
      serveConfigV2: 'applications:\n  - name: haiku\n    import_path: ray.serve.llm:build_openai_app\n',
      rayClusterConfig: {
        headGroupSpec: { rayStartParams: {}, template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray-llm:2.46.0-py311-cu124' }] } } },
        workerGroupSpecs: [{ groupName: 'workers', replicas: 1, rayStartParams: {}, template: { spec: { containers: [{ name: 'ray-worker', ...worker }] } } }],
      },
    },
  });

  test("a worker running Ray's CUDA ray-llm image told VLLM_TARGET_DEVICE=cpu, with no GPU: an error naming the group's template", () => {
    expect(findings([rayService({ image: 'rayproject/ray-llm:2.46.0-py311-cu124', env: [{ name: 'VLLM_TARGET_DEVICE', value: 'cpu' }] })])).toEqual([
      [
        'RayService/verse/haiku',
        "spec.rayClusterConfig.workerGroupSpecs[0].template container 'ray-worker' runs rayproject/ray-llm:2.46.0-py311-cu124, vLLM's CUDA build, on CPUs (VLLM_TARGET_DEVICE=cpu, no accelerator requested): that build has no CPU backend and stops at start (\"Failed to infer device type\"); use the CPU build vllm/vllm-openai-cpu, installed with ray[serve,llm] in a Ray image of your own (rayproject/ray-llm's -cuXX images carry vLLM's CUDA build)",
      ],
    ]);
  });

  test("near misses: the worker requests a GPU; Ray's CPU image told CPU; a head with no GPU and no CPU setting", () => {
    const gpu = {
      image: 'rayproject/ray-llm:2.46.0-py311-cu124',
      resources: { limits: { 'nvidia.com/gpu': 1 } },
      env: [{ name: 'VLLM_TARGET_DEVICE', value: 'cpu' }],
    };
    expect(findings([rayService(gpu)])).toEqual([]);
    expect(findings([rayService({ image: 'rayproject/ray:2.46.0-py311-cpu', env: [{ name: 'VLLM_TARGET_DEVICE', value: 'cpu' }] })])).toEqual([]);
    expect(findings([rayService({ image: 'rayproject/ray-llm:2.46.0-py311-cu124' })])).toEqual([]);
  });
});
