import { runChecks } from '../../lib';
import { promqlMetrics } from '../../lib/check/promql-metrics';
import { vllmDeployment } from '../util';

type Doc = Record<string, any>;
const judged = (docs: Doc[], platform: 'rhoai-3.0' | 'kserve' = 'rhoai-3.0') =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform },
  )
    .filter((f) => f.rule === 'scale-from-zero-unreachable')
    .map((f) => f.object);

const prom = (query: string, more: Doc = {}): Doc => ({
  type: 'prometheus',
  metadata: { serverAddress: 'http://prometheus:9090', threshold: '5', query, ...more },
});
const scaled = (spec: Doc, target = 'llm'): Doc => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'q', namespace: 'ai' },
  spec: { scaleTargetRef: { name: target }, maxReplicaCount: 3, ...spec },
});
const server = () => vllmDeployment('vllm/vllm-openai:v0.10.1', ['serve', 'Qwen/Qwen2.5-0.5B-Instruct'], ['vllm']);
const WAITING = 'sum(vllm:num_requests_waiting{namespace="ai"})';

describe('promqlMetrics', () => {
  test('metric names, not functions, labels, keywords, durations or numbers', () => {
    expect(promqlMetrics('sum by (model_name) (rate(vllm:request_success_total{job="x"}[5m] offset 1m)) / 1e3')).toEqual(['vllm:request_success_total']);
    expect(promqlMetrics('max(vllm:num_requests_waiting) + on(pod) group_left sum(envoy_cluster_upstream_rq_active)')).toEqual([
      'vllm:num_requests_waiting',
      'envoy_cluster_upstream_rq_active',
    ]);
    expect(promqlMetrics('vllm:gpu_cache_usage_perc > bool 0.8 and vllm:num_requests_running')).toEqual([
      'vllm:gpu_cache_usage_perc',
      'vllm:num_requests_running',
    ]);
    expect(promqlMetrics('1')).toEqual([]);
  });
});

describe('scale-from-zero-unreachable', () => {
  test('minimum 0 (written or unset) or idle 0 on the vLLM queue alone', () => {
    expect(judged([server(), scaled({ minReplicaCount: 0, triggers: [prom(WAITING)] })])).toEqual(['ScaledObject/ai/q']);
    expect(judged([server(), scaled({ triggers: [prom('avg(vllm:kv_cache_usage_perc)')] })])).toEqual(['ScaledObject/ai/q']);
    expect(judged([server(), scaled({ minReplicaCount: 1, idleReplicaCount: 0, triggers: [prom(WAITING)] })])).toEqual(['ScaledObject/ai/q']);
    // an empty result is an error with ignoreNullValues false: with no fallback nothing scales it up either
    expect(judged([server(), scaled({ minReplicaCount: 0, triggers: [prom(WAITING, { ignoreNullValues: 'false' })] })])).toEqual(['ScaledObject/ai/q']);
  });

  test("the misspelt vllm_ form of an engine metric is read as the engine's: it is empty at zero pods too", () => {
    expect(judged([server(), scaled({ minReplicaCount: 0, triggers: [prom('sum(vllm_num_requests_running)')] })])).toEqual(['ScaledObject/ai/q']);
    expect(judged([server(), scaled({ minReplicaCount: 0, triggers: [prom('avg(vllm_gpu_cache_usage_perc)')] })])).toEqual(['ScaledObject/ai/q']);
    // an underscore name that is no vLLM metric, or a router metric misspelt, is someone else's
    expect(judged([server(), scaled({ minReplicaCount: 0, triggers: [prom('sum(vllm_queue_depth)')] })])).toEqual([]);
    expect(judged([server(), scaled({ minReplicaCount: 0, triggers: [prom('sum(rate(vllm_num_incoming_requests_total[1m]))')] })])).toEqual([]);
  });

  test('near misses: a minimum of 1, a second trigger that sees demand at zero, router or gateway metrics, constants', () => {
    expect(judged([server(), scaled({ minReplicaCount: 1, triggers: [prom(WAITING)] })])).toEqual([]);
    const cron = { type: 'cron', metadata: { timezone: 'UTC', start: '0 8 * * *', end: '0 18 * * *', desiredReplicas: '1' } };
    expect(judged([server(), scaled({ minReplicaCount: 0, triggers: [prom(WAITING), cron] })])).toEqual([]);
    const queue = { type: 'rabbitmq', metadata: { queueName: 'prompts', mode: 'QueueLength', value: '1' } };
    expect(judged([server(), scaled({ minReplicaCount: 0, triggers: [prom(WAITING), queue] })])).toEqual([]);
    // the production-stack router counts the requests it receives, engines or not
    expect(judged([server(), scaled({ minReplicaCount: 0, triggers: [prom('sum(rate(vllm:num_incoming_requests_total[1m]))')] })])).toEqual([]);
    expect(judged([server(), scaled({ minReplicaCount: 0, triggers: [prom('sum(rate(envoy_cluster_upstream_rq_total[1m]))')] })])).toEqual([]);
    expect(judged([server(), scaled({ minReplicaCount: 0, triggers: [prom(`${WAITING} or vector(1)`)] })])).toEqual([]);
    expect(judged([server(), scaled({ minReplicaCount: 0, triggers: [prom(WAITING, { activationThreshold: '-1' })] })])).toEqual([]);
    // an error with fallback replicas scales it up
    expect(
      judged([
        server(),
        scaled({ minReplicaCount: 0, fallback: { failureThreshold: 3, replicas: 1 }, triggers: [prom(WAITING, { ignoreNullValues: 'false' })] }),
      ]),
    ).toEqual([]);
  });

  test('near misses: a target that is not a vLLM workload of the tree, or a Knative predictor', () => {
    expect(judged([server(), scaled({ minReplicaCount: 0, triggers: [prom(WAITING)] }, 'elsewhere')])).toEqual([]);
    const busybox = vllmDeployment('busybox', ['sleep', 'infinity'], ['sh']);
    expect(judged([busybox, scaled({ minReplicaCount: 0, triggers: [prom(WAITING)] })])).toEqual([]);
    const isvc = (annotations: Doc) => ({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'chat', namespace: 'ai', annotations },
      spec: {
        predictor: {
          containers: [
            { name: 'kserve-container', image: 'vllm/vllm-openai:v0.10.1', command: ['vllm', 'serve', 'Qwen/Qwen2.5-0.5B-Instruct', '--port=8080'] },
          ],
        },
      },
    });
    const so = scaled({ minReplicaCount: 0, triggers: [prom(WAITING)] }, 'chat-predictor');
    expect(judged([isvc({ 'serving.kserve.io/deploymentMode': 'RawDeployment' }), so], 'kserve')).toEqual(['ScaledObject/ai/q']);
    expect(judged([isvc({ 'serving.kserve.io/deploymentMode': 'Serverless' }), so], 'kserve')).toEqual([]);
  });
});
