import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('hpa-metric-adapter-missing', docs);
const hpa = (metrics: Doc[]): Doc => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'chat', namespace: 'ai' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'chat' }, maxReplicas: 3, metrics },
});
const pods = (name: string): Doc => ({ type: 'Pods', pods: { metric: { name }, target: { type: 'AverageValue', averageValue: '5' } } });
const external = (name: string): Doc => ({ type: 'External', external: { metric: { name }, target: { type: 'Value', value: '5' } } });

describe('hpa-metric-adapter-missing', () => {
  test('a Pods metric in the Cloud Monitoring form with no adapter in the tree is a warning naming FailedGetPodsMetric', () => {
    expect(found([hpa([pods('prometheus.googleapis.com|vllm:num_requests_waiting|gauge')])])).toEqual([
      expect.stringMatching(
        /^warning HorizontalPodAutoscaler\/ai\/chat: Pods metric prometheus\.googleapis\.com\|vllm:num_requests_waiting\|gauge is a Cloud Monitoring metric .*reports FailedGetPodsMetric and never scales/,
      ),
    ]);
    expect(found([hpa([external('pubsub.googleapis.com|subscription|num_undelivered_messages')])])).toEqual([expect.stringMatching(/FailedGetExternalMetric/)]);
  });

  test('near misses: a Prometheus name, the adapter or an APIService of the metrics group in the tree', () => {
    expect(found([hpa([pods('vllm:num_requests_waiting')])])).toEqual([]);
    const apiService = {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1beta1.custom.metrics.k8s.io' },
      spec: { group: 'custom.metrics.k8s.io', version: 'v1beta1' },
    };
    expect(found([hpa([pods('prometheus.googleapis.com|vllm:num_requests_waiting|gauge')]), apiService])).toEqual([]);
  });
});
