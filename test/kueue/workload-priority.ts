import { runChecks } from '../../lib';

/**
 * Kueue reads a workload's WorkloadPriorityClass from the label kueue.x-k8s.io/priority-class of the job object (kueue
 * pkg/controller/jobframework/utils.go WorkloadPriorityClassName); a class it cannot find fails ExtractPriority. The
 * cases follow the job wrappers of Kueue's own tests (pkg/util/testingjobs/job/wrappers.go WorkloadPriorityClass sets
 * the label).
 */
type Doc = Record<string, unknown>;
const wpc = (name: string): Doc => ({ apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'WorkloadPriorityClass', metadata: { name }, value: 100 });
const job = (labels: Record<string, string>, annotations: Record<string, string> = {}): Doc => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'train', namespace: 'team-a', labels, annotations },
  spec: { suspend: true, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] } } },
});
const found = (docs: Doc[]) =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform: 'kserve' },
  )
    .filter((f) => f.rule === 'workload-priority-not-applied')
    .map((f) => [f.severity, f.message]);
const QUEUE = { 'kueue.x-k8s.io/queue-name': 'team-a-queue' };
const PRIORITY = 'kueue.x-k8s.io/priority-class';

describe('workload-priority-not-applied', () => {
  test("an annotation naming the tree's class is an error, one naming no class of the tree a warning", () => {
    expect(found([wpc('high'), job(QUEUE, { [PRIORITY]: 'high' })])).toEqual([
      ['error', expect.stringMatching(/priority and preemption that WorkloadPriorityClass high sets up never apply; move it to metadata.labels$/)],
    ]);
    expect(found([job(QUEUE, { [PRIORITY]: 'high' })])).toEqual([
      ['warning', expect.stringMatching(/^metadata.annotations sets kueue.x-k8s.io\/priority-class: high/)],
    ]);
    // the queue name as an annotation still queues the job
    expect(found([wpc('high'), job({}, { ...QUEUE, [PRIORITY]: 'high' })]).map(([sev]) => sev)).toEqual(['error']);
  });
  test('a label naming a class the tree does not define, when it defines others, is a warning naming them', () => {
    expect(found([wpc('high'), wpc('low'), job({ ...QUEUE, [PRIORITY]: 'medium' })])).toEqual([
      ['warning', expect.stringMatching(/names WorkloadPriorityClass 'medium', which the tree does not define \(it defines high, low\)/)],
    ]);
  });
  test('near misses: the label, a label with an annotation beside it, a tree with no classes, a job not queued', () => {
    expect(found([wpc('high'), job({ ...QUEUE, [PRIORITY]: 'high' })])).toEqual([]);
    expect(found([wpc('high'), job({ ...QUEUE, [PRIORITY]: 'high' }, { [PRIORITY]: 'low' })])).toEqual([]);
    expect(found([job({ ...QUEUE, [PRIORITY]: 'medium' })])).toEqual([]);
    expect(found([wpc('high'), job({}, { [PRIORITY]: 'high' })])).toEqual([]);
  });
});
