import { ruleFindings } from '../util';

const RULE = 'epp-probe-service-unknown';
const picker = (image: string, args: string[], probes: Record<string, unknown>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'picker', namespace: 'ai' },
  spec: {
    selector: { matchLabels: { app: 'picker' } },
    template: { metadata: { labels: { app: 'picker' } }, spec: { containers: [{ name: 'epp', image, args, ...probes }] } },
  },
});
const grpc = (service?: string) => ({ grpc: { port: 9003, ...(service === undefined ? {} : { service }) } });

describe("epp-probe-service-unknown: a gRPC probe names a service the picker's release does not answer", () => {
  test('llm-d scheduler 0.0.2: readiness and liveness under another name, an error each naming the ext_proc service', () => {
    const found = ruleFindings(RULE, [
      picker('ghcr.io/llm-d/llm-d-inference-scheduler:0.0.2', ['-poolName', 'p'], {
        livenessProbe: grpc('inference-extension'),
        readinessProbe: grpc('inference-extension'),
      }),
    ]);
    expect(found).toEqual([
      expect.stringMatching(
        /^error Deployment\/ai\/picker: container .*livenessProbe asks the gRPC health service 'inference-extension'.*answers only envoy\.service\.ext_proc\.v3\.ExternalProcessor.*restarted/,
      ),
      expect.stringMatching(/^error .*readinessProbe .*never becomes Ready/),
    ]);
  });

  test('the extension v1.0.0 with leader election: an unknown name is an error, liveness and readiness are not', () => {
    const image = 'registry.k8s.io/gateway-api-inference-extension/epp:v1.0.0';
    const args = ['--pool-name', 'p', '--ha-enable-leader-election'];
    expect(ruleFindings(RULE, [picker(image, args, { readinessProbe: grpc('inference-extension') })])).toEqual([
      expect.stringMatching(/with --ha-enable-leader-election answers only liveness, readiness.*set grpc\.service to readiness/),
    ]);
    expect(ruleFindings(RULE, [picker(image, args, { livenessProbe: grpc('liveness'), readinessProbe: grpc('readiness') })])).toEqual([]);
  });

  test.each([
    [
      'llm-d scheduler 0.0.5 (any name)',
      picker('ghcr.io/llm-d/llm-d-inference-scheduler:0.0.5', ['-poolName', 'p'], { readinessProbe: grpc('inference-extension') }),
    ],
    [
      'the ext_proc name on 0.0.2',
      picker('ghcr.io/llm-d/llm-d-inference-scheduler:0.0.2', ['-poolName', 'p'], { readinessProbe: grpc('envoy.service.ext_proc.v3.ExternalProcessor') }),
    ],
    [
      'v1.0.0 without leader election',
      picker('registry.k8s.io/gateway-api-inference-extension/epp:v1.0.0', ['--pool-name', 'p'], { readinessProbe: grpc('inference-extension') }),
    ],
    [
      'a moving tag',
      picker('registry.k8s.io/gateway-api-inference-extension/epp:main', ['--pool-name', 'p', '--ha-enable-leader-election'], { readinessProbe: grpc('x') }),
    ],
  ])('%s: silent', (_what, doc) => {
    expect(ruleFindings(RULE, [doc])).toEqual([]);
  });
});
