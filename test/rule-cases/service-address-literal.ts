import { treeRuleFound } from '../util';

// Envoy's STATIC cluster (an address as written) against STRICT_DNS (a name resolved), after Envoy's docs on cluster
// discovery types; the trees are written here to show the pattern of a front proxy written with a Service's address.
const RULE = 'service-address-literal';

const service = (name: string, spec = '') =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: llm}\nspec:\n  selector: {app: ${name}}\n  ports: [{name: http, port: 8000}]\n${spec}`;
const envoy = (cluster: string, address: string, hosts = false) => {
  const endpoint = hosts
    ? `    hosts: [{socket_address: {address: ${address}, port_value: 8000}}]\n`
    : `    load_assignment:\n      cluster_name: ${cluster}\n      endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: ${address}, port_value: 8000}}}}]}]\n`;
  const config = `static_resources:\n  clusters:\n  - name: ${cluster}\n    type: STATIC\n    connect_timeout: 5s\n${endpoint}`;
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: envoy-config, namespace: llm}\ndata:\n  envoy.yaml: |\n${config.replace(/^/gm, '    ')}\n`;
};
const client = (env: string, args = '[]') =>
  'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: chat, namespace: llm}\nspec:\n  selector: {matchLabels: {app: chat}}\n  template:\n' +
  `    metadata: {labels: {app: chat}}\n    spec:\n      containers:\n        - name: ui\n          image: registry.example.org/chat-ui:1.4\n          args: ${args}\n          env: ${env}\n`;
const found = async (...docs: string[]) =>
  (await treeRuleFound(RULE, 'svc-literal-', { 'tree.yaml': docs.join('---\n') }, ['--platform', 'kserve'])).map((f) => [f.severity, f.object, f.message]);

test("an Envoy STATIC cluster named after a Service that does not pin its cluster IP: a warning with the Service's name to write", async () => {
  expect(await found(envoy('vllm_cluster', '10.96.41.7'), service('vllm'))).toEqual([
    [
      'warning',
      'ConfigMap/llm/envoy-config',
      "key envoy.yaml: Envoy cluster 'vllm_cluster' sends to 10.96.41.7:8000, a literal address for Service/llm/vllm (port 8000), which does not pin spec.clusterIP: " +
        'the API server allocates its cluster IP from the service range when the Service is created, so a re-created Service (a new cluster, a delete and apply, a restore) ' +
        'gets another address and 10.96.41.7 reaches nothing, or another Service; name the Service instead (vllm.llm.svc.cluster.local:8000; for Envoy a STRICT_DNS cluster with that address), ' +
        "or pin spec.clusterIP: 10.96.41.7 in the Service (an address of the cluster's service range)",
    ],
  ]);
  // Envoy's v2 `hosts` form is read the same way
  expect((await found(envoy('vllm', '172.30.8.12', true), service('vllm'))).map((f) => f[0])).toEqual(['warning']);
});

test("a headless Service: the address is a pod's; a Service pinning another address: not its address; pinning this one: silent", async () => {
  const [headless] = await found(envoy('vllm', '10.96.41.7'), service('vllm', '  clusterIP: None\n'));
  expect(headless[2]).toContain('which is headless (clusterIP: None): the address is a pod');
  const [other] = await found(envoy('vllm', '10.96.41.7'), service('vllm', '  clusterIP: 10.96.41.8\n'));
  expect(other.slice(0, 1)).toEqual(['warning']);
  expect(other[2]).toContain('but the Service pins spec.clusterIP: 10.96.41.8, so 10.96.41.7 is not its address');
  expect(await found(envoy('vllm', '10.96.41.7'), service('vllm', '  clusterIP: 10.96.41.7\n'))).toEqual([]);
  // an address another Service of the tree pins is that Service's
  expect(await found(envoy('vllm', '10.96.41.7'), service('vllm'), service('gateway', '  clusterIP: 10.96.41.7\n'))).toEqual([]);
});

test("a container's env value or flag named after the Service: a warning naming the variable or the flag", async () => {
  const [env] = await found(client('[{name: VLLM_BASE_URL, value: "http://10.96.3.4:8000/v1"}]'), service('vllm'));
  expect(env.slice(0, 2)).toEqual(['warning', 'Deployment/llm/chat']);
  expect(env[2]).toMatch(/^container 'ui' env VLLM_BASE_URL sends to 10\.96\.3\.4:8000, a literal address for Service\/llm\/vllm/);
  const [flag] = await found(client('[]', '[--vllm-endpoint, "10.0.12.9:8000"]'), service('vllm'));
  expect(flag[2]).toMatch(/^container 'ui' flag --vllm-endpoint sends to 10\.0\.12\.9:8000/);
});

test.each([
  ['a name that names no Service', [envoy('upstream', '10.96.41.7'), service('vllm')]],
  ['a port the Service does not have', [envoy('vllm', '10.96.41.7').replace(/port_value: 8000/g, 'port_value: 9000'), service('vllm')]],
  ['a public address', [envoy('vllm', '34.118.230.10'), service('vllm')]],
  ['a DNS name (STRICT_DNS)', [envoy('vllm', 'vllm.llm.svc.cluster.local').replace('STATIC', 'STRICT_DNS'), service('vllm')]],
  ['two Services the name fits', [envoy('vllm-chat', '10.96.41.7'), service('vllm'), service('chat')]],
  ['a variable not named after the Service', [client('[{name: UPSTREAM, value: "10.96.3.4:8000"}]'), service('vllm')]],
])('silent: %s', async (_, docs) => {
  expect(await found(...docs)).toEqual([]);
});
