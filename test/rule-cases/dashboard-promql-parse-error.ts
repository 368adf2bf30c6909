import { ruleFound, severityObjectMessages } from '../util';

/** dashboard-promql-parse-error: Grafana dashboards' PromQL read as Prometheus reads it, after Grafana replaced its variables. */
const RULE = 'dashboard-promql-parse-error';

/** A dashboard's JSON text with one panel per query (a target's datasource given where set). */
const board = (...targets: { expr: string; datasource?: unknown }[]) =>
  JSON.stringify({ title: 'vLLM', panels: targets.map((t, i) => ({ id: i + 1, type: 'timeseries', targets: [t] })) }, null, 2);
const configMap = (json: string, labels: Record<string, string> = { grafana_dashboard: '1' }, key = 'vllm') => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'vllm-dashboard', namespace: 'monitoring', labels },
  data: { [key]: json },
});
const grafanaDashboard = (spec: Record<string, unknown>) => ({
  apiVersion: 'grafana.integreatly.org/v1beta1',
  kind: 'GrafanaDashboard',
  metadata: { name: 'vllm', namespace: 'monitoring' },
  spec: { instanceSelector: { matchLabels: { dashboards: 'grafana' } }, ...spec },
});
const found = (...manifests: Record<string, unknown>[]) =>
  severityObjectMessages(
    ruleFound(
      RULE,
      manifests.map((manifest) => ({ manifest })),
      { platform: 'kserve', alone: true },
    ),
  );

describe(RULE, () => {
  test("a labeled ConfigMap's panel with a parenthesis too many, its variables replaced first: a warning naming the panel, position and fix", () => {
    expect(found(configMap(board({ expr: 'sum(rate(vllm:request_success_total{model_name="$model"}[$__rate_interval])))' })))).toEqual([
      [
        'warning',
        'ConfigMap/monitoring/vllm-dashboard',
        "data.vllm panels[0].targets[0].expr is not PromQL (its Grafana variables replaced, as Grafana replaces them before sending it): Prometheus's parser stops at column 77 with \"parse error: unexpected right parenthesis ')'\", " +
          'so the panel shows that error (HTTP 400 bad_data) instead of data whenever the dashboard is opened; remove the extra closing delimiter, or open the one it closes',
      ],
    ]);
  });

  test('every form of Grafana variable is replaced, never reported: $var, ${var}, ${var:format}, [[var]], [[var:format]], built-ins', () => {
    const exprs = [
      'histogram_quantile(0.99, sum by (le) (rate(vllm:e2e_request_latency_seconds_bucket{namespace=~"${namespace:regex}"}[$__rate_interval])))',
      'sum(rate(vllm:generation_tokens_total{pod=~"[[pod]]"}[$interval]))',
      'sum by ($groupby) (increase(vllm:prompt_tokens_total[$__range]))',
      'avg_over_time(vllm:gpu_cache_usage_perc{job="[[job:raw]]"}[${interval}]) > [[threshold]]',
      'label_replace(vllm:num_requests_running, "model", "$1", "model_name", "(.*)")',
      'count(up{job=~"vllm.*$"})',
    ];
    expect(found(configMap(board(...exprs.map((expr) => ({ expr })))))).toEqual([]);
  });

  test('a GrafanaDashboard: its spec.json, and the ConfigMap key its configMapRef names (said on the GrafanaDashboard, once)', () => {
    const broken = board({ expr: 'sum(rate(vllm:generation_tokens_total{model_name="$model"[5m]))' });
    expect(found(grafanaDashboard({ json: broken }))).toEqual([
      [
        'warning',
        'GrafanaDashboard/monitoring/vllm',
        expect.stringMatching(
          /^spec\.json panels\[0\]\.targets\[0\]\.expr is not PromQL .*"parse error: unexpected end of input inside braces".*; close what is left open$/,
        ),
      ],
    ]);
    const ref = grafanaDashboard({ configMapRef: { name: 'vllm-dashboard', key: 'board' } });
    expect(found(ref, configMap(broken, {}, 'board'))).toEqual([
      [
        'warning',
        'GrafanaDashboard/monitoring/vllm',
        expect.stringMatching(/^ConfigMap 'vllm-dashboard' data\.board \(spec\.configMapRef\) panels\[0\]\.targets\[0\]\.expr is not PromQL/),
      ],
    ]);
    // the key the ConfigMap's label already makes a dashboard is said on the ConfigMap alone
    expect(found(ref, configMap(broken, { grafana_dashboard: '1' }, 'board')).map(([, object]) => object)).toEqual(['ConfigMap/monitoring/vllm-dashboard']);
  });

  test('near misses: a Loki panel (LogQL), a ConfigMap that is no dashboard, a Helm-templated query, a query that parses', () => {
    expect(
      found(
        configMap(board({ expr: 'sum(count_over_time({app="vllm"} |= "error" [5m]))) ', datasource: { type: 'loki', uid: 'logs' } })),
        configMap(board({ expr: 'sum(rate(x[5m])))' }), {}, 'vllm'),
        configMap(board({ expr: 'sum(rate(vllm:num_requests_running{namespace="{{ .Release.Namespace }}"}[5m])))' })),
        configMap(board({ expr: 'sum(vllm:num_requests_waiting{model_name="$model"})', datasource: { type: 'prometheus', uid: '${DS_PROMETHEUS}' } })),
      ),
    ).toEqual([]);
  });
});
