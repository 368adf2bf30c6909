import { runChecks } from '../../lib';

const RULE = 'llm-route-prefix-stripped';

const messages = (manifests: any[]) =>
  runChecks(
    manifests.map((manifest) => ({ manifest })),
    { rules: [RULE], platform: 'kserve' },
  ).map((f) => [f.severity, f.object, f.message]);

const server = (name: string, image: string, args?: string[]) => [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'llm' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image, ...(args ? { args } : {}) }] } },
    },
  },
  { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'llm' }, spec: { selector: { app: name }, ports: [{ port: 8000 }] } },
];
const strip = (name: string, prefix: string) => ({
  apiVersion: 'traefik.io/v1alpha1',
  kind: 'Middleware',
  metadata: { name, namespace: 'llm' },
  spec: { stripPrefix: { prefixes: [prefix] } },
});
const route = (match: string, service: string, middleware: string) => ({
  apiVersion: 'traefik.io/v1alpha1',
  kind: 'IngressRoute',
  metadata: { name: 'api', namespace: 'llm' },
  spec: { routes: [{ match, kind: 'Rule', middlewares: [{ name: middleware }], services: [{ name: service, port: 8000 }] }] },
});
const ingress = (path: string, service: string, annotations: Record<string, string>, ingressClassName?: string) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'api', namespace: 'llm', annotations },
  spec: {
    ...(ingressClassName ? { ingressClassName } : {}),
    rules: [{ http: { paths: [{ path, pathType: 'ImplementationSpecific', backend: { service: { name: service, port: { number: 8000 } } } }] } }],
  },
});
const VLLM = 'vllm/vllm-openai:v0.8.5';
const REWRITE = 'nginx.ingress.kubernetes.io/rewrite-target';

describe('llm-route-prefix-stripped', () => {
  test("an IngressRoute matching only /api with a stripPrefix of /api before Ollama: an error naming the route, the Middleware and Ollama's route", () => {
    expect(messages([...server('ollama', 'ollama/ollama:0.5.7'), strip('strip-api', '/api'), route('PathPrefix(`/api`)', 'ollama', 'strip-api')])).toEqual([
      [
        'error',
        'IngressRoute/llm/api',
        "spec.routes[0] (PathPrefix(`/api`)) sends only '/api' to Service 'ollama', and its Middleware 'strip-api' (stripPrefix.prefixes) strips '/api' from every request: " +
          'Deployment/llm/ollama behind it runs Ollama, which serves its API under /api (/api/tags), so /api/tags reaches it as /tags, no route of it, and every call gets 404; ' +
          'keep the prefix (drop the stripping: the server serves the paths as they come), or expose it under a prefix of your own (/ollama) and strip only that',
      ],
    ]);
  });

  test('ingress-nginx rewriting /v1(/|$)(.*) to /$2 before vLLM: an error naming the annotation', () => {
    const found = messages([...server('vllm', VLLM), ingress('/v1(/|$)(.*)', 'vllm', { [REWRITE]: '/$2' }, 'nginx')]);
    expect(found.map((f) => f[0])).toEqual(['error']);
    expect(found[0][2]).toMatch(
      /^spec\.rules\[0\]\.http\.paths\[0\] \(path \/v1\(\/\|\$\)\(\.\*\)\) sends only '\/v1' to Service 'vllm', and nginx\.ingress\.kubernetes\.io\/rewrite-target '\/\$2' strips '\/v1' from every request: Deployment\/llm\/vllm behind it runs vLLM's OpenAI server, which serves its API under \/v1 \(\/v1\/models\), so \/v1\/models reaches it as \/models/,
    );
  });

  test('a Traefik Ingress path /v1 whose router.middlewares strips /v1 before TGI: an error', () => {
    const tgi = server('tgi', 'ghcr.io/huggingface/text-generation-inference:3.0.1');
    const found = messages([
      ...tgi,
      strip('strip-v1', '/v1'),
      ingress('/v1', 'tgi', { 'traefik.ingress.kubernetes.io/router.middlewares': 'llm-strip-v1@kubernetescrd' }),
    ]);
    expect(found.map((f) => f[2].split(': ')[1].split(',')[0])).toEqual(['Deployment/llm/tgi behind it runs Text Generation Inference']);
  });

  test.each([
    ['a prefix of its own stripped (/ollama)', [...server('ollama', 'ollama/ollama'), strip('s', '/ollama'), route('PathPrefix(`/ollama`)', 'ollama', 's')]],
    ['/api stripped before vLLM, which serves under /v1', [...server('vllm', VLLM), strip('s', '/api'), route('PathPrefix(`/api`)', 'vllm', 's')]],
    ['a backend that is no LLM server', [...server('web', 'nginx:1.27'), strip('s', '/api'), route('PathPrefix(`/api`)', 'web', 's')]],
    [
      'a route with another path too',
      [...server('ollama', 'ollama/ollama'), strip('s', '/api'), route('PathPrefix(`/api`) || PathPrefix(`/ui`)', 'ollama', 's')],
    ],
    [
      'LiteLLM, which serves its routes with and without /v1',
      [...server('proxy', 'ghcr.io/berriai/litellm:main-v1.63.2'), strip('s', '/v1'), route('PathPrefix(`/v1`)', 'proxy', 's')],
    ],
    ['a rewrite that keeps the prefix (/v1/$2)', [...server('vllm', VLLM), ingress('/v1(/|$)(.*)', 'vllm', { [REWRITE]: '/v1/$2' }, 'nginx')]],
    ['a rewrite of a prefix of its own', [...server('vllm', VLLM), ingress('/vllm(/|$)(.*)', 'vllm', { [REWRITE]: '/$2' }, 'nginx')]],
  ])('near miss: %s', (_, manifests) => {
    expect(messages(manifests)).toEqual([]);
  });
});
