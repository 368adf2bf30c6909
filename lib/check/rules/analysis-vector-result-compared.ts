import { mapping, mappings, text } from '../../manifests/access';
import { apiGroupOf } from '../../k8s/api-version';
import { Problem, Rule } from '../rule';

/**
 * `result` itself as an operand of a comparison or arithmetic: not indexed (`result[0]`), not a field or call, not
 * compared with nil (which a list may be). expr-lang's operators (utils/evaluate/evaluate.go compiles the condition
 * with result in its environment).
 */
const BARE_BEFORE = /(?<![\w.#\]])result\s*(<=|>=|==|!=|<|>|\*|\/|\+|-)(?!\s*nil\b)/;
const BARE_AFTER = /(<=|>=|==|!=|<|>|\*|\/|\+)\s*result\b(?!\s*[[.(])/;

/** A query whose result is a scalar, which the provider gives as one number: `scalar(...)` or a number literal. */
const SCALAR_QUERY = /^\s*(scalar\s*\(|[0-9.]+\s*$)/;

/** The comparison a condition makes of the bare result, as written, or undefined. */
function bareComparison(condition: string): string | undefined {
  const hit = BARE_BEFORE.exec(condition) ?? BARE_AFTER.exec(condition);
  return hit ? hit[1] : undefined;
}

/** Each Prometheus metric whose condition uses the list its vector query gives as one number. */
function vectorProblems(spec: Record<string, unknown>): Problem[] {
  return mappings(spec.metrics).flatMap((m, i) => {
    const prometheus = mapping(mapping(m.provider).prometheus);
    const query = text(prometheus.query);
    if (query === undefined || (SCALAR_QUERY.test(query) && prometheus.rangeQuery === undefined)) return [];
    const of = text(m.name) ? ` (metric '${text(m.name)}')` : '';
    return ['successCondition', 'failureCondition'].flatMap((field) => {
      const condition = text(m[field]);
      const op = condition === undefined ? undefined : bareComparison(condition);
      if (condition === undefined || op === undefined) return [];
      const list = prometheus.rangeQuery === undefined ? 'one number per series of the vector the query returns' : 'every sample of the range query';
      return [
        {
          message:
            `spec.metrics[${i}].${field}${of} '${condition}' uses result as one number, but Argo Rollouts' Prometheus provider gives result as a list (${list}) unless the query returns a scalar, ` +
            `so the expression fails (invalid operation: ${op} with mismatched types []float64 and float64) and every measurement is an Error; after consecutiveErrorLimit errors (4 by default) the analysis errors and the rollout aborts: ` +
            'index the list (result[0]), test each value (all(result, {# < 0.05})), or wrap the query in scalar(...)',
        },
      ];
    });
  });
}

export const analysisVectorResultCompared: Rule = {
  id: 'analysis-vector-result-compared',
  title:
    "an Argo Rollouts Prometheus metric's successCondition or failureCondition uses `result` as one number where the query returns a vector, which the provider gives as a list: every measurement errors",
  severity: 'warning',
  appliesTo: ['AnalysisTemplate', 'ClusterAnalysisTemplate'],
  scope: 'object',
  premise:
    'an argoproj.io AnalysisTemplate or ClusterAnalysisTemplate metric with provider.prometheus.query whose successCondition or failureCondition uses the bare `result` as an operand of a comparison or arithmetic (`result < 0.05`, not `result[0]`, `len(result)`, `all(result, ...)` or a comparison with nil), where the query is not clearly a scalar (a query beginning with scalar( or a number; a rangeQuery always gives a list); a warning: a query may return a scalar in a way the text does not show',
  example: '`successCondition: result < 0.05` with `query: sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))`',
  fix: 'write result[0] (the first series) or all(result, {# < 0.05}) in the condition, or wrap the query in scalar(...)',
  source:
    'argoproj/argo-rollouts metricproviders/prometheus/prometheus.go processResponse (a Scalar as a float64, a Vector or Matrix as a []float64 of its samples), utils/evaluate/evaluate.go (EvaluateResult: an evaluation error makes the measurement Error), metricproviders/prometheus/prometheus_test.go (vector responses tested with "result[0] == 10"), utils/defaults/defaults.go (DefaultConsecutiveErrorLimit 4)',
  check(o) {
    if (apiGroupOf(o.manifest.apiVersion) !== 'argoproj.io') return [];
    return vectorProblems(mapping(o.manifest.spec));
  },
};
