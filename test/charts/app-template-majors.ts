import type { AppTemplateMajor } from '../../lib/manifests/app-template-names';
import { AppTemplateRelease, renderAppTemplate } from '../../lib/manifests/app-template-render';
import { fluxWorkTree } from '../setup/flux-work-tree';
import { cliInProcess } from '../util';

// Cases written after the common library chart's unit tests (bjw-s-labs/helm-charts charts/library/common
// test-chart/unittests route/, ingress/, serviceMonitor/ at common 4.1.1) and its templates at common 2.6.0 and 5.x:
// the names, backends and selectors they give, in our words.

type Obj = Record<string, any>;
const release = (values: Obj, major: AppTemplateMajor, name = 'release-name'): AppTemplateRelease => ({
  release: name,
  namespace: 'apps',
  values,
  version: `${major}.0.1`,
  major,
});
const objects = (r: AppTemplateRelease): Obj[] => {
  const out = renderAppTemplate(r);
  if ('unmodelled' in out) throw new Error(out.unmodelled);
  return out.objects;
};
const kinds = (r: AppTemplateRelease): string[] => objects(r).map((o) => `${o.kind}/${o.metadata.name}`);
const one = (r: AppTemplateRelease, kind: string): Obj => {
  const found = objects(r).filter((o) => o.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0];
};
const unmodelled = (r: AppTemplateRelease): string | undefined => {
  const out = renderAppTemplate(r);
  return 'unmodelled' in out ? out.unmodelled : undefined;
};
const echo = { image: { repository: 'ghcr.io/example/echo', tag: '1.2.0' } };
const web = { controllers: { web: { containers: { app: echo } } }, service: { web: { controller: 'web', ports: { http: { port: 8080 } } } } };
const gateway = [{ name: 'edge', namespace: 'gateways' }];

describe('app-template 2.x: the library defaults under the values', () => {
  const v2 = { controllers: { main: { containers: { main: echo } } }, service: { main: { ports: { http: { port: 8080 } } } } };

  test('the main controller and the primary main Service keep the fullname; pods carry app.kubernetes.io/component', () => {
    const r = release(v2, 2, 'chat');
    expect(kinds(r)).toEqual(['Deployment/chat', 'Service/chat']);
    const d = one(r, 'Deployment');
    expect(d.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/component': 'main',
      'app.kubernetes.io/name': 'chat',
      'app.kubernetes.io/instance': 'chat',
    });
    expect(one(r, 'Service').spec.selector['app.kubernetes.io/component']).toBe('main');
  });

  test("the default probes are on, TCP on the Service's port; service links on; the pod runs as the default ServiceAccount", () => {
    const pod = one(release(v2, 2, 'chat'), 'Deployment').spec.template.spec;
    expect(pod.containers[0].startupProbe).toEqual({
      initialDelaySeconds: 0,
      failureThreshold: 30,
      timeoutSeconds: 1,
      periodSeconds: 5,
      tcpSocket: { port: 8080 },
    });
    expect(pod.containers[0].livenessProbe.tcpSocket).toEqual({ port: 8080 });
    expect([pod.enableServiceLinks, pod.automountServiceAccountToken, pod.serviceAccountName]).toEqual([true, true, 'default']);
  });

  test('a second controller and a non-primary Service are named <fullname>-<identifier>; a PVC always takes its identifier', () => {
    const values = {
      ...v2,
      controllers: { ...v2.controllers, worker: { containers: { main: echo } } },
      service: { ...v2.service, metrics: { controller: 'worker', ports: { metrics: { port: 9090 } } } },
      persistence: { data: { accessMode: 'ReadWriteOnce', size: '1Gi' } },
    };
    expect(kinds(release(values, 2, 'chat'))).toEqual([
      'PersistentVolumeClaim/chat-data',
      'Deployment/chat',
      'Deployment/chat-worker',
      'Service/chat',
      'Service/chat-metrics',
    ]);
  });

  test.each([
    ['the default main Service without a port number', { controllers: v2.controllers }, /service.main.ports.http has no port number/],
    [
      'a controller of its own beside the default main one, which has no image',
      { ...web, service: v2.service },
      /container main of controller main has no image repository/,
    ],
  ])('%s: the chart fails, so the release is not modelled', (_, values, why) => {
    expect(unmodelled(release(values, 2))).toMatch(why);
  });
});

describe('app-template 5.x', () => {
  test('a ServiceAccount named as the release is made and used; no token is mounted by default; names as in 4.x', () => {
    const r = release(web, 5, 'chat');
    expect(kinds(r)).toEqual(['ServiceAccount/chat', 'Deployment/chat', 'Service/chat']);
    const pod = one(r, 'Deployment').spec.template.spec;
    expect([pod.serviceAccountName, pod.automountServiceAccountToken]).toEqual(['chat', false]);
    expect(one(r, 'Deployment').spec.selector.matchLabels['app.kubernetes.io/controller']).toBe('web');
  });

  test('global.createDefaultServiceAccount false: no ServiceAccount, the pod runs as default', () => {
    const r = release({ ...web, global: { createDefaultServiceAccount: false } }, 5, 'chat');
    expect(kinds(r)).toEqual(['Deployment/chat', 'Service/chat']);
    expect(one(r, 'Deployment').spec.template.spec.serviceAccountName).toBe('default');
  });
});

describe('app-template routes', () => {
  test('a backend by Service name stays as written; by identifier it is the rendered Service and its primary port (4.x)', () => {
    const values = {
      ...web,
      route: {
        web: {
          parentRefs: gateway,
          hostnames: ['chat.example.org'],
          rules: [{ backendRefs: [{ name: 'web-main', port: 8080 }] }, { backendRefs: [{ identifier: 'web' }] }],
        },
      },
    };
    const route = one(release(values, 4, 'chat'), 'HTTPRoute');
    expect(route.metadata.name).toBe('chat');
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge', namespace: 'gateways' }]);
    expect(route.spec.rules.map((r: Obj) => r.backendRefs[0])).toEqual([
      { group: '', kind: 'Service', name: 'web-main', namespace: 'apps', port: 8080, weight: 1 },
      { group: '', kind: 'Service', name: 'chat', namespace: 'apps', port: 8080, weight: 1 },
    ]);
  });

  test('no rules and one Service: the chart routes to that Service (automatic detection, 4.x and 5.x)', () => {
    for (const major of [4, 5] as const) {
      const route = one(release({ ...web, route: { web: { parentRefs: gateway } } }, major, 'chat'), 'HTTPRoute');
      expect(route.spec.rules).toEqual([{ backendRefs: [{ group: '', kind: 'Service', name: 'chat', namespace: 'apps', port: 8080, weight: 1 }] }]);
    }
  });

  test('3.x and 2.x read a backend name as a Service identifier first, else as a name', () => {
    const values = (major: 2 | 3) => ({
      ...(major === 2 ? { controllers: { main: { containers: { main: echo } } }, service: { main: { ports: { http: { port: 8080 } } } } } : web),
      route: { main: { enabled: true, parentRefs: gateway, rules: [{ backendRefs: [{ name: major === 2 ? 'main' : 'web' }, { name: 'other', port: 80 }] }] } },
    });
    for (const major of [2, 3] as const) {
      const refs = one(release(values(major), major, 'chat'), 'HTTPRoute').spec.rules[0].backendRefs.map((b: Obj) => [b.name, b.port]);
      expect(refs).toEqual([
        ['chat', 8080],
        ['other', 80],
      ]);
    }
  });

  test.each([
    [
      'an identifier of no enabled Service',
      { route: { web: { parentRefs: gateway, rules: [{ backendRefs: [{ identifier: 'api' }] }] } } },
      /Service identifier 'api'/,
    ],
    ['a parentRef without a namespace (4.x)', { route: { web: { parentRefs: [{ name: 'edge' }] } } }, /parentRef without name or namespace/],
    ['an unknown route kind', { route: { web: { kind: 'FooRoute', parentRefs: gateway } } }, /Not a valid route kind/],
  ])('%s: the chart fails, so the release is not modelled', (_, extra, why) => {
    expect(unmodelled(release({ ...web, ...extra }, 4))).toMatch(why);
  });

  test('5.x: a parentRef may leave its namespace out, and a backend port may be a port name', () => {
    const values = { ...web, route: { web: { parentRefs: [{ name: 'edge' }], rules: [{ backendRefs: [{ identifier: 'web', port: 'http' }] }] } } };
    const route = one(release(values, 5, 'chat'), 'HTTPRoute');
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge' }]);
    expect(route.spec.rules[0].backendRefs[0].port).toBe(8080);
  });
});

describe('app-template ingresses and ServiceMonitors', () => {
  test('an Ingress path by identifier takes the rendered Service and its primary port; by name, as written', () => {
    const values = {
      ...web,
      ingress: {
        web: {
          className: 'nginx',
          hosts: [
            {
              host: 'chat.example.org',
              paths: [
                { path: '/', service: { identifier: 'web' } },
                { path: '/api', service: { name: 'api', port: 9000 } },
              ],
            },
          ],
        },
      },
    };
    const ingress = one(release(values, 4, 'chat'), 'Ingress');
    expect(ingress.metadata.name).toBe('chat');
    expect(ingress.spec.rules[0].http.paths.map((p: Obj) => p.backend.service)).toEqual([
      { name: 'chat', port: { number: 8080 } },
      { name: 'api', port: { number: 9000 } },
    ]);
  });

  test("a ServiceMonitor selects the only Service's labels, scoped to the release's namespace; its job label by major", () => {
    const values = { ...web, serviceMonitor: { web: { endpoints: [{ port: 'http', path: '/metrics' }] } } };
    const monitor = one(release(values, 4, 'chat'), 'ServiceMonitor');
    expect(monitor.spec).toEqual({
      jobLabel: 'chat',
      namespaceSelector: { matchNames: ['apps'] },
      selector: { matchLabels: { 'app.kubernetes.io/service': 'chat', 'app.kubernetes.io/name': 'chat', 'app.kubernetes.io/instance': 'chat' } },
      endpoints: [{ port: 'http', path: '/metrics' }],
    });
    expect(one(release(values, 5, 'chat'), 'ServiceMonitor').spec.jobLabel).toBe('app.kubernetes.io/name');
  });

  test('a ServiceMonitor without endpoints, or (3.x) without serviceName or selector: the chart fails', () => {
    expect(unmodelled(release({ ...web, serviceMonitor: { web: {} } }, 4))).toMatch(/has no endpoints/);
    expect(unmodelled(release({ ...web, serviceMonitor: { web: { endpoints: [{ port: 'http' }] } } }, 3))).toMatch(/neither serviceName nor a selector/);
  });
});

describe('an app-template release whose source is defined elsewhere in the repository', () => {
  const release = (claim: string) =>
    'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: chat, namespace: ai}\nspec:\n  interval: 1h\n' +
    '  chartRef: {kind: OCIRepository, name: app-template, namespace: flux-system}\n' +
    '  values:\n    controllers:\n      chat:\n        containers:\n          app:\n            image: {repository: ghcr.io/example/chat, tag: 1.0.0}\n' +
    `    persistence:\n      data:\n        existingClaim: ${claim}\n`;
  const source =
    'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata: {name: app-template, namespace: flux-system}\nspec:\n  interval: 1h\n' +
    '  url: oci://ghcr.io/bjw-s-labs/helm/app-template\n  ref: {tag: 5.0.1}\n';
  const claim =
    'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: chat-data, namespace: ai}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n';
  const checked = async (claimName: string) => {
    const dir = fluxWorkTree({
      'kubernetes/flux/repositories/app-template.yaml': source,
      'kubernetes/flux/repositories/kustomization.yaml': 'resources: [app-template.yaml]\n',
      'kubernetes/apps/ai/chat/kustomization.yaml': 'resources: [release.yaml, claim.yaml]\n',
      'kubernetes/apps/ai/chat/release.yaml': release(claimName),
      'kubernetes/apps/ai/chat/claim.yaml': claim,
    });
    const r = await cliInProcess(['check', `${dir}/kubernetes/apps/ai/chat`, '--platform', 'kserve', '--json']);
    // the file is named as the checked folder is: under the work tree's folder here
    return (JSON.parse(r.out).findings as { rule: string; object: string; message: string }[]).map((f) => ({
      ...f,
      message: f.message.split(dir).join('<tree>'),
    }));
  };

  test("the OCIRepository of the repository's flux/ folder pins the version: the release is rendered, and findings say which file", async () => {
    const found = (await checked('chat-models')).filter((f) => f.rule === 'pod-reference-not-found' || f.rule === 'input-not-followed');
    expect(found.map((f) => [f.rule, f.object, f.message.slice(f.message.indexOf('(Deployment/'))])).toEqual([
      [
        'pod-reference-not-found',
        'Deployment/ai/chat',
        '(Deployment/ai/chat as rendered from the app-template 5.0.1 values of HelmRelease ai/chat (its chart version read from OCIRepository app-template in <tree>/kubernetes/flux/repositories/app-template.yaml))',
      ],
    ]);
  });

  test('near miss: the claim the folder makes; no note that the chart is not followed', async () => {
    const found = (await checked('chat-data')).filter((f) => f.rule === 'pod-reference-not-found' || f.rule === 'input-not-followed');
    expect(found).toEqual([]);
  });
});
