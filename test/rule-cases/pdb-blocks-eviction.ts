import { ruleFindings } from '../util';

const RULE = 'pdb-blocks-eviction';

type Doc = Record<string, any>;
const deployment = (replicas: number | undefined, name = 'chat', kind = 'Deployment'): Doc => ({
  apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1',
  kind,
  metadata: { name, namespace: 'serving' },
  spec: {
    ...(replicas === undefined ? {} : { replicas }),
    selector: { matchLabels: { app: 'chat' } },
    template: { metadata: { labels: { app: 'chat' } }, spec: { containers: [{ name: 'web', image: 'quay.io/acme/chat-web:2.3.1' }] } },
  },
});
const pdb = (spec: Doc, apiVersion = 'policy/v1'): Doc => ({
  apiVersion,
  kind: 'PodDisruptionBudget',
  metadata: { name: 'chat', namespace: 'serving' },
  spec: { selector: { matchLabels: { app: 'chat' } }, ...spec },
});
const hpa = (minReplicas?: number): Doc => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'chat', namespace: 'serving' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'chat' }, ...(minReplicas === undefined ? {} : { minReplicas }), maxReplicas: 4 },
});

describe('pdb-blocks-eviction', () => {
  test('minAvailable 1 over one replica: a warning naming the workload, the arithmetic and the drain it blocks', () => {
    expect(ruleFindings(RULE, [deployment(1), pdb({ minAvailable: 1 })])).toEqual([
      'warning PodDisruptionBudget/serving/chat: spec.minAvailable 1 over 1 pod of Deployment/serving/chat (replicas 1): with every pod healthy the disruption controller allows 1 − 1 = 0 disruptions, so the Eviction API refuses every eviction of these pods (429) and a node drain (kubectl drain, a cluster upgrade, on OpenShift a MachineConfig rollout) waits on their node until someone deletes them by hand; set maxUnavailable: 1 (or a minAvailable below 1), or run more replicas than the budget keeps',
    ]);
  });

  // kube-linter's pdb-min-available cases (replicas equal to minAvailable, by labels or by an In expression; 100%),
  // with the disruption controller's rounding: a percentage of minAvailable rounds up, so 50% of one pod keeps it
  test.each<[string, Doc[]]>([
    ['replicas unset (1)', [deployment(undefined), pdb({ minAvailable: 1 })]],
    ['an In expression', [deployment(1), pdb({ minAvailable: 1, selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['baz', 'chat'] }] } })]],
    ['minAvailable 100%', [deployment(3), pdb({ minAvailable: '100%' })]],
    ['minAvailable 50% of one pod (rounded up)', [deployment(1), pdb({ minAvailable: '50%' })]],
    ['maxUnavailable 0', [deployment(3), pdb({ maxUnavailable: 0 })]],
    ['maxUnavailable 0%', [deployment(3), pdb({ maxUnavailable: '0%' })]],
    ["an HPA's minReplicas 2 under minAvailable 2", [deployment(3), hpa(2), pdb({ minAvailable: 2 })]],
    ['an HPA without minReplicas (1)', [deployment(3), hpa(), pdb({ minAvailable: 1 })]],
    ['an empty selector of policy/v1 picks every pod of the namespace', [deployment(1), pdb({ minAvailable: 1, selector: {} })]],
  ])('fires: %s', (_, docs) => {
    expect(ruleFindings(RULE, docs)).toEqual([expect.stringMatching(/^warning PodDisruptionBudget\/serving\/chat: .* = 0 disruptions/)]);
  });

  test.each<[string, Doc[]]>([
    ['two replicas, minAvailable 1', [deployment(2), pdb({ minAvailable: 1 })]],
    ['minAvailable 50% of two pods', [deployment(2), pdb({ minAvailable: '50%' })]],
    ['maxUnavailable 1', [deployment(1), pdb({ maxUnavailable: 1 })]],
    ['minAvailable 0', [deployment(1), pdb({ minAvailable: 0 })]],
    ["an HPA's minReplicas above the budget", [deployment(1), hpa(3), pdb({ minAvailable: 2 })]],
    ['no replica (scaled to zero)', [deployment(0), pdb({ minAvailable: 1 })]],
    ['no workload of the tree selected', [pdb({ minAvailable: 1 })]],
    ['a Job among the pods (its count is not a scale)', [deployment(1), deployment(undefined, 'warmup', 'Job'), pdb({ minAvailable: 1 })]],
    ['an empty selector of policy/v1beta1 picks none', [deployment(1), pdb({ minAvailable: 1, selector: {} }, 'policy/v1beta1')]],
  ])('near miss: %s', (_, docs) => {
    expect(ruleFindings(RULE, docs)).toEqual([]);
  });
});
