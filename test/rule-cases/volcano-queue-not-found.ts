import { runChecks } from '../../lib';

/**
 * Volcano queues, after volcano-sh/volcano's admission webhooks (jobs/validate admit_job.go refuses a Job whose queue
 * does not exist; podgroups/validate the same for a PodGroup) and the PodGroup controller, which takes a pod's queue
 * from its scheduling.volcano.sh/queue-name annotation; the scheduler creates `default` and `root` itself.
 */
const queue = (name: string) => ({ apiVersion: 'scheduling.volcano.sh/v1beta1', kind: 'Queue', metadata: { name }, spec: { weight: 1 } });
const task = (name: string) => ({
  name,
  replicas: 1,
  template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'trainer', image: 'trainer:1' }] } },
});
const vcjob = (queueName?: string, apiVersion = 'batch.volcano.sh/v1alpha1') => ({
  apiVersion,
  kind: 'Job',
  metadata: { name: 'train', namespace: 'ml' },
  spec: { schedulerName: 'volcano', minAvailable: 1, ...(queueName ? { queue: queueName } : {}), tasks: [task('master')] },
});
const podGroup = (queueName: string, apiVersion = 'scheduling.volcano.sh/v1beta1') => ({
  apiVersion,
  kind: 'PodGroup',
  metadata: { name: 'gang', namespace: 'ml' },
  spec: { minMember: 2, queue: queueName },
});
const deployment = (annotations: Record<string, string>, schedulerName = 'volcano') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'serve', namespace: 'ml' },
  spec: {
    selector: { matchLabels: { app: 'serve' } },
    template: {
      metadata: { labels: { app: 'serve' }, annotations },
      spec: { schedulerName, containers: [{ name: 'c', image: 'server:1' }] },
    },
  },
});

const found = (...objects: object[]) =>
  runChecks(
    objects.map((manifest) => ({ manifest })),
    { platform: 'kserve', rules: ['volcano-queue-not-found'] },
  ).map((f) => ({ object: f.object, severity: f.severity, message: f.message }));

const tree = [queue('research'), queue('prod')];

describe('volcano-queue-not-found', () => {
  test("a Volcano Job's queue that is none of the tree's Queues: an error naming them and the webhook's refusal", () => {
    expect(found(...tree, vcjob('team-ml'))).toEqual([
      {
        object: 'Job/ml/train',
        severity: 'error',
        message:
          "spec.queue: 'team-ml' names a Queue the tree does not define (it defines 'prod', 'research'): Volcano's job admission webhook refuses the Job (\"unable to find job queue\"); name one of those or add the Queue (scheduling.volcano.sh/v1beta1)",
      },
    ]);
  });

  test('a tree with no Volcano Queue: a warning, the cluster may have it', () => {
    expect(found(vcjob('team-ml'))).toMatchObject([
      { severity: 'warning', message: expect.stringMatching(/the tree defines none \(an install makes only 'default', 'root'\); unless the cluster has it/) },
    ]);
  });

  test("a PodGroup's queue and a pod's queue annotation are looked up the same way", () => {
    expect(found(...tree, podGroup('gone'))).toMatchObject([
      { object: 'PodGroup/ml/gang', severity: 'error', message: expect.stringMatching(/^spec\.queue: 'gone'.*refuses the PodGroup/) },
    ]);
    expect(found(...tree, deployment({ 'scheduling.volcano.sh/queue-name': 'gone' }))).toMatchObject([
      { object: 'Deployment/ml/serve', severity: 'error', message: expect.stringMatching(/^annotation scheduling\.volcano\.sh\/queue-name: 'gone'/) },
    ]);
  });

  test('near misses: a queue of the tree, default and root, no queue, a batch/v1 Job, a KAI PodGroup, another scheduler, a hand-written PodGroup', () => {
    expect(found(...tree, vcjob('research'))).toEqual([]);
    expect(found(...tree, vcjob('default'), podGroup('root'))).toEqual([]);
    expect(found(...tree, vcjob())).toEqual([]);
    expect(found(...tree, { ...vcjob('gone', 'batch/v1'), spec: { queue: 'gone', template: task('x').template } })).toEqual([]);
    expect(found(...tree, podGroup('gone', 'scheduling.run.ai/v2alpha2'))).toEqual([]);
    expect(found(...tree, deployment({ 'scheduling.volcano.sh/queue-name': 'gone' }, 'default-scheduler'))).toEqual([]);
    expect(found(...tree, deployment({ 'scheduling.volcano.sh/queue-name': 'gone', 'scheduling.k8s.io/group-name': 'gang' }))).toEqual([]);
  });
});
