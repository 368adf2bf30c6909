import { cliInProcess, writeTree } from '../util';

/**
 * A workload no declaration of its ClusterQueue can ever take: where the tree declares the ClusterQueue in two
 * different ways, the refusal is certain only when each way holds less than the workload needs and none can borrow.
 */
const flavor = (name: string) => `apiVersion: kueue.x-k8s.io/v1beta1
kind: ResourceFlavor
metadata:
  name: ${name}
`;
const clusterQueue = (flavors: string[], cohort?: string) => `apiVersion: kueue.x-k8s.io/v1beta1
kind: ClusterQueue
metadata:
  name: gpus
spec:
  namespaceSelector: {}
${cohort ? `  cohort: ${cohort}\n` : ''}  resourceGroups:
    - coveredResources: [nvidia.com/gpu]
      flavors:
${flavors.map((f) => `        - name: ${f}\n          resources:\n            - name: nvidia.com/gpu\n              nominalQuota: 1\n`).join('')}`;
const QUEUE = `apiVersion: kueue.x-k8s.io/v1beta1
kind: LocalQueue
metadata:
  name: team
  namespace: lab
spec:
  clusterQueue: gpus
`;
const JOB = `apiVersion: batch/v1
kind: Job
metadata:
  name: two-gpus
  namespace: lab
  labels:
    kueue.x-k8s.io/queue-name: team
spec:
  parallelism: 2
  completions: 2
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: main
          image: registry.example.com/trainer@sha256:${'b'.repeat(64)}
          resources:
            limits: {nvidia.com/gpu: 1}
`;

async function quotaFindings(files: Record<string, string>): Promise<{ severity: string; message: string }[]> {
  const dir = writeTree('kueue-certain-', { 'flavors.yaml': `${flavor('a')}---\n${flavor('b')}`, 'queue.yaml': QUEUE, 'job.yaml': JOB, ...files });
  const report = JSON.parse((await cliInProcess(['check', dir, '--json'])).out) as { findings: { rule: string; severity: string; message: string }[] };
  return report.findings.filter((f) => f.rule === 'quota-insufficient');
}

describe('quota-insufficient: a refusal certain whichever declaration of the ClusterQueue is applied', () => {
  test('two declarations, each 1 GPU per flavor and no cohort, for a Job of 2 one-GPU pods: an error saying so', async () => {
    const found = await quotaFindings({ 'one/cq.yaml': clusterQueue(['a']), 'two/cq.yaml': clusterQueue(['a', 'b']) });
    expect(found).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(
          /Kueue never admits it.*each of the 2 different declarations of ClusterQueue 'gpus' in the input holds less than that, and none names a cohort/,
        ),
      }),
    ]);
  });

  test('near miss: one declaration names a cohort that may lend: a warning naming the declaration judged', async () => {
    const found = await quotaFindings({ 'one/cq.yaml': clusterQueue(['a']), 'two/cq.yaml': clusterQueue(['a'], 'shared') });
    expect(found.map((f) => f.severity)).toEqual(['warning']);
    expect(found[0].message).toMatch(/one of 2 different declarations of it in the input/);
  });
});
