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
