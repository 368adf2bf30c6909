import { runChecks } from '../lib';

/** Findings of one rule on objects given with where they were read. */
const findingsOf = (rule: string, objects: { manifest: unknown; file?: string; unit?: string; kustomizations?: string[] }[], platform = 'rhoai-3.0' as const) =>
  runChecks(objects, { rules: [rule], platform }).map((f) => [f.severity, f.object, f.message]);

describe('cluster-object-conflict: an empty spec, labels or annotations is the absent one', () => {
  const namespace = (extra: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'llm-serving', ...metadata },
    ...extra,
  });
  const flavor = (spec?: unknown) => ({
    apiVersion: 'kueue.x-k8s.io/v1beta1',
    kind: 'ResourceFlavor',
    metadata: { name: 'l4' },
    ...(spec === undefined ? {} : { spec }),
  });

  test('spec: {} and labels: {} against none, in one cdk8s app (one cluster): the same object', () => {
    expect(
      findingsOf('cluster-object-conflict', [
        { manifest: namespace({ spec: {} }, { labels: {}, annotations: null }), unit: '' },
        { manifest: namespace({}), unit: '' },
      ]),
    ).toEqual([]);
    expect(
      findingsOf('cluster-object-conflict', [
        { manifest: flavor({}), unit: '' },
        { manifest: flavor(), unit: '' },
      ]),
    ).toEqual([]);
  });

  test('spec: null against none, built by two kustomization roots: the same object', () => {
    expect(
      findingsOf('cluster-object-conflict', [
        { manifest: flavor(null), file: 'a/flavor.yaml', kustomizations: ['a'] },
        { manifest: flavor(), file: 'b/flavor.yaml', kustomizations: ['b'] },
      ]),
    ).toEqual([]);
  });

  test('a spec that says something still differs from none, and a label from none', () => {
    expect(
      findingsOf('cluster-object-conflict', [
        { manifest: flavor({ nodeLabels: { 'node.kubernetes.io/instance-type': 'g6.xlarge' } }), unit: '' },
        { manifest: flavor(), unit: '' },
      ]),
    ).toEqual([['error', 'ResourceFlavor/l4', expect.stringMatching(/^ResourceFlavor 'l4' is declared differently by another document in the same cluster/)]]);
    expect(
      findingsOf('cluster-object-conflict', [
        { manifest: namespace({}, { labels: { 'kueue.openshift.io/managed': 'true' } }), unit: '' },
        { manifest: namespace({ spec: {} }), unit: '' },
      ]),
    ).toEqual([['error', 'Namespace/llm-serving', expect.stringMatching(/declared differently/)]]);
  });

  test('an empty mapping deeper down is kept: a namespaceSelector {} selects every namespace, an absent one none', () => {
    const queue = (spec: Record<string, unknown>) => ({ apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'ClusterQueue', metadata: { name: 'cq' }, spec });
    expect(
      findingsOf('cluster-object-conflict', [
        { manifest: queue({ namespaceSelector: {}, resourceGroups: [] }), unit: '' },
        { manifest: queue({ resourceGroups: [] }), unit: '' },
      ]),
    ).toEqual([['error', 'ClusterQueue/cq', expect.stringMatching(/declared differently/)]]);
  });
});

describe('modelcar-not-pinned judges a modelcar on the tag policy of image-not-pinned', () => {
  const service = (storageUri: string) => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'llm', namespace: 'ai' },
    spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm', storageUri } } },
  });
  const pod = (image: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ai' }, spec: { containers: [{ name: 'c', image }] } });
  const severities = (rule: string, manifest: unknown) => runChecks([{ manifest }], { rules: [rule], platform: 'rhoai-3.0' }).map((f) => f.severity);
  const DIGEST = `sha256:${'3'.repeat(64)}`;

  test.each([
    ['quay.io/org/granite-modelcar:latest', ['warning']],
    ['quay.io/org/granite-modelcar', ['warning']],
    ['registry.local:5000/granite-modelcar', ['warning']],
    ['quay.io/org/granite-modelcar:main', ['warning']],
    ['quay.io/org/granite-modelcar:1.5.0', ['info']],
    ['registry.local:5000/granite-modelcar:v2', ['info']],
    [`quay.io/org/granite-modelcar@${DIGEST}`, []],
    [`quay.io/org/granite-modelcar:1.5.0@${DIGEST}`, []],
    ['quay.io/org/granite-modelcar@sha256:abc', ['error']],
  ])('%s: %j, as the same reference in a container image', (ref, expected) => {
    expect(severities('modelcar-not-pinned', service(`oci://${ref}`))).toEqual(expected);
    expect(severities('image-not-pinned', pod(ref))).toEqual(expected);
  });

  test('the messages name the URI, the tag and the pinned form', () => {
    const messages = (uri: string) =>
      runChecks([{ manifest: service(uri) }], { rules: ['modelcar-not-pinned'], platform: 'rhoai-3.0' }).map((f) => [f.severity, f.message, f.summary]);
    expect(messages('oci://quay.io/org/m:nightly')).toEqual([
      [
        'warning',
        "the storage URI names the model image oci://quay.io/org/m:nightly, the moving tag 'nightly': each pull may serve other weights than were reviewed, and replicas may differ; pin a version tag, or a digest (oci://…@sha256:…)",
        undefined,
      ],
    ]);
    expect(messages('oci://quay.io/org/m:3.1')).toEqual([
      [
        'info',
        'the storage URI names the model image oci://quay.io/org/m:3.1: a version tag can still be re-pushed; a digest (oci://…@sha256:…) cannot',
        'modelcars pinned by a version tag, not a digest',
      ],
    ]);
  });
});
