import { runChecks } from '../../lib';

type Doc = Record<string, unknown>;
type Input = { manifest: Doc; file?: string };
const found = (inputs: Input[], platform: 'kserve' | 'rhoai-3.0' = 'kserve') =>
  runChecks(inputs, { platform, rules: ['scaled-object-target-shared'] }).map((f) => `${f.severity} ${f.object}: ${f.message}`);

const so = (name: string, target: Doc, namespace = 'ai'): Doc => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name, namespace },
  spec: { scaleTargetRef: target, triggers: [{ type: 'prometheus', metadata: { query: 'sum(q)', threshold: '3' } }] },
});
const isvc = (annotations: Doc): Doc => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'chat', namespace: 'ai', annotations },
  spec: { predictor: { model: { modelFormat: { name: 'huggingface' }, storageUri: 'hf://org/chat' } } },
});
const RAW_KEDA = { 'serving.kserve.io/deploymentMode': 'RawDeployment', 'serving.kserve.io/autoscalerClass': 'keda' };

describe('scaled-object-target-shared', () => {
  test('two ScaledObjects on one Deployment in one file: an error on the second by name, kind defaulted on one', () => {
    const expected = [
      expect.stringMatching(
        /^error ScaledObject\/ai\/by-queue: spec\.scaleTargetRef names apps\/v1\.Deployment 'chat', which ScaledObject\/ai\/by-latency also scales: KEDA's admission webhook .*already managed by the ScaledObject 'by-latency'.*keep one ScaledObject for 'chat'/,
      ),
    ];
    const a = { manifest: so('by-queue', { name: 'chat' }), file: 'keda.yaml' };
    const b = { manifest: so('by-latency', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'chat' }), file: 'keda.yaml' };
    expect(found([a, b])).toEqual(expected);
    expect(found([b, a])).toEqual(expected);
  });

  test('in separate files nothing applies together: a warning', () => {
    expect(
      found([
        { manifest: so('a', { name: 'chat' }), file: 'a.yaml' },
        { manifest: so('b', { name: 'chat' }), file: 'b.yaml' },
      ]),
    ).toEqual([expect.stringMatching(/^warning ScaledObject\/ai\/b: .*ScaledObject\/ai\/a also scales: .*they may be alternatives/)]);
  });

  test("a ScaledObject on the predictor of a raw-mode InferenceService with autoscalerClass keda: KServe's own ScaledObject competes", () => {
    expect(found([{ manifest: isvc(RAW_KEDA) }, { manifest: so('chat-scaler', { name: 'chat-predictor' }) }])).toEqual([
      expect.stringMatching(
        /^error ScaledObject\/ai\/chat-scaler: spec\.scaleTargetRef names chat-predictor, the Deployment KServe makes for InferenceService\/ai\/chat, which sets serving\.kserve\.io\/autoscalerClass: keda.*refuses whichever of the two comes second/,
      ),
    ]);
    expect(found([{ manifest: isvc(RAW_KEDA) }, { manifest: so('chat-predictor', { name: 'chat-predictor' }) }])).toEqual([
      expect.stringMatching(/^error ScaledObject\/ai\/chat-predictor: .*KServe's reconciler replaces its spec/),
    ]);
  });

  test('near misses: another kind of one name, another namespace, one ScaledObject read twice, KServe class other than keda, Knative mode', () => {
    expect(found([{ manifest: so('a', { name: 'chat' }) }, { manifest: so('b', { kind: 'StatefulSet', name: 'chat' }) }])).toEqual([]);
    expect(found([{ manifest: so('a', { name: 'chat' }) }, { manifest: so('b', { name: 'chat' }, 'web') }])).toEqual([]);
    expect(
      found([
        { manifest: so('a', { name: 'chat' }), file: 'x.yaml' },
        { manifest: so('a', { name: 'chat' }), file: 'y.yaml' },
      ]),
    ).toEqual([]);
    for (const cls of ['external', 'hpa', 'none']) {
      const annotations = { ...RAW_KEDA, 'serving.kserve.io/autoscalerClass': cls };
      expect(found([{ manifest: isvc(annotations) }, { manifest: so('chat-scaler', { name: 'chat-predictor' }) }])).toEqual([]);
    }
    const knative = { 'serving.kserve.io/deploymentMode': 'Serverless', 'serving.kserve.io/autoscalerClass': 'keda' };
    expect(found([{ manifest: isvc(knative) }, { manifest: so('chat-scaler', { name: 'chat-predictor' }) }])).toEqual([]);
  });
});
