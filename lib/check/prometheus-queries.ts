import { isMapping, Loose, mapping, mappings, text } from '../manifests/access';
import { parseOne } from '../manifests/yaml-documents';
import { GraphObject } from './graph-object';

/** A PromQL expression an object gives Prometheus, and the field that holds it. */
export interface PrometheusQuery {
  readonly where: string;
  readonly query: string;
}

/** The adapter rule lists of prometheus-adapter's config (kubernetes-sigs/prometheus-adapter pkg/config: rules, externalRules, resourceRules is no list). */
const ADAPTER_RULE_LISTS = ['rules', 'externalRules'] as const;

/** seriesQuery and metricsQuery of each prometheus-adapter rule in a config mapping. */
function adapterQueries(config: Loose, where: string): PrometheusQuery[] {
  return ADAPTER_RULE_LISTS.flatMap((list) =>
    mappings(config[list]).flatMap((rule, i) =>
      (['seriesQuery', 'metricsQuery'] as const).flatMap((field) => {
        const query = text(rule[field]);
        return query ? [{ where: `${where} ${list}[${i}].${field}`, query }] : [];
      }),
    ),
  );
}

/** The expr of each rule of Prometheus rule groups (`groups[].rules[]`, prometheus/prometheus model/rulefmt RuleGroups). */
function ruleGroupQueries(groups: unknown, where: string): PrometheusQuery[] {
  return mappings(groups).flatMap((g, gi) =>
    mappings(g.rules).flatMap((r, ri) => {
      const query = text(r.expr);
      return query ? [{ where: `${where}groups[${gi}].rules[${ri}].expr`, query }] : [];
    }),
  );
}

/** The names the recording rules of Prometheus rule groups make (`record:`). */
function recordedNames(groups: unknown): string[] {
  return mappings(groups).flatMap((g) => mappings(g.rules).flatMap((r) => text(r.record) ?? []));
}

/** The data values of a ConfigMap that parse as a mapping, by key. */
function parsedData(o: GraphObject, holds: RegExp): [string, Loose][] {
  return Object.entries(mapping(o.manifest.data)).flatMap(([key, value]): [string, Loose][] => {
    if (typeof value !== 'string' || !holds.test(value)) return [];
    const parsed = parseOne(value);
    return 'value' in parsed && isMapping(parsed.value) ? [[key, parsed.value]] : [];
  });
}

/**
 * The queries of a ConfigMap: a prometheus-adapter config (a data value with seriesQuery), and a Prometheus rule file
 * (a data value whose `groups` hold `rules`), which a Prometheus mounting it loads through rule_files.
 */
function configMapQueries(o: GraphObject): PrometheusQuery[] {
  return parsedData(o, /seriesQuery|groups\s*:/).flatMap(([key, config]) => [
    ...adapterQueries(config, `data.${key}`),
    ...ruleGroupQueries(config.groups, `data.${key} `),
  ]);
}

/** The names the recording rules of an object make: a PrometheusRule's, or those of the rule files a ConfigMap holds. */
export function recordedSeries(o: GraphObject): string[] {
  if (o.manifest.kind === 'PrometheusRule') return recordedNames(mapping(o.manifest.spec).groups);
  if (o.manifest.kind === 'ConfigMap') return parsedData(o, /groups\s*:/).flatMap(([, config]) => recordedNames(config.groups));
  return [];
}

/**
 * The PromQL an object hands to Prometheus: a KEDA prometheus trigger's query (ScaledObject, ScaledJob), a
 * PrometheusRule's expr, a prometheus-adapter config's seriesQuery and metricsQuery and a Prometheus rule file's expr
 * (their ConfigMaps). Empty for any other.
 */
export function prometheusQueries(o: GraphObject): PrometheusQuery[] {
  const spec = mapping(o.manifest.spec);
  switch (o.manifest.kind) {
    case 'ScaledObject':
    case 'ScaledJob':
      return mappings(spec.triggers).flatMap((t, i) => {
        const query = t.type === 'prometheus' ? text(mapping(t.metadata).query) : undefined;
        return query ? [{ where: `spec.triggers[${i}].metadata.query`, query }] : [];
      });
    case 'PrometheusRule':
      return ruleGroupQueries(spec.groups, 'spec.');
    case 'ConfigMap':
      return configMapQueries(o);
    default:
      return [];
  }
}

/** The kinds of Argo Rollouts that hold analysis metrics (argoproj.io AnalysisTemplate, ClusterAnalysisTemplate, AnalysisRun: spec.metrics). */
const ANALYSIS_KINDS = ['AnalysisTemplate', 'ClusterAnalysisTemplate', 'AnalysisRun'];

/** The query of each Prometheus metric of an Argo Rollouts analysis (spec.metrics[].provider.prometheus.query). Empty for any other object. */
export function analysisQueries(o: GraphObject): PrometheusQuery[] {
  if (!ANALYSIS_KINDS.includes(String(o.manifest.kind)) || !String(o.manifest.apiVersion ?? '').startsWith('argoproj.io/')) return [];
  return mappings(mapping(o.manifest.spec).metrics).flatMap((m, i) => {
    const query = text(mapping(mapping(m.provider).prometheus).query);
    return query ? [{ where: `spec.metrics[${i}].provider.prometheus.query`, query }] : [];
  });
}

/**
 * The label Grafana's dashboard sidecar (kiwigrid k8s-sidecar, as the grafana Helm chart sets it: sidecar.dashboards.label)
 * loads dashboards from: each data value of a ConfigMap so labeled is a dashboard file.
 */
const GRAFANA_DASHBOARD_LABEL = 'grafana_dashboard';

/**
 * A data source Grafana names that is not Prometheus: a `{ type }` other than prometheus, or a name of another kind's
 * usual words (a Loki panel's expr is LogQL). A panel of no stated source, or a variable's, is taken as Prometheus.
 */
function otherSource(datasource: unknown): boolean {
  const type = text(mapping(datasource).type);
  if (type) return type !== 'prometheus' && !type.startsWith('$');
  const name = text(datasource) ?? '';
  return /loki|tempo|elastic|influx|graphite|postgres|mysql|cloudwatch|jaeger|zipkin|-- (grafana|mixed|dashboard) --/i.test(name);
}

/**
 * The expr of every Prometheus query target of a dashboard's panels, rows' nested panels included (Grafana's dashboard
 * JSON model: panels[].targets[].expr; a target's datasource overrides its panel's).
 */
function panelExprs(panels: unknown, where: string): PrometheusQuery[] {
  return mappings(panels).flatMap((panel, pi) => [
    ...mappings(panel.targets).flatMap((target, ti) => {
      const query = text(target.expr);
      const source = target.datasource ?? panel.datasource;
      return query && !otherSource(source) ? [{ where: `${where}panels[${pi}].targets[${ti}].expr`, query }] : [];
    }),
    ...panelExprs(panel.panels, `${where}panels[${pi}].`),
  ]);
}

/**
 * The PromQL of a dashboard's JSON text: its panels at the top or under `dashboard` (as Grafana's import API takes
 * it); empty where the text is no JSON or has no panels. `where` names the field holding the text.
 */
export function dashboardJsonQueries(json: string, where: string): PrometheusQuery[] {
  if (!json.includes('"panels"')) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  const board = mapping(parsed);
  const panels = board.panels ?? mapping(board.dashboard).panels;
  return panelExprs(panels, `${where} ${board.panels ? '' : 'dashboard.'}`);
}

/**
 * The data keys of a ConfigMap that hold Grafana dashboards: every key of a ConfigMap labeled grafana_dashboard, and
 * any `*.json` key.
 */
export function dashboardKeys(o: GraphObject): string[] {
  if (o.manifest.kind !== 'ConfigMap') return [];
  const labeled = GRAFANA_DASHBOARD_LABEL in mapping(mapping(o.manifest.metadata).labels);
  return Object.keys(mapping(o.manifest.data)).filter((key) => labeled || key.endsWith('.json'));
}

/** grafana-operator's API groups: v5's grafana.integreatly.org, v4's integreatly.org. */
const GRAFANA_OPERATOR_API = /^(grafana\.)?integreatly\.org\//;

/**
 * The PromQL of the Grafana dashboards an object ships: the dashboard data values of a ConfigMap (dashboardKeys), and
 * a grafana-operator GrafanaDashboard's spec.json. Empty for any other object.
 */
export function dashboardQueries(o: GraphObject): PrometheusQuery[] {
  if (o.manifest.kind === 'GrafanaDashboard' && GRAFANA_OPERATOR_API.test(String(o.manifest.apiVersion ?? ''))) {
    const json = text(mapping(o.manifest.spec).json);
    return json ? dashboardJsonQueries(json, 'spec.json') : [];
  }
  const data = mapping(o.manifest.data);
  return dashboardKeys(o).flatMap((key) => {
    const value = data[key];
    return typeof value === 'string' ? dashboardJsonQueries(value, `data.${key}`) : [];
  });
}
