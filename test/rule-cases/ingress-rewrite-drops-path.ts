import { ruleFindings } from '../util';

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
});
