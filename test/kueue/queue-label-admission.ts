import { runChecks } from '../../lib';
import { Platform } from '../../lib/check/platform';

type Doc = Record<string, unknown>;
const QUEUE = 'kueue.x-k8s.io/queue-name';
const findings = (docs: Doc[], platform: Platform, rule = 'queue-label-missing') =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform },
  )
    .filter((f) => f.rule === rule)
    .map((f) => [f.severity, f.object, f.message]);

const managed: Doc = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ai', labels: { 'kueue.openshift.io/managed': 'true' } } };
const object = (apiVersion: string, kind: string, meta: Doc = {}): Doc => ({ apiVersion, kind, metadata: { name: 'w', namespace: 'ai', ...meta }, spec: {} });

// opendatahub-operator internal/webhook/kueue/validating.go (3.0–3.3): pytorchjobs, notebooks, rayjobs, rayclusters,
// inferenceservices, llminferenceservices; denied with "Kueue label validation failed: missing required label"
describe('queue-label-missing on OpenShift AI 3.0–3.3: the operator webhook', () => {
  test.each([
    ['ray.io/v1', 'RayCluster'],
    ['ray.io/v1alpha1', 'RayCluster'],
    ['ray.io/v1', 'RayJob'],
    ['kubeflow.org/v1', 'PyTorchJob'],
    ['kubeflow.org/v1', 'Notebook'],
    ['serving.kserve.io/v1alpha1', 'LLMInferenceService'],
  ])('%s %s without the label is denied', (apiVersion, kind) => {
    for (const platform of ['rhoai-3.0', 'rhoai-3.3'] as const) {
      expect(findings([managed, object(apiVersion, kind)], platform)).toEqual([
        [
          'error',
          `${kind}/ai/w`,
          `no ${QUEUE} label, but namespace 'ai' is Kueue-managed: OpenShift AI's webhook denies it ("Kueue label validation failed: missing required label "${QUEUE}""); label it ${QUEUE}: default (or your LocalQueue)`,
        ],
      ]);
    }
  });

  test('near misses: the label set, a namespace not managed, a kind the webhook does not check', () => {
    expect(findings([managed, object('ray.io/v1', 'RayCluster', { labels: { [QUEUE]: 'default' } })], 'rhoai-3.0')).toEqual([]);
    const plain = { ...managed, metadata: { name: 'ai' } };
    expect(findings([plain, object('ray.io/v1', 'RayCluster')], 'rhoai-3.0')).toEqual([]);
    expect(findings([managed, object('kubeflow.org/v1', 'TFJob')], 'rhoai-3.0')).toEqual([]);
  });

  test('the annotation form is named: the webhook reads the label only', () => {
    expect(findings([managed, object('ray.io/v1', 'RayJob', { annotations: { [QUEUE]: 'gpu' } })], 'rhoai-3.3').map((f) => f[2])).toEqual([
      expect.stringContaining(
        "it is set as an annotation ('gpu'), which OpenShift AI's webhook does not read (Kueue 0.14 (Red Hat build of Kueue 1.2) would, on the pods, but the RayJob is denied first)",
      ),
    ]);
  });
});

// opendatahub-operator #3263 "disable kueue validating webhook": 3.4 admits them; upstream KServe has no such check
describe('queue-label-missing where no admission checks the label', () => {
  test.each(['rhoai-3.4', 'kserve'] as const)('%s: silent on every kind', (platform) => {
    for (const [apiVersion, kind] of [
      ['ray.io/v1', 'RayCluster'],
      ['serving.kserve.io/v1beta1', 'InferenceService'],
      ['kubeflow.org/v1', 'PyTorchJob'],
    ]) {
      expect(findings([managed, object(apiVersion, kind)], platform)).toEqual([]);
    }
  });

  test("rhoai-3.4: a queue name only in the annotation is then queue-not-found's error (Kueue 0.16, the platform's release, reads the label only: kubernetes-sigs/kueue#7271)", () => {
    const svc = object('serving.kserve.io/v1beta1', 'InferenceService', { annotations: { [QUEUE]: 'gpu' } });
    expect(findings([managed, svc], 'rhoai-3.4', 'queue-not-found')).toEqual([
      ['error', 'InferenceService/ai/w', expect.stringMatching(/^the queue name 'gpu' is only in the annotation kueue.x-k8s.io\/queue-name, which Kueue 0.16/)],
    ]);
  });
});

// OpenShift AI 2.x: opendatahub-io/kueue config/rhoai/ocp-4.17-addons/validating_admission_policy.yaml (ray.io/v1
// rayclusters, rayjobs; kubeflow.org/v1 pytorchjobs), and the operator's webhook from 2.32 on for notebooks and inferenceservices
describe('queue-label-missing on OpenShift AI 2.x', () => {
  test('a RayCluster is denied by the ValidatingAdmissionPolicy, with its message', () => {
    expect(findings([managed, object('ray.io/v1', 'RayCluster')], 'rhoai-2')).toEqual([
      [
        'error',
        'RayCluster/ai/w',
        `no ${QUEUE} label, but namespace 'ai' is Kueue-managed: OpenShift AI's ValidatingAdmissionPolicy denies it ("The label '${QUEUE}' is either missing or does not have a value set."); label it ${QUEUE}: default (or your LocalQueue)`,
      ],
    ]);
  });

  test('the policy lists ray.io/v1, and matches v1alpha1 through it (matchPolicy Equivalent); not a TFJob', () => {
    expect(findings([managed, object('ray.io/v1alpha1', 'RayJob')], 'rhoai-2').map((f) => f[0])).toEqual(['error']);
    expect(findings([managed, object('kubeflow.org/v1', 'TFJob')], 'rhoai-2')).toEqual([]);
  });

  test('an InferenceService: a warning, only operators from 2.32 on deny it', () => {
    expect(findings([managed, object('serving.kserve.io/v1beta1', 'InferenceService')], 'rhoai-2')).toEqual([
      [
        'warning',
        'InferenceService/ai/w',
        `no ${QUEUE} label, but namespace 'ai' is Kueue-managed: OpenShift AI's webhook (opendatahub-operator 2.32 and later) denies it ("Kueue label validation failed: missing required label "${QUEUE}""); label it ${QUEUE}: default (or your LocalQueue); earlier 2.x operators admit it, unqueued`,
      ],
    ]);
  });
});

// The operator's hardware-profile webhook adds the queue label only from a profile of scheduling.type Queue: a profile the
// tree does not hold is not known to, so the denial stands and the message names the exception (eval: the next commit
// of such a tree added the label).
describe('queue-label-missing and a hardware profile', () => {
  const PROFILE = 'opendatahub.io/hardware-profile-name';
  const isvc = object('serving.kserve.io/v1beta1', 'InferenceService', { annotations: { [PROFILE]: 'gpu-queued' } });
  const profile = (type: string): Doc => ({
    apiVersion: 'infrastructure.opendatahub.io/v1',
    kind: 'HardwareProfile',
    metadata: { name: 'gpu-queued', namespace: 'ai' },
    spec: { identifiers: [], scheduling: { type, ...(type === 'Queue' ? { kueue: { localQueueName: 'default' } } : {}) } },
  });

  test('a profile of the tree with scheduling.type Queue injects the label: no finding', () => {
    expect(findings([managed, isvc, profile('Queue')], 'rhoai-3.3')).toEqual([]);
  });

  test('a profile of the tree that schedules by node: the plain denial', () => {
    expect(findings([managed, isvc, profile('Node')], 'rhoai-3.3')).toEqual([
      [
        'error',
        'InferenceService/ai/w',
        expect.stringMatching(/Kueue label validation failed.*label it kueue.x-k8s.io\/queue-name: default \(or your LocalQueue\)$/),
      ],
    ]);
  });

  test('a profile the tree does not define: still an error, naming the exception', () => {
    expect(findings([managed, isvc], 'rhoai-3.3')).toEqual([
      [
        'error',
        'InferenceService/ai/w',
        expect.stringMatching(
          /label it kueue.x-k8s.io\/queue-name: default \(or your LocalQueue\); unless hardware profile 'gpu-queued', which the tree does not define, has scheduling.type: Queue$/,
        ),
      ],
    ]);
  });
});
