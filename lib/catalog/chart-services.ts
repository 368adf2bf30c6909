/**
 * The Services well-known Helm charts make, as their templates name them: each from the chart's fullname helper
 * (Helm's scaffold: fullnameOverride, else the release name when it contains the chart's name or nameOverride, else
 * `<release>-<name>`, cut to a length) with a suffix, or from a subchart's own helper with the parent's release name
 * and the subchart's values. Only Services read in the templates at the release named are listed.
 */

/** A Service of a chart (or of one of its subcharts). */
export interface ChartService {
  /** The subchart that makes it: its values key in the parent's values and its chart name (its fullname helper is Helm's scaffold, cut at 63). */
  readonly subchart?: { readonly key: string; readonly chart: string };
  /** The word after `<fullname>-`: fixed, or read from a values field (server.name) with that default. */
  readonly suffix?: { readonly word: string; readonly field?: readonly string[] };
  /** A values field whose value, when set, is the whole name (prometheusOperator.fullnameOverride), and its cut. */
  readonly override?: { readonly field: readonly string[]; readonly length: number };
  /** A name that depends on nothing (a Service an operator the chart installs makes for its custom resources). */
  readonly fixed?: string;
  /** The values field that, false, leaves it out (grafana.enabled), and its default. */
  readonly enabled?: { readonly field: readonly string[]; readonly default: boolean };
  /** The cut of the whole `<fullname>-<suffix>` (trunc, then trimSuffix "-"), where the template cuts it. */
  readonly length?: number;
}

/** A chart, its fullname helper's parameters and its Services. */
export interface ChartServices {
  readonly chart: string;
  /** The cut of the chart's fullname (kube-prometheus-stack: 26). */
  readonly fullnameLength: number;
  /** nameOverride in the chart's own values.yaml, which the helper reads when the release's values give none (argo-cd: argocd). */
  readonly defaultName?: string;
  readonly services: readonly ChartService[];
  /** The templates read. */
  readonly source: string;
}

const GRAFANA_SOURCE = 'grafana/helm-charts tag grafana-10.5.15 charts/grafana/templates/_helpers.tpl (grafana.fullname, cut at 63) and service.yaml';

export const CHART_SERVICES: readonly ChartServices[] = [
  {
    chart: 'kube-prometheus-stack',
    fullnameLength: 26,
    services: [
      { suffix: { word: 'prometheus' }, enabled: { field: ['prometheus', 'enabled'], default: true } },
      { suffix: { word: 'alertmanager' }, enabled: { field: ['alertmanager', 'enabled'], default: true } },
      {
        suffix: { word: 'operator' },
        override: { field: ['prometheusOperator', 'fullnameOverride'], length: 35 },
        enabled: { field: ['prometheusOperator', 'enabled'], default: true },
      },
      // the operator's governing Services of its Prometheus and Alertmanager resources
      { fixed: 'prometheus-operated', enabled: { field: ['prometheus', 'enabled'], default: true } },
      { fixed: 'alertmanager-operated', enabled: { field: ['alertmanager', 'enabled'], default: true } },
      { subchart: { key: 'grafana', chart: 'grafana' }, enabled: { field: ['grafana', 'enabled'], default: true } },
      { subchart: { key: 'kube-state-metrics', chart: 'kube-state-metrics' }, enabled: { field: ['kubeStateMetrics', 'enabled'], default: true } },
      { subchart: { key: 'prometheus-node-exporter', chart: 'prometheus-node-exporter' }, enabled: { field: ['nodeExporter', 'enabled'], default: true } },
    ],
    source:
      'prometheus-community/helm-charts tag kube-prometheus-stack-88.5.3 charts/kube-prometheus-stack: templates/_helpers.tpl (kube-prometheus-stack.fullname cut at 26, operator.fullname), prometheus/service.yaml, alertmanager/service.yaml, prometheus-operator/service.yaml, Chart.yaml (the grafana, kube-state-metrics and prometheus-node-exporter subcharts and their conditions); ' +
      `${GRAFANA_SOURCE}; charts/kube-state-metrics (tag kube-state-metrics-8.4.0) and charts/prometheus-node-exporter (tag prometheus-node-exporter-4.56.1) templates/_helpers.tpl and service.yaml; prometheus-operator pkg/prometheus/server/operator.go and pkg/alertmanager/statefulset.go governingServiceName (prometheus-operated, alertmanager-operated)`,
  },
  {
    chart: 'grafana',
    fullnameLength: 63,
    services: [{}],
    source: GRAFANA_SOURCE,
  },
  {
    chart: 'argo-cd',
    fullnameLength: 63,
    defaultName: 'argocd',
    services: [
      { suffix: { word: 'server', field: ['server', 'name'] }, length: 63 },
      { suffix: { word: 'repo-server', field: ['repoServer', 'name'] }, length: 63 },
      { suffix: { word: 'applicationset-controller', field: ['applicationSet', 'name'] }, length: 63 },
      { suffix: { word: 'dex-server', field: ['dex', 'name'] }, length: 63, enabled: { field: ['dex', 'enabled'], default: true } },
    ],
    source:
      'argoproj/argo-helm tag argo-cd-10.1.1 charts/argo-cd: values.yaml (nameOverride: argocd; server.name, repoServer.name, applicationSet.name, dex.name), templates/_helpers.tpl (argo-cd.fullname; server, repoServer, applicationSet, dex fullnames cut at 63), argocd-server/service.yaml, argocd-repo-server/service.yaml, argocd-applicationset/service.yaml, dex/service.yaml (if dex.enabled)',
  },
];

/** The Services of a chart the table knows, by its name. */
export function chartServices(chart: string): ChartServices | undefined {
  return CHART_SERVICES.find((c) => c.chart === chart);
}
