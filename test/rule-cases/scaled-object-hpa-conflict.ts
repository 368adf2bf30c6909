import { runChecks } from '../../lib';
import { ruleFound, severityObjectMessages } from '../util';

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

/** A ScaledObject and a plain HPA of the tree on one workload (KEDA scaledobject_webhook.go verifyHpas). */
describe('scaled-object-hpa-conflict: an HPA of the tree already scales the target', () => {
  type Input = { manifest: Doc; file?: string; kustomizations?: string[] };
  const found = (inputs: Input[]) => severityObjectMessages(ruleFound('scaled-object-hpa-conflict', inputs, { platform: 'kserve', alone: true }));
  const keda = (target: Doc, metadata: Doc = {}, spec: Doc = {}): Doc => ({
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'llm', namespace: 'serve', ...metadata },
    spec: { scaleTargetRef: target, triggers: [{ type: 'prometheus', metadata: { query: 'sum(vllm:num_requests_waiting)', threshold: '5' } }], ...spec },
  });
  const hpa = (target: Doc, apiVersion = 'autoscaling/v2', metadata: Doc = {}): Doc => ({
    apiVersion,
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'llm-backup', namespace: 'serve', ...metadata },
    spec: { scaleTargetRef: target, minReplicas: 1, maxReplicas: 4 },
  });
  const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'llm' };

  test('fires: both in one file, or one kustomize build, is an error naming the HPA and the webhook message', () => {
    expect(
      found([
        { manifest: keda(DEPLOYMENT), file: 'scale.yaml' },
        { manifest: hpa(DEPLOYMENT), file: 'scale.yaml' },
      ]),
    ).toEqual([
      [
        'error',
        'ScaledObject/serve/llm',
        expect.stringMatching(
          /^spec\.scaleTargetRef names apps\/v1\.Deployment llm, which HorizontalPodAutoscaler\/serve\/llm-backup also scales: KEDA's admission webhook refuses the ScaledObject \("the workload 'llm' … is already managed by the hpa 'llm-backup'"\), and where no webhook runs/,
        ),
      ],
    ]);
    // autoscaling/v1, the target's apiVersion and kind left to their defaults on one side
    const inBuild = found([
      { manifest: keda({ name: 'llm' }), file: 'k/keda.yaml', kustomizations: ['k'] },
      { manifest: hpa(DEPLOYMENT, 'autoscaling/v1'), file: 'k/hpa.yaml', kustomizations: ['k'] },
    ]);
    expect(inBuild.map((f) => f[0])).toEqual(['error']);
  });

  test('loose files of one folder nothing else delivers (kubectl apply -f <folder>) are applied together: an error', () => {
    const loose = found([
      { manifest: keda(DEPLOYMENT), file: 'deploy/keda.yaml' },
      { manifest: hpa(DEPLOYMENT), file: 'deploy/hpa.yaml' },
    ]);
    expect(loose).toEqual([
      [
        'error',
        'ScaledObject/serve/llm',
        "spec.scaleTargetRef names apps/v1.Deployment llm, which HorizontalPodAutoscaler/serve/llm-backup also scales: KEDA's admission webhook refuses the ScaledObject (\"the workload 'llm' … is already managed by the hpa 'llm-backup'\"), and where no webhook runs, or the ScaledObject is applied first, KEDA's own HPA and this one fight over the replicas: delete the HPA (KEDA makes its own from the ScaledObject; a CPU trigger in the ScaledObject replaces it), or let the ScaledObject take it over (annotation scaledobject.keda.sh/transfer-hpa-ownership: \"true\" and spec.advanced.horizontalPodAutoscalerConfig.name: llm-backup)",
      ],
    ]);
  });

  test('separate deliveries (two overlays, two folders) may be alternatives: a warning that says so', () => {
    const apart = found([
      { manifest: keda(DEPLOYMENT), file: 'keda/so.yaml', kustomizations: ['keda'] },
      { manifest: hpa(DEPLOYMENT), file: 'hpa/hpa.yaml', kustomizations: ['hpa'] },
    ]);
    expect(apart).toEqual([
      ['warning', 'ScaledObject/serve/llm', expect.stringContaining('the two are delivered apart (they may be alternatives), but where both are applied')],
    ]);
    const folders = found([
      { manifest: keda(DEPLOYMENT), file: 'keda/so.yaml' },
      { manifest: hpa(DEPLOYMENT), file: 'hpa/hpa.yaml' },
    ]);
    expect(folders.map((f) => f[0])).toEqual(['warning']);
  });

  test('the transfer annotation naming another HPA: the webhook asks for the HPA by name', () => {
    const so = keda(
      DEPLOYMENT,
      { annotations: { 'scaledobject.keda.sh/transfer-hpa-ownership': 'true' } },
      { advanced: { horizontalPodAutoscalerConfig: { name: 'keda-llm' } } },
    );
    const pair = found([
      { manifest: so, file: 'scale.yaml' },
      { manifest: hpa(DEPLOYMENT), file: 'scale.yaml' },
    ]);
    expect(pair).toEqual([
      [
        'error',
        'ScaledObject/serve/llm',
        expect.stringContaining(
          `("the existing hpa 'llm-backup' for workload 'llm' … must be specified by name in advanced settings to enable ownership transfer")`,
        ),
      ],
    ]);
  });

  test('near misses: another name, kind, apiVersion or namespace; the HPA exempted, owned by the ScaledObject, or handed over to it', () => {
    const pair = (so: Doc, h: Doc) =>
      found([
        { manifest: so, file: 'scale.yaml' },
        { manifest: h, file: 'scale.yaml' },
      ]);
    expect(pair(keda(DEPLOYMENT), hpa({ ...DEPLOYMENT, name: 'embed' }))).toEqual([]);
    expect(pair(keda(DEPLOYMENT), hpa({ ...DEPLOYMENT, kind: 'StatefulSet' }))).toEqual([]);
    expect(pair(keda(DEPLOYMENT), hpa({ ...DEPLOYMENT, apiVersion: 'argoproj.io/v1alpha1' }))).toEqual([]);
    expect(pair(keda(DEPLOYMENT), hpa(DEPLOYMENT, 'autoscaling/v2', { namespace: 'other' }))).toEqual([]);
    expect(pair(keda(DEPLOYMENT), hpa(DEPLOYMENT, 'autoscaling/v2', { annotations: { 'validations.keda.sh/hpa-ownership': 'false' } }))).toEqual([]);
    expect(
      pair(
        keda(DEPLOYMENT),
        hpa(DEPLOYMENT, 'autoscaling/v2', { ownerReferences: [{ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', name: 'llm', uid: 'x' }] }),
      ),
    ).toEqual([]);
    const handedOver = keda(
      DEPLOYMENT,
      { annotations: { 'scaledobject.keda.sh/transfer-hpa-ownership': 'true' } },
      { advanced: { horizontalPodAutoscalerConfig: { name: 'llm-backup' } } },
    );
    expect(pair(handedOver, hpa(DEPLOYMENT))).toEqual([]);
    // the annotation without the name hands nothing over
    expect(pair(keda(DEPLOYMENT, { annotations: { 'scaledobject.keda.sh/transfer-hpa-ownership': 'true' } }), hpa(DEPLOYMENT)).map((f) => f[0])).toEqual([
      'error',
    ]);
  });
});
