import { ruleFound, severityObjectMessages } from '../util';

type Doc = Record<string, unknown>;
const RULE = 'network-policy-selects-nothing';
const found = (docs: Doc[]) =>
  severityObjectMessages(
    ruleFound(
      RULE,
      docs.map((manifest) => ({ manifest })),
      { platform: 'kserve', alone: true },
    ),
  );

const workload = (labels: Record<string, string>, namespace = 'llm'): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'server', namespace },
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 's', image: 'quay.io/org/s:1.0' }] } } },
});
const policy = (name: string, podSelector: Doc, spec: Doc = {}, namespace = 'llm'): Doc => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace },
  spec: { podSelector, ...spec },
});
const DENY_ALL = policy('deny-all', {}, { policyTypes: ['Ingress', 'Egress'] });
const ALLOW = policy('allow-server', { matchLabels: { app: 'server' } }, { ingress: [{ ports: [{ port: 8000 }] }] });

describe(RULE, () => {
  test("fires: the selector names the pods' value under another key, beside a deny-all: an error naming the label to select", () => {
    expect(found([workload({ 'app.kubernetes.io/name': 'server' }), DENY_ALL, ALLOW])).toEqual([
      [
        'error',
        'NetworkPolicy/llm/allow-server',
        "spec.podSelector app=server matches no pod template of namespace llm in the tree (StatefulSet/llm/server's pods carry app.kubernetes.io/name=server), while NetworkPolicy 'deny-all' (podSelector {}, Ingress) isolates every pod of the namespace: policies only add allowances to the pods they select, so what this policy allows reaches no pod and StatefulSet/llm/server gets none of it: select the pods by the labels their template carries (app.kubernetes.io/name=server)",
      ],
    ]);
    // the selector's key with another value; a deny-all that isolates by policyTypes unset (Ingress)
    expect(found([workload({ app: 'serve' }), policy('deny-in', {}), ALLOW]).map((f) => f[0])).toEqual(['error']);
  });

  test('no pod of the namespace looks meant: a warning that pods made elsewhere may carry the labels', () => {
    const [f] = found([workload({ tier: 'cache' }), DENY_ALL, ALLOW]);
    expect(f[0]).toBe('warning');
    expect(f[2]).toContain('unless pods made outside the tree, by a chart or an operator, carry the labels');
  });

  test("near misses: the selector matches; no deny-all; the deny-all allows what this one allows; no pods in the namespace; another namespace's deny-all", () => {
    expect(found([workload({ app: 'server' }), DENY_ALL, ALLOW])).toEqual([]);
    expect(found([workload({ 'app.kubernetes.io/name': 'server' }), ALLOW])).toEqual([]);
    expect(found([workload({ 'app.kubernetes.io/name': 'server' }), policy('open', {}, { policyTypes: ['Ingress'], ingress: [{}] }), ALLOW])).toEqual([]);
    expect(found([workload({ 'app.kubernetes.io/name': 'server' }, 'other'), DENY_ALL, ALLOW])).toEqual([]);
    expect(found([workload({ 'app.kubernetes.io/name': 'server' }), policy('deny-all', {}, { policyTypes: ['Ingress'] }, 'other'), ALLOW])).toEqual([]);
    // an egress-only deny-all does not isolate the ingress this policy allows
    expect(found([workload({ 'app.kubernetes.io/name': 'server' }), policy('deny-out', {}, { policyTypes: ['Egress'] }), ALLOW])).toEqual([]);
  });
});

describe("network-policy-selects-nothing: KServe's InferenceService label selected by a value that names no InferenceService", () => {
  const SWITCHED = policy('open-models', { matchLabels: { 'serving.kserve.io/inferenceservice': 'true' } }, { policyTypes: ['Ingress'], ingress: [{}] });
  const DENY = policy('deny-all', {}, { policyTypes: ['Ingress'] });

  test('beside a default-deny: an error even with no pod template in the namespace', () => {
    expect(found([DENY, SWITCHED])).toEqual([
      [
        'error',
        'NetworkPolicy/llm/open-models',
        expect.stringMatching(
          /^spec\.podSelector serving\.kserve\.io\/inferenceservice=true selects no pod: KServe sets .*never to 'true'.*NetworkPolicy 'deny-all' .*traffic is dropped/,
        ),
      ],
    ]);
  });

  test('near misses: no default-deny, an InferenceService named so, a workload of the tree carrying the pair', () => {
    expect(found([SWITCHED])).toEqual([]);
    const named = { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'true', namespace: 'llm' }, spec: { predictor: {} } };
    expect(found([DENY, SWITCHED, named])).toEqual([]);
    expect(found([DENY, SWITCHED, workload({ 'serving.kserve.io/inferenceservice': 'true' })])).toEqual([]);
  });
  describe("an LLMInferenceService's workload pods, labelled by KServe's controller", () => {
    const llmis = (name: string): Doc => ({
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'LLMInferenceService',
      metadata: { name, namespace: 'llm' },
      spec: { model: { uri: 'hf://org/m', name: 'org/m' } },
    });
    const allow = (matchLabels: Record<string, string>) => policy('allow-chat', { matchLabels }, { ingress: [{ ports: [{ port: 8000 }] }] });

    test.each([
      [
        'part-of, name and kserve.io/component: workload (current releases)',
        { 'app.kubernetes.io/part-of': 'llminferenceservice', 'kserve.io/component': 'workload', 'app.kubernetes.io/name': 'chat' },
      ],
      [
        'name and app.kubernetes.io/component (earlier releases)',
        { 'app.kubernetes.io/name': 'chat', 'app.kubernetes.io/component': 'llminferenceservice-workload' },
      ],
      ['part-of alone', { 'app.kubernetes.io/part-of': 'llminferenceservice' }],
    ])('near miss: a selector on %s selects the pods', (_what, labels) => {
      expect(found([llmis('chat'), workload({ app: 'other' }), DENY_ALL, allow(labels)])).toEqual([]);
    });

    test('fires: the selector names another LLMInferenceService: an error naming the name the pods carry', () => {
      expect(found([llmis('chat'), DENY_ALL, allow({ 'app.kubernetes.io/name': 'chatbot', 'kserve.io/component': 'workload' })])).toEqual([
        [
          'error',
          'NetworkPolicy/llm/allow-chat',
          "spec.podSelector app.kubernetes.io/name=chatbot, kserve.io/component=workload matches no pod template of namespace llm in the tree (LLMInferenceService/llm/chat's pods carry app.kubernetes.io/name=chat), while NetworkPolicy 'deny-all' (podSelector {}, Ingress) isolates every pod of the namespace: policies only add allowances to the pods they select, so what this policy allows reaches no pod and LLMInferenceService/llm/chat gets none of it: select the pods by the labels their template carries (app.kubernetes.io/name=chat)",
        ],
      ]);
    });
  });
});
