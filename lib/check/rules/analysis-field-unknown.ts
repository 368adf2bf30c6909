import { isMapping, mapping, mappings, text } from '../../manifests/access';
import { apiGroupOf } from '../../k8s/api-version';
import { meantAmong } from '../near-names';
import { Problem, Rule } from '../rule';

/**
 * The JSON fields of Argo Rollouts' analysis types (argoproj/argo-rollouts pkg/apis/rollouts/v1alpha1/analysis_types.go:
 * AnalysisTemplateSpec, Metric, MetricProvider, PrometheusMetric), from which its CRDs' schemas are generated.
 */
const SPEC_FIELDS = ['metrics', 'args', 'dryRun', 'measurementRetention', 'templates'];
const METRIC_FIELDS = [
  'name',
  'interval',
  'initialDelay',
  'count',
  'successCondition',
  'failureCondition',
  'failureLimit',
  'inconclusiveLimit',
  'consecutiveErrorLimit',
  'provider',
  'consecutiveSuccessLimit',
];
const PROVIDER_FIELDS = [
  'prometheus',
  'kayenta',
  'web',
  'datadog',
  'wavefront',
  'newRelic',
  'job',
  'cloudWatch',
  'graphite',
  'influxdb',
  'skywalking',
  'plugin',
];
const PROMETHEUS_FIELDS = ['address', 'query', 'authentication', 'timeout', 'insecure', 'headers', 'rangeQuery'];

/** What a field people write by analogy with the conditions would do, said where it is written. */
const MEANT: Readonly<Record<string, string>> = {
  inconclusiveCondition:
    'a measurement is Inconclusive when successCondition and failureCondition are both set and neither holds, and inconclusiveLimit bounds how many are allowed',
};

const APPLY =
  "kubectl apply and Argo CD's sync refuse the object (strict field validation: unknown field), and an apply without validation has the API server drop it, so it never takes effect";

/** The unknown keys of one mapping, each a problem naming its path. */
function unknownKeys(value: unknown, at: string, known: readonly string[], what: string, of = ''): Problem[] {
  if (!isMapping(value)) return [];
  return Object.keys(value)
    .filter((k) => !known.includes(k))
    .map((k) => ({
      message:
        `${at}.${k}${of} is no field of ${what}${meantAmong(k, known)}: ${APPLY}; ` +
        (MEANT[k] ? `${MEANT[k]}: remove ${k}` : `remove it or write a field of ${what} (${known.join(', ')})`),
    }));
}

/** The unknown fields of an analysis template's spec, its metrics, their providers and Prometheus queries. */
function analysisProblems(spec: Record<string, unknown>): Problem[] {
  const metrics = mappings(spec.metrics).flatMap((m, i) => {
    const of = text(m.name) ? ` (metric '${text(m.name)}')` : '';
    const provider = mapping(m.provider);
    return [
      ...unknownKeys(m, `spec.metrics[${i}]`, METRIC_FIELDS, 'a Metric', of),
      ...unknownKeys(m.provider, `spec.metrics[${i}].provider`, PROVIDER_FIELDS, 'a MetricProvider', of),
      ...unknownKeys(provider.prometheus, `spec.metrics[${i}].provider.prometheus`, PROMETHEUS_FIELDS, 'a PrometheusMetric', of),
    ];
  });
  return [...unknownKeys(spec, 'spec', SPEC_FIELDS, 'an AnalysisTemplateSpec'), ...metrics];
}

export const analysisFieldUnknown: Rule = {
  id: 'analysis-field-unknown',
  title:
    "an Argo Rollouts AnalysisTemplate or ClusterAnalysisTemplate holds a field its type does not have (a metric's `inconclusiveCondition`): the apply refuses it, or the API server drops it",
  severity: 'error',
  appliesTo: ['AnalysisTemplate', 'ClusterAnalysisTemplate'],
  scope: 'object',
  premise:
    "an argoproj.io AnalysisTemplate or ClusterAnalysisTemplate whose spec, spec.metrics[] entries, their provider or its prometheus block hold a key that Argo Rollouts' AnalysisTemplateSpec, Metric, MetricProvider or PrometheusMetric type does not have (the types its CRD schemas are generated from, which preserve no unknown fields there); the message names a field a misspelt key most likely meant; a provider's own fields other than Prometheus' are not judged",
  example: '`inconclusiveCondition: result[0] > 0.5` in a metric of an AnalysisTemplate',
  fix: 'remove the field, or write the field of the type that was meant (the message names it); a measurement that meets neither successCondition nor failureCondition is already Inconclusive',
  source:
    'argoproj/argo-rollouts pkg/apis/rollouts/v1alpha1/analysis_types.go (AnalysisTemplateSpec, Metric, MetricProvider, PrometheusMetric: their json fields; Metric.FailureCondition: "If both success and failure conditions are specified, and the measurement does not fall into either condition, the measurement is considered Inconclusive") and manifests/crds/analysis-template-crd.yaml (generated from them); kubectl --validate=strict (the default since 1.27) refuses an unknown field, and the API server prunes fields a structural schema does not declare',
  check(o) {
    if (apiGroupOf(o.manifest.apiVersion) !== 'argoproj.io') return [];
    return analysisProblems(mapping(o.manifest.spec));
  },
};
