import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { requireBoolean } from '../private/names';
import { constructPath } from '../private/scope';
import { kvCacheThresholdOf, VLLM_METRICS, waitingThresholdOf } from './scale-signal';
import { MemoryPlan } from '../planning/memory-plan';
import { VllmInferenceService } from './vllm-inference-service';
import { VllmConstruct } from '../check/app-construct';
import { INFERENCE_SERVICE_POD_LABEL, SYNC_WAVE_ANNOTATION } from '../k8s/keys';

/** Properties of `VllmMonitoring`. */
export interface VllmMonitoringProps {
  /** The service to watch. */
  readonly service: VllmInferenceService;
  /**
   * How often Prometheus scrapes vLLM's /metrics.
   * @default '30s'
   */
  readonly scrapeInterval?: string;
  /**
   * Share of failed requests (5xx and aborted) above which the error alert fires.
   * @default 0.05
   */
  readonly errorRatio?: number;
  /**
   * Render the Grafana dashboard ConfigMap.
   * @default true
   */
  readonly dashboard?: boolean;
}

/**
 * Metrics, alerts and a dashboard for one vLLM service, for OpenShift's user-workload monitoring:
 *
 * - a `PodMonitor` that scrapes vLLM's `/metrics` on the predictor pods (KServe labels them
 *   `serving.kserve.io/inferenceservice: <name>`);
 * - a `PrometheusRule` whose thresholds follow the GPU plan: KV cache nearly full (beyond the share at which one more
 *   max-model-len sequence fits), more requests waiting per replica than its KV cache runs at once, preemptions (vLLM
 *   evicting running requests for lack of KV cache), failed requests, and no replica answering;
 * - a Grafana dashboard as a ConfigMap labelled `grafana_dashboard: "1"`, the convention of Grafana's dashboard sidecar
 *   and of the Grafana operator's ConfigMap import, so it works with either without requiring the operator's CRDs.
 */
export class VllmMonitoring extends VllmConstruct {
  /** The rendered objects. */
  public readonly podMonitor: ApiObject;
  public readonly prometheusRule: ApiObject;
  public readonly dashboard?: ApiObject;

  constructor(scope: Construct, id: string, props: VllmMonitoringProps) {
    super(scope, id);
    const where = constructPath('VllmMonitoring', this);
    const svc = props.service;
    if (!(svc instanceof VllmInferenceService)) throw new Error(`${where}: service must be a VllmInferenceService`);
    const errorRatio = props.errorRatio ?? 0.05;
    if (!(Number.isFinite(errorRatio) && errorRatio > 0 && errorRatio < 1))
      throw new Error(`${where}: errorRatio must be a fraction in (0, 1), got ${errorRatio}`);
    const interval = props.scrapeInterval ?? '30s';
    if (!/^[0-9]+(ms|s|m|h)$/.test(interval)) throw new Error(`${where}: scrapeInterval must be a Prometheus duration such as 30s or 1m, got '${interval}'`);
    const name = `${svc.name}-vllm`;
    const wave = { [SYNC_WAVE_ANNOTATION]: '11' };
    const sel = `namespace="${svc.namespace}",model_name="${svc.name}"`;

    this.podMonitor = new ApiObject(this, 'PodMonitor', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name, namespace: svc.namespace, annotations: wave },
      spec: {
        selector: { matchLabels: { [INFERENCE_SERVICE_POD_LABEL]: svc.name } },
        podMetricsEndpoints: [
          // the runtime's container port has no name; targetPort (a number) is understood by every prometheus-operator
          // OpenShift ships, where portNumber needs a recent one
          { targetPort: 8080, path: '/metrics', interval, scheme: 'http' },
        ],
      },
    });

    const t = thresholdsOf(svc);
    this.prometheusRule = new ApiObject(this, 'PrometheusRule', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name, namespace: svc.namespace, annotations: wave },
      spec: { groups: [{ name: `${svc.name}.vllm`, rules: alertRulesOf(svc, sel, t, errorRatio) }] },
    });

    requireBoolean(where, 'dashboard', props.dashboard);
    if (props.dashboard ?? true) {
      this.dashboard = new ApiObject(this, 'Dashboard', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `${name}-dashboard`, namespace: svc.namespace, labels: { grafana_dashboard: '1' }, annotations: wave },
        data: { [`${name}.json`]: JSON.stringify(dashboardOf(svc.name, sel, t.kvFull, t.waiting), null, 2) },
      });
    }
  }
}

/** The alerts' thresholds: from the service's GPU plan when it has one (a full KV cache, a replica's concurrency). */
interface Thresholds {
  readonly plan?: MemoryPlan;
  readonly kvFull: number;
  readonly waiting: number;
  /** What the thresholds rest on, for the alerts' descriptions. */
  readonly basis: string;
}

function thresholdsOf(svc: VllmInferenceService): Thresholds {
  const plan = svc.plan?.outcome === 'ok' ? svc.plan : undefined;
  return {
    plan,
    kvFull: plan ? kvCacheThresholdOf(plan.maxConcurrency) : 0.9,
    waiting: plan ? waitingThresholdOf(plan.maxConcurrency) : 1,
    basis: !plan
      ? ''
      : plan.kvBytesPerToken === 0
        ? ` (GPU plan: an encoder keeps no KV cache; up to ${plan.maxConcurrency} sequences of ${plan.maxModelLen} tokens per step)`
        : ` (GPU plan: the KV cache holds ${plan.maxConcurrency.toFixed(2)} sequences of ${plan.maxModelLen} tokens)`,
  };
}

/** One Prometheus alerting rule of the service. */
function alertOf(svc: VllmInferenceService, basis: string) {
  return (alertName: string, expr: string, forDuration: string, severity: string, summary: string) => ({
    alert: alertName,
    expr,
    for: forDuration,
    labels: { severity, service: svc.name },
    annotations: { summary, description: `${svc.namespace}/${svc.name}: ${summary}${basis}` },
  });
}

/** The service's alerts: KV cache nearly full, requests waiting, preemptions, errors, GPU memory, down. */
function alertRulesOf(svc: VllmInferenceService, sel: string, t: Thresholds, errorRatio: number) {
  const alert = alertOf(svc, t.basis);
  return [
    alert(
      'VllmKvCacheNearlyFull',
      `max(${VLLM_METRICS.kvCacheUsage}{${sel}} or ${VLLM_METRICS.kvCacheUsageBefore010}{${sel}}) > ${t.kvFull}`,
      '10m',
      'warning',
      `KV cache above ${Math.round(t.kvFull * 100)} % for 10 minutes: one more sequence of max-model-len no longer fits`,
    ),
    alert(
      'VllmRequestsWaiting',
      `sum(${VLLM_METRICS.waiting}{${sel}}) / clamp_min(count(${VLLM_METRICS.waiting}{${sel}}), 1) > ${t.waiting}`,
      '5m',
      'warning',
      `more than ${t.waiting} requests waiting per replica for 5 minutes: the replicas are saturated`,
    ),
    alert(
      'VllmPreemptions',
      `sum(rate(vllm:num_preemptions_total{${sel}}[5m])) > 0`,
      '15m',
      'warning',
      'vLLM is preempting running requests for lack of KV cache: lower max-num-seqs or add replicas',
    ),
    alert(
      'VllmRequestErrors',
      `sum(rate(vllm:request_success_total{${sel},finished_reason="abort"}[5m])) / clamp_min(sum(rate(vllm:request_success_total{${sel}}[5m])), 1e-9) > ${errorRatio}`,
      '10m',
      'critical',
      `more than ${Math.round(errorRatio * 100)} % of requests aborted for 10 minutes`,
    ),
    ...(t.plan ? [gpuMemoryAlert(svc, t.plan, alert)] : []),
    alert(
      'VllmDown',
      `absent(up{namespace="${svc.namespace}",pod=~"${svc.name}-predictor-.*"} == 1)`,
      '15m',
      'critical',
      'no replica of the service is up and scraped',
    ),
  ];
}

/** GPU memory above what vLLM was given: another process shares the GPU, or memory leaks. */
function gpuMemoryAlert(svc: VllmInferenceService, plan: MemoryPlan, alert: ReturnType<typeof alertOf>) {
  // DCGM exporter of the NVIDIA GPU operator labels GPUs with the pod using them
  const pods = `exported_namespace="${svc.namespace}",exported_pod=~"${svc.name}-predictor-.*"`;
  return alert(
    'VllmGpuMemoryAboveBudget',
    `max(DCGM_FI_DEV_FB_USED{${pods}} / (DCGM_FI_DEV_FB_USED{${pods}} + DCGM_FI_DEV_FB_FREE{${pods}})) > ${Math.min(0.99, Math.round((plan.gpuMemoryUtilization + 0.05) * 100) / 100)}`,
    '15m',
    'warning',
    `GPU memory above the ${plan.gpuMemoryUtilization} vLLM was given plus 5 %: another process shares the GPU, or memory leaks`,
  );
}

/** A Grafana dashboard of one service: throughput, queue, KV cache, latency and the plan's thresholds drawn in. */
function dashboardOf(service: string, sel: string, kvFull: number, waiting: number): Record<string, unknown> {
  const panel = (id: number, title: string, expr: string, threshold?: number, unit = 'short') => ({
    id,
    type: 'timeseries',
    title,
    gridPos: { h: 8, w: 12, x: ((id - 1) % 2) * 12, y: Math.floor((id - 1) / 2) * 8 },
    fieldConfig: {
      defaults: {
        unit,
        ...(threshold !== undefined
          ? {
              thresholds: {
                mode: 'absolute',
                steps: [
                  { color: 'green', value: null },
                  { color: 'red', value: threshold },
                ],
              },
            }
          : {}),
        custom: threshold !== undefined ? { thresholdsStyle: { mode: 'line' } } : {},
      },
    },
    targets: [{ expr, refId: 'A' }],
  });
  return {
    title: `vLLM ${service}`,
    uid: `vllm-${service}`.slice(0, 40),
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    panels: [
      panel(1, 'Requests running', `sum(vllm:num_requests_running{${sel}})`),
      panel(2, 'Requests waiting (per replica)', `sum(${VLLM_METRICS.waiting}{${sel}}) / clamp_min(count(${VLLM_METRICS.waiting}{${sel}}), 1)`, waiting),
      panel(3, 'KV-cache usage', `max(${VLLM_METRICS.kvCacheUsage}{${sel}} or ${VLLM_METRICS.kvCacheUsageBefore010}{${sel}})`, kvFull, 'percentunit'),
      panel(4, 'Generated tokens / s', `sum(rate(vllm:generation_tokens_total{${sel}}[5m]))`),
      panel(5, 'Time to first token, p95', `histogram_quantile(0.95, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket{${sel}}[5m])))`, undefined, 's'),
      panel(6, 'Preemptions / s', `sum(rate(vllm:num_preemptions_total{${sel}}[5m]))`),
    ],
  };
}
