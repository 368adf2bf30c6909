import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { buildLlmD } from '../../examples/llm-d';
import {
  ArgoCdDelivery,
  ExistingGpuNodes,
  GpuMachineSetScale,
  GpuInstanceType,
  GpuModel,
  KueueQuota,
  LlmRouter,
  ModelProfile,
  ModelSource,
  planPool,
  poolTopology,
  readManifests,
  runChecks,
  S3Connection,
  SchemaValidator,
  setPlatform,
  VllmDtype,
  VllmLlmInferenceService,
  VllmLlmInferenceServiceProps,
} from '../../lib';
import { loraBytesPerGpu } from '../../lib/planning/memory-sizes';
import { kubectlBinary } from '../setup/kubectl';
import { cliInProcess, keptWarnings, ROOT, tempDir, testApp } from '../util';

const SHARED_CRDS = path.resolve(ROOT, '..', 'shared', 'crds');
/** The LLMInferenceService CRD OpenShift AI installs: 3.0 (v1alpha1 only) and 3.4 (v1alpha1 and v1alpha2). */
const CRD = {
  'rhoai-3.0': path.join(SHARED_CRDS, 'serving.kserve.io_llminferenceservices.yaml'),
  'rhoai-3.4': path.join(SHARED_CRDS, 'odh-kserve-v3.4', 'serving.kserve.io_llminferenceservices.yaml'),
} as const;

/** A validator that knows one platform's LLMInferenceService CRD (a folder holding a link to it, not a copy). */
function validatorFor(platform: keyof typeof CRD): SchemaValidator {
  const dir = tempDir('llmisvc-crd.');
  fs.symlinkSync(CRD[platform], path.join(dir, 'llminferenceservices.yaml'));
  return new SchemaValidator({ crdDir: dir, cacheDir: null });
}

const describeWithCrds = fs.existsSync(SHARED_CRDS) || process.env.CI ? describe : describe.skip;

describe('the llm-d example', () => {
  const trees = {
    'rhoai-3.0': buildLlmD(testApp(), 'rhoai-3.0').render(),
    'rhoai-3.4': buildLlmD(testApp(), 'rhoai-3.4').render(),
  };
  const objects = (p: keyof typeof trees) => trees[p].objects.map((o) => o.manifest as Record<string, any>);
  const llm = (p: keyof typeof trees, name: string) => objects(p).find((o) => o.kind === 'LLMInferenceService' && o.metadata.name === name)!;

  test('renders serving.kserve.io/v1alpha1 for OpenShift AI 3.0 and v1alpha2 for 3.4, otherwise the same spec but for the start-up probes', () => {
    expect(llm('rhoai-3.0', 'llama-8b').apiVersion).toBe('serving.kserve.io/v1alpha1');
    expect(llm('rhoai-3.4', 'llama-8b').apiVersion).toBe('serving.kserve.io/v1alpha2');
    // the start-up probes follow each platform's presets (test/serving/llm-probes.ts)
    const withoutStartupProbes = (spec: unknown) => JSON.parse(JSON.stringify(spec, (k, v: unknown) => (k === 'startupProbe' ? undefined : v)));
    expect(withoutStartupProbes(llm('rhoai-3.4', 'llama-70b').spec)).toEqual(withoutStartupProbes(llm('rhoai-3.0', 'llama-70b').spec));
    // the text is pinned once, by the committed tree that `npm run synth` writes and CI checks for drift
    const committed = fs.readFileSync(path.join(ROOT, 'examples', 'dist-llm-d', 'rhoai-3.4', 'llm-d', 'serving', 'serving.yaml'), 'utf8');
    expect(trees['rhoai-3.4'].files.get('llm-d/serving/serving.yaml')).toBe(committed);
  });

  describeWithCrds('against the CRDs OpenShift AI installs', () => {
    test.each(['rhoai-3.0', 'rhoai-3.4'] as const)('every LLMInferenceService validates against the %s CRD, schema and CEL', (p) => {
      const v = validatorFor(p);
      const services = objects(p).filter((o) => o.kind === 'LLMInferenceService');
      expect(services).toHaveLength(2);
      expect(services.flatMap((o) => v.validate(o))).toEqual([]);
      // every object against the platform's shipped schema set (what synth verifies)
      const shipped = new SchemaValidator({ platform: p, cacheDir: null });
      expect(objects(p).flatMap((o) => shipped.validate(o))).toEqual([]);
    });

    test('the CEL rules of the 3.4 CRD are evaluated: replicas and scaling together are refused', () => {
      const o = JSON.parse(JSON.stringify(llm('rhoai-3.4', 'llama-8b')));
      o.spec.scaling = { maxReplicas: 2, wva: { hpa: {} } };
      expect(validatorFor('rhoai-3.4').validate(o)).toEqual([
        expect.objectContaining({ message: expect.stringMatching(/replicas and scaling are mutually exclusive.*CEL rule/) }),
      ]);
    });

    test('a v1alpha2 object is not served by the 3.0 CRD', () => {
      expect(validatorFor('rhoai-3.0').validate(llm('rhoai-3.4', 'llama-8b'))).toEqual([
        expect.objectContaining({ field: 'apiVersion', message: expect.stringMatching(/not served/) }),
      ]);
    });
  });

  test('prefill and decode pools: GPUs from each pool parallelism, parallelism flags passed to vLLM on one node', () => {
    const s = llm('rhoai-3.4', 'llama-8b').spec;
    expect(s.template.containers[0].resources.limits['nvidia.com/gpu']).toBe('2');
    expect(s.template.containers[0].args).toContain('--tensor-parallel-size=2');
    // two ranks: 2 GiB of /dev/shm each instead of the presets' 1Gi; one rank keeps the preset's
    expect(s.template.volumes).toEqual([{ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '4Gi' } }]);
    expect(s.template.containers[0].volumeMounts).toEqual([{ name: 'dshm', mountPath: '/dev/shm' }]);
    expect(s.prefill.template.volumes).toBeUndefined();
    expect(s.prefill.replicas).toBe(2);
    expect(s.prefill.template.containers[0].resources.limits['nvidia.com/gpu']).toBe('1');
    expect(s.prefill.template.containers[0].args).not.toContain('--tensor-parallel-size=1');
    expect(s.router).toEqual({ gateway: {}, route: {}, scheduler: {} });
    expect(s.model.lora.adapters.map((a: { name: string }) => a.name)).toEqual(['llama-8b-sql', 'llama-8b-support']);
    expect(s.template.containers[0].args).toEqual(expect.arrayContaining(['--enable-lora', '--max-lora-rank=16', '--max-loras=2']));
  });

  test('multi-node: a worker template beside the leader, the preset passes the parallelism (no duplicate flags)', () => {
    const s = llm('rhoai-3.0', 'llama-70b').spec;
    expect(s.parallelism).toEqual({ tensor: 4, data: 2, dataLocal: 1 });
    expect(s.worker.containers[0].resources.limits['nvidia.com/gpu']).toBe('4');
    expect(s.template.containers[0].args).toEqual(['--max-model-len=8192']);
    expect(s.worker.serviceAccountName).toBe('llama-70b-storage');
  });

  test('the queue label is on the service, which the controller copies to every pool; quota and nodes hold every pool', () => {
    for (const name of ['llama-8b', 'llama-70b']) expect(llm('rhoai-3.4', name).metadata.labels['kueue.x-k8s.io/queue-name']).toBe('gpus');
    const cq = objects('rhoai-3.4').find((o) => o.kind === 'ClusterQueue')!;
    const gpus = cq.spec.resourceGroups[0].flavors.flatMap((f: { resources: { name: string; nominalQuota: unknown }[] }) =>
      f.resources.filter((r) => r.name === 'nvidia.com/gpu').map((r) => String(r.nominalQuota)),
    );
    // three 4-GPU nodes: 2 (decode) + 2 × 1 (prefill) + 2 pods × 4 (the 70B group) = 12 GPUs, and none for CPU batch
    expect(gpus).toEqual(['0', '12']);
  });

  test('PLAN.md: a verdict, KV cache and cost per pool', () => {
    const plan = trees['rhoai-3.4'].files.get('llm-d/PLAN.md') as string;
    expect(plan).toMatch(/\| llm-d\/llama-8b \(decode\) \| llama-3.1-8b-instruct \| 1 replica × 2 GPUs × L40S \(g6e.12xlarge\) \|.*\| fits[^|]*\|/);
    expect(plan).toMatch(/\| llm-d\/llama-8b \(prefill\) \| llama-3.1-8b-instruct \| 2 replicas × 1 GPU × L40S \(g6e.12xlarge\) \|.*\| fits[^|]*\|/);
    // a group of two 4-GPU pods: two whole g6e.12xlarge nodes at $10.49264/h × 730.5 h
    expect(plan).toMatch(/\| llm-d\/llama-70b \(decode\) \| .* \| 2 replicas × 4 GPUs × L40S \(g6e.12xlarge\) \| .* \| fits[^|]*\| \$15,330 \|/);
    expect(plan).toMatch(/Pool decode: 1 LeaderWorkerSet group\(s\) of 2 pods/);
  });

  test('PREREQUISITES.md: llm-d, LeaderWorkerSet for the group, Connectivity Link for token auth, the token Secret', () => {
    const md = trees['rhoai-3.4'].files.get('llm-d/PREREQUISITES.md') as string;
    expect(md).toMatch(/LeaderWorkerSet operator\*\* — for multi-node workers/);
    expect(md).toMatch(/Red Hat Connectivity Link .* — for LLMInferenceServices with token auth/);
    expect(md).toMatch(/oc create secret generic hf-token -n llm-d/);
  });

  test('kubectl kustomize builds both trees', () => {
    for (const p of ['rhoai-3.0', 'rhoai-3.4'] as const) {
      const dir = tempDir('llm-d.');
      for (const [file, text] of trees[p].files) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), text);
      }
      const built = YAML.parseAllDocuments(execFileSync(kubectlBinary(), ['kustomize', path.join(dir, 'llm-d/serving')], { encoding: 'utf8' })).map((d) =>
        d.toJS(),
      );
      expect(built.filter((o) => o.kind === 'LLMInferenceService').map((o) => o.apiVersion)).toEqual([
        p === 'rhoai-3.0' ? 'serving.kserve.io/v1alpha1' : 'serving.kserve.io/v1alpha2',
        p === 'rhoai-3.0' ? 'serving.kserve.io/v1alpha1' : 'serving.kserve.io/v1alpha2',
      ]);
    }
  });

  test('check: no error on the example; a pool with fewer GPUs than tensor × dataLocal is the parallelism error', () => {
    const dist = path.join(ROOT, 'examples', 'dist-llm-d', 'rhoai-3.4');
    const { manifests, errors } = readManifests([dist]);
    expect(errors).toEqual([]);
    expect(runChecks(manifests).filter((f) => f.severity === 'error')).toEqual([]);
    const copy = manifests.map((m) => JSON.parse(JSON.stringify(m.manifest)));
    const svc = copy.find((o) => o.kind === 'LLMInferenceService' && o.metadata.name === 'llama-70b');
    for (const pod of [svc.spec.template, svc.spec.worker]) {
      pod.containers[0].resources.limits['nvidia.com/gpu'] = '2';
      pod.containers[0].resources.requests['nvidia.com/gpu'] = '2';
    }
    // every pool's pods count against the quota: one more prefill pod of llama-8b is one GPU beyond the 12, a
    // warning (each pod fits alone, so Kueue admits them in turn and one waits), not an error
    const more = manifests.map((m) => JSON.parse(JSON.stringify(m.manifest)));
    more.find((o) => o.kind === 'LLMInferenceService' && o.metadata.name === 'llama-8b').spec.prefill.replicas = 3;
    const quota = runChecks(more.map((manifest) => ({ manifest }))).filter((f) => f.rule === 'quota-insufficient' || f.severity === 'error');
    expect(quota).toEqual([expect.objectContaining({ rule: 'quota-insufficient', severity: 'warning', message: expect.stringMatching(/13/) })]);
    const errs = runChecks(copy.map((manifest) => ({ manifest }))).filter((f) => f.severity === 'error');
    expect(errs).toEqual([
      expect.objectContaining({
        rule: 'tensor-parallel-gpu-mismatch',
        object: 'LLMInferenceService/llm-d/llama-70b',
        message: expect.stringMatching(/spec.parallelism gives 4 tensor-parallel rank\(s\) = 4 GPUs per pod but container 'main' requests 2/),
      }),
    ]);
  });
});

/** One service on a fresh app, for the refusals. */
function service(
  extra: Partial<VllmLlmInferenceServiceProps> = {},
  opts: { nodes?: number; shape?: GpuInstanceType; platform?: 'rhoai-3.0' | 'rhoai-3.4' } = {},
) {
  const app = testApp();
  if (opts.platform) setPlatform(app, opts.platform);
  const chart = new Chart(app, 'c', { namespace: 'llm' });
  const nodes = new ExistingGpuNodes(chart, 'Nodes', { shape: opts.shape ?? GpuInstanceType.G6E_12XLARGE, nodeCount: opts.nodes ?? 2 });
  const svc = new VllmLlmInferenceService(chart, 'svc', {
    source: ModelSource.pvc('models', 'llama'),
    model: ModelProfile.bundled('llama-3.1-8b-instruct'),
    placement: nodes,
    ...extra,
  });
  return { app, chart, nodes, svc };
}

test('Argo CD: the serving AppProject permits the LLMInferenceService kind it delivers, and nothing cluster-scoped', () => {
  const app = testApp();
  const tree = buildLlmD(app, 'rhoai-3.4');
  const delivery = new Chart(app, 'delivery', { namespace: 'openshift-gitops' });
  new ArgoCdDelivery(delivery, 'Delivery', { tree, repoURL: 'https://git.example.com/llm.git', roots: ['llm-d/serving', 'llm-d/cluster'] });
  tree.place('llm-d/argocd/applications.yaml', delivery);
  const projects = tree
    .render()
    .objects.map((o) => o.manifest as Record<string, any>)
    .filter((o) => o.kind === 'AppProject');
  const serving = projects.find((p) => p.spec.namespaceResourceWhitelist.some((k: { kind: string }) => k.kind === 'LLMInferenceService'))!;
  expect(serving.spec.namespaceResourceWhitelist).toEqual([
    { group: '', kind: 'ServiceAccount' },
    { group: 'serving.kserve.io', kind: 'LLMInferenceService' },
  ]);
  expect(serving.spec.clusterResourceWhitelist).toEqual([]);
});

describe('VllmLlmInferenceService refusals', () => {
  test.each([
    [
      { multiNode: true, parallelism: { tensor: 4 } },
      /svc: worker: when worker is specified, parallelism must be configured for either data parallelism or pipeline/,
    ],
    [{ parallelism: { pipeline: 2, data: 2, dataLocal: 2 } }, /parallelism: cannot set both pipeline parallelism and data parallelism/],
    [{ parallelism: { data: 2 } }, /parallelism.dataLocal: dataLocal must be set when data is set/],
    [
      { multiNode: true, parallelism: { data: 3, dataLocal: 2 } },
      /data 3 is not a multiple of dataLocal 2: the controller sizes the LeaderWorkerSet group as 1 pods/,
    ],
    [{ parallelism: { data: 4, dataLocal: 2 } }, /need a worker template/],
    [{ parallelism: { tensor: 0 } }, /parallelism.tensor: tensor parallelism must be a whole number greater than 0/],
    [{ multiNode: true, parallelism: { pipeline: 2, tensor: 4 } }, /kserve-config-llm-worker-pipeline-parallel, which OpenShift AI does not ship/],
    [{ parallelism: { tensor: 4, dataLocal: 2, data: 2 } }, /tensor 4 × dataLocal 2 = 8 GPUs per pod but a g6e.12xlarge node has 4/],
    [{ prefill: { parallelism: { tensor: 8 } } }, /LLMInferenceService llm\/svc prefill pool: prefill.parallelism gives tensor 8 = 8 GPUs per pod/],
    // from JavaScript or JSON a number can reach env; the API server refuses anything but a string there
    [
      { prefill: { env: { VLLM_LOGGING_LEVEL: 5 as unknown as string } } },
      /prefill\.env\.VLLM_LOGGING_LEVEL is 5 \(a number\); environment values are strings: write '5'/,
    ],
    [{ env: { '1BAD': 'x' } }, /env name '1BAD' is not an environment variable name/],
  ] as [Partial<VllmLlmInferenceServiceProps>, RegExp][])('%j', (extra, message) => {
    expect(() => service(extra)).toThrow(message);
  });

  test('a LeaderWorkerSet group larger than the placement nodes fails at construction, naming the fix', () => {
    expect(() => service({ multiNode: true, parallelism: { tensor: 4, data: 3, dataLocal: 1 } }, { nodes: 2 })).toThrow(
      /one LeaderWorkerSet group is 3 pods of 4 GPUs, which need 3 g6e.12xlarge nodes at once, but .* has 2; add nodes/,
    );
  });

  test('LoRA adapter names as KServe validates them', () => {
    const adapter = (name: string) => ({ name, uri: 'hf://org/a' });
    expect(() => service({ lora: { adapters: [adapter('a'), adapter('a')], maxRank: 8 } })).toThrow(/duplicate name 'a' \(same as adapters\[0\]\)/);
    expect(() => service({ lora: { adapters: [adapter('svc')], maxRank: 8 } })).toThrow(/must differ from the base model name 'svc'/);
    expect(() => service({ lora: { adapters: [adapter('..')], maxRank: 8 } })).toThrow(/path traversal/);
    expect(() => service({ lora: { adapters: [{ name: 'x', uri: 's3://b/x' }], maxRank: 8 } })).toThrow(/the controller downloads no adapters/);
    expect(() => service({ lora: { adapters: [adapter('x')], maxRank: 12 } })).toThrow(/lora.maxRank 12 is not a rank vLLM accepts .*use the next larger one/);
  });

  test('a pool that cannot start fails synth naming the service, the pool and the fix', () => {
    // tensor 3 divides neither the 32 attention heads nor the 8 KV heads of Llama-3.1-8B: refused on any hardware
    const heads = service({ parallelism: { tensor: 3 } });
    expect(() => Testing.synth(heads.chart)).toThrow(
      /vllm-startup-refused LLMInferenceService\/llm\/svc: the pool: refused at start-up, on any hardware: tensor-parallel-size 3 does not divide the model's 32 attention heads/,
    );
    // Llama-3.1-70B (131 GiB in BF16) on the prefill pool's two L40S
    const big = service({
      model: ModelProfile.bundled('llama-3.1-70b-instruct'),
      parallelism: { tensor: 4 },
      maxModelLen: 4096,
      prefill: { parallelism: { tensor: 2 } },
    });
    expect(() => Testing.synth(big.chart)).toThrow(/the prefill pool \(spec.prefill\): oom_weights on 2 × L40S .*What would fit/);
  });

  test('renders the platform version; v1alpha2 on 3.4', () => {
    const { chart } = service({}, { platform: 'rhoai-3.4' });
    expect(Testing.synth(chart).find((o) => o.kind === 'LLMInferenceService').apiVersion).toBe('serving.kserve.io/v1alpha2');
  });

  test('an S3 source: the connection Secret on a ServiceAccount of the service, which every pool runs as', () => {
    const app = testApp();
    const chart = new Chart(app, 'c', { namespace: 'llm' });
    const nodes = new ExistingGpuNodes(chart, 'Nodes', { shape: GpuInstanceType.G6E_12XLARGE });
    const s3 = new S3Connection(chart, 'S3', { secretName: 'models-s3', endpoint: 'http://minio.minio.svc:9000', bucket: 'models' });
    new VllmLlmInferenceService(chart, 'svc', { source: ModelSource.s3(s3, 'llama/'), placement: nodes, prefill: { replicas: 1 } });
    const warnings = keptWarnings(app);
    const out = Testing.synth(chart);
    expect(warnings).toEqual([expect.stringMatching(/^info gpu-memory-fit LLMInferenceService\/llm\/svc: the model at s3:\/\/models\/llama\/ is unknow/)]);
    const llmisvc = out.find((o) => o.kind === 'LLMInferenceService');
    expect(llmisvc.spec.model.uri).toBe('s3://models/llama/');
    expect(out.find((o) => o.kind === 'ServiceAccount')).toMatchObject({ metadata: { name: 'svc-storage' }, secrets: [{ name: 'models-s3' }] });
    expect(llmisvc.spec.template.serviceAccountName).toBe('svc-storage');
    expect(llmisvc.spec.prefill.template.serviceAccountName).toBe('svc-storage');
    expect(JSON.stringify(llmisvc)).not.toMatch(/AWS_SECRET_ACCESS_KEY/);
  });

  test('an existing InferencePool by reference, and no router', () => {
    const ref = Testing.synth(service({ router: LlmRouter.existingPool('shared-pool') }).chart).find((o) => o.kind === 'LLMInferenceService');
    expect(ref.spec.router).toEqual({ gateway: {}, route: {}, scheduler: { pool: { ref: { name: 'shared-pool' } } } });
    expect(Testing.synth(service({ router: LlmRouter.none() }).chart).find((o) => o.kind === 'LLMInferenceService').spec.router).toBeUndefined();
  });

  test('a MachineSet is sized from every pool: a group of two 4-GPU pods and two 1-GPU prefill pods need three g6e.12xlarge', () => {
    const app = testApp();
    const chart = new Chart(app, 'c', { namespace: 'llm' });
    const ms = new GpuMachineSetScale(chart, 'Nodes', {
      clusterId: 'demo-abc12',
      region: 'us-east-2',
      availabilityZone: 'us-east-2b',
      amiId: 'ami-0123456789abcdef0',
      instanceType: GpuInstanceType.G6E_12XLARGE,
    });
    new VllmLlmInferenceService(chart, 'svc', {
      source: ModelSource.pvc('models', 'llama'),
      placement: ms,
      multiNode: true,
      parallelism: { tensor: 4, data: 2, dataLocal: 1 },
      prefill: { replicas: 2 },
    });
    const warnings = keptWarnings(app);
    expect(Testing.synth(chart).find((o) => o.kind === 'MachineSet').spec.replicas).toBe(3);
    expect(warnings).toEqual([expect.stringMatching(/^info gpu-memory-fit LLMInferenceService\/llm\/svc: the model at pvc:\/\/models\/llama is unknow/)]);
  });

  test("vLLM's start-up refusals per pool: bfloat16 on a prefill pool of T4s (compute capability 7.5)", () => {
    const app = testApp();
    const chart = new Chart(app, 'c', { namespace: 'llm' });
    const l40s = new ExistingGpuNodes(chart, 'L40S', { shape: GpuInstanceType.G6E_12XLARGE });
    const t4 = new ExistingGpuNodes(chart, 'T4', { shape: GpuInstanceType.G4DN_12XLARGE });
    new VllmLlmInferenceService(chart, 'svc', {
      source: ModelSource.pvc('models', 'llama'),
      model: ModelProfile.bundled('llama-3.1-8b-instruct'),
      placement: l40s,
      maxModelLen: 8192,
      prefill: { placement: t4, parallelism: { tensor: 2 }, dtype: VllmDtype.BFLOAT16, maxModelLen: 8192 },
    });
    expect(() => Testing.synth(chart)).toThrow(/the prefill pool \(spec.prefill\): refused on 2 × T4 .*cannot run bfloat16/);
  });

  test('every pool counts against the quota: one replica too many is refused', () => {
    const app = testApp();
    const chart = new Chart(app, 'c', { namespace: 'llm' });
    const nodes = new ExistingGpuNodes(chart, 'Nodes', { shape: GpuInstanceType.G6E_12XLARGE, nodeCount: 1 });
    const queue = new KueueQuota(chart, 'Q', { placements: [nodes], namespace: 'llm' });
    const props = { source: ModelSource.pvc('models', 'llama'), placement: nodes, queue, parallelism: { tensor: 2 } };
    new VllmLlmInferenceService(chart, 'ok', { ...props, prefill: { replicas: 2 } });
    expect(() => new VllmLlmInferenceService(chart, 'more', { ...props, prefill: { replicas: 1 } })).toThrow(/need 2 nodes but there are 1/);
  });
});

describe('check on hand-written LLMInferenceServices', () => {
  const base = (spec: Record<string, unknown>) => ({
    apiVersion: 'serving.kserve.io/v1alpha2',
    kind: 'LLMInferenceService',
    metadata: { name: 'm', namespace: 'llm' },
    spec: { model: { uri: 'hf://org/m', name: 'm' }, ...spec },
  });
  const main = (gpus: number, args: string[] = []) => ({ containers: [{ name: 'main', args, resources: { limits: { 'nvidia.com/gpu': String(gpus) } } }] });
  const errors = (m: object) => runChecks([{ manifest: m }]).filter((f) => f.severity === 'error');

  test('parallelism on one node that never reaches vLLM (the controller drops it)', () => {
    expect(errors(base({ parallelism: { tensor: 4 }, template: main(4) }))).toEqual([
      expect.objectContaining({
        rule: 'llm-parallelism-dropped',
        message: expect.stringMatching(/spec.parallelism.tensor is 4, but on one node .* add --tensor-parallel-size=4/),
      }),
    ]);
    expect(errors(base({ parallelism: { tensor: 4 }, template: main(4, ['--tensor-parallel-size=4']) }))).toEqual([]);
    // with a worker the preset passes it
    expect(errors(base({ parallelism: { tensor: 4, data: 2, dataLocal: 1 }, template: main(4), worker: main(4) }))).toEqual([]);
  });

  test("the webhook's parallelism rules and the pipeline preset OpenShift AI does not ship", () => {
    expect(errors(base({ parallelism: { tensor: 2 }, template: main(2, ['-tp', '2']), worker: main(2) })).map((f) => f.rule)).toEqual([
      'llm-parallelism-invalid',
    ]);
    expect(errors(base({ parallelism: { pipeline: 2 }, template: main(1), worker: main(1) }))).toEqual([
      expect.objectContaining({
        rule: 'llm-parallelism-invalid',
        message: expect.stringMatching(/LLMInferenceServiceConfig kserve-config-llm-worker-pipeline-parallel/),
      }),
    ]);
    const preset = {
      apiVersion: 'serving.kserve.io/v1alpha2',
      kind: 'LLMInferenceServiceConfig',
      metadata: { name: 'kserve-config-llm-worker-pipeline-parallel', namespace: 'llm' },
      spec: {},
    };
    expect(
      runChecks([{ manifest: base({ parallelism: { pipeline: 2 }, template: main(1), worker: main(1) }) }, { manifest: preset }]).filter(
        (f) => f.rule === 'llm-parallelism-invalid',
      ),
    ).toEqual([]);
  });

  test("a prefill pod larger than its pool's node", () => {
    const onL4 = (gpus: number) => ({
      ...main(gpus, ['--tensor-parallel-size=' + String(gpus)]),
      nodeSelector: { 'node.kubernetes.io/instance-type': 'g6.4xlarge' },
    });
    expect(errors(base({ template: main(1), prefill: { parallelism: { tensor: 2 }, template: onL4(2) } }))).toEqual([
      expect.objectContaining({
        rule: 'gpu-count-exceeds-node',
        message: expect.stringMatching(/^the prefill pool \(spec.prefill\): one pod requests 2 nvidia.com\/gpu but g6.4xlarge has 1/),
      }),
    ]);
  });

  test('the prefill pool is judged on its own', () => {
    const m = base({
      template: main(1),
      prefill: { parallelism: { tensor: 2, dataLocal: 2 }, template: main(2, ['--tensor-parallel-size=2', '--data-parallel-size=2']) },
    });
    expect(errors(m)).toEqual([
      expect.objectContaining({
        rule: 'llm-parallelism-invalid',
        message: expect.stringMatching(/prefill pool \(spec.prefill\): spec.prefill.parallelism.data: data must be set when dataLocal is set/),
      }),
    ]);
  });

  test('a LoRA rank vLLM would not parse is said as such, never planned as a number', () => {
    const onL4 = (args: string[]) => ({ ...main(1, args), nodeSelector: { 'node.kubernetes.io/instance-type': 'g6.4xlarge' } });
    const judged = (args: string[]) =>
      runChecks([{ manifest: base({ template: onL4(args) }) }], { models: new Map([['hf://org/m', ModelProfile.bundled('llama-3.1-8b-instruct')]]) })
        .filter((f) => f.rule === 'gpu-memory-fit')
        .map((f) => `${f.severity} ${f.message}`);
    expect(judged(['--enable-lora', '--max-lora-rank=abc'])).toEqual([
      expect.stringMatching(/^error the pool: --max-lora-rank 'abc' is not a positive whole number; vLLM refuses to start/),
    ]);
    expect(judged(['--enable-lora', '--max-loras=0'])).toEqual([expect.stringMatching(/--max-loras '0' is not a positive whole number/)]);
    // vLLM's defaults (rank 16, one adapter) are planned: a verdict on the node, with no word of the flags
    expect(judged(['--enable-lora']).join('\n')).not.toMatch(/lora|NaN/i);
  });

  test('LoRA adapters with a repeated name', () => {
    const m = base({ template: main(1) });
    (m.spec.model as Record<string, unknown>).lora = {
      adapters: [
        { name: 'a', uri: 'hf://o/a' },
        { name: 'a', uri: 'hf://o/b' },
        { name: 'm', uri: 'hf://o/c' },
      ],
    };
    expect(errors(m).map((f) => f.message)).toEqual([expect.stringMatching(/duplicate name 'a'/), expect.stringMatching(/base model's name/)]);
  });
});

describe('the planner per pool', () => {
  const llama70 = ModelProfile.bundled('llama-3.1-70b-instruct');
  const llama8 = ModelProfile.bundled('llama-3.1-8b-instruct');

  test('pipeline stages split the weights and the KV cache of each GPU', () => {
    const tp4pp2 = planPool(llama70, GpuModel.NVIDIA_H100_80GB, poolTopology({ tensor: 4, pipeline: 2 }, false), { maxModelLen: 8192 });
    const tp8 = planPool(llama70, GpuModel.NVIDIA_H100_80GB, poolTopology({ tensor: 8 }, false), { maxModelLen: 8192 });
    expect(Math.abs(tp4pp2.weightsGiBPerGpu - tp8.weightsGiBPerGpu)).toBeLessThan(0.05);
    // 2 (K, V) × 40 layers of the stage × 8 KV heads / 4 ranks × 128 × 2 bytes
    expect(tp4pp2.kvBytesPerToken).toBe(2 * 40 * 2 * 128 * 2);
    expect(tp4pp2.pipelineParallelSize).toBe(2);
  });

  test('a group: data-parallel ranks hold full copies; GPUs per pod tensor × dataLocal, pods per group data / dataLocal', () => {
    expect(poolTopology({ tensor: 4, data: 8, dataLocal: 2 }, true)).toMatchObject({ gpusPerPod: 8, podsPerGroup: 4 });
    expect(poolTopology({ tensor: 2, pipeline: 3 }, true)).toMatchObject({ gpusPerPod: 2, podsPerGroup: 3 });
    expect(poolTopology({ tensor: 2, pipeline: 3 }, false)).toMatchObject({ gpusPerPod: 6, podsPerGroup: 1 });
  });

  test('expert parallelism spreads only the routed experts', () => {
    // a small MoE: 8 experts of 1024 columns, 2 per token
    const moe = ModelProfile.fromConfig({
      architectures: ['MixtralForCausalLM'],
      num_hidden_layers: 4,
      hidden_size: 512,
      intermediate_size: 1024,
      num_attention_heads: 8,
      num_key_value_heads: 8,
      vocab_size: 1000,
      num_local_experts: 8,
      num_experts_per_tok: 2,
      max_position_embeddings: 4096,
      torch_dtype: 'bfloat16',
    });
    const without = planPool(moe, GpuModel.NVIDIA_L4, poolTopology({ tensor: 1, data: 4, dataLocal: 4 }, false));
    const withEp = planPool(moe, GpuModel.NVIDIA_L4, poolTopology({ tensor: 1, data: 4, dataLocal: 4, expert: true }, false));
    expect(withEp.expertParallelSize).toBe(4);
    // experts: 4 layers × 8 × 3 × 512 × 1024 × 2 bytes = 96 MiB, of which each of 4 ranks keeps a quarter
    expect((without.weightsGiBPerGpu - withEp.weightsGiBPerGpu) * 1024).toBeCloseTo(72, 0);
  });

  test('plan --pipeline-parallel-size and --max-lora-rank on the command line', async () => {
    const r = await cliInProcess([
      'plan',
      '--model',
      path.join(ROOT, 'models', 'llama-3.1-70b-instruct'),
      '--gpu',
      'L40S',
      '--tensor-parallel-size',
      '4',
      '--pipeline-parallel-size',
      '2',
      '--max-model-len',
      '8192',
      '--max-lora-rank',
      '16',
      '--max-loras',
      '4',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.out);
    expect(plan).toMatchObject({ outcome: 'ok', tensorParallelSize: 4, pipelineParallelSize: 2 });
    // per layer and rank 8192 + 10240/4 + 8192/4 + 8192 + 8192 + 2·28672/4 + 28672/4 + 8192 = 58880; × 40 layers × 4 slots × 16 × 2 bytes
    expect(plan.loraGiBPerGpu).toBeCloseTo((58880 * 40 * 4 * 16 * 2) / 2 ** 30, 2);
    expect((await cliInProcess(['plan', '--model', path.join(ROOT, 'models', 'llama-3.1-8b-instruct'), '--gpu', 'L4', '--max-loras', '2'])).code).toBe(2);
  });

  test('LoRA slots: max rank × adapters of every projection, from the base model shapes', () => {
    // Llama-3.1-8B at tensor 2: per layer and rank h + qkv/2 + attn/2 + h (attention) + h + 2·I/2 + I/2 + h (MLP) = 43008
    expect(loraBytesPerGpu(llama8, 2, 1, { maxRank: 16, maxAdapters: 2 })).toBe(43008 * 32 * 2 * 16 * 2);
    const plain = planPool(llama8, GpuModel.NVIDIA_L40S, poolTopology({ tensor: 2 }, false), { maxModelLen: 16384 });
    const lora = planPool(llama8, GpuModel.NVIDIA_L40S, poolTopology({ tensor: 2 }, false), { maxModelLen: 16384, lora: { maxRank: 16, maxAdapters: 2 } });
    expect(lora.kvCacheGiBPerGpu).toBeLessThan(plain.kvCacheGiBPerGpu);
    expect(planPool(llama8, GpuModel.NVIDIA_L40S, poolTopology({}, false), { lora: { maxRank: 12, maxAdapters: 1 } }).outcome).toBe('refused');
  });
});
