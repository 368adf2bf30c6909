import { ruleFindings } from '../util';

/**
 * Workloads of several pod sets (a RayJob's head, worker groups and submitter; a training job's replica types; a
 * JobSet's replicated Jobs; a LeaderWorkerSet's groups): Kueue admits all pod sets of one workload together.
 */
type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('quota-insufficient', docs);

const flavor: Doc = { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'ResourceFlavor', metadata: { name: 'nodes' } };
const localQueue: Doc = {
  apiVersion: 'kueue.x-k8s.io/v1beta1',
  kind: 'LocalQueue',
  metadata: { name: 'train', namespace: 'ml' },
  spec: { clusterQueue: 'cq' },
};
const clusterQueue = (quota: Record<string, string>): Doc => ({
  apiVersion: 'kueue.x-k8s.io/v1beta1',
  kind: 'ClusterQueue',
  metadata: { name: 'cq' },
  spec: {
    namespaceSelector: {},
    resourceGroups: [
      {
        coveredResources: Object.keys(quota),
        flavors: [{ name: 'nodes', resources: Object.entries(quota).map(([name, nominalQuota]) => ({ name, nominalQuota })) }],
      },
    ],
  },
});
const CPU_ONLY = { cpu: '64', memory: '256Gi' };
const pod = (requests: Record<string, string>, init?: Record<string, string>): Doc => ({
  spec: {
    ...(init ? { initContainers: [{ name: 'fetch', image: 'busybox', resources: { requests: init, limits: init } }] } : {}),
    containers: [{ name: 'main', image: 'rayproject/ray:2.41.0', resources: { requests, limits: requests } }],
  },
});
const queued = { name: 'job', namespace: 'ml', labels: { 'kueue.x-k8s.io/queue-name': 'train' } };
const rayJob = (workers: Doc[], head: Doc = pod({ cpu: '2', memory: '8Gi' })): Doc => ({
  apiVersion: 'ray.io/v1',
  kind: 'RayJob',
  metadata: queued,
  spec: { entrypoint: 'python train.py', rayClusterSpec: { headGroupSpec: { rayStartParams: {}, template: head }, workerGroupSpecs: workers } },
});
const GPU = { cpu: '4', memory: '16Gi', 'nvidia.com/gpu': '1' };
const workers = (replicas: number | undefined, template: Doc = pod(GPU)): Doc => ({
  groupName: 'gpu',
  ...(replicas === undefined ? {} : { replicas }),
  rayStartParams: {},
  template,
});

describe('quota-insufficient: workloads of several pod sets', () => {
  test('a RayJob whose workers request GPUs its ClusterQueue does not cover is refused, naming the worker group', () => {
    expect(found([flavor, localQueue, clusterQueue(CPU_ONLY), rayJob([workers(3)])])).toEqual([
      expect.stringMatching(
        /^error RayJob\/ml\/job: requests nvidia\.com\/gpu \(spec\.rayClusterSpec\.workerGroupSpecs\[0\]\.template\), which ClusterQueue 'cq' does not cover; .*"resource nvidia\.com\/gpu unavailable in ClusterQueue"/,
      ),
    ]);
    // an init container's request counts too (the pod's effective request)
    expect(found([flavor, localQueue, clusterQueue(CPU_ONLY), rayJob([workers(1, pod({ cpu: '1' }, { 'nvidia.com/gpu': '1' }))])])).toEqual([
      expect.stringMatching(/^error RayJob\/ml\/job: requests nvidia\.com\/gpu/),
    ]);
  });

  test('the same RayJob on a ClusterQueue covering its GPUs, and worker groups that run no pod, are admitted', () => {
    expect(found([flavor, localQueue, clusterQueue({ ...CPU_ONLY, 'nvidia.com/gpu': '3' }), rayJob([workers(3)])])).toEqual([]);
    // the CRD defaults replicas to 0: Kueue counts no worker pod
    expect(found([flavor, localQueue, clusterQueue(CPU_ONLY), rayJob([workers(undefined)])])).toEqual([]);
    // an extended resource Kueue's configuration may exclude or transform is not judged uncovered
    expect(found([flavor, localQueue, clusterQueue(CPU_ONLY), rayJob([workers(2, pod({ cpu: '1', 'rdma/ib': '1' }))])])).toEqual([]);
  });

  test("the pod sets' requests add up: a head GPU and two worker GPUs do not fit a quota of two", () => {
    const head = pod({ cpu: '2', memory: '8Gi', 'nvidia.com/gpu': '1' });
    expect(found([flavor, localQueue, clusterQueue({ ...CPU_ONLY, 'nvidia.com/gpu': '2' }), rayJob([workers(2)], head)])).toEqual([
      expect.stringMatching(/^error RayJob\/ml\/job: its pod sets together need 3 GPU of ClusterQueue 'cq', whose flavors nodes can hold at most 2 GPU/),
    ]);
    expect(found([flavor, localQueue, clusterQueue({ ...CPU_ONLY, 'nvidia.com/gpu': '3' }), rayJob([workers(2)], head)])).toEqual([]);
    // one pod set alone beyond the quota
    expect(found([flavor, localQueue, clusterQueue({ ...CPU_ONLY, 'nvidia.com/gpu': '2' }), rayJob([workers(3)])])).toEqual([
      expect.stringMatching(
        /^error RayJob\/ml\/job: no flavor of ClusterQueue 'cq' .*its 3 pods of spec\.rayClusterSpec\.workerGroupSpecs\[0\]\.template .*3 GPU > maximum capacity 2 GPU/,
      ),
    ]);
  });

  test("a kind the Red Hat build of Kueue's integrations leave out is not judged: Kueue ignores its queue label", () => {
    const kueue = (frameworks: string[]): Doc => ({
      apiVersion: 'kueue.openshift.io/v1',
      kind: 'Kueue',
      metadata: { name: 'cluster' },
      spec: { config: { integrations: { frameworks } } },
    });
    const docs = [flavor, localQueue, clusterQueue(CPU_ONLY), rayJob([workers(3)])];
    expect(found([...docs, kueue(['BatchJob', 'PyTorchJob'])])).toEqual([]);
    expect(found([...docs, kueue(['BatchJob', 'RayJob'])])).toEqual([expect.stringMatching(/^error RayJob\/ml\/job: requests nvidia\.com\/gpu/)]);
  });

  test('training jobs, JobSets and LeaderWorkerSets are read by their own pod sets', () => {
    const pytorch: Doc = {
      apiVersion: 'kubeflow.org/v1',
      kind: 'PyTorchJob',
      metadata: queued,
      spec: { pytorchReplicaSpecs: { Master: { replicas: 1, template: pod(GPU) }, Worker: { replicas: 2, template: pod(GPU) } } },
    };
    expect(found([flavor, localQueue, clusterQueue(CPU_ONLY), pytorch])).toEqual([
      expect.stringMatching(
        /^error PyTorchJob\/ml\/job: requests nvidia\.com\/gpu \(spec\.pytorchReplicaSpecs\.Master\.template, spec\.pytorchReplicaSpecs\.Worker\.template\)/,
      ),
    ]);
    const jobSet: Doc = {
      apiVersion: 'jobset.x-k8s.io/v1alpha2',
      kind: 'JobSet',
      metadata: queued,
      spec: { replicatedJobs: [{ name: 'w', replicas: 2, template: { spec: { parallelism: 2, completions: 2, template: pod(GPU) } } }] },
    };
    expect(found([flavor, localQueue, clusterQueue({ ...CPU_ONLY, 'nvidia.com/gpu': '4' }), jobSet])).toEqual([]);
    expect(found([flavor, localQueue, clusterQueue({ ...CPU_ONLY, 'nvidia.com/gpu': '3' }), jobSet])).toEqual([
      expect.stringMatching(/^error JobSet\/ml\/job: no flavor .*its 4 pods of spec\.replicatedJobs\[0\]\.template\.spec\.template/),
    ]);
    // each LeaderWorkerSet group is a workload of its own that keeps running: two groups of 2 GPU pods fill a quota of 4
    const lws = (replicas: number): Doc => ({
      apiVersion: 'leaderworkerset.x-k8s.io/v1',
      kind: 'LeaderWorkerSet',
      metadata: queued,
      spec: { replicas, leaderWorkerTemplate: { size: 2, workerTemplate: pod(GPU) } },
    });
    expect(found([flavor, localQueue, clusterQueue({ ...CPU_ONLY, 'nvidia.com/gpu': '4' }), lws(2)])).toEqual([]);
    expect(found([flavor, localQueue, clusterQueue({ ...CPU_ONLY, 'nvidia.com/gpu': '4' }), lws(3)])).toEqual([
      expect.stringMatching(/^error ClusterQueue\/cq: flavor nodes: LeaderWorkerSet\/ml\/job need more than the nominal quota at full scale \(6 GPU > 4\)/),
    ]);
  });
});
