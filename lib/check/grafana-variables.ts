/**
 * Grafana's template variables in a panel's query: `$var`, `${var}`, `${var:format}`, `${var.field}`, `[[var]]`,
 * `[[var:format]]`, and the built-ins (`$__rate_interval`, `$__interval`, `$__range`), which Grafana replaces before the
 * data source sees the query (grafana public/app/features/variables/utils.ts variableRegex, used by
 * TemplateSrv.replace).
 */
const GRAFANA_VARIABLE = /\$(\w+)|\[\[([\s\S]+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}/g;

/**
 * The query with each Grafana variable replaced, as Grafana replaces it before Prometheus reads it, by a word of the
 * same length: balanced as any value Grafana puts there (a label value, a duration, a multi-value's `(a|b)` group) is,
 * so that only the query's own delimiters are judged, at the lines and columns of the query as written.
 */
export function grafanaInterpolated(query: string): string {
  return query.replace(GRAFANA_VARIABLE, (variable) => variable.replace(/[^\n]/g, 'x'));
}
