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

  describe('the replicas of all deployments against the GPUs of all nodes', () => {
    const replicated = (deployment: string, workers: object, autoscaling = false) => ({
      apiVersion: 'ray.io/v1',
      kind: 'RayService',
      metadata: { name: 'chat', namespace: 'ray' },
      spec: {
        serveConfigV2: `applications:\n  - name: chat\n    import_path: app:app\n    deployments:\n      - name: Model\n${deployment}        ray_actor_options: {num_gpus: 1}\n`,
        rayClusterConfig: {
          ...(autoscaling ? { enableInTreeAutoscaling: true } : {}),
          headGroupSpec: group({ 'num-gpus': '0' }),
          workerGroupSpecs: [{ groupName: 'gpu', ...group({}, { 'nvidia.com/gpu': '1' }), ...workers }],
        },
      },
    });

    test('num_replicas 3 of one GPU each on one worker of one GPU: an error naming the total and the ceiling', () => {
      const [[severity, message]] = findings(replicated('        num_replicas: 3\n', { replicas: 1 }));
      expect(severity).toBe('error');
      expect(message).toContain("serveConfigV2 keeps 3 GPU(s) of replicas running (application 'chat' deployment 'Model' (num_replicas 3 × num_gpus 1))");
      expect(message).toContain('hold at most 1 GPU(s) together');
      expect(message).toContain('never reaches RUNNING');
    });

    test('under in-tree autoscaling the ceiling is maxReplicas times numOfHosts', () => {
      expect(findings(replicated('        num_replicas: 5\n', { replicas: 1, maxReplicas: 2, numOfHosts: 2 }, true)).map(([s]) => s)).toEqual(['error']);
      expect(findings(replicated('        num_replicas: 4\n', { replicas: 1, maxReplicas: 2, numOfHosts: 2 }, true))).toEqual([]);
    });

    test('only autoscaling max_replicas beyond the ceiling: a warning', () => {
      const d = '        autoscaling_config: {min_replicas: 1, max_replicas: 4}\n';
      expect(findings(replicated(d, { replicas: 2 })).map(([s]) => s)).toEqual(['warning']);
    });

    test.each([
      ['as many replicas as worker GPUs', replicated('        num_replicas: 2\n', { replicas: 2 })],
      ['autoscaling with no maxReplicas: unbounded', replicated('        num_replicas: 3\n', { replicas: 1 }, true)],
      ['a worker group with no replicas written', replicated('        num_replicas: 3\n', {})],
      ['num_replicas auto', replicated('        num_replicas: auto\n', { replicas: 1 })],
      ['the count left to the code', replicated('', { replicas: 1 })],
    ])('near miss: %s', (_, m) => {
      expect(findings(m)).toEqual([]);
    });
  });
});
