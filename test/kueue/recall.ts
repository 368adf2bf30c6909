import { runChecks } from '../../lib';
import { chooseKueue } from '../../lib/check/kueue-version';

/**
 * Kueue set-up faults of a tree that installs the Red Hat build of Kueue itself, and the severities that depend on
 * how sure the judged Kueue release is: each escalation with the case where it stays a warning or silent.
 */

type Doc = Record<string, any>;
type Platform = 'rhoai-2' | 'rhoai-3.0' | 'rhoai-3.3' | 'rhoai-3.4' | 'kserve';
const QUEUE = 'kueue.x-k8s.io/queue-name';

function subscription(channel: string | undefined, extra: Doc = {}): Doc {
  return {
    apiVersion: 'operators.coreos.com/v1alpha1',
    kind: 'Subscription',
    metadata: { name: 'kueue-operator', namespace: 'openshift-operators' },
    spec: { name: 'kueue-operator', source: 'redhat-operators', sourceNamespace: 'openshift-marketplace', ...(channel ? { channel } : {}), ...extra },
  };
}

const kueueCr = (name = 'cluster'): Doc => ({
  apiVersion: 'kueue.openshift.io/v1',
  kind: 'Kueue',
  metadata: { name },
  spec: { config: { integrations: { frameworks: ['BatchJob'] } } },
});

const flavor: Doc = { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'ResourceFlavor', metadata: { name: 'cpu' } };

function clusterQueue(extra: Doc = {}): Doc {
  return {
    apiVersion: 'kueue.x-k8s.io/v1beta1',
    kind: 'ClusterQueue',
    metadata: { name: 'team' },
    spec: {
      namespaceSelector: {},
      resourceGroups: [{ coveredResources: ['cpu'], flavors: [{ name: 'cpu', resources: [{ name: 'cpu', nominalQuota: 8 }] }] }],
      ...extra,
    },
  };
}

const localQueue: Doc = { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'LocalQueue', metadata: { name: 'q', namespace: 'ai' }, spec: { clusterQueue: 'team' } };
const namespace = (labels: Doc = {}): Doc => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ai', labels } });

function job(meta: Doc): Doc {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'work', namespace: 'ai', ...meta },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'registry.example/app@sha256:' + 'a'.repeat(64) }] } } },
  };
}

function findings(docs: Doc[], rule: string, options: { platform: Platform; kueue?: string; platformAssumed?: boolean }): [string, string, string][] {
  return runChecks(
    docs.map((manifest) => ({ manifest })),
    options,
  )
    .filter((f) => f.rule === rule)
    .map((f) => [f.severity, f.object, f.message]);
}

describe('subscription-channel-unknown: channels of the operators whose published channels are known', () => {
  test.each([
    ['stable', 1],
    ['fast', 1],
    ['stable-1.3', 1],
    ['stable-v1.3', 0],
    ['stable-v1.0', 0],
    ['stable-v0.2', 0],
  ])("kueue-operator from redhat-operators on channel '%s': %d finding(s)", (channel, count) => {
    expect(findings([subscription(channel)], 'subscription-channel-unknown', { platform: 'rhoai-3.3' }).length).toBe(count);
  });

  test('the finding names the channel, the package, what it publishes and a channel to use', () => {
    expect(findings([subscription('stable')], 'subscription-channel-unknown', { platform: 'rhoai-3.3' })).toEqual([
      [
        'error',
        'Subscription/openshift-operators/kueue-operator',
        expect.stringMatching(
          /^spec\.channel 'stable' is not a channel of package kueue-operator in redhat-operators, .*no operators found in channel stable .*stable-v1\.3/,
        ),
      ],
    ]);
  });

  test.each([
    ['stable-v2.16', 1],
    ['latest', 1],
    ['stable-2', 1],
    ['stable', 0],
    ['fast', 0],
    ['stable-2.16', 0],
    ['eus-2.25', 0],
    ['fast-3.x', 0],
    ['stable-3.x', 0],
    ['embedded', 0],
    ['support-required-upgrade-3.5', 0],
    ['3.2-exception-support', 0],
  ])("rhods-operator on channel '%s': %d finding(s) (the shapes of its channels)", (channel, count) => {
    const rhoai = subscription(channel);
    rhoai.metadata = { name: 'rhods-operator', namespace: 'redhat-ods-operator' };
    rhoai.spec.name = 'rhods-operator';
    expect(findings([rhoai], 'subscription-channel-unknown', { platform: 'rhoai-3.0' }).length).toBe(count);
  });

  test("never judged: no channel (the package's default), another catalog, another operator", () => {
    expect(findings([subscription(undefined)], 'subscription-channel-unknown', { platform: 'rhoai-3.3' })).toEqual([]);
    expect(findings([subscription('stable', { source: 'my-mirror' })], 'subscription-channel-unknown', { platform: 'rhoai-3.3' })).toEqual([]);
    const other = subscription('stable');
    other.spec.name = 'openshift-cert-manager-operator';
    expect(findings([other], 'subscription-channel-unknown', { platform: 'rhoai-3.3' })).toEqual([]);
  });

  test('an unread channel does not fall back silently: the Kueue choice names the Subscription', () => {
    const choice = chooseKueue([{ manifest: subscription('stable') }], 'rhoai-3.3');
    expect(choice.source).toBe('default');
    expect(choice.release).toBe('0.14');
    expect(choice.reason).toMatch(/Subscription\/openshift-operators\/kueue-operator \(channel stable\) names no Red Hat build of Kueue release/);
    // a channel that names a release is read as before
    expect(chooseKueue([{ manifest: subscription('stable-v1.3') }], 'rhoai-3.3')).toMatchObject({ source: 'tree', release: '0.16', redHat: '1.3' });
  });
});

describe('kueue-instance-missing: the operator deploys Kueue only for its Kueue named cluster', () => {
  const queues = [flavor, clusterQueue()];

  test('Subscription and queues without the Kueue CR: an error saying what to add', () => {
    expect(findings([subscription('stable-v1.1'), ...queues], 'kueue-instance-missing', { platform: 'rhoai-3.3' })).toEqual([
      [
        'error',
        'Subscription/openshift-operators/kueue-operator',
        expect.stringMatching(
          /declares 2 Kueue object\(s\) \(ResourceFlavor 'cpu', ClusterQueue 'team'\) but no Kueue custom resource named cluster: .*add \{apiVersion: kueue\.openshift\.io\/v1, kind: Kueue, metadata: \{name: cluster\}/,
        ),
      ],
    ]);
  });

  test('a Kueue of another name is refused by its CRD: still missing, said so', () => {
    expect(findings([subscription('stable-v1.1'), kueueCr('kueue'), ...queues], 'kueue-instance-missing', { platform: 'rhoai-3.3' }).map((f) => f[2])).toEqual([
      expect.stringContaining("(its Kueue 'kueue' is refused: the CRD allows only the name cluster)"),
    ]);
  });

  test('silent: the Kueue CR present; no Subscription (the operator installed elsewhere); no Kueue objects', () => {
    expect(findings([subscription('stable-v1.1'), kueueCr(), ...queues], 'kueue-instance-missing', { platform: 'rhoai-3.3' })).toEqual([]);
    expect(findings(queues, 'kueue-instance-missing', { platform: 'rhoai-3.3' })).toEqual([]);
    expect(findings([subscription('stable-v1.1')], 'kueue-instance-missing', { platform: 'rhoai-3.3' })).toEqual([]);
  });
});

describe('field-unknown on Kueue objects: a warning while the release is not known exactly, naming where the field may come from', () => {
  test('spec.fairSharing.enable, in no shipped Kueue schema (fairSharing has only weight): a warning on an assumed release (Kueue 0.17 and later are not shipped), an error on a stated one', () => {
    const docs = [flavor, clusterQueue({ fairSharing: { enable: true } })];
    expect(findings(docs, 'field-unknown', { platform: 'rhoai-3.3' })).toEqual([
      [
        'warning',
        'ClusterQueue/team',
        expect.stringMatching(/unknown field 'spec\.fairSharing\.enable'.*no Kueue schema known here \(0\.14, 0\.16\) has it; a newer Kueue may\)$/),
      ],
    ]);
    expect(findings(docs, 'field-unknown', { platform: 'rhoai-3.3', kueue: '1.2' }).map((f) => f[0])).toEqual(['error']);
  });

  test('spec.flavorFungibility.preference, which Kueue 0.16 has and 0.14 lacks: a warning on the assumed 0.14, an error on a stated 0.14', () => {
    const docs = [flavor, clusterQueue({ flavorFungibility: { preference: 'BorrowingOverPreemption' } })];
    expect(findings(docs, 'field-unknown', { platform: 'rhoai-3.3' })).toEqual([
      [
        'warning',
        'ClusterQueue/team',
        expect.stringMatching(/'spec\.flavorFungibility\.preference'.* It may be a field of a Kueue newer than Kueue 0\.14 .*\(Kueue 0\.16 has it\)$/),
      ],
    ]);
    expect(findings(docs, 'field-unknown', { platform: 'rhoai-3.3', kueue: '1.2' }).map((f) => f[0])).toEqual(['error']);
  });

  test('a stated release newer than every shipped schema (Red Hat build of Kueue 1.4 = Kueue 0.18) keeps an unknown field a warning', () => {
    const docs = [flavor, clusterQueue({ fairSharing: { enable: true } })];
    expect(findings(docs, 'field-unknown', { platform: 'rhoai-3.3', kueue: '1.4' }).map((f) => f[0])).toEqual(['warning']);
  });
});

describe('namespace-not-kueue-managed: an error where the tree installs the Red Hat build of Kueue', () => {
  const workloads = [flavor, clusterQueue(), localQueue, job({ labels: { [QUEUE]: 'q' } })];

  test.each([
    ['a kueue-operator Subscription', [subscription('stable-v1.1'), kueueCr()]],
    ['a Kueue CR alone', [kueueCr()]],
  ])('with %s: an error (the webhooks skip the namespace, the Job runs unsuspended)', (_, install) => {
    expect(findings([...install, namespace(), ...workloads], 'namespace-not-kueue-managed', { platform: 'rhoai-3.3' })).toEqual([
      [
        'error',
        'Namespace/ai',
        expect.stringMatching(/lacks the label kueue\.openshift\.io\/managed: "true".*this tree installs the Red Hat build of Kueue.*not suspended/),
      ],
    ]);
  });

  test('without them: a warning (Kueue installed elsewhere); with the label: silent', () => {
    expect(findings([namespace(), ...workloads], 'namespace-not-kueue-managed', { platform: 'rhoai-3.3' }).map((f) => f[0])).toEqual(['warning']);
    expect(
      findings([subscription('stable-v1.1'), kueueCr(), namespace({ 'kueue.openshift.io/managed': 'true' }), ...workloads], 'namespace-not-kueue-managed', {
        platform: 'rhoai-3.3',
      }),
    ).toEqual([]);
  });
});

describe('queue-not-found on a queue name only in the annotation (Kueue 0.15 dropped it, kubernetes-sigs/kueue#7271)', () => {
  const annotated = [namespace(), flavor, clusterQueue(), localQueue, job({ annotations: { [QUEUE]: 'q' } })];
  const v1beta2Flavor = { apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'ResourceFlavor', metadata: { name: 'spare' } };

  test("kserve's default Kueue 0.16, nothing in the tree telling the release: a warning on the assumed release (no error rests on an assumption), naming the label and the assumption", () => {
    expect(findings(annotated, 'queue-not-found', { platform: 'kserve' })).toEqual([
      [
        'warning',
        'Job/ai/work',
        expect.stringMatching(
          /only in the annotation kueue\.x-k8s\.io\/queue-name.*move it to metadata\.labels \(kueue\.x-k8s\.io\/queue-name: q\)\. Kueue 0\.16 is assumed .*state the cluster's Kueue with --kueue <version>.*; an older Kueue that reads it is possible: nothing names the release the cluster runs, and Kueue up to 0\.14 reads it$/,
        ),
      ],
    ]);
  });

  test('a v1beta2 Kueue object in the tree (Kueue 0.15 or later): every plausible release ignores the annotation: an error naming the label', () => {
    expect(findings([...annotated, v1beta2Flavor], 'queue-not-found', { platform: 'kserve' })).toEqual([
      ['error', 'Job/ai/work', expect.stringMatching(/move it to metadata\.labels \(kueue\.x-k8s\.io\/queue-name: q\)\. .*no newer Kueue reads it either$/)],
    ]);
  });

  test('a stated Kueue 0.16: an error; a stated 0.14 reads the annotation: an info that 0.15 and later do not', () => {
    expect(findings(annotated, 'queue-not-found', { platform: 'kserve', kueue: '0.16' }).map((f) => f[0])).toEqual(['error']);
    expect(findings(annotated, 'queue-not-found', { platform: 'kserve', kueue: '0.14' })).toEqual([
      ['info', 'Job/ai/work', expect.stringMatching(/Kueue 0\.14 still reads when the label is absent, but Kueue 0\.15 and later read only the label/)],
    ]);
  });

  test('stays a warning where an older Kueue is plausible: the platform itself assumed, or beside v1beta2 objects a Cohort v1alpha1 (served up to 0.12)', () => {
    expect(findings(annotated, 'queue-not-found', { platform: 'kserve', platformAssumed: true })).toEqual([
      ['warning', 'Job/ai/work', expect.stringMatching(/an older Kueue that reads it is possible: the platform itself is only assumed/)],
    ]);
    const cohort = { apiVersion: 'kueue.x-k8s.io/v1alpha1', kind: 'Cohort', metadata: { name: 'all' } };
    expect(findings([...annotated, v1beta2Flavor, cohort], 'queue-not-found', { platform: 'kserve' })).toEqual([
      [
        'warning',
        'Job/ai/work',
        expect.stringMatching(/Cohort 'all' is kueue\.x-k8s\.io\/v1alpha1, which only Kueue 0\.11, 0\.12 serve, and those read the annotation$/),
      ],
    ]);
  });
});
