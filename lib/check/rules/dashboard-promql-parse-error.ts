import { mapping, text } from '../../manifests/access';
import { grafanaInterpolated } from '../grafana-variables';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { dashboardJsonQueries, dashboardKeys, dashboardQueries, PrometheusQuery } from '../prometheus-queries';
import { promqlSyntaxError, syntaxFix, TEMPLATED_AFTER_GRAFANA } from '../promql-syntax';
import { Problem, Rule } from '../rule';

/**
 * The queries of the ConfigMap key a GrafanaDashboard's spec.configMapRef names (grafana-operator v5 api/v1beta1
 * GrafanaDashboardSpec.ConfigMapRef: a key selector of the dashboard's namespace), where that key is no dashboard the
 * ConfigMap's own check reads (dashboardKeys): said once, on the object that delivers it.
 */
function referencedQueries(o: GraphObject, graph: ObjectGraph): PrometheusQuery[] {
  const ref = mapping(mapping(o.manifest.spec).configMapRef);
  const [name, key] = [text(ref.name), text(ref.key)];
  const map = name && key ? graph.find('ConfigMap', name, graph.namespaceOf(o.manifest)) : undefined;
  const json = map && text(mapping(map.manifest.data)[key!]);
  if (!map || !json || dashboardKeys(map).includes(key!)) return [];
  return dashboardJsonQueries(json, `ConfigMap '${name}' data.${key} (spec.configMapRef)`);
}

/** The problems of each query that Prometheus's lexer refuses once Grafana has replaced its variables. */
function refused(queries: readonly PrometheusQuery[]): Problem[] {
  return queries.flatMap(({ where, query }) => {
    const interpolated = grafanaInterpolated(query);
    const error = promqlSyntaxError(interpolated, TEMPLATED_AFTER_GRAFANA);
    if (!error) return [];
    const at = query.includes('\n') ? `line ${error.line}, column ${error.column} of the query` : `column ${error.column}`;
    const variables = interpolated === query ? '' : ' (its Grafana variables replaced, as Grafana replaces them before sending it)';
    return [
      {
        message:
          `${where} is not PromQL${variables}: Prometheus's parser stops at ${at} with "parse error: ${error.message}", ` +
          `so the panel shows that error (HTTP 400 bad_data) instead of data whenever the dashboard is opened; ${syntaxFix(error.message)}`,
      },
    ];
  });
}

export const dashboardPromqlParseError: Rule = {
  id: 'dashboard-promql-parse-error',
  title:
    "a Grafana dashboard panel's PromQL that Prometheus's parser refuses (unbalanced delimiters, a string left open): the panel shows an error, never data",
  severity: 'warning',
  appliesTo: ['ConfigMap', 'GrafanaDashboard'],
  premise:
    "a Prometheus query target (panels[].targets[].expr, rows' nested panels included; a target or panel whose datasource is of another type, Loki's LogQL among them, is passed over) of a Grafana dashboard delivered as a ConfigMap labeled grafana_dashboard (the Grafana sidecar's default label) or as a `*.json` key of a ConfigMap, " +
    "or as a grafana-operator GrafanaDashboard's spec.json or the ConfigMap key its spec.configMapRef names, in which Prometheus's lexer finds a delimiter error (as promql-parse-error judges); " +
    "Grafana's template variables ($var, ${var}, ${var:format}, [[var]], $__rate_interval, $__interval) are replaced before the query is read, as Grafana replaces them, and never reported; a query still holding a template ({{ }}, <<.Series>>) is not judged. " +
    'A warning: a broken panel is no failed workload',
  example:
    'a ConfigMap labeled `grafana_dashboard` whose panel query `sum(rate(vllm:request_success_total` ends `[$__rate_interval])))`, a parenthesis too many',
  fix: "balance the panel query's parentheses, braces and brackets, and close its strings",
  source:
    'prometheus promql/parser/lex.go (the delimiter errors promql-parse-error ports); grafana public/app/features/variables/utils.ts variableRegex and TemplateSrv.replace (variables replaced before the data source sends the query); kiwigrid k8s-sidecar as the grafana Helm chart sets it (sidecar.dashboards.label grafana_dashboard); grafana-operator api/v1beta1 GrafanaDashboardSpec (json, configMapRef)',
  check(o, { graph }) {
    return refused([...dashboardQueries(o), ...(o.manifest.kind === 'GrafanaDashboard' ? referencedQueries(o, graph) : [])]);
  },
};
