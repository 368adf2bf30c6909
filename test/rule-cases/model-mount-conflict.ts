import { ruleFindings } from '../util';

/**
 * model-mount-conflict: KServe's pod webhook mounts its own volume at /mnt/models in kserve-container for a service's
 * one storage URI (storage_initializer_injector.go CommonStorageInitialization), skipping only a mount of the same
 * volume name; a second mount at that path is refused by pod validation ("must be unique").
 */
const runtime = (name: string, mountPath: string, formats = [{ name: 'vLLM', autoSelect: true }]) => ({
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'ServingRuntime',
  metadata: { name, namespace: 'llm' },
  spec: {
    supportedModelFormats: formats,
    containers: [
      {
        name: 'kserve-container',
        image: 'quay.io/example/vllm:0.6',
        args: ['--model=/mnt/models', '--port=8080'],
        volumeMounts: [{ name: 'weights', mountPath }],
      },
    ],
    volumes: [{ name: 'weights', persistentVolumeClaim: { claimName: 'weights' } }],
  },
});
const service = (model: Record<string, unknown>) => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'chat', namespace: 'llm' },
  spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, ...model } } },
});
const found = (docs: Record<string, unknown>[]) => ruleFindings('model-mount-conflict', docs, 'rhoai-3.0');

describe('model-mount-conflict: the runtime KServe auto-selects', () => {
  test('a service naming no runtime, the one runtime of its namespace that auto-selects its format mounts at /mnt/models: an error naming that runtime', () => {
    expect(found([runtime('vllm-pvc', '/mnt/models'), service({ storageUri: 'pvc://weights/granite' })])).toEqual([
      "error InferenceService/llm/chat: ServingRuntime/llm/vllm-pvc gives kserve-container a volumeMount 'weights' at /mnt/models, and the model location pvc://weights/granite makes KServe's webhook mount its own volume kserve-pvc-source there too: the API server refuses the pod (spec.containers[].volumeMounts: mountPath must be unique) and the predictor never starts; remove that mount (KServe provides /mnt/models) or mount the volume elsewhere",
    ]);
    expect(found([runtime('vllm-s3', '/mnt/models/'), service({ storageUri: 'hf://ibm-granite/granite-3.1-2b-instruct' })])).toEqual([
      expect.stringMatching(
        /^error InferenceService\/llm\/chat: ServingRuntime\/llm\/vllm-s3 gives kserve-container a volumeMount 'weights' at \/mnt\/models, .* its own volume kserve-provision-location there too/,
      ),
    ]);
  });

  test('near misses: the runtime mounts elsewhere, the service has no storage URI, the runtime does not auto-select the format, or lives in another namespace', () => {
    expect(found([runtime('vllm-pvc', '/data/weights'), service({ storageUri: 'pvc://weights/granite' })])).toEqual([]);
    expect(found([runtime('vllm-pvc', '/mnt/models'), service({})])).toEqual([]);
    expect(found([runtime('vllm-pvc', '/mnt/models', [{ name: 'vLLM', autoSelect: false }]), service({ storageUri: 'pvc://weights/granite' })])).toEqual([]);
    expect(found([runtime('vllm-pvc', '/mnt/models', [{ name: 'onnx', autoSelect: true }]), service({ storageUri: 'pvc://weights/granite' })])).toEqual([]);
    const elsewhere = { ...runtime('vllm-pvc', '/mnt/models'), metadata: { name: 'vllm-pvc', namespace: 'other' } };
    expect(found([elsewhere, service({ storageUri: 'pvc://weights/granite' })])).toEqual([]);
  });
});

describe("model-mount-conflict: a custom predictor's sole container is kserve-container", () => {
  const custom = (containers: Record<string, unknown>[]) => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'chat', namespace: 'llm' },
    spec: { predictor: { containers } },
  });
  const server = (name: string | undefined, mountPath: string) => ({
    ...(name ? { name } : {}),
    image: 'quay.io/example/vllm:0.6',
    env: [{ name: 'STORAGE_URI', value: 'pvc://weights/granite' }],
    volumeMounts: [{ name: 'weights', mountPath }],
  });

  test('a sole container of another name, or an unnamed first one, mounting at /mnt/models beside STORAGE_URI: an error', () => {
    for (const containers of [[server('vllm', '/mnt/models')], [server(undefined, '/mnt/models'), { name: 'sidecar', image: 'quay.io/example/proxy:1.0' }]]) {
      expect(found([custom(containers)])).toEqual([
        expect.stringMatching(
          /^error InferenceService\/llm\/chat: kserve-container has a volumeMount 'weights' at \/mnt\/models, and the model location pvc:\/\/weights\/granite/,
        ),
      ]);
    }
  });

  test('near miss: a named first container beside others is not kserve-container, and a sole container mounting elsewhere', () => {
    expect(found([custom([server('vllm', '/mnt/models'), { name: 'sidecar', image: 'quay.io/example/proxy:1.0' }])])).toEqual([]);
    expect(found([custom([server('vllm', '/data/weights')])])).toEqual([]);
  });
});
