import * as fs from 'fs';
import * as path from 'path';
import { readManifests, runChecks } from '../../lib';
import { writeTree } from '../util';

/**
 * kai-queue-not-found with the repository around the checked folder: KAI's Queues are cluster-scoped, so one a sibling
 * folder of the repository defines exists once that folder is applied (kai-scheduler pkg/apis/scheduling/v2).
 */
const JOB =
  'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: train\n  namespace: ml\n  labels:\n    kai.scheduler/queue: batch\nspec:\n  template:\n    spec:\n' +
  '      schedulerName: kai-scheduler\n      restartPolicy: Never\n      containers:\n        - name: c\n          image: busybox:1.36\n';
const QUEUE = (name: string, parent?: string) =>
  `apiVersion: scheduling.run.ai/v2\nkind: Queue\nmetadata:\n  name: ${name}\nspec:\n${parent ? `  parentQueue: ${parent}\n` : ''}  resources:\n    gpu: {quota: -1, limit: -1, overQuotaWeight: 1}\n`;

/** The rule's findings on `examples/` of a git work tree holding the files, as severity and message. */
function found(files: Record<string, string>): [string, string][] {
  const root = writeTree('kai-repo-', files);
  fs.mkdirSync(path.join(root, '.git'));
  const read = readManifests([path.join(root, 'examples')]);
  return runChecks(read.manifests, { platform: 'kserve', rules: ['kai-queue-not-found'], ...read }).map((f) => [f.severity, f.message]);
}

describe('kai-queue-not-found: Queues the repository defines outside the checked folder', () => {
  test('a queue a sibling folder defines: a note naming its file, not a missing queue', () => {
    const f = found({ 'examples/job.yaml': JOB, 'policy/queues.yaml': `${QUEUE('batch', 'root')}---\n${QUEUE('root')}` });
    expect(f).toEqual([
      [
        'info',
        expect.stringMatching(
          /^kai\.scheduler\/queue: Queue 'batch' is not in the tree but defined elsewhere in the repository \(.*policy\/queues\.yaml:1, outside the checked folder\)/,
        ),
      ],
    ]);
  });

  test('a parentQueue the repository defines: a note too; a queue defined nowhere keeps the warning', () => {
    const parent = found({ 'examples/job.yaml': JOB, 'examples/queue.yaml': QUEUE('batch', 'root'), 'policy/root.yaml': QUEUE('root') });
    expect(parent.map(([s, m]) => [s, m.slice(0, 40)])).toEqual([['info', "spec.parentQueue: Queue 'root' is not in"]]);
    expect(found({ 'examples/job.yaml': JOB, 'policy/queues.yaml': QUEUE('interactive') }).map(([s]) => s)).toEqual(['warning']);
  });
});

describe("kai-queue-not-found: a parent Queue the API server refuses by the tree's CRD", () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'queues.scheduling.run.ai' },
    spec: {
      group: 'scheduling.run.ai',
      names: { kind: 'Queue', plural: 'queues' },
      scope: 'Cluster',
      versions: [
        {
          name: 'v2',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: {
                    parentQueue: { type: 'string' },
                    resources: { type: 'object', properties: { gpu: { type: 'object', properties: { quota: { type: 'number' } } } } },
                  },
                },
              },
            },
          },
        },
      ],
    },
  };
  const kaiQueue = (name: string, spec: object) => ({ apiVersion: 'scheduling.run.ai/v2', kind: 'Queue', metadata: { name }, spec });
  const found = (docs: object[]) =>
    runChecks(
      docs.map((manifest) => ({ manifest })),
      { platform: 'kserve' },
    )
      .filter((f) => f.rule === 'kai-queue-not-found')
      .map((f) => `${f.severity} ${f.object}: ${f.message}`);

  test('a child of a parent whose gpu quota is a quoted string: an error saying the parent is never created', () => {
    expect(found([crd, kaiQueue('departments', { resources: { gpu: { quota: '-1' } } }), kaiQueue('team-a', { parentQueue: 'departments' })])).toEqual([
      'error Queue/team-a: spec.parentQueue \'departments\' is a Queue of the tree that the API server refuses (spec.resources.gpu.quota is "-1" where the CRD queues.scheduling.run.ai schema allows a number), ' +
        "so it is never created: KAI cannot place the queue in its hierarchy, and the workloads of queue 'team-a' stay Pending; fix Queue 'departments' (tree-crd-value-invalid names the field)",
    ]);
  });

  test('a workload whose queue label names a Queue the API server refuses: an error', () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'train', namespace: 'ml', labels: { 'kai.scheduler/queue': 'departments' } },
      spec: { template: { spec: { schedulerName: 'kai-scheduler', restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] } } },
    };
    expect(found([crd, kaiQueue('departments', { resources: { gpu: { quota: '-1' } } }), job])).toEqual([
      'error Job/ml/train: kai.scheduler/queue: Queue \'departments\' is in the tree, but the API server refuses it (spec.resources.gpu.quota is "-1" where the CRD queues.scheduling.run.ai schema allows a number), ' +
        "so it is never created and the scheduler leaves the pods Pending; fix Queue 'departments' (tree-crd-value-invalid names the field)",
    ]);
  });

  test.each([
    ['the parent accepted', [crd, kaiQueue('departments', { resources: { gpu: { quota: -1 } } }), kaiQueue('team-a', { parentQueue: 'departments' })]],
    [
      'no CRD in the tree to judge the parent by',
      [kaiQueue('departments', { resources: { gpu: { quota: '-1' } } }), kaiQueue('team-a', { parentQueue: 'departments' })],
    ],
  ])('near miss: %s', (_what, docs) => {
    expect(found(docs)).toEqual([]);
  });
});
