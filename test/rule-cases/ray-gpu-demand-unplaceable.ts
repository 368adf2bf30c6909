import { cliInProcess, ruleFound, severityMessages, writeTree } from '../util';

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

describe('ray-gpu-demand-unplaceable: Ray Serve LLM configs', () => {
  const llmConfig = (fields: string) =>
    `applications:\n  - name: chat\n    import_path: ray.serve.llm:build_openai_app\n    args:\n      llm_configs:\n        - model_loading_config: {model_id: tiny}\n${fields}`;
  const worker = (replicas: number, gpus: string, nodeSelector: Record<string, string>) => ({
    groupName: 'gpu',
    replicas,
    rayStartParams: {},
    template: { spec: { nodeSelector, containers: [{ name: 'ray', image: 'rayproject/ray-llm:2.49.1', resources: { limits: { 'nvidia.com/gpu': gpus } } }] } },
  });
  const llmService = (serveConfigV2: string, workers: object[], head: object = group({ 'num-gpus': '0' }), extra: object = {}) => ({
    apiVersion: 'ray.io/v1',
    kind: 'RayService',
    metadata: { name: 'llm', namespace: 'ray' },
    spec: { serveConfigV2, rayClusterConfig: { headGroupSpec: head, workerGroupSpecs: workers, ...extra } },
  });
  const g6 = { 'node.kubernetes.io/instance-type': 'g6.12xlarge' };

  test('min_replicas 2 × tensor parallel 2 on one worker of 2 GPUs: an error counting tensor × pipeline GPUs per replica', () => {
    const m = llmService(
      llmConfig('          deployment_config: {autoscaling_config: {min_replicas: 2, max_replicas: 2}}\n          engine_kwargs: {tensor_parallel_size: 2}\n'),
      [worker(1, '2', g6)],
    );
    const [[severity, message]] = findings(m);
    expect(severity).toBe('error');
    expect(message).toMatch(
      /keeps 4 GPU\(s\) of replicas running \(application 'chat' args\.llm_configs\[0\] \(model 'tiny'\).*2 GPU\(s\) per replica.*hold at most 2 GPU\(s\)/,
    );
  });

  test('a head that states no GPUs is counted as none, and the finding is a warning', () => {
    const m = llmService(llmConfig('          deployment_config: {num_replicas: 3}\n'), [worker(2, '1', g6)], group({}));
    expect(findings(m)).toEqual([['warning', expect.stringMatching(/keeps 3 GPU\(s\).*the head's, counted as none/)]]);
  });

  test('accelerator_type naming a GPU the pinned nodes do not carry: a warning naming the type and the GPUs Ray sees', () => {
    const m = llmService(llmConfig('          accelerator_type: H100\n          deployment_config: {num_replicas: 1}\n'), [worker(1, '1', g6)]);
    expect(findings(m)).toEqual([
      [
        'warning',
        expect.stringMatching(/accelerator_type H100: Ray places such a replica only on a node that advertises accelerator_type:H100, .*GPUs Ray names L4/),
      ],
    ]);
  });

  test('the nodes pinned by a GKE accelerator label, and a Karpenter NodePool of the tree', () => {
    const gke = llmService(llmConfig('          accelerator_type: A100\n'), [worker(1, '1', { 'cloud.google.com/gke-accelerator': 'nvidia-l4' })]);
    expect(findings(gke)).toEqual([['warning', expect.stringMatching(/accelerator_type A100.*names L4/)]]);
    const pool = {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: 'gpu' },
      spec: {
        template: {
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
            requirements: [{ key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['g5'] }],
          },
        },
      },
    };
    const onPool = llmService(llmConfig('          accelerator_type: L4\n'), [worker(1, '1', { 'karpenter.sh/nodepool': 'gpu' })]);
    const found = severityMessages(ruleFound('ray-gpu-demand-unplaceable', [{ manifest: pool }, { manifest: onPool }], { platform: 'kserve' }));
    expect(found).toEqual([['warning', expect.stringMatching(/accelerator_type L4.*names A10G/)]]);
  });

  test('Serve code in a mounted ConfigMap: its LLMConfig keyword literals are read', () => {
    const code = [
      'from ray.serve.llm import LLMConfig, build_openai_app',
      'cfg = LLMConfig(',
      '    model_loading_config=dict(model_id="tiny"),',
      '    accelerator_type="A10G",',
      '    deployment_config={"autoscaling_config": {"min_replicas": 3, "max_replicas": 3}},',
      '    engine_kwargs=dict(tensor_parallel_size=1),',
      ')',
      'app = build_openai_app({"llm_configs": [cfg]})',
    ].join('\n');
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'code', namespace: 'ray' }, data: { 'serve_llm.py': code } };
    const mounted = (w: ReturnType<typeof worker>) => ({
      ...w,
      template: {
        spec: {
          ...w.template.spec,
          volumes: [{ name: 'code', configMap: { name: 'code' } }],
          containers: w.template.spec.containers.map((c) => ({ ...c, volumeMounts: [{ name: 'code', mountPath: '/home/ray/apps' }] })),
        },
      },
    });
    const m = llmService('applications:\n  - name: chat\n    import_path: apps.serve_llm:app\n', [mounted(worker(2, '1', g6))]);
    const found = severityMessages(ruleFound('ray-gpu-demand-unplaceable', [{ manifest: cm }, { manifest: m }], { platform: 'kserve' }));
    expect(found).toEqual([
      ['error', expect.stringMatching(/keeps 3 GPU\(s\) of replicas running \(ConfigMap 'code' key serve_llm\.py .*hold at most 2 GPU\(s\)/)],
      [
        'warning',
        expect.stringMatching(
          /^ConfigMap 'code' key serve_llm\.py \(module apps\.serve_llm of application 'chat'\) LLMConfig \(model 'tiny'\) accelerator_type A10G/,
        ),
      ],
    ]);
    // a computed replica count and accelerator type say nothing
    const computed = code
      .replace('"min_replicas": 3', '"min_replicas": int(os.environ["N"])')
      .replace('"max_replicas": 3', '"max_replicas": N')
      .replace('"A10G"', 'GPU_TYPE');
    const cm2 = { ...cm, data: { 'serve_llm.py': computed } };
    expect(ruleFound('ray-gpu-demand-unplaceable', [{ manifest: cm2 }, { manifest: m }], { platform: 'kserve' })).toEqual([]);
  });

  test.each([
    [
      'replicas that fit the workers',
      llmService(llmConfig('          deployment_config: {num_replicas: 2}\n          engine_kwargs: {tensor_parallel_size: 2}\n'), [worker(2, '2', g6)]),
    ],
    ['the accelerator type the nodes carry', llmService(llmConfig('          accelerator_type: L4\n'), [worker(1, '1', g6)])],
    [
      'A100-40G asked of A100 nodes (compared by model)',
      llmService(llmConfig('          accelerator_type: A100-40G\n'), [worker(1, '8', { 'node.kubernetes.io/instance-type': 'p4d.24xlarge' })]),
    ],
    ['nodes not pinned', llmService(llmConfig('          accelerator_type: H100\n'), [worker(1, '1', {})])],
    [
      'engine arguments the config does not write inline',
      llmService(llmConfig('          deployment_config: {num_replicas: 4}\n          engine_kwargs: {tensor_parallel_size: "${TP}"}\n'), [worker(1, '4', g6)]),
    ],
    ['replica counts left to Ray Serve LLM', llmService(llmConfig('          engine_kwargs: {tensor_parallel_size: 4}\n'), [worker(1, '1', g6)])],
    [
      'in-tree autoscaling up to enough workers',
      llmService(llmConfig('          deployment_config: {num_replicas: 3}\n'), [{ ...worker(1, '1', g6), maxReplicas: 3 }], undefined, {
        enableInTreeAutoscaling: true,
      }),
    ],
  ])('near miss: %s', (_, m) => {
    expect(findings(m)).toEqual([]);
  });
});

describe('ray-gpu-demand-unplaceable: Serve code in a ConfigMap a README makes with --from-file', () => {
  /** The rule's findings on a tree of the files given, as [severity, object, message]. */
  async function inTree(files: Record<string, string>): Promise<[string, string, string][]> {
    const dir = writeTree('ray-code-from-file-', files);
    const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings
      .filter((f) => f.rule === 'ray-gpu-demand-unplaceable')
      .map((f) => [f.severity, f.object, f.message]);
  }
  const code = (gpus: number) =>
    `from ray import serve\n\n@serve.deployment(num_replicas=1, ray_actor_options={"num_gpus": ${gpus}})\nclass Poet:\n    pass\n\ndeployment = Poet.bind()\n`;
  const readme = (from: string) => `# Poems\n\n\`\`\`bash\nkubectl create configmap poet-code ${from} -n verse\nkubectl apply -f k8s/rayservice.yaml\n\`\`\`\n`;
  /** A Ray group with the code mounted under /home/ray, its num-gpus and GPU limit as given. */
  const group = (name: string, numGpus: string | undefined, gpuLimit?: string) =>
    [
      `      rayStartParams: {${numGpus === undefined ? '' : `num-gpus: '${numGpus}'`}}`,
      '      template:',
      '        spec:',
      '          containers:',
      `            - name: ${name}`,
      '              image: rayproject/ray:2.40.0-py311',
      ...(gpuLimit ? ['              resources:', `                limits: {nvidia.com/gpu: ${gpuLimit}}`] : []),
      '              volumeMounts:',
      '                - {name: code, mountPath: /home/ray/poet_app.py, subPath: poet_app.py}',
      '          volumes:',
      '            - {name: code, configMap: {name: poet-code}}',
    ].join('\n');
  const rayService = (worker: string) =>
    [
      'apiVersion: ray.io/v1',
      'kind: RayService',
      'metadata: {name: poet, namespace: verse}',
      'spec:',
      '  serveConfigV2: |',
      '    applications:',
      '      - {name: poems, import_path: "poet_app:deployment", route_prefix: /}',
      '  rayClusterConfig:',
      '    headGroupSpec:',
      group('ray-head', '0'),
      '    workerGroupSpecs:',
      '    - groupName: workers',
      '      replicas: 1',
      worker.replace(/^ {6}/gm, '      '),
      '',
    ].join('\n');

  test("the module's @serve.deployment asks num_gpus 1 while every group has num-gpus '0': an error naming the ConfigMap key", async () => {
    expect(
      await inTree({
        'README.md': readme('--from-file=poet_app.py=./k8s/poet_app.py'),
        'k8s/poet_app.py': code(1),
        'k8s/rayservice.yaml': rayService(group('ray-worker', '0')),
      }),
    ).toEqual([
      [
        'error',
        'RayService/verse/poet',
        "ConfigMap 'poet-code' key poet_app.py (module poet_app of application 'poems') @serve.deployment ray_actor_options num_gpus 1 asks for GPUs, but the most any Ray node of spec.rayClusterConfig has is 0 (rayStartParams num-gpus, or the Ray container's nvidia.com/gpu): Ray never places the replica and it stays pending; request nvidia.com/gpu in a worker group (KubeRay starts Ray with that many GPUs) and drop num-gpus \"0\", or set num_gpus to 0",
      ],
    ]);
  });

  test('the key taken from the file name (`--from-file=PATH`), the path from the README folder', async () => {
    expect(
      (
        await inTree({
          'README.md': readme('--from-file=poet_app.py'),
          'poet_app.py': code(1),
          'k8s/rayservice.yaml': rayService(group('ray-worker', '0')),
        })
      ).map(([s, o]) => [s, o]),
    ).toEqual([['error', 'RayService/verse/poet']]);
  });

  test('near misses: the worker group requests a GPU; the code asks none; the file is not in the tree (its text is unknown)', async () => {
    const files = { 'README.md': readme('--from-file=poet_app.py=./k8s/poet_app.py'), 'k8s/poet_app.py': code(1) };
    expect(await inTree({ ...files, 'k8s/rayservice.yaml': rayService(group('ray-worker', undefined, '1')) })).toEqual([]);
    expect(await inTree({ ...files, 'k8s/poet_app.py': code(0), 'k8s/rayservice.yaml': rayService(group('ray-worker', '0')) })).toEqual([]);
    expect(
      await inTree({ 'README.md': readme('--from-file=poet_app.py=./src/poet_app.py'), 'k8s/rayservice.yaml': rayService(group('ray-worker', '0')) }),
    ).toEqual([]);
  });
});
