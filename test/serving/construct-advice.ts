import { ApiObject, Chart } from 'cdk8s';
import { ExistingGpuNodes, GpuInstanceType, ModelSource, NODE_SHAPE_ANNOTATION, reportWarningsTo, runChecks, VllmLlmInferenceService } from '../../lib';
import { synthApp, testApp } from '../util';

/**
 * Advice in the constructs' terms (a prop of VllmRuntime, VllmInferenceService, ModelSource) only for objects the
 * constructs rendered: under a construct of an app, or carrying the node shape or model profile they record. A plain
 * manifest with the same defect is told the field to change, and no construct's name.
 */

type Doc = Record<string, any>;

/** The node shape a placement records, as a rendered tree carries it. */
const SHAPE = JSON.stringify({
  gpuModel: 'L4',
  gpusPerNode: 4,
  vcpu: 48,
  memoryGiB: 192,
  allocatable: { cpu: '47000m', memory: '180000Mi' },
  instanceType: 'g6.12xlarge',
  placement: 'MachineSet gpu',
});

const IMAGE = `quay.io/vllm/vllm@sha256:${'a'.repeat(64)}`;

const runtime = (shm: string): Doc => ({
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'ServingRuntime',
  metadata: { name: 'vllm', namespace: 'ai' },
  spec: {
    supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
    containers: [
      {
        name: 'kserve-container',
        image: IMAGE,
        command: ['python', '-m', 'vllm.entrypoints.openai.api_server'],
        args: ['--port=8080', '--model=/mnt/models'],
        volumeMounts: [{ name: 'shm', mountPath: '/dev/shm' }],
      },
    ],
    volumes: [{ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: shm } }],
  },
});

/** A vLLM service on 4 GPUs with tensor parallelism 4; `rendered` gives it the node shape the constructs record. */
function service(rendered: boolean, predictor: Doc = {}): Doc {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: {
      name: 'llm',
      namespace: 'ai',
      annotations: { 'serving.kserve.io/deploymentMode': 'RawDeployment', ...(rendered ? { [NODE_SHAPE_ANNOTATION]: SHAPE } : {}) },
    },
    spec: {
      predictor: {
        model: {
          modelFormat: { name: 'vLLM' },
          runtime: 'vllm',
          storageUri: 'hf://example-org/chat-model',
          args: ['--tensor-parallel-size=4'],
          resources: { limits: { 'nvidia.com/gpu': '4' }, requests: { 'nvidia.com/gpu': '4' } },
        },
        ...predictor,
      },
    },
  };
}

const messages = (docs: Doc[], rule: string) =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform: 'rhoai-3.0' },
  )
    .filter((f) => f.rule === rule)
    .map((f) => f.message);

const CONSTRUCTS = /VllmRuntime|VllmInferenceService|ModelSource|ScaleSignal|startupBudget|shmSize/;

describe('construct advice only where the constructs rendered the object', () => {
  test('shm-missing: VllmRuntime shmSize for a rendered service, the volume sizeLimit for a plain one', () => {
    const [rendered] = messages([runtime('1Gi'), service(true)], 'shm-missing');
    expect(rendered).toMatch(/give it at least 4Gi: set VllmRuntime's shmSize to 4Gi or more, or leave it unset/);
    const [plain] = messages([runtime('1Gi'), service(false)], 'shm-missing');
    expect(plain).toMatch(/give it at least 4Gi: set emptyDir\.sizeLimit of volume 'shm' in spec\.volumes of ServingRuntime 'vllm' to 4Gi or more$/);
    expect(plain).not.toMatch(CONSTRUCTS);
  });

  test("hf-revision-not-pinned: ModelSource.huggingFace's revision for a rendered service, the storage URI for a plain one", () => {
    expect(messages([runtime('8Gi'), service(true)], 'hf-revision-not-pinned')).toEqual([
      expect.stringMatching(/pin the commit: give ModelSource\.huggingFace\('example-org\/chat-model', \{ revision: '<commit sha>' \}\)$/),
    ]);
    const [plain] = messages([runtime('8Gi'), service(false)], 'hf-revision-not-pinned');
    expect(plain).toMatch(/pin the commit: write spec\.predictor\.model\.storageUri hf:\/\/example-org\/chat-model:<commit sha>$/);
    expect(plain).not.toMatch(CONSTRUCTS);
  });

  test("autoscale-on-utilization: VllmInferenceService's signal for a rendered service, the annotation and metrics for a plain one", () => {
    const scaling = {
      minReplicas: 1,
      maxReplicas: 3,
      autoScaling: { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] },
    };
    expect(messages([runtime('8Gi'), service(true, scaling)], 'autoscale-on-utilization')[0]).toMatch(
      /give VllmInferenceService's autoscaling signal ScaleSignal\.requestsWaiting\(\)/,
    );
    const [plain] = messages([runtime('8Gi'), service(false, scaling)], 'autoscale-on-utilization');
    expect(plain).toMatch(
      /annotate serving\.kserve\.io\/autoscalerClass: keda and set spec\.predictor\.autoScaling\.metrics to an External metric on vllm:num_requests_waiting$/,
    );
    expect(plain).not.toMatch(CONSTRUCTS);
  });

  test("startup-probe-too-short: VllmInferenceService's startupBudget for a rendered service, the startupProbe fields for a plain one", () => {
    const probed = (rendered: boolean) => {
      const svc = service(rendered);
      svc.spec.predictor.model.storageUri = `hf://meta-llama/Llama-3.1-8B-Instruct:${'0'.repeat(40)}`;
      svc.spec.predictor.model.startupProbe = { httpGet: { path: '/health', port: 8080 }, periodSeconds: 10, failureThreshold: 3 };
      return messages([runtime('8Gi'), svc], 'startup-probe-too-short');
    };
    expect(probed(true)[0]).toMatch(/allow at least \d+ s \(set it through VllmInferenceService's startupBudget, which sizes the probe from the model\)$/);
    const [plain] = probed(false);
    expect(plain).toMatch(/allow at least \d+ s \(raise the startupProbe initialDelaySeconds \+ periodSeconds × failureThreshold\)$/);
    expect(plain).not.toMatch(CONSTRUCTS);
  });

  test("in an app, an object under a construct gets the construct's advice even without the annotations; a plain ApiObject beside it does not", () => {
    const app = testApp();
    const warnings: string[] = [];
    reportWarningsTo(app, (line) => warnings.push(line));
    const chart = new Chart(app, 'serving', { namespace: 'ai' });
    const nodes = new ExistingGpuNodes(chart, 'nodes', { shape: GpuInstanceType.G6E_12XLARGE, nodeCount: 1 });
    // no model profile: the LLMInferenceService carries neither annotation the constructs record
    new VllmLlmInferenceService(chart, 'chat', { source: ModelSource.huggingFace('example-org/chat-model'), placement: nodes, parallelism: { tensor: 4 } });
    new ApiObject(chart, 'plain', {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'LLMInferenceService',
      metadata: { name: 'plain', namespace: 'ai' },
      spec: { model: { uri: 'hf://example-org/other-model' }, template: { containers: [{ name: 'main', resources: { limits: { 'nvidia.com/gpu': '1' } } }] } },
    });
    const rendered = synthApp(app).find((m) => m.kind === 'LLMInferenceService' && m.metadata.name !== 'plain');
    expect(Object.keys(rendered.metadata.annotations ?? {}).filter((k) => k.startsWith('cdk8s-vllm.io/'))).toEqual([]);
    const pins = warnings.filter((w) => /hf-revision-not-pinned/.test(w));
    expect(pins).toEqual([
      expect.stringMatching(/chat.*give ModelSource\.huggingFace\('example-org\/chat-model', \{ revision: '<commit sha>' \}\)$/),
      expect.stringMatching(/plain: .*write spec\.model\.uri hf:\/\/example-org\/other-model:<commit sha>$/),
    ]);
  });
});
