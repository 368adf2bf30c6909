import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('monitor-scrape-timeout-exceeds-interval', docs);

const sm = (endpoints: Doc[]): Doc => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: { name: 'llm', namespace: 'ai' },
  spec: { selector: { matchLabels: { app: 'llm' } }, endpoints },
});
const pm = (podMetricsEndpoints: Doc[]): Doc => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PodMonitor',
  metadata: { name: 'llm', namespace: 'ai' },
  spec: { selector: { matchLabels: { app: 'llm' } }, podMetricsEndpoints },
});

describe('monitor-scrape-timeout-exceeds-interval', () => {
  test('a timeout over the interval written beside it: an error naming the endpoint, the operator dropping the monitor', () => {
    expect(
      found([
        sm([
          { port: 'm', interval: '30s' },
          { port: 'x', interval: '10s', scrapeTimeout: '15s' },
        ]),
      ]),
    ).toEqual([
      expect.stringMatching(
        /^error ServiceMonitor\/ai\/llm: spec\.endpoints\[1\]\.scrapeTimeout 15s is longer than its interval 10s: prometheus-operator rejects the whole ServiceMonitor .*scrapes none of its targets/,
      ),
    ]);
    expect(found([pm([{ port: 'm', interval: '1m', scrapeTimeout: '1m500ms' }])])).toEqual([
      expect.stringMatching(/^error PodMonitor\/ai\/llm: spec\.podMetricsEndpoints\[0\]\.scrapeTimeout 1m500ms is longer than its interval 1m:/),
    ]);
  });

  test("no interval on the endpoint: the Prometheus resource's, 30s by default, and a warning", () => {
    expect(found([sm([{ port: 'm', scrapeTimeout: '45s' }])])).toEqual([
      expect.stringMatching(
        /^warning ServiceMonitor\/ai\/llm: spec\.endpoints\[0\]\.scrapeTimeout 45s is longer than the Prometheus resource's scrapeInterval.*30s unless/,
      ),
    ]);
  });

  test('near misses: equal, shorter in other units, no timeout, timeout under the 30s default, an unparsable duration', () => {
    expect(found([sm([{ port: 'm', interval: '15s', scrapeTimeout: '15s' }])])).toEqual([]);
    expect(found([sm([{ port: 'm', interval: '2m', scrapeTimeout: '90s' }])])).toEqual([]);
    expect(found([sm([{ port: 'm', interval: '5s' }])])).toEqual([]);
    expect(found([pm([{ port: 'm', scrapeTimeout: '20s' }])])).toEqual([]);
    expect(found([sm([{ port: 'm', interval: 'soon', scrapeTimeout: '15s' }])])).toEqual([]);
  });
});
