import { mapping, text } from '../manifests/access';
import { ChartRelease, chartFullname, chartReleases } from './chart-releases';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';

/** A Service in front of a Prometheus the tree installs, and what installs it. */
export interface PrometheusService {
  readonly name: string;
  readonly namespace?: string;
  readonly port: number;
  readonly by: GraphObject;
  /** The name depends on values the check does not read (valueFiles, valuesFrom). */
  readonly assumed: boolean;
}

/**
 * The Services of the Prometheus charts' releases: kube-prometheus-stack names its Prometheus Service
 * <fullname>-prometheus, fullname cut at 26 characters (prometheus-community/helm-charts
 * charts/kube-prometheus-stack/templates/_helpers.tpl and prometheus/service.yaml; port 9090); the prometheus chart
 * names its server server.fullnameOverride, else <fullname>-<server.name> (charts/prometheus/templates/_helpers.tpl
 * prometheus.server.fullname; service port 80).
 */
function chartServices(r: ChartRelease): Omit<PrometheusService, 'by' | 'assumed'>[] {
  if (r.chart === 'kube-prometheus-stack') {
    return [
      { name: `${chartFullname(r, r.values, 26)}-prometheus`, namespace: r.namespace, port: 9090 },
      { name: 'prometheus-operated', namespace: r.namespace, port: 9090 },
    ];
  }
  if (r.chart === 'prometheus') {
    const server = mapping(r.values.server);
    const name = text(server.fullnameOverride) ?? `${chartFullname(r, r.values, 63)}-${text(server.name) ?? 'server'}`;
    return [{ name, namespace: r.namespace, port: 80 }];
  }
  return [];
}

/**
 * The Prometheus Services the tree makes: each Prometheus custom resource's prometheus-operated (the operator's
 * governing Service: prometheus-operator pkg/prometheus/server/operator.go, governingServiceName) and the Services of
 * the Prometheus chart releases it installs.
 */
export function prometheusServices(graph: ObjectGraph): PrometheusService[] {
  return graph.once('prometheus-services', () => [
    ...graph
      .ofKind('Prometheus')
      .filter((o) => String(o.manifest.apiVersion ?? '').startsWith('monitoring.coreos.com/'))
      .map((o) => ({ name: 'prometheus-operated', namespace: graph.namespaceOf(o.manifest), port: 9090, by: o, assumed: false })),
    ...chartReleases(graph).flatMap((r) => chartServices(r).map((s) => ({ ...s, by: r.object, assumed: r.valuesElsewhere }))),
  ]);
}

/** Whether an object is a release of a chart the check reads the Services of (so its Services are known). */
export function installsKnownPrometheus(o: GraphObject, graph: ObjectGraph): boolean {
  return prometheusServices(graph).some((s) => s.by === o);
}

export const describeService = (s: PrometheusService) => `${s.name}.${s.namespace ?? '<namespace>'}.svc:${s.port}`;
