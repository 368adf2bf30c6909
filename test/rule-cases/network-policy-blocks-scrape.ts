import { ruleFindings } from '../util';

const RULE = 'network-policy-blocks-scrape';

type Doc = Record<string, unknown>;
const deployment: Doc = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'reranker', namespace: 'search' },
  spec: {
    selector: { matchLabels: { app: 'reranker' } },
    template: {
      metadata: { labels: { app: 'reranker' } },
      spec: { containers: [{ name: 'server', image: 'quay.io/searchworks/reranker:2.1.0', ports: [{ name: 'http', containerPort: 8080 }] }] },
    },
  },
};
const service: Doc = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'reranker', namespace: 'search', labels: { app: 'reranker' } },
  spec: { selector: { app: 'reranker' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
};
const monitor: Doc = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: { name: 'reranker', namespace: 'search' },
  spec: { selector: { matchLabels: { app: 'reranker' } }, endpoints: [{ port: 'http', path: '/metrics' }] },
};
const policy = (from: unknown[] | undefined): Doc => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'reranker-ingress', namespace: 'search' },
  spec: { podSelector: { matchLabels: { app: 'reranker' } }, policyTypes: ['Ingress'], ingress: [from === undefined ? {} : { from }] },
});
const gatewayOnly = [{ podSelector: { matchLabels: { app: 'gateway' } } }];
const prometheus: Doc = { apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'main', namespace: 'observability' }, spec: {} };

describe('network-policy-blocks-scrape', () => {
  test('on OpenShift, only a same-namespace podSelector admitted: an error naming the monitor, the policy, the port and the peer to add', () => {
    expect(ruleFindings(RULE, [deployment, service, monitor, policy(gatewayOnly)], 'rhoai-3.0')).toEqual([
      "error ServiceMonitor/search/reranker: scrapes Deployment/search/reranker's pods (behind Service/search/reranker) on port 8080, and NetworkPolicy 'reranker-ingress' selects those pods for Ingress with no rule whose peers can be OpenShift's user-workload Prometheus (namespace openshift-user-workload-monitoring): the connections are dropped, every scrape times out (the target stays down) and the metrics never arrive; add an ingress rule from {namespaceSelector: {matchLabels: {network.openshift.io/policy-group: monitoring}}} on port 8080 (or a NetworkPolicy allowing it)",
    ]);
  });

  test("the tree's Prometheus in another namespace: an error; Prometheus's location unknown: a warning that says so", () => {
    expect(ruleFindings(RULE, [deployment, service, monitor, policy(gatewayOnly), prometheus], 'kserve')).toEqual([
      expect.stringMatching(
        /^error ServiceMonitor\/search\/reranker: .*Prometheus\/observability\/main's pods: .*namespaceSelector matching namespace observability/,
      ),
    ]);
    expect(ruleFindings(RULE, [deployment, service, monitor, policy(gatewayOnly)], 'kserve')).toEqual([
      expect.stringMatching(/^warning ServiceMonitor\/search\/reranker: .*the scrapes may time out .*where Prometheus runs is not in the tree/),
    ]);
  });

  test.each<[string, Doc[]]>([
    [
      'a rule admitting the monitoring policy group',
      [policy([...gatewayOnly, { namespaceSelector: { matchLabels: { 'network.openshift.io/policy-group': 'monitoring' } } }])],
    ],
    ['a rule with no from (every peer)', [policy(undefined)]],
    ['no NetworkPolicy', []],
  ])('near miss on OpenShift, %s: silent', (_, docs) => {
    expect(ruleFindings(RULE, [deployment, service, monitor, ...docs], 'rhoai-3.0')).toEqual([]);
  });
  test('a monitor in another namespace reaches the targets through spec.namespaceSelector (any, matchNames); without one it scrapes only its own', () => {
    const podMonitor = (namespaceSelector?: Doc): Doc => ({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'reranker-pods', namespace: 'observability' },
      spec: { selector: { matchLabels: { app: 'reranker' } }, podMetricsEndpoints: [{ port: 'http' }], namespaceSelector },
    });
    const elsewhere: Doc = { ...monitor, metadata: { name: 'reranker', namespace: 'observability' } };
    for (const m of [podMonitor({ any: true }), podMonitor({ matchNames: ['search'] })])
      expect(ruleFindings(RULE, [deployment, service, m, policy(gatewayOnly)], 'rhoai-3.0')).toEqual([
        "error PodMonitor/observability/reranker-pods: scrapes Deployment/search/reranker's pods on port http, and NetworkPolicy 'reranker-ingress' selects those pods for Ingress with no rule whose peers can be OpenShift's user-workload Prometheus (namespace openshift-user-workload-monitoring): the connections are dropped, every scrape times out (the target stays down) and the metrics never arrive; add an ingress rule from {namespaceSelector: {matchLabels: {network.openshift.io/policy-group: monitoring}}} on port http (or a NetworkPolicy allowing it)",
      ]);
    expect(
      ruleFindings(
        RULE,
        [deployment, service, { ...elsewhere, spec: { ...(elsewhere.spec as Doc), namespaceSelector: { any: true } } }, policy(gatewayOnly)],
        'rhoai-3.0',
      ),
    ).toEqual([
      expect.stringMatching(
        /^error ServiceMonitor\/observability\/reranker: scrapes Deployment\/search\/reranker's pods \(behind Service\/search\/reranker\) on port 8080/,
      ),
    ]);
    // near misses: no namespaceSelector (the monitor's own namespace), matchNames of another namespace
    expect(ruleFindings(RULE, [deployment, service, podMonitor(), elsewhere, policy(gatewayOnly)], 'rhoai-3.0')).toEqual([]);
    expect(ruleFindings(RULE, [deployment, service, podMonitor({ matchNames: ['billing'] }), policy(gatewayOnly)], 'rhoai-3.0')).toEqual([]);
  });

  test('a namespace labelled openshift.io/cluster-monitoring: "true" is scraped by the platform Prometheus (openshift-monitoring), not the user-workload one', () => {
    const labelled: Doc = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'search', labels: { 'openshift.io/cluster-monitoring': 'true' } } };
    const byName = (ns: string) => [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } }];
    // the policy admits openshift-monitoring by name: the platform Prometheus is admitted, silent
    expect(ruleFindings(RULE, [labelled, deployment, service, monitor, policy(byName('openshift-monitoring'))], 'rhoai-3.0')).toEqual([]);
    // the policy group label is on both monitoring namespaces: silent as well
    const group = [{ namespaceSelector: { matchLabels: { 'network.openshift.io/policy-group': 'monitoring' } } }];
    expect(ruleFindings(RULE, [labelled, deployment, service, monitor, policy(group)], 'rhoai-3.0')).toEqual([]);
    // it admits only the user-workload namespace: the platform Prometheus is refused, an error naming it
    expect(ruleFindings(RULE, [labelled, deployment, service, monitor, policy(byName('openshift-user-workload-monitoring'))], 'rhoai-3.0')).toEqual([
      expect.stringMatching(
        /^error ServiceMonitor\/search\/reranker: .*no rule whose peers can be OpenShift's platform Prometheus \(namespace openshift-monitoring; it, not the user-workload Prometheus, reads the monitors of namespace search, labelled openshift\.io\/cluster-monitoring: "true"\)/,
      ),
    ]);
    // without the label the user-workload Prometheus scrapes: admitting openshift-monitoring by name does not let it in
    expect(ruleFindings(RULE, [deployment, service, monitor, policy(byName('openshift-monitoring'))], 'rhoai-3.0')).toEqual([
      expect.stringMatching(/^error ServiceMonitor\/search\/reranker: .*OpenShift's user-workload Prometheus \(namespace openshift-user-workload-monitoring\)/),
    ]);
  });
});
