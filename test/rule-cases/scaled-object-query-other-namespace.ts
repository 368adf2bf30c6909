import { runChecks } from '../../lib';

type Doc = Record<string, unknown>;
const found = (docs: Doc[]) =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform: 'kserve', rules: ['scaled-object-query-other-namespace'] },
  ).map((f) => [f.severity, f.object, f.message]);

/** A Deployment starting vLLM in a namespace, serving `served`. */
const server = (name: string, ns: string, served = name): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: {
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.10.1', args: ['--model', 'acme/tiny-chat', '--served-model-name', served] }] },
    },
  },
});
const scaler = (ns: string, target: string, query: string): Doc => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'scale', namespace: ns },
  spec: { scaleTargetRef: { name: target }, triggers: [{ type: 'prometheus', metadata: { serverAddress: 'http://prom:9090', query, threshold: '4' } }] },
});

describe('scaled-object-query-other-namespace', () => {
  test("a literal namespace other than the target's: an error naming the matcher, the target's namespace and the fix", () => {
    const query = 'sum(vllm:num_requests_running{namespace="team-x-llm"})';
    expect(found([server('chat', 'team-x'), scaler('team-x', 'chat', query)])).toEqual([
      [
        'error',
        'ScaledObject/team-x/scale',
        `triggers[0] query '${query}' selects namespace="team-x-llm", but the target Deployment/team-x/chat runs in namespace 'team-x': Prometheus labels each scraped series with the namespace of the pod it scrapes, so the query returns no series of the target's pods and KEDA never scales the target on its load (an empty result is 0, or an error with ignoreNullValues false); select namespace="team-x" (or drop the matcher and narrow by model_name)`,
      ],
    ]);
  });

  test("a regex that does not match the target's namespace whole, and != of it: errors; a server of the tree in the named namespace: a warning", () => {
    expect(found([server('chat', 'team-x'), scaler('team-x', 'chat', 'sum(vllm:num_requests_waiting{namespace=~"team-x-.*"})')]).map((f) => f[0])).toEqual([
      'error',
    ]);
    expect(found([server('chat', 'team-x'), scaler('team-x', 'chat', 'sum(vllm:num_requests_waiting{namespace!="team-x"})')]).map((f) => f[0])).toEqual([
      'error',
    ]);
    const [[severity, , message]] = found([
      server('chat', 'team-x'),
      server('chat', 'team-y'),
      scaler('team-x', 'chat', 'sum(vllm:num_requests_waiting{namespace="team-y"})'),
    ]);
    expect(severity).toBe('warning');
    expect(message).toContain('it reads the series of Deployment/team-y/chat there, so KEDA scales the target on another namespace');
  });

  test('a model_name no served name of the target passes, where the namespace admits it: an error', () => {
    const query = 'sum(vllm:num_requests_running{namespace="team-x", model_name="chatbot"})';
    expect(found([server('chat', 'team-x'), scaler('team-x', 'chat', query)])).toEqual([
      [
        'error',
        'ScaledObject/team-x/scale',
        `triggers[0] query '${query}' selects model_name="chatbot", but Deployment/team-x/chat serves 'chat' (its --served-model-name, else its --model), the model_name vLLM labels its engine metrics with: the query returns no series of the target and KEDA never scales it on its load; select model_name="chat"`,
      ],
    ]);
  });

  test('near misses: the same namespace, a regex matching it whole, no matcher, one selector without it, a variable, another metric, a non-vLLM target', () => {
    for (const query of [
      'sum(vllm:num_requests_running{namespace="team-x"})',
      'sum(vllm:num_requests_running{namespace=~"team-x(-llm)?"})',
      'sum(vllm:num_requests_running{namespace=~"team-.*"})',
      'sum(vllm:num_requests_running)',
      'sum(vllm:num_requests_running{namespace="team-x-llm"}) + sum(vllm:num_requests_waiting)',
      'sum(vllm:num_requests_running{namespace="${NS}"})',
      'sum(http_requests_total{namespace="team-x-llm"})',
      'sum(vllm:num_requests_running{namespace="team-x", model_name=~"ch.*"})',
    ])
      expect(found([server('chat', 'team-x'), scaler('team-x', 'chat', query)])).toEqual([]);
    const web = { ...server('web', 'team-x') };
    (web.spec as { template: { spec: { containers: Doc[] } } }).template.spec.containers = [{ name: 'web', image: 'nginx:1.27' }];
    expect(found([web, scaler('team-x', 'web', 'sum(vllm:num_requests_running{namespace="team-x-llm"})')])).toEqual([]);
  });
});
