import { ruleFound, severityMessages } from '../util';

const group = (startParams: Record<string, string>, limits: Record<string, string> = {}) => ({
  rayStartParams: startParams,
  template: { spec: { containers: [{ name: 'ray', image: 'rayproject/ray:2.49.1', resources: { limits: { cpu: '2', ...limits } } }] } },
});
const cluster = (head: object, worker: object) => ({ headGroupSpec: head, workerGroupSpecs: [{ groupName: 'workers', replicas: 1, ...worker }] });
const service = (numGpus: number, head: object, worker: object) => ({
  apiVersion: 'ray.io/v1',
  kind: 'RayService',
  metadata: { name: 'chat', namespace: 'ray' },
  spec: {
    serveConfigV2: `applications:\n  - name: chat\n    import_path: app:app\n    deployments:\n      - name: Model\n        ray_actor_options: {num_gpus: ${numGpus}}\n`,
    rayClusterConfig: cluster(head, worker),
  },
});
const findings = (m: object) => severityMessages(ruleFound('ray-gpu-demand-unplaceable', [{ manifest: m }], { platform: 'kserve' }));

// ray _private/resource_spec.py (a node's GPUs: --num-gpus, else detected) and infeasible demands stay pending;
// kuberay common/pod.go (num-gpus from the Ray container's nvidia.com/gpu limit)
describe('ray-gpu-demand-unplaceable', () => {
  test('num_gpus 1 while every group starts Ray with num-gpus "0": an error naming the deployment and the most a node has', () => {
    expect(findings(service(1, group({ 'num-gpus': '0' }), group({ 'num-gpus': '0' })))).toEqual([
      [
        'error',
        "serveConfigV2 application 'chat' deployment 'Model' ray_actor_options.num_gpus 1 asks for GPUs, but the most any Ray node of spec.rayClusterConfig has is 0 (rayStartParams num-gpus, or the Ray container's nvidia.com/gpu): Ray never places the replica and it stays pending; request nvidia.com/gpu in a worker group (KubeRay starts Ray with that many GPUs) and drop num-gpus \"0\", or set num_gpus to 0",
      ],
    ]);
  });

  test('two GPUs for one replica where each worker has one: an error (an actor runs on one node)', () => {
    expect(findings(service(2, group({ 'num-gpus': '0' }), group({}, { 'nvidia.com/gpu': '1' }))).map(([s]) => s)).toEqual(['error']);
  });

  test('no group says its GPUs and none requests nvidia.com/gpu: a warning', () => {
    expect(findings(service(1, group({}), group({}))).map(([s]) => s)).toEqual(['warning']);
  });

  test("a RayJob's entrypointNumGpus is judged the same way", () => {
    const job = {
      apiVersion: 'ray.io/v1',
      kind: 'RayJob',
      metadata: { name: 'eval', namespace: 'ray' },
      spec: { entrypoint: 'python eval.py', entrypointNumGpus: 1, rayClusterSpec: cluster(group({ 'num-gpus': '0' }), group({ 'num-gpus': '0' })) },
    };
    expect(findings(job).map(([s]) => s)).toEqual(['error']);
  });

  test.each([
    ['a worker requests nvidia.com/gpu', service(1, group({ 'num-gpus': '0' }), group({}, { 'nvidia.com/gpu': '1' }))],
    ['a worker sets num-gpus "1"', service(1, group({ 'num-gpus': '0' }), group({ 'num-gpus': '1' }))],
    [
      'a worker requests nvidia.com/gpu as a YAML number',
      service(1, group({ 'num-gpus': '0' }), {
        ...group({}),
        template: { spec: { containers: [{ name: 'ray', resources: { limits: { 'nvidia.com/gpu': 1 } } }] } },
      }),
    ],
    ['a fraction of the one GPU a worker has', service(0.5, group({ 'num-gpus': '0' }), group({}, { 'nvidia.com/gpu': '1' }))],
    ['a CPU deployment', service(0, group({ 'num-gpus': '0' }), group({ 'num-gpus': '0' }))],
    ['a group that says nothing beside one with too few: Ray may detect more', service(2, group({}), group({ 'num-gpus': '1' }))],
  ])('near miss: %s', (_, m) => {
    expect(findings(m)).toEqual([]);
  });
});
