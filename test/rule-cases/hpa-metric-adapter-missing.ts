import { cliInProcess, ruleFindings, writeTree } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('hpa-metric-adapter-missing', docs);
const hpa = (metrics: Doc[]): Doc => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'chat', namespace: 'ai' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'chat' }, maxReplicas: 3, metrics },
});
const pods = (name: string): Doc => ({ type: 'Pods', pods: { metric: { name }, target: { type: 'AverageValue', averageValue: '5' } } });
const external = (name: string): Doc => ({ type: 'External', external: { metric: { name }, target: { type: 'Value', value: '5' } } });

describe('hpa-metric-adapter-missing', () => {
  test('a Pods metric in the Cloud Monitoring form with no adapter in the tree is a warning naming FailedGetPodsMetric', () => {
    expect(found([hpa([pods('prometheus.googleapis.com|vllm:num_requests_waiting|gauge')])])).toEqual([
      expect.stringMatching(
        /^warning HorizontalPodAutoscaler\/ai\/chat: Pods metric prometheus\.googleapis\.com\|vllm:num_requests_waiting\|gauge is a Cloud Monitoring metric .*reports FailedGetPodsMetric and never scales/,
      ),
    ]);
    expect(found([hpa([external('pubsub.googleapis.com|subscription|num_undelivered_messages')])])).toEqual([expect.stringMatching(/FailedGetExternalMetric/)]);
  });

  test('near misses: a Prometheus name, the adapter or an APIService of the metrics group in the tree', () => {
    expect(found([hpa([pods('vllm:num_requests_waiting')])])).toEqual([]);
    const apiService = {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1beta1.custom.metrics.k8s.io' },
      spec: { group: 'custom.metrics.k8s.io', version: 'v1beta1' },
    };
    expect(found([hpa([pods('prometheus.googleapis.com|vllm:num_requests_waiting|gauge')]), apiService])).toEqual([]);
  });
});

describe('hpa-metric-adapter-missing: the adapter applied from its published manifests by URL', () => {
  const HPA =
    'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: chat, namespace: ai}\n' +
    'spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: chat}\n  maxReplicas: 3\n  metrics:\n' +
    '    - type: Pods\n      pods:\n        metric: {name: "prometheus.googleapis.com|vllm:num_requests_waiting|gauge"}\n        target: {type: AverageValue, averageValue: "5"}\n';
  const URL =
    'https://raw.githubusercontent.com/example-org/k8s-stackdriver/master/custom-metrics-stackdriver-adapter/deploy/production/adapter_new_resource_model.yaml';
  const found = async (files: Record<string, string>) => {
    const r = await cliInProcess(['check', writeTree('adapter-url-', { 'hpa.yaml': HPA, ...files }), '--platform', 'kserve', '--json']);
    return (JSON.parse(r.out).findings as { rule: string; severity: string; message: string }[])
      .filter((f) => f.rule === 'hpa-metric-adapter-missing')
      .map((f) => [f.severity, f.message]);
  };

  test("a README step applying the adapter's manifests: a note naming the step, not that the tree installs no adapter", async () => {
    const out = await found({ 'README.md': `# Autoscaling\n\nInstall the metrics adapter:\n\n\`\`\`bash\nkubectl apply -f ${URL}\n\`\`\`\n` });
    expect(out).toEqual([
      [
        'info',
        expect.stringMatching(
          /^Pods metric prometheus\.googleapis\.com\|vllm:num_requests_waiting\|gauge is a Cloud Monitoring metric that only the Custom Metrics Stackdriver Adapter serves, which a guide's step of the tree installs from its published manifests \(\/\S*\/README\.md:6\): no delivery runs that step, so the adapter must be installed on the cluster as the guide says before the HPA can read the metric$/,
        ),
      ],
    ]);
  });

  test('a script applying them (the URL in a variable): installed, no finding', async () => {
    expect(await found({ 'install.sh': `#!/bin/sh\nset -e\nADAPTER_URL="${URL}"\nkubectl apply -f "$ADAPTER_URL"\nkubectl apply -f hpa.yaml\n` })).toEqual([]);
  });

  test('near miss: a script applying another project by URL leaves the warning', async () => {
    const out = await found({ 'install.sh': '#!/bin/sh\nkubectl apply -f https://example.org/metrics-server/components.yaml\n' });
    expect(out.map(([severity]) => severity)).toEqual(['warning']);
  });
});
