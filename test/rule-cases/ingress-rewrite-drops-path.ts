import { podWorkload, ruleFindings, vllmDeployment } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('ingress-rewrite-drops-path', docs);

const ingress = (target: string | undefined, paths: { path: string; pathType?: string }[], className: string | undefined = 'nginx'): Doc => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', namespace: 'ai', ...(target !== undefined ? { annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': target } } : {}) },
  spec: {
    ...(className ? { ingressClassName: className } : {}),
    rules: [{ http: { paths: paths.map((p) => ({ pathType: 'Prefix', ...p, backend: { service: { name: 'api', port: { number: 80 } } } })) } }],
  },
});

describe('ingress-rewrite-drops-path', () => {
  test('rewrite-target / on a prefix without a capture group: a warning naming the path and the capture to write', () => {
    expect(found([ingress('/', [{ path: '/llm' }, { path: '/llm/v1' }])])).toEqual([
      expect.stringMatching(
        /^warning Ingress\/ai\/web: nginx\.ingress\.kubernetes\.io\/rewrite-target is '\/' and paths '\/llm', '\/llm\/v1' have no capture group .*rewrites the whole request path to '\/'.*path \/llm\(\/\|\$\)\(\.\*\)/,
      ),
    ]);
  });

  test('a target referring to a group the path lacks, and the root path rewritten elsewhere, without a class', () => {
    expect(found([ingress('/$2', [{ path: '/api(.*)', pathType: 'ImplementationSpecific' }])])).toEqual([
      expect.stringMatching(/path '\/api\(\.\*\)' has fewer capture groups than the target's \$2/),
    ]);
    expect(found([ingress('/app', [{ path: '/' }], undefined)])).toEqual([
      expect.stringMatching(/path \/\(\.\*\), pathType ImplementationSpecific, rewrite-target \/app\/\$1/),
    ]);
  });

  test('near misses: a path equal to the target (no rewrite), captured groups brought back, no annotation, another controller', () => {
    expect(found([ingress('/', [{ path: '/' }])])).toEqual([]);
    expect(found([ingress('/$2', [{ path: '/llm(/|$)(.*)', pathType: 'ImplementationSpecific' }])])).toEqual([]);
    expect(found([ingress(undefined, [{ path: '/llm' }])])).toEqual([]);
    expect(found([ingress('/', [{ path: '/llm' }], 'traefik')])).toEqual([]);
  });

  describe('the backend serves an OpenAI-compatible API, whose routes are under /v1/: an error naming it', () => {
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api', namespace: 'ai' },
      spec: { selector: { app: 'llm' }, ports: [{ port: 80 }] },
    };
    test('a vLLM server behind the path', () => {
      expect(found([ingress('/', [{ path: '/llm' }]), service, vllmDeployment('vllm/vllm-openai:v0.10.1', ['--model', 'org/m'], ['vllm', 'serve'])])).toEqual([
        expect.stringMatching(
          /^error Ingress\/ai\/web: .*that one path; the backend is an OpenAI-compatible API, Deployment\/ai\/llm \(vLLM, behind Service 'api'\), whose routes are all under \/v1\/: every call \(\/v1\/models, \/v1\/chat\/completions\) reaches it as '\/', no route of it, so clients get 404; capture the rest/,
        ),
      ]);
    });
    test('Ollama and a LiteLLM proxy behind the path', () => {
      const ollama = podWorkload('llm', 'ai', { containers: [{ name: 'ollama', image: 'ollama/ollama:0.12.3' }] });
      expect(found([ingress('/', [{ path: '/app' }]), service, ollama])).toEqual([
        expect.stringMatching(/^error .*Deployment\/ai\/llm \(Ollama, behind Service 'api'\)/),
      ]);
      const litellm = podWorkload('llm', 'ai', {
        containers: [{ name: 'proxy', image: 'ghcr.io/berriai/litellm:main-v1.74.0', args: ['--config', '/app/config.yaml'] }],
      });
      expect(found([ingress('/', [{ path: '/app' }]), service, litellm])).toEqual([expect.stringMatching(/^error .*\(LiteLLM, behind Service 'api'\)/)]);
    });
    test('near miss: a web app behind the path stays a warning', () => {
      const web = podWorkload('llm', 'ai', { containers: [{ name: 'web', image: 'nginx:1.27' }] });
      expect(found([ingress('/', [{ path: '/app' }]), service, web])).toEqual([expect.stringMatching(/^warning /)]);
    });
  });
});
