import { analysisQueries, prometheusQueries } from '../prometheus-queries';
import { promqlSyntaxError, syntaxFix } from '../promql-syntax';
import { GraphObject } from '../graph-object';
import { Problem, Rule } from '../rule';

/** What follows when Prometheus refuses the query, by the object that hands it over. */
function consequence(o: GraphObject, where: string): string {
  switch (o.manifest.kind) {
    case 'ScaledObject':
    case 'ScaledJob':
      return "Prometheus answers every query with HTTP 400 (bad_data), so KEDA's prometheus scaler errors on every poll and the trigger never gives a value: the workload is not scaled on it";
    case 'PrometheusRule':
      return "prometheus-operator refuses the PrometheusRule (its admission webhook, or it leaves it out of Prometheus's rule files), so none of its rules is ever evaluated: the alerts never fire";
    case 'ConfigMap':
      return /seriesQuery|metricsQuery/.test(where)
        ? 'prometheus-adapter gets an error for every request of the metric this rule serves, so an HPA on it cannot read it (FailedGetPodsMetric, FailedGetExternalMetric) and never scales'
        : 'a Prometheus loading this rule file refuses it (the rule groups fail to load): its alerts never fire and its records are never written';
    default:
      return 'Prometheus answers with HTTP 400 (bad_data), so every measurement of the metric errors and Argo Rollouts ends the analysis as Error, aborting the rollout';
  }
}

function judged(o: GraphObject): Problem[] {
  return [...prometheusQueries(o), ...analysisQueries(o)].flatMap(({ where, query }) => {
    const error = promqlSyntaxError(query);
    if (!error) return [];
    const at = query.includes('\n') ? `line ${error.line}, column ${error.column} of the query` : `column ${error.column}`;
    return [
      {
        message: `${where} is not PromQL: Prometheus's parser stops at ${at} with "parse error: ${error.message}": ${consequence(o, where)}; ${syntaxFix(error.message)}`,
      },
    ];
  });
}

export const promqlParseError: Rule = {
  id: 'promql-parse-error',
  title:
    "a PromQL query Prometheus's parser refuses (unbalanced parentheses, braces or brackets, a string left open): the scaler, rule or analysis that sends it never gets a value",
  severity: 'error',
  appliesTo: ['ScaledObject', 'ScaledJob', 'PrometheusRule', 'ConfigMap', 'AnalysisTemplate', 'ClusterAnalysisTemplate', 'AnalysisRun'],
  scope: 'object',
  premise:
    "a query handed to Prometheus: a KEDA prometheus trigger's metadata.query (ScaledObject, ScaledJob), a PrometheusRule's expr, a Prometheus rule file's expr or a prometheus-adapter rule's seriesQuery and metricsQuery in a ConfigMap, an Argo Rollouts analysis metric's provider.prometheus.query (AnalysisTemplate, ClusterAnalysisTemplate, AnalysisRun), in which Prometheus's lexer finds a delimiter error: a `)` with no `(` open (unexpected right parenthesis), a `(` never closed (unclosed left parenthesis), a `]` with no `[` open, a `[` inside brackets or never closed, a `{` inside braces, braces never closed, a `}` outside braces, a quoted string never closed (strings and # comments read as the lexer reads them); " +
    'queries holding a template (`{{ }}` of Argo Rollouts arguments or Helm, `<<.Series>>` of prometheus-adapter, `$VAR`) are not judged, nor the rest of the grammar',
  example: '`query: sum(rate(vllm:e2e_request_latency_seconds_count[2m])))` in a KEDA prometheus trigger',
  fix: "balance the query's parentheses, braces and brackets, and close its strings",
  source:
    'prometheus promql/parser/lex.go (lexStatements: "unexpected right parenthesis", "unclosed left parenthesis", "unclosed left bracket", "unexpected right bracket", "unexpected left bracket"; lexInsideBraces: "unexpected end of input inside braces", "unexpected left brace"; lexString: "unterminated quoted string") with the cases of promql/parser/parse_test.go; the Prometheus HTTP API answers a query that does not parse with 400 bad_data; KEDA pkg/scalers/prometheus_scaler.go (the query error is the scaler error); Argo Rollouts metricproviders/prometheus (a query error is a measurement Error)',
  check(o) {
    return judged(o);
  },
};
