import { runChecks } from '../../lib';

const RULE = 'traefik-middleware-not-found';

const messages = (manifests: any[]) =>
  runChecks(
    manifests.map((manifest) => ({ manifest })),
    { rules: [RULE], platform: 'kserve' },
  ).map((f) => [f.severity, f.object, f.message]);

const middleware = (name: string, ns = 'llm') => ({
  apiVersion: 'traefik.io/v1alpha1',
  kind: 'Middleware',
  metadata: { name, namespace: ns },
  spec: { headers: { customRequestHeaders: { 'X-Forwarded-Proto': 'https' } } },
});
const route = (middlewares: any[]) => ({
  apiVersion: 'traefik.io/v1alpha1',
  kind: 'IngressRoute',
  metadata: { name: 'chat', namespace: 'llm' },
  spec: { routes: [{ match: 'Host(`chat.example.test`)', kind: 'Rule', middlewares, services: [{ name: 'chat-ui', port: 8080 }] }] },
});
const ingress = (listed: string) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'chat', namespace: 'llm', annotations: { 'traefik.ingress.kubernetes.io/router.middlewares': listed } },
  spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'chat-ui', port: { number: 8080 } } } }] } }] },
});

describe('traefik-middleware-not-found', () => {
  test("an IngressRoute naming a Middleware of another namespace that the tree lacks, beside that namespace's Middlewares: an error", () => {
    expect(messages([middleware('forward-https', 'edge'), middleware('rate-limit', 'edge'), route([{ name: 'forward-http', namespace: 'edge' }])])).toEqual([
      [
        'error',
        'IngressRoute/llm/chat',
        "spec.routes[0].middlewares[0] names Middleware 'forward-http' (edge-forward-http@kubernetescrd), which is not in namespace 'edge' (the tree's Middlewares there are forward-https, rate-limit; did you mean forward-https?): " +
          'Traefik refuses the whole router ("middleware \\"edge-forward-http@kubernetescrd\\" does not exist"), so none of its requests is served (404); ' +
          "name a Middleware that exists, or add Middleware 'forward-http' (traefik.io/v1alpha1) to that namespace",
      ],
    ]);
  });

  test('an Ingress annotation naming llm-auth@kubernetescrd where the tree holds no Middleware in llm: a warning (it may be made apart)', () => {
    expect(messages([middleware('redirect', 'edge'), ingress('edge-redirect@kubernetescrd, llm-auth@kubernetescrd')])).toEqual([
      [
        'warning',
        'Ingress/llm/chat',
        "metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'] names Middleware 'auth' (llm-auth@kubernetescrd), which is not in namespace 'llm' (the tree holds no Middleware there, so it may be made apart from the tree): " +
          'Traefik refuses the whole router ("middleware \\"llm-auth@kubernetescrd\\" does not exist"), so none of its requests is served (404); ' +
          "name a Middleware that exists, or add Middleware 'auth' (traefik.io/v1alpha1) to that namespace",
      ],
    ]);
  });

  test.each([
    ['a Middleware of the route namespace', [middleware('auth'), route([{ name: 'auth' }])]],
    ['a Middleware of another provider (@file)', [middleware('auth'), route([{ name: 'auth' }, { name: 'compress@file' }])]],
    ['the annotation naming one of the tree', [middleware('auth'), ingress('llm-auth@kubernetescrd')]],
    ['a name written with @kubernetescrd that exists', [middleware('auth'), route([{ name: 'auth@kubernetescrd' }])]],
    ['an annotation of a name templated', [middleware('auth'), ingress('{{ .Release.Namespace }}-auth@kubernetescrd')]],
  ])('near miss: %s', (_, manifests) => {
    expect(messages(manifests)).toEqual([]);
  });
});
