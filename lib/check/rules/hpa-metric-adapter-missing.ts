import { mapping, mappings, text } from '../../manifests/access';
import type { ObjectGraph } from '../graph';
import { containersOf } from '../pods';
import { templateContainers } from '../pod-templates';
import { Rule } from '../rule';

/**
 * A metric name in the form the Custom Metrics Stackdriver Adapter serves: a Cloud Monitoring metric type with its
 * slashes written `|` (prometheus.googleapis.com|vllm:num_requests_waiting|gauge, custom.googleapis.com|queue_depth,
 * pubsub.googleapis.com|subscription|num_undelivered_messages): GoogleCloudPlatform/k8s-stackdriver
 * custom-metrics-stackdriver-adapter README, "Export custom metrics" (the HPA names the type with / replaced by |).
 */
const STACKDRIVER_NAME = /^[a-z0-9-]+\.googleapis\.com\|/;

/** What serves the custom and external metrics APIs in the tree: the adapter's Deployment (its image) or an APIService of those groups. */
function metricsApiServed(graph: ObjectGraph): boolean {
  return graph.once('hpa-metric-adapter-missing:served', () => {
    const apiService = graph.ofKind('APIService').some((o) => /^(custom|external)\.metrics\.k8s\.io$/.test(text(mapping(o.manifest.spec).group) ?? ''));
    const adapter = graph.objects.some((o) =>
      [...containersOf(o.manifest), ...templateContainers(o.manifest)].some((c) => /custom-metrics-stackdriver-adapter/.test(String(c.container.image ?? ''))),
    );
    return apiService || adapter;
  });
}

/** The name of a Pods, Object or External metric of an HPA (autoscaling/v2 metric.name; v2beta1 metricName). */
function metricNames(spec: Record<string, unknown>): { type: string; name: string }[] {
  return mappings(spec.metrics).flatMap((m) => {
    const type = text(m.type);
    const source = mapping(type === 'Pods' ? m.pods : type === 'Object' ? m.object : type === 'External' ? m.external : undefined);
    const name = text(mapping(source.metric).name) ?? text(source.metricName);
    return type && name ? [{ type, name }] : [];
  });
}

/** The adapter's name in the path of its published manifests (k8s-stackdriver custom-metrics-stackdriver-adapter/deploy/…). */
const ADAPTER_URL = /custom-metrics-stackdriver-adapter/;

/**
 * The steps of the tree's scripts and READMEs that apply the adapter's published manifests by URL (`kubectl apply -f
 * https://…/custom-metrics-stackdriver-adapter/deploy/production/adapter_new_resource_model.yaml`): a script's install
 * counts as the tree's, a guide's step is one a reader runs by hand.
 */
function adapterApplies(graph: ObjectGraph): { scripted: boolean; guides: string[] } {
  const applies = graph.remoteApplies.filter((a) => ADAPTER_URL.test(a.url));
  return { scripted: applies.some((a) => !a.guide), guides: applies.filter((a) => a.guide).map((a) => `${a.script}:${a.line}`) };
}

export const hpaMetricAdapterMissing: Rule = {
  id: 'hpa-metric-adapter-missing',
  title: 'an HPA reads a Google Cloud Monitoring metric (prometheus.googleapis.com|…) and the tree installs no Custom Metrics Stackdriver Adapter to serve it',
  severity: 'warning',
  appliesTo: ['HorizontalPodAutoscaler'],
  premise:
    'a HorizontalPodAutoscaler has a Pods, Object or External metric named in the form of a Cloud Monitoring metric type with `|` for `/` (prometheus.googleapis.com|vllm:num_requests_waiting|gauge, custom.googleapis.com|…), which only the Custom Metrics Stackdriver Adapter serves, through the custom.metrics.k8s.io and external.metrics.k8s.io APIs; the tree holds no container of that adapter and no APIService of those groups, and no script of the tree applies its published manifests by a URL naming it (`kubectl apply -f https://…/custom-metrics-stackdriver-adapter/….yaml`; a step of a README that does is a note, as nothing runs a guide on sync): unless the adapter is installed on the cluster outside the tree, the HPA controller cannot read the metric, sets ScalingActive False with FailedGetPodsMetric (FailedGetObjectMetric, FailedGetExternalMetric) and never scales; a warning, since the adapter is commonly installed apart',
  example: 'a Pods metric `prometheus.googleapis.com|vllm:num_requests_waiting|gauge` with no custom-metrics-stackdriver-adapter in the tree',
  fix: 'install the Custom Metrics Stackdriver Adapter (custom-metrics-stackdriver-adapter, with Workload Identity allowed to read Cloud Monitoring) with the tree, or state it as a prerequisite',
  source:
    'GoogleCloudPlatform/k8s-stackdriver custom-metrics-stackdriver-adapter (serves custom.metrics.k8s.io and external.metrics.k8s.io from Cloud Monitoring; metric types named with / replaced by |); GKE docs "Autoscale on Google Cloud Managed Service for Prometheus metrics"; kubernetes pkg/controller/podautoscaler/horizontal.go computeReplicasForMetrics (FailedGetPodsMetric, FailedGetObjectMetric, FailedGetExternalMetric when the metric cannot be read)',
  check(o, { graph }) {
    const named = metricNames(mapping(o.manifest.spec)).filter((m) => STACKDRIVER_NAME.test(m.name));
    if (!named.length || metricsApiServed(graph)) return [];
    const byUrl = adapterApplies(graph);
    if (byUrl.scripted) return [];
    const shown = named.map((m) => `${m.type} metric ${m.name}`).join(', ');
    if (byUrl.guides.length)
      return [
        {
          severity: 'info',
          message: `${shown} is a Cloud Monitoring metric that only the Custom Metrics Stackdriver Adapter serves, which a guide's step of the tree installs from its published manifests (${byUrl.guides.join(', ')}): no delivery runs that step, so the adapter must be installed on the cluster as the guide says before the HPA can read the metric`,
        },
      ];
    const reason = [...new Set(named.map((m) => `FailedGet${m.type}Metric`))].join(', ');
    return [
      {
        message:
          `${shown} is a Cloud Monitoring metric that only the Custom Metrics Stackdriver Adapter serves, and the tree installs no such adapter (no custom-metrics-stackdriver-adapter container, no APIService of custom.metrics.k8s.io or external.metrics.k8s.io): ` +
          `unless it is installed on the cluster, the HPA cannot read the metric, reports ${reason} and never scales; install the adapter (with read access to Cloud Monitoring) or state it as a prerequisite`,
      },
    ];
  },
};
