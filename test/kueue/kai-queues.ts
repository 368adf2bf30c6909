import { runChecks } from '../../lib';

/**
 * KAI Scheduler queues, after kai-scheduler/KAI-Scheduler default_grouper.go CalcPodGroupQueue and its tests: the top
 * owner's queue label, then the pod's, else default-queue; a queue that does not exist leaves the pods Pending.
 */
const queue = (name: string, parentQueue?: string) => ({
  apiVersion: 'scheduling.run.ai/v2',
  kind: 'Queue',
  metadata: { name },
  spec: { ...(parentQueue ? { parentQueue } : {}), resources: { gpu: { quota: -1, limit: -1, overQuotaWeight: 1 } } },
});
const pod = (labels: Record<string, string>, schedulerName = 'kai-scheduler', annotations: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ml', labels, annotations },
  spec: { schedulerName, containers: [{ name: 'c', image: 'busybox:1.36' }] },
});
const job = (ownLabels: Record<string, string>, podLabels: Record<string, string>) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'j', namespace: 'ml', labels: ownLabels },
  spec: {
    template: {
      metadata: { labels: podLabels },
      spec: { schedulerName: 'kai-scheduler', restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] },
    },
  },
});

const found = (...objects: object[]) =>
  runChecks(
    objects.map((manifest) => ({ manifest })),
    { platform: 'kserve' },
  )
    .filter((f) => f.rule === 'kai-queue-not-found')
    .map((f) => ({ object: f.object, severity: f.severity, message: f.message }));

const tree = [queue('org'), queue('team-a', 'org')];

describe('kai-queue-not-found', () => {
  test('a queue label naming no Queue of a tree that defines some is an error; the older runai/queue label too', () => {
    expect(found(...tree, pod({ 'kai.scheduler/queue': 'team-b' }))).toMatchObject([
      {
        object: 'Pod/ml/p',
        severity: 'error',
        message: expect.stringMatching(/^kai\.scheduler\/queue: 'team-b' names a Queue the tree does not define \(it defines 'org', 'team-a'\).*Pending/),
      },
    ]);
    expect(found(...tree, pod({ 'runai/queue': 'team-b' }))).toMatchObject([{ severity: 'error', message: expect.stringMatching(/^runai\/queue: 'team-b'/) }]);
    expect(found(...tree, pod({ 'kai.scheduler/queue': 'team-a' }))).toEqual([]);
  });

  test("the owner's label wins over the pod template's, as the pod-grouper reads them", () => {
    expect(found(...tree, job({ 'kai.scheduler/queue': 'team-a' }, { 'kai.scheduler/queue': 'gone' }))).toEqual([]);
    expect(found(...tree, job({ 'kai.scheduler/queue': 'gone' }, { 'kai.scheduler/queue': 'team-a' }))).toMatchObject([{ severity: 'error' }]);
  });

  test('a tree with no Queue: a warning, and the queues an install makes are never missing', () => {
    expect(found(pod({ 'kai.scheduler/queue': 'test' }))).toMatchObject([{ severity: 'warning', message: expect.stringMatching(/the tree defines none/) }]);
    expect(found(pod({ 'kai.scheduler/queue': 'default-queue' }))).toEqual([]);
    expect(found(...tree, pod({ 'kai.scheduler/queue': 'default-queue' }))).toEqual([]);
  });

  test('no queue label: a warning where the tree defines its own queues (the pod lands in default-queue), else nothing', () => {
    expect(found(...tree, pod({}))).toMatchObject([
      { severity: 'warning', message: expect.stringMatching(/puts its pods in default-queue, not one of the tree's queues \('org', 'team-a'\)/) },
    ]);
    expect(found(pod({}))).toEqual([]);
    // the default scheduler's pods are not KAI's
    expect(found(...tree, pod({ 'kai.scheduler/queue': 'gone' }, 'default-scheduler'))).toEqual([]);
    // a pod of a hand-written PodGroup takes the PodGroup's queue, which is judged instead
    expect(found(...tree, pod({}, 'kai-scheduler', { 'pod-group-name': 'g' }))).toEqual([]);
    const group = {
      apiVersion: 'scheduling.run.ai/v2alpha2',
      kind: 'PodGroup',
      metadata: { name: 'g', namespace: 'ml' },
      spec: { minMember: 2, queue: 'gone' },
    };
    expect(found(...tree, group)).toMatchObject([{ object: 'PodGroup/ml/g', severity: 'error', message: expect.stringMatching(/^spec\.queue: 'gone'/) }]);
  });

  test("a Queue's parentQueue: missing among other queues is an error; an install's parent or a lone queue is not", () => {
    expect(found(queue('org'), queue('team-a', 'orgs'))).toMatchObject([
      {
        object: 'Queue/team-a',
        severity: 'error',
        message: expect.stringMatching(/^spec\.parentQueue 'orgs' is not a Queue of the tree \(it defines 'org'\)/),
      },
    ]);
    expect(found(queue('team-a', 'default-parent-queue'))).toEqual([]);
    expect(found(queue('team-a', 'org'))).toMatchObject([{ severity: 'warning' }]);
  });
});
