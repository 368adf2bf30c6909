import { readManifests, runChecks } from '../../lib';
import { writeTree } from '../util';

/**
 * queue-not-found and a workload written without a namespace: it matches a LocalQueue of any namespace in the tree,
 * but kubectl applies it into one, the context's unless told; where its queue exists only in one other namespace,
 * that is where it must go.
 */
describe('queue-not-found: a namespace-less workload whose LocalQueue the tree defines only in one namespace', () => {
  const queue = (namespace: string) =>
    `apiVersion: kueue.x-k8s.io/v1beta1\nkind: LocalQueue\nmetadata:\n  name: team-queue\n  namespace: ${namespace}\nspec:\n  clusterQueue: shared\n`;
  const job = (namespace?: string) =>
    `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: train\n${namespace ? `  namespace: ${namespace}\n` : ''}  labels:\n    kueue.x-k8s.io/queue-name: team-queue\n` +
    `spec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: main\n          image: registry.example.com/train@sha256:${'c'.repeat(64)}\n`;
  const CLUSTER_QUEUE =
    'apiVersion: kueue.x-k8s.io/v1beta1\nkind: ClusterQueue\nmetadata:\n  name: shared\nspec:\n  namespaceSelector: {}\n  resourceGroups:\n' +
    '    - coveredResources: [cpu]\n      flavors:\n        - name: plain\n          resources:\n            - name: cpu\n              nominalQuota: 8\n';

  function found(files: Record<string, string>): string[] {
    const dir = writeTree('queue-namespaceless-', { 'cluster-queue.yaml': CLUSTER_QUEUE, ...files });
    const read = readManifests([dir]);
    return runChecks(read.manifests, { platform: 'kserve', rules: ['queue-not-found'], ...read }).map((f) => `${f.severity} ${f.message}`);
  }

  test('the queue only in team-c: a warning naming team-c and -n team-c', () => {
    expect(found({ 'queue.yaml': queue('team-c'), 'job.yaml': job() })).toEqual([
      expect.stringMatching(
        /^warning has no metadata\.namespace, .*'team-queue' names a LocalQueue the tree defines only in 'team-c'.*apply it with -n team-c$/,
      ),
    ]);
  });

  test.each([
    ['the Job names team-c', { 'queue.yaml': queue('team-c'), 'job.yaml': job('team-c') }],
    [
      'a queue of that name in two namespaces (where it lands, one may serve it)',
      { 'queue.yaml': `${queue('team-c')}---\n${queue('team-d')}`, 'job.yaml': job() },
    ],
    [
      'a script applies the Job with -n team-c',
      { 'queue.yaml': queue('team-c'), 'jobs/job.yaml': job(), 'run.sh': '#!/bin/sh\nkubectl apply -n team-c -f jobs/job.yaml\n' },
    ],
    [
      'a kustomization gives it the namespace',
      { 'queue.yaml': queue('team-c'), 'jobs/job.yaml': job(), 'jobs/kustomization.yaml': 'namespace: team-c\nresources:\n  - job.yaml\n' },
    ],
  ])('near miss, %s: silent', (_, files) => {
    expect(found(files)).toEqual([]);
  });
});

describe('queue-not-found: a queue name only in the deprecated annotation, on a Kueue that still reads it', () => {
  const files = {
    'queue.yaml': 'apiVersion: kueue.x-k8s.io/v1beta1\nkind: LocalQueue\nmetadata:\n  name: team-queue\n  namespace: lab\nspec:\n  clusterQueue: shared\n',
    'job.yaml':
      'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: train\n  namespace: lab\n  annotations:\n    kueue.x-k8s.io/queue-name: team-queue\n' +
      `spec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: main\n          image: registry.example.com/train@sha256:${'d'.repeat(64)}\n`,
  };
  const found = (kueue?: string) => {
    const dir = writeTree('queue-annotation-', files);
    const read = readManifests([dir]);
    return runChecks(read.manifests, { platform: 'kserve', rules: ['queue-not-found'], ...(kueue ? { kueue } : {}), ...read }).map(
      (f) => `${f.severity} ${f.message}`,
    );
  };

  test('Kueue 0.14 stated: an info that 0.15 and later read only the label', () => {
    expect(found('0.14')).toEqual([
      expect.stringMatching(/^info the queue name 'team-queue' is only in the deprecated annotation .*Kueue 0\.14 still reads.*move it to metadata\.labels/),
    ]);
  });

  test('Kueue 0.16 stated: an error, the annotation is not read', () => {
    expect(found('0.16').map((f) => f.split(' ')[0])).toEqual(['error']);
  });

  test('near miss, the label: silent', () => {
    const dir = writeTree('queue-label-', { ...files, 'job.yaml': files['job.yaml'].replace('annotations:', 'labels:') });
    const read = readManifests([dir]);
    expect(runChecks(read.manifests, { platform: 'kserve', kueue: '0.14', rules: ['queue-not-found'], ...read })).toEqual([]);
  });
});

/**
 * queue-not-found on OpenShift AI, a workload whose namespace the tree does not give: the operator's `default'
 * LocalQueue exists in whichever Kueue-managed namespace it is applied to.
 */
describe("queue-not-found: OpenShift AI's default LocalQueue for a workload written without a namespace", () => {
  const job = (queue: string) =>
    `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: train\n  labels:\n    kueue.x-k8s.io/queue-name: ${queue}\n` +
    `spec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: main\n          image: registry.example.com/train@sha256:${'d'.repeat(64)}\n`;
  function found(queue: string): string[] {
    const dir = writeTree('queue-operator-default-', { 'job.yaml': job(queue) });
    const read = readManifests([dir]);
    return runChecks(read.manifests, { platform: 'rhoai-3.3', rules: ['queue-not-found'], ...read }).map((f) => f.severity);
  }

  test("'default': the operator makes it where the workload lands, nothing to say", () => {
    expect(found('default')).toEqual([]);
  });

  test('another name the tree does not define: still a warning', () => {
    expect(found('team-queue')).toEqual(['warning']);
  });
});
