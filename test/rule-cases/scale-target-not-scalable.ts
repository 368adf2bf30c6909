import { ruleFindings } from '../util';

/** scale-target-not-scalable: an autoscaler pointed at a kind with no /scale subresource scales nothing. */
type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('scale-target-not-scalable', docs);

const hpa = (scaleTargetRef: Doc): Doc => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'load', namespace: 'ai' },
  spec: { scaleTargetRef, minReplicas: 1, maxReplicas: 3 },
});
const scaledObject = (scaleTargetRef: Doc): Doc => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'load', namespace: 'ai' },
  spec: { scaleTargetRef, triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '60' } }] },
});
const crd = (group: string, kind: string, subresources: Doc): Doc => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${kind.toLowerCase()}s.${group}` },
  spec: {
    group,
    names: { kind, plural: `${kind.toLowerCase()}s` },
    scope: 'Namespaced',
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } }, subresources }],
  },
});

describe('scale-target-not-scalable', () => {
  test('an HPA on a Knative Service: an error that says Knative scales its own revisions', () => {
    expect(found([hpa({ apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'iris-predictor' })])).toEqual([
      expect.stringMatching(
        /^error HorizontalPodAutoscaler\/ai\/load: spec\.scaleTargetRef names serving\.knative\.dev\/v1 Service 'iris-predictor', a kind with no scale subresource .*FailedGetScale.*Knative scales the revisions of its Service itself .*autoscaling\.knative\.dev annotations/,
      ),
    ]);
  });

  test('a ScaledObject on an InferenceService: an error naming KEDA’s refusal and KServe’s own scaling fields', () => {
    expect(found([scaledObject({ apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', name: 'chat' })])).toEqual([
      expect.stringMatching(
        /^error ScaledObject\/ai\/load: .*"Target resource doesn't expose \/scale subresource".*minReplicas, maxReplicas, scaleMetric and scaleTarget/,
      ),
    ]);
  });

  test('built-in kinds without replicas: a DaemonSet, a Job', () => {
    expect(found([hpa({ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'exporter' })])).toEqual([
      expect.stringMatching(/^error .*a DaemonSet runs one pod per node/),
    ]);
    expect(found([scaledObject({ apiVersion: 'batch/v1', kind: 'Job', name: 'batch' })])).toEqual([expect.stringMatching(/^error .*ScaledJob/)]);
  });

  test('a CRD of the tree decides: without subresources.scale an error, with it none', () => {
    const target = { apiVersion: 'example.com/v1', kind: 'Worker', name: 'w' };
    expect(found([crd('example.com', 'Worker', { status: {} }), hpa(target)])).toEqual([
      expect.stringMatching(/its CustomResourceDefinition in the tree declares no subresources\.scale\): .*add subresources\.scale to the CRD/),
    ]);
    const scale = { scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } };
    expect(found([crd('example.com', 'Worker', scale), hpa(target)])).toEqual([]);
  });

  test('near misses: scalable kinds, a ScaledObject without kind (a Deployment), a kind the check does not know', () => {
    expect(found([hpa({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'chat' })])).toEqual([]);
    expect(found([hpa({ apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', name: 'big' })])).toEqual([]);
    expect(found([scaledObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'chat' })])).toEqual([]);
    expect(found([scaledObject({ name: 'chat-predictor' })])).toEqual([]);
    expect(found([hpa({ apiVersion: 'kubeflow.org/v1', kind: 'Notebook', name: 'nb' })])).toEqual([]);
    // the Service of the core group is another kind than Knative's
    expect(found([hpa({ apiVersion: 'serving.knative.dev/v1', kind: 'Deployment', name: 'x' })])).toEqual([]);
  });
});
