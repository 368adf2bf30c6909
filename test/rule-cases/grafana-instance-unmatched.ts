import { ruleFound, severityObjectMessages } from '../util';

type Doc = Record<string, unknown>;
const found = (docs: Doc[]) =>
  severityObjectMessages(
    ruleFound(
      'grafana-instance-unmatched',
      docs.map((manifest) => ({ manifest })),
      { platform: 'kserve' },
    ),
  );

const grafana = (ns: string, labels: Record<string, string>): Doc => ({
  apiVersion: 'grafana.integreatly.org/v1beta1',
  kind: 'Grafana',
  metadata: { name: 'grafana', namespace: ns, labels },
  spec: {},
});
const dashboard = (ns: string, instanceSelector: Doc, extra: Doc = {}): Doc => ({
  apiVersion: 'grafana.integreatly.org/v1beta1',
  kind: 'GrafanaDashboard',
  metadata: { name: 'latency', namespace: ns },
  spec: { instanceSelector, json: '{}', ...extra },
});

describe('grafana-instance-unmatched', () => {
  test("a selector none of the namespace's Grafanas matches: an error naming their labels", () => {
    expect(found([grafana('obs', { dashboards: 'grafana' }), dashboard('obs', { matchLabels: { instance: 'grafana' } })])).toEqual([
      [
        'error',
        'GrafanaDashboard/obs/latency',
        "spec.instanceSelector selects none of the tree's Grafana instances in namespace 'obs': Grafana/obs/grafana (dashboards=grafana); grafana-operator applies a GrafanaDashboard only to the Grafanas its selector matches, so it is never applied (condition NoMatchingInstance): select the labels a Grafana carries, or label the Grafana as the selector asks",
      ],
    ]);
  });

  test('matchExpressions are judged, and an instance without labels meets them (as grafana-operator reads them)', () => {
    const expressions = { matchExpressions: [{ key: 'tier', operator: 'In', values: ['gold'] }] };
    expect(found([grafana('obs', { tier: 'silver' }), dashboard('obs', expressions)]).map((f) => f[0])).toEqual(['error']);
    expect(found([grafana('obs', {}), dashboard('obs', expressions)])).toEqual([]);
  });

  test('the only matching Grafana is in another namespace, without cross-namespace import: a warning', () => {
    const [[severity, , message]] = found([grafana('obs', { dashboards: 'grafana' }), dashboard('apps', { matchLabels: { dashboards: 'grafana' } })]);
    expect(severity).toBe('warning');
    expect(message).toContain('without spec.allowCrossNamespaceImport: true');
  });

  test('near misses: a match, a match across namespaces allowed, a tree without Grafana instances', () => {
    expect(found([grafana('obs', { dashboards: 'grafana' }), dashboard('obs', { matchLabels: { dashboards: 'grafana' } })])).toEqual([]);
    expect(
      found([grafana('obs', { dashboards: 'grafana' }), dashboard('apps', { matchLabels: { dashboards: 'grafana' } }, { allowCrossNamespaceImport: true })]),
    ).toEqual([]);
    expect(found([dashboard('obs', { matchLabels: { instance: 'grafana' } })])).toEqual([]);
  });
});
