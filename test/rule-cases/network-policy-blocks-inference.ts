import { treeRuleFound } from '../util';

// The pattern of gateway-api-inference-extension's guides (a Gateway, an HTTPRoute whose backendRef is the
// InferencePool, the pool's model servers and endpoint picker) with a NetworkPolicy on the model servers, written here.
const RULE = 'network-policy-blocks-inference';

interface Opts {
  readonly gatewayClass?: string;
  readonly gatewayNs?: string;
  readonly from?: string;
  readonly more?: string;
  readonly pool?: string;
}

const gateway = (cls: string, ns: string) =>
  `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: inference-gateway, namespace: ${ns}}\nspec:\n  gatewayClassName: ${cls}\n` +
  '  listeners: [{name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}]\n';
const POOL_V1 =
  'apiVersion: inference.networking.k8s.io/v1\nkind: InferencePool\nmetadata: {name: qwen-pool, namespace: llm}\n' +
  'spec:\n  selector: {matchLabels: {app: qwen}}\n  targetPorts: [{number: 8000}]\n  endpointPickerRef: {name: qwen-epp, port: {number: 9002}}\n';
const POOL_ALPHA =
  'apiVersion: inference.networking.x-k8s.io/v1alpha2\nkind: InferencePool\nmetadata: {name: qwen-pool, namespace: llm}\n' +
  'spec:\n  selector: {app: qwen}\n  targetPortNumber: 8000\n  extensionRef: {name: qwen-epp}\n';
const SERVERS =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: qwen, namespace: llm}\nspec:\n  selector: {matchLabels: {app: qwen}}\n  template:\n' +
  '    metadata: {labels: {app: qwen}}\n    spec:\n      containers: [{name: vllm, image: vllm/vllm-openai:v0.11.0, args: [--model, Qwen/Qwen3-8B], ports: [{containerPort: 8000}]}]\n' +
  '---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: qwen-epp, namespace: llm}\nspec:\n  selector: {matchLabels: {app: qwen-epp}}\n  template:\n' +
  '    metadata: {labels: {app: qwen-epp}}\n    spec:\n      containers: [{name: epp, image: "registry.k8s.io/gateway-api-inference-extension/epp:v1.0.0", args: [--pool-name, qwen-pool]}]\n' +
  '---\napiVersion: v1\nkind: Service\nmetadata: {name: qwen-epp, namespace: llm}\nspec:\n  selector: {app: qwen-epp}\n  ports: [{port: 9002}]\n';
const PICKER_PEER = '    - podSelector: {matchLabels: {app: qwen-epp}}\n';
/** A policy that isolates every pod of the namespace for ingress and admits nothing. */
const DENY =
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: qwen-ingress, namespace: llm}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n';

function tree(o: Opts = {}): Record<string, string> {
  const gwNs = o.gatewayNs ?? 'gateways';
  return {
    'gateway.yaml':
      `${gateway(o.gatewayClass ?? 'kgateway', gwNs)}---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: qwen, namespace: llm}\n` +
      `spec:\n  parentRefs: [{name: inference-gateway, namespace: ${gwNs}}]\n  rules: [{backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: qwen-pool}]}]\n`,
    'pool.yaml': `${o.pool ?? POOL_V1}---\n${SERVERS}`,
    'policy.yaml':
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: qwen-ingress, namespace: llm}\nspec:\n  podSelector: {matchLabels: {app: qwen}}\n' +
      `  policyTypes: [Ingress]\n  ingress:\n  - from:\n${o.from ?? `    - podSelector: {matchLabels: {app: chat-ui}}\n${PICKER_PEER}`}\n${o.more ?? ''}`,
  };
}
const found = async (o: Opts) => (await treeRuleFound(RULE, 'np-inference-', tree(o), ['--platform', 'kserve'])).map((f) => [f.severity, f.object, f.message]);

test("kgateway's proxy in the Gateway's namespace, not among the peers: an error naming the pods, the policy and the peer to add", async () => {
  expect(await found({})).toEqual([
    [
      'error',
      'InferencePool/llm/qwen-pool',
      "InferencePool 'qwen-pool' takes the requests of Gateway 'inference-gateway' (class kgateway), whose proxy sends them to the model server the endpoint picker chooses: " +
        "Deployment/llm/qwen's pods on 8000/TCP; but NetworkPolicy 'qwen-ingress' selects those pods for ingress and none admits the gateway's proxy pods " +
        '(namespace gateways, labelled gateway.networking.k8s.io/gateway-name: inference-gateway): every request the endpoint picker sends there is dropped and times out, ' +
        "so the gateway's inference requests fail; add to a policy selecting those pods an ingress rule from {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: gateways}}, " +
        'podSelector: {matchLabels: {gateway.networking.k8s.io/gateway-name: inference-gateway}}} on 8000/TCP',
    ],
  ]);
});

test("Istio's Gateway in the pool's own namespace, and a v1alpha2 pool: the peer is a podSelector of that namespace; a warning, as the proxy pods may carry labels the tree does not show", async () => {
  const [f] = await found({ gatewayClass: 'istio', gatewayNs: 'llm', pool: POOL_ALPHA });
  expect(f[0]).toBe('warning');
  expect(f[2]).toContain(
    "(unless NetworkPolicy 'qwen-ingress' may admit it (the gateway's proxy pods (namespace llm, labelled gateway.networking.k8s.io/gateway-name: inference-gateway) may carry a app label",
  );
  expect(f[2]).toContain('an ingress rule from {podSelector: {matchLabels: {gateway.networking.k8s.io/gateway-name: inference-gateway}}} on 8000/TCP');
  // a policy admitting nothing cuts the proxy whatever its labels (and the picker, a warning)
  const deny = { ...tree({ gatewayClass: 'istio', gatewayNs: 'llm', pool: POOL_ALPHA }), 'policy.yaml': DENY };
  expect((await treeRuleFound(RULE, 'np-inference-', deny, ['--platform', 'kserve'])).map((x) => x.severity)).toEqual(['error', 'warning']);
});

test("Envoy Gateway's proxies in envoy-gateway-system by default: a warning where only that default decides, an error where every namespace is cut", async () => {
  const eg =
    'apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: eg}\nspec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}\n';
  const admitsGateways = `    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: gateways}}\n${PICKER_PEER}`;
  const [assumed] = await found({ gatewayClass: 'eg', from: admitsGateways, more: `---\n${eg}` });
  expect(assumed[0]).toBe('warning');
  expect(assumed[2]).toContain("none admits the gateway's Envoy proxy pods (namespace envoy-gateway-system, where Envoy Gateway runs them by default)");
  expect(assumed[2]).toContain('(unless Envoy Gateway runs the proxies in another namespace');
  const anywhere = { ...tree({ gatewayClass: 'eg', more: `---\n${eg}` }), 'policy.yaml': `${DENY}---\n${eg}` };
  expect((await treeRuleFound(RULE, 'np-inference-', anywhere, ['--platform', 'kserve'])).map((x) => x.severity)).toEqual(['error', 'warning']);
});

test('the endpoint picker not admitted: a warning that it cannot scrape the model servers', async () => {
  const admitsProxy = '    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: gateways}}\n';
  const [f, ...rest] = await found({ from: admitsProxy });
  expect(rest).toEqual([]);
  expect(f[0]).toBe('warning');
  expect(f[2]).toContain("InferencePool 'qwen-pool' is served by endpoint picker Deployment/llm/qwen-epp, which reads its model servers");
  expect(f[2]).toContain('the picker cannot scrape their metrics');
  expect(f[2]).toContain('an ingress rule from {podSelector: {matchLabels: {app: qwen-epp}}} on 8000/TCP');
});

test("a class whose proxy's place is unknown: a warning, unless the policy admits nothing", async () => {
  const [open] = await found({ gatewayClass: 'acme-gateway' });
  expect(open[0]).toBe('warning');
  expect(open[2]).toContain("(unless NetworkPolicy 'qwen-ingress' may admit it (the namespace of the gateway's proxy pods is not known))");
  const deny =
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: qwen-ingress, namespace: llm}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n';
  const files = { ...tree({ gatewayClass: 'acme-gateway' }), 'policy.yaml': deny };
  const out = await treeRuleFound(RULE, 'np-inference-', files, ['--platform', 'kserve']);
  expect(out.map((f) => f.severity)).toEqual(['error', 'warning']);
});

test.each([
  [
    'the proxy admitted by its namespace and label',
    { from: `    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: gateways}}\n${PICKER_PEER}` },
  ],
  ["GKE's class (load balancers outside the cluster)", { gatewayClass: 'gke-l7-regional-external-managed' }],
])('silent: %s', async (_, o) => {
  expect(await found(o)).toEqual([]);
});

test('silent: a policy that isolates egress only', async () => {
  const files = tree();
  files['policy.yaml'] = files['policy.yaml'].replace('policyTypes: [Ingress]\n  ingress:\n  - from:', 'policyTypes: [Egress]\n  egress:\n  - to:');
  expect(files['policy.yaml']).toContain('policyTypes: [Egress]');
  expect(await treeRuleFound(RULE, 'np-inference-', files, ['--platform', 'kserve'])).toEqual([]);
});

test('silent: no route sends to the pool', async () => {
  const files = tree();
  files['gateway.yaml'] = gateway('kgateway', 'gateways');
  expect(await treeRuleFound(RULE, 'np-inference-', files, ['--platform', 'kserve'])).toEqual([]);
});
