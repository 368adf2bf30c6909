import { runChecks } from '../../lib';
import { Platform } from '../../lib/check/platform';

type Doc = Record<string, unknown>;
const findings = (docs: Doc[], platform: Platform, rule: string, kueue?: string) =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform, ...(kueue ? { kueue } : {}) },
  )
    .filter((f) => f.rule === rule)
    .map((f) => [f.severity, f.object, f.message]);

const localQueue = (name: string, clusterQueue: string): Doc => ({
  apiVersion: 'kueue.x-k8s.io/v1beta1',
  kind: 'LocalQueue',
  metadata: { name, namespace: 'ai' },
  spec: { clusterQueue },
});
const clusterQueue = (name: string, flavor: string): Doc => ({
  apiVersion: 'kueue.x-k8s.io/v1beta1',
  kind: 'ClusterQueue',
  metadata: { name },
  spec: {
    namespaceSelector: {},
    resourceGroups: [{ coveredResources: ['cpu'], flavors: [{ name: flavor, resources: [{ name: 'cpu', nominalQuota: '8' }] }] }],
  },
});
const flavor = (name: string): Doc => ({ apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'ResourceFlavor', metadata: { name } });
const job = (meta: Doc): Doc => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'upload', namespace: 'ai', ...meta },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '1' } } }] } } },
});
const QUEUE = 'kueue.x-k8s.io/queue-name';

// opendatahub-operator internal/controller/components/kueue/kueue_controller_actions.go manageDefaultKueueResourcesAction
// creates ClusterQueue default and ResourceFlavor default-flavor when missing: from 2.32 on, unconditionally in 3.0–3.4
describe("the OpenShift AI operator's ClusterQueue default and ResourceFlavor default-flavor", () => {
  const tree = [clusterQueue('team-a', 'l4'), flavor('l4'), localQueue('shared', 'default')];

  test.each(['rhoai-3.0', 'rhoai-3.3', 'rhoai-3.4'] as const)('%s: a LocalQueue pointing at ClusterQueue default is not missing it', (platform) => {
    expect(findings(tree, platform, 'queue-not-found')).toEqual([]);
  });

  test('kserve: no operator creates it, so it is an error naming the ClusterQueues of the tree', () => {
    expect(findings(tree, 'kserve', 'queue-not-found')).toEqual([
      [
        'error',
        'LocalQueue/ai/shared',
        "spec.clusterQueue 'default' is not a ClusterQueue of the tree (team-a); the field is immutable, so fix it before the first sync",
      ],
    ]);
  });

  test('rhoai-2: only operators from 2.32 on create it, so a warning says so', () => {
    expect(findings(tree, 'rhoai-2', 'queue-not-found')).toEqual([
      [
        'warning',
        'LocalQueue/ai/shared',
        "spec.clusterQueue 'default' is not a ClusterQueue of the tree (team-a); ClusterQueue 'default' exists only where OpenShift AI's operator creates it: opendatahub-operator 2.32 (July 2025) and later with the Kueue component enabled; earlier 2.x releases create none: define it in the tree to be sure",
      ],
    ]);
  });

  test('near miss: another missing ClusterQueue name is an error on OpenShift AI too', () => {
    expect(findings([clusterQueue('team-a', 'l4'), flavor('l4'), localQueue('shared', 'defaults')], 'rhoai-3.0', 'queue-not-found')).toEqual([
      ['error', 'LocalQueue/ai/shared', expect.stringContaining("spec.clusterQueue 'defaults' is not a ClusterQueue of the tree (team-a)")],
    ]);
  });

  test('a ClusterQueue naming default-flavor: nothing on 3.x, on 2.x a warning where a DataScienceCluster of the tree enables Kueue, an error on kserve', () => {
    const docs = [clusterQueue('team-a', 'default-flavor'), flavor('l4')];
    const dsc = (state: string) => ({
      apiVersion: 'datasciencecluster.opendatahub.io/v1',
      kind: 'DataScienceCluster',
      metadata: { name: 'default-dsc' },
      spec: { components: { kueue: { managementState: state } } },
    });
    expect(findings(docs, 'rhoai-3.4', 'resource-flavor-not-found')).toEqual([]);
    expect(findings([...docs, dsc('Managed')], 'rhoai-2', 'resource-flavor-not-found')).toEqual([
      [
        'warning',
        'ClusterQueue/team-a',
        "resourceGroups[0].flavors[0] names ResourceFlavor 'default-flavor', which the tree does not define; ResourceFlavor 'default-flavor' exists only where OpenShift AI's operator creates it: opendatahub-operator 2.32 (July 2025) and later with the Kueue component enabled; earlier 2.x releases create none",
      ],
    ]);
    expect(findings(docs, 'kserve', 'resource-flavor-not-found').map((f) => f[0])).toEqual(['error']);
  });

  test('a GPU flavor: the operator creates it only where the nodes have that GPU (opendatahub-operator createDefaultResourceFlavors); default-flavor on any cluster', () => {
    const docs = [clusterQueue('team-a', 'nvidia-gpu-flavor'), flavor('l4')];
    const [[, , message]] = findings(docs, 'rhoai-2', 'resource-flavor-not-found');
    expect(message).toContain(
      "ResourceFlavor 'nvidia-gpu-flavor' exists only where OpenShift AI's operator creates it (only where the cluster's nodes have nvidia.com/gpu allocatable; default-flavor it creates on any cluster): opendatahub-operator 2.32",
    );
    expect(findings([clusterQueue('team-a', 'default-flavor'), flavor('l4')], 'rhoai-2', 'resource-flavor-not-found')[0][2]).not.toContain('allocatable');
  });

  test('rhoai-2: a DataScienceCluster of the tree that leaves the Kueue component out makes it an error naming the condition; no DataScienceCluster, a warning', () => {
    const docs = [clusterQueue('team-a', 'default-flavor')];
    // no DataScienceCluster in the tree: the cluster's own may enable Kueue on a 2.32+ operator
    expect(findings(docs, 'rhoai-2', 'resource-flavor-not-found').map((f) => f[0])).toEqual(['warning']);
    const withoutKueue = {
      apiVersion: 'datasciencecluster.opendatahub.io/v1',
      kind: 'DataScienceCluster',
      metadata: { name: 'default-dsc' },
      spec: { components: { kserve: { managementState: 'Managed' } } },
    };
    expect(findings([...docs, withoutKueue], 'rhoai-2', 'resource-flavor-not-found')).toEqual([
      [
        'error',
        'ClusterQueue/team-a',
        expect.stringMatching(
          /names ResourceFlavor 'default-flavor', which the tree does not define; .*2\.32.*and the DataScienceCluster of the tree \(DataScienceCluster\/default-dsc\) does not enable the Kueue component \(spec\.components\.kueue\.managementState Managed\), so nothing creates it: Kueue keeps the ClusterQueue inactive/,
        ),
      ],
    ]);
    const removed = { ...withoutKueue, spec: { components: { kueue: { managementState: 'Removed' } } } };
    // Removed: the operator creates nothing, a plain missing flavor (no ResourceFlavor in the tree: a warning that the cluster may have it)
    expect(findings([...docs, removed], 'rhoai-2', 'resource-flavor-not-found').map((f) => f[0])).toEqual(['warning']);
  });
});

// kubernetes-sigs/kueue pkg/controller/jobframework/interface.go QueueNameForObject: the label, else the deprecated
// annotation, up to v0.14; from v0.15 (#7271 "Remove the deprecated queue annotation") the label only
describe('a queue name written only in the deprecated annotation', () => {
  const tree = (queue: string) => [clusterQueue('team-a', 'l4'), flavor('l4'), localQueue('gpu', 'team-a'), job({ annotations: { [QUEUE]: queue } })];

  test.each([
    ['rhoai-2', undefined],
    ['rhoai-3.0', '1.2'],
    ['rhoai-3.3', '0.14'],
  ] as const)(
    '%s with Kueue %s (Kueue reads it): the annotation names the queue, judged as the label would be, with an info that 0.15 drops it',
    (platform, kueue) => {
      expect(findings(tree('gpu'), platform, 'queue-not-found', kueue)).toEqual([
        [
          'info',
          'Job/ai/upload',
          expect.stringMatching(/^the queue name 'gpu' is only in the deprecated annotation .*Kueue 0\.15 and later read only the label/),
        ],
      ]);
      expect(findings(tree('batch'), platform, 'queue-not-found', kueue)).toEqual([
        [
          'error',
          'Job/ai/upload',
          expect.stringMatching(
            /^deprecated annotation kueue\.x-k8s\.io\/queue-name \(read by Kueue [^)]+\)+ 'batch' names no LocalQueue in 'ai' \(it has gpu\)[^.]*$/,
          ),
        ],
      ]);
    },
  );

  test("on OpenShift AI 3.x's assumed Kueue (the separate Red Hat build, release not stated) the same finding is a warning naming the assumption", () => {
    expect(findings(tree('batch'), 'rhoai-3.0', 'queue-not-found')).toEqual([
      [
        'warning',
        'Job/ai/upload',
        expect.stringMatching(
          / 'batch' names no LocalQueue in 'ai' .*\. Kueue 0.14 \(Red Hat build of Kueue 1.2\) is assumed \(the default for rhoai-3.0, .*--kueue <version>/,
        ),
      ],
    ]);
  });

  test.each(['rhoai-3.4', 'kserve'] as const)('%s (Kueue 0.16 reads the label only): the workload is not queued, an error naming the label', (platform) => {
    const expected = [
      [
        'error',
        'Job/ai/upload',
        "the queue name 'gpu' is only in the annotation kueue.x-k8s.io/queue-name, which Kueue 0.16 no longer reads (Kueue 0.15 dropped it for the label): the workload is not queued under 'gpu' (Kueue treats it as naming no queue); move it to metadata.labels (kueue.x-k8s.io/queue-name: gpu)",
      ],
    ];
    expect(findings(tree('gpu'), platform, 'queue-not-found', '0.16')).toEqual(expected);
  });

  test('the label wins over the annotation wherever both are written', () => {
    const both = [
      clusterQueue('team-a', 'l4'),
      flavor('l4'),
      localQueue('gpu', 'team-a'),
      job({ labels: { [QUEUE]: 'gpu' }, annotations: { [QUEUE]: 'batch' } }),
    ];
    expect(findings(both, 'rhoai-3.0', 'queue-not-found')).toEqual([]);
    expect(findings(both, 'rhoai-3.4', 'queue-not-found')).toEqual([]);
  });

  test('where Kueue reads it, the workload is admitted against its queue: its requests count against the quota', () => {
    const pods = { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '6' } } }] };
    const server = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'server', namespace: 'ai', labels: { [QUEUE]: 'gpu' } },
      spec: { selector: { matchLabels: { app: 's' } }, template: { metadata: { labels: { app: 's', [QUEUE]: 'gpu' } }, spec: pods } },
    };
    const batch = { ...job({ annotations: { [QUEUE]: 'gpu' } }), spec: { template: { spec: { restartPolicy: 'Never', ...pods } } } };
    const docs = [clusterQueue('team-a', 'l4'), flavor('l4'), localQueue('gpu', 'team-a'), server, batch];
    // 6 CPUs kept by the server and 6 for the Job, of an 8-CPU queue: the Job never fits where the annotation queues it;
    // on Kueue 0.16 it is not queued at all
    expect(findings(docs, 'rhoai-3.0', 'quota-insufficient').map((f) => f[1])).toEqual(['Job/ai/upload']);
    expect(findings(docs, 'rhoai-3.4', 'quota-insufficient')).toEqual([]);
  });

  test('an InferenceService in a Kueue-managed namespace: queue-label-missing says the webhook denies it (3.0–3.3), naming what each Kueue reads', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ai', labels: { 'kueue.openshift.io/managed': 'true' } } };
    const svc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'llm', namespace: 'ai', annotations: { [QUEUE]: 'gpu' } },
      spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, storageUri: 's3://m/x/' } } },
    };
    const docs = [ns, svc, localQueue('gpu', 'team-a')];
    expect(findings(docs, 'rhoai-3.3', 'queue-label-missing', '0.16').map((f) => f[2])).toEqual([
      expect.stringContaining(
        "it is set as an annotation ('gpu'), which neither OpenShift AI's webhook nor Kueue 0.16 reads (Kueue 0.15 dropped it): move it to metadata.labels",
      ),
    ]);
    // queue-not-found leaves the service to queue-label-missing
    expect(findings(docs, 'rhoai-3.3', 'queue-not-found', '0.16')).toEqual([]);
  });
});
