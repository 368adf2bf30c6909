import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const namespace = (labels: Record<string, string> = {}): Doc => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kubeflow', labels } });
const isvc = (storageUri?: string): Doc => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'churn', namespace: 'kubeflow' },
  spec: { predictor: { model: { modelFormat: { name: 'sklearn' }, ...(storageUri ? { storageUri } : {}) } } },
});

describe('storage-initializer-skipped', () => {
  test("a storageUri in a namespace labelled control-plane is an error: KServe's pod webhook skips it", () => {
    expect(ruleFindings('storage-initializer-skipped', [namespace({ 'control-plane': 'kubeflow' }), isvc('s3://models/churn')])).toEqual([
      expect.stringMatching(
        /^error InferenceService\/kubeflow\/churn: spec\.predictor\.model\.storageUri 's3:\/\/models\/churn', .*carries control-plane: kubeflow: .*injects no storage-initializer/,
      ),
    ]);
    expect(ruleFindings('storage-initializer-skipped', [namespace({ 'control-plane': '' }), isvc('pvc://churn-models/v1')])).toEqual([
      expect.stringMatching(/mounts no claim of the pvc:\/\/ URI/),
    ]);
  });

  test("namespace kubeflow that the tree does not define is a warning: Kubeflow's install labels it control-plane", () => {
    expect(ruleFindings('storage-initializer-skipped', [isvc('hf://org/model')])).toEqual([
      expect.stringMatching(/^warning InferenceService\/kubeflow\/churn: .*which Kubeflow's install makes with the label control-plane: kubeflow/),
    ]);
  });

  test('near misses: no label, no storageUri, a platform the webhook was not verified for', () => {
    expect(ruleFindings('storage-initializer-skipped', [namespace({ team: 'churn' }), isvc('s3://models/churn')])).toEqual([]);
    expect(ruleFindings('storage-initializer-skipped', [namespace({ 'control-plane': 'kubeflow' }), isvc()])).toEqual([]);
    expect(ruleFindings('storage-initializer-skipped', [namespace({ 'control-plane': 'kubeflow' }), isvc('s3://models/churn')], 'rhoai-3.0')).toEqual([]);
  });
});
