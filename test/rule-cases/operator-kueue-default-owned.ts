import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { runChecks } from '../../lib';
import { Platform } from '../../lib/check/platform';
import { cliInProcess, committedRepository, ruleFound, severityObjectMessages, writeTree } from '../util';

type Doc = Record<string, unknown>;
const findings = (docs: Doc[], platform: Platform) =>
  severityObjectMessages(
    ruleFound(
      'operator-kueue-default-owned',
      docs.map((manifest) => ({ manifest })),
      { platform },
    ),
  );

const managed: Doc = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ai', labels: { 'kueue.openshift.io/managed': 'true' } } };
const flavor = (name: string): Doc => ({ apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'ResourceFlavor', metadata: { name } });
const clusterQueue = (name: string): Doc => ({
  apiVersion: 'kueue.x-k8s.io/v1beta1',
  kind: 'ClusterQueue',
  metadata: { name },
  spec: { namespaceSelector: {}, resourceGroups: [{ coveredResources: ['cpu'], flavors: [{ name: 'l4', resources: [{ name: 'cpu', nominalQuota: '8' }] }] }] },
});
const localQueue = (name: string, cq: string): Doc => ({
  apiVersion: 'kueue.x-k8s.io/v1beta1',
  kind: 'LocalQueue',
  metadata: { name, namespace: 'ai' },
  spec: { clusterQueue: cq },
});
const dsc = (kueue: Doc): Doc => ({
  apiVersion: 'datasciencecluster.opendatahub.io/v1',
  kind: 'DataScienceCluster',
  metadata: { name: 'default-dsc' },
  spec: { components: { kueue } },
});

// opendatahub-operator kueue_controller_actions.go manageDefaultKueueResourcesAction: default-flavor, ClusterQueue
// default, LocalQueue default in each managed namespace, created when missing and annotated opendatahub.io/managed: "false"
describe('operator-kueue-default-owned', () => {
  const tree = [managed, flavor('l4'), flavor('default-flavor'), clusterQueue('default'), localQueue('default', 'default')];

  // findings come in kind order: ClusterQueue, LocalQueue, ResourceFlavor
  test.each(['rhoai-3.0', 'rhoai-3.3', 'rhoai-3.4'] as const)('%s: each of the three is a warning naming its fix', (platform) => {
    expect(findings(tree, platform)).toEqual([
      [
        'warning',
        'ClusterQueue/default',
        "OpenShift AI's operator also creates ClusterQueue 'default' when it is missing, annotated opendatahub.io/managed: \"false\" and never updated: two owners. If the operator's comes first, the fields this manifest leaves out keep the operator's values (its whole-cluster quota, namespaceSelector kueue.openshift.io/managed=true), and deleting or pruning it brings the operator's copy back: rename it (and the LocalQueues pointing at it), or set DataScienceCluster spec.components.kueue.defaultClusterQueueName to a name other than 'default'",
      ],
      ['warning', 'LocalQueue/ai/default', expect.stringContaining('spec.components.kueue.defaultLocalQueueName')],
      [
        'warning',
        'ResourceFlavor/default-flavor',
        expect.stringMatching(
          /also creates ResourceFlavor 'default-flavor' when it is missing, .*\(no nodeLabels, tolerations or taints\).*: rename it \(and the ClusterQueue flavors naming it\)/,
        ),
      ],
    ]);
  });

  test('rhoai-2: said of operators from 2.32 on; kserve: silent', () => {
    expect(findings([clusterQueue('default')], 'rhoai-2').map((f) => f[2])).toEqual([
      expect.stringContaining("ClusterQueue 'default' when it is missing (opendatahub-operator 2.32 and later)"),
    ]);
    expect(findings(tree, 'kserve')).toEqual([]);
  });

  test('silent when the DataScienceCluster of the tree removes the Kueue component', () => {
    expect(findings([...tree, dsc({ managementState: 'Removed' })], 'rhoai-3.0')).toEqual([]);
    expect(findings([...tree, dsc({ managementState: 'Unmanaged' })], 'rhoai-3.0')).toHaveLength(3);
  });

  test("the DataScienceCluster's queue names move the operator's queues: then its names are the ones judged", () => {
    const renamed = dsc({ managementState: 'Unmanaged', defaultClusterQueueName: 'ops', defaultLocalQueueName: 'ops-local' });
    expect(findings([managed, clusterQueue('default'), localQueue('default', 'default'), renamed], 'rhoai-3.0')).toEqual([]);
    expect(findings([managed, clusterQueue('ops'), localQueue('ops-local', 'ops'), renamed], 'rhoai-3.0').map((f) => f[1])).toEqual([
      'ClusterQueue/ops',
      'LocalQueue/ai/ops-local',
    ]);
  });

  test('near misses: a LocalQueue default outside a managed namespace, or pointing elsewhere (local-queue-default-taken says that), other names', () => {
    const plain = { ...managed, metadata: { name: 'ai' } };
    expect(findings([plain, localQueue('default', 'default')], 'rhoai-3.0')).toEqual([]);
    expect(findings([managed, localQueue('default', 'team-b')], 'rhoai-3.0')).toEqual([]);
    expect(findings([managed, clusterQueue('defaults'), flavor('default'), localQueue('gpu', 'default')], 'rhoai-3.0')).toEqual([]);
  });
});

// the names come from the tree's DataScienceCluster (kueue.defaultLocalQueueName / defaultClusterQueueName) for every
// rule that reasons about the operator's queues, not only for this one
describe("the operator's queue names, as the tree's DataScienceCluster sets them", () => {
  const rules = (docs: Doc[], platform: Platform) =>
    runChecks(
      docs.map((manifest) => ({ manifest })),
      { platform },
    )
      .filter((f) => ['queue-not-found', 'local-queue-default-taken'].includes(f.rule))
      .map((f) => [f.rule, f.severity, f.object]);
  const job = (queue: string): Doc => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'train', namespace: 'ai', labels: { 'kueue.x-k8s.io/queue-name': queue } },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'quay.io/x/y:1', resources: { requests: { cpu: '1' } } }] } } },
  });
  const teamQueue = localQueue('team-q', 'default');
  teamQueue.metadata = { name: 'team-q', namespace: 'other' };

  test('a workload on the renamed operator LocalQueue names a queue that exists', () => {
    const renamed = dsc({ managementState: 'Unmanaged', defaultLocalQueueName: 'shared' });
    expect(rules([managed, teamQueue, job('shared'), renamed], 'rhoai-3.0')).toEqual([]);
    // without the renaming the operator's queue is 'default': 'shared' is nowhere
    expect(rules([managed, teamQueue, job('shared')], 'rhoai-3.0')).toEqual([['queue-not-found', 'warning', 'Job/ai/train']]);
  });

  test("a LocalQueue of the renamed ClusterQueue is found; one of the old name is not the operator's any more", () => {
    const renamed = dsc({ managementState: 'Unmanaged', defaultClusterQueueName: 'cluster-wide' });
    expect(rules([clusterQueue('gpu'), localQueue('q', 'cluster-wide'), renamed], 'rhoai-3.0')).toEqual([]);
    expect(rules([clusterQueue('gpu'), localQueue('q', 'default'), renamed], 'rhoai-3.0')).toEqual([['queue-not-found', 'error', 'LocalQueue/ai/q']]);
  });

  test('local-queue-default-taken follows the renamed LocalQueue, and is silent when the component is Removed', () => {
    const renamed = dsc({ managementState: 'Unmanaged', defaultLocalQueueName: 'shared' });
    expect(rules([managed, clusterQueue('gpu'), localQueue('shared', 'gpu'), renamed], 'rhoai-3.0')).toEqual([
      ['local-queue-default-taken', 'warning', 'LocalQueue/ai/shared'],
    ]);
    expect(rules([managed, clusterQueue('gpu'), localQueue('default', 'gpu'), renamed], 'rhoai-3.0')).toEqual([]);
    expect(rules([managed, clusterQueue('gpu'), localQueue('default', 'gpu')], 'rhoai-3.0')).toEqual([
      ['local-queue-default-taken', 'warning', 'LocalQueue/ai/default'],
    ]);
    expect(rules([managed, clusterQueue('gpu'), localQueue('default', 'gpu'), dsc({ managementState: 'Removed' })], 'rhoai-3.0')).toEqual([]);
  });

  test('with the Kueue component Removed the operator creates no ClusterQueue default', () => {
    expect(rules([clusterQueue('gpu'), localQueue('q', 'default')], 'rhoai-3.0')).toEqual([]);
    expect(rules([clusterQueue('gpu'), localQueue('q', 'default'), dsc({ managementState: 'Removed' })], 'rhoai-3.0')).toEqual([
      ['queue-not-found', 'error', 'LocalQueue/ai/q'],
    ]);
  });

  // the platform inferred from an OpenShift mark alone (a Route): OpenShift may run the standalone Red Hat build of
  // Kueue, whose operator creates no ClusterQueue default; only a mark of OpenShift AI itself makes the operator's objects known
  describe('on a platform the tree only suggests', () => {
    const route: Doc = {
      apiVersion: 'route.openshift.io/v1',
      kind: 'Route',
      metadata: { name: 'chat', namespace: 'ai' },
      spec: { to: { kind: 'Service', name: 'chat' } },
    };
    const inferred = (docs: Doc[]) =>
      runChecks(docs.map((manifest) => ({ manifest })))
        .filter((f) => ['operator-kueue-default-owned', 'queue-not-found'].includes(f.rule))
        .map((f) => [f.rule, f.severity, f.object, f.message.replace(/^.*?; /, '')]);
    const lone = [managed, route, flavor('l4'), clusterQueue('gpu'), localQueue('team', 'default')];

    test("a Route alone: no operator-kueue-default-owned, and a LocalQueue to ClusterQueue 'default' is a warning naming the assumption", () => {
      expect(inferred([...lone, clusterQueue('default')]).filter(([rule]) => rule === 'operator-kueue-default-owned')).toEqual([]);
      expect(inferred(lone)).toEqual([
        [
          'queue-not-found',
          'warning',
          'LocalQueue/ai/team',
          "ClusterQueue 'default' exists only where OpenShift AI's operator creates it, and nothing in the tree shows OpenShift AI (no DataScienceCluster, opendatahub.io key or OpenShift AI namespace; " +
            // the Namespace's label shows the Red Hat build of Kueue, not OpenShift AI: it runs alone too
            'the kueue.openshift.io/managed label of Namespace/ai shows the Red Hat build of Kueue, which also runs without OpenShift AI and then creates none; OpenShift AI assumed: pass --platform): define it in the tree to be sure',
        ],
      ]);
    });

    test('near miss: a DataScienceCluster beside the Route shows OpenShift AI: the operator creates the queue, and owns a ClusterQueue default of the tree', () => {
      // a 3.x DataScienceCluster (v2): on 3.x the operator creates the queues whatever its release
      const withDsc = [...lone, { ...dsc({ managementState: 'Unmanaged' }), apiVersion: 'datasciencecluster.opendatahub.io/v2' }];
      expect(inferred(withDsc)).toEqual([]);
      expect(inferred([...withDsc, clusterQueue('default')]).map(([rule, severity, object]) => [rule, severity, object])).toEqual([
        ['operator-kueue-default-owned', 'warning', 'ClusterQueue/default'],
      ]);
    });
  });
});

describe("operator-kueue-default-owned: the repository's DataScienceCluster, outside the checked folder", () => {
  /** The findings on a queues/ folder checked in a repository whose operators/ folder holds the DataScienceCluster given. */
  const inRepository = async (dscs: Doc[]) => {
    const root = writeTree('operator-kueue-repo-', {
      'queues/flavor.yaml': YAML.stringify(flavor('default-flavor')),
      'queues/gpu-flavor.yaml': YAML.stringify(flavor('l4')),
      ...Object.fromEntries(dscs.map((d, i) => [`operators/openshift-ai/dsc-${i}.yaml`, YAML.stringify(d)])),
    });
    fs.mkdirSync(path.join(root, '.git'));
    const { out } = await cliInProcess(['check', path.join(root, 'queues'), '--platform', 'rhoai-3.4', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string }[] }).findings
      .filter((f) => f.rule === 'operator-kueue-default-owned')
      .map((f) => [f.severity, f.object]);
  };

  test('kueue managementState Removed in a sibling folder: the operator creates no default-flavor, no finding', async () => {
    expect(await inRepository([dsc({ managementState: 'Removed' })])).toEqual([]);
  });

  test('near misses: Managed or Unmanaged (manageDefaultKueueResourcesAction creates for both), no state, or two clusters that differ: the warning stays', async () => {
    const warned = [['warning', 'ResourceFlavor/default-flavor']];
    expect(await inRepository([dsc({ managementState: 'Managed' })])).toEqual(warned);
    expect(await inRepository([dsc({ managementState: 'Unmanaged' })])).toEqual(warned);
    expect(await inRepository([dsc({})])).toEqual(warned);
    expect(await inRepository([dsc({ managementState: 'Removed' }), dsc({ managementState: 'Managed' })])).toEqual(warned);
    expect(await inRepository([])).toEqual(warned);
  });
});

/**
 * operator-kueue-default-owned and the DataScienceCluster of the repository: a GitOps repository keeps the cluster's
 * DataScienceCluster in cluster/ and the queues in queues/; checked alone, the queues folder is judged with that
 * DataScienceCluster's kueue settings, as if it were in the tree.
 */
describe('operator-kueue-default-owned: the DataScienceCluster of the git repository around the checked folder', () => {
  const dscFile = (kueue: string) =>
    `apiVersion: datasciencecluster.opendatahub.io/v2\nkind: DataScienceCluster\nmetadata:\n  name: default-dsc\nspec:\n  components:\n    kueue:\n${kueue}`;
  const rhods =
    'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: rhods-operator\n  namespace: redhat-ods-operator\n' +
    'spec:\n  channel: stable-3.4\n  name: rhods-operator\n  source: redhat-operators\n  sourceNamespace: openshift-marketplace\n';
  const queues = { 'queues/flavor.yaml': 'apiVersion: kueue.x-k8s.io/v1beta1\nkind: ResourceFlavor\nmetadata:\n  name: default-flavor\nspec: {}\n' };
  async function found(files: Record<string, string>, ...args: string[]): Promise<[string, string, string][]> {
    const root = committedRepository('kueue-default-owned-', files);
    const out = JSON.parse((await cliInProcess(['check', path.join(root, 'queues'), '--json', ...args])).out) as {
      findings: { rule: string; severity: string; object: string; message: string }[];
    };
    return out.findings.filter((f) => f.rule === 'operator-kueue-default-owned').map((f) => [f.severity, f.object, f.message]);
  }

  test('its kueue component Unmanaged: the operator makes default-flavor, a warning (the platform stated, or inferred from the repository)', async () => {
    const files = { ...queues, 'cluster/dsc.yaml': dscFile('      managementState: Unmanaged\n') };
    expect((await found(files, '--platform', 'rhoai-3.4')).map(([s, o]) => [s, o])).toEqual([['warning', 'ResourceFlavor/default-flavor']]);
    expect((await found({ ...files, 'operators/rhoai/subscription.yaml': rhods })).map(([s, o]) => [s, o])).toEqual([
      ['warning', 'ResourceFlavor/default-flavor'],
    ]);
  });

  test('near misses: its kueue component Removed (the operator makes no default flavor); no OpenShift AI mark in the tree or the repository', async () => {
    expect(await found({ ...queues, 'cluster/dsc.yaml': dscFile('      managementState: Removed\n') }, '--platform', 'rhoai-3.4')).toEqual([]);
    expect(await found({ ...queues, 'other/web.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n' })).toEqual([]);
  });
});
