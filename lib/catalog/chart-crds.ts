/**
 * Helm charts that ship a CustomResourceDefinition too large for a client-side apply: kubectl (and Argo CD, which
 * applies as kubectl does) writes the whole object as JSON into the last-applied-configuration annotation, and the
 * API server refuses annotations over 262144 bytes in total. Each figure was measured on the chart's repository at
 * the release named: the CRD's JSON as kubectl encodes it, plus the annotation's key and the CRD's other annotations
 * (template lines left out, so a rendered CRD is a little larger still).
 */

/** A chart's CRDs over the limit, where they sit in the chart, and what turns them off. */
export interface OversizedChartCrds {
  readonly chart: string;
  /** The chart repositories it is published from (Helm repository URLs, OCI registries). */
  readonly repositories: readonly string[];
  /** The first release measured over the limit, where an earlier one was measured under it (or the chart's first). */
  readonly since: string;
  /** The release measured, and its CRDs over the limit with their size in bytes. */
  readonly measured: { readonly release: string; readonly crds: Readonly<Record<string, number>> };
  /**
   * Where the CRDs are: a crds/ folder (Helm's --skip-crds, Argo CD's helm.skipCrds, leave them out) or templates
   * (rendered like any template; values turn them off).
   */
  readonly placed: 'crds-folder' | 'templates';
  /** The values field that, false, leaves every one of them out (a subchart's condition, a template's if). */
  readonly switch: readonly string[];
  /** The values fields whose mappings the chart writes into the CRDs' annotations (where a sync-options annotation can go). */
  readonly annotations?: readonly (readonly string[])[];
  /** The templates or files measured. */
  readonly source: string;
}

/**
 * The prometheus-operator CRDs over the limit, by size as measured (bytes of the client-side annotation): both charts
 * below ship the same files (kube-prometheus-stack 88.5.3 through its crds subchart, prometheus-operator-crds 31.0.1).
 */
const PROMETHEUS_OPERATOR_CRDS: Readonly<Record<string, number>> = {
  'alertmanagerconfigs.monitoring.coreos.com': 361987,
  'alertmanagers.monitoring.coreos.com': 351892,
  'prometheusagents.monitoring.coreos.com': 414009,
  'prometheuses.monitoring.coreos.com': 485005,
  'scrapeconfigs.monitoring.coreos.com': 378465,
  'thanosrulers.monitoring.coreos.com': 346381,
};

export const OVERSIZED_CHART_CRDS: readonly OversizedChartCrds[] = [
  {
    chart: 'kube-prometheus-stack',
    repositories: ['https://prometheus-community.github.io/helm-charts', 'oci://ghcr.io/prometheus-community/charts'],
    since: '20.0.0',
    measured: {
      release: '88.5.3',
      crds: PROMETHEUS_OPERATOR_CRDS,
    },
    placed: 'crds-folder',
    switch: ['crds', 'enabled'],
    source:
      'prometheus-community/helm-charts tag kube-prometheus-stack-88.5.3 charts/kube-prometheus-stack/charts/crds/crds/*.yaml (the crds subchart, condition crds.enabled, from 48.0.0; charts/kube-prometheus-stack/crds/ before); 19.3.0 measured under (prometheuses 212363 at 10.0.0), 20.0.0 over (prometheuses 278032)',
  },
  {
    chart: 'prometheus-operator-crds',
    repositories: ['https://prometheus-community.github.io/helm-charts', 'oci://ghcr.io/prometheus-community/charts'],
    since: '0.1.0',
    measured: {
      release: '31.0.1',
      crds: PROMETHEUS_OPERATOR_CRDS,
    },
    placed: 'templates',
    // each CRD has its own switch (crds.<plural>.enabled); the chart installs nothing else
    switch: [],
    annotations: [['crds', 'annotations']],
    source:
      'prometheus-community/helm-charts tag prometheus-operator-crds-31.0.1 charts/prometheus-operator-crds/charts/crds/templates/crd-*.yaml (annotations from crds.annotations); its first release, 0.1.0, already over (prometheuses 305835)',
  },
  {
    chart: 'keda',
    repositories: ['https://kedacore.github.io/charts', 'oci://ghcr.io/kedacore/charts'],
    since: '2.11.0',
    measured: { release: '2.20.2', crds: { 'scaledjobs.keda.sh': 324858 } },
    placed: 'templates',
    switch: ['crds', 'install'],
    annotations: [['crds', 'additionalAnnotations'], ['additionalAnnotations']],
    source:
      'kedacore/charts tag v2.20.2 keda/templates/crds/crd-scaledjobs.yaml (if .Values.crds.install; annotations from crds.additionalAnnotations and additionalAnnotations); v2.10.2 measured under (259535), v2.11.0 over (263037)',
  },
];

/** The entry of a chart that ships CRDs over the limit, by its name. */
export function oversizedChartCrds(chart: string): OversizedChartCrds | undefined {
  return OVERSIZED_CHART_CRDS.find((c) => c.chart === chart);
}

/** A Helm chart that installs the CustomResourceDefinitions of API groups by default, and the values field that turns them off. */
export interface ChartCrdGroups {
  readonly chart: string;
  readonly groups: readonly string[];
  /** The values field that, false, leaves the CRDs out; none where they sit in the chart's crds/ folder. */
  readonly switch?: readonly string[];
  readonly source: string;
}

/** Charts whose release brings the CRDs of the custom resources written beside it; the groups are those the CRDs serve. */
export const CHART_CRD_GROUPS: readonly ChartCrdGroups[] = [
  {
    chart: 'metallb',
    groups: ['metallb.io'],
    switch: ['crds', 'enabled'],
    source: 'metallb/metallb charts/metallb/Chart.yaml (the crds subchart, condition crds.enabled) and values.yaml (crds.enabled: true)',
  },
  {
    chart: 'kube-prometheus-stack',
    groups: ['monitoring.coreos.com'],
    switch: ['crds', 'enabled'],
    source: OVERSIZED_CHART_CRDS[0].source,
  },
  { chart: 'prometheus-operator-crds', groups: ['monitoring.coreos.com'], source: OVERSIZED_CHART_CRDS[1].source },
  { chart: 'keda', groups: ['keda.sh'], switch: ['crds', 'install'], source: OVERSIZED_CHART_CRDS[2].source },
  {
    chart: 'kuberay-operator',
    groups: ['ray.io'],
    source: 'ray-project/kuberay helm-chart/kuberay-operator/crds/ (ray.io_rayclusters.yaml, ray.io_rayjobs.yaml, ray.io_rayservices.yaml)',
  },
];

/** The chart that installs an API group's CRDs by default, by its name. */
export function chartCrdGroups(chart: string): ChartCrdGroups | undefined {
  return CHART_CRD_GROUPS.find((c) => c.chart === chart);
}
