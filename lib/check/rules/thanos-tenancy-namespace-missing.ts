import { mapping, mappings, stringMap, text } from '../../manifests/access';
import { AUTOSCALER_CLASS_ANNOTATION } from '../../k8s/keys';
import { Problem, Rule } from '../rule';
import { holdsTemplate } from '../template-syntax';

/**
 * OpenShift's Thanos Querier in openshift-monitoring serves a namespace's metrics on its tenancy port, 9092 (the
 * cluster-wide query port is 9091, for an account holding cluster-monitoring-view): prom-label-proxy in front of it
 * answers a query without the namespace query parameter with 400 Bad Request. A KEDA prometheus trigger sends that
 * parameter only from its `namespace` metadata (kedacore/keda pkg/scalers/prometheus_scaler.go: `&namespace=` added
 * when metadata.namespace is set) or from queryParameters.
 */
const TENANCY_PORT = '9092';

/** The Thanos Querier Service of OpenShift's monitoring stack, with or without .svc[.cluster.local]. */
const THANOS_QUERIER_HOST = /^thanos-querier\.openshift-monitoring(\.svc(\.cluster\.local)?)?\.?$/i;

/** The host and port of a URL (the scheme's default port left as undefined). */
function hostAndPort(url: string): { host: string; port: string | undefined } | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)(?::(\d+))?/i.exec(url.trim());
  return m ? { host: m[1], port: m[2] } : undefined;
}

/** Whether a trigger's queryParameters (key=value pairs, comma separated) give the namespace parameter. */
function namespaceParameter(queryParameters: string | undefined): boolean {
  return (queryParameters ?? '').split(',').some((p) => p.split('=')[0].trim() === 'namespace');
}

/** The finding on a query of `url` at `where` that gives no namespace, where `url` is the Querier's tenancy port. */
function tenancyProblem(where: string, url: string | undefined, namespaceField: string, then: string): Problem[] {
  if (!url || holdsTemplate(url)) return [];
  const at = hostAndPort(url);
  if (!at || at.port !== TENANCY_PORT || !THANOS_QUERIER_HOST.test(at.host)) return [];
  return [
    {
      message:
        `${where} queries ${url}, the tenancy port of OpenShift's Thanos Querier, without ${namespaceField}: that port answers a query without ?namespace= with 400 Bad Request, ` +
        `so every query fails and ${then}; set ${namespaceField} to the namespace whose metrics the query reads, ` +
        `or query port 9091 with an account bound to cluster-monitoring-view for metrics of several namespaces`,
    },
  ];
}

function triggerProblem(t: Record<string, unknown>, i: number): Problem[] {
  if (t.type !== 'prometheus') return [];
  const metadata = mapping(t.metadata);
  if (text(metadata.namespace) || namespaceParameter(text(metadata.queryParameters))) return [];
  return tenancyProblem(`spec.triggers[${i}]`, text(metadata.serverAddress), 'metadata.namespace', 'KEDA never scales the target');
}

/** The components of an InferenceService whose autoScaling KServe hands to KEDA (ComponentExtensionSpec). */
const ISVC_COMPONENTS = ['predictor', 'transformer', 'explainer'] as const;

/**
 * KServe's own KEDA autoscaling (autoscalerClass keda): each external prometheus metric becomes a trigger of the
 * ScaledObject KServe makes, with `namespace` only from metric.namespace (keda_reconciler.go getScaledObjectTriggers).
 */
function inferenceServiceProblems(m: Record<string, unknown>): Problem[] {
  if (stringMap(mapping(m.metadata).annotations)[AUTOSCALER_CLASS_ANNOTATION] !== 'keda') return [];
  return ISVC_COMPONENTS.flatMap((c) =>
    mappings(mapping(mapping(mapping(m.spec)[c]).autoScaling).metrics).flatMap((metric, i) => {
      const external = mapping(metric.external);
      const query = mapping(external.metric);
      if (text(query.backend) !== 'prometheus' || text(query.namespace)) return [];
      const where = `spec.${c}.autoScaling.metrics[${i}].external`;
      return tenancyProblem(where, text(query.serverAddress), `${where}.metric.namespace`, 'the ScaledObject KServe makes for it never scales the service');
    }),
  );
}

export const thanosTenancyNamespaceMissing: Rule = {
  id: 'thanos-tenancy-namespace-missing',
  title:
    "a KEDA prometheus trigger (a ScaledObject's, or one KServe makes from an InferenceService's external metric) queries OpenShift's Thanos Querier on its tenancy port 9092 without the namespace its queries need",
  severity: 'error',
  appliesTo: ['ScaledObject', 'ScaledJob', 'InferenceService'],
  premise:
    "a ScaledObject's or ScaledJob's prometheus trigger has serverAddress thanos-querier.openshift-monitoring[.svc[.cluster.local]] on port 9092 (not a template) and neither metadata.namespace nor a namespace key in metadata.queryParameters: KEDA adds the namespace query parameter only from those, and the tenancy port refuses a query without it (400 Bad Request), so the scaler reports errors and the target keeps its replicas; " +
    "likewise an InferenceService that KServe scales through KEDA (annotation serving.kserve.io/autoscalerClass: keda) with an autoScaling.metrics[].external metric of backend prometheus on that address (predictor, transformer or explainer) and no metric.namespace: KServe writes the trigger's namespace only from metric.namespace",
  example:
    '`serverAddress: https://thanos-querier.openshift-monitoring.svc.cluster.local:9092` with `query: sum(kube_pod_status_unschedulable)` and no `namespace` in the trigger metadata',
  fix: "add metadata.namespace (the namespace the query's metrics belong to), or use port 9091 with an account bound to the cluster-monitoring-view ClusterRole",
  source:
    'kedacore/keda pkg/scalers/prometheus_scaler.go (namespace metadata appended as &namespace= to the query URL); OpenShift docs, Custom Metrics Autoscaler, "Understanding the Prometheus trigger" (namespace required with OpenShift monitoring on port 9092; port 9091 for cluster-wide queries with cluster-monitoring-view); openshift/cluster-monitoring-operator Thanos Querier tenancy port (kube-rbac-proxy and prom-label-proxy); kserve/kserve pkg/controller/v1beta1/inferenceservice/reconcilers/keda/keda_reconciler.go getScaledObjectTriggers (v0.15.0 to v0.20.0: trigger metadata namespace only from metric.external.metric.namespace) and reconcilers/autoscaler/autoscaler_reconciler.go (KEDA for autoscalerClass keda)',
  scope: 'object',
  check(o) {
    if (o.manifest.kind === 'InferenceService') return inferenceServiceProblems(o.manifest);
    return mappings(mapping(o.manifest.spec).triggers).flatMap((t, i) => triggerProblem(t, i));
  },
};
