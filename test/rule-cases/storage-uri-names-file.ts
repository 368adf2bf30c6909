import { ruleFound, severityObjectMessages } from '../util';

const isvc = (predictor: Record<string, unknown>) => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'iris', namespace: 'ml' },
  spec: { predictor },
});

const findings = (...manifests: Record<string, unknown>[]) =>
  severityObjectMessages(
    ruleFound(
      'storage-uri-names-file',
      manifests.map((manifest) => ({ manifest })),
      { platform: 'kserve', alone: true },
    ),
  );

describe('storage-uri-names-file', () => {
  test('a pvc:// URI ending in a pickled model on a framework predictor: an error naming the folder to mount', () => {
    expect(findings(isvc({ sklearn: { storageUri: 'pvc://store/iris/model.joblib' } }))).toEqual([
      [
        'error',
        'InferenceService/ml/iris',
        expect.stringMatching(
          /^storageUri 'pvc:\/\/store\/iris\/model.joblib' ends in the file 'model.joblib': KServe mounts the claim's subPath iris\/model.joblib at \/mnt\/models and downloads nothing.*write storageUri: pvc:\/\/store\/iris, the folder that holds it$/,
        ),
      ],
    ]);
    // a claim name left to be filled in does not change where the file lands
    expect(findings(isvc({ model: { modelFormat: { name: 'onnx' }, storageUri: 'pvc://${PVC}/model.onnx' } })).map(([s]) => s)).toEqual(['error']);
  });

  test("a custom container's STORAGE_URI: a warning, the container may open /mnt/models as the file", () => {
    const custom = isvc({
      containers: [{ name: 'kserve-container', image: 'quay.io/t/srv:1', env: [{ name: 'STORAGE_URI', value: 'pvc://store/m/weights.pt' }] }],
    });
    expect(findings(custom)).toEqual([['warning', 'InferenceService/ml/iris', expect.stringMatching(/unless it opens \/mnt\/models as the file itself/)]]);
  });

  test('near misses: the folder, a downloading scheme, a file-like name without a model extension', () => {
    expect(findings(isvc({ sklearn: { storageUri: 'pvc://store/iris' } }))).toEqual([]);
    expect(findings(isvc({ sklearn: { storageUri: 's3://bucket/iris/model.joblib' } }))).toEqual([]);
    expect(findings(isvc({ sklearn: { storageUri: 'pvc://store/iris.v2' } }))).toEqual([]);
  });
});
