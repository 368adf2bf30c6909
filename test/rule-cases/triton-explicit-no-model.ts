import { ruleFound, severityObjectMessages } from '../util';

type Doc = Record<string, unknown>;
const found = (docs: Doc[]) =>
  severityObjectMessages(
    ruleFound(
      'triton-explicit-no-model',
      docs.map((manifest) => ({ manifest })),
      { platform: 'kserve' },
    ),
  );

const runtime = (args: string[], spec: Doc = {}): Doc => ({
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'ServingRuntime',
  metadata: { name: 'triton', namespace: 'ml' },
  spec: {
    supportedModelFormats: [{ name: 'onnx', autoSelect: true }],
    containers: [{ name: 'kserve-container', image: 'nvcr.io/nvidia/tritonserver:24.05-py3', args }],
    ...spec,
  },
});

describe('triton-explicit-no-model', () => {
  test('explicit model control and no --load-model: an error naming the container and the fix', () => {
    expect(found([runtime(['tritonserver', '--model-repository=/mnt/models', '--model-control-mode=explicit'])])).toEqual([
      [
        'error',
        'ServingRuntime/ml/triton',
        "container 'kserve-container' runs tritonserver with --model-control-mode=explicit and no --load-model: Triton then loads no model at start-up, only those a client loads through its repository API, which KServe never calls, so the server answers every request that the model is not found: drop --model-control-mode=explicit, or add --load-model=<model name> (--load-model=* for all)",
      ],
    ]);
    expect(found([runtime(['tritonserver', '--model-control-mode', 'explicit'])]).map((f) => f[0])).toEqual(['error']);
  });

  test('near misses: --load-model given, another mode, a multi-model runtime, another server', () => {
    expect(found([runtime(['tritonserver', '--model-control-mode=explicit', '--load-model=resnet'])])).toEqual([]);
    expect(found([runtime(['tritonserver', '--model-control-mode=poll'])])).toEqual([]);
    expect(found([runtime(['tritonserver', '--model-control-mode=explicit'], { multiModel: true })])).toEqual([]);
    const other = {
      ...runtime([]),
      spec: { containers: [{ name: 'server', image: 'quay.io/example/server:1.0', args: ['--model-control-mode=explicit'] }] },
    };
    expect(found([other])).toEqual([]);
  });
});
