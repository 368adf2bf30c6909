import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import {
  ExistingGpuNodes,
  GpuInstanceType,
  GpuMachineSetScale,
  KueueQuota,
  ModelProfile,
  ModelRegistrationJob,
  ModelSmokeTest,
  ModelSource,
  ModelUploadJob,
  PlannedPlacement,
  readManifests,
  S3Connection,
  SchemaValidator,
  ServingNamespace,
  VllmInferenceService,
  VllmLlmInferenceService,
  VllmRuntime,
} from '../lib';
import { ROOT, cliInProcess, fixture, synthApp, tempDir } from './util';

/** Inputs from the field that once crashed, hung or misled the CLI: each ends with findings or a clear error. */

const cli = cliInProcess;

const STEP05_BASE = path.join(ROOT, 'dist', 'gitops', 'step-05-llm-on-vllm');

/** A copy of the rendered step-05 tree to break. */
function step05Copy(): string {
  const dir = tempDir('faults-');
  fs.cpSync(STEP05_BASE, dir, { recursive: true });
  return dir;
}

describe('files that are not regular files', () => {
  test('a FIFO, a device link and a symlink loop are reported, and the rest is read once', async () => {
    const dir = step05Copy();
    execFileSync('mkfifo', [path.join(dir, 'base', 'pipe.yaml')]);
    fs.symlinkSync('/dev/zero', path.join(dir, 'base', 'zero.yaml'));
    fs.symlinkSync('.', path.join(dir, 'base', 'loop'));
    // read as plain folders (the kustomizations are removed) so that every entry is looked at
    for (const f of execFileSync('find', [dir, '-name', 'kustomization.yaml'], { encoding: 'utf8' }).trim().split('\n')) fs.rmSync(f);
    const { manifests, errors } = readManifests([dir]);
    expect(errors.map((e) => [path.relative(dir, e.file), e.message])).toEqual(
      expect.arrayContaining([
        ['base/pipe.yaml', 'is a FIFO: not read'],
        ['base/zero.yaml', 'is a device: not read'],
        ['base/loop', expect.stringMatching(/a loop\): not followed/)],
      ]),
    );
    const ids = manifests.map((m) => `${(m.manifest as { kind: string }).kind}/${(m.manifest as { metadata: { name: string } }).metadata.name}`);
    expect(new Set(ids).size).toBe(ids.length);
    const r = await cli(['check', dir, '--json']);
    expect(JSON.parse(r.out).findings.filter((f: { rule: string }) => f.rule === 'unreadable-input').length).toBe(2);
  });

  test('validate reports the same files and goes on', async () => {
    const dir = tempDir('faults-');
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    fs.writeFileSync(path.join(dir, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ai\n');
    const r = await cli(['validate', dir, '--json']);
    expect(JSON.parse(r.out).findings).toEqual([expect.objectContaining({ file: path.join(dir, 'pipe.yaml'), message: 'is a FIFO: not read' })]);
  });
});

describe('encodings, aliases, sizes and stray documents', () => {
  test('a UTF-16 quota file is decoded, so the quota rules still run', () => {
    const dir = tempDir('faults-');
    const quota = fs.readFileSync(path.join(STEP05_BASE, 'cluster', 'kueue-quota.yaml'), 'utf8');
    fs.writeFileSync(path.join(dir, 'quota.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(quota, 'utf16le')]));
    const { manifests, errors } = readManifests([dir]);
    expect(errors).toEqual([]);
    expect(manifests.map((m) => (m.manifest as { kind: string }).kind)).toContain('ClusterQueue');
  });

  test('150 aliases in a small file are fine; a billion-laughs document is refused naming the file', () => {
    const dir = tempDir('faults-');
    const aliases = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  base: &v "x"\n${Array.from({ length: 150 }, (_, i) => `  k${i}: *v`).join('\n')}\n`;
    fs.writeFileSync(path.join(dir, 'aliases.yaml'), aliases);
    const laughs = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: b}', 'data:', '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
      .concat(
        ['b', 'c', 'd', 'e', 'f', 'g', 'h'].map(
          (k, i) =>
            `  ${k}: &${k} [${Array(9)
              .fill(`*${String.fromCharCode(97 + i)}`)
              .join(',')}]`,
        ),
      )
      .join('\n');
    fs.writeFileSync(path.join(dir, 'laughs.yaml'), laughs);
    const { manifests, errors } = readManifests([dir]);
    expect(manifests.map((m) => m.file)).toEqual([path.join(dir, 'aliases.yaml')]);
    expect(errors).toEqual([expect.objectContaining({ file: path.join(dir, 'laughs.yaml'), message: expect.stringMatching(/aliases expand beyond/) })]);
  });

  test('an oversized file is refused with its size; the rest is still checked', () => {
    const dir = tempDir('faults-');
    fs.writeFileSync(path.join(dir, 'big.yaml'), `# ${'x'.repeat(2 * 2 ** 20)}\n`);
    fs.writeFileSync(path.join(dir, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ai\n');
    const { manifests, errors } = readManifests([dir], { maxFileBytes: 2 ** 20 });
    expect(errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/is 2.0 MiB, more than the 1 MiB a manifest file may have/) })]);
    expect(manifests).toHaveLength(1);
  });

  test('scalars, lists and objects without a kind are reported as skipped documents', () => {
    const dir = tempDir('faults-');
    fs.writeFileSync(path.join(dir, 'stray.yaml'), 'just text\n---\n- a\n- b\n---\nfoo: bar\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ai}\n');
    const { manifests, errors } = readManifests([dir]);
    expect(manifests).toHaveLength(1);
    expect(errors.map((e) => [e.severity, e.line, e.message])).toEqual([
      ['warning', 1, 'document 1 is not a Kubernetes object (a mapping with apiVersion and kind): skipped'],
      ['warning', 3, 'document 2 is not a Kubernetes object (a mapping with apiVersion and kind): skipped'],
      ['warning', 6, 'document 3 is not a Kubernetes object (a mapping with apiVersion and kind): skipped'],
    ]);
  });

  test('a file that does not parse is a finding naming file and line; the other files are still checked', async () => {
    const dir = step05Copy();
    fs.writeFileSync(path.join(dir, 'base', 'inference', 'broken.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n');
    fs.appendFileSync(path.join(dir, 'base', 'inference', 'kustomization.yaml'), '  - broken.yaml\n');
    const r = await cli(['check', path.join(dir, 'base'), '--json']);
    const findings = JSON.parse(r.out).findings;
    // listed by a kustomization, the file fails its build as kustomize refuses it (MalformedYAMLError)
    expect(findings[0]).toMatchObject({ rule: 'kustomize-build-fails', severity: 'error', file: path.join(dir, 'base', 'inference', 'broken.yaml'), line: 4 });
    expect(findings.map((f: { rule: string }) => f.rule)).toContain('secret-not-in-tree');
    expect(r.code).toBe(1);
  });
});

describe('wrong-typed fields never crash check', () => {
  const isvcFile = path.join(STEP05_BASE, 'base', 'inference', 'mistral-small-24b-tp4.yaml');
  const mutations: [string, (docs: Record<string, any>[]) => void][] = [
    [
      'args: [4]',
      (d) => {
        d[0].spec.predictor.model.args = [4];
      },
    ],
    [
      'args: [null]',
      (d) => {
        d[0].spec.predictor.model.args = [null];
      },
    ],
    [
      'args: true',
      (d) => {
        d[0].spec.predictor.model.args = true;
      },
    ],
    [
      'env: {a: b}',
      (d) => {
        d[0].spec.predictor.model.env = { a: 'b' };
      },
    ],
    [
      'resources: 3.7',
      (d) => {
        d[0].spec.predictor.model.resources = 3.7;
      },
    ],
    [
      'predictor: []',
      (d) => {
        d[0].spec.predictor = [];
      },
    ],
    [
      'metadata: 5',
      (d) => {
        d[0].metadata = 5;
      },
    ],
  ];
  test.each(mutations)('%s', async (_name, change) => {
    const dir = step05Copy();
    const docs = YAML.parseAllDocuments(fs.readFileSync(isvcFile, 'utf8')).map((x) => x.toJS());
    change(docs);
    fs.writeFileSync(path.join(dir, 'base', 'inference', 'mistral-small-24b-tp4.yaml'), docs.map((x) => YAML.stringify(x)).join('---\n'));
    const r = await cli(['check', dir, '--json']);
    expect(r.err).toBe('');
    expect(Array.isArray(JSON.parse(r.out).findings)).toBe(true);
  });

  test('a ServingRuntime with containers: 0 and a Job with containers: 3.7', async () => {
    const dir = tempDir('faults-');
    fs.writeFileSync(
      path.join(dir, 'a.yaml'),
      [
        { apiVersion: 'serving.kserve.io/v1alpha1', kind: 'ServingRuntime', metadata: { name: 'r', namespace: 'ai' }, spec: { containers: 0 } },
        { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'ai' }, spec: { template: { spec: { containers: 3.7 } } } },
        {
          apiVersion: 'serving.kserve.io/v1beta1',
          kind: 'InferenceService',
          metadata: { name: 'i', namespace: 'ai' },
          spec: { predictor: { model: { runtime: 'r', args: 5 } } },
        },
      ]
        .map((x) => YAML.stringify(x))
        .join('---\n'),
    );
    const r = await cli(['check', dir, '--json']);
    expect(r.err).toBe('');
    expect(JSON.parse(r.out)).toHaveProperty('findings');
  });
});

describe('validate checks what the API server checks', () => {
  const validator = new SchemaValidator();
  const job = (change: (m: Record<string, any>) => void) => {
    const m: Record<string, any> = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'upload', namespace: 'ai' },
      spec: {
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [
              {
                name: 'c',
                image: 'i',
                env: [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'token' } } }],
                resources: { limits: { 'nvidia.com/gpu': '1' } },
              },
            ],
          },
        },
      },
    };
    change(m);
    return validator.validate(m).map((f) => [f.field, f.message]);
  };
  test('names of objects and references are DNS names', () => {
    expect(job(() => undefined)).toEqual([]);
    expect(
      job((m) => {
        m.spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name = 'HF Token';
      }),
    ).toEqual([
      [
        'spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name',
        "'HF Token' is not a valid object name: use lowercase letters, digits, '-' and '.'",
      ],
    ]);
    expect(
      job((m) => {
        m.metadata.name = 'ünï名前🚀';
      }),
    ).toEqual([['metadata.name', expect.stringMatching(/is not a valid Job name/)]]);
  });
  test('a ServingRuntime name is a DNS subdomain (its webhook does not check names), an InferenceService name a DNS label', () => {
    const named = (kind: string, name: string) =>
      validator
        .validate({
          apiVersion: kind === 'ServingRuntime' ? 'serving.kserve.io/v1alpha1' : 'serving.kserve.io/v1beta1',
          kind,
          metadata: { name, namespace: 'ai' },
          spec: { containers: [{ name: 'kserve-container', image: 'i' }] },
        })
        .filter((f) => f.field === 'metadata.name');
    expect(named('ServingRuntime', 'vllm-cuda-runtime.v2')).toEqual([]);
    expect(named('ServingRuntime', 'Vllm_Runtime')).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/is not a valid ServingRuntime name/) }),
    ]);
    expect(named('InferenceService', 'mistral.v2')).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/is not a valid InferenceService name/) }),
    ]);
  });
  test('quantities are finite and non-negative', () => {
    expect(
      job((m) => {
        m.spec.template.spec.containers[0].resources.limits['nvidia.com/gpu'] = '1e400';
      }).map((x) => x[0]),
    ).toContain('spec.template.spec.containers[0].resources.limits.nvidia.com/gpu');
    expect(
      job((m) => {
        m.spec.template.spec.containers[0].resources.limits['nvidia.com/gpu'] = Infinity;
      })
        .map((x) => x[1])
        .join(),
    ).toMatch(/not a finite number|not finite/);
    expect(
      job((m) => {
        m.spec.template.spec.containers[0].resources.limits.cpu = '-2';
      }),
    ).toEqual([['spec.template.spec.containers[0].resources.limits.cpu', 'quantity -2 is negative: resources must be finite and non-negative']]);
  });

  test("the CRDs' CEL rules are evaluated on structurally valid objects", () => {
    const cq = (resources: string[]) => ({
      apiVersion: 'kueue.x-k8s.io/v1beta1',
      kind: 'ClusterQueue',
      metadata: { name: 'q' },
      spec: {
        namespaceSelector: {},
        resourceGroups: [{ coveredResources: ['cpu', 'memory'], flavors: [{ name: 'f', resources: resources.map((name) => ({ name, nominalQuota: '1' })) }] }],
      },
    });
    expect(validator.validate(cq(['cpu']))).toEqual([
      expect.objectContaining({
        field: 'spec.resourceGroups[0]',
        message: expect.stringMatching(
          /flavors must have the same number of resources as the coveredResources \(CEL rule of CRD clusterqueues.kueue.x-k8s.io\)/,
        ),
      }),
    ]);
    expect(validator.validate(cq(['cpu', 'memory']))).toEqual([]);
  });
});

describe('construct props from JavaScript or a JSON config: a wrong value is refused naming the object, the field and the fix', () => {
  // each case breaks one prop of an otherwise valid app; the error must name the construct's object and the prop,
  // and never be an exception from deep inside (a TypeError, cdk8s's Size conversion) or a verdict on NaN
  const isvc =
    (props: Record<string, unknown>, more: (f: ReturnType<typeof fixture>) => void = () => undefined) =>
    () => {
      const f = fixture();
      more(f);
      new VllmInferenceService(f.chart, 'llm', {
        runtime: f.runtime,
        source: ModelSource.s3(f.connection, 'llm/'),
        placement: f.machineSet,
        queue: f.quota,
        model: ModelProfile.bundled('llama-3.1-8b-instruct'),
        maxModelLen: 8192,
        ...props,
      });
      synthApp(f.app);
    };
  const job =
    <P>(make: (f: ReturnType<typeof fixture>) => P) =>
    () => {
      const f = fixture();
      make(f);
      synthApp(f.app);
    };
  const CASES: [string, () => void, RegExp][] = [
    ['extraArgs [5]', isvc({ extraArgs: [5] }), /InferenceService team-a\/llm: extraArgs must be a list of non-empty strings.*got \[5\] \(a list\)/],
    ['extraArgs as one string', isvc({ extraArgs: '--enable-prefix-caching' }), /extraArgs must be a list of non-empty strings, one argument each/],
    ['extraArgs [""]', isvc({ extraArgs: [''] }), /extraArgs must be a list of non-empty strings/],
    // vLLM's parser reads --max_model_len as --max-model-len: a typed option repeated under another spelling
    ['extraArgs --max_model_len', isvc({ extraArgs: ['--max_model_len=4096'] }), /extraArgs repeats --max-model-len; set the typed option 'maxModelLen'/],
    ['dtype bf16', isvc({ dtype: 'bf16' }), /dtype 'bf16' is not one vLLM accepts \(auto, half, float16, bfloat16, float, float32\): use VllmDtype/],
    [
      'kvCacheDtype int8 (no model)',
      isvc({ kvCacheDtype: 'int8', model: undefined }),
      /InferenceService team-a\/llm: kvCacheDtype 'int8' is not one vLLM accepts/,
    ],
    ['gpuMemoryUtilization "0.9"', isvc({ gpuMemoryUtilization: '0.9' }), /gpuMemoryUtilization must be in \(0, 1\], got '0.9'/],
    ['gpuCount NaN', isvc({ gpuCount: NaN }), /InferenceService team-a\/llm: gpuCount must be a positive integer, got NaN/],
    [
      'autoscaling.metric gpu',
      isvc({ autoscaling: { minReplicas: 1, maxReplicas: 2, metric: 'gpu' } }),
      /autoscaling.metric must be 'cpu' or 'memory', got 'gpu'/,
    ],
    ['source undefined', isvc({ source: undefined }), /InferenceService team-a\/llm: source must be a ModelSource/],
    ['source a string', isvc({ source: 'pvc://models/llm' }), /source must be a ModelSource .*got 'pvc:\/\/models\/llm'/],
    ['envFromConfigMaps a string', isvc({ envFromConfigMaps: 'tuning' }), /envFromConfigMaps must be a list of ConfigMap names/],
    ['envFromConfigMaps Bad_Name', isvc({ envFromConfigMaps: ['Bad_Name'] }), /envFromConfigMaps\[0\] 'Bad_Name' is not a valid name/],
    ['hardwareProfileName with a space', isvc({ hardwareProfileName: 'gpu profile' }), /hardwareProfileName 'gpu profile' is not a valid name/],
    [
      'memory.request NaN',
      isvc({ memory: { request: Size.gibibytes(NaN) } }),
      /InferenceService team-a\/llm: memory.request is not a finite, non-negative whole number of MiB/,
    ],
    [
      'cpu.request NaN',
      isvc({ cpu: { request: kplus.Cpu.millis(NaN) } }),
      /InferenceService team-a\/llm: cpu.request 'NaNm' is not a finite, non-negative CPU amount/,
    ],
    [
      'a kv-cache dtype the planner refuses names the service',
      isvc({ maxModelLen: 2e9 }),
      /InferenceService team-a\/llm: max-model-len must be a whole number of tokens from 1 to 10\^9/,
    ],
    [
      'KueueQuota batchCpu -1',
      job((f) => new KueueQuota(f.cluster, 'Q2', { machineSets: [f.machineSet], namespace: 'b', batchCpu: kplus.Cpu.units(-1) })),
      /KueueQuota cluster\/Q2: batchCpu '-1' is not a finite, non-negative CPU amount/,
    ],
    [
      'KueueQuota batchMemory NaN',
      job((f) => new KueueQuota(f.cluster, 'Q2', { machineSets: [f.machineSet], namespace: 'b', batchMemory: Size.gibibytes(NaN) })),
      /KueueQuota cluster\/Q2: batchMemory is not a finite/,
    ],
    [
      'KueueQuota placements [null]',
      job((f) => new KueueQuota(f.cluster, 'Q2', { placements: [null as any], namespace: 'b' })),
      /KueueQuota cluster\/Q2: placements\[0\] is not a placement/,
    ],
    [
      'VllmRuntime shmSize NaN',
      job((f) => new VllmRuntime(f.chart, 'R2', { name: 'r2', shmSize: Size.gibibytes(NaN) })),
      /VllmRuntime test\/R2: shmSize is not a finite/,
    ],
    [
      'ExistingGpuNodes shape.gpu a string',
      job((f) => new ExistingGpuNodes(f.cluster, 'N', { shape: { gpu: 'L4' as any, gpusPerNode: 1, vcpu: 8, memoryGiB: 32 }, nodeSelector: { a: 'b' } })),
      /ExistingGpuNodes cluster\/N: shape.gpu must be a GpuModel .*got "L4"/,
    ],
    [
      'PlannedPlacement maxModelLen NaN',
      job((f) => new PlannedPlacement(f.cluster, 'P', { model: ModelProfile.bundled('llama-3.1-8b-instruct'), maxModelLen: NaN, candidates: [f.machineSet] })),
      /PlannedPlacement cluster\/P: maxModelLen must be a positive integer, got NaN/,
    ],
    [
      'PlannedPlacement gpuMemoryUtilization 2',
      job(
        (f) =>
          new PlannedPlacement(f.cluster, 'P', {
            model: ModelProfile.bundled('llama-3.1-8b-instruct'),
            maxModelLen: 8192,
            gpuMemoryUtilization: 2,
            candidates: [f.machineSet],
          }),
      ),
      /PlannedPlacement cluster\/P: gpuMemoryUtilization must be a number in \(0, 1\], got 2/,
    ],
    [
      'PlannedPlacement runnersUp -1',
      job(
        (f) =>
          new PlannedPlacement(f.cluster, 'P', {
            model: ModelProfile.bundled('llama-3.1-8b-instruct'),
            maxModelLen: 8192,
            runnersUp: -1,
            candidates: [f.machineSet],
          }),
      ),
      /PlannedPlacement cluster\/P: runnersUp must be a whole number, 0 or more, got -1/,
    ],
    [
      'S3Connection accessKeyIdKey with a space',
      job((f) => new S3Connection(f.chart, 'S', { secretName: 's', endpoint: 'https://s3.example.com', bucket: 'models', accessKeyIdKey: 'access key' })),
      /S3Connection test\/S: accessKeyIdKey 'access key' is not a valid Secret key/,
    ],
    [
      'S3Connection region ""',
      job((f) => new S3Connection(f.chart, 'S', { secretName: 's', endpoint: 'https://s3.example.com', bucket: 'models', region: '' })),
      /S3Connection test\/S: region '' is not a region name/,
    ],
    [
      'ModelSource.oci uppercase repository',
      () => ModelSource.oci(`oci://quay.io/Acme/Llama@sha256:${'a'.repeat(64)}`),
      /ModelSource.oci: .* has the repository path component 'Acme', which no registry accepts/,
    ],
    [
      'ModelSmokeTest image ""',
      job((f) => new ModelSmokeTest(f.chart, 'smoke', { service: { name: 'llm', namespace: 'team-a' }, image: '' })),
      /ModelSmokeTest test\/smoke: image "" is not an image reference/,
    ],
    [
      'ModelUploadJob modelPath ""',
      job((f) => new ModelUploadJob(f.chart, 'up', { connection: f.connection, modelPath: '', huggingFaceRepo: 'org/m' })),
      /ModelUploadJob test\/up: modelPath: model path '' must be a non-empty prefix/,
    ],
    [
      'ModelUploadJob storageClassName Bad',
      job((f) => new ModelUploadJob(f.chart, 'up', { connection: f.connection, modelPath: 'm/', huggingFaceRepo: 'org/m', storageClassName: 'Fast SSD' })),
      /ModelUploadJob test\/up: storageClassName 'Fast SSD' is not a valid name/,
    ],
    [
      'ModelUploadJob revision with a space',
      job((f) => new ModelUploadJob(f.chart, 'up', { connection: f.connection, modelPath: 'm/', huggingFaceRepo: 'org/m', revision: 'v1 final' })),
      /ModelUploadJob test\/up: revision 'v1 final' is not a Hugging Face branch/,
    ],
    [
      'ModelRegistrationJob model without connection',
      job((f) => new ModelRegistrationJob(f.chart, 'reg', { registryUrl: 'https://r.example.com', models: [{ name: 'm', version: '1' } as any] })),
      /ModelRegistrationJob test\/reg: model 'm' version '1': connection must be the S3Connection/,
    ],
    [
      'ModelRegistrationJob registryUrl ftp',
      job((f) => new ModelRegistrationJob(f.chart, 'reg', { registryUrl: 'ftp://r.example.com' })),
      /ModelRegistrationJob test\/reg: registryUrl 'ftp:\/\/r.example.com' is not an http\(s\) URL/,
    ],
    [
      'GpuMachineSetScale rootVolumeGiB above gp3',
      job(
        (f) =>
          new GpuMachineSetScale(f.cluster, 'Big', {
            clusterId: 'demo-abc12',
            region: 'us-east-2',
            availabilityZone: 'us-east-2a',
            amiId: 'ami-0123456789abcdef0',
            instanceType: GpuInstanceType.G6_XLARGE,
            rootVolumeGiB: 20000,
          }),
      ),
      /GpuMachineSetScale cluster\/Big: rootVolumeGiB 20000 is more than a gp3 volume can hold \(16384 GiB\)/,
    ],
    [
      'VllmLlmInferenceService modelName ""',
      job(
        (f) => new VllmLlmInferenceService(f.chart, 'llmd', { source: ModelSource.pvc('models', 'm'), placement: f.machineSet, queue: f.quota, modelName: '' }),
      ),
      /LLMInferenceService team-a\/llmd: modelName must be a non-empty name/,
    ],
    [
      'KueueQuota flavorPrefix too long',
      job((f) => new KueueQuota(f.cluster, 'Q2', { machineSets: [f.machineSet], namespace: 'b', flavorPrefix: 'p'.repeat(250) })),
      /KueueQuota cluster\/Q2: flavorPrefix makes the ResourceFlavor name 'p+-cpu-batch' longer than 253 characters/,
    ],
    // from JavaScript or JSON, 'false' and 'no' are truthy: each would turn on what it names
    ['enableAuth "false"', isvc({ enableAuth: 'false' }), /InferenceService team-a\/llm: enableAuth must be true or false, got "false" \(a string\)/],
    [
      'ServingNamespace kueueManaged "no"',
      job((f) => new ServingNamespace(f.cluster, 'Ns', { name: 'b', kueueManaged: 'no' as any })),
      /ServingNamespace cluster\/Ns: kueueManaged must be true or false, got "no" \(a string\)/,
    ],
    [
      'S3Connection createdOutsideGit 1',
      job((f) => new S3Connection(f.chart, 'S', { secretName: 's', endpoint: 'https://s3.example.com', bucket: 'models', createdOutsideGit: 1 as any })),
      /S3Connection test\/S: createdOutsideGit must be true or false, got 1 \(a number\)/,
    ],
    [
      'VllmLlmInferenceService syncWave NaN',
      job(
        (f) => new VllmLlmInferenceService(f.chart, 'llmd', { source: ModelSource.pvc('models', 'm'), placement: f.machineSet, queue: f.quota, syncWave: NaN }),
      ),
      /VllmLlmInferenceService test\/llmd: syncWave 'NaN' is not a whole number/,
    ],
    [
      'VllmLlmInferenceService source undefined',
      job((f) => new VllmLlmInferenceService(f.chart, 'llmd', { source: undefined as any, placement: f.machineSet, queue: f.quota })),
      /LLMInferenceService team-a\/llmd: source must be a ModelSource/,
    ],
  ];
  test.each(CASES)('%s', (_name, build, message) => {
    let error: unknown;
    try {
      build();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(message);
  });

  test("Kueue's ClusterQueue rule on preemption is refused at construction, as the real CRD's CEL rule refuses it", () => {
    const quota = (preemption: Record<string, string>) => {
      const f = fixture();
      new KueueQuota(f.cluster, 'Q2', { machineSets: [f.machineSet], namespace: 'b', clusterQueueName: 'b', cohort: 'c', preemption });
      return synthApp(f.app).find((m) => m.kind === 'ClusterQueue' && m.metadata.name === 'b');
    };
    expect(() => quota({ reclaimWithinCohort: 'Never', borrowWithinCohort: 'LowerPriority' })).toThrow(
      /KueueQuota cluster\/Q2: preemption.borrowWithinCohort 'LowerPriority' needs reclaimWithinCohort other than 'Never'/,
    );
    const allowed = quota({ reclaimWithinCohort: 'LowerPriority', borrowWithinCohort: 'LowerPriority' });
    const validator = new SchemaValidator({ cacheDir: null });
    expect(validator.validate(allowed)).toEqual([]);
    // the same object with reclaimWithinCohort Never: the CRD of Kueue (config/components/crd/bases) refuses it
    const refused = { ...allowed, spec: { ...allowed.spec, preemption: { ...allowed.spec.preemption, reclaimWithinCohort: 'Never' } } };
    expect(validator.validate(refused)).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/reclaimWithinCohort=Never and borrowWithinCohort.Policy!=Never/) }),
    ]);
  });

  test('the values just inside each rule are accepted', () => {
    expect(
      isvc({
        dtype: 'half',
        extraArgs: ['--enable-prefix-caching', '--max-loras=4'],
        envFromConfigMaps: ['vllm-tuning'],
        hardwareProfileName: 'nvidia.l4',
      }),
    ).not.toThrow();
    expect(() => ModelSource.oci(`oci://Quay.io:5000/acme/llama_3.1-8b__x@sha256:${'a'.repeat(64)}`)).not.toThrow();
    expect(
      job((f) => new ModelUploadJob(f.chart, 'up', { connection: f.connection, modelPath: 'm/', huggingFaceRepo: 'org/m', storageClassName: '' })),
    ).not.toThrow();
  });
});
