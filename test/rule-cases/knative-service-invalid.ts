import { ruleFindings } from '../util';

/**
 * knative-service-invalid: Knative Serving's webhook decodes a Service or Configuration strictly and refuses a revision
 * template without containers (knative/serving k8s_validation.go ValidatePodSpec, cmd/webhook/main.go).
 */
const ksvc = (kind: string, spec: object) => ({
  apiVersion: 'serving.knative.dev/v1',
  kind,
  metadata: { name: 'sink', namespace: 'demo' },
  spec,
});

const CONTAINERS = [{ image: 'registry.example.com/tools/sink:1.0' }];

describe('knative-service-invalid', () => {
  test('containers beside spec under template: one error naming the stray field and the missing containers', () => {
    const f = ruleFindings('knative-service-invalid', [ksvc('Service', { template: { spec: null, containers: CONTAINERS } })]);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatch(/^error Service\/demo\/sink: unknown field 'spec.template.containers'/);
    expect(f[0]).toMatch(/missing field\(s\): spec.template.spec.containers/);
    expect(f[0]).toMatch(/'containers' belongs under spec.template.spec/);
  });

  test('an empty containers list, and a stray key under spec of a Configuration', () => {
    expect(ruleFindings('knative-service-invalid', [ksvc('Service', { template: { spec: { containers: [] } } })])).toEqual([
      expect.stringMatching(/^error Service\/demo\/sink: spec.template.spec has no containers/),
    ]);
    expect(ruleFindings('knative-service-invalid', [ksvc('Configuration', { template: { spec: { containers: CONTAINERS } }, traffic: [] })])).toEqual([
      expect.stringMatching(/^error Configuration\/demo\/sink: unknown field 'spec.traffic'/),
    ]);
  });

  test('near misses: a well-formed Service with traffic, a core Service', () => {
    expect(
      ruleFindings('knative-service-invalid', [
        ksvc('Service', {
          template: { metadata: { labels: { a: 'b' } }, spec: { containers: CONTAINERS, containerConcurrency: 1 } },
          traffic: [{ percent: 100 }],
        }),
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'sink' }, spec: { ports: [{ port: 80 }] } },
      ]),
    ).toEqual([]);
  });
});
