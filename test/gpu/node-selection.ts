import { admitsNode, admittedValues, nodeSelectionOf, restrictedToKeys } from '../../lib/check/node-selection';

/**
 * Cases of the scheduler's own tests (kubernetes staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/
 * nodeaffinity_test.go: TestPodMatchesNodeSelectorAndAffinityTerms, TestNodeSelectorMatch,
 * TestNodeSelectorRequirementsAsSelector), then what a selection admits for one label.
 */
type Requirement = { key: string; operator: string; values?: string[] };
const expr = (key: string, operator: string, values?: string[]): Requirement => ({ key, operator, ...(values ? { values } : {}) });
const required = (...terms: { matchExpressions?: Requirement[]; matchFields?: Requirement[] }[]) => ({
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } },
});
const admits = (pod: object, labels: Record<string, string> = {}, name?: string) => admitsNode(nodeSelectionOf(pod), { labels, ...(name ? { name } : {}) });

describe('whether a pod may run on a node (the scheduler NodeAffinity filter)', () => {
  test('nodeSelector: every label with its value; a pod with none runs anywhere', () => {
    expect(admits({})).toBe(true);
    expect(admits({ nodeSelector: { foo: 'bar' } })).toBe(false);
    expect(admits({ nodeSelector: { foo: 'bar' } }, { foo: 'bar' })).toBe(true);
    expect(admits({ nodeSelector: { foo: 'bar' } }, { foo: 'bar', baz: 'blah' })).toBe(true);
    expect(admits({ nodeSelector: { foo: 'bar', baz: 'blah' } }, { foo: 'bar' })).toBe(false);
  });

  test('each operator of a matchExpression', () => {
    expect(admits(required({ matchExpressions: [expr('foo', 'In', ['bar', 'value2'])] }), { foo: 'bar' })).toBe(true);
    expect(admits(required({ matchExpressions: [expr('kernel-version', 'Gt', ['0204'])] }), { 'kernel-version': '0206' })).toBe(true);
    expect(admits(required({ matchExpressions: [expr('kernel-version', 'Lt', ['0204'])] }), { 'kernel-version': '0206' })).toBe(false);
    expect(admits(required({ matchExpressions: [expr('mem-type', 'NotIn', ['DDR', 'DDR2'])] }), { 'mem-type': 'DDR3' })).toBe(true);
    expect(admits(required({ matchExpressions: [expr('GPU', 'Exists')] }), { GPU: 'NVIDIA-GRID-K1' })).toBe(true);
    expect(admits(required({ matchExpressions: [expr('GPU', 'DoesNotExist')] }), { GPU: 'NVIDIA-GRID-K1' })).toBe(false);
    expect(admits(required({ matchExpressions: [expr('foo', 'In', ['value1', 'value2'])] }), { foo: 'bar' })).toBe(false);
  });

  test('an empty or missing list of terms, or an empty term, admits no node; no required affinity admits every node', () => {
    expect(admits({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: null } } } }, { foo: 'bar' })).toBe(false);
    expect(admits(required(), { foo: 'bar' })).toBe(false);
    expect(admits(required({ matchExpressions: [] }), { foo: 'bar' })).toBe(false);
    expect(admits({ affinity: { nodeAffinity: {} } }, { foo: 'bar' })).toBe(true);
  });

  test('expressions of a term are ANDed, terms are ORed, and the nodeSelector holds with them', () => {
    const gpu = { GPU: 'NVIDIA-GRID-K1' };
    expect(admits(required({ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'NotIn', ['AMD', 'INTER'])] }), gpu)).toBe(true);
    expect(admits(required({ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'In', ['AMD', 'INTER'])] }), gpu)).toBe(false);
    const either = required({ matchExpressions: [expr('foo', 'In', ['bar', 'value2'])] }, { matchExpressions: [expr('diffkey', 'In', ['wrong', 'value2'])] });
    expect(admits(either, { foo: 'bar' })).toBe(true);
    const exists = required({ matchExpressions: [expr('foo', 'Exists')] });
    expect(admits({ nodeSelector: { foo: 'bar' }, ...exists }, { foo: 'bar' })).toBe(true);
    expect(admits({ nodeSelector: { foo: 'bar' }, ...exists }, { foo: 'barrrrrr' })).toBe(false);
  });

  test('a term that does not parse matches no node: an invalid value, key or operator, a wrong count of values', () => {
    expect(admits(required({ matchExpressions: [expr('foo', 'NotIn', ['invalid value: ___@#$%^'])] }), { foo: 'bar' })).toBe(false);
    expect(admits(required({ matchExpressions: [expr('invalid key', 'In', ['label_value'])] }), { 'invalid key': 'label_value' })).toBe(false);
    expect(admits(required({ matchExpressions: [expr('foo', 'Exists', ['bar', 'baz'])] }), { foo: 'bar' })).toBe(false);
    expect(admits(required({ matchExpressions: [expr('foo', 'In', [])] }), { foo: 'bar' })).toBe(false);
    expect(admits(required({ matchExpressions: [expr('foo', 'Gt', ['one'])] }), { foo: '2' })).toBe(false);
    expect(admits(required({ matchExpressions: [expr('foo', 'Equals', ['bar'])] }), { foo: 'bar' })).toBe(false);
    // the other term still admits the node
    const oneBad = required({ matchFields: [expr('metadata.name', 'In', ['host_1', 'host_2'])] }, { matchExpressions: [expr('label_1', 'In', ['v'])] });
    expect(admits(oneBad, { label_1: 'v' }, 'host_1')).toBe(true);
  });

  test('matchFields name the node; a node of unknown name passes them', () => {
    const named = required({ matchFields: [expr('metadata.name', 'In', ['node_1'])] });
    expect(admits(named, {}, 'node_1')).toBe(true);
    expect(admits(named, {}, 'node_2')).toBe(false);
    expect(admits(named, {})).toBe(true);
    const both = { matchFields: [expr('metadata.name', 'In', ['node_1'])], matchExpressions: [expr('foo', 'In', ['bar'])] };
    expect(admits(required(both), { foo: 'bar' }, 'node_2')).toBe(false);
    expect(admits(required(both), { foo: 'bar' }, 'node_1')).toBe(true);
    expect(
      admits(
        required(named.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0], {
          matchExpressions: [expr('foo', 'In', ['bar'])],
        }),
        { foo: 'bar' },
        'node_2',
      ),
    ).toBe(true);
    expect(
      admits(
        required({ matchFields: [expr('metadata.name', 'In', ['node_1'])] }, { matchExpressions: [expr('foo', 'In', ['not-match-to-bar'])] }),
        { foo: 'bar' },
        'node_2',
      ),
    ).toBe(false);
  });

  test('a stand-in nodeSelector replaces the pod own', () => {
    const selection = nodeSelectionOf({ nodeSelector: { pool: 'a' } }, { pool: 'b' });
    expect(admitsNode(selection, { labels: { pool: 'b' } })).toBe(true);
    expect(admitsNode(selection, { labels: { pool: 'a' } })).toBe(false);
  });
});

describe('the selection on some keys only (Kueue flavorassigner flavorSelector)', () => {
  const flavorKeys = new Set(['zone']);
  test('requirements on other keys are dropped; a term left with none lets every node through', () => {
    const pod = { nodeSelector: { zone: 'a', disk: 'ssd' }, ...required({ matchExpressions: [expr('zone', 'In', ['a']), expr('gpu', 'Exists')] }) };
    expect(admitsNode(restrictedToKeys(nodeSelectionOf(pod), flavorKeys), { labels: { zone: 'a' } })).toBe(true);
    expect(admitsNode(restrictedToKeys(nodeSelectionOf(pod), flavorKeys), { labels: { zone: 'b' } })).toBe(false);
    const open = required({ matchExpressions: [expr('zone', 'In', ['b'])] }, { matchExpressions: [expr('gpu', 'Exists')] });
    expect(admitsNode(restrictedToKeys(nodeSelectionOf(open), flavorKeys), { labels: { zone: 'a' } })).toBe(true);
    expect(admitsNode(nodeSelectionOf(open), { labels: { zone: 'a' } })).toBe(false);
  });
});

describe('which values of a label a selection admits', () => {
  const of = (pod: object, key = 'type') => admittedValues(nodeSelectionOf(pod), key);
  test('no selection: the label is open and not required', () => {
    expect(of({})).toEqual({ required: false });
    expect(of({ nodeSelector: { other: 'x' } })).toEqual({ required: false });
  });

  test('the nodeSelector AND the affinity: their intersection', () => {
    expect(of({ nodeSelector: { type: 'a' } })).toEqual({ required: true, values: ['a'] });
    expect(of({ nodeSelector: { type: 'a' }, ...required({ matchExpressions: [expr('type', 'In', ['a', 'b'])] }) })).toEqual({ required: true, values: ['a'] });
    expect(of({ nodeSelector: { type: 'c' }, ...required({ matchExpressions: [expr('type', 'In', ['a', 'b'])] }) })).toEqual({ required: false, values: [] });
  });

  test('terms ORed: the union of what each admits; a term that leaves the label open opens it', () => {
    const two = required({ matchExpressions: [expr('type', 'In', ['a'])] }, { matchExpressions: [expr('type', 'In', ['b', 'a'])] });
    expect(of(two)).toEqual({ required: true, values: ['a', 'b'] });
    const open = required({ matchExpressions: [expr('type', 'In', ['a'])] }, { matchExpressions: [expr('zone', 'In', ['z'])] });
    expect(of(open)).toEqual({ required: false });
    const exists = required({ matchExpressions: [expr('type', 'In', ['a'])] }, { matchExpressions: [expr('type', 'Exists')] });
    expect(of(exists)).toEqual({ required: true });
  });

  test('expressions ANDed: In narrowed by NotIn and Gt; DoesNotExist admits nodes without the label', () => {
    expect(of(required({ matchExpressions: [expr('type', 'In', ['a', 'b']), expr('type', 'NotIn', ['b'])] }))).toEqual({ required: true, values: ['a'] });
    expect(of(required({ matchExpressions: [expr('type', 'In', ['2', '8']), expr('type', 'Gt', ['4'])] }))).toEqual({ required: true, values: ['8'] });
    expect(of(required({ matchExpressions: [expr('type', 'NotIn', ['b'])] }))).toEqual({ required: false });
    expect(of(required({ matchExpressions: [expr('type', 'DoesNotExist')] }))).toEqual({ required: false, values: [] });
    expect(of(required({ matchExpressions: [expr('type', 'DoesNotExist'), expr('type', 'In', ['a'])] }))).toEqual({ required: false, values: [] });
  });

  test('a term that does not parse admits nothing, so the others decide', () => {
    // a template's placeholder is no label value: the pod lands nowhere, and nothing is required of its nodes
    expect(of(required({ matchExpressions: [expr('type', 'Exists'), expr('pool', 'In', ['${POOL,gpu}'])] }))).toEqual({ required: false, values: [] });
    const bad = required({ matchExpressions: [expr('type', 'In', [])] }, { matchExpressions: [expr('type', 'In', ['a'])] });
    expect(of(bad)).toEqual({ required: true, values: ['a'] });
  });
});
