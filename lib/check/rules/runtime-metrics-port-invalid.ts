import { mapping, stringMap, text } from '../../manifests/access';
import { rawDeploymentMode } from '../kserve-mode';
import { Rule } from '../rule';
import { PROMETHEUS_PORT_ANNOTATION } from '../../k8s/keys';

/** What odh-model-controller appends to the runtime's name for the metrics port's name. */
const PORT_SUFFIX = '-metrics';
/** A Service port's name: a DNS-1123 label (k8s.io/apimachinery validation IsDNS1123Label). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_LABEL_MAX = 63;

export const runtimeMetricsPortInvalid: Rule = {
  id: 'runtime-metrics-port-invalid',
  title:
    "OpenShift AI names the metrics port of a raw-deployment InferenceService after its ServingRuntime, and a runtime name with a '.' (or too long) makes that name invalid: the metrics Service is refused",
  severity: 'error',
  appliesTo: ['InferenceService'],
  premise:
    "on OpenShift AI, an InferenceService in raw deployment mode (RawDeployment or Standard, or unset on OpenShift AI 3) bound to a ServingRuntime of the tree whose spec.annotations set prometheus.io/port: odh-model-controller makes a Service '<service>-metrics' whose port it names '<runtime>-metrics', and a ServiceMonitor on that port name; a runtime name with a '.' (valid for an object, which may be a DNS subdomain) or of more than 55 characters makes it no DNS-1123 label, so the API server refuses the Service at every reconcile and the model's metrics are never scraped (serving goes on)",
  example: '`name: vllm-2.24-6144-granite40` on a ServingRuntime with `prometheus.io/port` in its spec.annotations, used by a raw-deployment InferenceService',
  fix: "rename the ServingRuntime with lowercase letters, digits and '-' only (at most 55 characters), and the InferenceServices' spec.predictor.model.runtime with it",
  source:
    'odh-model-controller internal/controller/serving/reconcilers kserve_metrics_service_reconciler.go (port Name: isvcRuntime.Name + "-metrics", made when the runtime spec annotates prometheus.io/port) and kserve_metrics_servicemonitor_reconciler.go (endpoint Port: the same name); Kubernetes pkg/apis/core/validation validateServicePort (ValidateDNS1123Label on a port name)',
  check(o, { graph, platform }) {
    if (platform === 'kserve' || !rawDeploymentMode(o.manifest, platform, graph)) return [];
    const runtime = graph.runtimeOf(o.manifest);
    const name = text(mapping(runtime?.manifest.metadata).name);
    const port = stringMap(mapping(mapping(runtime?.manifest.spec).annotations))[PROMETHEUS_PORT_ANNOTATION];
    if (!runtime || !name || port === undefined) return [];
    const portName = `${name}${PORT_SUFFIX}`;
    if (DNS_LABEL.test(portName) && portName.length <= DNS_LABEL_MAX) return [];
    const why = name.includes('.') ? "a '.' is not allowed in it" : `it has ${portName.length} characters, over ${DNS_LABEL_MAX}`;
    const service = `${text(mapping(o.manifest.metadata).name) ?? ''}${PORT_SUFFIX}`;
    return [
      {
        message:
          `runs on ServingRuntime '${name}', whose spec.annotations set ${PROMETHEUS_PORT_ANNOTATION} (${port}): OpenShift AI's model controller then makes a Service '${service}' whose port it names '${portName}', ` +
          `which is no DNS-1123 label (${why}), so the API server refuses the Service (spec.ports[0].name) at every reconcile, the ServiceMonitor '${service}' finds no port of that name, and the model's metrics are never scraped (the model still serves): ` +
          `rename the runtime with lowercase letters, digits and '-' only (at most ${DNS_LABEL_MAX - PORT_SUFFIX.length} characters), and spec.predictor.model.runtime with it`,
      },
    ];
  },
};
