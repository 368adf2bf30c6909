import { ruleFindings } from '../util';

/** A vLLM metric summed over a namespace adds up every vLLM server there: the ScaledObject scales on others' load. */
describe('scaled-object-query-spans-servers', () => {
  const RULE = 'scaled-object-query-spans-servers';
  const server = (name: string, model: string, ns = 'llm') => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, scrape: 'vllm' } },
        spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.10.1', args: ['--model', `org/${model}`, '--served-model-name', model] }] },
      },
    },
  });
  const scaler = (query: string) => ({
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'chat', namespace: 'llm' },
    spec: {
      scaleTargetRef: { name: 'chat' },
      minReplicaCount: 1,
      triggers: [{ type: 'prometheus', metadata: { serverAddress: 'http://prom:9090', query, threshold: '5' } }],
    },
  });
  const podMonitor = (labels: Record<string, string>, ns = 'llm') => ({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: { name: 'vllm', namespace: ns },
    spec: { selector: { matchLabels: labels }, podMetricsEndpoints: [{ port: 'http' }] },
  });
  const found = (...docs: object[]) => ruleFindings(RULE, docs);
  const SUM = 'sum(vllm:num_requests_waiting{namespace="llm"})';

  test('both servers scraped by a monitor of the tree: an error naming both and the matcher to add', () => {
    expect(found(server('chat', 'chat'), server('embed', 'embed'), podMonitor({ scrape: 'vllm' }), scaler(SUM))).toEqual([
      `error ScaledObject/llm/chat: triggers[0] query '${SUM}' reads vllm:num_requests_waiting in namespace 'llm' with no model_name, pod, service or job matcher, ` +
        "so it adds up the series of every vLLM server there: Deployment/llm/chat (serving 'chat', the target) and Deployment/llm/embed (serving 'embed'); " +
        'KEDA scales Deployment/llm/chat on the other servers\' load too; narrow the selector to the target\'s own series: model_name="chat" (vLLM labels every engine metric with the served model name), or its pod, service or job label',
    ]);
  });

  test('no monitor in the tree: a warning; no namespace matcher: servers of every namespace', () => {
    expect(found(server('chat', 'chat'), server('embed', 'embed'), scaler(SUM))).toEqual([
      expect.stringMatching(
        /^warning .*Deployment\/llm\/embed \(serving 'embed'\).*\(where Prometheus scrapes them as it scrapes the target: the tree holds no ServiceMonitor or PodMonitor to tell\)/,
      ),
    ]);
    expect(found(server('chat', 'chat'), server('embed', 'embed', 'other'), scaler('sum(vllm:num_requests_running)'))).toEqual([
      expect.stringMatching(/^warning .*reads vllm:num_requests_running in every namespace .*Deployment\/other\/embed/),
    ]);
  });

  test.each([
    ['a model_name matcher', 'sum(vllm:num_requests_waiting{namespace="llm", model_name="chat"})'],
    ['a pod matcher', 'sum(vllm:num_requests_waiting{namespace="llm", pod=~"chat-.*"})'],
    ['a grouped result', 'sum(vllm:num_requests_waiting{namespace="llm"}) by (model_name)'],
  ])('near miss, %s: silent', (_, query) => {
    expect(found(server('chat', 'chat'), server('embed', 'embed'), scaler(query))).toEqual([]);
  });

  test('near misses: the only server in the namespace; another replica set of the same model; monitors that scrape only the target', () => {
    expect(found(server('chat', 'chat'), server('embed', 'embed', 'other'), scaler(SUM))).toEqual([]);
    expect(found(server('chat', 'chat'), server('chat-canary', 'chat'), scaler(SUM))).toEqual([]);
    expect(found(server('chat', 'chat'), server('embed', 'embed'), podMonitor({ app: 'chat' }), scaler(SUM))).toEqual([]);
  });
});
