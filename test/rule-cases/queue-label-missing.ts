import * as fs from 'fs';
import * as path from 'path';
import { cliInProcess, podWorkload, ruleFindings, writeTree } from '../util';

/** The Kueue manager's configuration as its kustomize install ships it: ConfigMap kueue-system/kueue-manager-config, with the settings given. */
const kueueConfig = (settings: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'kueue-manager-config', namespace: 'kueue-system' },
  data: { 'controller_manager_config.yaml': `apiVersion: config.kueue.x-k8s.io/v1beta1\nkind: Configuration\n${settings}` },
});

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
      "warning Job/train/finetune: no kueue.x-k8s.io/queue-name label, while the tree makes LocalQueue 'team-gpus' in namespace 'train' and no workload there names it, " +
        "and it requests nvidia.com/gpu, which ClusterQueue 'gpus' of LocalQueue 'team-gpus' (not in the tree) may govern: " +
        "Kueue manages only workloads that name a LocalQueue (manageJobsWithoutQueueName is false unless its configuration sets it), so this Job is never suspended nor admitted: it runs at once, outside the queue's quota, and the queue stays unused; " +
        'label it kueue.x-k8s.io/queue-name: team-gpus',
    ]);
  });

  test('an MPIJob (kubeflow.org/v2beta1) likewise; a Deployment also needs the opt-in integration', () => {
    expect(found(mpiJob, localQueue('team-gpus'))).toEqual([expect.stringMatching(/^warning MPIJob\/train\/allreduce: no kueue\.x-k8s\.io\/queue-name label/)]);
    expect(found(podWorkload('server', 'train', pod), localQueue('team-gpus'))).toEqual([
      expect.stringMatching(
        /^warning Deployment\/train\/server: .*label it kueue\.x-k8s\.io\/queue-name: team-gpus, and enable Kueue's deployment integration in integrations\.frameworks: Kueue's shipped configuration before 0\.16, which comments out pod, deployment, statefulset and leaderworkerset \(controller_manager_config\.yaml\); 0\.16 is only assumed here, leaves it off$/,
      ),
    ]);
  });

  test("the tree's Kueue configuration decides the advice on the integration: named where it leaves it off, none where it enables it", () => {
    const config = (frameworks: string) => kueueConfig(`integrations:\n  frameworks: [${frameworks}]\n`);
    expect(found(podWorkload('server', 'train', pod), localQueue('team-gpus'), config('batch/job'))).toEqual([
      expect.stringMatching(
        /label it kueue\.x-k8s\.io\/queue-name: team-gpus, and enable Kueue's deployment integration in integrations\.frameworks: the Kueue configuration of ConfigMap\/kueue-system\/kueue-manager-config \(integrations\.frameworks: batch\/job\) leaves it off$/,
      ),
    ]);
    expect(found(podWorkload('server', 'train', pod), localQueue('team-gpus'), config('batch/job, pod, deployment'))).toEqual([
      expect.stringMatching(/label it kueue\.x-k8s\.io\/queue-name: team-gpus$/),
    ]);
  });

  test("near miss: a Deployment whose ServiceAccount may create batch Jobs submits the queue's jobs: no advice to queue it", () => {
    const submitter = podWorkload('submitter', 'train', { ...pod, serviceAccountName: 'submitter' });
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'job-maker', namespace: 'train' },
      rules: [{ apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'create'] }],
    };
    const binding = (account: string) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'job-maker', namespace: 'train' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'job-maker' },
      subjects: [{ kind: 'ServiceAccount', name: account, namespace: 'train' }],
    });
    expect(found(submitter, localQueue('team-gpus'), role, binding('submitter'))).toEqual([]);
    // bound to another account: the Deployment is judged as before
    expect(found(submitter, localQueue('team-gpus'), role, binding('reader'))).toEqual([
      expect.stringMatching(/^warning Deployment\/train\/submitter: no kueue/),
    ]);
  });

  describe('what the queue is for: a scarce resource its ClusterQueue covers', () => {
    const cpuPod = (cpu: string) => ({ containers: [{ name: 'main', image: 'registry.example/ui:1', resources: { requests: { cpu, memory: '256Mi' } } }] });
    const cpuJob = (name: string, cpu: string) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace: 'train' },
      spec: { template: { spec: { ...cpuPod(cpu), restartPolicy: 'Never' } } },
    });
    const clusterQueue = (resources: Record<string, string>) => ({
      apiVersion: 'kueue.x-k8s.io/v1beta1',
      kind: 'ClusterQueue',
      metadata: { name: 'gpus' },
      spec: {
        namespaceSelector: {},
        resourceGroups: [
          {
            coveredResources: Object.keys(resources),
            flavors: [{ name: 'default-flavor', resources: Object.entries(resources).map(([name, nominalQuota]) => ({ name, nominalQuota })) }],
          },
        ],
      },
    });

    test('a CPU-only web UI and download Job beside a training queue, its ClusterQueue not in the tree: silent', () => {
      expect(found(podWorkload('ui', 'train', cpuPod('100m')), cpuJob('download', '500m'), localQueue('training-queue'))).toEqual([]);
    });

    test("CPU the ClusterQueue covers: silent while the namespace's workloads stay within its nominal quota, a warning once they exceed it", () => {
      expect(found(cpuJob('download', '2'), localQueue('training-queue'), clusterQueue({ cpu: '8', memory: '32Gi' }))).toEqual([]);
      expect(found(cpuJob('preprocess', '6'), cpuJob('download', '4'), localQueue('training-queue'), clusterQueue({ cpu: '8', memory: '32Gi' }))).toEqual([
        expect.stringContaining(
          "it requests cpu, which ClusterQueue 'gpus' of LocalQueue 'training-queue' covers with a nominal quota of 8 CPU that the tree's workloads of the namespace exceed (10 CPU in all)",
        ),
        expect.stringContaining('warning Job/train/preprocess: '),
      ]);
    });

    test('a GPU the ClusterQueue covers: a warning whatever the quota; one it does not cover: silent', () => {
      expect(found(job(), localQueue('team-gpus'), clusterQueue({ cpu: '64', 'nvidia.com/gpu': '8' }))).toEqual([
        expect.stringContaining("it requests nvidia.com/gpu, which ClusterQueue 'gpus' of LocalQueue 'team-gpus' covers: "),
      ]);
      expect(found(job(), localQueue('team-gpus'), clusterQueue({ cpu: '64' }))).toEqual([]);
    });
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
      [job(), localQueue('team-gpus'), kueueConfig('manageJobsWithoutQueueName: true\n')],
    ],
  ])('near miss, %s: silent', (_, docs) => {
    expect(found(...docs)).toEqual([]);
  });
});

describe('queue-label-missing: the Kueue-managed Namespace is made in another folder of the repository', () => {
  /** The findings of the folder `ray` of a git work tree holding the files given, with the platform given or inferred. */
  async function inRepository(files: Record<string, string>, platform?: string): Promise<{ findings: string[]; platform: string; reason: string }> {
    const root = writeTree('queue-label-repository-', files);
    fs.mkdirSync(path.join(root, '.git'));
    const { out } = await cliInProcess(['check', path.join(root, 'ray'), ...(platform ? ['--platform', platform] : []), '--json']);
    const parsed = JSON.parse(out) as {
      platform: { id: string; reason: string };
      findings: { rule: string; severity: string; object: string; message: string }[];
    };
    return {
      findings: parsed.findings.filter((f) => f.rule === 'queue-label-missing').map((f) => `${f.severity} ${f.object}: ${f.message.replace(root, '<repo>')}`),
      platform: parsed.platform.id,
      reason: parsed.platform.reason.replace(root, '<repo>'),
    };
  }
  const namespace = (labels: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ray-demo\n  labels:\n${labels}\n`;
  const rayCluster = (image: string) =>
    [
      'apiVersion: ray.io/v1',
      'kind: RayCluster',
      'metadata:',
      '  name: chat-ray',
      '  namespace: ray-demo',
      'spec:',
      '  headGroupSpec:',
      '    rayStartParams: {}',
      '    template:',
      '      spec:',
      '        containers:',
      `          - {name: ray-head, image: "${image}", resources: {limits: {cpu: "2", memory: 8Gi}}}`,
      '',
    ].join('\n');
  const repository = (labels: string, readme = '# Ray demo\n') => ({
    'README.md': `${readme}\n\`\`\`bash\noc apply -k manifests/base\noc apply -f ray/\n\`\`\`\n`,
    'manifests/base/kustomization.yaml': 'resources:\n  - namespace.yaml\n',
    'manifests/base/namespace.yaml': namespace(labels),
    'ray/raycluster.yaml': rayCluster('quay.io/acme/ray:2.35.0-py311'),
  });

  test('an error, as in the tree, naming the file that labels the namespace', async () => {
    expect((await inRepository(repository('    kueue.openshift.io/managed: "true"'), 'rhoai-3.3')).findings).toEqual([
      "error RayCluster/ray-demo/chat-ray: no kueue.x-k8s.io/queue-name label, but namespace 'ray-demo' is Kueue-managed (labelled so by <repo>/manifests/base/namespace.yaml (line 1), a manifest of the same repository outside the checked folder): " +
        'OpenShift AI\'s webhook denies it ("Kueue label validation failed: missing required label "kueue.x-k8s.io/queue-name""); label it kueue.x-k8s.io/queue-name: default (or your LocalQueue)',
    ]);
  });

  test('the legacy kueue-managed label likewise; on 2.x the ValidatingAdmissionPolicy denies it', async () => {
    expect((await inRepository(repository('    kueue-managed: "true"'), 'rhoai-2')).findings).toEqual([
      expect.stringMatching(
        /^error RayCluster\/ray-demo\/chat-ray: .*labelled so by <repo>\/manifests\/base\/namespace\.yaml \(line 1\).*ValidatingAdmissionPolicy denies it/,
      ),
    ]);
  });

  test('near misses: the repository Namespace is not labelled managed, or the RayCluster names its queue', async () => {
    expect((await inRepository(repository('    team: ml'), 'rhoai-3.3')).findings).toEqual([]);
    const labelled = repository('    kueue.openshift.io/managed: "true"');
    labelled['ray/raycluster.yaml'] = labelled['ray/raycluster.yaml'].replace(
      '  namespace: ray-demo\n',
      '  namespace: ray-demo\n  labels: {kueue.x-k8s.io/queue-name: default}\n',
    );
    expect((await inRepository(labelled, 'rhoai-3.3')).findings).toEqual([]);
  });

  test('a README stating the release (`RHOAI 3.4`) picks it among those an OpenShift AI image leaves: 3.4 disables the webhook, no finding', async () => {
    const files = repository('    kueue.openshift.io/managed: "true"', '# Ray demo on RHOAI 3.4\n');
    files['ray/raycluster.yaml'] = rayCluster('quay.io/modh/ray:2.35.0-py311-cu121');
    expect(await inRepository(files)).toEqual({
      findings: [],
      platform: 'rhoai-3.4',
      reason:
        'inferred from the tree: RayCluster/ray-demo/chat-ray runs OpenShift AI\'s image quay.io/modh/ray:2.35.0-py311-cu121; <repo>/README.md:1 says "RHOAI 3.4" (rhoai-3.4)',
    });
  });

  test("near miss: the Ray image's tag is Ray's version (2.35), not OpenShift AI's: with no README statement the default release is assumed, not 2.x", async () => {
    const files = repository('    kueue.openshift.io/managed: "true"');
    files['ray/raycluster.yaml'] = rayCluster('quay.io/modh/ray:2.35.0-py311-cu121');
    const { platform, findings } = await inRepository(files);
    expect(platform).toBe('rhoai-3.0');
    expect(findings).toEqual([expect.stringMatching(/^error RayCluster\/ray-demo\/chat-ray: .*webhook denies it/)]);
  });
});

/** An accelerator workload of a namespace without a LocalQueue, where the tree sets Kueue up for it: it takes the accelerators outside the quota. */
describe('queue-label-missing: an accelerator workload outside the Kueue set-up the tree makes for its namespace', () => {
  const RULE = 'queue-label-missing';
  const gpuPod = { containers: [{ name: 'main', image: 'registry.example/serve:1', resources: { limits: { 'nvidia.com/gpu': '1' } } }] };
  const cpuPod = { containers: [{ name: 'main', image: 'registry.example/ui:1', resources: { requests: { cpu: '1' } } }] };
  const clusterQueue = (namespaceSelector: object | undefined, covered = ['cpu', 'memory', 'nvidia.com/gpu']) => ({
    apiVersion: 'kueue.x-k8s.io/v1beta1',
    kind: 'ClusterQueue',
    metadata: { name: 'a100-lab' },
    spec: {
      ...(namespaceSelector ? { namespaceSelector } : {}),
      resourceGroups: [{ coveredResources: covered, flavors: [{ name: 'a100', resources: covered.map((name) => ({ name, nominalQuota: 4 })) }] }],
    },
  });
  const rayService = (labels: Record<string, string> = {}) => ({
    apiVersion: 'ray.io/v1',
    kind: 'RayService',
    metadata: { name: 'chat', labels },
    spec: {
      rayClusterConfig: {
        headGroupSpec: { template: { spec: cpuPod } },
        workerGroupSpecs: [{ groupName: 'gpu', replicas: 1, template: { spec: gpuPod } }],
      },
    },
  });
  const kueueGrant = (resources: string[]) => [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'kueue-ray-extra' },
      rules: [{ apiGroups: ['ray.io'], resources, verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'kueue-ray-extra' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kueue-ray-extra' },
      subjects: [{ kind: 'ServiceAccount', name: 'kueue-controller-manager', namespace: 'kueue-system' }],
    },
  ];
  const found = (...docs: object[]) => ruleFindings(RULE, docs);

  test('a GPU Deployment in a namespace a ClusterQueue selects with {} and no LocalQueue: a warning naming the ClusterQueue, the resource and the LocalQueue to make', () => {
    expect(found(podWorkload('server', 'serving', gpuPod), clusterQueue({}))).toEqual([
      "warning Deployment/serving/server: no kueue.x-k8s.io/queue-name label and no LocalQueue of the tree in namespace 'serving', while ClusterQueue/a100-lab selects namespace 'serving' (namespaceSelector) and holds the quota of nvidia.com/gpu, which its pods request: " +
        'Kueue manages only workloads that name a LocalQueue (manageJobsWithoutQueueName is false unless its configuration sets it), so this Deployment is never suspended nor admitted: it takes nvidia.com/gpu at once, outside that quota, which still counts them free for the workloads it admits; ' +
        "make a LocalQueue in namespace 'serving' with clusterQueue: a100-lab and label the Deployment kueue.x-k8s.io/queue-name: <that LocalQueue>, and enable Kueue's deployment integration in integrations.frameworks: Kueue's shipped configuration before 0.16, which comments out pod, deployment, statefulset and leaderworkerset (controller_manager_config.yaml); 0.16 is only assumed here, leaves it off",
    ]);
  });

  test("a GPU Job in a namespace the selector names by kubernetes.io/metadata.name: a warning; another namespace's selector, or labels its Namespace lacks: silent", () => {
    const job = podWorkload('train', 'team-c', { ...gpuPod, restartPolicy: 'Never' }, 'Job');
    expect(found(job, clusterQueue({ matchLabels: { 'kubernetes.io/metadata.name': 'team-c' } }))).toEqual([
      expect.stringMatching(
        /^warning Job\/team-c\/train: no kueue\.x-k8s\.io\/queue-name label and no LocalQueue of the tree in namespace 'team-c', while ClusterQueue\/a100-lab selects/,
      ),
    ]);
    expect(found(job, clusterQueue({ matchLabels: { 'kubernetes.io/metadata.name': 'team-a' } }))).toEqual([]);
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-c' } };
    expect(found(job, namespace, clusterQueue({ matchLabels: { 'kueue-tenant': 'true' } }))).toEqual([]);
    expect(
      found(job, { ...namespace, metadata: { name: 'team-c', labels: { 'kueue-tenant': 'true' } } }, clusterQueue({ matchLabels: { 'kueue-tenant': 'true' } })),
    ).toHaveLength(1);
  });

  test('a RayService whose GPU workers Kueue is granted (RBAC bound to kueue-controller-manager naming rayservices), with no queue label: a warning', () => {
    expect(found(rayService(), ...kueueGrant(['rayservices']))).toEqual([
      "warning RayService/chat: no kueue.x-k8s.io/queue-name label, while ClusterRole/kueue-ray-extra, bound to Kueue's controller (kueue-system/kueue-controller-manager), grants it rayservices, to manage them: " +
        "Kueue manages only workloads that name a LocalQueue (manageJobsWithoutQueueName is false unless its configuration sets it), so this RayService is never suspended nor admitted: its pods take nvidia.com/gpu at once, outside any ClusterQueue's quota; label it kueue.x-k8s.io/queue-name: <a LocalQueue of its namespace>",
    ]);
  });

  test.each([
    ['the workload is labelled', [rayService({ 'kueue.x-k8s.io/queue-name': 'serving' }), ...kueueGrant(['rayservices'])]],
    ['the grant names another resource', [rayService(), ...kueueGrant(['rayjobs'])]],
    ['a CPU-only workload (a UI beside the GPU quota)', [podWorkload('ui', 'serving', cpuPod), clusterQueue({})]],
    ['a ClusterQueue without namespaceSelector (it selects nothing)', [podWorkload('server', 'serving', gpuPod), clusterQueue(undefined)]],
    ['a ClusterQueue covering CPU and memory only', [podWorkload('server', 'serving', gpuPod), clusterQueue({}, ['cpu', 'memory'])]],
    ['manageJobsWithoutQueueName: true', [podWorkload('server', 'serving', gpuPod), clusterQueue({}), kueueConfig('manageJobsWithoutQueueName: true\n')]],
  ])('near miss, %s: silent', (_, docs) => {
    expect(found(...docs)).toEqual([]);
  });
});
