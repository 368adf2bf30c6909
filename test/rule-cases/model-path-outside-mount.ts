import { ruleFound, severityObjectMessages } from '../util';

const isvc = (storageUri: string, args: string[], extra: Record<string, unknown> = {}) => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'chat', namespace: 'ml' },
  spec: { predictor: { model: { modelFormat: { name: 'huggingface' }, storageUri, args, ...extra } } },
});

const findings = (...manifests: Record<string, unknown>[]) =>
  severityObjectMessages(
    ruleFound(
      'model-path-outside-mount',
      manifests.map((manifest) => ({ manifest })),
      { platform: 'kserve', alone: true },
    ),
  );

describe('model-path-outside-mount', () => {
  test('a pvc:// subPath naming one model, and --model a sibling folder below /mnt/models: a warning', () => {
    expect(findings(isvc('pvc://store/Qwen--Qwen3-4B', ['--model=/mnt/models/merged']))).toEqual([
      [
        'warning',
        'InferenceService/ml/chat',
        expect.stringMatching(
          /^kserve-container args --model names \/mnt\/models\/merged, but \/mnt\/models is the folder of the storage URI itself: KServe mounts the claim's subPath Qwen--Qwen3-4B there .*the server reads store\/Qwen--Qwen3-4B\/merged.*pass \/mnt\/models/,
        ),
      ],
    ]);
  });

  test('the folder named twice (storage URI and --model), of any scheme, and --model_dir of KServe servers', () => {
    expect(findings(isvc('s3://models/llama', ['--model_dir', '/mnt/models/llama'])).map(([s, , m]) => [s, /the folder named twice/.test(m)])).toEqual([
      ['warning', true],
    ]);
    expect(findings(isvc('hf://meta-llama/Llama-3.1-8B', ['--model=/mnt/models/Llama-3.1-8B'])).map(([s]) => s)).toEqual(['warning']);
  });

  test('near misses: /mnt/models itself, a shelf of models (claim root, plain folder), its own mount, several storageUris', () => {
    expect(findings(isvc('pvc://store/Qwen--Qwen3-4B', ['--model=/mnt/models']))).toEqual([]);
    expect(findings(isvc('pvc://store', ['--model=/mnt/models/qwen']))).toEqual([]);
    expect(findings(isvc('pvc://store/models', ['--model=/mnt/models/qwen']))).toEqual([]);
    expect(findings(isvc('pvc://store/Qwen--Qwen3-4B', ['--model=/mnt/models/x'], { volumeMounts: [{ name: 'own', mountPath: '/mnt/models' }] }))).toEqual([]);
    expect(findings(isvc('pvc://store/Qwen--Qwen3-4B', ['--model=$(MODEL_DIR)']))).toEqual([]);
  });
});
