import { ApiObject, Chart } from 'cdk8s';
import {
  acknowledgeFinding,
  ExistingGpuNodes,
  GpuInstanceType,
  GpuModel,
  KueueQuota,
  ModelProfile,
  ModelSource,
  NODE_SHAPE_ANNOTATION,
  PlannedPlacement,
  readManifests,
  reportWarningsTo,
  runChecks,
  strictChecks,
  VllmInferenceService,
  VllmRuntime,
} from '../../lib';
import { nodeShapeOf } from '../../lib/check/node-shape';
import { objectId } from '../../lib/manifests/access';
import { gpuIndependentRefusals } from '../../lib/planning/vllm-memory';
import { imagePinning, inferenceServiceNameProblem } from '../../lib/private/names';
import * as fs from 'fs';
import * as path from 'path';
import { synthApp, tempDir, testApp } from '../util';

const LLAMA_70B = () => ModelProfile.bundled('llama-3.1-70b-instruct');
const MISTRAL_24B = () => ModelProfile.bundled('mistral-small-24b-instruct-2501'); // 32768 positions

/** One service on existing nodes selected by a label that names no instance type, as GKE's accelerator label does. */
function onCustomSelector(
  props: Partial<ConstructorParameters<typeof VllmInferenceService>[2]> = {},
  shape: ConstructorParameters<typeof ExistingGpuNodes>[2]['shape'] = GpuInstanceType.GCP_G2_STANDARD_24,
  nodeSelector: Record<string, string> = { 'cloud.google.com/gke-accelerator': 'nvidia-l4' },
) {
  const app = testApp();
  const warnings: string[] = [];
  reportWarningsTo(app, (line) => warnings.push(line));
  const chart = new Chart(app, 'serving', { namespace: 'team-a' });
  const placement = new ExistingGpuNodes(chart, 'L4', { shape, nodeSelector });
  new VllmInferenceService(chart, 'llm', { runtime: new VllmRuntime(chart, 'R'), source: ModelSource.pvc('models', 'llm'), placement, ...props });
  return { app, chart, warnings };
}

/** The message synth throws, or '' when it does not. */
function synthError(app: ReturnType<typeof testApp>): string {
  try {
    synthApp(app);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('the node shape a placement records', () => {
  test('ExistingGpuNodes with a custom selector: the shape is on the object, and the GPU fit is judged from it', () => {
    const ok = onCustomSelector({ model: ModelProfile.bundled('llama-3.1-8b-instruct'), maxModelLen: 8192 });
    const isvc = synthApp(ok.app).find((m) => m.kind === 'InferenceService');
    expect(JSON.parse(isvc.metadata.annotations[NODE_SHAPE_ANNOTATION])).toEqual({
      gpuModel: 'L4',
      gpusPerNode: 2,
      vcpu: 24,
      memoryGiB: 96,
      // 24 vCPU: 60 + 10 + 2 × 5 + 20 × 2.5 = 130m reserved; 96 GiB: 1 + 0.8 + 0.8 + 4.8 = 7.4 GiB (7577.6 MiB) + 100 MiB eviction
      allocatable: { cpu: '23870m', memory: '90626Mi' },
      instanceType: 'g2-standard-24',
      placement: 'nodes cloud.google.com/gke-accelerator=nvidia-l4 (2 × L4 each)',
    });
    expect(synthError(onCustomSelector({ model: LLAMA_70B() }).app)).toMatch(
      /error gpu-memory-fit InferenceService\/team-a\/llm: oom_weights on 1 × L4 \(g2-standard-24\): weights need/,
    );
  });

  test('a GPU outside the catalog travels with its memory and capability, and check plans on it', () => {
    const gpu = GpuModel.custom({ name: 'RTX-6000-Ada', cudaVisibleGiB: 47.4, computeCapability: '8.9', fp8Compute: true });
    const { app } = onCustomSelector(
      { model: LLAMA_70B(), tensorParallelSize: 2 },
      { gpu, gpusPerNode: 2, vcpu: 32, memoryGiB: 256 },
      { 'example.com/gpu-pool': 'rtx' },
    );
    // 70B in BF16 is about 65.7 GiB per GPU at TP 2: more than 47.4 GiB
    expect(synthError(app)).toMatch(/error gpu-memory-fit InferenceService\/team-a\/llm: oom_weights on 2 × RTX-6000-Ada \(custom-rtx-6000-ada-2gpu\)/);
    const recorded = JSON.parse(String(synthAppUnchecked(app).metadata.annotations[NODE_SHAPE_ANNOTATION]));
    expect(recorded.gpu).toEqual({ cudaVisibleGiB: 47.4, computeCapability: '8.9', fp8Compute: true });
    expect(recorded.instanceType).toBeUndefined();
  });

  test('the annotation read back: a catalog type by name, a custom one by its figures, and reasons for what cannot be read', () => {
    const catalog = nodeShapeOf(
      JSON.stringify({ gpuModel: 'L4', gpusPerNode: 4, vcpu: 48, memoryGiB: 192, instanceType: 'g6.12xlarge', placement: 'MachineSet x' }),
    );
    expect('type' in catalog && catalog.type).toBe(GpuInstanceType.G6_12XLARGE);
    const custom = nodeShapeOf(JSON.stringify({ gpuModel: 'H100-80GB', gpusPerNode: 8, vcpu: 112, memoryGiB: 2048, placement: 'nodes a=b' }));
    expect('type' in custom && [custom.type.gpu, custom.type.gpuCount, custom.type.vcpu, custom.placement]).toEqual([
      GpuModel.NVIDIA_H100_80GB,
      8,
      112,
      'nodes a=b',
    ]);
    expect(nodeShapeOf('{')).toEqual({ error: `annotation ${NODE_SHAPE_ANNOTATION} is not JSON` });
    expect(nodeShapeOf(JSON.stringify({ gpuModel: 'Z9', gpusPerNode: 1, vcpu: 4, memoryGiB: 16 }))).toEqual({
      error: expect.stringMatching(/names GPU model "Z9", which is not in the catalog and has no gpu.cudaVisibleGiB/),
    });
    expect(nodeShapeOf(JSON.stringify({ gpuModel: 'L4', gpusPerNode: 0, vcpu: 4, memoryGiB: 16 }))).toEqual({
      error: expect.stringMatching(/gpuCount must be a positive whole number, got 0/),
    });
  });

  test('PlannedPlacement records the chosen candidate', () => {
    const app = testApp();
    const chart = new Chart(app, 'serving', { namespace: 'a' });
    const small = new ExistingGpuNodes(chart, 'L4', { shape: GpuInstanceType.G6_XLARGE });
    const large = new ExistingGpuNodes(chart, 'L40S', { shape: GpuInstanceType.G6E_XLARGE, nodeSelector: { pool: 'l40s' } });
    const placement = new PlannedPlacement(chart, 'P', {
      model: ModelProfile.bundled('llama-3.1-8b-instruct'),
      maxModelLen: 32768,
      minConcurrency: 4,
      candidates: [small, large],
    });
    new VllmInferenceService(chart, 'llm', {
      runtime: new VllmRuntime(chart, 'R'),
      source: ModelSource.pvc('m', 'p'),
      placement,
      model: ModelProfile.bundled('llama-3.1-8b-instruct'),
      maxModelLen: 32768,
    });
    const shape = JSON.parse(synthApp(app).find((m) => m.kind === 'InferenceService').metadata.annotations[NODE_SHAPE_ANNOTATION]);
    expect([shape.instanceType, shape.placement]).toEqual([placement.instanceType.name, `${placement.chosen.description} (chosen by the planner)`]);
  });
});

/** The InferenceService as rendered, without validating the app. */
function synthAppUnchecked(app: ReturnType<typeof testApp>): any {
  const o = app.node.findAll().find((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'InferenceService')!;
  return o.toJson();
}

describe('what needs no node shape is judged without one', () => {
  const manifest = (args: string[], annotations: Record<string, string> = {}) => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'llm', namespace: 'a', annotations: { [ModelProfile.ANNOTATION]: MISTRAL_24B().toAnnotation(), ...annotations } },
    spec: {
      predictor: {
        model: {
          modelFormat: { name: 'vLLM' },
          storageUri: 'pvc://models/llm',
          image: `quay.io/vllm/vllm-openai@sha256:${'a'.repeat(64)}`,
          args: args,
          resources: { requests: { 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '1' } },
        },
      },
    },
  });
  const fit = (m: unknown) => runChecks([{ manifest: m }], { rules: ['gpu-memory-fit', 'vllm-startup-refused'] });

  test('a context beyond the positions is an error with no node known (vllm-startup-refused); the fit, moot until it is mended, is not judged', () => {
    const findings = fit(manifest(['--max-model-len=65536']));
    expect(findings.map((f) => [f.rule, f.severity, f.message])).toEqual([
      [
        'vllm-startup-refused',
        'error',
        expect.stringMatching(/^refused at start-up, on any hardware: max-model-len 65536 exceeds the model's max_position_embeddings 32768/),
      ],
    ]);
    // a tensor-parallel size that does not divide the 32 heads: refused on any hardware too
    expect(
      fit(manifest(['--tensor-parallel-size=3']))
        .filter((f) => f.severity === 'error')
        .map((f) => f.message),
    ).toContainEqual(expect.stringMatching(/^refused at start-up, on any hardware: tensor-parallel-size 3 does not divide the model's 32 attention heads/));
    // within the positions, only the undecided fit remains: a note that says it cannot decide
    expect(fit(manifest(['--max-model-len=8192'])).map((f) => [f.rule, f.severity, f.message])).toEqual([
      [
        'gpu-memory-fit',
        'info',
        expect.stringMatching(
          /^cannot decide whether the model fits its GPUs \(nor its GPU count, CPU and memory a node\): no node shape is known for its pods \(no cdk8s-vllm.io\/node-shape annotation/,
        ),
      ],
    ]);
  });

  test('a GPU workload whose node shape is unknown is told once: by gpu-memory-fit for vLLM, by gpu-count-exceeds-node for others', () => {
    const nodeRules = ['gpu-memory-fit', 'gpu-count-exceeds-node', 'resources-exceed-node'];
    const vllm = runChecks([{ manifest: manifest(['--max-model-len=8192']) }], { rules: nodeRules });
    expect(vllm.map((f) => [f.rule, f.severity])).toEqual([['gpu-memory-fit', 'info']]);
    expect(vllm[0].message).toMatch(/nor its GPU count, CPU and memory a node/);
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'finetune', namespace: 'a' },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'x', resources: { limits: { 'nvidia.com/gpu': '2' } } }] } } },
    };
    const other = runChecks([{ manifest: job }], { rules: nodeRules });
    expect(other.map((f) => [f.rule, f.severity, f.message])).toEqual([
      [
        'gpu-count-exceeds-node',
        'info',
        expect.stringMatching(/^cannot decide whether one pod \(2 nvidia.com\/gpu\) fits a node, nor its CPU and memory: no node shape is known/),
      ],
    ]);
    // with the shape known it is judged, and a CPU-only pod anywhere is no finding
    const judged = { ...job, spec: { template: { spec: { ...job.spec.template.spec, nodeSelector: { 'node.kubernetes.io/instance-type': 'g6.xlarge' } } } } };
    expect(runChecks([{ manifest: judged }], { rules: nodeRules }).map((f) => [f.rule, f.severity])).toEqual([['gpu-count-exceeds-node', 'error']]);
    const cpuOnly = { ...job, spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }] } } } };
    expect(runChecks([{ manifest: cpuOnly }], { rules: nodeRules })).toEqual([]);
  });

  test('an unreadable node-shape annotation is named in the warning', () => {
    const [finding] = fit(manifest(['--max-model-len=8192'], { [NODE_SHAPE_ANNOTATION]: 'not json' }));
    expect(finding.message).toMatch(
      /cannot decide whether the model fits its GPUs \(nor its GPU count, CPU and memory a node\): annotation cdk8s-vllm.io\/node-shape is not JSON, and no node shape is known/,
    );
  });

  test('GPU-dependent refusals are left to the planner with the node: bfloat16 on a T4 is not refused on any GPU', () => {
    expect(gpuIndependentRefusals({ model: MISTRAL_24B(), dtype: 'bfloat16', maxModelLen: 8192 })).toEqual([]);
    expect(gpuIndependentRefusals({ model: MISTRAL_24B(), maxModelLen: 8192, maxNumBatchedTokens: 128, maxNumSeqs: 256 })).toEqual([
      expect.stringMatching(/max-num-batched-tokens 128 is below max-num-seqs 256/),
    ]);
  });

  test('a context beyond the positions fails synth on any placement, whatever the node (vllm-startup-refused, not a memory verdict per GPU)', () => {
    for (const shape of [GpuInstanceType.GCP_G2_STANDARD_24, GpuInstanceType.P5_48XLARGE]) {
      expect(synthError(onCustomSelector({ model: MISTRAL_24B(), maxModelLen: 65536 }, shape, { 'example.com/gpu-pool': 'gpu' }).app)).toMatch(
        /error vllm-startup-refused InferenceService\/team-a\/llm: .*max-model-len 65536 exceeds the model's max_position_embeddings 32768/,
      );
    }
  });
});

describe('warnings at synth', () => {
  test("the app's checks are one construct under the root, however many constructs and calls ask for them", () => {
    const { app, chart } = onCustomSelector({ model: ModelProfile.bundled('llama-3.1-8b-instruct'), maxModelLen: 8192 });
    new VllmRuntime(chart, 'second');
    strictChecks(app);
    reportWarningsTo(chart, () => undefined);
    const checks = app.node.children.filter((c) => c.node.id === 'cdk8s-vllm.AppChecks');
    expect(checks).toHaveLength(1);
    // every other child of the app is a chart, and no chart holds checks of its own
    expect(app.node.children.filter((c) => !(c instanceof Chart)).map((c) => c.node.id)).toEqual(['cdk8s-vllm.AppChecks']);
    expect(chart.node.findAll().filter((c) => c.node.id === 'cdk8s-vllm.AppChecks')).toEqual([]);
  });

  test('each warning is reported once per app, however often the app is synthesized', () => {
    const { app, warnings } = onCustomSelector({ source: ModelSource.huggingFace('example-org/llama-8b-chat', { tokenSecret: 'hf-token' }) });
    synthApp(app);
    synthApp(app);
    expect(warnings.filter((w) => /hf-revision-not-pinned/.test(w))).toEqual([
      expect.stringMatching(/^warning hf-revision-not-pinned InferenceService\/team-a\/llm: the model hf:\/\/example-org\/llama-8b-chat names no revision/),
    ]);
    expect(warnings.filter((w) => /gpu-memory-fit/.test(w))).toEqual([expect.stringMatching(/the model at hf:\/\/example-org\/llama-8b-chat is unknown/)]);
    // a pinned revision is no finding
    const pinned = onCustomSelector({
      source: ModelSource.huggingFace('example-org/llama-8b-chat', { revision: '0e9e39f249a16976918f6564b8830bc894c89659', tokenSecret: 'hf-token' }),
    });
    synthApp(pinned.app);
    expect(pinned.warnings.filter((w) => /hf-revision-not-pinned/.test(w))).toEqual([]);
  });

  test('strict checks make unacknowledged warnings fatal; acknowledged ones stay warnings', () => {
    const strict = onCustomSelector({ source: ModelSource.huggingFace('meta-llama/Llama-3.1-8B-Instruct', { tokenSecret: 'hf-token' }) });
    strictChecks(strict.app);
    expect(synthError(strict.app)).toMatch(/warning hf-revision-not-pinned InferenceService\/team-a\/llm: .* \(fatal: strict checks, CDK8S_VLLM_STRICT\)/);

    const acknowledged = onCustomSelector({
      source: ModelSource.huggingFace('meta-llama/Llama-3.1-8B-Instruct', { tokenSecret: 'hf-token' }),
      model: ModelProfile.bundled('llama-3.1-8b-instruct'),
      maxModelLen: 8192,
    });
    const isvc = acknowledged.app.node.findAll().find((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'InferenceService')!;
    acknowledgeFinding(isvc, 'hf-revision-not-pinned', 'the default branch is what this test environment tracks');
    strictChecks(acknowledged.app);
    expect(synthError(acknowledged.app)).toBe('');
    expect(acknowledged.warnings).toEqual([expect.stringMatching(/^warning hf-revision-not-pinned .*\[acknowledged: the default branch/)]);

    const env = onCustomSelector({ source: ModelSource.huggingFace('meta-llama/Llama-3.1-8B-Instruct', { tokenSecret: 'hf-token' }) });
    const before = process.env.CDK8S_VLLM_STRICT;
    process.env.CDK8S_VLLM_STRICT = '1';
    try {
      expect(synthError(env.app)).toMatch(/\(fatal: strict checks, CDK8S_VLLM_STRICT\)/);
    } finally {
      if (before === undefined) delete process.env.CDK8S_VLLM_STRICT;
      else process.env.CDK8S_VLLM_STRICT = before;
    }
  });
});

describe('names as the admission webhooks check them', () => {
  test("KServe's format (a leading letter) and OpenShift AI's 53 characters", () => {
    expect(inferenceServiceNameProblem('llama-3-8b')).toBeUndefined();
    expect(inferenceServiceNameProblem('a'.repeat(53))).toBeUndefined();
    expect(inferenceServiceNameProblem('7b-model')).toMatch(/KServe's webhook requires .* starting with a letter/);
    expect(inferenceServiceNameProblem('model-')).toMatch(/ending with a letter or digit/);
    expect(inferenceServiceNameProblem('a'.repeat(54))).toMatch(
      /has 54 characters: OpenShift AI's odh-model-controller refuses InferenceService names over 53/,
    );
  });

  test('the construct refuses them at construction with a name that would do; the rule finds them in any manifest', () => {
    expect(() => onCustomSelector({ name: '7b-model' })).toThrow(/name '7b-model' is not an InferenceService name: .*; rename it, e.g. 'm-7b-model'/);
    expect(() => onCustomSelector({ name: `llm-${'x'.repeat(50)}` })).toThrow(/has 54 characters.*rename it, e.g. 'llm-x{49}'/);
    const isvc = (name: string) => ({ apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name, namespace: 'a' }, spec: {} });
    const long = runChecks([{ manifest: isvc('a'.repeat(60)) }], { rules: ['inference-service-name'], platform: 'rhoai-3.0' });
    expect(long.map((f) => f.severity)).toEqual(['error']);
    // the length limit is OpenShift AI's: on plain KServe it is a warning, the format an error everywhere
    expect(runChecks([{ manifest: isvc('a'.repeat(60)) }], { rules: ['inference-service-name'], platform: 'kserve' }).map((f) => f.severity)).toEqual([
      'warning',
    ]);
    expect(runChecks([{ manifest: isvc('7b') }], { rules: ['inference-service-name'], platform: 'kserve' }).map((f) => f.severity)).toEqual(['error']);
  });

  test('cluster-scoped objects are Kind/name in findings, whatever namespace they were written with', () => {
    expect(objectId({ kind: 'ClusterQueue', metadata: { name: 'research', namespace: 'research' } })).toBe('ClusterQueue/research');
    expect(objectId({ kind: 'LocalQueue', metadata: { name: 'gpus', namespace: 'research' } })).toBe('LocalQueue/research/gpus');
  });
});

describe('image references', () => {
  test('a malformed digest is called malformed, a tag a tag', () => {
    expect(imagePinning(`quay.io/x/y@sha256:${'a'.repeat(64)}`)).toEqual({ pinned: true });
    expect(imagePinning('quay.io/x/y:1.0')).toEqual({ pinned: false, problem: 'tag' });
    expect(imagePinning('quay.io/x/y@sha256:abc')).toEqual({ pinned: false, problem: 'malformed-digest', digest: 'sha256:abc' });
    expect(() => ModelSource.oci('oci://quay.io/x/model@sha256:abc')).toThrow(
      /has a malformed digest 'sha256:abc' \(a digest is sha256: and 64 lowercase hex digits\)/,
    );
    expect(() => ModelSource.oci('oci://quay.io/x/model:v1')).toThrow(/names a tag, which can move/);
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'a' },
      spec: { containers: [{ name: 'c', image: 'quay.io/x/y@sha256:ABC' }] },
    };
    // one finding, under the rule of references that do not parse
    expect(runChecks([{ manifest: pod }], { rules: ['image-not-pinned', 'image-reference-invalid'] }).map((f) => [f.rule, f.severity, f.message])).toEqual([
      [
        'image-reference-invalid',
        'error',
        expect.stringMatching(/container 'c' image 'quay.io\/x\/y@sha256:ABC' is not a valid image reference: the digest 'sha256:ABC' after @ is none/),
      ],
    ]);
  });
});

describe('KueueQuota preemption', () => {
  const quota = (props: Partial<ConstructorParameters<typeof KueueQuota>[2]> = {}) => {
    const app = testApp();
    const chart = new Chart(app, 'cluster', { namespace: 'team-a' });
    const nodes = new ExistingGpuNodes(chart, 'N', { shape: GpuInstanceType.G6E_12XLARGE });
    new KueueQuota(chart, 'Q', { placements: [nodes], clusterQueueName: 'a', cohort: 'pool', ...props });
    return synthApp(app);
  };

  test('a lending queue reclaims by default; every policy can be set', () => {
    const cq = quota().find((m) => m.kind === 'ClusterQueue');
    expect(cq.spec.preemption).toEqual({ reclaimWithinCohort: 'Any', withinClusterQueue: 'LowerPriority' });
    const custom = quota({
      preemption: {
        reclaimWithinCohort: 'LowerPriority',
        withinClusterQueue: 'Never',
        borrowWithinCohort: 'LowerPriority',
        borrowWithinCohortMaxPriorityThreshold: 100,
      },
    }).find((m) => m.kind === 'ClusterQueue');
    expect(custom.spec.preemption).toEqual({
      reclaimWithinCohort: 'LowerPriority',
      withinClusterQueue: 'Never',
      borrowWithinCohort: { policy: 'LowerPriority', maxPriorityThreshold: 100 },
    });
  });

  test('values Kueue does not know are refused, naming the field', () => {
    expect(() => quota({ preemption: { reclaimWithinCohort: 'Always' as any } })).toThrow(
      /KueueQuota cluster\/Q: preemption.reclaimWithinCohort 'Always' is not one of Never, LowerPriority, Any/,
    );
    expect(() => quota({ preemption: { borrowWithinCohortMaxPriorityThreshold: 5 } })).toThrow(/applies only with borrowWithinCohort 'LowerPriority'/);
  });

  test('in a namespaced chart, the cluster-scoped objects carry no namespace and the LocalQueue keeps it', () => {
    const objects = quota();
    for (const m of objects.filter((x) => x.kind === 'ClusterQueue' || x.kind === 'ResourceFlavor')) expect(m.metadata.namespace).toBeUndefined();
    expect(objects.find((m) => m.kind === 'LocalQueue').metadata.namespace).toBe('team-a');
  });
});

describe('cluster-scoped names across kustomization roots (check on a written tree)', () => {
  /** Two roots declaring flavor gpu differently, and Argo CD Applications delivering them to the given servers. */
  function tree(servers: [string, string]): string {
    const dir = tempDir('roots-');
    for (const [root, type] of [
      ['a', 'g6e.12xlarge'],
      ['b', 'g6.12xlarge'],
    ]) {
      fs.mkdirSync(path.join(dir, root));
      fs.writeFileSync(path.join(dir, root, 'kustomization.yaml'), 'resources:\n  - flavor.yaml\n');
      fs.writeFileSync(
        path.join(dir, root, 'flavor.yaml'),
        `apiVersion: kueue.x-k8s.io/v1beta1\nkind: ResourceFlavor\nmetadata:\n  name: gpu\nspec:\n  nodeLabels:\n    node.kubernetes.io/instance-type: ${type}\n`,
      );
    }
    fs.mkdirSync(path.join(dir, 'argocd'));
    fs.writeFileSync(
      path.join(dir, 'argocd', 'apps.yaml'),
      servers
        .map(
          (server, i) =>
            `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${'ab'[i]}\n  namespace: openshift-gitops\nspec:\n  project: default\n` +
            `  source:\n    repoURL: https://git.example.com/x.git\n    path: ${'ab'[i]}\n  destination:\n    server: ${server}\n`,
        )
        .join('---\n'),
    );
    return dir;
  }
  const conflicts = (dir: string) => runChecks(readManifests([dir]).manifests, { rules: ['cluster-object-conflict'] }).map((f) => [f.severity, f.message]);

  test('two roots that Applications deliver to one cluster: an error naming the cluster and the Applications', () => {
    expect(conflicts(tree(['https://api.one.example.com:6443', 'https://api.one.example.com:6443']))).toEqual([
      [
        'error',
        expect.stringMatching(
          /ResourceFlavor 'gpu' is declared differently at .*a\/flavor.yaml:1, and Argo CD delivers both to cluster https:\/\/api.one.example.com:6443 \(Application\/openshift-gitops\/a, Application\/openshift-gitops\/b\)/,
        ),
      ],
    ]);
  });

  test('roots delivered to two clusters stay a warning', () => {
    expect(conflicts(tree(['https://api.one.example.com:6443', 'https://api.two.example.com:6443']))).toEqual([
      ['warning', expect.stringMatching(/built by another kustomization root; if both are deployed to one cluster/)],
    ]);
  });
});

describe('ExistingGpuNodes refuses what no Node carries, naming the field', () => {
  const chart = () => new Chart(testApp(), 'c');
  test('a missing shape, a selector key with a space, a taint effect the API server does not know', () => {
    expect(() => new ExistingGpuNodes(chart(), 'N', { shape: undefined as unknown as GpuInstanceType })).toThrow(
      /ExistingGpuNodes c\/N: shape is required: a catalog instance type \(e\.g\. GpuInstanceType\.G6E_12XLARGE\)/,
    );
    expect(() => new ExistingGpuNodes(chart(), 'N', { shape: GpuInstanceType.G6E_12XLARGE, nodeSelector: { 'gpu pool': 'l40s' } })).toThrow(
      /nodeSelector key 'gpu pool' is not a label key/,
    );
    expect(
      () => new ExistingGpuNodes(chart(), 'N', { shape: GpuInstanceType.G6E_12XLARGE, taints: [{ key: 'gpu', effect: 'NoSchedul' as 'NoSchedule' }] }),
    ).toThrow(/taints\[0\]\.effect "NoSchedul" is not a taint effect/);
  });

  test('near miss: the same nodes with a valid selector and taint', () => {
    expect(
      () =>
        new ExistingGpuNodes(chart(), 'N', {
          shape: GpuInstanceType.G6E_12XLARGE,
          nodeSelector: { 'gpu-pool': 'l40s' },
          taints: [{ key: 'gpu', value: 'l40s', effect: 'NoSchedule' }],
        }),
    ).not.toThrow();
  });
});
