import { ruleFindings } from '../util';

/**
 * service-url-not-found on an InferenceService's logger URL: KServe's agent posts each request and response log to
 * spec.<component>.logger.url from a queue (kserve pkg/logger/worker.go), so a sink that never exists loses the logs,
 * not the inference: a warning.
 */
const sink = (name: string, spec: object) => ({ apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name }, spec });
const isvc = (url: string) => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'digits' },
  spec: { predictor: { logger: { mode: 'all', url }, model: { modelFormat: { name: 'sklearn' }, storageUri: 's3://m/d' } } },
});
const CONTAINERS = [{ image: 'registry.example.com/tools/sink:1.0' }];

describe('service-url-not-found: logger URLs', () => {
  test('a logger URL naming a Knative Service Knative refuses: a warning naming it', () => {
    expect(
      ruleFindings('service-url-not-found', [sink('log-sink', { template: { spec: null, containers: CONTAINERS } }), isvc('http://log-sink.default/')]),
    ).toEqual([
      expect.stringMatching(
        /^warning InferenceService\/digits: spec.predictor.logger.url 'http:\/\/log-sink.default\/' names Knative Service 'log-sink', which Knative's webhook refuses/,
      ),
    ]);
  });

  test('a logger URL naming a Service the tree lacks, a near name defined: a warning suggesting it', () => {
    expect(
      ruleFindings('service-url-not-found', [sink('log-sink', { template: { spec: { containers: CONTAINERS } } }), isvc('http://log-sinks.default')]),
    ).toEqual([
      expect.stringMatching(
        /^warning InferenceService\/digits: .*names Service 'log-sinks', which the tree does not define.*inference is still served.*did you mean 'log-sink'\?$/,
      ),
    ]);
  });

  test('near misses: a sink that runs, a host outside the cluster, a name with no near Service', () => {
    const ok = sink('log-sink', { template: { spec: { containers: CONTAINERS } } });
    expect(ruleFindings('service-url-not-found', [ok, isvc('http://log-sink.default/')])).toEqual([]);
    expect(ruleFindings('service-url-not-found', [ok, isvc('https://logs.example.com/ingest')])).toEqual([]);
    expect(ruleFindings('service-url-not-found', [ok, isvc('http://broker-ingress.knative-eventing.svc.cluster.local/ns/default')])).toEqual([]);
  });
});
