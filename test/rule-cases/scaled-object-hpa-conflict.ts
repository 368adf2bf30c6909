import { runChecks } from '../../lib';

type Doc = Record<string, unknown>;
const findings = (docs: Doc[], platform: 'rhoai-3.0' | 'kserve' = 'rhoai-3.0') =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform },
  )
    .filter((f) => f.rule === 'scaled-object-hpa-conflict')
    .map((f) => f.object);

const isvc = (annotations: Doc = {}): Doc => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'chat', namespace: 'ai', annotations },
  spec: { predictor: { containers: [{ name: 'kserve-container', image: 'vllm/vllm-openai:v0.10.1' }] } },
});
const scaled = (target: Doc, namespace = 'ai'): Doc => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'q', namespace },
  spec: { scaleTargetRef: target, triggers: [] },
});
const RAW = { 'serving.kserve.io/deploymentMode': 'RawDeployment' };

describe('scaled-object-hpa-conflict', () => {
  test('the predictor Deployment of a raw-mode service with no autoscaler class, or class hpa, kind written or not', () => {
    expect(findings([isvc(), scaled({ name: 'chat-predictor' })])).toEqual(['ScaledObject/ai/q']);
    expect(
      findings(
        [isvc({ ...RAW, 'serving.kserve.io/autoscalerClass': 'hpa' }), scaled({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'chat-predictor' })],
        'kserve',
      ),
    ).toEqual(['ScaledObject/ai/q']);
  });

  test('near misses: autoscalerClass external or none, another namespace, another target, Knative or unknown mode, no such service', () => {
    for (const cls of ['external', 'none']) {
      expect(findings([isvc({ 'serving.kserve.io/autoscalerClass': cls }), scaled({ name: 'chat-predictor' })])).toEqual([]);
    }
    expect(findings([isvc(), scaled({ name: 'chat-predictor' }, 'web')])).toEqual([]);
    expect(findings([isvc(), scaled({ name: 'chat' })])).toEqual([]);
    expect(findings([isvc(), scaled({ kind: 'StatefulSet', name: 'chat-predictor' })])).toEqual([]);
    expect(findings([isvc({ 'serving.kserve.io/deploymentMode': 'Serverless' }), scaled({ name: 'chat-predictor' })], 'kserve')).toEqual([]);
    expect(findings([isvc(), scaled({ name: 'chat-predictor' })], 'kserve')).toEqual([]);
    expect(findings([scaled({ name: 'chat-predictor' })])).toEqual([]);
  });
});
