import { runChecks } from '../../lib';

type Doc = Record<string, unknown>;
const findings = (containers: Doc[], annotations: Doc = { 'prometheus.io/port': '8001' }) =>
  runChecks(
    [
      {
        manifest: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'chat', namespace: 'ai' },
          spec: { template: { metadata: { annotations }, spec: { containers } } },
        },
      },
    ],
    { platform: 'kserve', rules: ['model-server-port-not-served'] },
  ).map((f) => [f.severity, f.message]);
const vllm = (args: string[]): Doc => ({ name: 'vllm', image: 'vllm/vllm-openai:v0.10.1', args: ['--model', 'Qwen/Qwen3-0.6B', ...args] });

describe('model-server-port-not-served: vLLM metrics scraped on a port it does not open', () => {
  test("the annotation names another port than vLLM's API port (8000 by default): an error naming the port to scrape", () => {
    expect(findings([vllm([])])).toEqual([
      [
        'error',
        "the pod annotation prometheus.io/port names port 8001 for metrics, but container 'vllm' runs vLLM, which serves /metrics on its API port 8000 (vLLM's default, no --port given) and opens no other: Prometheus' kubernetes-pods job scrapes the annotated port, the connection is refused and vLLM's metrics (and an autoscaler fed by them) are empty; scrape port 8000",
      ],
    ]);
  });

  test('another container of the pod that declares no ports may listen there: a warning', () => {
    expect(findings([vllm([]), { name: 'exporter', image: 'example/exporter:1' }])).toEqual([
      ['warning', expect.stringContaining('unless another container of the pod')],
    ]);
  });

  test("near misses: vLLM's own port, a port another container declares, a --port from a variable, no annotation", () => {
    expect(findings([vllm(['--port', '8001'])])).toEqual([]);
    expect(findings([vllm([]), { name: 'exporter', image: 'example/exporter:1', ports: [{ containerPort: 8001 }] }])).toEqual([]);
    expect(findings([vllm(['--port', '$(PORT)'])])).toEqual([]);
    expect(findings([vllm([])], {})).toEqual([]);
  });
});
