import { ruleFindings } from '../util';

const RULE = 'mesh-host-namespace-mismatch';
const route = (host: string, namespace?: string) => ({
  apiVersion: 'networking.istio.io/v1beta1',
  kind: 'VirtualService',
  metadata: { name: 'chat', ...(namespace ? { namespace } : {}) },
  spec: { hosts: ['chat.example.com'], http: [{ route: [{ destination: { host, port: { number: 8000 } } }] }] },
});
const service = (namespace?: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'llm', ...(namespace ? { namespace } : {}) },
  spec: { selector: { app: 'llm' }, ports: [{ port: 8000 }] },
});

describe('mesh-host-namespace-mismatch: a VirtualService host naming a namespace the Service does not land in', () => {
  test('a Service with no namespace: a warning naming the host and that it lands where applied', () => {
    expect(ruleFindings(RULE, [route('llm.serving.svc.cluster.local'), service()])).toEqual([
      expect.stringMatching(
        /^warning VirtualService\/chat: spec\.http\[0\]\.route\[0\]\.destination\.host 'llm\.serving\.svc\.cluster\.local' names Service llm in namespace 'serving'.*carries no namespace.*503/,
      ),
    ]);
  });

  test('a Service of another namespace, the short .svc form too', () => {
    expect(ruleFindings(RULE, [route('llm.serving.svc', 'ai'), service('ai')])).toEqual([
      expect.stringMatching(/^warning VirtualService\/ai\/chat: .*lands in 'ai'/),
    ]);
  });

  test.each([
    ['the Service in the named namespace', [route('llm.serving.svc.cluster.local'), service('serving')]],
    ['a short host', [route('llm'), service()]],
    ['a host of a Service the tree does not hold', [route('other.serving.svc.cluster.local'), service()]],
    ['an external host', [route('api.example.com'), service()]],
  ])('silent: %s', (_, docs) => {
    expect(ruleFindings(RULE, docs)).toEqual([]);
  });
});
