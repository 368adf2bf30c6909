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

  describe('cpu and memory, and the queues above', () => {
    const pool = (resources: Record<string, unknown>, parentQueue?: string, name = 'pool') => ({
      apiVersion: 'scheduling.run.ai/v2',
      kind: 'Queue',
      metadata: { name },
      spec: { ...(parentQueue ? { parentQueue } : {}), resources },
    });
    const unlimited = { quota: -1, limit: -1 };
    const worker = (requests: Record<string, string>) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: 'lab' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'api' } },
        template: {
          metadata: { labels: { app: 'api', 'kai.scheduler/queue': 'pool' } },
          spec: {
            schedulerName: 'kai-scheduler',
            priorityClassName: 'prio',
            containers: [{ name: 'main', image: 'example.org/api:1', resources: { requests } }],
          },
        },
      },
    });

    test('a pod asking 4 CPUs of a queue whose cpu quota is 2000 millicores: an error naming the resource and the quota', () => {
      expect(found(pool({ gpu: unlimited, cpu: { quota: 2000, limit: -1 }, memory: unlimited }), priority(1000), worker({ cpu: '4' }))).toEqual([
        expect.stringMatching(
          /^error Deployment\/lab\/api: its pods request 4000m CPU with priorityClassName 'prio' .*in Queue 'pool', whose cpu quota is 2000, less than one pod asks;.*NonPreemptibleOverQuota.*cpu quota of at least 4000/,
        ),
      ]);
    });

    test('memory in megabytes of 10^6 bytes: 1000Mi is 1048.6 MB, over a quota of 1048', () => {
      expect(found(pool({ gpu: unlimited, cpu: unlimited, memory: { quota: 1048, limit: -1 } }), priority(1000), worker({ memory: '1000Mi' }))).toEqual([
        expect.stringMatching(/request 1049 MB of memory .*whose memory quota is 1048.*memory quota of at least 1049/),
      ]);
    });

    test('a parent queue of the tree whose cpu quota is below the pod: KAI checks the queues above too', () => {
      const docs = [
        pool({ gpu: unlimited, cpu: { quota: 500, limit: -1 }, memory: unlimited }, undefined, 'research'),
        pool({ gpu: unlimited, cpu: unlimited, memory: unlimited }, 'research'),
        priority(100),
        worker({ cpu: '1' }),
      ];
      expect(found(...docs)).toEqual([expect.stringMatching(/in Queue 'pool', below Queue 'research', whose cpu quota is 500/)]);
    });

    test.each([
      ['a cpu quota at least the pod', pool({ gpu: unlimited, cpu: { quota: 4000, limit: -1 }, memory: unlimited }), worker({ cpu: '4' })],
      ['an unlimited cpu quota', pool({ gpu: unlimited, cpu: unlimited, memory: unlimited }), worker({ cpu: '64' })],
      ['a memory quota of 1049 MB for 1000Mi', pool({ gpu: unlimited, cpu: unlimited, memory: { quota: 1049, limit: -1 } }), worker({ memory: '1000Mi' })],
      ['no cpu entry (kai-queue-resource-unset reports it)', pool({ gpu: unlimited, memory: unlimited }), worker({ cpu: '1' })],
    ])('near miss: %s', (_, queueDoc, workload) => {
      expect(found(queueDoc, priority(1000), workload)).toEqual([]);
    });

    test('near miss: a preemptible priority over the cpu quota', () => {
      expect(found(pool({ gpu: unlimited, cpu: { quota: 100, limit: -1 }, memory: unlimited }), priority(50), worker({ cpu: '4' }))).toEqual([]);
    });
  });
});
