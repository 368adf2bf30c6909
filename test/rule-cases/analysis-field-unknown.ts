import { runChecks } from '../../lib';

type Doc = Record<string, unknown>;
const found = (docs: Doc[]) =>
  runChecks(docs.map((manifest) => ({ manifest })))
    .filter((f) => f.rule === 'analysis-field-unknown')
    .map((f) => [f.severity, f.object, f.message]);

const analysis = (spec: Doc, kind = 'AnalysisTemplate', apiVersion = 'argoproj.io/v1alpha1'): Doc => ({
  apiVersion,
  kind,
  metadata: { name: 'latency', ...(kind === 'AnalysisTemplate' ? { namespace: 'shop' } : {}) },
  spec,
});
const prometheus = { address: 'http://prometheus.monitoring:9090', query: 'scalar(sum(up))' };
const APPLY =
  "kubectl apply and Argo CD's sync refuse the object (strict field validation: unknown field), and an apply without validation has the API server drop it, so it never takes effect";

describe('analysis-field-unknown', () => {
  test("a metric's inconclusiveCondition: an error saying how Inconclusive comes about", () => {
    const metric = {
      name: 'p99',
      successCondition: 'result < 0.5',
      failureCondition: 'result > 1',
      inconclusiveCondition: 'result > 0.5',
      provider: { prometheus },
    };
    expect(found([analysis({ metrics: [metric] })])).toEqual([
      [
        'error',
        'AnalysisTemplate/shop/latency',
        `spec.metrics[0].inconclusiveCondition (metric 'p99') is no field of a Metric: ${APPLY}; ` +
          'a measurement is Inconclusive when successCondition and failureCondition are both set and neither holds, and inconclusiveLimit bounds how many are allowed: remove inconclusiveCondition',
      ],
    ]);
  });

  test('a misspelt field of a metric, of its provider and of the Prometheus block, in a ClusterAnalysisTemplate: the field meant named', () => {
    const metric = { name: 'p99', sucessCondition: 'result < 0.5', provider: { promethus: {}, prometheus: { ...prometheus, timout: 30 } } };
    expect(found([analysis({ metrics: [metric] }, 'ClusterAnalysisTemplate')]).map(([s, o, m]) => [s, o, m.split(':')[0]])).toEqual([
      [
        'error',
        'ClusterAnalysisTemplate/latency',
        "spec.metrics[0].provider.prometheus.timout (metric 'p99') is no field of a PrometheusMetric (did you mean timeout?)",
      ],
      [
        'error',
        'ClusterAnalysisTemplate/latency',
        "spec.metrics[0].provider.promethus (metric 'p99') is no field of a MetricProvider (did you mean prometheus?)",
      ],
      ['error', 'ClusterAnalysisTemplate/latency', "spec.metrics[0].sucessCondition (metric 'p99') is no field of a Metric (did you mean successCondition?)"],
    ]);
  });

  test('near misses: the fields of the types, another provider whose fields are not judged, another group', () => {
    const metric = {
      name: 'p99',
      interval: '1m',
      initialDelay: '30s',
      count: 5,
      successCondition: 'result < 0.5',
      failureCondition: 'result > 1',
      failureLimit: 1,
      inconclusiveLimit: 2,
      consecutiveErrorLimit: 3,
      consecutiveSuccessLimit: 2,
      provider: { prometheus: { ...prometheus, timeout: 30, insecure: true, headers: [] } },
    };
    expect(found([analysis({ args: [{ name: 'service' }], dryRun: [{ metricName: 'p99' }], metrics: [metric] })])).toEqual([]);
    expect(found([analysis({ metrics: [{ name: 'web', provider: { web: { url: 'http://x', jsonPathTypo: '{$.ok}' } } }] })])).toEqual([]);
    expect(found([analysis({ metrics: [{ name: 'p99', inconclusiveCondition: 'x', provider: {} }] }, 'AnalysisTemplate', 'example.com/v1')])).toEqual([]);
  });
});
