import { runChecks } from '../../lib';

type Doc = Record<string, unknown>;
const found = (docs: Doc[], rule = 'litellm-proxy-not-found') =>
  runChecks(docs.map((manifest) => ({ manifest })))
    .filter((f) => f.rule === rule)
    .map((f) => [f.severity, f.object, f.message]);

const GROUP = 'litellm.home-operations.com/v1alpha1';
const namespace: Doc = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gateway' } };
const proxy = (name: string): Doc => ({ apiVersion: GROUP, kind: 'LiteLLMProxy', metadata: { name, namespace: 'gateway' }, spec: {} });
const of = (kind: string, spec: Doc, apiVersion = GROUP): Doc => ({ apiVersion, kind, metadata: { name: 'chat', namespace: 'gateway' }, spec });

describe('litellm-proxy-not-found', () => {
  test("a model's proxyRef a few characters off the namespace proxy: an error naming it", () => {
    expect(found([proxy('llm-gateway'), of('LiteLLMModel', { modelName: 'chat', proxyRef: 'llm-gatway', params: { model: 'openai/chat' } })])).toEqual([
      [
        'error',
        'LiteLLMModel/gateway/chat',
        "spec.proxyRef names LiteLLMProxy 'llm-gatway', which the tree does not hold in namespace 'gateway' (the tree holds other LiteLLMProxies in namespace 'gateway'; did you mean llm-gateway?): " +
          "no proxy adopts it (a proxyRef binds it to that proxy alone), so no model_list holds it and clients calling it get no such model; name a LiteLLMProxy of the LiteLLMModel's namespace (the operator looks only there), or add it",
      ],
    ]);
  });

  test('a virtual key in a namespace the tree creates, with no proxy at all: an error; without the Namespace: a warning', () => {
    expect(found([namespace, of('LiteLLMVirtualKey', { proxyRef: 'llm-gateway' })]).map(([s, , m]) => [s, m.split(': ')[1]])).toEqual([
      [
        'error',
        "the controller cannot read the proxy to reach its admin API and never issues the key; name a LiteLLMProxy of the LiteLLMVirtualKey's namespace (the operator looks only there), or add it",
      ],
    ]);
    expect(found([of('LiteLLMTeam', { proxyRef: 'llm-gateway' })]).map(([s]) => s)).toEqual(['warning']);
  });

  test("near misses: the proxy there, no proxyRef (a modelSelector adopts it), another group; the kinds are no unknown group's", () => {
    expect(found([namespace, proxy('llm-gateway'), of('LiteLLMModel', { modelName: 'chat', proxyRef: 'llm-gateway' })])).toEqual([]);
    expect(found([namespace, proxy('llm-gateway'), of('LiteLLMModel', { modelName: 'chat' })])).toEqual([]);
    expect(found([namespace, of('LiteLLMModel', { proxyRef: 'llm-gateway' }, 'example.com/v1')])).toEqual([]);
    expect(found([namespace, proxy('llm-gateway'), of('LiteLLMModel', { modelName: 'chat', proxyRef: 'llm-gateway' })], 'kind-in-unknown-group')).toEqual([]);
  });
});
