import { ruleFindings } from '../util';

/**
 * Cases after prometheus-operator pkg/prometheus/promcfg.go: an endpoint filters its targets by port only when it
 * names one (port, targetPort; a PodMonitor's portNumber too); without, every discovered port is a target.
 */
type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('monitor-endpoint-port-missing', docs);
const serviceMonitor = (endpoints: Doc[]): Doc => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: { name: 'gauges', namespace: 'obs' },
  spec: { selector: { matchLabels: { app: 'gauges' } }, endpoints },
});
const podMonitor = (podMetricsEndpoints: Doc[]): Doc => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PodMonitor',
  metadata: { name: 'gauges', namespace: 'obs' },
  spec: { selector: { matchLabels: { app: 'gauges' } }, podMetricsEndpoints },
});

describe('monitor-endpoint-port-missing', () => {
  test('an endpoint of fields only after one naming its port: a warning naming both and the fields to move', () => {
    expect(found([serviceMonitor([{ port: 'web' }, { interval: '15s', honorLabels: true }])])).toEqual([
      'warning ServiceMonitor/obs/gauges: spec.endpoints[1] (interval: 15s, honorLabels: true) names no port while spec.endpoints[0] names port web: prometheus-operator keeps every port of the Services the monitor selects as a target of this endpoint, so the ports that serve no metrics are down targets and port web is scraped twice; it reads as one endpoint split in two by a stray list dash: move interval: 15s, honorLabels: true into spec.endpoints[0], or name the port it scrapes',
    ]);
  });

  test("a PodMonitor, the endpoint before it naming a targetPort: the same, of the pods' container ports", () => {
    expect(found([podMonitor([{ targetPort: 9100 }, { path: '/stats' }])])).toEqual([
      'warning PodMonitor/obs/gauges: spec.podMetricsEndpoints[1] (path: /stats) names no port while spec.podMetricsEndpoints[0] names targetPort 9100: prometheus-operator keeps every container port of the pods the monitor selects as a target of this endpoint, so the ports that serve no metrics are down targets and targetPort 9100 is scraped twice; it reads as one endpoint split in two by a stray list dash: move path: /stats into spec.podMetricsEndpoints[0], or name the port it scrapes',
    ]);
  });

  test('near misses: every endpoint names a port (a portNumber of a PodMonitor too), or the only endpoint names none', () => {
    expect(found([serviceMonitor([{ port: 'web', interval: '15s' }, { targetPort: 'admin' }])])).toEqual([]);
    expect(found([podMonitor([{ portNumber: 8080 }, { port: 'admin' }])])).toEqual([]);
    expect(found([serviceMonitor([{ interval: '15s' }])])).toEqual([]);
    expect(found([podMonitor([])])).toEqual([]);
  });
});
