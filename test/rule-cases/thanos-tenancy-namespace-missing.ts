import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('thanos-tenancy-namespace-missing', docs);

const scaled = (kind: string, metadata: Doc): Doc => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind,
  metadata: { name: 'chat-load', namespace: 'ai' },
  spec: {
    ...(kind === 'ScaledObject'
      ? { scaleTargetRef: { name: 'chat' } }
      : { jobTargetRef: { template: { spec: { containers: [{ name: 'w', image: 'busybox' }] } } } }),
    triggers: [
      { type: 'cpu', metadata: { value: '80' } },
      { type: 'prometheus', metadata: { threshold: '4', query: 'sum(vllm:num_requests_waiting)', ...metadata } },
    ],
  },
});
const TENANCY = 'https://thanos-querier.openshift-monitoring.svc.cluster.local:9092';

describe('thanos-tenancy-namespace-missing', () => {
  test('the tenancy port without metadata.namespace is an error on the trigger, for a ScaledObject and a ScaledJob', () => {
    expect(found([scaled('ScaledObject', { serverAddress: TENANCY })])).toEqual([
      expect.stringMatching(
        /^error ScaledObject\/ai\/chat-load: spec\.triggers\[1\] queries https:\/\/thanos-querier\.openshift-monitoring\.svc\.cluster\.local:9092, the tenancy port .*without metadata\.namespace.*400 Bad Request.*never scales.*port 9091/,
      ),
    ]);
    expect(found([scaled('ScaledJob', { serverAddress: 'https://thanos-querier.openshift-monitoring.svc:9092/' })])).toEqual([
      expect.stringMatching(/^error ScaledJob\/ai\/chat-load: spec\.triggers\[1\] .*tenancy port/),
    ]);
    expect(found([scaled('ScaledObject', { serverAddress: 'https://thanos-querier.openshift-monitoring:9092', queryParameters: 'step=30s' })])).toHaveLength(1);
  });

  test('near misses: the namespace given, the cluster-wide port, another Prometheus, a templated address', () => {
    expect(found([scaled('ScaledObject', { serverAddress: TENANCY, namespace: 'ai' })])).toEqual([]);
    expect(found([scaled('ScaledObject', { serverAddress: TENANCY, queryParameters: 'namespace=ai,step=30s' })])).toEqual([]);
    expect(found([scaled('ScaledObject', { serverAddress: 'https://thanos-querier.openshift-monitoring.svc.cluster.local:9091' })])).toEqual([]);
    expect(found([scaled('ScaledObject', { serverAddress: 'http://thanos-querier.monitoring.svc:9092' })])).toEqual([]);
    expect(found([scaled('ScaledObject', { serverAddress: 'https://{{ .Values.thanosHost }}:9092' })])).toEqual([]);
  });
  test("KServe's KEDA autoscaling: an external prometheus metric on the tenancy port without metric.namespace is an error on the InferenceService", () => {
    const isvc = (metric: Doc, annotations: Doc = { 'serving.kserve.io/autoscalerClass': 'keda' }): Doc => ({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'chat', namespace: 'ai', annotations },
      spec: {
        predictor: {
          autoScaling: {
            metrics: [{ type: 'External', external: { metric: { backend: 'prometheus', query: 'sum(x)', ...metric }, target: { type: 'Value', value: '1' } } }],
          },
          model: { modelFormat: { name: 'vLLM' } },
        },
      },
    });
    expect(found([isvc({ serverAddress: 'https://thanos-querier.openshift-monitoring.svc:9092' })])).toEqual([
      expect.stringMatching(
        /^error InferenceService\/ai\/chat: spec\.predictor\.autoScaling\.metrics\[0\]\.external queries https:\/\/thanos-querier\.openshift-monitoring\.svc:9092, the tenancy port .*without spec\.predictor\.autoScaling\.metrics\[0\]\.external\.metric\.namespace.*ScaledObject KServe makes/,
      ),
    ]);
    // near misses: the namespace given, port 9091, another backend, no KEDA autoscaler class
    expect(found([isvc({ serverAddress: 'https://thanos-querier.openshift-monitoring.svc:9092', namespace: 'ai' })])).toEqual([]);
    expect(found([isvc({ serverAddress: 'https://thanos-querier.openshift-monitoring.svc:9091' })])).toEqual([]);
    expect(found([isvc({ backend: 'graphite', serverAddress: 'https://thanos-querier.openshift-monitoring.svc:9092' })])).toEqual([]);
    expect(found([isvc({ serverAddress: 'https://thanos-querier.openshift-monitoring.svc:9092' }, {})])).toEqual([]);
  });
});
