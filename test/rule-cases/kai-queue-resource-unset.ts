import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { readManifests, runChecks } from '../../lib';
import { ruleFindings, writeTree } from '../util';

/**
 * KAI Queue resources (kai-scheduler/KAI-Scheduler pkg/apis/scheduling/v2 resources.go: plain float64 quota and
 * limit, zero when left out) against the proportion plugin's limit check (capacity_policy isOverLimit: only -1 is
 * unlimited, and the parent queues are checked too).
 */
const unlimited = { quota: -1, limit: -1, overQuotaWeight: 1 };
const queue = (name: string, resources: Record<string, unknown> | undefined, parentQueue?: string) => ({
  apiVersion: 'scheduling.run.ai/v2',
  kind: 'Queue',
  metadata: { name },
  spec: { ...(parentQueue ? { parentQueue } : {}), ...(resources ? { resources } : {}) },
});
const job = (queueName: string | undefined, requests: Record<string, string>, scheduler = 'kai-scheduler') => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'work', namespace: 'lab', ...(queueName ? { labels: { 'kai.scheduler/queue': queueName } } : {}) },
  spec: {
    template: {
      spec: {
        schedulerName: scheduler,
        restartPolicy: 'Never',
        containers: [{ name: 'main', image: 'example.org/work:1', resources: { requests } }],
      },
    },
  },
});
const found = (...docs: Record<string, unknown>[]) => ruleFindings('kai-queue-resource-unset', docs);
const gpuOnly = { gpu: { quota: 2, limit: -1, overQuotaWeight: 1 } };

describe('kai-queue-resource-unset', () => {
  test('a queue of GPUs only, with no workload in the tree: a warning naming cpu and memory', () => {
    expect(found(queue('team', gpuOnly))).toEqual([
      expect.stringMatching(
        /^warning Queue\/team: spec\.resources has no cpu and memory entry: KAI reads the missing cpu and memory as quota 0 and limit 0 .*OverLimit/,
      ),
    ]);
  });

  test('a Job of the queue that requests CPU: an error naming the Job', () => {
    expect(found(queue('team', gpuOnly), job('team', { cpu: '2' }))).toEqual([
      expect.stringMatching(/^error Queue\/team: .*Job\/lab\/work requests it, so its pods stay Pending/),
    ]);
  });

  test('a Job of a child queue is refused by the parent too; memory alone missing is named alone', () => {
    const parent = queue('org', { gpu: unlimited, cpu: unlimited });
    const child = queue('team', { gpu: unlimited, cpu: unlimited, memory: unlimited }, 'org');
    expect(found(parent, child, job('team', { memory: '1Gi' }))).toEqual([
      expect.stringMatching(/^error Queue\/org: spec\.resources has no memory entry: .*Job\/lab\/work/),
    ]);
  });

  test.each([
    ['every resource written', [queue('team', { gpu: unlimited, cpu: unlimited, memory: unlimited }), job('team', { cpu: '2' })]],
    ['no resources at all (the webhook refuses it; not this rule)', [queue('team', undefined)]],
    ['a Queue of another API group', [{ ...queue('team', gpuOnly), apiVersion: 'scheduling.volcano.sh/v1beta1' }]],
  ])('near miss: %s', (_, docs) => {
    expect(found(...(docs as Record<string, unknown>[]))).toEqual([]);
  });

  test('near miss for the error: a Job of another scheduler, or one that requests no CPU or memory, leaves a warning', () => {
    expect(found(queue('team', gpuOnly), job('team', { cpu: '2' }, 'default-scheduler'))).toEqual([expect.stringMatching(/^warning /)]);
    expect(found(queue('team', gpuOnly), job('team', { 'nvidia.com/gpu': '1' }))).toEqual([expect.stringMatching(/^warning /)]);
  });

  test('only the resource a job asks for counts: memory left out and a job asking CPU alone, or asking 0, leaves a warning', () => {
    const cpuWritten = queue('team', { gpu: unlimited, cpu: unlimited });
    expect(found(cpuWritten, job('team', { cpu: '2' }))).toEqual([expect.stringMatching(/^warning Queue\/team: spec\.resources has no memory entry/)]);
    expect(found(queue('team', gpuOnly), job('team', { cpu: '0', memory: '0Gi' }))).toEqual([expect.stringMatching(/^warning /)]);
  });

  test('a Job of the queue in another folder of the repository: an error naming its file', () => {
    const root = writeTree('kai-unset-', {
      'policy/queues.yaml': YAML.stringify(queue('team', gpuOnly)),
      'examples/train.yaml': YAML.stringify(job('team', { memory: '4Gi' })),
    });
    fs.mkdirSync(path.join(root, '.git'));
    const read = readManifests([path.join(root, 'policy')]);
    const findings = runChecks(read.manifests, { platform: 'kserve', rules: ['kai-queue-resource-unset'], ...read });
    expect(findings.map((f) => [f.severity, f.object])).toEqual([['error', 'Queue/team']]);
    expect(findings[0].message).toMatch(/and Job 'work' \(.*examples\/train\.yaml:1, outside the checked folder\) requests it, so its pods stay Pending/);
  });
});
