import { Platform } from '../../lib/check/platform';
import { readManifests } from '../../lib/manifests/read-manifests';
import { writeTree } from '../setup/kustomize-build';
import { ruleFound, severityObjectMessages } from '../util';

const RUNTIME = `apiVersion: serving.kserve.io/v1alpha1
kind: ServingRuntime
metadata: {name: vllm-runtime, namespace: ai}
spec:
  supportedModelFormats: [{name: vLLM, autoSelect: true}]
  containers:
    - name: kserve-container
      image: quay.io/vllm/vllm@sha256:${'b'.repeat(64)}
      args: [--port=8080, --model=/mnt/models]
`;

/** A vLLM InferenceService on one GPU scaled 1..3, with the annotations and predictor fields given. */
const SERVICE = (annotations: Record<string, string>, predictor = '') =>
  `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: chat
  namespace: ai
  annotations: ${JSON.stringify(annotations)}
spec:
  predictor:
    minReplicas: 1
    maxReplicas: 3
${predictor.replace(/^/gm, '    ')}
    model:
      modelFormat: {name: vLLM}
      runtime: vllm-runtime
      storageUri: s3://models/chat/
      resources:
        limits: {nvidia.com/gpu: "1"}
`;

const findings = (service: string, platform: Platform) => {
  const read = readManifests([writeTree({ 'runtime.yaml': RUNTIME, 'service.yaml': service }, 'autoscale-')]);
  return severityObjectMessages(ruleFound('autoscale-on-utilization', read.manifests, { ...read, platform }));
};

// KServe's deployment mode decides the autoscaler: raw deployment makes an HPA (cpu by default), Knative the KPA on
// requests in flight unless the service sets Knative's HPA class (KServe docs "Autoscale InferenceService")
describe('autoscale-on-utilization judges the autoscaler of the deployment mode', () => {
  test.each([
    ['raw deployment written, on OpenShift AI 2.x', { 'serving.kserve.io/deploymentMode': 'RawDeployment' }, '', 'rhoai-2', 'cpu'],
    ['unset on OpenShift AI 3 (no Knative: raw for certain)', {}, '', 'rhoai-3.0', 'cpu'],
    ['raw deployment scaled on memory', { 'serving.kserve.io/deploymentMode': 'RawDeployment' }, 'scaleMetric: memory', 'kserve', 'memory'],
    [
      "Knative with Knative's HPA class on cpu",
      { 'serving.kserve.io/deploymentMode': 'Serverless', 'autoscaling.knative.dev/class': 'hpa.autoscaling.knative.dev' },
      'scaleMetric: cpu',
      'kserve',
      'cpu',
    ],
  ] as const)('fires: %s', (_, annotations, predictor, platform, resource) => {
    expect(findings(SERVICE(annotations, predictor), platform)).toEqual([
      ['warning', 'InferenceService/ai/chat', expect.stringContaining(`scales 1..3 on ${resource} utilization, which a GPU-bound vLLM pod seldom reaches`)],
    ]);
  });

  test.each([
    [
      'unset on OpenShift AI 2.x, whose default is Serverless (a Knative passthrough annotation)',
      { 'serving.knative.openshift.io/enablePassthrough': 'true' },
      'rhoai-2',
    ],
    ['unset on upstream KServe, whose install defaults to Serverless', {}, 'kserve'],
    ['Serverless written (the KPA, on concurrency)', { 'serving.kserve.io/deploymentMode': 'Serverless' }, 'kserve'],
    [
      'Knative written with the KPA class',
      { 'serving.kserve.io/deploymentMode': 'Knative', 'autoscaling.knative.dev/class': 'kpa.autoscaling.knative.dev' },
      'kserve',
    ],
  ] as const)('near miss: %s', (_, annotations, platform) => {
    expect(findings(SERVICE(annotations), platform)).toEqual([]);
  });
});

// KServe's HPA keeps at least one replica (hpa_reconciler.go createHPA: minReplicas below 1 is 1), so a maximum of one
// leaves nothing to scale out to
describe('autoscale-on-utilization: a maximum of one replica scales nowhere', () => {
  const RAW = { 'serving.kserve.io/deploymentMode': 'RawDeployment' };
  const sized = (min: number, max: number) => SERVICE(RAW).replace('minReplicas: 1\n    maxReplicas: 3', `minReplicas: ${min}\n    maxReplicas: ${max}`);
  const HPA = (min: number, max: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: chat, namespace: ai}
spec:
  selector: {matchLabels: {app: chat}}
  template:
    metadata: {labels: {app: chat}}
    spec:
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.11.0
          args: [--model, Qwen/Qwen2.5-7B-Instruct]
          resources: {limits: {nvidia.com/gpu: "1"}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: chat, namespace: ai}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: chat}
  minReplicas: ${min}
  maxReplicas: ${max}
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}]
`;
  const hpaFindings = (min: number, max: number) => {
    const read = readManifests([writeTree({ 'chat.yaml': HPA(min, max) }, 'autoscale-')]);
    return severityObjectMessages(ruleFound('autoscale-on-utilization', read.manifests, { ...read, platform: 'kserve' }));
  };

  test('near misses: minReplicas 0 and maxReplicas 1, on an InferenceService and on an HPA', () => {
    expect(findings(sized(0, 1), 'rhoai-3.0')).toEqual([]);
    expect(hpaFindings(0, 1)).toEqual([]);
  });

  test('fires: minReplicas 0 and maxReplicas 2 (one replica to scale out to)', () => {
    expect(findings(sized(0, 2), 'rhoai-3.0')).toEqual([
      ['warning', 'InferenceService/ai/chat', expect.stringContaining('scales 0..2 on cpu utilization, which a GPU-bound vLLM pod seldom reaches')],
    ]);
    expect(hpaFindings(0, 2)).toEqual([
      ['warning', 'HorizontalPodAutoscaler/ai/chat', expect.stringContaining('scales Deployment chat (vLLM on GPUs) 0..2 on cpu utilization only')],
    ]);
  });
});

describe('autoscale-on-utilization: a vLLM server in a custom image (vllmServerEvidence)', () => {
  /** A GPU Deployment of a custom image with the container fields given, scaled 1..4 on CPU by an HPA. */
  const tree = (container: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: assistant, namespace: ai}
spec:
  selector: {matchLabels: {app: assistant}}
  template:
    metadata: {labels: {app: assistant}}
    spec:
      containers:
        - name: server
          image: registry.example.com/team/llm-server:1.2
          resources: {limits: {nvidia.com/gpu: "1"}}
${container.replace(/^/gm, '          ')}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: assistant, namespace: ai}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: assistant}
  minReplicas: 1
  maxReplicas: 4
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}]
`;
  const found = (container: string) => {
    const read = readManifests([writeTree({ 'assistant.yaml': tree(container) }, 'autoscale-custom-')]);
    return severityObjectMessages(ruleFound('autoscale-on-utilization', read.manifests, { ...read, platform: 'kserve' }));
  };
  const ENV = 'env: [{name: VLLM_GPU_MEMORY_UTILIZATION, value: "0.9"}, {name: VLLM_MAX_MODEL_LEN, value: "4096"}, {name: MODEL_NAME, value: org/model}]';

  test('an entrypoint script given two vLLM settings: a warning that says what tells vLLM', () => {
    expect(found(`command: [/entrypoint.sh]\n${ENV}`)).toEqual([
      [
        'warning',
        'HorizontalPodAutoscaler/ai/assistant',
        "scales Deployment assistant (vLLM on GPUs: container 'server' requests GPUs and its env sets VLLM_GPU_MEMORY_UTILIZATION, VLLM_MAX_MODEL_LEN (vLLM's settings) for a program the tree does not show) " +
          '1..4 on cpu utilization only, which a GPU-bound vLLM pod seldom reaches while requests queue: it is unlikely ever to scale out, yet nodes, quota and cost are sized for the maximum; ' +
          "scale on vLLM's queue instead (a KEDA ScaledObject or an External/Pods metric on vllm:num_requests_waiting)",
      ],
    ]);
    // no command: the unknown image's entrypoint is the wrapper
    expect(found(ENV)).toHaveLength(1);
  });

  test('a shell line that runs vllm serve, a script named after vLLM, a dispatching entrypoint: each a vLLM server', () => {
    expect(found('command: [/bin/sh, -c]\nargs: ["pip list >/dev/null; exec vllm serve $MODEL_NAME --port 8000"]')).toEqual([
      ['warning', 'HorizontalPodAutoscaler/ai/assistant', expect.stringMatching(/^scales Deployment assistant \(vLLM on GPUs\) 1\.\.4 on cpu/)],
    ]);
    expect(found('command: [bash, /opt/app/run-vllm.sh]')).toEqual([
      [
        'warning',
        'HorizontalPodAutoscaler/ai/assistant',
        expect.stringContaining("container 'server' requests GPUs and its command line runs /opt/app/run-vllm.sh)"),
      ],
    ]);
    expect(found('command: [/entrypoint.sh, vllm, --port, "8000"]')).toEqual([
      ['warning', 'HorizontalPodAutoscaler/ai/assistant', expect.stringContaining('its command line runs /entrypoint.sh vllm)')],
    ]);
  });

  test.each([
    ['one vLLM setting only', 'command: [/entrypoint.sh]\nenv: [{name: VLLM_LOGGING_LEVEL, value: INFO}, {name: MODEL_NAME, value: org/model}]'],
    [
      "a client's settings (where the server is)",
      'command: [/entrypoint.sh]\nenv: [{name: VLLM_BASE_URL, value: "http://llm:8000"}, {name: VLLM_API_KEY, value: x}]',
    ],
    ['a program the tree shows that is not vLLM', `command: [python3, /app/train.py]\n${ENV}`],
    ['installing vllm is not running it', 'command: [/bin/sh, -c]\nargs: ["pip install vllm && python3 /app/worker.py"]'],
    ['a model name alone', 'env: [{name: MODEL_NAME, value: org/model}]'],
  ])('near miss, %s: silent', (_, container) => {
    expect(found(container)).toEqual([]);
  });
});
