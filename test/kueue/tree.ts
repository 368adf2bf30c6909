import { ObjectGraph } from '../../lib/check/graph';
import { addUsage, available, flavorResource, potentialAvailable, QuotaTree, removeUsage } from '../../lib/check/kueue-tree';

/**
 * Kueue's quota tree (pkg/cache/scheduler/resource_node.go): the cases of its resource_test.go TestAvailable, written
 * here as our own fixtures, with its expected figures. A queue's quota of one flavor's CPU is
 * `[nominal, borrowingLimit?, lendingLimit?]` in cores.
 */

type Doc = Record<string, any>;
type Quota = [number, number?, number?];

const RED = flavorResource('red', 'cpu');

function flavors(quotas: Record<string, Quota>): Doc[] {
  return Object.entries(quotas).map(([name, [nominal, borrowing, lending]]) => ({
    name,
    resources: [
      {
        name: 'cpu',
        nominalQuota: String(nominal),
        ...(borrowing === undefined ? {} : { borrowingLimit: String(borrowing) }),
        ...(lending === undefined ? {} : { lendingLimit: String(lending) }),
      },
    ],
  }));
}

function queue(name: string, quotas: Record<string, Quota>, cohort?: string): Doc {
  return {
    apiVersion: 'kueue.x-k8s.io/v1beta2',
    kind: 'ClusterQueue',
    metadata: { name },
    spec: { ...(cohort ? { cohortName: cohort } : {}), resourceGroups: [{ coveredResources: ['cpu'], flavors: flavors(quotas) }] },
  };
}

function cohort(name: string, red?: Quota, parent?: string, apiVersion = 'kueue.x-k8s.io/v1beta2'): Doc {
  const parentField = apiVersion.endsWith('v1alpha1') ? 'parent' : 'parentName';
  return {
    apiVersion,
    kind: 'Cohort',
    metadata: { name },
    spec: { ...(parent ? { [parentField]: parent } : {}), ...(red ? { resourceGroups: [{ coveredResources: ['cpu'], flavors: flavors({ red }) }] } : {}) },
  };
}

/** Available and potentially available red CPU of each queue, before usage, with `usage` (cores per queue) and after it is taken back. */
function figures(docs: Doc[], usage: Record<string, number> = {}) {
  const graph = new ObjectGraph(docs.map((manifest) => ({ manifest })));
  const tree = new QuotaTree(graph);
  const nodes = graph.ofKind('ClusterQueue').map((cq) => tree.clusterQueue(cq)!);
  const read = () => Object.fromEntries(nodes.map((n) => [n.name, [available(n, RED), potentialAvailable(n, RED)]]));
  const before = read();
  for (const n of nodes) if (usage[n.name]) addUsage(n, RED, usage[n.name]);
  const during = read();
  for (const n of nodes) if (usage[n.name]) removeUsage(n, RED, usage[n.name]);
  return { before, during, after: read() };
}

describe("Kueue's quota tree: what a ClusterQueue can take now and at most", () => {
  test('queues without a cohort: their own nominal quota', () => {
    const graph = new ObjectGraph([queue('cq1', { red: [0] }), queue('cq2', { red: [5], blue: [10] })].map((manifest) => ({ manifest })));
    const tree = new QuotaTree(graph);
    const [cq1, cq2] = graph.ofKind('ClusterQueue').map((cq) => tree.clusterQueue(cq)!);
    addUsage(cq1, RED, 1);
    addUsage(cq2, RED, 2.5);
    addUsage(cq2, flavorResource('blue', 'cpu'), 1);
    expect([available(cq1, RED), available(cq2, RED), available(cq2, flavorResource('blue', 'cpu'))]).toEqual([-1, 2.5, 9]);
    expect([potentialAvailable(cq1, RED), potentialAvailable(cq2, RED), potentialAvailable(cq2, flavorResource('blue', 'cpu'))]).toEqual([0, 5, 10]);
  });

  test("queues and the Cohort's own quota add up; a lending limit keeps the rest for its queue", () => {
    const { before, during, after } = figures(
      [queue('cq1', { red: [10] }, 'cohort'), queue('cq2', { red: [10, undefined, 9] }, 'cohort'), cohort('cohort', [10])],
      {
        cq1: 1,
        cq2: 0.5,
      },
    );
    expect(before).toEqual({ cq1: [29, 29], cq2: [30, 30] });
    expect(during).toEqual({ cq1: [28, 29], cq2: [28.5, 30] });
    expect(after).toEqual(before);
  });

  test("a queue borrows the Cohort's quota", () => {
    const { during } = figures([queue('cq1', { red: [10] }, 'cohort'), cohort('cohort', [10])], { cq1: 11 });
    expect(during).toEqual({ cq1: [9, 20] });
  });

  test('lending and borrowing limits: 40 in the cohort, one queue keeps 5 back, another borrows at most 2', () => {
    const docs = [
      queue('cq1', { red: [10] }, 'cohort'),
      queue('cq2', { red: [10, 2] }, 'cohort'),
      queue('cq3', { red: [10, undefined, 5] }, 'cohort'),
      cohort('cohort', [10]),
    ];
    const { before, during } = figures(docs, { cq1: 20, cq2: 10, cq3: 6 });
    expect(before).toEqual({ cq1: [35, 35], cq2: [12, 12], cq3: [40, 40] });
    expect(during).toEqual({ cq1: [4, 35], cq2: [2, 12], cq3: [4, 40] });
  });

  test('hierarchical cohorts: a queue reaches the quota of its parent cohort and of the sibling subtree', () => {
    //        root
    //       /    \
    //    left    right
    //     |        |
    //    cq1      cq2 (lends nothing)
    const docs = [
      queue('cq1', { red: [10] }, 'left'),
      queue('cq2', { red: [10, undefined, 0] }, 'right'),
      cohort('root'),
      cohort('left', [10], 'root'),
      cohort('right', [10], 'root'),
    ];
    const { before, during } = figures(docs, { cq1: 10, cq2: 5 });
    expect(before).toEqual({ cq1: [30, 30], cq2: [40, 40] });
    expect(during).toEqual({ cq1: [20, 30], cq2: [25, 40] });
  });

  test("a cohort's borrowing limit caps what its subtree takes from above", () => {
    const docs = [
      queue('left-cq1', { red: [10] }, 'left'),
      queue('left-cq2', { red: [10, 5] }, 'left'),
      queue('right-cq', { red: [10] }, 'right'),
      cohort('root'),
      cohort('left', [10, 5], 'root'),
      cohort('right', [10], 'root'),
    ];
    expect(figures(docs).before).toEqual({ 'left-cq1': [35, 35], 'left-cq2': [15, 15], 'right-cq': [50, 50] });
  });

  test("a cohort's lending limit caps what its subtree lends above", () => {
    const docs = [
      queue('left-cq1', { red: [10, undefined, 5] }, 'left'),
      queue('left-cq2', { red: [10] }, 'left'),
      queue('right-cq', { red: [0] }, 'right'),
      queue('root-cq', { red: [0] }, 'root'),
      cohort('root'),
      cohort('left', [0, undefined, 5], 'root'),
      cohort('right', [0], 'root'),
    ];
    expect(figures(docs).before).toEqual({ 'left-cq1': [20, 20], 'left-cq2': [15, 15], 'right-cq': [5, 5], 'root-cq': [5, 5] });
  });

  test('a parent no Cohort object defines is a cohort without quota; v1alpha1 names the parent spec.parent', () => {
    const implicit = [queue('a', { red: [4] }, 'team-a'), queue('b', { red: [4] }, 'team-b'), cohort('team-a', [2], 'org'), cohort('team-b', undefined, 'org')];
    expect(figures(implicit).before).toEqual({ a: [10, 10], b: [10, 10] });
    const alpha = [
      queue('a', { red: [4] }, 'team-a'),
      queue('b', { red: [4] }, 'team-b'),
      cohort('team-a', [2], 'org', 'kueue.x-k8s.io/v1alpha1'),
      cohort('team-b', undefined, 'org', 'kueue.x-k8s.io/v1alpha1'),
    ];
    expect(figures(alpha).before).toEqual({ a: [10, 10], b: [10, 10] });
    // near-miss: v1beta2 has no spec.parent, so the teams' cohorts stay apart
    const pruned = alpha.map((d) => (d.kind === 'Cohort' ? { ...d, apiVersion: 'kueue.x-k8s.io/v1beta2' } : d));
    expect(figures(pruned).before).toEqual({ a: [6, 6], b: [4, 4] });
  });

  test('a Cohort of another API group is not read', () => {
    const foreign = { ...cohort('shared', [10]), apiVersion: 'example.com/v1' };
    expect(figures([queue('a', { red: [4] }, 'shared'), foreign]).before).toEqual({ a: [4, 4] });
  });

  test('cohorts whose parents loop disable every queue below them, and the loop is named once from its first cohort', () => {
    const docs = [
      queue('in-loop', { red: [4] }, 'b'),
      queue('below', { red: [4] }, 'leaf'),
      queue('apart', { red: [4] }, 'other'),
      cohort('leaf', undefined, 'a'),
      cohort('a', undefined, 'b'),
      cohort('b', undefined, 'c'),
      cohort('c', undefined, 'a'),
      cohort('self', undefined, 'self'),
    ];
    const graph = new ObjectGraph(docs.map((manifest) => ({ manifest })));
    const tree = new QuotaTree(graph);
    const disabled = graph.ofKind('ClusterQueue').map((cq) => tree.disabled(tree.clusterQueue(cq)!));
    expect(disabled).toEqual([true, true, false]);
    expect(tree.cycles().map((loop) => loop.map((c) => c.name))).toEqual([['a', 'b', 'c'], ['self']]);
  });
});
