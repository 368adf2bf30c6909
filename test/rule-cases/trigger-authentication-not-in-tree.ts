import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('trigger-authentication-not-in-tree', docs);
const scaler = (authenticationRef: Doc): Doc => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'workers', namespace: 'ai' },
  spec: {
    scaleTargetRef: { name: 'w' },
    triggers: [{ type: 'prometheus', metadata: { serverAddress: 'http://p:9090', query: 'sum(x)', threshold: '1' }, authenticationRef }],
  },
});
const auth = (kind: string, namespace?: string): Doc => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind,
  metadata: { name: 'reader', ...(namespace ? { namespace } : {}) },
  spec: { secretTargetRef: [{ parameter: 'bearerToken', name: 't', key: 'token' }] },
});
const isvc = (annotations: Doc): Doc => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'chat', namespace: 'ai', annotations },
  spec: {
    predictor: {
      autoScaling: {
        metrics: [
          {
            type: 'External',
            external: {
              authenticationRef: { authModes: 'bearer', authenticationRef: { name: 'reader' } },
              metric: { backend: 'prometheus', serverAddress: 'https://thanos-querier.openshift-monitoring.svc:9091', query: 'sum(x)' },
              target: { type: 'Value', value: '1' },
            },
          },
        ],
      },
      model: { modelFormat: { name: 'vLLM' } },
    },
  },
});

describe('trigger-authentication-not-in-tree', () => {
  test("a trigger's TriggerAuthentication missing from its namespace: a warning naming the one of another namespace", () => {
    expect(found([scaler({ name: 'reader' }), auth('TriggerAuthentication', 'other')])).toEqual([
      expect.stringMatching(
        /^warning ScaledObject\/ai\/workers: spec\.triggers\[0\]\.authenticationRef names TriggerAuthentication 'reader', which is not in the tree in namespace 'ai' \(the tree has one in namespace 'other'.*error getting triggerAuth/,
      ),
    ]);
    expect(found([scaler({ name: 'reader', kind: 'ClusterTriggerAuthentication' }), auth('TriggerAuthentication', 'ai')])).toEqual([
      expect.stringMatching(/^warning .*names ClusterTriggerAuthentication 'reader', which is not in the tree in the cluster/),
    ]);
  });

  test("an InferenceService KServe scales through KEDA: its external metric's authenticationRef is read as a TriggerAuthentication", () => {
    expect(found([isvc({ 'serving.kserve.io/autoscalerClass': 'keda' })])).toEqual([
      expect.stringMatching(
        /^warning InferenceService\/ai\/chat: spec\.predictor\.autoScaling\.metrics\[0\]\.external\.authenticationRef names TriggerAuthentication 'reader'/,
      ),
    ]);
  });

  test('near misses: held in the namespace, namespace-less, a ClusterTriggerAuthentication of the tree, no KEDA class', () => {
    expect(found([scaler({ name: 'reader' }), auth('TriggerAuthentication', 'ai')])).toEqual([]);
    expect(found([scaler({ name: 'reader' }), auth('TriggerAuthentication')])).toEqual([]);
    expect(found([scaler({ name: 'reader', kind: 'ClusterTriggerAuthentication' }), auth('ClusterTriggerAuthentication')])).toEqual([]);
    expect(found([isvc({})])).toEqual([]);
    expect(found([isvc({ 'serving.kserve.io/autoscalerClass': 'keda' }), auth('TriggerAuthentication', 'ai')])).toEqual([]);
  });
});
