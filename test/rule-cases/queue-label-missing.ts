import { podWorkload, ruleFindings } from '../util';

/** A Kueue-integrated workload without a queue-name label, beside LocalQueues of its namespace nothing names: Kueue leaves it unqueued. */
describe('queue-label-missing: workloads Kueue leaves unqueued', () => {
  const RULE = 'queue-label-missing';
  const localQueue = (name: string, ns = 'train') => ({
    apiVersion: 'kueue.x-k8s.io/v1beta1',
    kind: 'LocalQueue',
    metadata: { name, namespace: ns },
    spec: { clusterQueue: 'gpus' },
  });
  const pod = { containers: [{ name: 'main', image: 'registry.example/train:1', resources: { limits: { 'nvidia.com/gpu': '1' } } }], restartPolicy: 'Never' };
  const job = (labels: Record<string, string> = {}, ns = 'train') => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'finetune', namespace: ns, labels },
    spec: { template: { spec: pod } },
  });
  const mpiJob = {
    apiVersion: 'kubeflow.org/v2beta1',
    kind: 'MPIJob',
    metadata: { name: 'allreduce', namespace: 'train' },
    spec: { mpiReplicaSpecs: { Launcher: { replicas: 1, template: { spec: pod } }, Worker: { replicas: 2, template: { spec: pod } } } },
  };
  const found = (...docs: object[]) => ruleFindings(RULE, docs);

  test('a batch Job beside a LocalQueue no workload names: a warning naming the queue and the label to write', () => {
    expect(found(job(), localQueue('team-gpus'))).toEqual([
      "warning Job/train/finetune: no kueue.x-k8s.io/queue-name label, while the tree makes LocalQueue 'team-gpus' in namespace 'train' and no workload there names it: " +
        "Kueue manages only workloads that name a LocalQueue (manageJobsWithoutQueueName is false unless its configuration sets it), so this Job is never suspended nor admitted: it runs at once, outside the queue's quota, and the queue stays unused; " +
        'label it kueue.x-k8s.io/queue-name: team-gpus',
    ]);
  });

  test('an MPIJob (kubeflow.org/v2beta1) likewise; a Deployment also needs the opt-in integration', () => {
    expect(found(mpiJob, localQueue('team-gpus'))).toEqual([expect.stringMatching(/^warning MPIJob\/train\/allreduce: no kueue\.x-k8s\.io\/queue-name label/)]);
    expect(found(podWorkload('server', 'train', pod), localQueue('team-gpus'))).toEqual([
      expect.stringMatching(
        /^warning Deployment\/train\/server: .*label it kueue\.x-k8s\.io\/queue-name: team-gpus, and enable Kueue's deployment integration \(integrations\.frameworks; Kueue's default configuration leaves it off\)$/,
      ),
    ]);
  });

  test.each([
    ['a namespace with no LocalQueue', [job(), localQueue('team-gpus', 'other')]],
    ['a workload that names the queue', [job({ 'kueue.x-k8s.io/queue-name': 'team-gpus' }), localQueue('team-gpus')]],
    [
      'another workload names the queue (this one is meant to run unqueued)',
      [job(), { ...mpiJob, metadata: { ...mpiJob.metadata, labels: { 'kueue.x-k8s.io/queue-name': 'team-gpus' } } }, localQueue('team-gpus')],
    ],
    ['the LocalQueue named default (LocalQueue defaulting labels the job)', [job(), localQueue('default')]],
    [
      'manageJobsWithoutQueueName: true in the Kueue configuration of the tree',
      [
        job(),
        localQueue('team-gpus'),
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'kueue-manager-config', namespace: 'kueue-system' },
          data: { 'controller_manager_config.yaml': 'apiVersion: config.kueue.x-k8s.io/v1beta1\nkind: Configuration\nmanageJobsWithoutQueueName: true\n' },
        },
      ],
    ],
  ])('near miss, %s: silent', (_, docs) => {
    expect(found(...docs)).toEqual([]);
  });
});
