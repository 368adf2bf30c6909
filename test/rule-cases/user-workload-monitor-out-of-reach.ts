import { ruleFound } from '../util';

type Doc = Record<string, unknown>;

const service = (ns: string): Doc => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'granite', namespace: ns, labels: { app: 'granite' } },
  spec: { selector: { app: 'granite' }, ports: [{ name: 'metrics', port: 8000 }] },
});

const monitor = (ns: string, namespaceSelector?: Doc, labels: Record<string, string> = {}): Doc => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: { name: 'granite', namespace: ns, labels },
  spec: { ...(namespaceSelector ? { namespaceSelector } : {}), selector: { matchLabels: { app: 'granite' } }, endpoints: [{ port: 'metrics' }] },
});

const found = (docs: Doc[], platform: 'rhoai-3.0' | 'kserve' = 'rhoai-3.0') =>
  ruleFound(
    'user-workload-monitor-out-of-reach',
    docs.map((manifest) => ({ manifest })),
    { platform },
  ).map((f) => [f.severity, f.object, f.message]);

// cluster-monitoring-operator assets/prometheus-user-workload/prometheus.yaml: ignoreNamespaceSelectors: true, and no
// monitor of a namespace labelled openshift.io/cluster-monitoring: "true"
describe('user-workload-monitor-out-of-reach', () => {
  test('a ServiceMonitor in openshift-user-workload-monitoring for a user namespace: an error naming the label and the fix', () => {
    expect(found([service('chat'), monitor('openshift-user-workload-monitoring', { matchNames: ['chat'] })])).toEqual([
      [
        'error',
        'ServiceMonitor/openshift-user-workload-monitoring/granite',
        "ServiceMonitor in openshift-user-workload-monitoring selects targets in chat only, but OpenShift's user-workload Prometheus takes no monitor from " +
          'a namespace labelled openshift.io/cluster-monitoring: "true" (namespace openshift-user-workload-monitoring is labelled openshift.io/cluster-monitoring: "true"), ' +
          "and the platform Prometheus that reads it monitors the platform's namespaces, not user workloads: the targets are never scraped and their metrics never " +
          'reach Thanos Querier; put the ServiceMonitor in chat, the namespace of its targets',
      ],
    ]);
  });

  test('a namespace the tree labels for cluster monitoring: an error; another openshift-* namespace of the cluster: a warning', () => {
    const labelled = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ops', labels: { 'openshift.io/cluster-monitoring': 'true' } } };
    expect(found([labelled, service('chat'), monitor('ops', { matchNames: ['chat'] })]).map(([s]) => s)).toEqual(['error']);
    expect(found([service('chat'), monitor('openshift-ingress', { matchNames: ['chat'] })]).map(([s]) => s)).toEqual(['warning']);
  });

  test("a monitor in a user namespace whose namespaceSelector reaches the targets' namespace only: an error naming them", () => {
    const [[severity, object, message]] = found([service('chat'), monitor('observability', { matchNames: ['chat'] })]);
    expect([severity, object]).toEqual(['error', 'ServiceMonitor/observability/granite']);
    expect(message).toBe(
      "spec.namespaceSelector reaches chat, where the ServiceMonitor's targets are (Service/chat/granite), but OpenShift's user-workload Prometheus sets " +
        "ignoreNamespaceSelectors: true, so it reads spec.namespaceSelector as the ServiceMonitor's own namespace observability, where none are: they are never " +
        'scraped; put a ServiceMonitor in each namespace of the targets (spec.namespaceSelector then unneeded)',
    );
  });

  test('matchNames of other namespaces with no target in the tree: a warning', () => {
    expect(found([monitor('observability', { matchNames: ['chat'] })]).map(([s]) => s)).toEqual(['warning']);
  });

  test('near misses: plain Kubernetes, the monitor beside its targets, its own namespace named, a Prometheus of the tree, opted out, any with no target', () => {
    expect(found([service('chat'), monitor('observability', { matchNames: ['chat'] })], 'kserve')).toEqual([]);
    expect(found([service('chat'), monitor('openshift-user-workload-monitoring', { matchNames: ['chat'] })], 'kserve')).toEqual([]);
    expect(found([service('chat'), monitor('chat')])).toEqual([]);
    expect(found([service('chat'), monitor('chat', { matchNames: ['chat'] })])).toEqual([]);
    const prometheus = { apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'own', namespace: 'observability' }, spec: {} };
    expect(found([prometheus, service('chat'), monitor('observability', { matchNames: ['chat'] })])).toEqual([]);
    expect(found([service('chat'), monitor('observability', { matchNames: ['chat'] }, { 'openshift.io/user-monitoring': 'false' })])).toEqual([]);
    expect(found([monitor('observability', { any: true })])).toEqual([]);
  });
});
