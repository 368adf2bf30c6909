import { runChecks } from '../../lib';

/**
 * The labels LeaderWorkerSet and KubeRay put on the pods they make, as service-selector-unmatched and
 * monitor-selects-nothing read them: LWS adds leaderworkerset.sigs.k8s.io/name, worker-index (0 on the leader),
 * group-index, group-key and template-revision-hash (lws api/leaderworkerset/v1); KubeRay's labelPod adds ray.io/cluster,
 * node-type, group, identifier and is-ray-node to the template's labels, never the RayCluster's own metadata.labels.
 */
function found(objects: unknown[], rule: string): [string, string][] {
  return runChecks(
    objects.map((manifest) => ({ manifest: manifest as Record<string, unknown> })),
    { platform: 'kserve', rules: [rule] },
  ).map((f) => [f.severity, f.message]);
}

const container = (name: string) => ({ name, image: 'registry.example.com/vllm:1.0', ports: [{ name: 'http', containerPort: 8000 }] });
const lws = (name: string, leaderLabels?: Record<string, string>) => ({
  apiVersion: 'leaderworkerset.x-k8s.io/v1',
  kind: 'LeaderWorkerSet',
  metadata: { name, namespace: 'ml', labels: { team: 'serving' } },
  spec: {
    replicas: 2,
    leaderWorkerTemplate: {
      size: 2,
      ...(leaderLabels ? { leaderTemplate: { metadata: { labels: leaderLabels }, spec: { containers: [container('leader')] } } } : {}),
      workerTemplate: { metadata: { labels: { role: 'worker' } }, spec: { containers: [container('worker')] } },
    },
  },
});
const rayCluster = (kind = 'RayCluster') => {
  const cluster = {
    headGroupSpec: { template: { metadata: { labels: { component: 'head' } }, spec: { containers: [container('ray-head')] } } },
    workerGroupSpecs: [{ groupName: 'gpu', replicas: 2, template: { spec: { containers: [container('ray-worker')] } } }],
  };
  const spec = kind === 'RayCluster' ? cluster : kind === 'RayJob' ? { entrypoint: 'python run.py', rayClusterSpec: cluster } : { rayClusterConfig: cluster };
  return { apiVersion: 'ray.io/v1', kind, metadata: { name: 'bench', namespace: 'ml', labels: { app: 'bench', tier: 'batch' } }, spec };
};
const service = (selector: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'front', namespace: 'ml' },
  spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 8000 }] },
});
const podMonitor = (selector: Record<string, unknown>) => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PodMonitor',
  metadata: { name: 'scrape', namespace: 'ml' },
  spec: { selector, podMetricsEndpoints: [{ port: 'http' }] },
});

describe("Services and monitors see the labels LeaderWorkerSet's and KubeRay's pods carry", () => {
  test('a Service naming the LeaderWorkerSet by its name, and its leader by worker-index 0, selects its pods', () => {
    const ok = (selector: Record<string, string>, set = lws('vllm-dps', { role: 'leader' })) => found([set, service(selector)], 'service-selector-unmatched');
    expect(ok({ 'leaderworkerset.sigs.k8s.io/name': 'vllm-dps', role: 'leader' })).toEqual([]);
    expect(ok({ 'leaderworkerset.sigs.k8s.io/name': 'vllm-dps', 'leaderworkerset.sigs.k8s.io/worker-index': '0' })).toEqual([]);
    // group-index and the hashes are chosen per pod: any value may be carried
    expect(ok({ 'leaderworkerset.sigs.k8s.io/name': 'vllm-dps', 'leaderworkerset.sigs.k8s.io/group-index': '1' })).toEqual([]);
    // without a leaderTemplate the leader is made from the worker template
    expect(ok({ role: 'worker', 'leaderworkerset.sigs.k8s.io/worker-index': '0' }, lws('vllm-dps'))).toEqual([]);
  });

  test('a Service naming the LeaderWorkerSet by a name close to its own is an error naming the label its pods carry', () => {
    const f = found(
      [lws('vllm-dps', { role: 'leader' }), service({ 'leaderworkerset.sigs.k8s.io/name': 'vllm', role: 'leader' })],
      'service-selector-unmatched',
    );
    expect(f).toEqual([
      [
        'error',
        expect.stringMatching(
          /^spec.selector leaderworkerset.sigs.k8s.io\/name=vllm, role=leader matches no pod of the tree: LeaderWorkerSet\/ml\/vllm-dps's pods carry leaderworkerset.sigs.k8s.io\/name=vllm-dps\./,
        ),
      ],
    ]);
    // an unrelated name may be another LeaderWorkerSet's, delivered elsewhere
    expect(
      found([lws('vllm-dps', { role: 'leader' }), service({ 'leaderworkerset.sigs.k8s.io/name': 'reranker', role: 'leader' })], 'service-selector-unmatched'),
    ).toEqual([]);
  });

  test("KubeRay's pod labels select the head; the RayCluster's own labels select nothing", () => {
    expect(found([rayCluster(), service({ 'ray.io/cluster': 'bench', 'ray.io/node-type': 'head' })], 'service-selector-unmatched')).toEqual([]);
    expect(found([rayCluster(), service({ 'ray.io/identifier': 'bench-worker', 'ray.io/group': 'gpu' })], 'service-selector-unmatched')).toEqual([]);
    const f = found([rayCluster(), service({ app: 'bench', tier: 'batch' })], 'service-selector-unmatched');
    expect(f).toEqual([
      [
        'error',
        expect.stringContaining(
          'app=bench, tier=batch are labels of RayCluster/ml/bench itself (metadata.labels), which KubeRay does not put on its pods; they carry {component=head, ray.io/cluster=bench, ray.io/node-type=head, ray.io/group=headgroup} and {ray.io/cluster=bench, ray.io/node-type=worker, ray.io/group=gpu}',
        ),
      ],
    ]);
    // a RayJob's and a RayService's cluster is named with a random suffix: ray.io/cluster may be anything
    expect(found([rayCluster('RayJob'), service({ 'ray.io/cluster': 'bench-x7k2p', 'ray.io/node-type': 'head' })], 'service-selector-unmatched')).toEqual([]);
    expect(found([rayCluster('RayService'), service({ app: 'bench' })], 'service-selector-unmatched')).toEqual([
      ['error', expect.stringContaining('app=bench is a label of RayService/ml/bench itself')],
    ]);
  });

  test("a PodMonitor selecting by the controllers' labels finds the pods; by the object's own labels it finds none", () => {
    expect(found([rayCluster(), podMonitor({ matchLabels: { 'ray.io/node-type': 'worker' } })], 'monitor-selects-nothing')).toEqual([]);
    const byIndex = { matchExpressions: [{ key: 'leaderworkerset.sigs.k8s.io/group-index', operator: 'In', values: ['0'] }] };
    expect(found([lws('vllm-dps', { role: 'leader' }), podMonitor(byIndex)], 'monitor-selects-nothing')).toEqual([]);
    const f = found([lws('vllm-dps', { role: 'leader' }), podMonitor({ matchLabels: { team: 'serving' } })], 'monitor-selects-nothing');
    expect(f.map(([severity]) => severity)).toEqual(['warning']);
    expect(f[0][1]).toMatch(/matches no pod template/);
  });
});
