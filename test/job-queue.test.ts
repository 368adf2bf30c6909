import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ExistingLocalQueue, ModelRegistrationJob, ModelSmokeTest, ModelUploadJob, reportWarningsTo, S3Connection } from '../lib';
import { stateIn } from '../lib/private/scope';
import { synthApp, testApp } from './util';

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
