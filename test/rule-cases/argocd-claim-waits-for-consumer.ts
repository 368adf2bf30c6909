import { cliInProcess, writeTree } from '../util';

const RULE = 'argocd-claim-waits-for-consumer';

/** A claim of `spec` (a YAML flow mapping's inner fields) in wave `wave`. */
const claim = (wave: string, spec = 'storageClassName: gp3-csi') =>
  [
    'apiVersion: v1',
    'kind: PersistentVolumeClaim',
    'metadata:',
    '  name: traces',
    '  namespace: bench',
    `  annotations: {argocd.argoproj.io/sync-wave: "${wave}"}`,
    `spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, ${spec}}`,
    '',
  ].join('\n');

/** A Deployment in wave `wave` (extra annotations after it) whose pod mounts the claim. */
const reader = (wave: string, more = '') =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: trace-reader',
    '  namespace: bench',
    `  annotations: {argocd.argoproj.io/sync-wave: "${wave}"${more}}`,
    'spec:',
    '  selector: {matchLabels: {app: trace-reader}}',
    '  template:',
    '    metadata: {labels: {app: trace-reader}}',
    '    spec:',
    '      containers:',
    '        - name: reader',
    '          image: registry.access.redhat.com/ubi9/ubi-minimal:9.5',
    '          command: [sleep, infinity]',
    '          volumeMounts: [{name: traces, mountPath: /traces}]',
    '      volumes: [{name: traces, persistentVolumeClaim: {claimName: traces}}]',
    '',
  ].join('\n');

/** An Application syncing `path` of the tree's repository. */
const application = (name: string, path: string) =>
  [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    `metadata: {name: ${name}, namespace: openshift-gitops}`,
    'spec:',
    '  project: default',
    `  source: {repoURL: 'https://git.example.com/bench.git', path: ${path}, targetRevision: main}`,
    '  destination: {server: https://kubernetes.default.svc, namespace: bench}',
    '',
  ].join('\n');

/** An OpenShift MachineSet on AWS (its provider spec), which makes gp3-csi the default class. */
const AWS_MACHINE_SET = [
  'apiVersion: machine.openshift.io/v1beta1',
  'kind: MachineSet',
  'metadata: {name: workers-us-east-2a, namespace: openshift-machine-api}',
  'spec:',
  '  replicas: 1',
  '  selector: {matchLabels: {machine.openshift.io/cluster-api-machineset: workers-us-east-2a}}',
  '  template:',
  '    metadata: {labels: {machine.openshift.io/cluster-api-machineset: workers-us-east-2a}}',
  '    spec:',
  '      providerSpec:',
  '        value: {kind: AWSMachineProviderConfig, apiVersion: machine.openshift.io/v1beta1, instanceType: m6i.xlarge, ami: {id: ami-0abc}}',
  '',
].join('\n');

/** The rule's findings on a tree, as [severity, message]. */
async function found(files: Record<string, string>): Promise<[string, string][]> {
  const dir = writeTree('claim-waits-', files);
  const { out } = await cliInProcess(['check', dir, '--platform', 'rhoai-3.0', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
    .filter((f) => f.rule === RULE)
    .map((f) => [f.severity, f.message]);
}

/** A tree whose Application syncs the bench folder holding the claim and its reader. */
const synced = (claimText: string, readerText: string, extra: Record<string, string> = {}) => ({
  'apps/bench.yaml': application('bench', 'bench'),
  'bench/kustomization.yaml': 'resources:\n  - claim.yaml\n  - reader.yaml\n',
  'bench/claim.yaml': claimText,
  'bench/reader.yaml': readerText,
  ...extra,
});

describe('argocd-claim-waits-for-consumer: a WaitForFirstConsumer claim in a wave before every pod that mounts it', () => {
  test('a platform class known to wait for its consumer, both delivered by one Application: an error naming the Application and the wave to give', async () => {
    expect(await found(synced(claim('1'), reader('2')))).toEqual([
      [
        'error',
        expect.stringMatching(
          /^syncs in the Sync phase, wave 1, before every pod that mounts it \(Deployment\/bench\/trace-reader in the Sync phase, wave 2\), and 'gp3-csi'.*Application\/openshift-gitops\/bench's sync starts no later wave.*sync-wave: "2"/,
        ),
      ],
    ]);
  });

  test("a claim naming no class: OpenShift's default on the cloud of the tree's MachineSets is known (gp3-csi on AWS); unknown without them, a warning", async () => {
    const unnamed = claim('1', 'volumeMode: Filesystem');
    expect(await found(synced(unnamed, reader('2'), { 'cluster/machine-set.yaml': AWS_MACHINE_SET }))).toEqual([
      ['error', expect.stringContaining("'gp3-csi', OpenShift's default StorageClass on AWS (MachineSet/openshift-machine-api/workers-us-east-2a runs there)")],
    ]);
    expect(await found(synced(unnamed, reader('2')))).toEqual([
      ['warning', expect.stringContaining("the cluster's default StorageClass, which the tree does not show may bind WaitForFirstConsumer")],
    ]);
  });

  test("the tree's StorageClass decides: WaitForFirstConsumer fires, Immediate (or no mode, the API's default) stays silent", async () => {
    const sc = (mode: string) => `apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fast-ssd}\nprovisioner: ebs.csi.aws.com\n${mode}`;
    const tree = (mode: string) => synced(claim('1', 'storageClassName: fast-ssd'), reader('2'), { 'cluster/storage-class.yaml': sc(mode) });
    expect(await found(tree('volumeBindingMode: WaitForFirstConsumer\n'))).toEqual([
      ['error', expect.stringContaining("StorageClass 'fast-ssd' of the tree binds")],
    ]);
    expect(await found(tree('volumeBindingMode: Immediate\n'))).toEqual([]);
    expect(await found(tree(''))).toEqual([]);
  });

  test('near misses: a consumer in the same wave, a claim bound to a named volume, a PVC health override in argocd-cm', async () => {
    expect(await found(synced(claim('2'), reader('2')))).toEqual([]);
    expect(await found(synced(claim('1', 'storageClassName: gp3-csi, volumeName: pv-traces'), reader('2')))).toEqual([]);
    const argocdCm = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: argocd-cm, namespace: openshift-gitops}',
      'data:',
      '  resource.customizations.health.PersistentVolumeClaim: |',
      '    return {status = "Healthy"}',
      '',
    ].join('\n');
    expect(await found(synced(claim('1'), reader('2'), { 'argocd/argocd-cm.yaml': argocdCm }))).toEqual([]);
  });

  test('a PostSync hook as the only consumer comes after every Sync wave: the claim waits for it, an error', async () => {
    const hook = reader('0', ', argocd.argoproj.io/hook: PostSync');
    expect(await found(synced(claim('0'), hook))).toEqual([['error', expect.stringContaining('in the PostSync phase, wave 0), and')]]);
  });

  test("a class the tree does not declare and no platform names: a warning that says 'if it does'", async () => {
    expect(await found(synced(claim('1', 'storageClassName: vendor-block'), reader('2')))).toEqual([
      ['warning', expect.stringContaining("StorageClass 'vendor-block', which the tree does not declare may bind WaitForFirstConsumer")],
    ]);
  });

  test('applications: the consumer in another Application is no verdict; no Application delivering them while the input has some is no verdict; an input with none warns', async () => {
    const split = {
      'apps/bench.yaml': application('bench', 'bench'),
      'apps/readers.yaml': application('readers', 'readers'),
      'bench/kustomization.yaml': 'resources:\n  - claim.yaml\n',
      'bench/claim.yaml': claim('1'),
      'readers/kustomization.yaml': 'resources:\n  - reader.yaml\n',
      'readers/reader.yaml': reader('2'),
    };
    expect(await found(split)).toEqual([]);
    const folder = {
      'bench/kustomization.yaml': 'resources:\n  - claim.yaml\n  - reader.yaml\n',
      'bench/claim.yaml': claim('1'),
      'bench/reader.yaml': reader('2'),
    };
    expect(await found({ ...folder, 'apps/other.yaml': application('other', 'elsewhere') })).toEqual([]);
    expect(await found(folder)).toEqual([['warning', expect.stringContaining('the input holds no Application')]]);
  });
});

describe('argocd-claim-waits-for-consumer: model servers reading weights from the claim', () => {
  const server = (wave: string) =>
    [
      'apiVersion: serving.kserve.io/v1beta1',
      'kind: InferenceService',
      'metadata:',
      '  name: granite',
      '  namespace: bench',
      `  annotations: {argocd.argoproj.io/sync-wave: "${wave}"}`,
      'spec:',
      '  predictor:',
      '    model: {modelFormat: {name: vLLM}, runtime: vllm, storageUri: "pvc://traces/granite"}',
      '',
    ].join('\n');

  test('near miss: only an InferenceService reads the claim (pvc://): the weights are copied there by a pod outside the tree, which binds it; a later filling Job beside it fires', async () => {
    expect(await found(synced(claim('0'), server('10')))).toEqual([]);
    const both = {
      ...synced(claim('0'), server('10')),
      'bench/kustomization.yaml': 'resources:\n  - claim.yaml\n  - reader.yaml\n  - filler.yaml\n',
      'bench/filler.yaml': reader('5'),
    };
    expect(await found(both)).toEqual([
      ['error', expect.stringContaining('(Deployment/bench/trace-reader in the Sync phase, wave 5 and 1 more, later still)')],
    ]);
  });
});
