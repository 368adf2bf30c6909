import { cliInProcess, writeTree } from '../util';

/**
 * Cases of ingress-backend-not-found where an Argo CD Application installs a well-known chart into the Ingress's
 * namespace: its Services are named as the chart's fullname helper names them, so a backend it does not make is found.
 */
const app = (helm = '') =>
  [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata: {name: grafana, namespace: argocd}',
    'spec:',
    '  project: default',
    '  source:',
    '    repoURL: https://grafana.github.io/helm-charts',
    '    chart: grafana',
    '    targetRevision: 10.5.15',
    ...(helm ? [`    helm: ${helm}`] : []),
    '  destination: {server: https://kubernetes.default.svc, namespace: observability}',
  ].join('\n');
const ingress = (service: string) =>
  [
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    'metadata: {name: dashboards, namespace: observability}',
    'spec:',
    '  rules:',
    '    - host: dashboards.example.com',
    '      http:',
    '        paths:',
    `          - {path: /, pathType: Prefix, backend: {service: {name: ${service}, port: {number: 80}}}}`,
  ].join('\n');

async function found(files: Record<string, string>): Promise<[string, string][]> {
  const dir = writeTree('ingress-release-', files);
  const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
    .filter((f) => f.rule === 'ingress-backend-not-found')
    .map((f) => [f.severity, f.message]);
}

describe("ingress-backend-not-found: a Service a well-known chart's release does not make", () => {
  test('the grafana release named grafana makes grafana, not grafana-service: an error naming the Services it makes (the release was an unseen delivery, nothing was said)', async () => {
    expect(await found({ 'apps/grafana.yaml': app(), 'ingress.yaml': ingress('grafana-service') })).toEqual([
      [
        'error',
        expect.stringMatching(
          /^spec\.rules\[0\]\.http\.paths\[0\]\.backend\.service\.name names Service 'grafana-service', which is not in namespace 'observability': Application\/argocd\/grafana \(chart grafana, release 'grafana'\) makes the Services there \(grafana\).*every request it routes gets 503 \(no endpoints\); name one of those Services/,
        ),
      ],
    ]);
  });

  test.each([
    ['the name the release makes', app(), 'grafana'],
    ['fullnameOverride inline', app('{valuesObject: {fullnameOverride: grafana-service}}'), 'grafana-service'],
    ['a releaseName that makes it', app('{releaseName: dashboards}'), 'dashboards-grafana'],
  ])('near miss: %s', async (_, application, service) => {
    expect(await found({ 'apps/grafana.yaml': application, 'ingress.yaml': ingress(service) })).toEqual([]);
  });
});
