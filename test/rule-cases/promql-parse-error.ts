import { ruleFindings } from '../util';

const RULE = 'promql-parse-error';

type Doc = Record<string, any>;
const scaled = (query: string): Doc => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'chat', namespace: 'serving' },
  spec: { scaleTargetRef: { name: 'chat' }, triggers: [{ type: 'prometheus', metadata: { serverAddress: 'http://prometheus:9090', threshold: '5', query } }] },
});
const rule = (expr: string): Doc => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PrometheusRule',
  metadata: { name: 'vllm', namespace: 'serving' },
  spec: { groups: [{ name: 'vllm', rules: [{ alert: 'Slow', expr }] }] },
});
const analysis = (query: string): Doc => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisTemplate',
  metadata: { name: 'latency', namespace: 'serving' },
  spec: { metrics: [{ name: 'p95', successCondition: 'result[0] < 2', provider: { prometheus: { address: 'http://prometheus:9090', query } } }] },
});

describe('promql-parse-error', () => {
  test("a KEDA trigger query with one ')' too many: an error in Prometheus's words, with where it stops", () => {
    const query = 'histogram_quantile(\n  0.95,\n  sum by (le) (rate(vllm:time_to_first_token_seconds_bucket[5m]))\n)\n)\n';
    expect(ruleFindings(RULE, [scaled(query)])).toEqual([
      `error ScaledObject/serving/chat: spec.triggers[0].metadata.query is not PromQL: Prometheus's parser stops at line 5, column 1 of the query with "parse error: unexpected right parenthesis ')'": Prometheus answers every query with HTTP 400 (bad_data), so KEDA's prometheus scaler errors on every poll and the trigger never gives a value: the workload is not scaled on it; remove the extra closing delimiter, or open the one it closes`,
    ]);
  });

  test('a PrometheusRule expr left open, an analysis query with a string left open: errors naming the field', () => {
    expect(ruleFindings(RULE, [rule('sum(rate(vllm:e2e_request_latency_seconds_count[5m]) > 1')])).toEqual([
      expect.stringMatching(
        /^error PrometheusRule\/serving\/vllm: spec\.groups\[0\]\.rules\[0\]\.expr is not PromQL: .*"parse error: unclosed left parenthesis": .*the alerts never fire; close what is left open$/,
      ),
    ]);
    expect(ruleFindings(RULE, [analysis('sum(rate(x{code="5..}[5m]))')])).toEqual([
      expect.stringMatching(
        /^error AnalysisTemplate\/serving\/latency: spec\.metrics\[0\]\.provider\.prometheus\.query .*"parse error: unterminated quoted string": .*aborting the rollout; close the string$/,
      ),
    ]);
    const file = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'rules', namespace: 'monitoring' },
      data: { 'vllm.rules.yaml': 'groups:\n- name: vllm\n  rules:\n  - alert: Queue\n    expr: sum(vllm:num_requests_waiting{model="x") > 5\n' },
    };
    expect(ruleFindings(RULE, [file])).toEqual([
      expect.stringMatching(
        /^error ConfigMap\/monitoring\/rules: data\.vllm\.rules\.yaml groups\[0\]\.rules\[0\]\.expr .*"parse error: unexpected end of input inside braces": .*its alerts never fire/,
      ),
    ]);
  });

  test.each<[string, Doc]>([
    ['a balanced query', scaled('sum(rate(vllm:e2e_request_latency_seconds_count[2m]))')],
    ["a ')' inside a label value", rule('sum(x{path=")"}) > 1')],
    ['an Argo Rollouts argument', analysis('sum(rate(x{service="{{args.service}}"}[5m])))')],
    ['a trigger of another type', { ...scaled('sum(x))'), spec: { triggers: [{ type: 'cpu', metadata: { query: 'sum(x))' } }] } }],
  ])('near miss: %s', (_, doc) => {
    expect(ruleFindings(RULE, [doc])).toEqual([]);
  });
});
