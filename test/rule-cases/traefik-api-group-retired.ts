import { dump } from 'js-yaml';
import { runChecks } from '../../lib';
import { fluxWorkTree } from '../setup/flux-work-tree';
import { cliInProcess } from '../util';

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

describe('traefik-api-group-retired: the Traefik install of the repository around the checked folder', () => {
  /** A work tree whose infrastructure folder installs Traefik; the checked folder is apps/chat, holding only the Middleware. */
  const run = async (install: any[]) => {
    const dir = fluxWorkTree({
      'infrastructure/traefik/release.yaml': install.map((o) => dump(o)).join('---\n'),
      'apps/chat/middleware.yaml': dump(middleware()),
    });
    const r = await cliInProcess(['check', `${dir}/apps/chat`, '--platform', 'kserve', '--json']);
    return (JSON.parse(r.out).findings as { rule: string; severity: string; message: string }[])
      .filter((f) => f.rule === RULE)
      .map((f) => [f.severity, f.message.slice(0, f.message.indexOf(', whose')).replace(`${dir}/`, '')]);
  };

  test('an Argo CD Application of chart 33.2.1 elsewhere in the repository: the error, naming that file', async () => {
    expect(await run([argoTraefik('33.2.1')])).toEqual([
      [
        'error',
        'apiVersion is traefik.containo.us/v1alpha1, but the repository around the tree installs Traefik v3 (Application traefik in infrastructure/traefik/release.yaml:1 (chart version 33.2.1))',
      ],
    ]);
  });

  test('a Flux HelmRelease whose chartRef names an OCIRepository of the traefik chart at 33.2.1: the error', async () => {
    const oci = {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'OCIRepository',
      metadata: { name: 'traefik', namespace: 'edge' },
      spec: { url: 'oci://ghcr.io/traefik/helm/traefik', ref: { tag: '33.2.1' } },
    };
    const release = { ...fluxTraefik(), spec: { chartRef: { kind: 'OCIRepository', name: 'traefik' } } };
    expect((await run([oci, release])).map(([severity]) => severity)).toEqual(['error']);
  });

  test('near miss: the repository installs chart 27.0.2 (Traefik v2), which reads traefik.containo.us', async () => {
    expect(await run([argoTraefik('27.0.2')])).toEqual([]);
  });
});
