import { runChecks } from '../../lib';

type Doc = Record<string, unknown>;
const found = (docs: Doc[]) =>
  runChecks(docs.map((manifest) => ({ manifest })))
    .filter((f) => f.rule === 'analysis-vector-result-compared')
    .map((f) => [f.severity, f.object, f.message]);

const VECTOR = 'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))';
const analysis = (metric: Doc): Doc => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisTemplate',
  metadata: { name: 'error-rate', namespace: 'shop' },
  spec: { metrics: [{ name: 'errors', ...metric }] },
});
const prometheus = (query: string, more: Doc = {}): Doc => ({ provider: { prometheus: { address: 'http://prometheus.monitoring:9090', query, ...more } } });
const FIX = 'index the list (result[0]), test each value (all(result, {# < 0.05})), or wrap the query in scalar(...)';

describe('analysis-vector-result-compared', () => {
  test('result compared as a number where the query returns a vector: a warning', () => {
    expect(found([analysis({ successCondition: 'result < 0.05', ...prometheus(VECTOR) })])).toEqual([
      [
        'warning',
        'AnalysisTemplate/shop/error-rate',
        "spec.metrics[0].successCondition (metric 'errors') 'result < 0.05' uses result as one number, but Argo Rollouts' Prometheus provider gives result as a list (one number per series of the vector the query returns) unless the query returns a scalar, " +
          'so the expression fails (invalid operation: < with mismatched types []float64 and float64) and every measurement is an Error; after consecutiveErrorLimit errors (4 by default) the analysis errors and the rollout aborts: ' +
          FIX,
      ],
    ]);
  });

  test('a failureCondition with the number first, and a range query (a list even of a scalar)', () => {
    expect(found([analysis({ failureCondition: '0.9 > result', ...prometheus(VECTOR) })]).map(([, , m]) => m.split(' uses ')[0])).toEqual([
      "spec.metrics[0].failureCondition (metric 'errors') '0.9 > result'",
    ]);
    const range = prometheus('scalar(sum(up))', { rangeQuery: { start: 'now() - duration("5m")', end: 'now()', step: '1m' } });
    expect(found([analysis({ successCondition: 'result >= 1', ...range })]).map(([, , m]) => /a list \(([^)]*)\)/.exec(m)?.[1])).toEqual([
      'every sample of the range query',
    ]);
  });

  test('near misses: an indexed or iterated result, a nil test, a scalar query, another provider', () => {
    expect(found([analysis({ successCondition: 'result[0] < 0.05', ...prometheus(VECTOR) })])).toEqual([]);
    expect(found([analysis({ successCondition: 'all(result, {# < 0.05})', failureCondition: 'len(result) == 0', ...prometheus(VECTOR) })])).toEqual([]);
    expect(found([analysis({ successCondition: 'result != nil && result[0] < 0.05', ...prometheus(VECTOR) })])).toEqual([]);
    expect(found([analysis({ successCondition: 'result < 0.05', ...prometheus(`scalar(${VECTOR})`) })])).toEqual([]);
    expect(found([analysis({ successCondition: 'result < 0.05', provider: { web: { url: 'http://checker/rate' } } })])).toEqual([]);
  });
});
