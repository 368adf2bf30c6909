import { cliInProcess, writeTree } from '../util';

const gateway =
  'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: tutor-gateway, namespace: tutor}\nspec:\n  gatewayClassName: istio\n  listeners: [{name: http, port: 80, protocol: HTTP}]\n';
const pool =
  'apiVersion: inference.networking.k8s.io/v1\nkind: InferencePool\nmetadata: {name: tutor-pool, namespace: tutor}\nspec:\n  selector: {matchLabels: {app: tutor-vllm}}\n  targetPorts: [{number: 8000}]\n  endpointPickerRef: {name: tutor-picker, port: {number: 9002}}\n';
const route = (to: string, kind = 'HTTPRoute') =>
  `apiVersion: gateway.networking.k8s.io/v1\nkind: ${kind}\nmetadata: {name: tutor-route, namespace: tutor}\nspec:\n  parentRefs: [{name: tutor-gateway}]\n  rules:\n    - backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: ${to}}]\n`;

async function found(files: Record<string, string>): Promise<[string, string][]> {
  const { out } = await cliInProcess(['check', writeTree('pool-unrouted-', files), '--platform', 'kserve', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
    .filter((f) => f.rule === 'inference-pool-unrouted')
    .map((f) => [f.severity, f.message]);
}

describe('inference-pool-unrouted: an InferencePool no route sends traffic to', () => {
  test('a Gateway and a pool, no route: a warning naming the pool and the Gateway', async () => {
    expect(await found({ 'all.yaml': `${gateway}---\n${pool}` })).toEqual([
      [
        'warning',
        "no HTTPRoute or GRPCRoute of the tree names InferencePool 'tutor-pool' in a rules[].backendRefs[] (kind InferencePool), though the tree holds Gateway/tutor/tutor-gateway: " +
          "a gateway sends requests to a pool only through a route's backendRef, so the pool and its endpoint picker receive no traffic; add an HTTPRoute whose parentRefs name the Gateway and whose backendRefs name the pool, or correct the route's backendRef",
      ],
    ]);
  });

  test('near misses: an HTTPRoute or a GRPCRoute names the pool; no Gateway in the tree (routes may live with it elsewhere): no finding', async () => {
    expect(await found({ 'all.yaml': `${gateway}---\n${pool}---\n${route('tutor-pool')}` })).toEqual([]);
    expect(await found({ 'all.yaml': `${gateway}---\n${pool}---\n${route('tutor-pool', 'GRPCRoute')}` })).toEqual([]);
    expect(await found({ 'all.yaml': pool })).toEqual([]);
  });

  test('near miss: a helm install of another chart may make the route: no finding', async () => {
    const script = '#!/bin/sh\nhelm install tutor-routes ./charts/routes -n tutor\nkubectl apply -f all.yaml\n';
    expect(await found({ 'all.yaml': `${gateway}---\n${pool}`, 'deploy.sh': script })).toEqual([]);
  });
});
