import { ruleFindings } from '../util';

/**
 * KAI's preemptibility from priority (podgroup_info IsPreemptibleJob: below 100 preemptible) against a queue's
 * deserved GPU quota (capacity_policy resultsWithNonPreemptibleOverQuota).
 */
const queue = (gpu: Record<string, number> | undefined) => ({
  apiVersion: 'scheduling.run.ai/v2',
  kind: 'Queue',
  metadata: { name: 'pool' },
  spec: { resources: { ...(gpu ? { gpu } : {}), cpu: { quota: -1, limit: -1 }, memory: { quota: -1, limit: -1 } } },
});
const priority = (value: number) => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'prio' }, value });
const job = (gpus: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'run', namespace: 'lab', labels: { 'kai.scheduler/queue': 'pool', ...labels } },
  spec: {
    template: {
      spec: {
        schedulerName: 'kai-scheduler',
        priorityClassName: 'prio',
        restartPolicy: 'Never',
        containers: [{ name: 'main', image: 'example.org/run:1', resources: { limits: { 'nvidia.com/gpu': gpus } } }],
      },
    },
  },
});
const found = (...docs: Record<string, unknown>[]) => ruleFindings('kai-non-preemptible-over-quota', docs);

describe('kai-non-preemptible-over-quota', () => {
  test('priority 1000 in a queue of gpu quota 0: an error naming the class, its value and the queue', () => {
    expect(found(queue({ quota: 0, limit: -1 }), priority(1000), job('2'))).toEqual([
      expect.stringMatching(
        /^error Job\/lab\/run: its pods request 2 GPU\(s\) with priorityClassName 'prio' \(value 1000, at least 100: .*Queue 'pool', whose gpu quota is 0.*NonPreemptibleOverQuota/,
      ),
    ]);
  });

  test('priority exactly 100, and a queue with no gpu entry (quota 0)', () => {
    expect(found(queue(undefined), priority(100), job('1'))).toHaveLength(1);
  });

  test.each([
    ['priority 99: preemptible', [queue({ quota: 0, limit: -1 }), priority(99), job('1')]],
    ['a queue with a GPU quota', [queue({ quota: 2, limit: -1 }), priority(1000), job('1')]],
    ['an unlimited quota (-1)', [queue({ quota: -1, limit: -1 }), priority(1000), job('1')]],
    ['preemptibility stated on the workload', [queue({ quota: 0, limit: -1 }), priority(1000), job('1', { 'kai.scheduler/preemptibility': 'preemptible' })]],
    ['no GPUs requested', [queue({ quota: 0, limit: -1 }), priority(1000), job('0')]],
    ['the PriorityClass not in the tree', [queue({ quota: 0, limit: -1 }), job('1')]],
    ['the Queue not in the tree', [priority(1000), job('1')]],
  ])('near miss: %s', (_, docs) => {
    expect(found(...(docs as Record<string, unknown>[]))).toEqual([]);
  });
});
