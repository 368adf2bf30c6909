import { runChecks } from '../../lib';

const RULE = 'traefik-api-group-retired';

const messages = (manifests: any[]) =>
  runChecks(
    manifests.map((manifest) => ({ manifest })),
    { rules: [RULE], platform: 'kserve' },
  ).map((f) => [f.severity, f.object, f.message]);

const fluxTraefik = (version?: string, values?: any) => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'traefik', namespace: 'edge' },
  spec: {
    chart: { spec: { chart: 'traefik', ...(version ? { version } : {}), sourceRef: { kind: 'HelmRepository', name: 'traefik' } } },
    ...(values ? { values } : {}),
  },
});
const argoTraefik = (targetRevision: string) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'traefik', namespace: 'argocd' },
  spec: { source: { repoURL: 'https://traefik.github.io/charts', chart: 'traefik', targetRevision }, destination: { namespace: 'edge' } },
});
const traefikPod = (image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'proxy', namespace: 'edge' },
  spec: {
    selector: { matchLabels: { app: 'proxy' } },
    template: { metadata: { labels: { app: 'proxy' } }, spec: { containers: [{ name: 'traefik', image, args: ['--providers.kubernetescrd'] }] } },
  },
});
const middleware = (group = 'traefik.containo.us') => ({
  apiVersion: `${group}/v1alpha1`,
  kind: 'Middleware',
  metadata: { name: 'strip-llm', namespace: 'chat' },
  spec: { stripPrefix: { prefixes: ['/llm'] } },
});
const route = (group = 'traefik.containo.us') => ({
  apiVersion: `${group}/v1alpha1`,
  kind: 'IngressRoute',
  metadata: { name: 'chat', namespace: 'chat' },
  spec: { routes: [{ match: 'Host(`chat.example.test`)', kind: 'Rule', services: [{ name: 'chat-ui', port: 8080 }] }] },
});

describe('traefik-api-group-retired', () => {
  test('a Middleware of traefik.containo.us beside a Flux release of chart 34.4.1: an error naming the release, the group Traefik v3 reads and the fix', () => {
    expect(messages([fluxTraefik('34.4.1'), middleware()])).toEqual([
      [
        'error',
        'Middleware/chat/strip-llm',
        'apiVersion is traefik.containo.us/v1alpha1, but the tree installs Traefik v3 (HelmRelease/edge/traefik (chart version 34.4.1)), whose kubernetesCRD provider reads Middleware only in group traefik.io: ' +
          'Traefik never sees this Middleware: a route of traefik.io naming it is refused as a whole ("middleware … does not exist"); write apiVersion traefik.io/v1alpha1',
      ],
    ]);
  });

  test('an Argo CD chart source at 28.0.0, the first v3 chart, and a traefik:v3.1 image: errors', () => {
    expect(messages([argoTraefik('28.0.0'), route()]).map((m) => m[0] + ' ' + m[2].split(': ')[0])).toEqual([
      'error apiVersion is traefik.containo.us/v1alpha1, but the tree installs Traefik v3 (Application/argocd/traefik (chart version 28.0.0)), whose kubernetesCRD provider reads IngressRoute only in group traefik.io',
    ]);
    expect(messages([traefikPod('docker.io/traefik:v3.1.2'), route()]).map((m) => m[0])).toEqual(['error']);
  });

  test('a release with no chart version, or an untagged image: a warning saying the v3 line is inferred', () => {
    const [found] = messages([fluxTraefik(), route()]);
    expect(found[0]).toBe('warning');
    expect(found[2]).toContain('HelmRelease/edge/traefik (no chart version: the latest, a v3 chart)');
    expect(found[2]).toContain('(the v3 line is inferred: no version is written, and the latest is v3)');
    expect(messages([traefikPod('traefik'), route()]).map((m) => m[0])).toEqual(['warning']);
  });

  test.each([
    ['the traefik.io group', [fluxTraefik('34.4.1'), route('traefik.io'), middleware('traefik.io')]],
    ['a v2 chart (26.1.0)', [fluxTraefik('26.1.0'), route()]],
    ['a v3 chart whose values pin a v2 image', [fluxTraefik('34.4.1', { image: { tag: 'v2.11.3' } }), route()]],
    ['a v3 chart beside a v2 image (which serves the group)', [fluxTraefik('34.4.1'), traefikPod('traefik:v2.11'), route()]],
    ['no Traefik install in the tree', [route(), middleware()]],
    ['a chart version range across majors', [fluxTraefik('>=20.0.0'), route()]],
  ])('near miss: %s', (_, manifests) => {
    expect(messages(manifests)).toEqual([]);
  });
});
