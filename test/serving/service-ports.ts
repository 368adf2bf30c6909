import { runChecks } from '../../lib';

/** service-port-unmatched: a Service's target against the ports of the pods it selects (endpointslice controller, FindPort). */
const deployment = (ports: unknown[], labels: Record<string, string> = { app: 'web' }) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'tools' },
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'x', ports }] } } },
});
const service = (ports: unknown[], selector: Record<string, string> = { app: 'web' }, apiVersion = 'v1') => ({
  apiVersion,
  kind: 'Service',
  metadata: { name: 'web', namespace: 'tools' },
  spec: { selector, ports },
});

function found(objects: unknown[]): [string, string][] {
  return runChecks(
    objects.map((manifest) => ({ manifest: manifest as Record<string, unknown> })),
    { platform: 'rhoai-3.4', rules: ['service-port-unmatched'] },
  ).map((f) => [f.severity, f.message.slice(0, 40)]);
}

describe('service-port-unmatched', () => {
  const http = [{ name: 'http', containerPort: 8080 }];

  test('a named target no selected container declares is an error; a declared name or number is not', () => {
    expect(found([deployment(http), service([{ port: 80, targetPort: 'metrics' }])])).toEqual([['error', 'spec.ports[0].targetPort names the port ']]);
    expect(found([deployment(http), service([{ port: 80, targetPort: 'http' }])])).toEqual([]);
    expect(found([deployment(http), service([{ port: 80, targetPort: 8080 }])])).toEqual([]);
    expect(found([deployment(http), service([{ port: 8080 }])])).toEqual([]);
  });

  test('a number none of the declared ports matches, the program unknown: a warning (a containerPort is informational), nothing where none is declared', () => {
    expect(found([deployment(http), service([{ port: 80, targetPort: 8888 }])])).toEqual([['warning', 'spec.ports[0].targetPort is 8888, but th']]);
    expect(found([deployment(http), service([{ port: 8888 }])])).toEqual([['warning', 'spec.ports[0].port (the target when targ']]);
    expect(found([deployment(http), service([{ port: 80, targetPort: '8888' }])])).toEqual([['warning', 'spec.ports[0].targetPort is 8888, but th']]);
    const sidecar = deployment(http);
    sidecar.spec.template.spec.containers.push({ name: 'proxy', image: 'y', ports: [] });
    expect(found([sidecar, service([{ port: 80, targetPort: 8888 }])])).toEqual([['warning', 'spec.ports[0].targetPort is 8888, but th']]);
    expect(found([deployment([]), service([{ port: 80, targetPort: 8888 }])])).toEqual([]);
  });

  test("a native sidecar's ports count (an init container with restartPolicy Always serves beside the others); a run-to-completion init container's do not", () => {
    const withInit = (restartPolicy?: string) => {
      const d = deployment(http) as { spec: { template: { spec: Record<string, unknown> } } };
      d.spec.template.spec.initContainers = [
        { name: 'gateway', image: 'z', ports: [{ name: 'api', containerPort: 8000 }], ...(restartPolicy ? { restartPolicy } : {}) },
      ];
      return d;
    };
    expect(found([withInit('Always'), service([{ port: 80, targetPort: 8000 }])])).toEqual([]);
    expect(found([withInit('Always'), service([{ port: 80, targetPort: 'api' }])])).toEqual([]);
    expect(found([withInit(), service([{ port: 80, targetPort: 8000 }])])).toEqual([['warning', 'spec.ports[0].targetPort is 8000, but th']]);
  });

  test('a number the Service can do without stays a warning: an extra port beside a served one, or another selected workload declaring it', () => {
    expect(
      found([
        deployment(http),
        service([
          { port: 80, targetPort: 8080 },
          { name: 'metrics', port: 9400 },
        ]),
      ]),
    ).toEqual([['warning', 'spec.ports[1].port (the target when targ']]);
    expect(
      found([
        deployment(http),
        service([
          { port: 80, targetPort: 'http' },
          { name: 'metrics', port: 9400, targetPort: 9400 },
        ]),
      ]),
    ).toEqual([['warning', 'spec.ports[1].targetPort is 9400, but th']]);
    const other = { ...deployment([{ containerPort: 8888 }]), metadata: { name: 'web-v2', namespace: 'tools' } };
    expect(found([deployment(http), other, service([{ port: 80, targetPort: 8888 }])])).toEqual([['warning', 'spec.ports[0].targetPort is 8888, but th']]);
  });

  test('only pods the selector picks, in the namespace, and only core Services', () => {
    expect(found([deployment(http, { app: 'other' }), service([{ port: 80, targetPort: 'metrics' }])])).toEqual([]);
    expect(found([deployment(http), service([{ port: 80, targetPort: 'metrics' }], {})])).toEqual([]);
    expect(found([deployment(http), service([{ port: 80, targetPort: 'metrics' }], { app: 'web' }, 'serving.knative.dev/v1')])).toEqual([]);
    const other = { ...deployment(http), metadata: { name: 'web', namespace: 'elsewhere' } };
    expect(found([other, service([{ port: 80, targetPort: 'metrics' }])])).toEqual([]);
  });
});
