import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ExistingGpuNodes,
  ExistingLocalQueue,
  GpuInstanceType,
  KueueQuota,
  ModelRegistrationJob,
  ModelSmokeTest,
  ModelSource,
  ModelUploadJob,
  reportWarningsTo,
  runChecks,
  S3Connection,
  VllmInferenceService,
  VllmRuntime,
} from '../../lib';
import { stateIn } from '../../lib/private/scope';
import { keptWarnings, synthApp, testApp } from '../util';

/** One job of each kind in namespace team-a, all admitted through `queue`. */
function jobsOn(queueNamespace: string) {
  const app = testApp();
  // the Secrets are created outside Git: their warnings are not what these tests look at
  reportWarningsTo(app, () => undefined);
  const chart = new Chart(app, 'c', { namespace: 'team-a' });
  const queue = new ExistingLocalQueue(chart, 'Q', { name: 'batch', namespace: queueNamespace });
  const connection = new S3Connection(chart, 'S3', { secretName: 'models-s3', endpoint: 'https://s3.example.com', bucket: 'models', region: 'us-east-1' });
  const make = {
    upload: () => new ModelUploadJob(chart, 'Up', { connection, modelPath: 'llama/', huggingFaceRepo: 'meta-llama/Llama-3.1-8B-Instruct', queue }),
    registration: () =>
      new ModelRegistrationJob(chart, 'Reg', {
        registryUrl: 'https://registry.example.com:8443',
        models: [{ name: 'llama', version: '1', connection, modelPath: 'llama/' }],
        queue,
      }),
    smoke: () => new ModelSmokeTest(chart, 'Smoke', { service: { name: 'llm', namespace: 'team-a' }, queue }),
  };
  return { app, queue, make };
}

describe('the jobs are admitted through one queue-admission step', () => {
  test('each job labels its Job (not its pods or other objects) with the queue and reports one CPU-only pod', () => {
    const { app, queue, make } = jobsOn('team-a');
    make.upload();
    make.registration();
    make.smoke();
    expect(queue.workloads.map((w) => [w.workload, w.pods, w.gpusPerPod])).toEqual([
      ['Job/team-a/upload-llama', 1, 0],
      ['Job/team-a/model-registration', 1, 0],
      ['Job/team-a/llm-smoke-test', 1, 0],
    ]);
    const objects = synthApp(app);
    const labelled = objects.filter((o) => o.metadata.labels?.['kueue.x-k8s.io/queue-name'] === 'batch').map((o) => `${o.kind}/${o.metadata.name}`);
    expect(labelled.sort()).toEqual(['Job/llm-smoke-test', 'Job/model-registration', 'Job/upload-llama']);
    for (const job of objects.filter((o) => o.kind === 'Job')) expect(job.spec.template.metadata.labels['kueue.x-k8s.io/queue-name']).toBeUndefined();
  });

  test.each(['upload', 'registration', 'smoke'] as const)('the %s job refuses a LocalQueue of another namespace, naming both', (kind) => {
    const { make } = jobsOn('team-b');
    expect(() => make[kind]()).toThrow(
      /: queue 'batch' is a LocalQueue of namespace 'team-b', the job runs in 'team-a'; a workload can only use a LocalQueue of its own namespace$/,
    );
  });
});

describe('a LocalQueue the app declares as existing is known to the checks', () => {
  /** A quota of the app (LocalQueue 'default') and a queue the cluster has already, in one namespace. */
  function beside(existingName: string) {
    const app = testApp();
    const warnings: string[] = [];
    reportWarningsTo(app, (line) => warnings.push(line));
    const chart = new Chart(app, 'c', { namespace: 'team-a' });
    const nodes = new ExistingGpuNodes(chart, 'Nodes', { shape: GpuInstanceType.G6_XLARGE });
    new KueueQuota(chart, 'Quota', { placements: [nodes] });
    const existing = new ExistingLocalQueue(chart, 'Batch', { name: existingName });
    const connection = new S3Connection(chart, 'S3', { secretName: 'models-s3', endpoint: 'https://s3.example.com', bucket: 'models', region: 'us-east-1' });
    new ModelUploadJob(chart, 'Up', { connection, modelPath: 'llama/', huggingFaceRepo: 'meta-llama/Llama-3.1-8B-Instruct', queue: existing });
    new VllmInferenceService(chart, 'svc', { runtime: new VllmRuntime(chart, 'R'), source: ModelSource.pvc('models', 'm'), placement: nodes, queue: existing });
    return { app, warnings };
  }
  const queueFindings = (objects: any[]) =>
    runChecks(
      objects.map((manifest) => ({ manifest })),
      { platform: 'rhoai-3.0' },
    )
      .filter((f) => f.rule === 'queue-not-found')
      .map((f) => `${f.severity} ${f.object}`);

  test("workloads of a custom-named ExistingLocalQueue beside the quota's LocalQueue synthesize, and check on the rendered YAML agrees", () => {
    const { app, warnings } = beside('batch');
    const objects = synthApp(app);
    expect(warnings.filter((w) => w.includes('queue-not-found'))).toEqual([]);
    const queued = objects.filter((o) => o.metadata.labels?.['kueue.x-k8s.io/queue-name'] === 'batch');
    expect(queued.map((o) => [o.kind, o.metadata.annotations['cdk8s-vllm.io/external-local-queue']])).toEqual([
      ['Job', 'batch'],
      ['InferenceService', 'batch'],
    ]);
    expect(queueFindings(objects)).toEqual([]);
    // near-miss: the same workloads without the declaration name a queue the namespace does not have
    for (const o of queued) delete o.metadata.annotations['cdk8s-vllm.io/external-local-queue'];
    expect(queueFindings(objects)).toEqual(['error InferenceService/team-a/svc', 'error Job/team-a/upload-llama']);
    // a declaration of another name declares nothing about this one
    for (const o of queued) o.metadata.annotations['cdk8s-vllm.io/external-local-queue'] = 'other, gpus';
    expect(queueFindings(objects)).toEqual(['error InferenceService/team-a/svc', 'error Job/team-a/upload-llama']);
  });

  test("the app's own queues carry no declaration", () => {
    const app = testApp();
    const chart = new Chart(app, 'c', { namespace: 'team-a' });
    const nodes = new ExistingGpuNodes(chart, 'Nodes', { shape: GpuInstanceType.G6_XLARGE });
    const quota = new KueueQuota(chart, 'Quota', { placements: [nodes] });
    new VllmInferenceService(chart, 'svc', { runtime: new VllmRuntime(chart, 'R'), source: ModelSource.pvc('models', 'm'), placement: nodes, queue: quota });
    const warnings = keptWarnings(app);
    const svc = synthApp(app).find((o) => o.kind === 'InferenceService');
    expect(warnings).toEqual([expect.stringMatching(/^info gpu-memory-fit InferenceService\/team-a\/svc: the model at pvc:\/\/models\/m is unknown/)]);
    expect(svc.metadata.labels['kueue.x-k8s.io/queue-name']).toBe('default');
    expect(svc.metadata.annotations['cdk8s-vllm.io/external-local-queue']).toBeUndefined();
  });
});

describe('state shared through the construct tree', () => {
  test('the first caller creates it under the scope, later callers find the same object; another scope has its own', () => {
    const app = testApp();
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    const first = stateIn(a, 'Registry', () => new Map<string, number>([['x', 1]]));
    expect(stateIn(a, 'Registry', () => new Map<string, number>())).toBe(first);
    expect(stateIn(b, 'Registry', () => new Map<string, number>()).size).toBe(0);
    expect(synthApp(app)).toEqual([]);
  });

  test('an id already taken by another construct is refused with the scope and the id', () => {
    const app = testApp();
    const chart = new Chart(app, 'serving');
    new Construct(chart, 'Registry');
    expect(() => stateIn(chart, 'Registry', () => 1)).toThrow("serving: the id 'Registry' is reserved by cdk8s-vllm; rename the construct that has it");
  });
});
