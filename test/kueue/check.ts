import { runChecks } from '../../lib';

/**
 * Kueue's admission as its scheduler computes it (pkg/scheduler/flavorassigner/flavorassigner.go and the cases of its
 * flavorassigner_test.go, written here as our own fixtures): a flavor per resource group, borrowing within the
 * cohort up to the borrowing and lending limits, namespaceSelector, flavor node labels and taints, a Job's pods
 * admitted together and a service's pods one by one.
 */

type Doc = Record<string, any>;

const GPU = 'nvidia.com/gpu';

function flavor(name: string, spec: Doc = {}): Doc {
  return { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'ResourceFlavor', metadata: { name }, spec };
}

/** A resource group: covered resources and flavors with nominal quota (and limits) per resource. */
function group(covered: string[], flavors: Record<string, Record<string, number | string | Doc>>): Doc {
  return {
    coveredResources: covered,
    flavors: Object.entries(flavors).map(([name, resources]) => ({
      name,
      resources: Object.entries(resources).map(([r, q]) => (typeof q === 'object' ? { name: r, ...q } : { name: r, nominalQuota: q })),
    })),
  };
}

function clusterQueue(name: string, groups: Doc[], spec: Doc = {}): Doc {
  return { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'ClusterQueue', metadata: { name }, spec: { namespaceSelector: {}, ...spec, resourceGroups: groups } };
}

function localQueue(namespace: string, cq: string): Doc {
  return { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'LocalQueue', metadata: { name: 'q', namespace }, spec: { clusterQueue: cq } };
}

/** A Deployment (or Job) of pods with one container, queued on LocalQueue q. */
function workload(kind: 'Deployment' | 'Job', namespace: string, pods: number, limits: Doc, pod: Doc = {}): Doc {
  const template = { spec: { ...pod, containers: [{ name: 'c', image: 'registry.example/app@sha256:' + 'a'.repeat(64), resources: { limits } }] } };
  return {
    apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1',
    kind,
    metadata: { name: 'w', namespace, labels: { 'kueue.x-k8s.io/queue-name': 'q' } },
    spec: kind === 'Job' ? { parallelism: pods, template: { spec: { ...template.spec, restartPolicy: 'Never' } } } : { replicas: pods, template },
  };
}

const quota = (docs: Doc[]) =>
  runChecks(docs.map((manifest) => ({ manifest })))
    .filter((f) => f.rule === 'quota-insufficient')
    .map((f) => [f.severity, f.object, f.message]);

const onePodGpu = { cpu: '4', memory: '16Gi', [GPU]: '1' };

describe('a flavor per resource group', () => {
  test('CPU and memory in a default flavor, GPUs in a GPU flavor: each group assigns its own', () => {
    const cq = clusterQueue('cq', [group(['cpu', 'memory'], { default: { cpu: 32, memory: '128Gi' } }), group([GPU], { 'gpu-l4': { [GPU]: 4 } })]);
    expect(quota([flavor('default'), flavor('gpu-l4'), cq, localQueue('ai', 'cq'), workload('Deployment', 'ai', 2, onePodGpu)])).toEqual([]);
  });

  test('near-miss: the GPU group holds fewer GPUs than one pod asks for, and no cohort: never admitted, naming the group', () => {
    const cq = clusterQueue('cq', [group(['cpu', 'memory'], { default: { cpu: 32, memory: '128Gi' } }), group([GPU], { 'gpu-l4': { [GPU]: 1 } })]);
    expect(quota([flavor('default'), flavor('gpu-l4'), cq, localQueue('ai', 'cq'), workload('Deployment', 'ai', 1, { ...onePodGpu, [GPU]: '2' })])).toEqual([
      [
        'error',
        'Deployment/ai/w',
        expect.stringMatching(/no flavor of ClusterQueue 'cq' for nvidia.com\/gpu can take one pod \(gpu-l4: 2 GPU > maximum capacity 1/),
      ],
    ]);
  });

  test('the first flavor whose node labels disagree with the node selector is passed over for the next', () => {
    const cq = clusterQueue('cq', [
      group(['cpu', 'memory', GPU], { a100: { cpu: 64, memory: '512Gi', [GPU]: 8 }, l4: { cpu: 48, memory: '192Gi', [GPU]: 4 } }),
    ]);
    const flavors = [flavor('a100', { nodeLabels: { 'gpu-type': 'a100' } }), flavor('l4', { nodeLabels: { 'gpu-type': 'l4' } })];
    const w = workload('Deployment', 'ai', 2, onePodGpu, { nodeSelector: { 'gpu-type': 'l4' } });
    expect(quota([...flavors, cq, localQueue('ai', 'cq'), w])).toEqual([]);
    // near-miss: a selector no flavor carries
    const h100 = workload('Deployment', 'ai', 1, onePodGpu, { nodeSelector: { 'gpu-type': 'h100' } });
    expect(quota([...flavors, cq, localQueue('ai', 'cq'), h100])).toEqual([
      [
        'error',
        'Deployment/ai/w',
        expect.stringMatching(/a100: its node selector gpu-type=h100 is not the flavor's gpu-type=a100; l4: its node selector gpu-type=h100/),
      ],
    ]);
  });

  test('required node affinity counts like a node selector', () => {
    const cq = clusterQueue('cq', [group(['cpu', 'memory', GPU], { l4: { cpu: 48, memory: '192Gi', [GPU]: 4 } })]);
    const affinity = (values: string[]) => ({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'gpu-type', operator: 'In', values }] }] },
        },
      },
    });
    const docs = (values: string[]) => [
      flavor('l4', { nodeLabels: { 'gpu-type': 'l4' } }),
      cq,
      localQueue('ai', 'cq'),
      workload('Deployment', 'ai', 1, onePodGpu, affinity(values)),
    ];
    expect(quota(docs(['l4', 'l40s']))).toEqual([]);
    expect(quota(docs(['a100']))).toEqual([['error', 'Deployment/ai/w', expect.stringMatching(/required node affinity excludes the flavor's node labels/)]]);
  });

  test("a flavor's node taints must be tolerated by the pod or by the flavor's own tolerations", () => {
    const cq = clusterQueue('cq', [group(['cpu', 'memory', GPU], { l4: { cpu: 48, memory: '192Gi', [GPU]: 4 } })]);
    const taint = { nodeTaints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }] };
    const docs = (flavorSpec: Doc, pod: Doc = {}) => [flavor('l4', flavorSpec), cq, localQueue('ai', 'cq'), workload('Deployment', 'ai', 1, onePodGpu, pod)];
    expect(quota(docs(taint))).toEqual([
      ['error', 'Deployment/ai/w', expect.stringMatching(/does not tolerate the flavor's taint nvidia.com\/gpu=true:NoSchedule/)],
    ]);
    expect(quota(docs(taint, { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] }))).toEqual([]);
    expect(quota(docs({ ...taint, tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' }] }))).toEqual([]);
    // a hardware profile writes the pod's scheduling at admission: not judged on what the manifest says
    const profiled = docs(taint);
    profiled[3].metadata.annotations = { 'opendatahub.io/hardware-profile-name': 'gpu-l4' };
    expect(quota(profiled)).toEqual([]);
    // PreferNoSchedule keeps nobody out
    expect(quota(docs({ nodeTaints: [{ key: 'spot', value: 'true', effect: 'PreferNoSchedule' }] }))).toEqual([]);
  });

  test('pods spill over to the next flavor when the first one is full', () => {
    const cq = clusterQueue('cq', [
      group(['cpu', 'memory', GPU], { 'on-demand': { cpu: 64, memory: '256Gi', [GPU]: 4 }, spot: { cpu: 64, memory: '256Gi', [GPU]: 4 } }),
    ]);
    expect(quota([flavor('on-demand'), flavor('spot'), cq, localQueue('ai', 'cq'), workload('Deployment', 'ai', 6, onePodGpu)])).toEqual([]);
    // near-miss: 9 pods for 8 GPUs in all
    expect(quota([flavor('on-demand'), flavor('spot'), cq, localQueue('ai', 'cq'), workload('Deployment', 'ai', 9, onePodGpu)])).toEqual([
      ['error', 'ClusterQueue/cq', expect.stringMatching(/flavor on-demand: Deployment\/ai\/w need more than the nominal quota at full scale \(5 GPU > 4\)/)],
    ]);
  });

  test('the largest replica count Kubernetes takes is charged in runs: 2,147,483,647 pods fill both flavors at once', () => {
    const cq = clusterQueue('cq', [
      group(['cpu', 'memory', GPU], { 'on-demand': { cpu: 64, memory: '256Gi', [GPU]: 4 }, spot: { cpu: 64, memory: '256Gi', [GPU]: 4 } }),
    ]);
    // pod by pod this would be two billion charges; the spill-over verdict is the one 9 pods get
    expect(quota([flavor('on-demand'), flavor('spot'), cq, localQueue('ai', 'cq'), workload('Deployment', 'ai', 2_147_483_647, onePodGpu)])).toEqual([
      [
        'error',
        'ClusterQueue/cq',
        expect.stringMatching(
          /flavor on-demand: Deployment\/ai\/w need more than the nominal quota at full scale \(8589934572 CPU > 64, 34359738288Gi memory > 256Gi, 2147483643 GPU > 4\)/,
        ),
      ],
    ]);
    // beyond int32 or not whole, a replica count is no count the API server takes: judged as unset (one pod)
    for (const replicas of [1e308, 2 ** 31, 2.5])
      expect(quota([flavor('on-demand'), flavor('spot'), cq, localQueue('ai', 'cq'), workload('Deployment', 'ai', replicas, onePodGpu)])).toEqual([]);
  });
});

describe('a Job is admitted whole, a service pod by pod', () => {
  const cq = clusterQueue('cq', [group(['cpu', 'memory', GPU], { l4: { cpu: 48, memory: '192Gi', [GPU]: 2 } })]);
  test('a Job of 4 one-GPU pods on 2 GPUs is never admitted', () => {
    expect(quota([flavor('l4'), cq, localQueue('ai', 'cq'), workload('Job', 'ai', 4, onePodGpu)])).toEqual([
      ['error', 'Job/ai/w', expect.stringMatching(/can take its 4 pods \(l4: 4 GPU > maximum capacity 2/)],
    ]);
  });
  test('a Deployment of 4 one-GPU pods on 2 GPUs runs 2: the queue is short, the workload is not refused', () => {
    expect(quota([flavor('l4'), cq, localQueue('ai', 'cq'), workload('Deployment', 'ai', 4, onePodGpu)])).toEqual([
      ['error', 'ClusterQueue/cq', expect.stringMatching(/need more than the nominal quota at full scale \(4 GPU > 2\); the last ones stay pending/)],
    ]);
  });
  // Kueue's partial admission (feature gate PartialAdmission, on since 0.5): a Job annotated
  // kueue.x-k8s.io/job-min-parallelism is admitted with fewer pods when all do not fit (pkg/controller/jobs/job,
  // e2e "should partially admit the Job if configured and not fully fits")
  const partial = (min: string) => {
    const job = workload('Job', 'ai', 4, onePodGpu);
    (job.metadata as Doc).annotations = { 'kueue.x-k8s.io/job-min-parallelism': min };
    return job;
  };
  test('a Job of 4 one-GPU pods with job-min-parallelism 2 runs 2 of them on 2 GPUs', () => {
    expect(quota([flavor('l4'), cq, localQueue('ai', 'cq'), partial('2')])).toEqual([]);
  });
  test('with job-min-parallelism 3 even the fewest pods do not fit; a value the webhook refuses admits all or none', () => {
    expect(quota([flavor('l4'), cq, localQueue('ai', 'cq'), partial('3')])).toEqual([
      [
        'error',
        'Job/ai/w',
        expect.stringMatching(/can take even 3 of its 4 pods \(its kueue.x-k8s.io\/job-min-parallelism\) \(l4: 3 GPU > maximum capacity 2/),
      ],
    ]);
    // job_webhook.go validatePartialAdmissionCreate: a whole number from 1 to parallelism - 1
    for (const invalid of ['0', '4', 'two', '-1'])
      expect(quota([flavor('l4'), cq, localQueue('ai', 'cq'), partial(invalid)])).toEqual([
        ['error', 'Job/ai/w', expect.stringMatching(/can take its 4 pods/)],
      ]);
  });
  test('CPU and memory are judged too, in their own units', () => {
    expect(quota([flavor('l4'), cq, localQueue('ai', 'cq'), workload('Deployment', 'ai', 1, { cpu: '64', memory: '1Gi' })])).toEqual([
      ['error', 'Deployment/ai/w', expect.stringMatching(/l4: 64 CPU > maximum capacity 48 CPU/)],
    ]);
  });
});

// a tree that keeps alternatives side by side (whole-GPU and MIG variants of one ClusterQueue): the cluster holds one of
// them, and the verdict holds only for the one judged
describe('a ClusterQueue declared in different ways', () => {
  const whole = clusterQueue('cq', [group(['cpu', 'memory', GPU], { l4: { cpu: 48, memory: '192Gi', [GPU]: 2 } })]);
  const mig = clusterQueue('cq', [group(['cpu', 'memory', 'nvidia.com/mig-1g.5gb'], { l4: { cpu: 48, memory: '192Gi', 'nvidia.com/mig-1g.5gb': 14 } })]);
  test('a refusal against one of them is a warning naming the declaration judged', () => {
    expect(quota([flavor('l4'), mig, whole, localQueue('ai', 'cq'), workload('Job', 'ai', 1, onePodGpu)])).toEqual([
      [
        'warning',
        'Job/ai/w',
        expect.stringMatching(
          /which ClusterQueue 'cq' does not cover.*\(judged against ClusterQueue 'cq' at its first declaration, one of 2 different declarations/,
        ),
      ],
    ]);
  });
  test('one declaration, or two identical ones, keep the error', () => {
    expect(quota([flavor('l4'), mig, localQueue('ai', 'cq'), workload('Job', 'ai', 1, onePodGpu)])).toEqual([
      ['error', 'Job/ai/w', expect.stringMatching(/which ClusterQueue 'cq' does not cover/)],
    ]);
    expect(quota([flavor('l4'), mig, structuredClone(mig), localQueue('ai', 'cq'), workload('Job', 'ai', 1, onePodGpu)])).toEqual([
      ['error', 'Job/ai/w', expect.stringMatching(/which ClusterQueue 'cq' does not cover/)],
    ]);
  });
});

describe('borrowing within the cohort', () => {
  const member = (name: string, gpus: number | Doc, spec: Doc = { cohort: 'shared' }) =>
    clusterQueue(name, [group(['cpu', 'memory', GPU], { l4: { cpu: 48, memory: '192Gi', [GPU]: gpus } })], spec);

  test('a queue with zero nominal GPU quota that borrows from its cohort is a warning, not never admitted', () => {
    const docs = [flavor('l4'), member('lender', 4), member('borrower', 0), localQueue('ai', 'borrower'), workload('Deployment', 'ai', 1, onePodGpu)];
    expect(quota(docs)).toEqual([
      ['warning', 'ClusterQueue/borrower', expect.stringMatching(/admitted only while cohort 'shared' lends it \(it can lend up to 4 GPU\)/)],
    ]);
  });

  test('a queue with zero nominal CPU and memory that borrows both: one warning for the flavor, naming both', () => {
    const cpuQueue = (name: string, cpu: number, memory: string) =>
      clusterQueue(name, [group(['cpu', 'memory'], { 'default-flavor': { cpu, memory } })], { cohort: 'poc' });
    const job = workload('Job', 'ai', 1, { cpu: '6', memory: '12Gi' });
    const found = quota([flavor('default-flavor'), cpuQueue('shared', 8, '16Gi'), cpuQueue('team-b', 0, '0'), localQueue('ai', 'team-b'), job]);
    expect(found).toEqual([
      [
        'warning',
        'ClusterQueue/team-b',
        expect.stringMatching(
          /\(6 CPU > 0, 12Gi memory > 0Mi\); the rest is admitted only while cohort 'poc' lends it \(it can lend up to 8 CPU, 16Gi memory\)/,
        ),
      ],
    ]);
  });

  test('v1beta2 names the cohort spec.cohortName', () => {
    const v1beta2 = (q: Doc) => ({ ...q, apiVersion: 'kueue.x-k8s.io/v1beta2' });
    const docs = [
      flavor('l4'),
      v1beta2(member('lender', 4, { cohortName: 'shared' })),
      v1beta2(member('borrower', 0, { cohortName: 'shared' })),
      localQueue('ai', 'borrower'),
      workload('Deployment', 'ai', 1, onePodGpu),
    ];
    expect(quota(docs).map(([severity]) => severity)).toEqual(['warning']);
  });

  test('a borrowing limit caps what the queue can ever hold', () => {
    const docs = [
      flavor('l4'),
      member('lender', 8),
      member('borrower', { nominalQuota: 1, borrowingLimit: 1 }),
      localQueue('ai', 'borrower'),
      workload('Job', 'ai', 3, onePodGpu),
    ];
    expect(quota(docs)).toEqual([['error', 'Job/ai/w', expect.stringMatching(/l4: 3 GPU > maximum capacity 2 GPU/)]]);
  });

  test("the lender's lending limit caps what it lends", () => {
    const docs = [
      flavor('l4'),
      member('lender', { nominalQuota: 8, lendingLimit: 1 }),
      member('borrower', 0),
      localQueue('ai', 'borrower'),
      workload('Job', 'ai', 2, onePodGpu),
    ];
    expect(quota(docs)).toEqual([['error', 'Job/ai/w', expect.stringMatching(/l4: 2 GPU > maximum capacity 1 GPU/)]]);
  });

  test('a Cohort object that holds quota lends it too', () => {
    const cohort = {
      apiVersion: 'kueue.x-k8s.io/v1beta1',
      kind: 'Cohort',
      metadata: { name: 'shared' },
      spec: { resourceGroups: [group(['cpu', 'memory', GPU], { l4: { cpu: 48, memory: '192Gi', [GPU]: 4 } })] },
    };
    const docs = [flavor('l4'), cohort, member('borrower', 0), localQueue('ai', 'borrower'), workload('Job', 'ai', 2, onePodGpu)];
    expect(quota(docs).map(([severity]) => severity)).toEqual(['warning']);
  });

  test('a shortfall beyond what the cohort can lend is an error', () => {
    const docs = [flavor('l4'), member('lender', 2), member('borrower', 1), localQueue('ai', 'borrower'), workload('Deployment', 'ai', 4, onePodGpu)];
    const found = quota(docs);
    expect(found).toContainEqual([
      'error',
      'ClusterQueue/borrower',
      expect.stringMatching(
        /\(4 GPU > 1\); the last ones stay pending \("insufficient unused quota"\), even with the 2 GPU it can borrow in cohort 'shared': add nodes/,
      ),
    ]);
    expect(found).toContainEqual(['error', 'ClusterQueue/lender', expect.stringMatching(/cohort 'shared' \(lender, borrower\).*\(4 GPU > 3\)/)]);
  });
});

/**
 * Hierarchical cohorts (Kueue pkg/cache/scheduler/resource_node.go; cohort_types.go): a Cohort object holds quota of its
 * own and may have a parent; a queue borrows through the whole tree, within the borrowing and lending limits of every
 * level. The tree's shapes are those of Kueue's resource_test.go (TestAvailable), with GPUs.
 */
describe('a tree of Cohorts', () => {
  const member = (name: string, cohort: string, gpus: number | Doc) =>
    clusterQueue(name, [group(['cpu', 'memory', GPU], { l4: { cpu: 48, memory: '192Gi', [GPU]: gpus } })], { cohort });
  const cohortObject = (name: string, spec: Doc, apiVersion = 'kueue.x-k8s.io/v1beta1') => ({ apiVersion, kind: 'Cohort', metadata: { name }, spec });
  /** A Cohort's quota of GPUs in flavor l4 (CPU and memory left to the queues). */
  const gpuQuota = (gpus: number | Doc) => ({ resourceGroups: [group([GPU], { l4: { [GPU]: gpus } })] });
  const roomy = group(['cpu', 'memory'], { l4: { cpu: 480, memory: '1920Gi' } });
  const gpuOnly = (name: string, cohort: string, gpus: number | Doc) => clusterQueue(name, [roomy, group([GPU], { 'l4-gpu': { [GPU]: gpus } })], { cohort });
  const orgTree = (orgSpec: Doc, teamSpec: Doc = { parentName: 'org' }) => [
    flavor('l4'),
    cohortObject('org', orgSpec),
    cohortObject('team-a', teamSpec),
    member('team-a', 'team-a', 0),
    localQueue('ai', 'team-a'),
  ];

  test("the quota held by the team cohort's parent is borrowed: a warning, not never admitted", () => {
    const docs = [...orgTree(gpuQuota(4)), workload('Job', 'ai', 2, onePodGpu)];
    expect(quota(docs)).toEqual([
      ['warning', 'ClusterQueue/team-a', expect.stringMatching(/admitted only while cohort 'team-a' lends it \(it can lend up to 4 GPU\)/)],
    ]);
  });

  test("near-miss: a Cohort's borrowing limit caps what its subtree takes from the parent", () => {
    const limited = orgTree(gpuQuota(4), { parentName: 'org', ...gpuQuota({ nominalQuota: 0, borrowingLimit: 1 }) });
    expect(quota([...limited, workload('Job', 'ai', 2, onePodGpu)])).toEqual([
      ['error', 'Job/ai/w', expect.stringMatching(/no flavor of ClusterQueue 'team-a' .*l4: 2 GPU > maximum capacity 1 GPU/)],
    ]);
  });

  test('what a sibling subtree lends reaches across the tree; what it keeps back (lending limit) does not', () => {
    const tree = (lend: number | Doc) => [
      flavor('l4'),
      cohortObject('org', {}),
      cohortObject('team-a', { parentName: 'org' }),
      cohortObject('team-b', { parentName: 'org' }),
      member('team-a', 'team-a', 0),
      member('team-b', 'team-b', lend),
      localQueue('ai', 'team-a'),
      workload('Job', 'ai', 3, onePodGpu),
    ];
    expect(quota(tree(4)).map(([severity, object]) => [severity, object])).toEqual([['warning', 'ClusterQueue/team-a']]);
    expect(quota(tree({ nominalQuota: 4, lendingLimit: 2 }))).toEqual([['error', 'Job/ai/w', expect.stringMatching(/l4: 3 GPU > maximum capacity 2 GPU/)]]);
  });

  test('v1beta2 Cohorts name the parent parentName, v1alpha1 ones parent', () => {
    const v = (apiVersion: string, parent: Doc) => [
      flavor('l4'),
      cohortObject('org', gpuQuota(4), apiVersion),
      cohortObject('team-a', parent, apiVersion),
      member('team-a', 'team-a', 0),
      localQueue('ai', 'team-a'),
      workload('Job', 'ai', 2, onePodGpu),
    ];
    expect(quota(v('kueue.x-k8s.io/v1beta2', { parentName: 'org' })).map(([severity]) => severity)).toEqual(['warning']);
    expect(quota(v('kueue.x-k8s.io/v1alpha1', { parent: 'org' })).map(([severity]) => severity)).toEqual(['warning']);
  });

  test("the tree's total: the root Cohort object tells when its queues need more than the whole tree holds", () => {
    const docs = [
      flavor('l4'),
      flavor('l4-gpu'),
      cohortObject('org', { resourceGroups: [group([GPU], { 'l4-gpu': { [GPU]: 2 } })] }),
      cohortObject('team-a', { parentName: 'org' }),
      gpuOnly('a', 'team-a', 2),
      gpuOnly('b', 'org', 2),
      localQueue('ai', 'a'),
      { ...localQueue('ml', 'b'), metadata: { name: 'q', namespace: 'ml' } },
      workload('Deployment', 'ai', 4, onePodGpu),
      workload('Deployment', 'ml', 3, onePodGpu),
    ];
    const found = quota(docs);
    // each Deployment fits alone: Kueue admits them in turn, so the sum is a warning, not a refusal
    expect(found).toContainEqual([
      'warning',
      'Cohort/org',
      expect.stringMatching(
        /^cohort 'org' \(a, b\): the workloads of its ClusterQueues need more of flavor l4-gpu than they hold together \(7 GPU > 6\); each of them fits alone \(the most one needs is 4 GPU\)/,
      ),
    ]);
    // near-miss: one pod fewer fits what the queues and the cohort hold (6 GPU)
    const fewer = docs.map((d) => (d.kind === 'Deployment' && d.metadata.namespace === 'ml' ? { ...d, spec: { ...d.spec, replicas: 2 } } : d));
    expect(quota(fewer).filter(([severity]) => severity === 'error')).toEqual([]);
  });

  test("a cohort's borrowing limit is where its subtree's shortfall is told, though the tree has room", () => {
    const docs = [
      flavor('l4'),
      flavor('l4-gpu'),
      cohortObject('org', { resourceGroups: [group([GPU], { 'l4-gpu': { [GPU]: 8 } })] }),
      cohortObject('team-a', { parentName: 'org', resourceGroups: [group([GPU], { 'l4-gpu': { [GPU]: { nominalQuota: 0, borrowingLimit: 1 } } })] }),
      gpuOnly('a1', 'team-a', 2),
      gpuOnly('a2', 'team-a', 2),
      localQueue('ai', 'a1'),
      { ...localQueue('ml', 'a2'), metadata: { name: 'q', namespace: 'ml' } },
      workload('Deployment', 'ai', 3, onePodGpu),
      workload('Deployment', 'ml', 3, onePodGpu),
    ];
    expect(quota(docs).filter(([, object]) => object === 'Cohort/team-a')).toEqual([
      [
        'warning',
        'Cohort/team-a',
        expect.stringMatching(/^cohort 'team-a' \(a1, a2\): .*than the cohort can hold \(6 GPU > 5: .*borrowingLimit lets it take from cohort 'org'\)/),
      ],
    ]);
  });

  test('a ClusterQueue below a cycle of Cohort parents admits nothing: no quota finding, cluster-queue-invalid tells why', () => {
    const docs = [
      flavor('l4'),
      cohortObject('team-a', { parentName: 'org', ...gpuQuota(8) }),
      cohortObject('org', { parentName: 'team-a' }),
      member('team-a', 'team-a', 0),
      localQueue('ai', 'team-a'),
      workload('Deployment', 'ai', 4, onePodGpu),
    ];
    const all = runChecks(docs.map((manifest) => ({ manifest })));
    expect(all.filter((f) => f.rule === 'quota-insufficient')).toEqual([]);
    expect(all.filter((f) => f.rule === 'cluster-queue-invalid').map((f) => [f.severity, f.object, f.message])).toEqual([
      [
        'error',
        'Cohort/team-a',
        expect.stringMatching(
          /^the parents of Cohorts 'team-a' → 'org' → 'team-a' form a cycle: Kueue admits no workload of the ClusterQueues below it \(team-a;/,
        ),
      ],
    ]);
  });
});

/**
 * What Kueue's webhook refuses in a Cohort (pkg/webhooks/cohort_webhook.go, the shared validateResourceGroups; cases of
 * cohort_webhook_test.go and the webhook integration test cohort_test.go).
 */
/**
 * A sum of workloads against one that never fits (Kueue pkg/scheduler/preemption/preemption.go): workloads that each
 * fit what a queue can hold but not all at once are admitted in turn, the last waiting; where the queue preempts and
 * their priorities differ, that is the setup's intent. Only one workload above all the queue can hold is refused.
 */
describe('a sum of workloads, and preemption by priority', () => {
  const priorityClass = (name: string, value: number) => ({ apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'WorkloadPriorityClass', metadata: { name }, value });
  const withPriority = (w: Doc, name: string): Doc => ({
    ...w,
    metadata: { ...w.metadata, labels: { ...w.metadata.labels, 'kueue.x-k8s.io/priority-class': name } },
  });
  const gpus = (spec: Doc = {}) => clusterQueue('cq', [group(['cpu', 'memory', GPU], { l4: { cpu: 48, memory: '192Gi', [GPU]: 4 } })], spec);
  const two = (cq: Doc, a: Doc, b: Doc) => [
    flavor('l4'),
    cq,
    localQueue('ai', 'cq'),
    localQueue('ml', 'cq'),
    a,
    b,
    priorityClass('prod', 1000),
    priorityClass('dev', 100),
  ];
  const three = (ns: string) => workload('Deployment', ns, 3, onePodGpu);

  test('two services of 3 GPUs each on a 4-GPU queue: each fits alone, so they wait in turn (a warning)', () => {
    expect(quota(two(gpus(), three('ai'), three('ml')))).toEqual([
      [
        'warning',
        'ClusterQueue/cq',
        expect.stringMatching(
          /^flavor l4: Deployment\/ai\/w, Deployment\/ml\/w together need more than the queue can hold at full scale \(6 GPU > 4\); each fits alone/,
        ),
      ],
    ]);
  });

  test('the queue preempts by priority and the services differ in it: the wait is the design (info)', () => {
    const docs = two(gpus({ preemption: { withinClusterQueue: 'LowerPriority' } }), withPriority(three('ai'), 'prod'), withPriority(three('ml'), 'dev'));
    expect(quota(docs)).toEqual([
      [
        'info',
        'ClusterQueue/cq',
        expect.stringMatching(
          /ClusterQueue cq \(withinClusterQueue LowerPriority\) preempts and the workloads differ in priority \(Deployment\/ai\/w: prod 1000, Deployment\/ml\/w: dev 100\)/,
        ),
      ],
    ]);
  });

  test('near-miss: preemption without a difference in priority, or priorities without preemption, keeps the warning', () => {
    const same = two(gpus({ preemption: { withinClusterQueue: 'LowerPriority' } }), withPriority(three('ai'), 'prod'), withPriority(three('ml'), 'prod'));
    expect(quota(same).map(([severity]) => severity)).toEqual(['warning']);
    const never = two(gpus({ preemption: { withinClusterQueue: 'Never' } }), withPriority(three('ai'), 'prod'), withPriority(three('ml'), 'dev'));
    expect(quota(never).map(([severity]) => severity)).toEqual(['warning']);
  });

  test('one service above all the queue holds stays an error, preemption or not', () => {
    const five = withPriority(workload('Deployment', 'ai', 5, onePodGpu), 'prod');
    const docs = two(gpus({ preemption: { withinClusterQueue: 'LowerPriority' } }), five, withPriority(three('ml'), 'dev'));
    expect(quota(docs)).toEqual([
      ['error', 'ClusterQueue/cq', expect.stringMatching(/need more than the nominal quota at full scale \(8 GPU > 4\); the last ones stay pending/)],
    ]);
  });

  test("a cohort's queues that borrow and preempt lower priorities: the cohort's overrun is info", () => {
    const member = (name: string, cpu: number, spec: Doc = {}) =>
      clusterQueue(name, [group(['cpu', 'memory'], { 'default-flavor': { cpu, memory: '64Gi' } })], { cohort: 'teams', ...spec });
    const preempting = { preemption: { reclaimWithinCohort: 'Any', borrowWithinCohort: { policy: 'LowerPriority', maxPriorityThreshold: 100 } } };
    const cpus = (ns: string, pods: number) => workload('Deployment', ns, pods, { cpu: '2', memory: '1Gi' });
    const docs = [
      flavor('default-flavor'),
      member('shared', 10, preempting),
      member('team-a', 0, preempting),
      member('team-b', 0),
      localQueue('ai', 'team-a'),
      localQueue('ml', 'team-b'),
      withPriority(cpus('ai', 5), 'prod'),
      withPriority(cpus('ml', 3), 'dev'),
      priorityClass('prod', 1000),
      priorityClass('dev', 100),
    ];
    const found = quota(docs).filter(([, object]) => object === 'ClusterQueue/shared');
    expect(found).toEqual([
      [
        'info',
        'ClusterQueue/shared',
        expect.stringMatching(
          /^cohort 'teams' .*\(16 CPU > 10\); each of them fits alone .*shared \(reclaimWithinCohort Any, borrowWithinCohort LowerPriority\)/,
        ),
      ],
    ]);
    // near-miss: without priorities the same overrun is a warning
    const plain = docs.map((d) => (d.kind === 'Deployment' ? { ...d, metadata: { ...d.metadata, labels: { 'kueue.x-k8s.io/queue-name': 'q' } } } : d));
    expect(
      quota(plain)
        .filter(([, object]) => object === 'ClusterQueue/shared')
        .map(([severity]) => severity),
    ).toEqual(['warning']);
  });
});

describe('a Cohort Kueue refuses', () => {
  const invalid = (spec: Doc) =>
    runChecks([{ manifest: { apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'Cohort', metadata: { name: 'org' }, spec } }])
      .filter((f) => f.rule === 'cluster-queue-invalid')
      .map((f) => f.message);
  const cpu = (q: number | Doc) => ({ resourceGroups: [group(['cpu'], { x86: { cpu: q } })] });

  test('a limit without a parent; near-miss: with one', () => {
    expect(invalid(cpu({ nominalQuota: 1, lendingLimit: 1 }))).toEqual([
      expect.stringMatching(
        /^the API server refuses this Cohort.*sets lendingLimit for 'cpu' in a Cohort without a parent: "must be nil when parent is empty"/,
      ),
    ]);
    expect(invalid(cpu({ nominalQuota: 1, borrowingLimit: 0 }))).toEqual([expect.stringMatching(/sets borrowingLimit for 'cpu' in a Cohort without a parent/)]);
    expect(invalid({ parentName: 'root', ...cpu({ nominalQuota: 1, borrowingLimit: 0, lendingLimit: 0 }) })).toEqual([]);
  });

  test('a Cohort may lend more than its nominal quota (what its queues lend it), a ClusterQueue may not', () => {
    expect(invalid({ parentName: 'root', ...cpu({ nominalQuota: 1, lendingLimit: 5 }) })).toEqual([]);
    const cq = clusterQueue('cq', [group(['cpu'], { x86: { cpu: { nominalQuota: 1, lendingLimit: 5 } } })], { cohort: 'org' });
    expect(
      runChecks([{ manifest: cq }])
        .filter((f) => f.rule === 'cluster-queue-invalid')
        .map((f) => f.message),
    ).toEqual([expect.stringMatching(/sets lendingLimit 5 above nominalQuota 1 for 'cpu': "must be less than or equal to the nominalQuota"/)]);
  });

  test('negative quotas, resources out of the covered order, a resource in two groups', () => {
    expect(invalid(cpu(-1))).toEqual([expect.stringMatching(/sets nominalQuota of 'cpu' to -1: "must be greater than or equal to 0"/)]);
    const outOfOrder = {
      resourceGroups: [
        {
          coveredResources: ['cpu', 'memory'],
          flavors: [
            {
              name: 'x86',
              resources: [
                { name: 'memory', nominalQuota: '1Gi' },
                { name: 'cpu', nominalQuota: 1 },
              ],
            },
          ],
        },
        group(['cpu'], { arm: { cpu: 1 } }),
      ],
    };
    expect(invalid(outOfOrder)).toEqual([
      expect.stringMatching(
        /lists 'memory' where coveredResources\[0\] is 'cpu'.*lists 'cpu' where coveredResources\[1\] is 'memory'.*resource 'cpu' is covered by two resource groups/,
      ),
    ]);
  });

  test('a Cohort of another API group is not judged', () => {
    const foreign = { apiVersion: 'example.com/v1', kind: 'Cohort', metadata: { name: 'org' }, spec: cpu({ nominalQuota: 1, lendingLimit: 1 }) };
    expect(runChecks([{ manifest: foreign }]).filter((f) => ['cluster-queue-invalid', 'resource-flavor-not-found'].includes(f.rule))).toEqual([]);
  });
});

describe('namespaceSelector', () => {
  const cq = clusterQueue('cq', [group(['cpu', 'memory', GPU], { l4: { cpu: 48, memory: '192Gi', [GPU]: 4 } })], {
    namespaceSelector: { matchLabels: { 'kueue.openshift.io/managed': 'true' } },
  });
  const ns = (labels: Doc) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ai', labels } });

  test('a namespace in the tree that the selector does not match is never admitted', () => {
    expect(quota([ns({}), flavor('l4'), cq, localQueue('ai', 'cq'), workload('Deployment', 'ai', 1, onePodGpu)])).toEqual([
      ['error', 'Deployment/ai/w', expect.stringMatching(/namespace 'ai' does not match the namespaceSelector of ClusterQueue 'cq'/)],
    ]);
  });
  test('near-misses: a labelled namespace, or one not in the tree (its labels are unknown)', () => {
    expect(quota([ns({ 'kueue.openshift.io/managed': 'true' }), flavor('l4'), cq, localQueue('ai', 'cq'), workload('Deployment', 'ai', 1, onePodGpu)])).toEqual(
      [],
    );
    expect(quota([flavor('l4'), cq, localQueue('ai', 'cq'), workload('Deployment', 'ai', 1, onePodGpu)])).toEqual([]);
  });
  test('matchExpressions on the name label the API server sets', () => {
    const byName = clusterQueue('cq', [group(['cpu', 'memory', GPU], { l4: { cpu: 48, memory: '192Gi', [GPU]: 4 } })], {
      namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['ai'] }] },
    });
    expect(quota([ns({}), flavor('l4'), byName, localQueue('ai', 'cq'), workload('Deployment', 'ai', 1, onePodGpu)])).toEqual([]);
  });
});

describe('what Kueue decides from its own configuration or the delivery is not judged', () => {
  const cq = clusterQueue('cq', [group([GPU, 'nvidia.com/total-gpucores'], { shared: { [GPU]: 8, 'nvidia.com/total-gpucores': 400 } })]);
  test('an extended resource the queue does not cover may be transformed by Kueue (HAMi gpucores): not judged; an uncovered CPU is', () => {
    const hami = workload('Deployment', 'ai', 1, { [GPU]: '1', 'nvidia.com/gpucores': '30' });
    expect(quota([flavor('shared'), cq, localQueue('ai', 'cq'), hami])).toEqual([]);
    const cpu = workload('Deployment', 'ai', 1, { [GPU]: '1', cpu: '2' });
    expect(quota([flavor('shared'), cq, localQueue('ai', 'cq'), cpu])).toEqual([
      ['error', 'Deployment/ai/w', expect.stringMatching(/requests cpu, which ClusterQueue 'cq' does not cover/)],
    ]);
  });
  test("a LimitRange of the workload's namespace gives its containers a CPU request the GPU-only queue does not cover; elsewhere, or set by the container, it does not", () => {
    const gpuOnly = clusterQueue('gpu', [group([GPU], { shared: { [GPU]: 8 } })]);
    const limitRange = (namespace: string, item: Doc): Doc => ({
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'defaults', namespace },
      spec: { limits: [{ type: 'Container', ...item }] },
    });
    const gpuJob = workload('Job', 'ai', 1, { [GPU]: '1' });
    expect(quota([flavor('shared'), gpuOnly, localQueue('ai', 'gpu'), limitRange('ai', { defaultRequest: { cpu: '500m' } }), gpuJob])).toEqual([
      [
        'error',
        'Job/ai/w',
        expect.stringMatching(
          /requests cpu \(the default of LimitRange 'defaults' of namespace 'ai', which Kueue gives the containers that set none.*\), which ClusterQueue 'gpu' does not cover/,
        ),
      ],
    ]);
    // the queue covering cpu too (one flavor holding GPU and CPU quota), another namespace's LimitRange, a Pod-type limit
    const both = clusterQueue('gpu', [group(['cpu', GPU], { shared: { cpu: 16, [GPU]: 8 } })]);
    expect(quota([flavor('shared'), both, localQueue('ai', 'gpu'), limitRange('ai', { default: { cpu: '1' } }), gpuJob])).toEqual([]);
    expect(quota([flavor('shared'), gpuOnly, localQueue('ai', 'gpu'), limitRange('other', { default: { cpu: '1' } }), gpuJob])).toEqual([]);
    const podType = { ...limitRange('ai', {}), spec: { limits: [{ type: 'Pod', max: { cpu: '8' } }] } };
    expect(quota([flavor('shared'), gpuOnly, localQueue('ai', 'gpu'), podType, gpuJob])).toEqual([]);
  });
  test('a workload that names no namespace may not share the LocalQueue of another namespace', () => {
    const w = workload('Deployment', 'ai', 1, { cpu: '2' });
    delete w.metadata.namespace;
    expect(quota([flavor('shared'), cq, localQueue('team-a', 'cq'), w])).toEqual([]);
  });
});

/**
 * A ClusterQueue naming a flavor that does not exist: Kueue's cache (pkg/cache clusterqueue.go, UpdateWithFlavors) marks
 * it pending, Active=False with reason FlavorNotFound, and it admits nothing; the cases of its clusterqueue_test.go
 * (a flavor missing, then added) written as our own.
 */
describe('a ClusterQueue naming a ResourceFlavor that does not exist', () => {
  const flavorFindings = (docs: Doc[], options: Parameters<typeof runChecks>[1] = {}) =>
    runChecks(
      docs.map((manifest) => ({ manifest })),
      options,
    )
      .filter((f) => f.rule === 'resource-flavor-not-found')
      .map((f) => [f.severity, f.object, f.message]);
  const twoGroups = (cpuFlavor: string, gpuFlavor: string) =>
    clusterQueue('cq', [group(['cpu', 'memory'], { [cpuFlavor]: { cpu: 32, memory: '128Gi' } }), group([GPU], { [gpuFlavor]: { [GPU]: 4 } })]);

  test('the tree defines other flavors, not this one: an error naming the field, what the tree defines, and FlavorNotFound', () => {
    expect(flavorFindings([flavor('cpu-pool'), flavor('a100'), twoGroups('cpu-pool', 'h100')], { platform: 'kserve' })).toEqual([
      [
        'error',
        'ClusterQueue/cq',
        "resourceGroups[1].flavors[0] names ResourceFlavor 'h100', which the tree does not define (it defines 'a100', 'cpu-pool'): Kueue keeps the ClusterQueue inactive (Active=False, reason FlavorNotFound: \"Can't admit new workloads\") and admits no workload of its LocalQueues; add ResourceFlavor 'h100' or name one of those",
      ],
    ]);
  });

  test('near-miss: every flavor named is defined, in v1beta1 or v1beta2', () => {
    expect(flavorFindings([flavor('cpu-pool'), flavor('a100'), twoGroups('cpu-pool', 'a100')], { platform: 'kserve' })).toEqual([]);
    const v1beta2 = { ...twoGroups('cpu-pool', 'a100'), apiVersion: 'kueue.x-k8s.io/v1beta2' };
    expect(flavorFindings([{ ...flavor('cpu-pool'), apiVersion: 'kueue.x-k8s.io/v1beta2' }, flavor('a100'), v1beta2], { platform: 'kserve' })).toEqual([]);
  });

  test('a name that differs only in case or separators is pointed at', () => {
    const [finding] = flavorFindings([flavor('cpu-pool'), flavor('nvidia-a100'), twoGroups('cpu-pool', 'nvidia_a100')], { platform: 'kserve' });
    expect(finding[0]).toBe('error');
    expect(finding[2]).toMatch(/names ResourceFlavor 'nvidia_a100'.*; did you mean nvidia-a100( \([^)]*\))?\? name 'nvidia-a100'$/);
  });

  test('a flavor named twice is reported once, at its first place', () => {
    const cq = clusterQueue('cq', [group(['cpu'], { gone: { cpu: 8 } }), group(['memory'], { gone: { memory: '8Gi' } })]);
    const found = flavorFindings([flavor('other'), cq], { platform: 'kserve' });
    expect(found.map((f) => f[2])).toEqual([expect.stringMatching(/^resourceGroups\[0\]\.flavors\[0\] names ResourceFlavor 'gone'/)]);
  });

  test('the tree defines no ResourceFlavor at all: a warning, the cluster may have it', () => {
    expect(flavorFindings([twoGroups('cpu-pool', 'a100')], { platform: 'kserve' })).toEqual([
      [
        'warning',
        'ClusterQueue/cq',
        expect.stringMatching(/^resourceGroups\[0\]\.flavors\[0\] names ResourceFlavor 'cpu-pool', and the tree defines no ResourceFlavor;/),
      ],
      ['warning', 'ClusterQueue/cq', expect.stringMatching(/^resourceGroups\[1\]\.flavors\[0\] names ResourceFlavor 'a100'/)],
    ]);
  });

  test("on OpenShift AI the operator's flavors always exist; other names are judged as anywhere", () => {
    const docs = [flavor('a100'), twoGroups('default-flavor', 'nvidia-gpu-flavor')];
    expect(flavorFindings(docs, { platform: 'rhoai-3.0' })).toEqual([]);
    expect(flavorFindings([twoGroups('default-flavor', 'amd-gpu-flavor')], { platform: 'rhoai-3.4' })).toEqual([]);
    // upstream KServe has no such operator: the same names are flavors like any other
    expect(flavorFindings(docs, { platform: 'kserve' }).map((f) => f[0])).toEqual(['error', 'error']);
    const other = flavorFindings([twoGroups('default-flavor', 'gpu')], { platform: 'rhoai-3.0' });
    expect(other).toEqual([
      [
        'warning',
        'ClusterQueue/cq',
        expect.stringContaining(
          "names ResourceFlavor 'gpu', and the tree defines no ResourceFlavor; unless the cluster has it (OpenShift AI creates only default-flavor",
        ),
      ],
    ]);
  });

  test('defined only where Kueue cannot read it: another API group, or a file no kustomization lists: an error', () => {
    const foreign = { ...flavor('a100'), apiVersion: 'kueue.k8s.io/v1beta1' };
    expect(flavorFindings([foreign, clusterQueue('cq', [group([GPU], { a100: { [GPU]: 4 } })])], { platform: 'kserve' })).toEqual([
      [
        'error',
        'ClusterQueue/cq',
        expect.stringContaining("but the tree's ResourceFlavor 'a100' is kueue.k8s.io/v1beta1, not kueue.x-k8s.io, so Kueue never reads it"),
      ],
    ]);
    const leftOut = [{ manifest: flavor('a100'), file: 'kueue/flavors.yaml' }];
    const cq = clusterQueue('cq', [group([GPU], { a100: { [GPU]: 4 } })]);
    expect(flavorFindings([cq], { platform: 'kserve', leftOut })).toEqual([
      ['error', 'ClusterQueue/cq', expect.stringContaining("ResourceFlavor 'a100' is defined in kueue/flavors.yaml, which no kustomization lists")],
    ]);
  });
});

describe('quotas a script fills in', () => {
  test('a ClusterQueue whose covered resource and quota are ${VAR} an envsubst fills: its admissions are not judged', () => {
    const templated = clusterQueue('cq', [
      group(['cpu', 'memory', '${FULL_GPU_RESOURCE}'], { default: { cpu: 32, memory: '128Gi', '${FULL_GPU_RESOURCE}': '${GPU_QUOTA}' } }),
    ]);
    expect(quota([flavor('default'), templated, localQueue('ai', 'cq'), workload('Job', 'ai', 1, onePodGpu)])).toEqual([]);
  });

  test('near-miss: the same queue written out without the GPU covered: never admitted', () => {
    const written = clusterQueue('cq', [group(['cpu', 'memory'], { default: { cpu: 32, memory: '128Gi' } })]);
    expect(quota([flavor('default'), written, localQueue('ai', 'cq'), workload('Job', 'ai', 1, onePodGpu)])).toEqual([
      ['error', 'Job/ai/w', expect.stringMatching(/requests nvidia.com\/gpu, which ClusterQueue 'cq' does not cover/)],
    ]);
  });
});
